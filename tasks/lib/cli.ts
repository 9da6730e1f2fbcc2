import { Interface, formatUnits, getAddress, isAddress, parseUnits, type Result } from "ethers";

import { PROTOCOL_FACTORIES } from "../../sdk/core/contracts.js";
import { contributionStatusName, inferenceStatusName, modelStateName } from "./states.js";

/** OPEN and gOPEN both have 18 decimals. */
export const OPEN_DECIMALS = 18;

/**
 * A problem with what the user asked for: a bad id, amount, address or state. Its message is one
 * sentence that names the bad input and, where possible, the fix. Tasks print it without a stack
 * trace and exit with status 1.
 */
export class UserError extends Error {
  override name = "UserError";
}

/** What a task action returns to Hardhat: a failed result makes the CLI exit with status 1. */
export type TaskOutcome = { success: true; value: undefined } | { success: false; error: string };

/**
 * Runs a task body, printing a UserError (or a decoded contract revert) as one sentence on stderr
 * instead of a stack trace. Anything else is a bug and is rethrown for Hardhat to report.
 */
export async function runTask(body: () => Promise<void>): Promise<TaskOutcome> {
  try {
    await body();
    return { success: true, value: undefined };
  } catch (error) {
    const message = describeError(error);
    if (message === undefined) throw error;
    console.error(`Error: ${message}`);
    return { success: false, error: message };
  }
}

/** Parses a positive (or, with `allowZero`, non-negative) OPEN amount in tokens with up to 18 decimals ("12.5"). */
export function parseOpenAmount(value: string, option = "--amount", allowZero = false): bigint {
  const text = value.trim();
  if (!/^\d+(\.\d+)?$/.test(text)) {
    throw new UserError(`${option} must be a positive number of OPEN such as 100 or 12.5, not "${value}".`);
  }
  const [, fraction = ""] = text.split(".");
  if (fraction.length > OPEN_DECIMALS) {
    throw new UserError(`${option} has more than ${OPEN_DECIMALS} decimals: "${value}".`);
  }
  const amount = parseUnits(text, OPEN_DECIMALS);
  if (amount === 0n && !allowZero) throw new UserError(`${option} must be greater than zero.`);
  return amount;
}

/** Parses a comma-separated list of ids ("3,4,7"); empty text gives an empty list. */
export function parseIdList(value: string, option: string): bigint[] {
  const text = value.trim();
  if (text === "") return [];
  return text.split(",").map((part) => parseUint(part, option));
}

/** Parses a 32-byte hex value such as a content hash. */
export function parseBytes32(value: string, option: string): string {
  const text = value.trim();
  if (!/^0x[0-9a-fA-F]{64}$/.test(text)) {
    throw new UserError(`${option} must be 32 bytes of hex (0x followed by 64 hex digits), not "${value}".`);
  }
  return text.toLowerCase();
}

/** Parses a non-negative integer id or count ("42"). */
export function parseUint(value: string, option: string): bigint {
  const text = value.trim();
  if (!/^\d+$/.test(text)) throw new UserError(`${option} must be a whole number, not "${value}".`);
  return BigInt(text);
}

/** Largest uint256 + 1: inference ids are keccak256 hashes read as numbers. */
const UINT256_LIMIT = 2n ** 256n;

/**
 * Parses an inference id: the uint256 `inference:pay` prints, in decimal or as 0x hex. Ids are
 * keccak256(abi.encode(payer, requestId)), so they are large; `inference:show --payer … --request-id …`
 * finds one from the request.
 */
export function parseInferenceId(value: string, option = "--id"): bigint {
  const text = value.trim();
  const id = /^\d{1,78}$/.test(text) || /^0x[0-9a-fA-F]{1,64}$/.test(text) ? BigInt(text) : undefined;
  if (id === undefined || id === 0n || id >= UINT256_LIMIT) {
    throw new UserError(
      `${option} must be an inference id as inference:pay prints it (a whole number, or 0x hex), not "${value}".`,
    );
  }
  return id;
}

