/**
 * The weights file: what the attribution engine's result becomes on disk (`attribution compute` writes it) and
 * what the oracle signs (`attribution sign` reads it). The one home of its format, reader and writer:
 *
 *   { "inferenceId": "<decimal uint256>", "outputHash": "0x…", "indexCommitment": "0x…",
 *     "weights": { "<contributionId>": "<fraction>", … }, "deadline"?: <unix seconds> }
 *
 * or an array of such objects (a batch). Weights are fractions of the output (1 = 100%) written as exact
 * decimals ("0.25", up to 18 decimals; JSON numbers are read too) and sum to at most 1; `{}` means nothing is
 * attributable. The inference id is a string (ids are uint256; a JSON number is read only when exact). The
 * engine returns data; this module alone turns it into text and back. Browser-safe: no file access here.
 */
import { parseUnits } from "ethers";

import { clientError } from "./client-errors.js";
import { WEIGHT_SCALE, type AttributionReport } from "./eip712.js";
import { UINT256_LIMIT, isBytes32 } from "./numbers.js";

/** How long a report signed from a weights file without a deadline may wait before it is settled, in seconds. */
export const DEFAULT_REPORT_LIFETIME = 24n * 60n * 60n;

/** What a report commits to besides its weights: the output attributed and the index it was attributed on. */
export interface ReportCommitments {
  /** keccak256 of the output text's UTF-8 bytes. */
  outputHash: string;
  /** The attribution engine's commitment to the index (contributions, content hashes, engine parameters). */
  indexCommitment: string;
}

/** What the writer needs from an attribution: the engine's `Attribution` has these fields. */
export interface AttributedWeights extends ReportCommitments {
  /** The weights to report, 1e18 = 100%. */
  weights: readonly { contributionId: bigint; weight: bigint }[];
}

/** "0.25" for 0.25e18: a weight as the exact decimal fraction the weights file holds. */
export function formatFraction(weight: bigint): string {
  const whole = weight / WEIGHT_SCALE;
  const fraction = (weight % WEIGHT_SCALE).toString().padStart(18, "0").replace(/0+$/, "");
  return fraction === "" ? `${whole}` : `${whole}.${fraction}`;
}

/** True for a fraction between 0 and 1 with at most 18 decimals, as text. */
function isFraction(text: string): boolean {
  return /^(0(\.\d{1,18})?|1(\.0{1,18})?)$/.test(text);
}

/**
 * A fraction between 0 and 1 (up to 18 decimals, as text or a JSON number) as a 1e18-scaled weight, or
 * undefined when `value` is not one.
 */
export function parseFraction(value: unknown): bigint | undefined {
  const text = typeof value === "number" ? value.toString() : typeof value === "string" ? value.trim() : undefined;
  return text !== undefined && isFraction(text) ? parseUnits(text, 18) : undefined;
}

