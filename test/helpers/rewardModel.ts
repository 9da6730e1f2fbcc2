import { WAD } from "./constants.js";

/**
 * An independent reference for StakedOpen's reward arithmetic, written from the specification in
 * IStakedOpen (not from the contract): each notification of `amount` with `S` gOPEN staked raises the
 * accumulator by ⌊amount × 1e18 / S⌋; every staker is credited balance × increment (OPEN-wei × 1e18);
 * what the division drops is dust. A claim pays ⌊scaled / 1e18⌋ and keeps the remainder.
 */
export class RewardModel {
  readonly balances = new Map<string, bigint>();
  readonly scaled = new Map<string, bigint>();
  rewardPerToken = 0n;
  dustScaled = 0n;

  get totalStaked(): bigint {
    let total = 0n;
    for (const balance of this.balances.values()) total += balance;
    return total;
  }

  balanceOf(account: string): bigint {
    return this.balances.get(account) ?? 0n;
  }

  earnedScaled(account: string): bigint {
    return this.scaled.get(account) ?? 0n;
  }

  stake(account: string, amount: bigint): void {
    this.balances.set(account, this.balanceOf(account) + amount);
  }

  unstake(account: string, amount: bigint): void {
    this.balances.set(account, this.balanceOf(account) - amount);
  }

  /** Returns the accumulator increment, or zero when nothing is staked (the reward goes to the treasury). */
  notify(amount: bigint): bigint {
    const supply = this.totalStaked;
    if (supply === 0n) return 0n;
    const increment = (amount * WAD) / supply;
    this.rewardPerToken += increment;
    this.dustScaled += amount * WAD - increment * supply;
    for (const [account, balance] of this.balances) {
      this.scaled.set(account, this.earnedScaled(account) + balance * increment);
    }
    return increment;
  }

  /** Returns the whole wei paid out. */
  claim(account: string): bigint {
    const scaled = this.earnedScaled(account);
    const paid = scaled / WAD;
    this.scaled.set(account, scaled - paid * WAD);
    return paid;
  }

  /** Returns the whole wei swept. */
  sweep(): bigint {
    const swept = this.dustScaled / WAD;
    this.dustScaled -= swept * WAD;
    return swept;
  }
}
