/**
 * The signed attribution: one report (or a batch of them) with the oracle signers' signatures, bound to one
 * router on one chain. `attribution sign` writes it, `attribution push` and oracle nodes read it. The one home of
 * its JSON form: bigints as decimal strings.
 */
import { clientError } from "./client-errors.js";
import type { AttributionReport, SignerSignature } from "./eip712.js";
import { UINT256_LIMIT, isBytes32 } from "./numbers.js";

/** A signed report or batch. */
export interface SignedAttribution {
  kind: "report" | "batch";
  /** The router whose EIP-712 domain the signatures are for. */
  router: string;
  chainId: number;
  reports: AttributionReport[];
  /** Sorted by signer address, as the oracle requires. */
  signatures: SignerSignature[];
}

/** The JSON text of a signed attribution (two-space indent, a final newline). */
export function writeSignedAttribution(signed: SignedAttribution): string {
  return (
    JSON.stringify(signed, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value), 2) + "\n"
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads a signed attribution (already parsed from JSON), checking every field's shape. `source` names it in
 * errors; every problem is a ProtocolError `InvalidSignedAttribution`.
 */
export function readSignedAttribution(json: unknown, source: string): SignedAttribution {
  const fail = (problem: string): never => {
    throw clientError("InvalidSignedAttribution", { where: source, problem });
  };
  const uint = (value: unknown, what: string): bigint => {
    if (typeof value !== "string" || !/^\d{1,78}$/.test(value) || BigInt(value) >= UINT256_LIMIT) {
      return fail(`${what} is not a whole number`);
    }
    return BigInt(value);
  };
  const bytes32 = (value: unknown, what: string): string => {
    if (value === undefined) return fail(`${what} is missing: it was signed for the v1 router, so sign it again`);
    if (typeof value !== "string" || !isBytes32(value)) return fail(`${what} is not 32 bytes of hex`);
    return value;
  };
  if (!isObject(json)) return fail("not an object");
  const { kind, router, chainId, reports, signatures } = json;
  if (kind !== "report" && kind !== "batch") return fail("kind must be report or batch");
  if (typeof router !== "string" || typeof chainId !== "number") return fail("router and chainId are missing");
  if (!Array.isArray(reports) || reports.length === 0 || !Array.isArray(signatures)) {
    return fail("reports or signatures are missing");
  }
  if (kind === "report" && reports.length !== 1) return fail("a report holds one report");
  return {
    kind,
    router,
    chainId,
    reports: reports.map((r: unknown, i) => {
      const what = `report ${i + 1}`;
      if (!isObject(r) || !Array.isArray(r.contributionIds) || !Array.isArray(r.weights)) {
        return fail(`${what} has no contributionIds or weights`);
      }
      return {
        inferenceId: uint(r.inferenceId, `${what}'s inferenceId`),
        outputHash: bytes32(r.outputHash, `${what}'s outputHash`),
        indexCommitment: bytes32(r.indexCommitment, `${what}'s indexCommitment`),
        contributionIds: r.contributionIds.map((v: unknown) => uint(v, `a contribution id of ${what}`)),
        weights: r.weights.map((v: unknown) => uint(v, `a weight of ${what}`)),
        deadline: uint(r.deadline, `${what}'s deadline`),
      };
    }),
    signatures: signatures.map((s: unknown, i) => {
      if (!isObject(s) || typeof s.signer !== "string" || typeof s.signature !== "string") {
        return fail(`signature ${i + 1} has no signer or signature`);
      }
      return { signer: s.signer, signature: s.signature };
    }),
  };
}
