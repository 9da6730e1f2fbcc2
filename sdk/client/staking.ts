/** Staking OPEN for gOPEN: stake, unstake, withdraw, claim rewards, delegate votes, read a position. */
import { ZeroAddress } from "ethers";

import { clientError } from "../core/client-errors.js";
import { receiptEvents } from "../core/events.js";
import { signTokenPermit } from "../core/permit.js";
import type { ClientContext } from "./context.js";

/** An account's position: OPEN, stake, votes, rewards and queued withdrawal (OPEN-wei). */
export interface Position {
  account: string;
  open: bigint;
  staked: bigint;
  votes: bigint;
  /** The zero address when the account never delegated (its stake then counts for no votes). */
  delegatee: string;
  earned: bigint;
  queued: bigint;
  releaseTime: bigint;
  /** Unix time until which a pending slash proposal freezes withdrawals (0: never frozen). */
  frozenUntil: bigint;
  /** True while `frozenUntil` is in the future. */
  frozen: boolean;
  /** The unstake cooldown now, in seconds. */
  cooldown: bigint;
}

export class Staking {
  constructor(private readonly ctx: ClientContext) {}

  /** The position of `account` (default: the signer). */
  async position(account?: string): Promise<Position> {
    const who = account ?? (await this.ctx.account());
    const { openToken, stakedOpen } = this.ctx.contracts;
    const [open, staked, votes, delegatee, earned, pending, cooldown, now] = await Promise.all([
      openToken.balanceOf(who),
      stakedOpen.balanceOf(who),
      stakedOpen.getVotes(who),
      stakedOpen.delegates(who),
      stakedOpen.earned(who),
      stakedOpen.pendingWithdrawal(who),
      stakedOpen.cooldown(),
      this.ctx.now(),
    ]);
    return {
      account: who,
      open,
      staked,
      votes,
      delegatee,
      earned,
      queued: pending.amount,
      releaseTime: pending.releaseTime,
      frozenUntil: pending.frozenUntil,
      frozen: pending.frozenUntil > now,
      cooldown,
    };
  }

  /**
   * Stakes `amount` OPEN-wei. Uses the existing allowance when it covers the amount; otherwise signs an EIP-2612
   * permit so approval and stake happen in one transaction. Returns the stake after it.
   */
  async stake(amount: bigint): Promise<{ hash: string; usedPermit: boolean; staked: bigint; delegated: boolean }> {
    const { openToken, stakedOpen } = this.ctx.contracts;
    const account = await this.ctx.account();
    if (amount <= 0n) throw clientError("ZeroAmount", { what: "the amount to stake" });
    if (await stakedOpen.paused()) throw clientError("StakingPaused", {});
    const balance = await openToken.balanceOf(account);
    if (balance < amount) {
      throw clientError("InsufficientBalance", { account, balance, needed: amount, what: "to stake" });
    }
    const spender = this.ctx.address("stakedOpen");
    let usedPermit = false;
    let hash: string;
    if ((await openToken.allowance(account, spender)) >= amount) {
      ({ hash } = await this.ctx.send(() => stakedOpen.stake(amount)));
    } else {
      const permit = await signTokenPermit(openToken, this.ctx.requireSigner(), spender, amount, await this.ctx.now());
      const { deadline } = permit.message;
      ({ hash } = await this.ctx.send(() =>
        stakedOpen.stakeWithPermit(amount, deadline, permit.v, permit.r, permit.s),
      ));
      usedPermit = true;
    }
    const [staked, delegatee] = await Promise.all([stakedOpen.balanceOf(account), stakedOpen.delegates(account)]);
    return { hash, usedPermit, staked, delegated: delegatee !== ZeroAddress };
  }

