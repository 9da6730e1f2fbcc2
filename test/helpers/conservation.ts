import { expect } from "chai";
import type { AddressLike } from "ethers";

import type { OpenToken, StakedOpen } from "../../types/ethers-contracts/index.js";

import { WAD } from "./constants.js";

/**
 * StakedOpen's OPEN conservation law, exact to the sub-wei:
 *
 *   OPEN held by StakedOpen × 1e18 == (gOPEN supply + totalQueued) × 1e18 + Σ earnedScaled(actors) + dustScaled
 *
 * `actors` must list every account that ever held gOPEN (any other account has no rewards).
 */
export async function expectOpenConserved(
  openToken: OpenToken,
  stakedOpen: StakedOpen,
  actors: readonly AddressLike[],
): Promise<void> {
  const held = await openToken.balanceOf(stakedOpen);
  const staked = await stakedOpen.totalSupply();
  const queued = await stakedOpen.totalQueued();
  const dust = await stakedOpen.dustScaled();
  let rewards = 0n;
  for (const actor of actors) rewards += await stakedOpen.earnedScaled(actor);

  expect(held * WAD, "OPEN held by StakedOpen × 1e18").to.equal((staked + queued) * WAD + rewards + dust);
}