/** Parses an address, accepting all-lower or all-upper case but rejecting a mixed case with a bad checksum. */
export function parseAddress(value: string, option: string): string {
  const text = value.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) {
    throw new UserError(`${option} must be an address (0x followed by 40 hex digits), not "${value}".`);
  }
  if (!isAddress(text)) {
    throw new UserError(`${option} has an invalid checksum: "${value}"; check it or write it in lower case.`);
  }
  return getAddress(text);
}

/** Formats OPEN-wei as "1,234.5 OPEN". */
export function formatOpen(amount: bigint, symbol = "OPEN"): string {
  const negative = amount < 0n;
  const [whole = "0", fraction] = formatUnits(negative ? -amount : amount, OPEN_DECIMALS).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const trimmed = fraction === undefined || /^0*$/.test(fraction) ? "" : `.${fraction.replace(/0+$/, "")}`;
  return `${negative ? "-" : ""}${grouped}${trimmed} ${symbol}`;
}

/** Formats a duration in seconds as "7d", "1h 30m", "45s". */
export function formatDuration(seconds: bigint | number): string {
  let rest = BigInt(seconds);
  if (rest === 0n) return "0s";
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86_400n],
    ["h", 3_600n],
    ["m", 60n],
    ["s", 1n],
  ] as const) {
    if (rest >= size) {
      parts.push(`${rest / size}${unit}`);
      rest %= size;
    }
  }
  return parts.join(" ");
}

/** Formats a Unix time in seconds as an ISO-8601 UTC string. */
export function formatTime(seconds: bigint | number): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

// ------------------------------------------------------------------------------------------------
// Errors
// ------------------------------------------------------------------------------------------------

/** Every custom error the suite can revert with, for decoding revert data. */
const ERROR_INTERFACES: Interface[] = Object.values(PROTOCOL_FACTORIES).map((factory) => factory.createInterface());

type Explain = (args: Result) => string;

