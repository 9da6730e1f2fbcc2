import { parseUnits, type Signer } from "ethers";

import {
  WEIGHT_SCALE,
  attributionDomain,
  signBatch,
  signReport,
  type AttributionReport,
  type SignerSignature,
} from "../../sdk/eip712.js";
import { UserError, formatTime } from "./cli.js";
import type { ProtocolContext } from "./context.js";
import { inferenceStatusName } from "./states.js";

/** A signed report or batch, as `attribution:sign` writes it and `attribution:push` reads it. */
export interface SignedAttribution {
  kind: "report" | "batch";
  router: string;
  chainId: number;
  reports: AttributionReport[];
  signatures: SignerSignature[];
}

/** How long a report signed by the CLI may wait before it is settled, in seconds. */
export const DEFAULT_REPORT_LIFETIME = 24n * 60n * 60n;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A fraction between 0 and 1 (up to 18 decimals) as 1e18-scaled weight, e.g. "0.01" for a 1% threshold. */
export function parseFraction(value: string, option: string): bigint {
  return parseWeight(value, option);
}

function parseWeight(value: unknown, where: string): bigint {
  const text = typeof value === "number" ? value.toString() : value;
  if (typeof text !== "string" || !/^(0(\.\d{1,18})?|1(\.0{1,18})?)$/.test(text.trim())) {
    throw new UserError(`${where} must be a fraction between 0 and 1 such as 0.25, not ${JSON.stringify(value)}.`);
  }
  return parseUnits(text.trim(), 18);
}

/**
 * Reads the weights a person or the attribution engine wrote: one object or an array of objects
 * `{ "inferenceId": 3, "weights": { "<contributionId>": 0.25, … }, "deadline"?: <unix seconds> }`.
 * Weights are fractions of the output (1 = 100%) and sum to at most 1; `{}` means nothing is attributable.
 */
export function parseWeightsFile(json: unknown, source: string, now: bigint): AttributionReport[] {
  const items = Array.isArray(json) ? json : [json];
  if (items.length === 0) throw new UserError(`${source} holds no report.`);
  return items.map((item, index) => {
    const where = Array.isArray(json) ? `${source} report ${index + 1}` : source;
    if (!isObject(item)) throw new UserError(`${where} must be an object with inferenceId and weights.`);
    const inferenceText = String(item.inferenceId ?? "");
    if (!/^\d+$/.test(inferenceText) || inferenceText === "0") {
      throw new UserError(`${where}: inferenceId must be a positive whole number.`);
    }
    // Empty weights are a valid report: nothing is attributable, so settling sends the pool to the treasury.
    if (!isObject(item.weights)) {
      throw new UserError(`${where}: weights must map contribution ids to fractions, e.g. {"2": 0.25}.`);
    }
    const entries = Object.entries(item.weights).map(([id, weight]) => {
      if (!/^\d+$/.test(id) || id === "0") throw new UserError(`${where}: "${id}" is not a contribution id.`);
      return [BigInt(id), parseWeight(weight, `${where}: the weight of contribution ${id}`)] as const;
    });
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const sum = entries.reduce((total, [, w]) => total + w, 0n);
    if (sum > WEIGHT_SCALE) throw new UserError(`${where}: the weights sum to more than 1.`);
    let deadline = now + DEFAULT_REPORT_LIFETIME;
    if (item.deadline !== undefined) {
      if (!/^\d+$/.test(String(item.deadline)))
        throw new UserError(`${where}: deadline must be a Unix time in seconds.`);
      deadline = BigInt(String(item.deadline));
    }
    return {
      inferenceId: BigInt(inferenceText),
      contributionIds: entries.map(([id]) => id),
      weights: entries.map(([, w]) => w),
      deadline,
    };
  });
}

/** Signs one report (or, for several, one batch) with each of `signers`, for this deployment's router. */
export async function signAttribution(
  ctx: ProtocolContext,
  reports: AttributionReport[],
  signers: Signer[],
): Promise<SignedAttribution> {
  if (signers.length === 0) throw new UserError("Give at least one oracle signer with --signers or --keys.");
  const router = await ctx.inferenceRouter.getAddress();
  const { chainId } = await ctx.connection.ethers.provider.getNetwork();
  for (const signer of signers) {
    const address = await signer.getAddress();
    if (!(await ctx.attributionOracle.isSigner(address))) {
      throw new UserError(`${address} is not a registered oracle signer.`);
    }
  }
  const domain = attributionDomain(chainId, router);
  const kind = reports.length === 1 ? "report" : "batch";
  const signatures =
    kind === "report" ? await signReport(domain, reports[0]!, signers) : await signBatch(domain, reports, signers);
  return { kind, router, chainId: Number(chainId), reports, signatures };
}

/** JSON form of a signed attribution (bigints as decimal strings). */
export function serializeSigned(signed: SignedAttribution): string {
  return (
    JSON.stringify(signed, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value), 2) + "\n"
  );
}

