import { expect } from "chai";
import type { AddressLike, BlockTag, Provider } from "ethers";

import type { OpenToken, StakedOpen } from "../../types/ethers-contracts/index.js";

import { WAD } from "./constants.js";

/**
 * StakedOpen's storage slots that hold reward state no view exposes (see
 * test/solidity/invariant/StakedOpenStorage.sol for the layout): the supply word (total in bits 0..95,
 * the carry in bits 160..255) and the reward index (lastUpdate, seconds since the clock base, in bits
 * 160..191).
 */
const SUPPLY_SLOT = 10n;
const REWARD_INDEX_SLOT = 12n;
const U32 = (1n << 32n) - 1n;
const U96 = (1n << 96n) - 1n;

/** StakedOpen's clock base: one second before its deployment block (found by its constructor's CooldownUpdated). */
export async function clockBaseOf(stakedOpen: StakedOpen): Promise<bigint> {
  const [deployed] = await stakedOpen.queryFilter(stakedOpen.filters.CooldownUpdated(), 0);
  if (deployed === undefined) throw new Error("StakedOpen's deployment event was not found");
  const block = await deployed.getBlock();
  return BigInt(block.timestamp) - 1n;
}

/** The carry and the time of the last accrual, read from storage (at `blockTag`). */
export async function storedRewardState(
  stakedOpen: StakedOpen,
  provider: Provider,
  blockTag: BlockTag = "latest",
): Promise<{ carry: bigint; lastUpdate: bigint; totalSupply: bigint }> {
  const address = await stakedOpen.getAddress();
  const supply = BigInt(await provider.getStorage(address, SUPPLY_SLOT, blockTag));
  const index = BigInt(await provider.getStorage(address, REWARD_INDEX_SLOT, blockTag));
  const totalSupply = supply & U96;
  // The layout check: the decoded total must be the public one.
  expect(totalSupply, "StakedOpen storage layout (supply word)").to.equal(await stakedOpen.totalSupply({ blockTag }));
  return { carry: supply >> 160n, lastUpdate: (await clockBaseOf(stakedOpen)) + ((index >> 160n) & U32), totalSupply };
}

/** Σ earnedScaled + dustScaled + still to stream, through the views at `blockTag` (OPEN-wei × 1e18). */
async function rewardViews(stakedOpen: StakedOpen, actors: readonly AddressLike[], blockTag: BlockTag) {
  const [periodEnd, ratePerSecond, queued] = await stakedOpen.rewardStream({ blockTag });
  const block = await stakedOpen.runner?.provider?.getBlock(blockTag);
  if (block === null || block === undefined) throw new Error(`no block ${String(blockTag)}`);
  let total = ratePerSecond * (periodEnd - BigInt(block.timestamp)) + queued * WAD;
  total += await stakedOpen.dustScaled({ blockTag });
  for (const actor of actors) total += await stakedOpen.earnedScaled(actor, { blockTag });
  return total;
}

/**
 * StakedOpen's OPEN conservation law, exact in the scaled domain:
 *
 *   OPEN held × 1e18 == (gOPEN supply + Σ queued) × 1e18 + Σ earnedScaled + carry + dustScaled + still to stream
 *
 * where "still to stream" is rate × (periodEnd − now) + queued rewards × 1e18 (rewardStream()). The carry
 * is exact only at the last accrual, so the reward terms are read at the block of the last accrual (the
 * views then show the stored state); the views of now must differ from them by a carry below the supply
 * (zero while less than MIN_REWARDED_SUPPLY is staked). `actors` must list every account that ever held
 * gOPEN or queued a withdrawal.
 */
export async function expectOpenConserved(
  openToken: OpenToken,
  stakedOpen: StakedOpen,
  actors: readonly AddressLike[],
): Promise<void> {
  const provider = stakedOpen.runner?.provider;
  if (provider === null || provider === undefined) throw new Error("StakedOpen is not connected to a provider");
  const { carry, lastUpdate } = await storedRewardState(stakedOpen, provider);
  const accrualBlock = await blockAt(provider, lastUpdate);

  const held = await openToken.balanceOf(stakedOpen);
  const supply = await stakedOpen.totalSupply();
  let queued = 0n;
  for (const actor of actors) queued += (await stakedOpen.pendingWithdrawal(actor)).amount;
  const rewardsAtLast = (await rewardViews(stakedOpen, actors, accrualBlock)) + carry;
  expect(held * WAD, "OPEN held × 1e18 == stake + queued + rewards + carry + dust + stream").to.equal(
    (supply + queued) * WAD + rewardsAtLast,
  );

  const rewardsNow = await rewardViews(stakedOpen, actors, "latest");
  const carryNow = rewardsAtLast - rewardsNow;
  expect(carryNow >= 0n, "the views created rewards since the last accrual").to.equal(true);
  const latest = await provider.getBlock("latest");
  if (latest === null || BigInt(latest.timestamp) === lastUpdate) return;
  if (supply < (await stakedOpen.MIN_REWARDED_SUPPLY())) expect(carryNow, "carry below the minimum").to.equal(0n);
  else expect(carryNow < supply, "carry of now below the supply").to.equal(true);
}

/** The number of the latest block with timestamp `timestamp` (the block in which StakedOpen last accrued). */
async function blockAt(provider: Provider, timestamp: bigint): Promise<number> {
  for (let n = await provider.getBlockNumber(); n >= 0; n--) {
    const block = await provider.getBlock(n);
    if (block === null) break;
    if (BigInt(block.timestamp) === timestamp) return n;
    if (BigInt(block.timestamp) < timestamp) break;
  }
  throw new Error(`no block at ${timestamp}: StakedOpen's last accrual is not in this chain's blocks`);
}