/** One sentence for each revert a user can cause from the CLI. */
const EXPLANATIONS: Record<string, Explain> = {
  // Every protocol contract (ProtocolAdmin): governance ownership, treasury, guardian pause.
  ProtocolAdminZeroAddress: () => "The address must not be the zero address.",
  ProtocolAdminNotGuardian: (a) => `${String(a[0])} may not pause: only the guardian and governance may.`,
  ProtocolAdminPaused: () =>
    "The contract is paused by the guardian (only governance unpauses); claims, refunds and withdrawals still work.",
  ProtocolAdminNotPaused: () => "The contract is not paused.",
  ProtocolAdminInvalidRecipient: (a) =>
    `${String(a[0])} cannot receive this OPEN: it would be locked there (a protocol contract or the token); send it to an account.`,
  GovernanceRenounceDisabled: () => "Governance cannot be renounced: every parameter must keep an owner.",
  OwnableUnauthorizedAccount: (a) => `${String(a[0])} is not allowed to call this: only governance (the timelock) is.`,
  StakedOpenZeroAmount: () => "The amount must be greater than zero.",
  StakedOpenZeroAddress: () => "The address must not be the zero address.",
  StakedOpenNonTransferable: () => "gOPEN cannot be transferred; unstake it instead.",
  StakedOpenAmountTooLarge: (a) => `Staking ${formatOpen(a[0] as bigint)} more would exceed what gOPEN can hold.`,
  StakedOpenInsufficientStake: (a) =>
    `${String(a[0])} has ${formatOpen(a[1] as bigint, "gOPEN")} staked, less than the ${formatOpen(a[2] as bigint, "gOPEN")} requested.`,
  StakedOpenNothingToWithdraw: (a) => `${String(a[0])} has no queued withdrawal; request an unstake first.`,
  StakedOpenCooldownActive: (a) =>
    `The queued withdrawal of ${String(a[0])} is released at ${formatTime(a[1] as bigint)}; try again after that.`,
  StakedOpenWithdrawalsFrozen: (a) =>
    `The withdrawals of ${String(a[0])} are frozen until ${formatTime(a[1] as bigint)} by a proposal to slash it; try again after that, unless governance lifts the freeze earlier.`,
  StakedOpenNotFreezer: (a) => `${String(a[0])} may not freeze withdrawals: only governance and the governor may.`,
  StakedOpenNothingToClaim: (a) => `${String(a[0])} has no staking rewards to claim.`,
  StakedOpenSlashExceedsBalance: (a) =>
    `${String(a[0])} has only ${formatOpen(a[1] as bigint)} of stake and queued withdrawal, less than the ${formatOpen(a[2] as bigint)} to slash.`,
  StakedOpenCooldownOutOfBounds: (a) =>
    `A cooldown of ${formatDuration(a[0] as bigint)} is outside the allowed range ${formatDuration(a[1] as bigint)} to ${formatDuration(a[2] as bigint)}.`,
  StakedOpenRewardPeriodOutOfBounds: (a) =>
    `A reward period of ${formatDuration(a[0] as bigint)} is outside the allowed range ${formatDuration(a[1] as bigint)} to ${formatDuration(a[2] as bigint)}.`,
  StakedOpenNoDust: () => "There is no whole wei of rounding dust to sweep.",
  ERC20InsufficientBalance: (a) =>
    `${String(a[0])} holds ${formatOpen(a[1] as bigint)}, less than the ${formatOpen(a[2] as bigint)} needed.`,
  ERC20InsufficientAllowance: (a) =>
    `The allowance of ${String(a[0])} is ${formatOpen(a[1] as bigint)}, less than the ${formatOpen(a[2] as bigint)} needed; approve more first.`,
  ERC2612ExpiredSignature: () => "The permit signature has expired; sign a new one.",
  ERC2612InvalidSigner: () => "The permit was not signed by the token owner.",
  GovernorNonexistentProposal: (a) => `There is no proposal ${String(a[0])}.`,
  GovernorUnexpectedProposalState: (a) =>
    `Proposal ${String(a[0])} is ${proposalStateName(Number(a[1]))}, which does not allow this action.`,
  GovernorInsufficientProposerVotes: (a) =>
    `${String(a[0])} has ${formatOpen(a[1] as bigint, "votes")}, below the proposal threshold of ${formatOpen(a[2] as bigint, "votes")}; stake and delegate first.`,
  GovernorAlreadyCastVote: (a) => `${String(a[0])} has already voted on this proposal.`,
  GovernorInvalidVoteType: () => "The vote must be for, against or abstain.",
  GovernorRestrictedProposer: (a) => `${String(a[0])} may not submit this proposal.`,
  DatanetRegistryUnknownDatanet: (a) => `There is no datanet ${String(a[0])}.`,
  DatanetRegistryDatanetClosed: (a) => `Datanet ${String(a[0])} is closed to contributions.`,
  DatanetRegistryNotDatanetOwner: (a) => `${String(a[1])} is not the owner of datanet ${String(a[0])}.`,
  DatanetRegistryNotCurator: (a) => `${String(a[1])} is not a curator of datanet ${String(a[0])}.`,
  DatanetRegistryNotCuratorOrGovernance: (a) =>
    `${String(a[1])} is neither a curator of datanet ${String(a[0])} nor governance.`,
  DatanetRegistryOwnerIsCurator: (a) => `The owner of datanet ${String(a[0])} is always a curator.`,
  DatanetRegistryRedundantContribution: (a) =>
    `This content is already contribution ${String(a[2])} of datanet ${String(a[0])}: it would be redundant.`,
  DatanetRegistryZeroContentHash: () => "The content hash must not be zero.",
  DatanetRegistryUnknownContribution: (a) => `There is no contribution ${String(a[0])}.`,
  DatanetRegistryUnexpectedContributionStatus: (a) =>
    `Contribution ${String(a[0])} is ${contributionStatusName(a[1] as bigint)}, which does not allow this action.`,
  DatanetRegistryMixedDatanets: (a) =>
    `Contribution ${String(a[0])} is in datanet ${String(a[2])}, not ${String(a[1])}: review one datanet at a time.`,
  DatanetRegistryInvalidBatchSize: (a) =>
    `A review batch holds 1 to ${String(a[1])} contributions, not ${String(a[0])}; split it.`,
  DatanetRegistryBondOutOfBounds: (a) =>
    `A bond of ${formatOpen(a[0] as bigint)} is outside the allowed range ${formatOpen(a[1] as bigint)} to ${formatOpen(a[2] as bigint)}.`,
  DatanetRegistryBondAboveMax: (a) =>
    `The datanet's bond is now ${formatOpen(a[0] as bigint)}, above your --max-bond of ${formatOpen(a[1] as bigint)}: nothing was pulled; raise --max-bond to accept it.`,
  DatanetRegistryNothingToClaim: (a) => `${String(a[0])} has no refunded bonds to claim.`,
  ModelRegistryUnknownModel: (a) => `There is no model ${String(a[0])}.`,
  ModelRegistryUnexpectedState: (a) =>
    `Model ${String(a[0])} is ${modelStateName(a[1] as bigint)}, which does not allow this action.`,
  ModelRegistryNotCreator: (a) => `${String(a[1])} is not the creator of model ${String(a[0])}.`,
  ModelRegistryUnknownDatanet: (a) => `There is no datanet ${String(a[0])}.`,
  ModelRegistryRateOutOfBounds: (a) =>
    `A rate of ${formatOpen(a[0] as bigint)} per 1,000 tokens is outside the allowed range ${formatOpen(a[1] as bigint)} to ${formatOpen(a[2] as bigint)}.`,
  ModelRegistryBondAboveMax: (a) =>
    `The proposal bond is now ${formatOpen(a[0] as bigint)}, above your --max-bond of ${formatOpen(a[1] as bigint)}: nothing was pulled; raise --max-bond to accept it.`,
  InferenceRouterModelNotActive: (a) =>
    `Model ${String(a[0])} is ${modelStateName(a[1] as bigint)}; only Active models take inference.`,
  InferenceRouterFeeAboveMax: (a) =>
    `The fee is now ${formatOpen(a[0] as bigint)}, above your --max-fee of ${formatOpen(a[1] as bigint)} (the rates changed since the quote): nothing was paid.`,
  InferenceRouterDuplicateRequest: (a) =>
    `${String(a[0])} already paid request ${String(a[1])}, as inference ${String(a[2])}; use a new --request-id.`,
  InferenceRouterUnknownInference: (a) => `There is no inference ${String(a[0])}.`,
  InferenceRouterNotPending: (a) => `Inference ${String(a[0])} is ${inferenceStatusName(a[1] as bigint)}, not Pending.`,
  InferenceRouterReportExpired: (a) =>
    `The report for inference ${String(a[0])} expired at ${formatTime(a[1] as bigint)}; sign a new one.`,
  InferenceRouterWindowClosed: (a) =>
    `The attribution window of inference ${String(a[0])} has closed: it can only expire now (attribution:expire).`,
  InferenceRouterWindowOpen: (a) =>
    `The attribution window of inference ${String(a[0])} is still open (inference:show tells when it closes).`,
  InferenceRouterMalformedReport: (a) =>
    `The report for inference ${String(a[0])} is not well-formed ABI data; sign it again with attribution:sign.`,
  InferenceRouterTooManyContributions: (a) =>
    `A report may name at most ${String(a[1])} contributions, not ${String(a[0])}.`,
  InferenceRouterWeightsExceedWad: (a) => `The weights of the report for inference ${String(a[0])} sum to more than 1.`,
  InferenceRouterInvalidContribution: (a) =>
    `Contribution ${String(a[1])} cannot be named for inference ${String(a[0])}: unknown, never accepted, outside the model's datanets, or out of order.`,
  InferenceRouterInvalidBatchSize: (a) => `A batch holds 1 to ${String(a[1])} reports, not ${String(a[0])}; split it.`,
  InferenceRouterBatchTooLarge: (a) =>
    `A batch may name at most ${String(a[1])} contributions in all, not ${String(a[0])}; split it.`,
  InferenceRouterNothingToClaim: (a) => `${String(a[0])} has no inference earnings to claim.`,
  InferenceRouterNothingToSweep: () => "Nothing is owed to the treasury.",
  InferenceRouterNothingToRelease: () => "No stakers' share is waiting to be released.",
  AttributionOracleTooFewSignatures: (a) =>
    `The report carries ${String(a[0])} signature(s); the oracle needs ${String(a[1])}.`,
  AttributionOracleUnknownSigner: (a) => `${String(a[0])} is not a registered oracle signer.`,
  AttributionOracleDuplicateSigner: (a) => `${String(a[0])} signed the report twice.`,
  AttributionOracleSignersNotSorted: () => "The signatures must be sorted by signer address.",
  AttributionOracleMalformedSignature: (a) => `The signature of ${String(a[0])} is malformed.`,
  AttributionOracleInvalidSignature: (a) =>
    `The signature of ${String(a[0])} does not sign this report (another router, chain or content).`,
  TimelockUnexpectedOperationState: () =>
    "The timelock operation is not ready: wait for the timelock delay to pass after queueing.",
  TimelockUnderlyingTransactionReverted: () => "The proposal's call reverted when the timelock executed it.",
};