/** Reads a signed attribution file back. */
export function parseSigned(json: unknown, source: string): SignedAttribution {
  const fail = (what: string): never => {
    throw new UserError(`${source} is not a signed attribution (${what}); write one with attribution:sign.`);
  };
  if (!isObject(json)) return fail("not an object");
  const { kind, router, chainId, reports, signatures } = json;
  if (kind !== "report" && kind !== "batch") fail("kind must be report or batch");
  if (typeof router !== "string" || typeof chainId !== "number") fail("router and chainId are missing");
  if (!Array.isArray(reports) || reports.length === 0 || !Array.isArray(signatures))
    fail("reports or signatures are missing");
  const big = (v: unknown) => BigInt(String(v));
  return {
    kind: kind as "report" | "batch",
    router: router as string,
    chainId: chainId as number,
    reports: (reports as Record<string, unknown>[]).map((r) => ({
      inferenceId: big(r.inferenceId),
      contributionIds: (r.contributionIds as unknown[]).map(big),
      weights: (r.weights as unknown[]).map(big),
      deadline: big(r.deadline),
    })),
    signatures: (signatures as Record<string, unknown>[]).map((s) => ({
      signer: String(s.signer),
      signature: String(s.signature),
    })),
  };
}

/**
 * Settles a signed report or batch. Checks first what would make the router revert, so the user gets
 * the reason in one sentence: wrong deployment, passed deadline, inference not pending or its window
 * closed, ineligible contributions, too few signatures.
 */
export async function pushAttribution(
  ctx: ProtocolContext,
  signed: SignedAttribution,
): Promise<{ hash: string; settled: { inferenceId: bigint; credited: bigint; toTreasury: bigint }[] }> {
  const { inferenceRouter, attributionOracle, modelRegistry, datanetRegistry, connection } = ctx;
  const router = await inferenceRouter.getAddress();
  const { chainId } = await connection.ethers.provider.getNetwork();
  if (signed.router.toLowerCase() !== router.toLowerCase() || BigInt(signed.chainId) !== chainId) {
    throw new UserError(
      `The report was signed for router ${signed.router} on chain ${signed.chainId}, not this deployment's ${router} on chain ${chainId}.`,
    );
  }
  const threshold = await attributionOracle.threshold();
  if (BigInt(signed.signatures.length) < threshold) {
    throw new UserError(`The report carries ${signed.signatures.length} signature(s); the oracle needs ${threshold}.`);
  }
  const block = await connection.ethers.provider.getBlock("latest");
  const now = BigInt(block?.timestamp ?? 0);
  for (const report of signed.reports) {
    const id = report.inferenceId;
    if (id === 0n || id > (await inferenceRouter.inferenceCount())) throw new UserError(`There is no inference ${id}.`);
    const inference = await inferenceRouter.getInference(id);
    if (inference.status !== 1n) {
      throw new UserError(`Inference ${id} is ${inferenceStatusName(inference.status)}, not Pending.`);
    }
    if (now >= inference.closesAt) {
      throw new UserError(
        `The attribution window of inference ${id} closed at ${formatTime(inference.closesAt)}; it can only expire.`,
      );
    }
    if (now >= report.deadline)
      throw new UserError(`The report for inference ${id} expired at ${formatTime(report.deadline)}.`);
    const terms = await modelRegistry.inferenceTerms(inference.modelId);
    // Copy the frozen Result array: ethers walks (and rewrites) the arguments it is given.
    const contributors = await datanetRegistry.attributionContributors(report.contributionIds, [...terms.datanetIds]);
    contributors.forEach((contributor, i) => {
      if (contributor === "0x0000000000000000000000000000000000000000") {
        throw new UserError(
          `Contribution ${report.contributionIds[i]} is not eligible for inference ${id}: not accepted, penalized, or outside model ${inference.modelId}'s datanets.`,
        );
      }
    });
  }
  const tx =
    signed.kind === "report"
      ? await inferenceRouter.settle(signed.reports[0]!, signed.signatures)
      : await inferenceRouter.settleBatch(signed.reports, signed.signatures);
  const receipt = await tx.wait();
  const settled = [];
  for (const log of receipt?.logs ?? []) {
    if (log.address.toLowerCase() !== router.toLowerCase()) continue;
    const parsed = inferenceRouter.interface.parseLog(log);
    if (parsed?.name !== "InferenceSettled") continue;
    const amounts = parsed.args.amounts as bigint[];
    settled.push({
      inferenceId: parsed.args.inferenceId as bigint,
      credited: amounts.reduce((a, b) => a + b, 0n),
      toTreasury: parsed.args.toTreasury as bigint,
    });
  }
  return { hash: tx.hash, settled };
}

/** Sends the pool of an inference nobody settled in time to the treasury. */
export async function expireInference(
  ctx: ProtocolContext,
  inferenceId: bigint,
): Promise<{ hash: string; pool: bigint }> {
  const { inferenceRouter, connection } = ctx;
  if (inferenceId === 0n || inferenceId > (await inferenceRouter.inferenceCount())) {
    throw new UserError(`There is no inference ${inferenceId}.`);
  }
  const inference = await inferenceRouter.getInference(inferenceId);
  if (inference.status !== 1n) {
    throw new UserError(`Inference ${inferenceId} is ${inferenceStatusName(inference.status)}, not Pending.`);
  }
  const closesAt = inference.closesAt;
  const block = await connection.ethers.provider.getBlock("latest");
  if (BigInt(block?.timestamp ?? 0) <= closesAt) {
    throw new UserError(`The attribution window of inference ${inferenceId} is open until ${formatTime(closesAt)}.`);
  }
  const tx = await inferenceRouter.expire(inferenceId);
  await tx.wait();
  return { hash: tx.hash, pool: inference.pool };
}
