import { expect } from "chai";
import { getAddress, id, toBeHex } from "ethers";

import type { DatanetRegistry, ModelRegistry, OpenToken } from "../../types/ethers-contracts/index.js";

/** IDatanetRegistry.ContributionStatus. */
export const ContributionStatus = {
  None: 0n,
  Pending: 1n,
  Accepted: 2n,
  Rejected: 3n,
  Penalized: 4n,
} as const;

/** IModelRegistry.ModelState. */
export const ModelState = {
  None: 0n,
  Proposed: 1n,
  Approved: 2n,
  Rejected: 3n,
  Trained: 4n,
  Active: 5n,
  Suspended: 6n,
  Retired: 7n,
} as const;

export type ModelStateName = keyof typeof ModelState;

/** AttributionRules.Eligibility: what a report may do with a contribution. */
export const Eligibility = {
  Invalid: 0n,
  Eligible: 1n,
  Forfeited: 2n,
} as const;

export type EligibilityName = keyof typeof Eligibility;

const ADDRESS_BITS = 160n;
const ADDRESS_MASK = (1n << ADDRESS_BITS) - 1n;

/** An AttributionRecord (AttributionRules.record): the contributor in the low 160 bits, the eligibility above. */
export function attributionRecord(contributor: string, eligibility: bigint): bigint {
  return (eligibility << ADDRESS_BITS) | BigInt(contributor);
}

/** The contributor and eligibility packed in an AttributionRecord. Invalid is the zero record. */
export function decodeAttributionRecord(record: bigint): { contributor: string; eligibility: bigint } {
  return { contributor: getAddress(toBeHex(record & ADDRESS_MASK, 20)), eligibility: record >> ADDRESS_BITS };
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