/** The weights file for `inferenceId`: deterministic JSON text (two-space indent, a final newline). */
export function writeWeightsFile(inferenceId: bigint, attributed: AttributedWeights): string {
  const weights: Record<string, string> = {};
  for (const w of [...attributed.weights].sort((a, b) => (a.contributionId < b.contributionId ? -1 : 1))) {
    weights[w.contributionId.toString()] = formatFraction(w.weight);
  }
  const file = {
    inferenceId: inferenceId.toString(),
    outputHash: attributed.outputHash,
    indexCommitment: attributed.indexCommitment,
    weights,
  };
  return JSON.stringify(file, null, 2) + "\n";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const invalid = (where: string, problem: string) => clientError("InvalidWeightsFile", { where, problem });

/** A decimal or 0x hex string below 2^256 (or an exact JSON number) as an id, 0 when it is none. */
function parseId(value: unknown): bigint {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  const id = /^\d{1,78}$/.test(text) || /^0x[0-9a-fA-F]{1,64}$/.test(text) ? BigInt(text) : 0n;
  return id < UINT256_LIMIT ? id : 0n;
}

function parseInferenceId(value: unknown, where: string): bigint {
  if (typeof value === "number" && !Number.isSafeInteger(value)) {
    throw invalid(where, `inferenceId ${value} is too large for a JSON number; write it as a string`);
  }
  const id = parseId(value);
  if (id === 0n) throw invalid(where, "inferenceId must be an inference id (a whole number or 0x hex, as a string)");
  return id;
}

function parseCommitment(
  value: unknown,
  given: string | undefined,
  name: keyof ReportCommitments,
  where: string,
): string {
  if (value === undefined) {
    if (given !== undefined) return given.toLowerCase();
    throw invalid(
      where,
      name === "outputHash"
        ? "there is no outputHash, the keccak256 of the output text it attributes, which the attribution engine writes"
        : 'there is no indexCommitment, the commitment of the attribution index its weights were computed on; add it as "indexCommitment" (0x and 64 hex digits)',
    );
  }
  if (typeof value !== "string" || !isBytes32(value)) {
    throw invalid(where, `${name} must be 32 bytes of hex (0x and 64 hex digits), not ${JSON.stringify(value)}`);
  }
  if (given !== undefined && given.toLowerCase() !== value.toLowerCase()) {
    throw invalid(
      where,
      `${name} ${value} does not match the ${name === "outputHash" ? "output text" : "index"} (${given})`,
    );
  }
  return value.toLowerCase();
}

/**
 * Reads a weights file (already parsed from JSON) into the reports it describes, contributions in increasing id
 * order. `source` names the file in errors; a report without a deadline gets `now` + DEFAULT_REPORT_LIFETIME.
 * `known` supplies (or checks) the commitments where the caller has them: the output text's hash, the index's
 * commitment. Every problem is a ProtocolError `InvalidWeightsFile` naming the report and the field.
 */
export function readWeightsFile(
  json: unknown,
  source: string,
  now: bigint,
  known: Partial<ReportCommitments> = {},
): AttributionReport[] {
  const items = Array.isArray(json) ? json : [json];
  if (items.length === 0) throw invalid(source, "there is no report in it");
  return items.map((item: unknown, index) => {
    const where = Array.isArray(json) ? `${source} report ${index + 1}` : source;
    if (!isObject(item)) throw invalid(where, "a report must be an object with inferenceId and weights");
    const inferenceId = parseInferenceId(item.inferenceId, where);
    // Empty weights are a valid report: nothing is attributable, so settling sends the pool to the treasury.
    if (!isObject(item.weights)) {
      throw invalid(where, 'weights must map contribution ids to fractions, e.g. {"2": "0.25"}');
    }
    const entries = Object.entries(item.weights).map(([key, value]) => {
      const contributionId = /^\d{1,78}$/.test(key) ? parseId(key) : 0n;
      if (contributionId === 0n) throw invalid(where, `"${key}" is not a contribution id`);
      const weight = parseFraction(value);
      if (weight === undefined) {
        throw invalid(
          where,
          `the weight of contribution ${key} must be a fraction between 0 and 1 such as 0.25, not ${JSON.stringify(value)}`,
        );
      }
      return [contributionId, weight] as const;
    });
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.reduce((total, [, w]) => total + w, 0n) > WEIGHT_SCALE) {
      throw invalid(where, "the weights sum to more than 1");
    }
    let deadline = now + DEFAULT_REPORT_LIFETIME;
    if (item.deadline !== undefined) {
      const text = String(item.deadline);
      if (!/^\d{1,78}$/.test(text) || BigInt(text) >= UINT256_LIMIT) {
        throw invalid(where, "deadline must be a Unix time in seconds");
      }
      deadline = BigInt(text);
    }
    return {
      inferenceId,
      outputHash: parseCommitment(item.outputHash, known.outputHash, "outputHash", where),
      indexCommitment: parseCommitment(item.indexCommitment, known.indexCommitment, "indexCommitment", where),
      contributionIds: entries.map(([id]) => id),
      weights: entries.map(([, w]) => w),
      deadline,
    };
  });
}
