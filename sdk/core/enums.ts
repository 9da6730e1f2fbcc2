/**
 * The contracts' enums: one table per enum, name → value, in the order Solidity numbers them. Every
 * caller (client, CLI, scripts, tests) reads values and names from here; nothing re-types `5n` for Active.
 *
 * Values are bigints, as ethers returns a Solidity enum. `nameOf(table, value)` gives the name of a value.
 */

/** A Solidity enum as a table: each member's name and its value. */
export type EnumTable = Readonly<Record<string, bigint>>;

/** A member's name, or "unknown (<value>)" for a value the table does not have (a newer contract's). */
export type EnumName<Table extends EnumTable> = (keyof Table & string) | `unknown (${string})`;

/** The name of `value` in `table`, or "unknown (<value>)" for a value the table does not have. */
export function nameOf<Table extends EnumTable>(table: Table, value: bigint | number): EnumName<Table> {
  const wanted = BigInt(value);
  for (const [name, member] of Object.entries(table)) if (member === wanted) return name;
  return `unknown (${wanted})`;
}

/** The names of `table`, in value order. */
export function namesOf<Table extends EnumTable>(table: Table): (keyof Table & string)[] {
  return Object.entries(table)
    .sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name]) => name);
}

/** IDatanetRegistry.ContributionStatus. */
export const ContributionStatus = {
  None: 0n,
  Pending: 1n,
  Accepted: 2n,
  Rejected: 3n,
  Penalized: 4n,
} as const;
export type ContributionStatusName = keyof typeof ContributionStatus;

/** IModelRegistry.ModelState (see contracts/libraries/ModelLifecycle.sol for the transitions). */
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

/** IInferenceRouter.InferenceStatus. */
export const InferenceStatus = {
  None: 0n,
  Pending: 1n,
  Settled: 2n,
  Expired: 3n,
} as const;
export type InferenceStatusName = keyof typeof InferenceStatus;

/** AttributionRules.Eligibility: what a report may do with a contribution (packed into an AttributionRecord). */
export const Eligibility = {
  Invalid: 0n,
  Eligible: 1n,
  Forfeited: 2n,
} as const;
export type EligibilityName = keyof typeof Eligibility;

/** OpenZeppelin IGovernor.ProposalState. */
export const ProposalState = {
  Pending: 0n,
  Active: 1n,
  Canceled: 2n,
  Defeated: 3n,
  Succeeded: 4n,
  Queued: 5n,
  Expired: 6n,
  Executed: 7n,
} as const;
export type ProposalStateName = keyof typeof ProposalState;

/** GovernorCountingSimple.VoteType: the `support` of a vote. */
export const VoteSupport = {
  Against: 0n,
  For: 1n,
  Abstain: 2n,
} as const;
export type VoteSupportName = keyof typeof VoteSupport;

/** OpenZeppelin TimelockController.OperationState. */
export const OperationState = {
  Unset: 0n,
  Waiting: 1n,
  Ready: 2n,
  Done: 3n,
} as const;
export type OperationStateName = keyof typeof OperationState;

export const contributionStatusName = (value: bigint | number) => nameOf(ContributionStatus, value);
export const modelStateName = (value: bigint | number) => nameOf(ModelState, value);
export const inferenceStatusName = (value: bigint | number) => nameOf(InferenceStatus, value);
export const eligibilityName = (value: bigint | number) => nameOf(Eligibility, value);
export const proposalStateName = (value: bigint | number) => nameOf(ProposalState, value);
export const voteSupportName = (value: bigint | number) => nameOf(VoteSupport, value);
export const operationStateName = (value: bigint | number) => nameOf(OperationState, value);