  /** Burns `amount` gOPEN now and queues as much OPEN for release after the cooldown. */
  async requestUnstake(
    amount: bigint,
  ): Promise<{ hash: string; queued: bigint; releaseTime: bigint; frozenUntil: bigint }> {
    const { stakedOpen } = this.ctx.contracts;
    const account = await this.ctx.account();
    if (amount <= 0n) throw clientError("ZeroAmount", { what: "the amount to unstake" });
    const staked = await stakedOpen.balanceOf(account);
    if (staked < amount) throw clientError("InsufficientStake", { account, staked, amount });
    const { hash } = await this.ctx.send(() => stakedOpen.requestUnstake(amount));
    const pending = await stakedOpen.pendingWithdrawal(account);
    return { hash, queued: pending.amount, releaseTime: pending.releaseTime, frozenUntil: pending.frozenUntil };
  }

  /** Withdraws the queued OPEN once its cooldown has passed and no slash proposal freezes it. */
  async withdraw(): Promise<{ hash: string; amount: bigint }> {
    const { stakedOpen } = this.ctx.contracts;
    const account = await this.ctx.account();
    const pending = await stakedOpen.pendingWithdrawal(account);
    if (pending.amount === 0n) throw clientError("NothingQueued", { account });
    // The transaction lands in a later block: a time that has passed now has passed for it too.
    const now = await this.ctx.now();
    if (now < pending.releaseTime) {
      throw clientError("CooldownActive", { account, amount: pending.amount, releaseTime: pending.releaseTime });
    }
    if (now < pending.frozenUntil) throw clientError("WithdrawalsFrozen", { account, until: pending.frozenUntil });
    const { hash } = await this.ctx.send(() => stakedOpen.withdraw());
    return { hash, amount: pending.amount };
  }

  /**
   * Claims the signer's staking rewards (whole wei) to `recipient` (default: the signer); returns the amount the
   * transaction claimed, which includes what accrued until its block.
   */
  async claimRewards(recipient?: string): Promise<{ hash: string; amount: bigint; recipient: string }> {
    const { stakedOpen } = this.ctx.contracts;
    const account = await this.ctx.account();
    if (recipient !== undefined) this.ctx.checkRecipient(recipient);
    const amount = await stakedOpen.earned(account);
    if (amount === 0n) throw clientError("NoStakingRewards", { account });
    const to = recipient ?? account;
    const { hash, receipt } = await this.ctx.send(() =>
      to === account ? stakedOpen.claimRewards() : stakedOpen.claimRewardsTo(to),
    );
    // Rewards stream by the second: the transaction claims what accrued up to its own block.
    const [claimed] = await receiptEvents(receipt, stakedOpen, "RewardClaimed");
    return { hash, amount: (claimed?.amount as bigint | undefined) ?? amount, recipient: to };
  }

  /** Delegates the signer's votes to `delegatee` (itself to vote directly); returns the delegatee's votes. */
  async delegate(delegatee: string): Promise<{ hash: string; votes: bigint }> {
    const { stakedOpen } = this.ctx.contracts;
    await this.ctx.account();
    if (BigInt(delegatee) === 0n) throw clientError("ZeroAddress", { what: "the delegatee" });
    const { hash } = await this.ctx.send(() => stakedOpen.delegate(delegatee));
    return { hash, votes: await stakedOpen.getVotes(delegatee) };
  }

  /**
   * Sends gOPEN's whole wei of rounding dust (what reward streaming could not divide, and what streamed while
   * almost nothing was staked) to the treasury; anyone may. Refuses with NoDust when not a whole wei has gathered.
   */
  async sweepDust(): Promise<{ hash: string; amount: bigint; treasury: string }> {
    const { stakedOpen } = this.ctx.contracts;
    await this.ctx.account();
    if ((await stakedOpen.dustScaled()) < 10n ** 18n) throw clientError("NoDust", {});
    const { hash, receipt } = await this.ctx.send(() => stakedOpen.sweepDust());
    const [swept] = await receiptEvents(receipt, stakedOpen, "DustSwept");
    return {
      hash,
      amount: (swept?.amount as bigint | undefined) ?? 0n,
      treasury: (swept?.treasury as string | undefined) ?? (await stakedOpen.treasury()),
    };
  }
}
