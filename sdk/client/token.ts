/** OPEN itself: balances and transfers. */
import { clientError } from "../core/client-errors.js";
import type { ClientContext } from "./context.js";

export class Token {
  constructor(private readonly ctx: ClientContext) {}

  /** The OPEN and gOPEN of `account` (default: the signer), in wei. */
  async balances(account?: string): Promise<{ account: string; open: bigint; staked: bigint }> {
    const who = account ?? (await this.ctx.account());
    const { openToken, stakedOpen } = this.ctx.contracts;
    const [open, staked] = await Promise.all([openToken.balanceOf(who), stakedOpen.balanceOf(who)]);
    return { account: who, open, staked };
  }

  /** Sends `amount` OPEN-wei from the signer to `to`. */
  async transfer(to: string, amount: bigint): Promise<{ hash: string; from: string; to: string; amount: bigint }> {
    const openToken = this.ctx.contracts.openToken;
    const from = await this.ctx.account();
    if (BigInt(to) === 0n) throw clientError("ZeroAddress", { what: "the recipient" });
    if (amount <= 0n) throw clientError("ZeroAmount", { what: "the amount to send" });
    const balance = await openToken.balanceOf(from);
    if (balance < amount)
      throw clientError("InsufficientBalance", { account: from, balance, needed: amount, what: "to send" });
    const { hash } = await this.ctx.send(() => openToken.transfer(to, amount));
    return { hash, from, to, amount };
  }
}
