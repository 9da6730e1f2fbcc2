/**
 * One sentence for every custom error of every contract of the suite (OPEN, gOPEN, governor, timelock,
 * registries, oracle, router), including those they inherit from OpenZeppelin. A test checks that this
 * table names exactly the errors of the deployed contracts' ABIs.
 *
 * The sentences name the values and, where there is one, the fix; they never name a CLI option (the CLI
 * adds its own hints).
 */
import { ZeroHash, id } from "ethers";

import {
  ContributionStatus,
  InferenceStatus,
  ModelState,
  OperationState,
  ProposalState,
  nameOf,
  type EnumTable,
} from "./enums.js";
import { formatDuration, formatOpen, formatTime } from "./format.js";

/** A value an error carries, as ethers decodes it: uints as bigints, addresses and bytes as hex strings. */
export type ErrorValue = bigint | string | boolean | readonly ErrorValue[];

/** An error's arguments by name (the ABI's parameter names, or the client's). */
export type ErrorArgs = Readonly<Record<string, ErrorValue>>;

/** Reads an error's arguments for its sentence. */
export class ArgReader {
  constructor(readonly args: ErrorArgs) {}

  /** The argument as a bigint (0 when absent: the sentence still reads). */
  n(key: string): bigint {
    const value = this.args[key];
    return typeof value === "bigint" ? value : 0n;
  }

  s(key: string): string {
    return String(this.args[key] ?? "");
  }

  open(key: string, symbol?: string): string {
    return formatOpen(this.n(key), symbol);
  }

  time(key: string): string {
    return formatTime(this.n(key));
  }

  duration(key: string): string {
    return formatDuration(this.n(key));
  }

  /** An enum argument's name. */
  name(key: string, table: EnumTable): string {
    return nameOf(table, this.n(key));
  }

  /** The members of `table` set in a bytes32 bitmap (OpenZeppelin's expected-states arguments), joined. */
  states(key: string, table: EnumTable): string {
    const bitmap = BigInt(this.s(key) || "0");
    const names = Object.entries(table)
      .filter(([, value]) => ((bitmap >> value) & 1n) === 1n)
      .map(([name]) => name);
    return names.length === 0 ? "in another state" : names.join(" or ");
  }
}

type Sentence = (a: ArgReader) => string;

const ROLES = new Map<string, string>([
  [ZeroHash, "admin"],
  [id("PROPOSER_ROLE"), "proposer"],
  [id("EXECUTOR_ROLE"), "executor"],
  [id("CANCELLER_ROLE"), "canceller"],
]);

const outOfBounds = (what: string, key: string, format: (a: ArgReader, key: string) => string): Sentence => {
  return (a) => `${what} of ${format(a, key)} is outside the allowed range ${format(a, "min")} to ${format(a, "max")}.`;
};
const asOpen = (a: ArgReader, key: string) => a.open(key);
const asDuration = (a: ArgReader, key: string) => a.duration(key);
const zeroAddress: Sentence = () => "The address must not be the zero address.";

