import { MaxUint256 } from "ethers";

import { UserError, formatOpen, formatTime } from "./cli.js";
import { checkRecipient, type ProtocolContext } from "./context.js";
import { signOpenPermit } from "./permit.js";

/** The account's position: OPEN, stake, votes, rewards and queued withdrawal. */
export interface Position {
  account: string;
  open: bigint;
  staked: bigint;
  votes: bigint;
  delegatee: string;
  earned: bigint;
  queued: bigint;
  releaseTime: bigint;
  /** Unix time until which a pending slash proposal freezes withdrawals (0: never frozen). */
  frozenUntil: bigint;
}

export async function readPosition(ctx: ProtocolContext, account: string): Promise<Position> {
  const { openToken, stakedOpen } = ctx;
  const [open, staked, votes, delegatee, earned, pending] = await Promise.all([
    openToken.balanceOf(account),
    stakedOpen.balanceOf(account),
    stakedOpen.getVotes(account),
    stakedOpen.delegates(account),
    stakedOpen.earned(account),
    stakedOpen.pendingWithdrawal(account),
  ]);
  return {
    account,
    open,
    staked,
    votes,
    delegatee,
    earned,
    queued: pending.amount,
    releaseTime: pending.releaseTime,
    frozenUntil: pending.frozenUntil,
  };
}

/**
 * Why withdrawals of `account` are frozen until `until`, in a sentence: a governance proposal to slash it is
 * pending, so its queued OPEN stays slashable until governance decides.
 */
export function freezeNote(account: string, until: bigint): string {
  return (
    `The withdrawals of ${account} are frozen until ${formatTime(until)} by a proposal to slash it: ` +
    "its queued OPEN stays slashable until governance decides (governance may lift the freeze earlier)."
  );
}

async function latestTimestamp(ctx: ProtocolContext): Promise<bigint> {
  const block = await ctx.connection.ethers.provider.getBlock("latest");
  if (block === null) throw new Error("The node returned no latest block.");
  return BigInt(block.timestamp);
}

/**
 * Stakes `amount` OPEN-wei. Uses the existing allowance when it covers the amount; otherwise signs an
 * EIP-2612 permit so approval and stake happen in one transaction.
 */
export async function stake(ctx: ProtocolContext, amount: bigint): Promise<{ hash: string; usedPermit: boolean }> {
  const { openToken, stakedOpen, signer } = ctx;
  const stakedAddress = await stakedOpen.getAddress();
  if (await stakedOpen.paused()) {
    throw new UserError(
      "Staking is paused by the guardian (only governance unpauses); unstaking, withdrawals and claims still work.",
    );
  }
  const balance = await openToken.balanceOf(signer.address);
  if (balance < amount) {
    throw new UserError(
      `${signer.address} holds ${formatOpen(balance)}, less than the ${formatOpen(amount)} to stake.`,
    );
  }
  const allowance = await openToken.allowance(signer.address, stakedAddress);
  if (allowance >= amount) {
    const tx = await stakedOpen.stake(amount);
    await tx.wait();
    return { hash: tx.hash, usedPermit: false };
  }
  const { deadline, v, r, s } = await signOpenPermit(ctx, stakedAddress, amount);
  const tx = await stakedOpen.stakeWithPermit(amount, deadline, v, r, s);
  await tx.wait();
  return { hash: tx.hash, usedPermit: true };
}

/** Approves StakedOpen for an unlimited amount of OPEN (for wallets that cannot sign permits). */
export async function approveStaking(ctx: ProtocolContext): Promise<string> {
  const tx = await ctx.openToken.approve(await ctx.stakedOpen.getAddress(), MaxUint256);
  await tx.wait();
  return tx.hash;
}

/** Burns `amount` gOPEN and queues as much OPEN for release after the cooldown. */
export async function requestUnstake(
  ctx: ProtocolContext,
  amount: bigint,
): Promise<{ hash: string; queued: bigint; releaseTime: bigint; frozenUntil: bigint }> {
  const { stakedOpen, signer } = ctx;
  const staked = await stakedOpen.balanceOf(signer.address);
  if (staked < amount) {
    throw new UserError(
      `${signer.address} has ${formatOpen(staked, "gOPEN")} staked, less than the ${formatOpen(amount, "gOPEN")} to unstake.`,
    );
  }
  const tx = await stakedOpen.requestUnstake(amount);
  await tx.wait();
  const pending = await stakedOpen.pendingWithdrawal(signer.address);
  return { hash: tx.hash, queued: pending.amount, releaseTime: pending.releaseTime, frozenUntil: pending.frozenUntil };
}

/** Withdraws the queued OPEN once its cooldown has passed. */
export async function withdraw(ctx: ProtocolContext): Promise<{ hash: string; amount: bigint }> {
  const { stakedOpen, signer } = ctx;
  const pending = await stakedOpen.pendingWithdrawal(signer.address);
  if (pending.amount === 0n) {
    throw new UserError(`${signer.address} has no queued withdrawal; request one with \`npx hardhat stake:unstake\`.`);
  }
  // The transaction lands in a later block: a time that has passed now has passed for it too.
  const now = await latestTimestamp(ctx);
  if (now < pending.releaseTime) {
    throw new UserError(
      `The ${formatOpen(pending.amount)} queued by ${signer.address} is released at ${formatTime(pending.releaseTime)}; try again after that.`,
    );
  }
  if (now < pending.frozenUntil) throw new UserError(freezeNote(signer.address, pending.frozenUntil));
  const tx = await stakedOpen.withdraw();
  await tx.wait();
  return { hash: tx.hash, amount: pending.amount };
}

/** Claims the account's staking rewards (whole wei) to `recipient` (default: the account). */
export async function claimStakingRewards(
  ctx: ProtocolContext,
  recipient?: string,
): Promise<{ hash: string; amount: bigint }> {
  const { stakedOpen, signer } = ctx;
  const amount = await stakedOpen.earned(signer.address);
  if (amount === 0n) throw new UserError(`${signer.address} has no staking rewards to claim yet.`);
  if (recipient !== undefined) checkRecipient(ctx, recipient);
  const tx =
    recipient === undefined || recipient === signer.address
      ? await stakedOpen.claimRewards()
      : await stakedOpen.claimRewardsTo(recipient);
  await tx.wait();
  return { hash: tx.hash, amount };
}

/** Delegates the account's votes to `delegatee` (itself to vote directly). */
export async function delegate(ctx: ProtocolContext, delegatee: string): Promise<{ hash: string; votes: bigint }> {
  const tx = await ctx.stakedOpen.delegate(delegatee);
  await tx.wait();
  return { hash: tx.hash, votes: await ctx.stakedOpen.getVotes(delegatee) };
}
