import { keccak256, parseUnits, toUtf8Bytes, type Signer } from "ethers";

import { weightsJson, type Attribution } from "../../attribution/index.js";
import {
  WEIGHT_SCALE,
  attributionDomain,
  recoverBatchSigner,
  recoverReportSigner,
  signBatch,
  signReport,
  type AttributionReport,
  type SignerSignature,
} from "../../sdk/core/eip712.js";
import { decodeCredits } from "../../sdk/core/inference.js";
import { UserError, formatDuration, formatTime } from "./cli.js";
import type { ProtocolContext } from "./context.js";
import { requireInference } from "./inference.js";
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

/** What a report commits to besides its weights: the output attributed and the index it was attributed on. */
export interface ReportCommitments {
  /** keccak256 of the output text's UTF-8 bytes. */
  outputHash: string;
  /** The attribution engine's commitment to the index (contributions, content hashes, engine parameters). */
  indexCommitment: string;
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const UINT256_LIMIT = 2n ** 256n;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** keccak256 of a text's UTF-8 bytes: the outputHash a report names for that output. */
export function outputHashOf(text: string): string {
  return keccak256(toUtf8Bytes(text));
}

/**
 * The commitments an attribution result carries, when the engine version exposes them (the engine of
 * attribution-v2 puts `outputHash` and `indexCommitment` on every result; earlier ones have neither).
 */
export function engineCommitments(attribution: object): Partial<ReportCommitments> {
  const fields = attribution as Record<string, unknown>;
  const found: Partial<ReportCommitments> = {};
  if (typeof fields.outputHash === "string") found.outputHash = fields.outputHash;
  if (typeof fields.indexCommitment === "string") found.indexCommitment = fields.indexCommitment;
  return found;
}

/**
 * The weights file attribution:compute writes: the engine's `weightsJson`, with the output's hash (computed
 * here from the text when the engine does not write it, checked when it does) and the engine's index
 * commitment when it exposes one. Without a commitment the file is written anyway and `indexCommitment` is
 * undefined: attribution:sign refuses such a file rather than sign a report that commits to nothing.
 */
export function reportWeightsJson(
  inferenceId: bigint,
  attribution: Attribution,
  output: string,
): { text: string; indexCommitment: string | undefined } {
  const written: unknown = JSON.parse(weightsJson(inferenceId, attribution));
  if (!isObject(written)) throw new Error("The engine wrote a weights file that is not an object.");
  const outputHash = outputHashOf(output);
  const fromEngine = engineCommitments(attribution);
  const engineHash = typeof written.outputHash === "string" ? written.outputHash : fromEngine.outputHash;
  if (engineHash !== undefined && engineHash.toLowerCase() !== outputHash) {
    throw new Error(`The engine hashed the output as ${engineHash}, not ${outputHash}.`);
  }
  const indexCommitment =
    typeof written.indexCommitment === "string" ? written.indexCommitment : fromEngine.indexCommitment;
  const file = {
    inferenceId: String(written.inferenceId ?? inferenceId),
    outputHash,
    ...(indexCommitment === undefined ? {} : { indexCommitment }),
    weights: written.weights,
  };
  return { text: JSON.stringify(file, null, 2) + "\n", indexCommitment };
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
 * An inference id from a weights file: a decimal or 0x hex string (ids are uint256), or a JSON number small
 * enough to be exact.
 */
function parseFileInferenceId(value: unknown, where: string): bigint {
  if (typeof value === "number" && !Number.isSafeInteger(value)) {
    throw new UserError(
      `${where}: inferenceId ${value} is too large for a JSON number; write it as a string, as inference:pay prints it.`,
    );
  }
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  const id = /^\d{1,78}$/.test(text) || /^0x[0-9a-fA-F]{1,64}$/.test(text) ? BigInt(text) : 0n;
  if (id === 0n || id >= UINT256_LIMIT) {
    throw new UserError(`${where}: inferenceId must be an inference id (a whole number or 0x hex, as a string).`);
  }
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
    if (name === "outputHash") {
      throw new UserError(
        `${where} has no outputHash, the keccak256 of the output text it attributes; attribution:compute writes it.`,
      );
    }
    throw new UserError(
      `${where} has no indexCommitment, the commitment of the attribution index its weights were computed on, which this version of the attribution engine does not provide; add the index's commitment as "indexCommitment" (0x and 64 hex digits).`,
    );
  }
  if (typeof value !== "string" || !BYTES32.test(value)) {
    throw new UserError(
      `${where}: ${name} must be 32 bytes of hex (0x and 64 hex digits), not ${JSON.stringify(value)}.`,
    );
  }
  if (given !== undefined && given.toLowerCase() !== value.toLowerCase()) {
    throw new UserError(
      `${where}: ${name} ${value} does not match the ${name === "outputHash" ? "output text" : "index"} (${given}).`,
    );
  }
  return value.toLowerCase();
}

/**
 * Reads the weights a person or the attribution engine wrote: one object or an array of objects
 * `{ "inferenceId": "5296…", "outputHash": "0x…", "indexCommitment": "0x…", "weights": { "<contributionId>": 0.25, … },
 * "deadline"?: <unix seconds> }`. Weights are fractions of the output (1 = 100%) and sum to at most 1; `{}` means
 * nothing is attributable. `known` supplies (or checks) the commitments where the caller has them: the output
 * text's hash, the engine's index commitment.
 */
export function parseWeightsFile(
  json: unknown,
  source: string,
  now: bigint,
  known: Partial<ReportCommitments> = {},
): AttributionReport[] {
  const items = Array.isArray(json) ? json : [json];
  if (items.length === 0) throw new UserError(`${source} holds no report.`);
  return items.map((item, index) => {
    const where = Array.isArray(json) ? `${source} report ${index + 1}` : source;
    if (!isObject(item)) throw new UserError(`${where} must be an object with inferenceId and weights.`);
    const inferenceId = parseFileInferenceId(item.inferenceId, where);
    // Empty weights are a valid report: nothing is attributable, so settling sends the pool to the treasury.
    if (!isObject(item.weights)) {
      throw new UserError(`${where}: weights must map contribution ids to fractions, e.g. {"2": 0.25}.`);
    }
    const entries = Object.entries(item.weights).map(([id, weight]) => {
      if (!/^\d{1,78}$/.test(id) || BigInt(id) === 0n || BigInt(id) >= UINT256_LIMIT) {
        throw new UserError(`${where}: "${id}" is not a contribution id.`);
      }
      return [BigInt(id), parseWeight(weight, `${where}: the weight of contribution ${id}`)] as const;
    });
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const sum = entries.reduce((total, [, w]) => total + w, 0n);
    if (sum > WEIGHT_SCALE) throw new UserError(`${where}: the weights sum to more than 1.`);
    let deadline = now + DEFAULT_REPORT_LIFETIME;
    if (item.deadline !== undefined) {
      if (!/^\d{1,78}$/.test(String(item.deadline)) || BigInt(String(item.deadline)) >= UINT256_LIMIT) {
        throw new UserError(`${where}: deadline must be a Unix time in seconds.`);
      }
      deadline = BigInt(String(item.deadline));
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

/** The router's batch limits, read from the contract. */
async function batchLimits(ctx: ProtocolContext) {
  const router = ctx.inferenceRouter;
  const [perReport, reports, contributions] = await Promise.all([
    router.MAX_CONTRIBUTIONS(),
    router.MAX_BATCH_REPORTS(),
    router.MAX_BATCH_CONTRIBUTIONS(),
  ]);
  return { perReport, reports, contributions };
}

/** Refuses what the router would refuse for its size alone: too many contributions, reports, or both. */
async function checkSizes(ctx: ProtocolContext, reports: AttributionReport[]): Promise<void> {
  const limits = await batchLimits(ctx);
  for (const r of reports) {
    if (BigInt(r.contributionIds.length) > limits.perReport) {
      throw new UserError(
        `The report for inference ${r.inferenceId} names ${r.contributionIds.length} contributions; a report may name at most ${limits.perReport}.`,
      );
    }
  }
  if (reports.length === 1) return;
  if (BigInt(reports.length) > limits.reports) {
    throw new UserError(`A batch holds at most ${limits.reports} reports, not ${reports.length}; split the file.`);
  }
  const total = reports.reduce((n, r) => n + r.contributionIds.length, 0);
  if (BigInt(total) > limits.contributions) {
    throw new UserError(
      `The batch names ${total} contributions in all; a batch may name at most ${limits.contributions}, so split the file.`,
    );
  }
  const seen = new Set<bigint>();
  for (const r of reports) {
    if (seen.has(r.inferenceId)) throw new UserError(`Inference ${r.inferenceId} is attributed twice in the batch.`);
    seen.add(r.inferenceId);
  }
}

/** Signs one report (or, for several, one batch) with each of `signers`, for this deployment's router. */
export async function signAttribution(
  ctx: ProtocolContext,
  reports: AttributionReport[],
  signers: Signer[],
): Promise<SignedAttribution> {
  if (signers.length === 0) throw new UserError("Give at least one oracle signer with --signers or --keys.");
  await checkSizes(ctx, reports);
  for (const r of reports) await requireInference(ctx, r.inferenceId);
  const router = await ctx.inferenceRouter.getAddress();
  const { chainId } = await ctx.connection.ethers.provider.getNetwork();
  const seen = new Set<string>();
  for (const signer of signers) {
    const address = await signer.getAddress();
    if (seen.has(address)) throw new UserError(`${address} is given twice as a signer.`);
    seen.add(address);
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

/** Reads a signed attribution file back, checking every field's shape. */
export function parseSigned(json: unknown, source: string): SignedAttribution {
  const fail = (what: string): never => {
    throw new UserError(`${source} is not a signed attribution (${what}); write one with attribution:sign.`);
  };
  const uint = (value: unknown, what: string): bigint => {
    if (typeof value !== "string" || !/^\d{1,78}$/.test(value) || BigInt(value) >= UINT256_LIMIT) {
      return fail(`${what} is not a whole number`);
    }
    return BigInt(value);
  };
  const bytes32 = (value: unknown, what: string): string => {
    if (value === undefined) return fail(`${what} is missing: it was signed for the v1 router, so sign it again`);
    if (typeof value !== "string" || !BYTES32.test(value)) return fail(`${what} is not 32 bytes of hex`);
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

/** Eligibility packed into an AttributionRecord above the contributor's address (contracts/libraries/AttributionRules.sol). */
const ELIGIBILITY = { Invalid: 0n, Eligible: 1n, Forfeited: 2n } as const;

function recordEligibility(record: bigint): bigint {
  return record >> 160n;
}

/** The outcome of one settled report, from the router's events. */
export interface SettledReport {
  inferenceId: bigint;
  outputHash: string;
  indexCommitment: string;
  credited: bigint;
  toTreasury: bigint;
  forfeited: { contributionId: bigint; amount: bigint }[];
}

/** What `attribution:push` did: the reports settled and, in a batch, those the router skipped. */
export interface PushResult {
  hash: string;
  settled: SettledReport[];
  skipped: { inferenceId: bigint; status: string }[];
  /** Contributions penalized since the report was signed: their shares are forfeited to the treasury. */
  forfeiting: bigint[];
}

/** Checks that each signature is by a registered signer and (for an account) signs exactly these reports. */
async function checkSignatures(ctx: ProtocolContext, signed: SignedAttribution): Promise<void> {
  const domain = attributionDomain(signed.chainId, signed.router);
  for (const { signer, signature } of signed.signatures) {
    if (!(await ctx.attributionOracle.isSigner(signer))) {
      throw new UserError(`${signer} signed the report but is not a registered oracle signer (any more).`);
    }
    // A contract signer (EIP-1271) is checked by the oracle itself.
    if ((await ctx.connection.ethers.provider.getCode(signer)) !== "0x") continue;
    let recovered: string | undefined;
    try {
      recovered =
        signed.kind === "report"
          ? recoverReportSigner(domain, signed.reports[0]!, signature)
          : recoverBatchSigner(domain, signed.reports, signature);
    } catch {
      recovered = undefined;
    }
    if (recovered?.toLowerCase() !== signer.toLowerCase()) {
      throw new UserError(
        `The signature of ${signer} does not sign these reports: the file was changed after it was signed.`,
      );
    }
  }
}

/**
 * Settles a signed report or batch. Checks first what would make the router revert, so the user gets the
 * reason in one sentence: wrong deployment, too few or altered signatures, a pause, a passed deadline, an
 * unknown inference, a contribution that can never be named. A single report must find its inference
 * Pending in its window; a batch skips the reports whose inference was settled, expired or whose window
 * closed, and is refused only when nothing in it would settle. A contribution penalized since the report
 * was signed does not stop it: its share is forfeited to the treasury.
 */
export async function pushAttribution(ctx: ProtocolContext, signed: SignedAttribution): Promise<PushResult> {
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
  await checkSizes(ctx, signed.reports);
  await checkSignatures(ctx, signed);
  if (await inferenceRouter.paused()) {
    throw new UserError(
      "Settlement is paused by the guardian (only governance unpauses); attribution windows stand still meanwhile, so push again after the pause.",
    );
  }
  const block = await connection.ethers.provider.getBlock("latest");
  const now = BigInt(block?.timestamp ?? 0);
  const activeTime = await inferenceRouter.activeTime();
  const batch = signed.kind === "batch";
  const skipping: { inferenceId: bigint; why: string }[] = [];
  const forfeiting: bigint[] = [];
  for (const report of signed.reports) {
    const id = report.inferenceId;
    const inference = await requireInference(ctx, id);
    if (now >= report.deadline) {
      throw new UserError(`The report for inference ${id} expired at ${formatTime(report.deadline)}; sign a new one.`);
    }
    const status = inferenceStatusName(inference.status);
    // The router's active clock moves with the next block: a window ending now is closed for the transaction.
    const closed = activeTime >= inference.closesAt;
    if (status !== "Pending" || closed) {
      const why =
        status !== "Pending"
          ? `it is ${status}`
          : `its attribution window closed at ${formatTime(await inferenceRouter.closingTime(id))}; it can only expire`;
      if (!batch) throw new UserError(`Inference ${id} cannot be settled: ${why}.`);
      skipping.push({ inferenceId: id, why });
      continue;
    }
    const datanets = await modelRegistry.modelDatanets(inference.modelId);
    // Copy the frozen Result arrays: ethers walks (and rewrites) the arguments it is given.
    const records = await datanetRegistry.attributionRecords([...report.contributionIds], [...datanets]);
    records.forEach((record, i) => {
      const contributionId = report.contributionIds[i]!;
      const eligibility = recordEligibility(record);
      if (eligibility === ELIGIBILITY.Invalid) {
        throw new UserError(
          `Contribution ${contributionId} cannot be named for inference ${id}: it was never accepted, or it is outside model ${inference.modelId}'s datanets (${datanets.join(", ")}).`,
        );
      }
      if (eligibility === ELIGIBILITY.Forfeited) forfeiting.push(contributionId);
    });
  }
  if (skipping.length === signed.reports.length) {
    throw new UserError(
      `Nothing in the batch would settle: ${skipping.map((s) => `inference ${s.inferenceId}: ${s.why}`).join("; ")}.`,
    );
  }
  const tx = batch
    ? await inferenceRouter.settleBatch(signed.reports, signed.signatures)
    : await inferenceRouter.settle(signed.reports[0]!, signed.signatures);
  const receipt = await tx.wait();
  const settled: SettledReport[] = [];
  const skipped: { inferenceId: bigint; status: string }[] = [];
  const forfeits = new Map<bigint, { contributionId: bigint; amount: bigint }[]>();
  for (const log of receipt?.logs ?? []) {
    if (log.address.toLowerCase() !== router.toLowerCase()) continue;
    const parsed = inferenceRouter.interface.parseLog(log);
    if (parsed?.name === "ContributionForfeited") {
      const list = forfeits.get(parsed.args.inferenceId as bigint) ?? [];
      list.push({ contributionId: parsed.args.contributionId as bigint, amount: parsed.args.amount as bigint });
      forfeits.set(parsed.args.inferenceId as bigint, list);
    } else if (parsed?.name === "InferenceSettled") {
      const credits = decodeCredits(parsed.args.credits as bigint[]);
      settled.push({
        inferenceId: parsed.args.inferenceId as bigint,
        outputHash: parsed.args.outputHash as string,
        indexCommitment: parsed.args.indexCommitment as string,
        credited: credits.reduce((sum, c) => sum + c.amount, 0n),
        toTreasury: parsed.args.toTreasury as bigint,
        forfeited: [],
      });
    } else if (parsed?.name === "ReportSkipped") {
      skipped.push({
        inferenceId: parsed.args.inferenceId as bigint,
        status: inferenceStatusName(parsed.args.status as bigint),
      });
    }
  }
  for (const s of settled) s.forfeited = forfeits.get(s.inferenceId) ?? [];
  return { hash: tx.hash, settled, skipped, forfeiting };
}

/**
 * Sends the pool of an inference nobody settled in time to the treasury. The window is measured on the
 * router's active clock, which stands still while the router is paused: a pause never makes a window close,
 * and only an inference whose window closed before the pause can expire during it.
 */
export async function expireInference(
  ctx: ProtocolContext,
  inferenceId: bigint,
): Promise<{ hash: string; pool: bigint }> {
  const { inferenceRouter } = ctx;
  const inference = await requireInference(ctx, inferenceId);
  if (inferenceStatusName(inference.status) !== "Pending") {
    throw new UserError(`Inference ${inferenceId} is ${inferenceStatusName(inference.status)}, not Pending.`);
  }
  const [activeTime, paused] = await Promise.all([inferenceRouter.activeTime(), inferenceRouter.paused()]);
  if (activeTime <= inference.closesAt) {
    const left = inference.closesAt - activeTime;
    throw new UserError(
      paused
        ? `The attribution window of inference ${inferenceId} is still open: ${formatDuration(left)} of it remain on the router's active clock, which stands still while the router is paused.`
        : `The attribution window of inference ${inferenceId} is open until ${formatTime(await inferenceRouter.closingTime(inferenceId))}.`,
    );
  }
  const tx = await inferenceRouter.expire(inferenceId);
  await tx.wait();
  return { hash: tx.hash, pool: inference.pool };
}