/** Governor ProposalState enum, by value. */
export const PROPOSAL_STATES = [
  "Pending",
  "Active",
  "Canceled",
  "Defeated",
  "Succeeded",
  "Queued",
  "Expired",
  "Executed",
] as const;

export function proposalStateName(state: number): string {
  return PROPOSAL_STATES[state] ?? `unknown state ${state}`;
}

function findRevertData(error: unknown, depth = 0): string | undefined {
  if (depth > 6 || typeof error !== "object" || error === null) return undefined;
  const record = error as Record<string, unknown>;
  const data = record.data;
  if (typeof data === "string" && /^0x[0-9a-fA-F]{8}/.test(data)) return data;
  for (const key of ["error", "info", "cause", "data"]) {
    const found = findRevertData(record[key], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Decodes a custom error from revert data into its name and arguments. */
export function decodeRevert(error: unknown): { name: string; args: Result } | undefined {
  const data = findRevertData(error);
  if (data === undefined) return undefined;
  for (const iface of ERROR_INTERFACES) {
    try {
      const parsed = iface.parseError(data);
      if (parsed !== null) return { name: parsed.name, args: parsed.args };
    } catch {
      // Not this interface's error: try the next one.
    }
  }
  return undefined;
}

/**
 * A one-sentence description of an error the user can act on, or undefined for a bug. Covers
 * UserError, custom-error reverts of the suite, and common node answers (no funds, no connection).
 */
export function describeError(error: unknown): string | undefined {
  if (error instanceof UserError) return error.message;
  const decoded = decodeRevert(error);
  if (decoded !== undefined) {
    const explain = EXPLANATIONS[decoded.name];
    if (explain !== undefined) return explain(decoded.args);
    return `The contract rejected the transaction with ${decoded.name}(${decoded.args.map(String).join(", ")}).`;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/insufficient funds/i.test(message)) return "The sending account has not enough ETH to pay for gas.";
  if (/ECONNREFUSED|could not detect network|failed to detect network/i.test(message)) {
    return "Could not reach the network's RPC endpoint; check that the node is running and the URL is right.";
  }
  if (error instanceof Error && error.name === "DeploymentError") return error.message;
  if (error instanceof Error && error.name === "UnknownChainError") return error.message;
  return undefined;
}
