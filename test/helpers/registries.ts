import { expect } from "chai";
import { id } from "ethers";

import { ContributionStatus, ModelState } from "../../sdk/core/enums.js";
import { RECORD_CONTRIBUTOR_BITS } from "../../sdk/core/inference.js";

import type { DatanetRegistry, ModelRegistry, OpenToken } from "../../types/ethers-contracts/index.js";

// The enums and the record layout have one home, the SDK; tests import them from here as before.
export { ContributionStatus, ModelState };
export { Eligibility } from "../../sdk/core/enums.js";
export type { EligibilityName, ModelStateName } from "../../sdk/core/enums.js";
export { decodeAttributionRecord } from "../../sdk/core/inference.js";

/** An AttributionRecord (AttributionRules.record): the contributor in the low 160 bits, the eligibility above. */
export function attributionRecord(contributor: string, eligibility: bigint): bigint {
  return (eligibility << RECORD_CONTRIBUTOR_BITS) | BigInt(contributor);
}

/** A deterministic, non-zero content hash for test content named `label` (keccak256 of its UTF-8 bytes). */
export function contentHash(label: string): string {
  return id(`content:${label}`);
}

/**
 * DatanetRegistry's OPEN conservation law, exact to the wei:
 *
 *   OPEN held by DatanetRegistry == Σ bonds of Pending contributions + Σ refundOf(contributors)
 *
 * It walks every contribution id (1..contributionCount), so it needs no list of actors; meant for the small
 * scenarios of the behaviour tests.
 */
export async function expectDatanetBondsConserved(openToken: OpenToken, registry: DatanetRegistry): Promise<void> {
  const count = await registry.contributionCount();
  let pending = 0n;
  const contributors = new Set<string>();
  for (let contributionId = 1n; contributionId <= count; contributionId++) {
    const c = await registry.getContribution(contributionId);
    contributors.add(c.contributor);
    if (c.status === ContributionStatus.Pending) pending += c.bond;
  }
  let refunds = 0n;
  for (const contributor of contributors) refunds += await registry.refundOf(contributor);
  expect(await openToken.balanceOf(registry), "OPEN held by DatanetRegistry").to.equal(pending + refunds);
}

/**
 * ModelRegistry's OPEN conservation law, exact to the wei:
 *
 *   OPEN held by ModelRegistry == Σ bonds of Proposed models
 */
export async function expectModelBondsConserved(openToken: OpenToken, registry: ModelRegistry): Promise<void> {
  const count = await registry.modelCount();
  let proposed = 0n;
  for (let modelId = 1n; modelId <= count; modelId++) {
    const m = await registry.getModel(modelId);
    if (m.state === ModelState.Proposed) proposed += m.bond;
  }
  expect(await openToken.balanceOf(registry), "OPEN held by ModelRegistry").to.equal(proposed);
}
