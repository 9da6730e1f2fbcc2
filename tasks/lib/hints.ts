/**
 * The CLI's words for the SDK's refusals: where a ProtocolError's sentence speaks of a value the user gave as an
 * option, or of a fix that is a command, the CLI says so with the option's or the command's name. Every other
 * ProtocolError is printed as the SDK words it.
 */
import type { ProtocolError, ProtocolErrorCode } from "../../sdk/core/errors.js";
import { formatOpen } from "../../sdk/core/format.js";

type Hint = (error: ProtocolError, args: HintArgs) => string;

/** Reads a ProtocolError's arguments. */
class HintArgs {
  constructor(private readonly error: ProtocolError) {}

  s(key: string): string {
    return String(this.error.args[key] ?? "");
  }

  open(key: string): string {
    const value = this.error.args[key];
    return formatOpen(typeof value === "bigint" ? value : 0n);
  }
}

const HINTS: Partial<Record<ProtocolErrorCode, Hint>> = {
  // The client's checks.
  EmptyContent: () => "--file is empty: a contribution needs at least one byte.",
  InvalidContentHash: (e, a) =>
    `--hash must be 32 bytes of hex (0x followed by 64 hex digits), not "${a.s("contentHash")}".`,
  ZeroContentHash: () => "--hash must not be zero.",
  SizeOutOfRange: (e, a) => `--size ${a.s("size")} does not fit in 64 bits.`,
  DatanetBondAboveMax: (e, a) =>
    `The bond of datanet ${a.s("datanetId")} is ${a.open("bond")}, above --max-bond ${a.open("maxBond")}.`,
  ProposalBondAboveMax: (e, a) => `The proposal bond is ${a.open("bond")}, above --max-bond ${a.open("maxBond")}.`,
  FeeAboveMax: (e, a) => `The fee is ${a.open("fee")}, above --max-fee ${a.open("maxFee")}.`,
  AlreadyPaid: (e) => e.message.replace(/use a new request id\.$/, "use a new --request-id."),
  NothingQueued: (e, a) =>
    `${a.s("account")} has no queued withdrawal; request one with \`npx hardhat stake unstake <amount>\`.`,
  UnknownContract: (e, a) => `--contract must be one of ${a.s("known")}, not "${a.s("name")}".`,
  UnknownFunction: (e, a) =>
    `--function ${a.s("name")} is not a function of ${a.s("contract")}; it has ${a.s("known")}.`,
  WrongArgumentCount: (e, a) =>
    `${a.s("contract")}.${a.s("function")} takes ${a.s("expected")} argument(s) (${a.s("signature")}), but --args has ${a.s("given")}.`,
  ArgumentsDoNotFit: (e, a) => `--args do not fit ${a.s("signature")}: ${a.s("reason")}.`,
  EmptyDescription: () => "--description must not be empty: voters read it.",
  BelowProposalThreshold: (e, a) =>
    e.message.replace(
      /stake and delegate to yourself first\.$/,
      `stake with \`npx hardhat stake deposit <amount>\` and delegate with \`npx hardhat stake delegate ${a.s("account")}\` first.`,
    ),
  NoVotingPower: (e, a) =>
    e.message.replace(
      /stake OPEN and delegate its votes \(to itself, or have a holder delegate to it\)/,
      `stake with \`npx hardhat stake deposit <amount>\` and delegate with \`npx hardhat stake delegate ${a.s("account")}\``,
    ),
  ProposalPrefixTooShort: (e) => e.message.replace(/\.$/, " (`npx hardhat gov list` shows them)."),
  UnknownProposalPrefix: (e) => e.message.replace(/\.$/, "; `npx hardhat gov list` lists them."),
  NothingToReview: () => "Give the contributions to review with --accept and/or --reject.",
  NoDatanets: () => "--datanets must name at least one datanet, e.g. --datanets 1,2.",
  DatanetListedTwice: (e, a) => `--datanets lists datanet ${a.s("datanetId")} twice.`,
  RateOutOfBounds: (e, a) =>
    `--${a.s("which")}-rate ${a.open("rate")} is outside the allowed range ${a.open("min")} to ${a.open("max")} per 1,000 tokens.`,
  BelowApprovalProposalThreshold: (e) =>
    e.message.replace("or register the model without the proposal", "or pass --skip-proposal"),
  InvalidArtifactHash: (e, a) =>
    `--hash must be a non-zero 32-byte hex value (0x followed by 64 hex digits), not "${a.s("artifactHash")}".`,
  UnknownBaseModel: (e, a) => `--base ${a.s("baseModelId")} is not a model.`,
  BaseIsTheModel: (e, a) =>
    `--base ${a.s("baseModelId")} is the model itself; a LoRA adapter needs a base model with weights (Trained, Active or Suspended).`,
  BaseWithoutWeights: (e, a) =>
    `--base ${a.s("baseModelId")} is ${a.s("state")}; a LoRA adapter needs a base model with weights (Trained, Active or Suspended).`,
  TokensOutOfRange: (e, a) => `--${a.s("which")}-tokens must be below 2^64.`,
  NoSigners: () => "Give at least one oracle signer with --signers or --keys.",
  NoStakersShare: (e) => e.message.replace(/\.$/, " (`npx hardhat status` shows what the router owes)."),
  IndexMissingDatanets: (e, a) =>
    `The index does not hold datanet ${a.s("missing")} of model ${a.s("modelId")}; rebuild it with \`npx hardhat attribution index --contents <texts> --datanets ${a.s("datanets")}\`.`,
  InvalidSignedAttribution: (e) => e.message.replace(/\.$/, "; write one with `npx hardhat attribution sign`."),

  // Reverts whose fix is an option or a command.
  DatanetRegistryBondAboveMax: (e, a) =>
    `The datanet's bond is now ${a.open("bond")}, above your --max-bond of ${a.open("maxBond")}: nothing was pulled; raise --max-bond to accept it.`,
  ModelRegistryBondAboveMax: (e, a) =>
    `The proposal bond is now ${a.open("bond")}, above your --max-bond of ${a.open("maxBond")}: nothing was pulled; raise --max-bond to accept it.`,
  InferenceRouterFeeAboveMax: (e, a) =>
    `The fee is now ${a.open("fee")}, above your --max-fee of ${a.open("maxFee")} (the rates changed since the quote): nothing was paid.`,
  InferenceRouterDuplicateRequest: (e) => e.message.replace(/use a new request id\.$/, "use a new --request-id."),
  InferenceRouterWindowClosed: (e) => e.message.replace(/\.$/, " (`npx hardhat attribution expire <inference>`)."),
  InferenceRouterWindowOpen: (e) =>
    e.message.replace(/\.$/, " (`npx hardhat inference show <inference>` tells when it closes)."),
  InferenceRouterMalformedReport: (e) =>
    e.message.replace(/sign it again\.$/, "sign it again with `npx hardhat attribution sign`."),
};

/** The sentence the CLI prints for a ProtocolError: the SDK's, with the CLI's hint where there is one. */
export function cliSentence(error: ProtocolError): string {
  const hint = HINTS[error.code];
  return hint === undefined ? error.message : hint(error, new HintArgs(error));
}
