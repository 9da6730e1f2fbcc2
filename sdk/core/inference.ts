/**
 * Inference ids, as the InferenceRouter derives them: a request id belongs to its payer, so the same
 * request id from two payers is two inferences and nobody can spend another payer's id.
 *
 *   inferenceId = uint256(keccak256(abi.encode(payer, requestId)))
 *
 * A dapp knows the id of an inference before paying for it, and finds a past one from its request. The
 * settlement event packs each credit with its contribution id: `decodeCredits` unpacks them, and the
 * registry packs each contribution's standing in a report into a record: `decodeAttributionRecord`.
 */
import { AbiCoder, getAddress, keccak256, toBeHex, toUtf8Bytes } from "ethers";

import { isBytes32 } from "./numbers.js";

const coder = AbiCoder.defaultAbiCoder();

/**
 * The request id a payer names an inference by: 32 bytes of hex are taken as they are, any other text ("order
 * 1842", a UUID) is hashed, keccak256 of its UTF-8 bytes, so a service can use its own request keys and find the
 * inference from them again. Empty text has no request id (undefined).
 */
export function requestIdOf(text: string): string | undefined {
  if (text === "") return undefined;
  return isBytes32(text) ? text.toLowerCase() : keccak256(toUtf8Bytes(text));
}

/** The id of the inference `payer` pays (or paid) under `requestId` (32 bytes of hex), as the router's `inferenceIdOf`. */
export function inferenceIdOf(payer: string, requestId: string): bigint {
  return BigInt(keccak256(coder.encode(["address", "bytes32"], [payer, requestId])));
}

/** Bits of a packed credit that hold the amount (AttributionRules.CREDIT_AMOUNT_BITS). */
export const CREDIT_AMOUNT_BITS = 96n;

/** One contribution of a settled report and the OPEN-wei credited for it (0 under the threshold or forfeited). */
export interface SettledCredit {
  contributionId: bigint;
  amount: bigint;
}

/**
 * Unpacks the `credits` of an InferenceSettled event: each is `contributionId << 96 | amount`, one per
 * contribution of the report, in the report's order.
 */
export function decodeCredits(credits: readonly bigint[]): SettledCredit[] {
  const mask = (1n << CREDIT_AMOUNT_BITS) - 1n;
  return credits.map((credit) => ({ contributionId: credit >> CREDIT_AMOUNT_BITS, amount: credit & mask }));
}

/** Bits of an AttributionRecord (AttributionRules.record) that hold the contributor; the eligibility sits above. */
export const RECORD_CONTRIBUTOR_BITS = 160n;

/**
 * The contributor and eligibility (an `Eligibility` value) packed in an AttributionRecord, as
 * `DatanetRegistry.attributionRecords` returns them. Invalid is the zero record.
 */
export function decodeAttributionRecord(record: bigint): { contributor: string; eligibility: bigint } {
  const mask = (1n << RECORD_CONTRIBUTOR_BITS) - 1n;
  return { contributor: getAddress(toBeHex(record & mask, 20)), eligibility: record >> RECORD_CONTRIBUTOR_BITS };
}