/** The sentence of each custom error, by error name. */
export const CONTRACT_ERRORS = {
  // ProtocolAdmin and GovernanceOwned: every contract that holds money or parameters.
  ProtocolAdminZeroAddress: zeroAddress,
  ProtocolAdminNotGuardian: (a) => `${a.s("caller")} may not pause: only the guardian and governance may.`,
  ProtocolAdminPaused: () =>
    "The contract is paused by the guardian (only governance unpauses); claims, refunds and withdrawals still work.",
  ProtocolAdminNotPaused: () => "The contract is not paused.",
  ProtocolAdminInvalidRecipient: (a) =>
    `${a.s("recipient")} cannot receive this OPEN: it would be locked there (a protocol contract or the token); send it to an account.`,
  GovernanceRenounceDisabled: () => "Governance cannot be renounced: every parameter must keep an owner.",
  OwnableUnauthorizedAccount: (a) =>
    `${a.s("account")} is not allowed to call this: only governance (the timelock) is.`,
  OwnableInvalidOwner: (a) => `${a.s("owner")} cannot own the contract.`,
  ReentrancyGuardReentrantCall: () => "The contract was called again while it was still running a call.",
  SafeERC20FailedOperation: (a) => `The token ${a.s("token")} refused the transfer.`,
  SafeCastOverflowedUintDowncast: (a) => `The value ${a.n("value")} does not fit in ${a.n("bits")} bits.`,
  InvalidAccountNonce: (a) =>
    `The signature of ${a.s("account")} uses a stale nonce (the current one is ${a.n("currentNonce")}); sign again.`,
  InvalidShortString: () => "The contract's EIP-712 name or version is not a valid short string.",
  StringTooLong: (a) => `The string "${a.s("str")}" is too long.`,
  ECDSAInvalidSignature: () => "The signature is invalid.",
  ECDSAInvalidSignatureLength: (a) => `The signature is ${a.n("length")} bytes long; a signature has 65.`,
  ECDSAInvalidSignatureS: () => "The signature is malleable (its s value is in the upper half of the curve order).",

  // OpenToken (OpenZeppelin ERC20, ERC20Permit).
  ERC20InsufficientBalance: (a) =>
    `${a.s("sender")} holds ${a.open("balance")}, less than the ${a.open("needed")} needed.`,
  ERC20InsufficientAllowance: (a) =>
    `The allowance of ${a.s("spender")} is ${a.open("allowance")}, less than the ${a.open("needed")} needed; approve more first.`,
  ERC20InvalidApprover: (a) => `${a.s("approver")} cannot approve: it is the zero address.`,
  ERC20InvalidReceiver: (a) => `OPEN cannot be sent to ${a.s("receiver")}.`,
  ERC20InvalidSender: (a) => `OPEN cannot be sent from ${a.s("sender")}.`,
  ERC20InvalidSpender: (a) => `${a.s("spender")} cannot be approved as a spender.`,
  ERC2612ExpiredSignature: (a) => `The permit signature expired at ${a.time("deadline")}; sign a new one.`,
  ERC2612InvalidSigner: (a) => `The permit was signed by ${a.s("signer")}, not by the token owner ${a.s("owner")}.`,

  // StakedOpen (gOPEN).
  StakedOpenZeroAmount: () => "The amount must be greater than zero.",
  StakedOpenZeroAddress: zeroAddress,
  StakedOpenNonTransferable: () => "gOPEN cannot be transferred; unstake it instead.",
  StakedOpenAmountTooLarge: (a) => `Staking ${a.open("amount")} more would exceed what gOPEN can hold.`,
  StakedOpenInsufficientStake: (a) =>
    `${a.s("account")} has ${a.open("balance", "gOPEN")} staked, less than the ${a.open("requested", "gOPEN")} requested.`,
  StakedOpenNothingToWithdraw: (a) => `${a.s("account")} has no queued withdrawal; request an unstake first.`,
  StakedOpenCooldownActive: (a) =>
    `The queued withdrawal of ${a.s("account")} is released at ${a.time("releaseTime")}; try again after that.`,
  StakedOpenWithdrawalsFrozen: (a) =>
    `The withdrawals of ${a.s("account")} are frozen until ${a.time("until")} by a proposal to slash it; try again after that, unless governance lifts the freeze earlier.`,
  StakedOpenNotFreezer: (a) => `${a.s("caller")} may not freeze withdrawals: only governance and the governor may.`,
  StakedOpenNothingToClaim: (a) => `${a.s("account")} has no staking rewards to claim.`,
  StakedOpenSlashExceedsBalance: (a) =>
    `${a.s("account")} has only ${a.open("available")} of stake and queued withdrawal, less than the ${a.open("requested")} to slash.`,
  StakedOpenCooldownOutOfBounds: outOfBounds("A cooldown", "cooldown", asDuration),
  StakedOpenRewardPeriodOutOfBounds: outOfBounds("A reward period", "period", asDuration),
  StakedOpenNoDust: () => "There is no whole wei of rounding dust to sweep.",
  StakedOpenFutureLookup: (a) =>
    `Votes at ${a.time("timepoint")} are not known yet: the clock is at ${a.time("clock")}; ask for a past time.`,
  StakedOpenCheckpointOutOfRange: (a) => `There is no vote checkpoint ${a.n("pos")}: the account has ${a.n("count")}.`,
  VotesExpiredSignature: (a) => `The delegation signature expired at ${a.time("expiry")}; sign a new one.`,

  // ProtocolGovernor (OpenZeppelin Governor and its extensions).
  GovernorNonexistentProposal: (a) => `There is no proposal ${a.n("proposalId")}.`,
  GovernorUnexpectedProposalState: (a) =>
    `Proposal ${a.n("proposalId")} is ${a.name("current", ProposalState)}; this needs it ${a.states("expectedStates", ProposalState)}.`,
  GovernorInsufficientProposerVotes: (a) =>
    `${a.s("proposer")} has ${a.open("votes", "votes")}, below the proposal threshold of ${a.open("threshold", "votes")}; stake and delegate first.`,
  GovernorAlreadyCastVote: (a) => `${a.s("voter")} has already voted on this proposal.`,
  GovernorAlreadyQueuedProposal: (a) => `Proposal ${a.n("proposalId")} is already queued.`,
  GovernorInvalidVoteType: () => "The vote must be for, against or abstain.",
  GovernorInvalidVoteParams: () => "This governor takes no vote parameters.",
  GovernorInvalidSignature: (a) => `The vote signature is not ${a.s("voter")}'s.`,
  GovernorRestrictedProposer: (a) => `${a.s("proposer")} may not submit this proposal.`,
  GovernorInvalidProposalLength: (a) =>
    `A proposal needs as many targets, calldatas and values: it has ${a.n("targets")}, ${a.n("calldatas")} and ${a.n("values")}.`,
  GovernorInvalidQuorumFraction: (a) =>
    `A quorum of ${a.n("quorumNumerator")}/${a.n("quorumDenominator")} is not a fraction of the supply.`,
  GovernorInvalidVotingPeriod: (a) => `A voting period of ${a.duration("votingPeriod")} is not allowed.`,
  GovernorOnlyExecutor: (a) => `${a.s("account")} is not the governor's executor (the timelock).`,
  GovernorDisabledDeposit: () => "The governor does not take ETH: the timelock holds the treasury.",
  GovernorProposalQueueingFailed: (a) => `Proposal ${a.n("proposalId")} could not be queued in the timelock.`,
  GovernorProposalQueueingNotRequired: (a) => `Proposal ${a.n("proposalId")} does not need queueing.`,
  GovernorUnableToCancel: (a) => `${a.s("account")} cannot cancel proposal ${a.n("proposalId")} now.`,
  CheckpointUnorderedInsertion: () => "A checkpoint older than the latest cannot be written.",
  ERC6372InconsistentClock: () => "The votes token's clock does not match its clock mode.",
  FailedCall: () => "A call made on the proposal's behalf failed.",

  // ProtocolTimelock (OpenZeppelin TimelockController, AccessControl).
  TimelockUnexpectedOperationState: (a) =>
    (BigInt(a.s("expectedStates") || "0") >> OperationState.Ready) & 1n
      ? "The timelock operation is not ready: wait for the timelock delay to pass after queueing."
      : `The timelock operation is not ${a.states("expectedStates", OperationState)}.`,
  TimelockInsufficientDelay: (a) =>
    `A delay of ${a.duration("delay")} is below the timelock's minimum of ${a.duration("minDelay")}.`,
  TimelockInvalidOperationLength: (a) =>
    `A timelock operation needs as many targets, payloads and values: it has ${a.n("targets")}, ${a.n("payloads")} and ${a.n("values")}.`,
  TimelockUnauthorizedCaller: (a) => `${a.s("caller")} may not call the timelock this way.`,
  TimelockUnexecutedPredecessor: (a) => `The timelock operation ${a.s("predecessorId")} must be executed first.`,
  AccessControlUnauthorizedAccount: (a) =>
    `${a.s("account")} lacks the timelock's ${ROLES.get(a.s("neededRole")) ?? a.s("neededRole")} role needed for this.`,
  AccessControlBadConfirmation: () => "A role can only be renounced by its own holder.",

  // DatanetRegistry.
  DatanetRegistryZeroAddress: zeroAddress,
  DatanetRegistryUnknownDatanet: (a) => `There is no datanet ${a.n("datanetId")}.`,
  DatanetRegistryDatanetClosed: (a) => `Datanet ${a.n("datanetId")} is closed to contributions.`,
  DatanetRegistryNotDatanetOwner: (a) => `${a.s("caller")} is not the owner of datanet ${a.n("datanetId")}.`,
  DatanetRegistryNotCurator: (a) => `${a.s("caller")} is not a curator of datanet ${a.n("datanetId")}.`,
  DatanetRegistryNotCuratorOrGovernance: (a) =>
    `${a.s("caller")} is neither a curator of datanet ${a.n("datanetId")} nor governance.`,
  DatanetRegistryOwnerIsCurator: (a) => `The owner of datanet ${a.n("datanetId")} is always a curator.`,
  DatanetRegistryRedundantContribution: (a) =>
    `This content is already contribution ${a.n("existingContributionId")} of datanet ${a.n("datanetId")}: it would be redundant.`,
  DatanetRegistryZeroContentHash: () => "The content hash must not be zero.",
  DatanetRegistryZeroMerkleRoot: () => "The version's Merkle root must not be zero.",
  DatanetRegistryUnknownContribution: (a) => `There is no contribution ${a.n("contributionId")}.`,
  DatanetRegistryUnexpectedContributionStatus: (a) =>
    `Contribution ${a.n("contributionId")} is ${a.name("status", ContributionStatus)}, which does not allow this action.`,
  DatanetRegistryMixedDatanets: (a) =>
    `Contribution ${a.n("contributionId")} is in datanet ${a.n("actualDatanetId")}, not ${a.n("expectedDatanetId")}: review one datanet at a time.`,
  DatanetRegistryInvalidBatchSize: (a) =>
    `A review batch holds 1 to ${a.n("max")} contributions, not ${a.n("count")}; split it.`,
  DatanetRegistryLengthMismatch: (a) =>
    `A review needs one decision per contribution: ${a.n("ids")} contributions, ${a.n("decisions")} decisions.`,
  DatanetRegistryBondOutOfBounds: outOfBounds("A bond", "bond", asOpen),
  DatanetRegistryInvalidBondBounds: (a) =>
    `Bond bounds ${a.open("min")} to ${a.open("max")} are not allowed: the minimum must not exceed the maximum, nor the maximum ${a.open("cap")}.`,
  DatanetRegistryBondAboveMax: (a) =>
    `The datanet's bond is now ${a.open("bond")}, above the ${a.open("maxBond")} the contributor accepts: nothing was pulled.`,
  DatanetRegistryNothingToClaim: (a) => `${a.s("account")} has no refunded bonds to claim.`,
  DatanetRegistryUnknownVersion: (a) => `Datanet ${a.n("datanetId")} has no version ${a.n("version")}.`,
  DatanetRegistryInvalidVersionCount: (a) =>
    `A version of ${a.n("count")} contributions is not possible: the datanet has ${a.n("acceptedCount")} accepted.`,

  // ModelRegistry.
  ModelRegistryZeroAddress: zeroAddress,
  ModelRegistryUnknownModel: (a) => `There is no model ${a.n("modelId")}.`,
  ModelRegistryUnexpectedState: (a) =>
    `Model ${a.n("modelId")} is ${a.name("current", ModelState)}, which does not allow this action.`,
  ModelRegistryNotCreator: (a) => `${a.s("caller")} is not the creator of model ${a.n("modelId")}.`,
  ModelRegistryNotCreatorOrGovernance: (a) =>
    `${a.s("caller")} is neither the creator of model ${a.n("modelId")} nor governance.`,
  ModelRegistryUnknownDatanet: (a) => `There is no datanet ${a.n("datanetId")}.`,
  ModelRegistryDatanetsNotSorted: (a) =>
    `A model's datanets must be listed in increasing order without repeats (entry ${a.n("index")} is not).`,
  ModelRegistryInvalidDatanetCount: (a) => `A model names 1 to ${a.n("max")} datanets, not ${a.n("count")}.`,
  ModelRegistryRateOutOfBounds: (a) =>
    `A rate of ${a.open("rate")} per 1,000 tokens is outside the allowed range ${a.open("min")} to ${a.open("max")}.`,
  ModelRegistryInvalidRateBounds: (a) =>
    `Rate bounds ${a.open("min")} to ${a.open("max")} are not allowed: the minimum must not exceed the maximum, nor the maximum ${a.open("cap")}.`,
  ModelRegistryBondAboveMax: (a) =>
    `The proposal bond is now ${a.open("bond")}, above the ${a.open("maxBond")} the proposer accepts: nothing was pulled.`,
  ModelRegistryProposalBondTooHigh: (a) =>
    `A proposal bond of ${a.open("bond")} is above the maximum of ${a.open("max")}.`,
  ModelRegistryInvalidBaseModel: (a) =>
    `Model ${a.n("baseModelId")} is ${a.name("state", ModelState)}: a LoRA adapter needs a base model with weights (Trained, Active or Suspended).`,
  ModelRegistryZeroArtifactHash: () => "The artifact hash must not be zero.",

  // AttributionOracle.
  AttributionOracleZeroAddress: zeroAddress,
  AttributionOracleTooFewSignatures: (a) =>
    `The report carries ${a.n("count")} signature(s); the oracle needs ${a.n("threshold")}.`,
  AttributionOracleUnknownSigner: (a) => `${a.s("signer")} is not a registered oracle signer.`,
  AttributionOracleDuplicateSigner: (a) => `${a.s("signer")} signed the report twice.`,
  AttributionOracleSignersNotSorted: (a) =>
    `The signatures must be sorted by signer address (signature ${a.n("index")} is out of order).`,
  AttributionOracleMalformedSignature: (a) => `The signature of ${a.s("signer")} is malformed.`,
  AttributionOracleInvalidSignature: (a) =>
    `The signature of ${a.s("signer")} does not sign this report (another router, chain or content).`,
  AttributionOracleInvalidThreshold: (a) =>
    `A threshold of ${a.n("threshold")} is not between 1 and the ${a.n("signerCount")} signer(s).`,
  AttributionOracleSignerExists: (a) => `${a.s("signer")} is already an oracle signer.`,
  AttributionOracleTooManySigners: (a) => `The oracle holds at most ${a.n("max")} signers.`,
  AttributionOracleNotBinder: (a) =>
    `${a.s("caller")} may not bind the oracle to a router: only its deployer or governance may.`,
  AttributionOracleAlreadyBound: (a) => `The oracle is already bound to the router at ${a.s("router")}.`,
  SignerSetPublishFailed: () => "The oracle could not publish its signer set (the data contract was not created).",

  // InferenceRouter.
  InferenceRouterZeroAddress: zeroAddress,
  InferenceRouterNotOracle: (a) => `Only the router's oracle sends its signer set; ${a.s("caller")} is not the oracle.`,
  InferenceRouterNoSignerSet: () =>
    "The router has no oracle signer set yet (its oracle is not bound to it): nothing can settle until it is.",
  InferenceRouterModelNotActive: (a) =>
    `Model ${a.n("modelId")} is ${a.name("state", ModelState)}; only Active models take inference.`,
  InferenceRouterFeeAboveMax: (a) =>
    `The fee is now ${a.open("fee")}, above the ${a.open("maxFee")} the payer accepts (the rates changed since the quote): nothing was paid.`,
  InferenceRouterDuplicateRequest: (a) =>
    `${a.s("payer")} already paid request ${a.s("requestId")}, as inference ${a.n("inferenceId")}; use a new request id.`,
  InferenceRouterUnknownInference: (a) => `There is no inference ${a.n("inferenceId")}.`,
  InferenceRouterNotPending: (a) =>
    `Inference ${a.n("inferenceId")} is ${a.name("status", InferenceStatus)}, not Pending.`,
  InferenceRouterReportExpired: (a) =>
    `The report for inference ${a.n("inferenceId")} expired at ${a.time("deadline")}; sign a new one.`,
  InferenceRouterWindowClosed: (a) =>
    `The attribution window of inference ${a.n("inferenceId")} has closed: it can only expire now.`,
  InferenceRouterWindowOpen: (a) => `The attribution window of inference ${a.n("inferenceId")} is still open.`,
  InferenceRouterMalformedReport: (a) =>
    `The report for inference ${a.n("inferenceId")} is not well-formed ABI data; sign it again.`,
  InferenceRouterTooManyContributions: (a) =>
    `A report may name at most ${a.n("max")} contributions, not ${a.n("count")}.`,
  InferenceRouterWeightsExceedWad: (a) =>
    `The weights of the report for inference ${a.n("inferenceId")} sum to more than 1.`,
  InferenceRouterInvalidContribution: (a) =>
    `Contribution ${a.n("contributionId")} cannot be named for inference ${a.n("inferenceId")}: unknown, never accepted, outside the model's datanets, or out of order.`,
  InferenceRouterLengthMismatch: (a) =>
    `A report needs one weight per contribution: ${a.n("ids")} contributions, ${a.n("weights")} weights.`,
  InferenceRouterInvalidBatchSize: (a) => `A batch holds 1 to ${a.n("max")} reports, not ${a.n("count")}; split it.`,
  InferenceRouterBatchTooLarge: (a) =>
    `A batch may name at most ${a.n("max")} contributions in all, not ${a.n("count")}; split it.`,
  InferenceRouterNothingToClaim: (a) => `${a.s("account")} has no inference earnings to claim.`,
  InferenceRouterNothingToSweep: () => "Nothing is owed to the treasury.",
  InferenceRouterNothingToRelease: () => "No stakers' share is waiting to be released.",
  InferenceRouterInvalidSplit: (a) => `The fee split sums to ${a.n("sum")} basis points, not 10,000.`,
  InferenceRouterPlatformFeeTooHigh: (a) =>
    `A platform fee of ${a.open("fee")} is above the maximum of ${a.open("max")}.`,
  InferenceRouterThresholdTooHigh: (a) =>
    `An attribution threshold of ${a.n("threshold")} is above the maximum of ${a.n("max")} (1e18 = 100%).`,
  InferenceRouterWindowOutOfBounds: outOfBounds("An attribution window", "window", asDuration),
} as const satisfies Record<string, Sentence>;

/** The name of a custom error of the suite. */
export type ContractErrorName = keyof typeof CONTRACT_ERRORS;

export function isContractErrorName(name: string): name is ContractErrorName {
  return Object.prototype.hasOwnProperty.call(CONTRACT_ERRORS, name);
}
