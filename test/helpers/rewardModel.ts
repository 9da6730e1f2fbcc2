import { WAD } from "./constants.js";

/**
 * An independent reference for StakedOpen's streamed rewards, written from the specification in
 * IStakedOpen (not from the contract's code):
 *
 * - Time is cut into reward periods of `period` seconds from the deployment (`start`). What is notified
 *   during period k streams over period k + 1 at ⌊notified × 1e18 / period⌋ OPEN-wei × 1e18 per second;
 *   the remainder of that division is dust from the end of period k.
 * - A Synthetix accumulator with an exact carry: each accrual divides what streamed since the last one
 *   plus the carry by the supply; the quotient raises rewardPerToken, the remainder is carried. While
 *   less than MIN_REWARDED_SUPPLY is staked, what streams (and the carry) is dust instead.
 * - Every staker is credited balance × Δ rewardPerToken in OPEN-wei × 1e18; a claim pays ⌊scaled / 1e18⌋
 *   and keeps the remainder.
 *
 * Where the contract jumps over idle periods in one step, this model sums the stream period by period.
 * With the carry, dividing in several accruals gives the same quotients as dividing once, so the model
 * may accrue whenever it is asked (views included): its results do not depend on when the contract did.
 * Every method takes the Unix time (seconds) of the block it happened in.
 */
export class StreamingRewardModel {
  readonly balances = new Map<string, bigint>();
  rewardPerToken = 0n;
  carry = 0n;
  private readonly paid = new Map<string, bigint>();
  private readonly stored = new Map<string, bigint>();
  private readonly notifiedIn = new Map<bigint, bigint>();
  private lowSupplyDust = 0n;
  private sweptScaled = 0n;
  private lastUpdate: bigint;

  constructor(
    readonly start: bigint,
    readonly period: bigint,
    readonly minRewardedSupply: bigint = WAD,
  ) {
    this.lastUpdate = start;
  }

  get totalStaked(): bigint {
    let total = 0n;
    for (const balance of this.balances.values()) total += balance;
    return total;
  }

  balanceOf(account: string): bigint {
    return this.balances.get(account) ?? 0n;
  }

  /** Index of the reward period containing Unix time `t`. */
  periodIndex(t: bigint): bigint {
    return (t - this.start) / this.period;
  }

  /** Start of reward period `k` (Unix time). */
  periodStart(k: bigint): bigint {
    return this.start + k * this.period;
  }

  /** OPEN-wei notified during period `k`. */
  notifiedDuring(k: bigint): bigint {
    return this.notifiedIn.get(k) ?? 0n;
  }

  /** The rate of period `k`: OPEN-wei × 1e18 per second. */
  rate(k: bigint): bigint {
    return k === 0n ? 0n : (this.notifiedDuring(k - 1n) * WAD) / this.period;
  }

  /** OPEN-wei × 1e18 that streamed over [t0, t1), period by period. */
  streamed(t0: bigint, t1: bigint): bigint {
    let total = 0n;
    for (let k = this.periodIndex(t0); this.periodStart(k) < t1; k++) {
      const from = t0 > this.periodStart(k) ? t0 : this.periodStart(k);
      const to = t1 < this.periodStart(k + 1n) ? t1 : this.periodStart(k + 1n);
      if (to > from) total += this.rate(k) * (to - from);
    }
    return total;
  }

  stake(t: bigint, account: string, amount: bigint): void {
    this.settle(t, account);
    this.balances.set(account, this.balanceOf(account) + amount);
  }

  /** An unstake, or the part of a slash taken from the stake. */
  unstake(t: bigint, account: string, amount: bigint): void {
    this.settle(t, account);
    const balance = this.balanceOf(account);
    if (amount > balance) throw new Error(`model: ${account} unstakes ${amount} of ${balance}`);
    this.balances.set(account, balance - amount);
  }

  notify(t: bigint, amount: bigint): void {
    this.accrue(t);
    const k = this.periodIndex(t);
    this.notifiedIn.set(k, this.notifiedDuring(k) + amount);
  }

  /** Returns the whole OPEN-wei paid out. */
  claim(t: bigint, account: string): bigint {
    this.settle(t, account);
    const scaled = this.stored.get(account) ?? 0n;
    const paid = scaled / WAD;
    this.stored.set(account, scaled - paid * WAD);
    return paid;
  }

  /** Returns the whole OPEN-wei swept to the treasury. */
  sweep(t: bigint): bigint {
    const swept = this.dustScaled(t) / WAD;
    this.sweptScaled += swept * WAD;
    return swept;
  }

  earnedScaled(t: bigint, account: string): bigint {
    this.accrue(t);
    const delta = this.rewardPerToken - (this.paid.get(account) ?? 0n);
    return (this.stored.get(account) ?? 0n) + this.balanceOf(account) * delta;
  }

  /** Dust not yet swept: streams while too little was staked, and the remainders of periods that ended. */
  dustScaled(t: bigint): bigint {
    this.accrue(t);
    let remainders = 0n;
    for (const [k, amount] of this.notifiedIn) {
      if (this.periodStart(k + 1n) <= t) remainders += amount * WAD - this.rate(k + 1n) * this.period;
    }
    return this.lowSupplyDust + remainders - this.sweptScaled;
  }

  /** What `rewardStream()` should answer at `t`: the current period's end and rate, and its queue. */
  stream(t: bigint): { periodEnd: bigint; ratePerSecond: bigint; queued: bigint } {
    const k = this.periodIndex(t);
    return { periodEnd: this.periodStart(k + 1n), ratePerSecond: this.rate(k), queued: this.notifiedDuring(k) };
  }

  /** OPEN-wei × 1e18 still to stream after `t`. */
  toStreamScaled(t: bigint): bigint {
    const { periodEnd, ratePerSecond, queued } = this.stream(t);
    return ratePerSecond * (periodEnd - t) + queued * WAD;
  }

  /** The carry at `t`: streamed but not yet divisible by the supply. */
  carryAt(t: bigint): bigint {
    this.accrue(t);
    return this.carry;
  }

  private accrue(t: bigint): void {
    if (t < this.lastUpdate) throw new Error(`model: time went back from ${this.lastUpdate} to ${t}`);
    if (t === this.lastUpdate) return;
    const distributable = this.streamed(this.lastUpdate, t) + this.carry;
    const supply = this.totalStaked;
    if (supply < this.minRewardedSupply) {
      this.lowSupplyDust += distributable;
      this.carry = 0n;
    } else {
      const increment = distributable / supply;
      this.rewardPerToken += increment;
      this.carry = distributable - increment * supply;
    }
    this.lastUpdate = t;
  }

  private settle(t: bigint, account: string): void {
    this.accrue(t);
    const delta = this.rewardPerToken - (this.paid.get(account) ?? 0n);
    this.stored.set(account, (this.stored.get(account) ?? 0n) + this.balanceOf(account) * delta);
    this.paid.set(account, this.rewardPerToken);
  }
}
