/**
 * The checks the client makes before it sends anything, each with its code, the values it carries and its
 * sentence. A dapp switches on `error.code`; a person reads `error.message`. The sentences never name a CLI
 * option or command (the CLI adds its own hints).
 */
import { ProtocolError, type ErrorArgs } from "./errors.js";
import { formatDuration, formatOpen, formatTime } from "./format.js";

/**
 * Why the withdrawals of `account` are frozen until `until`, in a sentence: a governance proposal to slash it is
 * pending, so its queued OPEN stays slashable until governance decides.
 */
export function freezeNote(account: string, until: bigint): string {
  return (
    `The withdrawals of ${account} are frozen until ${formatTime(until)} by a proposal to slash it: ` +
    "its queued OPEN stays slashable until governance decides (governance may lift the freeze earlier)."
  );
}

/** Why an inference cannot be settled: it is not Pending (`closingTime` 0), or its window closed at `closingTime`. */
export function unsettleableReason(status: string, closingTime: bigint): string {
  return status !== "Pending"
    ? `it is ${status}`
    : `its attribution window closed at ${formatTime(closingTime)}; it can only expire`;
}

type Address = string;

/** Every check of the client: its code, and the sentence of its values. */
const CLIENT_ERRORS = {
  // Inputs.
  NoSigner: (_: Record<never, never>) => "This needs a signer: the client was made with a provider only.",
  NotMinedYet: (a: { hash: string; nonce: bigint; seconds: bigint }) =>
    `Transaction ${a.hash} (nonce ${a.nonce}) was sent but not mined within ${a.seconds} s; it may still be mined, or be replaced with higher fees.`,
  IdOutOfRange: (a: { what: string; value: bigint }) =>
    `${a.value} is not a ${a.what}: ids are whole numbers below 2^256.`,
  ZeroAddress: (a: { what: string }) => `${capitalize(a.what)} must not be the zero address.`,
  ZeroAmount: (a: { what: string }) => `${capitalize(a.what)} must be greater than zero.`,
  RecipientIsProtocolContract: (a: { recipient: Address; contract: string }) =>
    `${a.recipient} is the protocol's ${a.contract} contract: OPEN sent there would be locked; send it to an account.`,
  InvalidAmount: (a: { what: string; text: string }) =>
    `${capitalize(a.what)} must be a number of OPEN such as 100 or 12.5, not "${a.text}".`,
  TooManyDecimals: (a: { what: string; text: string; decimals: bigint }) =>
    `${capitalize(a.what)} has more than ${a.decimals} decimals: "${a.text}".`,
  InvalidAddress: (a: { what: string; text: string }) =>
    `${capitalize(a.what)} must be an address (0x and 40 hex digits), not "${a.text}".`,
  WrongNetwork: (a: { chainId: bigint; expectedChainId: bigint }) =>
    `The wallet is on chain ${a.chainId}, but this deployment of the protocol is on chain ${a.expectedChainId}: switch the wallet to chain ${a.expectedChainId}.`,
  InsufficientBalance: (a: { account: Address; balance: bigint; needed: bigint; what: string }) =>
    `${a.account} holds ${formatOpen(a.balance)}, less than the ${formatOpen(a.needed)} ${a.what}.`,

  // Staking.
  StakingPaused: (_: Record<never, never>) =>
    "Staking is paused by the guardian (only governance unpauses); unstaking, withdrawals and claims still work.",
  InsufficientStake: (a: { account: Address; staked: bigint; amount: bigint }) =>
    `${a.account} has ${formatOpen(a.staked, "gOPEN")} staked, less than the ${formatOpen(a.amount, "gOPEN")} to unstake.`,
  NothingQueued: (a: { account: Address }) => `${a.account} has no queued withdrawal; request an unstake first.`,
  CooldownActive: (a: { account: Address; amount: bigint; releaseTime: bigint }) =>
    `The ${formatOpen(a.amount)} queued by ${a.account} is released at ${formatTime(a.releaseTime)}; try again after that.`,
  WithdrawalsFrozen: (a: { account: Address; until: bigint }) => freezeNote(a.account, a.until),
  NoStakingRewards: (a: { account: Address }) => `${a.account} has no staking rewards to claim yet.`,
  NoDust: (_: Record<never, never>) => "There is no whole wei of rounding dust to sweep.",

  // Governance.
  UnknownContract: (a: { name: string; known: string }) =>
    `There is no protocol contract "${a.name}": the contracts are ${a.known}.`,
  UnknownFunction: (a: { contract: string; name: string; known: string }) =>
    `${a.contract} has no function "${a.name}"; it has ${a.known}.`,
  WrongArgumentCount: (a: { contract: string; function: string; signature: string; expected: bigint; given: bigint }) =>
    `${a.contract}.${a.function} takes ${a.expected} argument(s) (${a.signature}), but ${a.given} were given.`,
  ArgumentsDoNotFit: (a: { signature: string; reason: string }) =>
    `The arguments do not fit ${a.signature}: ${a.reason}.`,
  NoActions: (_: Record<never, never>) => "A proposal needs at least one action.",
  EmptyDescription: (_: Record<never, never>) => "The description must not be empty: voters read it.",
  BelowProposalThreshold: (a: { account: Address; votes: bigint; threshold: bigint }) =>
    `${a.account} has ${formatOpen(a.votes, "votes")}, below the proposal threshold of ${formatOpen(a.threshold, "votes")}; stake and delegate to yourself first.`,
  BelowApprovalProposalThreshold: (a: { account: Address; votes: bigint; threshold: bigint }) =>
    `${a.account} has ${formatOpen(a.votes, "votes")}, below the ${formatOpen(a.threshold, "votes")} needed to file the approval proposal; stake and delegate first, or register the model without the proposal and ask a gOPEN holder to propose approveModel.`,
  DuplicateProposal: (a: { proposalId: bigint }) =>
    `An identical proposal already exists (id ${a.proposalId}); change the description to file it again.`,
  UnknownProposal: (a: { proposalId: bigint }) => `There is no proposal ${a.proposalId} on this governor.`,
  InvalidProposalId: (a: { text: string }) =>
    `"${a.text}" is not a proposal id: give the whole id (decimal or 0x hex) or its first 6 or more decimal digits.`,
  ProposalPrefixTooShort: (a: { prefix: string; min: bigint }) =>
    `There is no proposal ${a.prefix} on this governor, and a shortened proposal id needs at least ${a.min} digits.`,
  UnknownProposalPrefix: (a: { prefix: string }) =>
    `There is no proposal ${a.prefix} on this governor, nor one whose id starts with ${a.prefix}.`,
  AmbiguousProposalPrefix: (a: { prefix: string; count: bigint; matches: string }) =>
    `${a.count} proposals have ids starting with ${a.prefix} (${a.matches}); give more digits.`,
  InvalidProposalFile: (a: { where: string; problem: string }) => `${a.where}: ${a.problem}.`,
  ProposalEventMissing: (a: { proposalId: bigint; fromBlock: bigint }) =>
    `Proposal ${a.proposalId} exists but its ProposalCreated event was not found after block ${a.fromBlock}.`,
  ProposalNotInState: (a: { proposalId: bigint; state: string; expected: string; action: string }) =>
    `Proposal ${a.proposalId} is ${a.state}; it can be ${a.action} only when ${a.expected}.`,
  InvalidVoteSupport: (a: { choice: string }) => `A vote is for, against or abstain, not "${a.choice}".`,
  VotingNotOpen: (a: { proposalId: bigint; opensAfter: bigint }) =>
    `Voting on proposal ${a.proposalId} opens after ${formatTime(a.opensAfter)}; wait until then.`,
  AlreadyVoted: (a: { account: Address; proposalId: bigint }) =>
    `${a.account} has already voted on proposal ${a.proposalId}.`,
  NoVotingPower: (a: { account: Address; proposalId: bigint; snapshot: bigint }) =>
    `${a.account} had no votes at the snapshot of proposal ${a.proposalId} (${formatTime(a.snapshot)}), so it cannot vote on it: only gOPEN staked and delegated before a proposal's snapshot counts; stake OPEN and delegate its votes (to itself, or have a holder delegate to it) to vote on later proposals.`,
  TimelockNotReady: (a: { proposalId: bigint; eta: bigint }) =>
    `Proposal ${a.proposalId} can be executed from ${formatTime(a.eta)}, after the timelock delay.`,

  // Datanets.
  UnknownDatanet: (a: { datanetId: bigint }) => `There is no datanet ${a.datanetId}.`,
  UnknownContribution: (a: { contributionId: bigint }) => `There is no contribution ${a.contributionId}.`,
  BondOutOfBounds: (a: { bond: bigint; min: bigint; max: bigint }) =>
    `A bond of ${formatOpen(a.bond)} is outside the allowed range ${formatOpen(a.min)} to ${formatOpen(a.max)}.`,
  BondUnchanged: (a: { datanetId: bigint; bond: bigint }) =>
    `The bond of datanet ${a.datanetId} is already ${formatOpen(a.bond)}.`,
  NotDatanetOwner: (a: { datanetId: bigint; owner: Address; action: string }) =>
    `Only the owner of datanet ${a.datanetId} (${a.owner}) can ${a.action}.`,
  OwnerIsCurator: (a: { datanetId: bigint }) => `The owner of datanet ${a.datanetId} is always a curator.`,
  NotACuratorToRemove: (a: { account: Address; datanetId: bigint }) =>
    `${a.account} is not a curator of datanet ${a.datanetId}: there is nothing to remove.`,
  AlreadyACurator: (a: { account: Address; datanetId: bigint }) =>
    `${a.account} is already a curator of datanet ${a.datanetId}: there is nothing to add.`,
  DatanetAlreadyOpen: (a: { datanetId: bigint }) => `Datanet ${a.datanetId} is already open to contributions.`,
  DatanetAlreadyClosed: (a: { datanetId: bigint }) => `Datanet ${a.datanetId} is already closed to contributions.`,
  EmptyContent: (_: Record<never, never>) => "The content is empty: there is nothing to hash or register.",
  InvalidContentHash: (a: { contentHash: string }) =>
    `The content hash must be 32 bytes of hex (0x followed by 64 hex digits), not "${a.contentHash}".`,
  SizeOutOfRange: (a: { size: bigint }) => `A size of ${a.size} bytes does not fit in 64 bits.`,
  DatanetClosed: (a: { datanetId: bigint }) => `Datanet ${a.datanetId} is closed to contributions.`,
  ContributionsPaused: (_: Record<never, never>) =>
    "Contributions are paused by the guardian (only governance unpauses); reviews and refunds still work.",
  ZeroContentHash: (_: Record<never, never>) => "The content hash must not be zero.",
  RedundantContribution: (a: { datanetId: bigint; contributionId: bigint }) =>
    `This content is already contribution ${a.contributionId} of datanet ${a.datanetId}: it would be redundant.`,
  DatanetBondAboveMax: (a: { datanetId: bigint; bond: bigint; maxBond: bigint }) =>
    `The bond of datanet ${a.datanetId} is ${formatOpen(a.bond)}, above the ${formatOpen(a.maxBond)} you accept.`,
  NothingToReview: (_: Record<never, never>) => "Name at least one contribution to accept or reject.",
  ReviewTooLarge: (a: { count: bigint; max: bigint }) =>
    `A review holds at most ${a.max} contributions, not ${a.count}; review them in parts.`,
  ListedTwice: (a: { contributionId: bigint }) => `Contribution ${a.contributionId} is listed twice.`,
  WrongContributionStatus: (a: { contributionId: bigint; status: string; required: string; action: string }) =>
    `Contribution ${a.contributionId} is ${a.status}; only ${a.required} contributions can be ${a.action}.`,
  MixedDatanets: (a: { contributionId: bigint; datanetId: bigint; expected: bigint }) =>
    `Contribution ${a.contributionId} is in datanet ${a.datanetId}, not ${a.expected}: review one datanet at a time.`,
  NotCurator: (a: { account: Address; datanetId: bigint }) =>
    `${a.account} is not a curator of datanet ${a.datanetId}.`,
  NotCuratorToPenalize: (a: { account: Address; datanetId: bigint }) =>
    `${a.account} is not a curator of datanet ${a.datanetId}; governance can penalize through a proposal.`,
  NothingToPublish: (a: { datanetId: bigint }) => `Datanet ${a.datanetId} has no accepted contributions to publish.`,
  UnknownVersion: (a: { datanetId: bigint; version: bigint; versions: bigint }) =>
    `Datanet ${a.datanetId} has ${a.versions} published version(s), not version ${a.version}.`,
  TreeRootMismatch: (a: { root: string; published: string }) =>
    `The tree's root ${a.root} differs from the published root ${a.published}.`,
  NotInVersion: (a: { contributionId: bigint; datanetId: bigint; version: bigint }) =>
    `Contribution ${a.contributionId} is not in version ${a.version} of datanet ${a.datanetId}.`,
  ProofRejected: (a: { contributionId: bigint }) =>
    `The registry rejected the proof of contribution ${a.contributionId}.`,
  NoRefunds: (a: { account: Address }) => `${a.account} has no refunded bonds to claim.`,

  // Models.
  UnknownModel: (a: { modelId: bigint }) => `There is no model ${a.modelId}.`,
  NotModelCreator: (a: { modelId: bigint; creator: Address; action: string }) =>
    `Only the creator of model ${a.modelId} (${a.creator}) can ${a.action}.`,
  WrongModelState: (a: { modelId: bigint; state: string; required: string; action: string }) =>
    `Model ${a.modelId} is ${a.state}; it must be ${a.required} to ${a.action}.`,
  NoDatanets: (_: Record<never, never>) => "A model must name at least one datanet it is trained on.",
  DatanetListedTwice: (a: { datanetId: bigint }) => `Datanet ${a.datanetId} is listed twice.`,
  TooManyDatanets: (a: { count: bigint; max: bigint }) => `A model may name at most ${a.max} datanets, not ${a.count}.`,
  RateOutOfBounds: (a: { which: string; rate: bigint; min: bigint; max: bigint }) =>
    `The ${a.which} rate ${formatOpen(a.rate)} is outside the allowed range ${formatOpen(a.min)} to ${formatOpen(a.max)} per 1,000 tokens.`,
  ModelProposalsPaused: (_: Record<never, never>) =>
    "Model proposals are paused by the guardian (only governance unpauses).",
  ProposalBondAboveMax: (a: { bond: bigint; maxBond: bigint }) =>
    `The proposal bond is ${formatOpen(a.bond)}, above the ${formatOpen(a.maxBond)} you accept.`,
  InvalidArtifactHash: (a: { artifactHash: string }) =>
    `The artifact hash must be 32 bytes of hex, not zero, not "${a.artifactHash}".`,
  UnknownBaseModel: (a: { baseModelId: bigint }) => `There is no base model ${a.baseModelId}.`,
  BaseIsTheModel: (a: { baseModelId: bigint }) =>
    `Model ${a.baseModelId} cannot be its own base: a LoRA adapter needs a base model with weights (Trained, Active or Suspended).`,
  BaseWithoutWeights: (a: { baseModelId: bigint; state: string }) =>
    `Base model ${a.baseModelId} is ${a.state}; a LoRA adapter needs a base model with weights (Trained, Active or Suspended).`,

  // Inference.
  TokensOutOfRange: (a: { which: string; tokens: bigint }) =>
    `The ${a.which} token count ${a.tokens} must be a whole number below 2^64.`,
  ModelNotActive: (a: { modelId: bigint; state: string }) =>
    `Model ${a.modelId} is ${a.state}; only Active models take inference.`,
  InvalidRequestId: (a: { requestId: string }) =>
    `A request id is 32 bytes of hex (0x followed by 64 hex digits), not "${a.requestId}".`,
  FeeAboveMax: (a: { fee: bigint; maxFee: bigint }) =>
    `The fee is ${formatOpen(a.fee)}, above the ${formatOpen(a.maxFee)} you accept.`,
  AlreadyPaid: (a: { payer: Address; requestId: string; inferenceId: bigint; status: string }) =>
    `${a.payer} already paid request ${a.requestId}, as inference ${a.inferenceId} (${a.status}); use a new request id.`,
  PaymentsPaused: (_: Record<never, never>) =>
    "Inference payments are paused by the guardian (only governance unpauses); no attribution window runs out meanwhile.",
  UnknownInference: (a: { inferenceId: bigint }) => `There is no inference ${a.inferenceId}.`,
  InferenceEventMissing: (a: { inferenceId: bigint; fromBlock: bigint }) =>
    `Inference ${a.inferenceId} exists but its InferencePaid event was not found after block ${a.fromBlock}.`,
  InferenceNotPending: (a: { inferenceId: bigint; status: string }) =>
    `Inference ${a.inferenceId} is ${a.status}, not Pending.`,
  WindowOpen: (a: { inferenceId: bigint; closingTime: bigint }) =>
    `The attribution window of inference ${a.inferenceId} is open until ${formatTime(a.closingTime)}.`,
  WindowOpenWhilePaused: (a: { inferenceId: bigint; remaining: bigint }) =>
    `The attribution window of inference ${a.inferenceId} is still open: ${formatDuration(a.remaining)} of it remain on the router's active clock, which stands still while the router is paused.`,
  NoStakersShare: (_: Record<never, never>) =>
    "No stakers' share is waiting to be released: it accrues with every paid inference.",
  NothingOwedToTreasury: (_: Record<never, never>) => "Nothing is owed to the treasury.",
  NoInferenceEarnings: (a: { account: Address }) => `${a.account} has no inference earnings to claim.`,

  // Attribution.
  InvalidWeightsFile: (a: { where: string; problem: string }) => `${a.where}: ${a.problem}.`,
  InvalidSignedAttribution: (a: { where: string; problem: string }) =>
    `${a.where} is not a signed attribution (${a.problem}).`,
  NoReports: (_: Record<never, never>) => "There is no report to sign.",
  NoSigners: (_: Record<never, never>) => "Give at least one oracle signer.",
  ReportTooLarge: (a: { inferenceId: bigint; count: bigint; max: bigint }) =>
    `The report for inference ${a.inferenceId} names ${a.count} contributions; a report may name at most ${a.max}.`,
  WeightsMismatch: (a: { inferenceId: bigint; contributions: bigint; weights: bigint }) =>
    `The report for inference ${a.inferenceId} names ${a.contributions} contributions but ${a.weights} weights.`,
  ContributionsNotInOrder: (a: { inferenceId: bigint }) =>
    `The report for inference ${a.inferenceId} must list its contributions in increasing id order, each once.`,
  WeightsExceedOne: (a: { inferenceId: bigint }) =>
    `The weights of the report for inference ${a.inferenceId} sum to more than 1.`,
  BatchTooManyReports: (a: { count: bigint; max: bigint }) =>
    `A batch holds at most ${a.max} reports, not ${a.count}; split it.`,
  BatchTooManyContributions: (a: { count: bigint; max: bigint }) =>
    `The batch names ${a.count} contributions in all; a batch may name at most ${a.max}, so split it.`,
  AttributedTwice: (a: { inferenceId: bigint }) => `Inference ${a.inferenceId} is attributed twice in the batch.`,
  DuplicateSigner: (a: { signer: Address }) => `${a.signer} is given twice as a signer.`,
  UnregisteredSigner: (a: { signer: Address }) => `${a.signer} is not a registered oracle signer.`,
  TooFewSigners: (a: { count: bigint; threshold: bigint }) =>
    `The oracle needs ${a.threshold} signature(s) to settle a report; ${a.count} signer(s) would sign it.`,
  NotSettleable: (a: { inferenceId: bigint; status: string; closingTime: bigint }) =>
    `Inference ${a.inferenceId} cannot be settled: ${unsettleableReason(a.status, a.closingTime)}.`,
  ContributionNotNameable: (a: { contributionId: bigint; inferenceId: bigint; modelId: bigint; datanets: string }) =>
    `Contribution ${a.contributionId} cannot be named for inference ${a.inferenceId}: it was never accepted, or it is outside model ${a.modelId}'s datanets (${a.datanets}).`,
  ContributionPenalized: (a: { contributionId: bigint; inferenceId: bigint }) =>
    `Contribution ${a.contributionId} is penalized: it may not earn from inference ${a.inferenceId}, so a report should not weigh it.`,
  WrongDeployment: (a: { router: Address; chainId: bigint; expectedRouter: Address; expectedChainId: bigint }) =>
    `The report was signed for router ${a.router} on chain ${a.chainId}, not this deployment's ${a.expectedRouter} on chain ${a.expectedChainId}.`,
  TooFewSignatures: (a: { count: bigint; threshold: bigint }) =>
    `The report carries ${a.count} signature(s); the oracle needs ${a.threshold}.`,
  SignerNotRegistered: (a: { signer: Address }) =>
    `${a.signer} signed the report but is not a registered oracle signer (any more).`,
  SignatureMismatch: (a: { signer: Address }) =>
    `The signature of ${a.signer} does not sign these reports: the file was changed after it was signed.`,
  SettlementPaused: (_: Record<never, never>) =>
    "Settlement is paused by the guardian (only governance unpauses); attribution windows stand still meanwhile, so push again after the pause.",
  ReportExpired: (a: { inferenceId: bigint; deadline: bigint }) =>
    `The report for inference ${a.inferenceId} expired at ${formatTime(a.deadline)}; sign a new one.`,
  NothingToSettle: (a: { reasons: readonly string[] }) => `Nothing in the batch would settle: ${a.reasons.join("; ")}.`,
  MissingText: (a: { contributionId: bigint; datanetId: bigint }) =>
    `There is no text for contribution ${a.contributionId}, accepted in datanet ${a.datanetId}.`,
  TextHashMismatch: (a: { contributionId: bigint; source: string; contentHash: string; onChain: string }) =>
    `The text of contribution ${a.contributionId} (${a.source}) has hash ${a.contentHash}, but the registry holds ${a.onChain}.`,
  IndexMissingDatanets: (a: { modelId: bigint; missing: string; datanets: string }) =>
    `The index does not hold datanet ${a.missing} of model ${a.modelId}; rebuild it over datanets ${a.datanets}.`,
} as const;

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The code of a check the client makes. */
export type ClientErrorCode = keyof typeof CLIENT_ERRORS;

/** The values a client check's error carries. */
export type ClientErrorArgs<Code extends ClientErrorCode> = Parameters<(typeof CLIENT_ERRORS)[Code]>[0];

/** Every code the client's checks can raise. */
export const CLIENT_ERROR_CODES = Object.keys(CLIENT_ERRORS) as ClientErrorCode[];

/** The ProtocolError of a client check: its code, its values, and its sentence. */
export function clientError<Code extends ClientErrorCode>(code: Code, args: ClientErrorArgs<Code>): ProtocolError {
  const sentence = CLIENT_ERRORS[code] as (values: ClientErrorArgs<Code>) => string;
  return new ProtocolError(code, args as ErrorArgs, sentence(args));
}
