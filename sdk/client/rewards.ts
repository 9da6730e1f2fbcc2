/** What an account can claim across the protocol, and the claim of inference earnings. */
import { clientError } from "../core/client-errors.js";
import type { ClientContext } from "./context.js";

/** What one account can claim, in OPEN-wei. */
export interface Claimable {
  account: string;
  /** Inference earnings: the creator's share and contributors' credits, from the router (`rewards.claim`). */
  credits: bigint;
  /** Staking rewards from gOPEN, whole wei (`staking.claimRewards`). */
  staking: bigint;
  /** Bonds refunded for accepted contributions, from the datanet registry (`datanets.claimRefund`). */
  refunds: bigint;
}

export class Rewards {
  constructor(private readonly ctx: ClientContext) {}

  /** What `account` (default: the signer) can claim. */
  async claimable(account?: string): Promise<Claimable> {
    const who = account ?? (await this.ctx.account());
    const { inferenceRouter, stakedOpen, datanetRegistry } = this.ctx.contracts;
    const [credits, staking, refunds] = await Promise.all([
      inferenceRouter.creditOf(who),
      stakedOpen.earned(who),
      datanetRegistry.refundOf(who),
    ]);
    return { account: who, credits, staking, refunds };
  }

  /** Claims the signer's inference earnings (creator and contributor credits) to `recipient` (default: the signer). */
  async claim(recipient?: string): Promise<{ hash: string; amount: bigint; recipient: string }> {
    const router = this.ctx.contracts.inferenceRouter;
    const account = await this.ctx.account();
    if (recipient !== undefined) this.ctx.checkRecipient(recipient);
    const amount = await router.creditOf(account);
    if (amount === 0n) throw clientError("NoInferenceEarnings", { account });
    const to = recipient ?? account;
    const { hash } = await this.ctx.send(() => (to === account ? router.claim() : router.claimTo(to)));
    return { hash, amount, recipient: to };
  }
}
