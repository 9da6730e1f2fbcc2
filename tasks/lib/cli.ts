/**
 * The CLI's own layer: parsing option text into values, and turning every failure the user can act on into one
 * sentence on stderr with exit status 1. The rules behind the sentences live in the SDK (sdk/core, sdk/client);
 * this file only parses and adds CLI hints (option names, commands) to the SDK's ProtocolErrors.
 */
import { getAddress, isAddress, parseUnits } from "ethers";

import { OPEN_DECIMALS } from "../../sdk/core/format.js";
import { UINT256_LIMIT } from "../../sdk/core/numbers.js";
import { toProtocolError } from "../../sdk/core/errors.js";
import { cliSentence } from "./hints.js";

/**
 * A problem with what the user typed: a malformed option, a missing file. Its message is one sentence that names
 * the bad input and, where possible, the fix. Tasks print it without a stack trace and exit with status 1.
 */
export class UserError extends Error {
  override name = "UserError";
}

/** What a task action returns to Hardhat: a failed result makes the CLI exit with status 1. */
export type TaskOutcome = { success: true; value: undefined } | { success: false; error: string };

/**
 * Runs a task body, printing a UserError or a ProtocolError (a refusal of the client, or a decoded contract
 * revert) as one sentence on stderr instead of a stack trace. Anything else is a bug and is rethrown for Hardhat
 * to report.
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

/**
 * A one-sentence description of an error the user can act on, or undefined for a bug. Covers UserError, the
 * SDK's ProtocolErrors and custom-error reverts of the suite (with the CLI's hints), deployment records, and
 * common node answers (no funds, no connection).
 */
export function describeError(error: unknown): string | undefined {
  if (error instanceof UserError) return error.message;
  const protocolError = toProtocolError(error);
  if (protocolError !== undefined) return cliSentence(protocolError);
  const message = error instanceof Error ? error.message : String(error);
  if (/insufficient funds/i.test(message)) return "The sending account has not enough ETH to pay for gas.";
  if (/ECONNREFUSED|could not detect network|failed to detect network/i.test(message)) {
    return "Could not reach the network's RPC endpoint; check that the node is running and the URL is right.";
  }
  if (error instanceof Error && error.name === "DeploymentError") return error.message;
  if (error instanceof Error && error.name === "UnknownChainError") return error.message;
  return undefined;
}

/** Returns the option's value, or fails with a sentence naming the missing option and an example of it. */
export function required(value: string | undefined, option: string, example: string): string {
  if (value === undefined || value.trim() === "") {
    throw new UserError(`${option} is required, e.g. ${option} ${example}.`);
  }
  return value;
}

/** The option's value, or undefined when it was omitted or given empty. */
export function optional(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
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

/** Parses a non-negative integer id or count ("42"), below 2^256 (the contracts' uint256). */
export function parseUint(value: string, option: string): bigint {
  const text = value.trim();
  if (!/^\d+$/.test(text)) throw new UserError(`${option} must be a whole number, not "${value}".`);
  const parsed = BigInt(text);
  if (parsed >= UINT256_LIMIT) throw new UserError(`${option} must be a whole number below 2^256, not "${value}".`);
  return parsed;
}

/**
 * Parses an inference id: the uint256 `npx hardhat inference pay` prints, in decimal or as 0x hex. Ids are
 * keccak256(abi.encode(payer, requestId)), so they are large; `inference show --request-id … --payer …` finds
 * one from its request.
 */
export function parseInferenceId(value: string, option = "The inference id"): bigint {
  const text = value.trim();
  const id = /^\d{1,78}$/.test(text) || /^0x[0-9a-fA-F]{1,64}$/.test(text) ? BigInt(text) : undefined;
  if (id === undefined || id >= UINT256_LIMIT) {
    throw new UserError(
      `${option} must be a whole number below 2^256 or 0x and up to 64 hex digits, as \`npx hardhat inference pay\` prints it, not "${value}".`,
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
