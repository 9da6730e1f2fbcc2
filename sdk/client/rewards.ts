/** What an account can claim across the protocol, what each inference credited it, and the claim of those earnings. */
import { clientError } from "../core/client-errors.js";
import { decodeCredits, type SettledCredit } from "../core/inference.js";
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

/** What one inference credited an account: the model creator's share, or a contribution's attributed share. */
export interface Earning {
  inferenceId: bigint;
  modelId: bigint;
  /** The contribution credited; undefined for the model creator's share. */
  contributionId?: bigint;
  /** OPEN-wei. */
  amount: bigint;
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

  /**
   * What inferences credited `account` (none of it 0), in payment order; within one inference the creator's share,
   * then the contributions by id. From the router's InferencePaid and InferenceSettled events, or the client's
   * indexer. The sum less what `account` claimed is its `claimable` credits.
   */
  async earnings(account: string): Promise<Earning[]> {
    const indexed = await this.ctx.indexer?.earnings(account);
    if (indexed !== undefined) return indexed;
    const { inferenceRouter: router, modelRegistry, datanetRegistry } = this.ctx.contracts;
    const paid = await this.ctx.events((a, b) => router.queryFilter(router.filters.InferencePaid(), a, b));
    const settled = await this.ctx.events((a, b) => router.queryFilter(router.filters.InferenceSettled(), a, b));
    const credits = new Map<bigint, SettledCredit[]>(
      settled.map((e) => [e.args.inferenceId, decodeCredits(e.args.credits)]),
    );
    const me = account.toLowerCase();
    const creators = new Map<bigint, string>();
    const contributors = new Map<bigint, string>();
    const rows: Earning[] = [];
    for (const { args } of paid) {
      const { inferenceId, modelId, creatorShare } = args;
      if (!creators.has(modelId)) creators.set(modelId, (await modelRegistry.getModel(modelId)).creator.toLowerCase());
      if (creatorShare > 0n && creators.get(modelId) === me) rows.push({ inferenceId, modelId, amount: creatorShare });
      const credited = (credits.get(inferenceId) ?? []).filter((c) => c.amount > 0n);
      for (const { contributionId, amount } of credited.sort((a, b) =>
        a.contributionId < b.contributionId ? -1 : 1,
      )) {
        if (!contributors.has(contributionId)) {
          const { contributor } = await datanetRegistry.getContribution(contributionId);
          contributors.set(contributionId, contributor.toLowerCase());
        }
        if (contributors.get(contributionId) === me) rows.push({ inferenceId, modelId, contributionId, amount });
      }
    }
    return rows;
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
