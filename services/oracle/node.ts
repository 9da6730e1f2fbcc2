/**
 * One oracle node: it follows the chain at a confirmation depth (paid, settled and expired inferences; submitted,
 * reviewed and penalized contributions), fetches and checks contribution texts, takes output texts signed by the
 * model's creator, attributes each with its own index, and agrees with its peers on batches: the leader of each
 * time slot (rotating over the sorted signer set) proposes a batch, every node recomputes and signs only what it
 * computed identically, and the leader settles it through the SDK once it holds the oracle's threshold of
 * signatures. Everything it learns or does is in its database first, so a restart resumes where it stopped.
 *
 * Framework-free: ethers, the SDK client and the attribution engine.
 */
import { JsonRpcProvider, Transaction, Wallet, keccak256, toUtf8Bytes, type TypedDataDomain } from "ethers";

import {
  attribute,
  buildIndex,
  countTokens,
  indexCommitment,
  type Attribution,
  type AttributionIndex,
} from "../../attribution/index.js";
import { createClient, type ProtocolClient } from "../../sdk/client/index.js";
import type { BatchLimits } from "../../sdk/client/attribution.js";
import type { DeploymentRecord } from "../../sdk/core/deployments.js";
import {
  attributionDomain,
  batchDigest,
  outputDomain,
  outputDigest,
  outputHashOf,
  recoverInferenceOutputSigner,
  reportDigest,
  signBatch,
  signReport,
  sortBySigner,
  type AttributionReport,
  type SignerSignature,
} from "../../sdk/core/eip712.js";
import { isValidSignatureNow } from "../../sdk/core/eip1271.js";
import { toProtocolError } from "../../sdk/core/errors.js";
import { readSignedAttribution, writeSignedAttribution, type SignedAttribution } from "../../sdk/core/signed.js";
import type { OracleConfig } from "./config.js";
import { openDatabase } from "./db.js";
import { createLogger, type Logger } from "./log.js";
import {
  OracleStore,
  type ComputedReport,
  type ContributionEvent,
  type InferenceEvent,
  type PendingOutput,
  type StoredTransaction,
  type TransactionRequest,
} from "./store.js";
import { fetchContributionText } from "./texts.js";

/** Most blocks one event query spans. */
const LOG_SPAN = 2_000;
/** Seconds between two fetch attempts of a contribution text that was unavailable. */
const TEXT_RETRY_MS = 10_000;
/** How long chain parameters (signers, threshold, limits) are cached. */
const PARAMETER_TTL_MS = 15_000;
/** Longest a node waits for a peer's answer to a proposal. */
const PEER_TIMEOUT_MS = 10_000;
/** How often the node looks for inferences whose output has not arrived (ms). */
const MISSING_CHECK_MS = 30_000;
/** Refusals of a settlement that say nothing about its reports: pauses, a deadline passed while it was signed. */
const TRANSIENT_REFUSALS = /Paused|ReportExpired|DeadlinePassed/;
/** Outputs attributed with one read of the chain. */
const ATTRIBUTE_CHUNK = 200;
/** Largest output text a node takes (bytes of UTF-8). */
export const MAX_OUTPUT_BYTES = 1024 * 1024;

/** A refusal of bad input: its HTTP status and one sentence. */
export class RequestError extends Error {
  override name = "RequestError";
  constructor(
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface NodeOptions {
  config: OracleConfig;
  rpcUrl: string;
  deployment: DeploymentRecord;
  /** The signer's private key, from a configuration variable: never from a file or the command line. */
  privateKey: string;
  log?: Logger;
}

/** What a peer answers to a proposal: its signature, or why not. */
export type ProposalAnswer =
  | { signed: true; signer: string; signature: string }
  | { signed: false; error: string; missing: string[]; disagreeing: string[]; final: string[]; locked: string[] };

function parseId(value: unknown, what: string): bigint {
  const text = typeof value === "bigint" ? value.toString() : typeof value === "number" ? String(value) : value;
  if (typeof text !== "string" || !/^(\d{1,78}|0x[0-9a-fA-F]{1,64})$/.test(text) || BigInt(text) >= 2n ** 256n) {
    throw new RequestError(400, `${what} must be a whole number below 2^256 (decimal or 0x hex).`);
  }
  return BigInt(text);
}

const sameReport = (mine: ComputedReport, theirs: AttributionReport) =>
  mine.outputHash.toLowerCase() === theirs.outputHash.toLowerCase() &&
  mine.indexCommitment.toLowerCase() === theirs.indexCommitment.toLowerCase() &&
  mine.contributionIds.length === theirs.contributionIds.length &&
  mine.contributionIds.every((id, i) => id === theirs.contributionIds[i] && mine.weights[i] === theirs.weights[i]);

export class OracleNode {
  /** The registered oracle signer this node signs as: the key's account, or the contract it signs for. */
  readonly address: string;
  /** The key's account: it sends the settlements and pays their gas. */
  readonly sender: string;
  readonly client: ProtocolClient;
  readonly store: OracleStore;
  readonly log: Logger;
  private readonly provider: JsonRpcProvider;
  private readonly wallet: Wallet;
  private readonly domain: TypedDataDomain;
  private readonly outputsDomain: TypedDataDomain;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Head and checkpoint as last seen: the lag in blocks. */
  head = 0;
  checkpointBlock = 0;
  /** Bumped whenever the contributions the node indexes change: cached indexes are then rebuilt. */
  private corpusVersion = 0;
  private readonly indexes = new Map<string, { version: number; index: AttributionIndex | undefined }>();
  private readonly modelDatanets = new Map<bigint, bigint[]>();
  private readonly textTried = new Map<bigint, number>();
  private parameters: { at: number; signers: string[]; threshold: bigint; limits: BatchLimits } | undefined;
  private missingCheckedAt = 0;
  private readonly attributeWarned = new Map<bigint, number>();
  private readonly missingWarned = new Map<bigint, number>();
  /** Pending inferences without an output whose window is closing, as last counted. */
  outputsMissing = 0;
  /** Nonces of this node's settlements sent and not mined, as last followed up: none is proposed meanwhile. */
  pendingSettlements = 0;
  /** Inferences this node, as leader, waits to propose again after a proposal short of signatures (ms). */
  private readonly backoff = new Map<bigint, number>();
  /** Most reports this node proposes in one batch now: halved after a failed batch (bisection), doubled after one settled. */
  private batchCap = Number.MAX_SAFE_INTEGER;

  private constructor(
    readonly config: OracleConfig,
    readonly deployment: DeploymentRecord,
    provider: JsonRpcProvider,
    wallet: Wallet,
    store: OracleStore,
    log: Logger,
  ) {
    this.provider = provider;
    this.wallet = wallet;
    this.address = config.signerContract ?? wallet.address;
    this.sender = wallet.address;
    this.store = store;
    this.log = log;
    this.client = createClient({ deployment, provider, signer: wallet });
    this.domain = attributionDomain(deployment.chainId, deployment.addresses.inferenceRouter);
    this.outputsDomain = outputDomain(deployment.chainId, deployment.addresses.inferenceRouter);
  }

  /**
   * Opens the database, checks that the RPC answers the deployment's chain and that the key is a registered
   * oracle signer, and starts following the chain. Refuses (one sentence) a wrong chain or an unregistered key.
   */
  static async open(options: NodeOptions): Promise<OracleNode> {
    const { config, deployment } = options;
    const provider = new JsonRpcProvider(options.rpcUrl, deployment.chainId, {
      staticNetwork: true,
      cacheTimeout: -1,
    });
    let wallet: Wallet;
    try {
      wallet = new Wallet(
        options.privateKey.startsWith("0x") ? options.privateKey : `0x${options.privateKey}`,
        provider,
      );
    } catch {
      provider.destroy();
      throw new RequestError(400, "The oracle's signer key is not a private key (32 bytes of hex).");
    }
    const signer = config.signerContract ?? wallet.address;
    const log = options.log ?? createLogger(config.logLevel, { node: signer });
    try {
      await checkIdentity(provider, wallet, config.signerContract, deployment, log);
    } catch (error) {
      provider.destroy();
      throw error;
    }
    let db;
    try {
      db = await openDatabase(config.database);
    } catch (error) {
      provider.destroy();
      throw new RequestError(400, `The database ${config.database} cannot be opened: ${describe(error)}`);
    }
    const node = new OracleNode(config, deployment, provider, wallet, new OracleStore(db), log);
    if ((await provider.getBalance(wallet.address).catch(() => undefined)) === 0n) {
      log.warn("the key's account holds no ETH: it cannot pay for the settlements it sends", {
        sender: wallet.address,
      });
    }
    log.info("oracle node opened", {
      signer,
      ...(config.signerContract === undefined ? {} : { sender: wallet.address }),
      chainId: deployment.chainId,
      router: deployment.addresses.inferenceRouter,
      database: db.kind,
      peers: config.peers,
    });
    return node;
  }

  /** Starts the work loop: follow, fetch texts, attribute, lead. Each failure is logged and retried with backoff. */
  start(): void {
    if (this.loop !== undefined) return;
    this.loop = (async () => {
      await this.followUpTransactions().catch((error: unknown) =>
        this.log.warn("transaction follow-up failed", { error }),
      );
      let delay = this.config.pollMs;
      while (!this.stopping) {
        try {
          await this.tick();
          delay = this.config.pollMs;
        } catch (error) {
          delay = Math.min(delay * 2, 10_000);
          this.log.warn("work loop failed, retrying", { error: describe(error), retryInMs: delay });
        }
        if (this.stopping) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    })();
  }

  /** Finishes the step in progress, then closes the database and the provider. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    await this.close();
    this.log.info("oracle node stopped");
  }

  private async close(): Promise<void> {
    this.provider.destroy();
    await this.store.db.close();
  }

  /** One round of work; how long each step took is logged at debug level. */
  async tick(): Promise<void> {
    const took: Record<string, number> = {};
    const steps: [string, () => Promise<void>][] = [
      ["followUpMs", () => this.followUpTransactions()],
      ["followMs", () => this.follow()],
      ["textsMs", () => this.fetchTexts()],
      ["attributeMs", () => this.attributeOutputs()],
      ["leadMs", () => this.lead()],
      ["missingMs", () => this.reportMissingOutputs()],
    ];
    for (const [name, step] of steps) {
      const started = Date.now();
      await step();
      took[name] = Date.now() - started;
    }
    this.log.debug("round", took);
  }

  /**
   * Warns, once an hour per inference, of pending inferences whose output has not arrived when the last tenth of
   * their attribution window (at least an hour) has begun: unattributed, their pool goes to the treasury.
   */
  private async reportMissingOutputs(): Promise<void> {
    const now = Date.now();
    if (now - this.missingCheckedAt < Math.min(MISSING_CHECK_MS, 10 * this.config.pollMs)) return;
    this.missingCheckedAt = now;
    const router = this.client.contracts.inferenceRouter;
    const window = await router.attributionWindow();
    const margin = window / 10n > 3600n ? window / 10n : 3600n;
    const chainNow = await this.client.context.now();
    let missing = 0;
    const ids = await this.store.pendingWithoutOutput(1_000);
    const closings = await Promise.all(ids.map((id) => router.closingTime(id)));
    for (const [i, id] of ids.entries()) {
      const closes = closings[i]!;
      if (closes - chainNow > margin) continue;
      missing++;
      if (now - (this.missingWarned.get(id) ?? 0) < 3_600_000) continue;
      this.missingWarned.set(id, now);
      this.log.warn("no output yet for an inference whose window is closing", {
        inferenceId: id,
        closesAt: new Date(Number(closes) * 1000).toISOString(),
      });
    }
    this.outputsMissing = missing;
  }

  // Following the chain.

  private async follow(): Promise<void> {
    const head = await this.provider.getBlockNumber();
    this.head = head;
    const target = head - this.config.confirmations;
    const checkpoint = (await this.store.checkpoint()) ?? this.deployment.deployBlock - 1;
    this.checkpointBlock = Math.max(checkpoint, 0);
    const { inferenceRouter: router, datanetRegistry: registry } = this.client.contracts;
    for (let from = checkpoint + 1; from <= target && !this.stopping; from += LOG_SPAN) {
      const to = Math.min(from + LOG_SPAN - 1, target);
      const [paid, settled, expired, submitted, reviewed, penalized] = await Promise.all([
        router.queryFilter(router.filters.InferencePaid(), from, to),
        router.queryFilter(router.filters.InferenceSettled(), from, to),
        router.queryFilter(router.filters.InferenceExpired(), from, to),
        registry.queryFilter(registry.filters.ContributionSubmitted(), from, to),
        registry.queryFilter(registry.filters.ContributionReviewed(), from, to),
        registry.queryFilter(registry.filters.ContributionPenalized(), from, to),
      ]);
      const order = (e: { blockNumber: number; index: number }) => e.blockNumber * 1e6 + e.index;
      const inferences: (InferenceEvent & { at: number })[] = [
        ...paid.map((e) => ({
          kind: "paid" as const,
          id: e.args.inferenceId,
          modelId: e.args.modelId,
          block: e.blockNumber,
          pool: e.args.pool,
          at: order(e),
        })),
        ...settled.map((e) => ({
          kind: "settled" as const,
          id: e.args.inferenceId,
          tx: e.transactionHash,
          at: order(e),
        })),
        ...expired.map((e) => ({ kind: "expired" as const, id: e.args.inferenceId, at: order(e) })),
      ].sort((a, b) => a.at - b.at);
      const contributions: (ContributionEvent & { at: number })[] = [
        ...submitted.map((e) => ({
          kind: "submitted" as const,
          id: e.args.contributionId,
          datanetId: e.args.datanetId,
          contentHash: e.args.contentHash,
          uri: e.args.uri,
          at: order(e),
        })),
        ...reviewed.map((e) => ({
          kind: "reviewed" as const,
          id: e.args.contributionId,
          accepted: e.args.accepted,
          at: order(e),
        })),
        ...penalized.map((e) => ({ kind: "penalized" as const, id: e.args.contributionId, at: order(e) })),
      ].sort((a, b) => a.at - b.at);
      await this.store.applyRange(to, inferences, contributions);
      this.checkpointBlock = to;
      if (contributions.length > 0) this.corpusVersion++;
      if (paid.length + settled.length + expired.length + contributions.length > 0) {
        this.log.info("followed blocks", {
          from,
          to,
          paid: paid.length,
          settled: settled.length,
          expired: expired.length,
          contributionEvents: contributions.length,
        });
      }
    }
  }

  private async fetchTexts(): Promise<void> {
    const now = Date.now();
    for (const c of await this.store.contributionsToFetch()) {
      if (now - (this.textTried.get(c.id) ?? 0) < TEXT_RETRY_MS) continue;
      this.textTried.set(c.id, now);
      const fetched = await fetchContributionText(c.id, c.uri, c.contentHash, {
        ipfsGateway: this.config.ipfsGateway,
        mirror: this.config.textsMirror,
        timeoutMs: 10_000,
      });
      if (fetched.kind === "verified") {
        await this.store.setContributionText(c.id, "verified", fetched.text);
        this.corpusVersion++;
        this.log.info("contribution text checked", { contributionId: c.id, source: fetched.source });
      } else if (fetched.kind === "mismatch") {
        await this.store.setContributionText(c.id, "refused", undefined, fetched.reason);
        this.corpusVersion++;
        this.log.error("contribution text refused: it does not match its content hash, so it is not indexed", {
          contributionId: c.id,
          reason: fetched.reason,
        });
      } else {
        this.log.warn("contribution text unavailable, retrying later", {
          contributionId: c.id,
          reason: fetched.reason,
        });
      }
    }
  }

  // Attribution.

  private async datanetsOf(modelId: bigint): Promise<bigint[]> {
    let datanets = this.modelDatanets.get(modelId);
    if (datanets === undefined) {
      datanets = [...(await this.client.contracts.modelRegistry.modelDatanets(modelId))].sort((a, b) =>
        a < b ? -1 : a > b ? 1 : 0,
      );
      this.modelDatanets.set(modelId, datanets);
    }
    return datanets;
  }

  /**
   * The index of a model's datanets: their accepted contributions whose texts the node checked, as
   * `attribution index --datanets` builds it. Undefined while an accepted text is still to be fetched, or when
   * nothing is indexable.
   */
  private async indexOf(datanetIds: readonly bigint[]): Promise<AttributionIndex | undefined> {
    const key = datanetIds.join(",");
    const cached = this.indexes.get(key);
    if (cached !== undefined && cached.version === this.corpusVersion) return cached.index;
    const version = this.corpusVersion;
    const contributions = await this.store.indexable(datanetIds);
    let index: AttributionIndex | undefined;
    if (contributions.some((c) => c.textStatus === "none")) {
      index = undefined;
    } else {
      const documents = contributions
        .filter((c) => c.textStatus === "verified" && c.text !== undefined)
        .map((c) => ({ contributionId: c.id, datanetId: c.datanetId, text: c.text!, contentHash: c.contentHash }));
      index = documents.length === 0 ? undefined : buildIndex(documents);
    }
    this.indexes.set(key, { version, index });
    return index;
  }

  /**
   * Attributes every output that has no report for the current index: grouped by index (a model's datanets) and
   * read from the chain once per group of ATTRIBUTE_CHUNK outputs (SDK attributeMany).
   */
  private async attributeOutputs(): Promise<void> {
    const groups = new Map<AttributionIndex, PendingOutput[]>();
    for (const pending of await this.store.pendingWithOutput()) {
      const index = await this.indexOf(await this.datanetsOf(pending.modelId));
      if (index === undefined) continue;
      if (pending.report !== undefined && pending.report.indexCommitment === commitmentOfIndex(index)) continue;
      groups.set(index, [...(groups.get(index) ?? []), pending]);
    }
    for (const [index, all] of groups) {
      for (let start = 0; start < all.length && !this.stopping; start += ATTRIBUTE_CHUNK) {
        const chunk = all.slice(start, start + ATTRIBUTE_CHUNK);
        let results: PromiseSettledResult<{ attribution: Attribution }>[];
        try {
          results = await this.client.attribution.attributeMany(
            attribute,
            index,
            chunk.map(({ output }) => ({ inferenceId: output.inferenceId, output: output.text })),
          );
        } catch (error) {
          // The chain could not be read (an RPC failure): the whole chunk is tried again next round.
          for (const { output } of chunk) this.warnUnattributed(output.inferenceId, describe(error));
          continue;
        }
        for (const [i, result] of results.entries()) {
          const { output, report } = chunk[i]!;
          if (result.status === "rejected") {
            const refusal = toProtocolError(result.reason);
            if (refusal?.code === "InferenceNotPending") await this.refreshStatus(output.inferenceId);
            // One output that cannot be attributed now (an index lacking a datanet) must not stop the others.
            else this.warnUnattributed(output.inferenceId, refusal?.message ?? describe(result.reason));
            continue;
          }
          const { attribution } = result.value;
          const weights = [...attribution.weights].sort((a, b) => (a.contributionId < b.contributionId ? -1 : 1));
          const computed: ComputedReport = {
            inferenceId: output.inferenceId,
            outputHash: attribution.outputHash,
            indexCommitment: attribution.indexCommitment,
            contributionIds: weights.map((w) => w.contributionId),
            weights: weights.map((w) => w.weight),
          };
          if (report !== undefined && report.indexCommitment === computed.indexCommitment) continue;
          await this.store.saveReport(computed);
          this.log.info("output attributed", {
            inferenceId: output.inferenceId,
            indexCommitment: computed.indexCommitment,
            contributions: computed.contributionIds,
          });
        }
      }
    }
  }

  /** Says, once a minute per inference, why an output is not attributed yet (it is tried again next round). */
  private warnUnattributed(inferenceId: bigint, error: string): void {
    const now = Date.now();
    if (now - (this.attributeWarned.get(inferenceId) ?? 0) <= 60_000) return;
    this.attributeWarned.set(inferenceId, now);
    this.log.warn("output not attributed yet, retrying", { inferenceId, error });
  }

  /** Reads an inference's status from the chain (latest block) into the store when it is final. */
  private async refreshStatus(inferenceId: bigint): Promise<void> {
    const stored = await this.client.inference.find(inferenceId);
    if (stored?.status === "Settled") await this.store.setInferenceStatus(inferenceId, "settled");
    if (stored?.status === "Expired") await this.store.setInferenceStatus(inferenceId, "expired");
  }

  // Outputs.

  /**
   * Takes an output text posted by the model's serving operator: `{inferenceId, text, signature}`, the signature
   * being the model creator's EIP-712 InferenceOutput signature. Refuses anything else with a RequestError.
   */
  async acceptOutput(body: unknown): Promise<Record<string, unknown>> {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new RequestError(400, "The body must be a JSON object {inferenceId, text, signature}.");
    }
    const { inferenceId: rawId, text, signature } = body as Record<string, unknown>;
    const inferenceId = parseId(rawId, "inferenceId");
    if (typeof text !== "string" || text === "")
      throw new RequestError(400, "text must be the output text, not empty.");
    if (Buffer.byteLength(text, "utf8") > MAX_OUTPUT_BYTES) {
      throw new RequestError(413, `The output text is larger than ${MAX_OUTPUT_BYTES} bytes.`);
    }
    if (typeof signature !== "string" || !/^0x(?:[0-9a-fA-F]{2}){0,4096}$/.test(signature)) {
      throw new RequestError(
        400,
        "signature must be the model creator's signature in 0x hex: 65 bytes from an account, at most 4096 from a contract.",
      );
    }
    const inference = await this.client.inference.find(inferenceId);
    if (inference === undefined) {
      throw new RequestError(404, `Inference ${inferenceId} was never paid on this deployment.`);
    }
    const outputHash = outputHashOf(text);
    const known = await this.store.output(inferenceId);
    if (known !== undefined) {
      if (known.outputHash === outputHash) return { inferenceId: inferenceId.toString(), outputHash, known: true };
      throw new RequestError(
        409,
        `Inference ${inferenceId} already has another output (hash ${known.outputHash}); an output is never replaced.`,
      );
    }
    if (inference.status !== "Pending") {
      throw new RequestError(409, `Inference ${inferenceId} is ${inference.status}: its output is no longer needed.`);
    }
    const { creator } = await this.client.contracts.modelRegistry.getModel(inference.modelId);
    // The creator's ECDSA signature, or its contract's (EIP-1271: a multisig, a smart account) for this digest.
    const digest = outputDigest(this.outputsDomain, { inferenceId, outputHash });
    if (!(await isValidSignatureNow(this.provider, creator, digest, signature))) {
      let signer = "another account";
      try {
        signer = recoverInferenceOutputSigner(this.outputsDomain, { inferenceId, outputHash }, signature);
      } catch {
        // Not an ECDSA signature, and the creator's contract (if any) does not accept it.
      }
      throw new RequestError(
        403,
        `The output must be signed by ${creator}, the creator of model ${inference.modelId}, over this text; it was signed by ${signer} or over another text.`,
      );
    }
    const tokens = countTokens(text);
    const paid = await this.client.inference.paidTokens(inferenceId);
    const tokenMismatch = paid !== undefined && paid.outputTokens !== BigInt(tokens);
    await this.store.saveOutput({
      inferenceId,
      outputHash,
      text,
      signature,
      tokens,
      paidTokens: paid?.outputTokens,
      tokenMismatch,
      receivedAt: Date.now(),
    });
    const warning = tokenMismatch
      ? `The text has ${tokens} tokens but inference ${inferenceId} was paid for ${paid?.outputTokens} output tokens: it is attributed, and flagged.`
      : undefined;
    if (warning !== undefined)
      this.log.warn("output token count disagrees with the payment", { inferenceId, tokens, paid: paid?.outputTokens });
    this.log.info("output received", { inferenceId, outputHash, tokens });
    this.wake?.();
    return {
      inferenceId: inferenceId.toString(),
      outputHash,
      tokens,
      paidOutputTokens: paid?.outputTokens.toString() ?? null,
      ...(warning === undefined ? {} : { warning }),
    };
  }

  // Agreement.

  private async chainParameters() {
    if (this.parameters === undefined || Date.now() - this.parameters.at > PARAMETER_TTL_MS) {
      const [signers, threshold, limits] = await Promise.all([
        this.client.attribution.signers(),
        this.client.contracts.attributionOracle.threshold(),
        this.client.attribution.limits(),
      ]);
      this.parameters = { at: Date.now(), signers, threshold, limits };
    }
    return this.parameters;
  }

  /** The slot of time `ms` and its leader among the sorted signers. */
  leaderOf(slot: number, signers: readonly string[]): string | undefined {
    return signers.length === 0 ? undefined : signers[slot % signers.length];
  }

  private slotNow(): number {
    return Math.floor(Date.now() / this.config.slotMs);
  }

  /** How long a proposal holds its inferences: two slots, after which the next leaders may propose them again. */
  private get lockMs(): number {
    return 2 * this.config.slotMs;
  }

  private async lead(): Promise<void> {
    // A settlement of this node still pending holds its nonce: later ones would only queue behind it.
    if (this.pendingSettlements > 0) return;
    const { signers, threshold, limits } = await this.chainParameters();
    const slot = this.slotNow();
    if (this.leaderOf(slot, signers)?.toLowerCase() !== this.address.toLowerCase()) return;
    const cap = Math.max(
      1,
      Math.min(
        Number(limits.reports),
        this.config.maxBatch > 0 ? this.config.maxBatch : Number.MAX_SAFE_INTEGER,
        this.batchCap,
      ),
    );
    const now = Date.now();
    for (const [id, until] of this.backoff) if (until <= now) this.backoff.delete(id);
    const ready = (await this.store.ready(now, cap + this.backoff.size))
      .filter((r) => !this.backoff.has(r.inferenceId))
      .slice(0, cap);
    const [oldest] = ready;
    if (oldest === undefined) return;
    if (ready.length < cap && now - oldest.receivedAt < this.config.maxBatchDelayMs) return;
    const chosen: ComputedReport[] = [];
    let contributions = 0n;
    for (const r of ready) {
      const count = BigInt(r.contributionIds.length);
      if (count > limits.perReport) {
        await this.store.refuseReport(
          r.inferenceId,
          `it names ${count} contributions, more than the router's ${limits.perReport}`,
        );
        continue;
      }
      if (contributions + count > limits.contributions) break;
      contributions += count;
      chosen.push(r);
    }
    if (chosen.length === 0) return;
    const deadline = BigInt((await this.client.context.now()) + BigInt(this.config.deadlineSeconds));
    await this.propose(
      chosen.map((r) => ({ ...r, deadline })),
      slot,
      threshold,
      1,
    );
  }

  private digestOf(reports: readonly AttributionReport[]): string {
    const [single] = reports;
    return reports.length === 1 && single !== undefined
      ? reportDigest(this.domain, single)
      : batchDigest(this.domain, [...reports]);
  }

  private async sign(reports: readonly AttributionReport[]): Promise<SignerSignature> {
    const [single] = reports;
    const [signature] =
      reports.length === 1 && single !== undefined
        ? await signReport(this.domain, single, [this.wallet])
        : await signBatch(this.domain, [...reports], [this.wallet]);
    if (signature === undefined) throw new Error("Signing gave no signature.");
    // Signing for a contract: the key's ECDSA signature of the digest, which the contract accepts as its own.
    return { signer: this.address, signature: signature.signature };
  }

  private async propose(reports: AttributionReport[], slot: number, threshold: bigint, retries: number): Promise<void> {
    const id = this.digestOf(reports);
    const ids = reports.map((r) => r.inferenceId);
    const now = Date.now();
    const held = await this.store.lock(ids, id, now + this.lockMs, now);
    if (held.length > 0) {
      const rest = reports.filter((r) => !held.includes(r.inferenceId));
      if (rest.length > 0 && retries > 0) await this.propose(rest, slot, threshold, retries - 1);
      return;
    }
    const kind = reports.length === 1 ? "report" : "batch";
    await this.store.saveProposal({ id, leader: this.address, slot, kind, reports, status: "proposed" });
    const mine = await this.sign(reports);
    await this.store.saveSignature(id, mine.signer, mine.signature);
    const proposal: SignedAttribution = {
      kind,
      router: this.deployment.addresses.inferenceRouter,
      chainId: this.deployment.chainId,
      reports,
      signatures: [mine],
    };
    const body = { ...(JSON.parse(writeSignedAttribution(proposal)) as object), slot };
    const signatures: SignerSignature[] = [mine];
    const refusals: { peer: string; excluded: Set<bigint> }[] = [];
    const { signers } = await this.chainParameters();
    const take = async (peer: string, answer: ProposalAnswer | undefined) => {
      if (answer === undefined) return;
      if (answer.signed) {
        const valid = await this.checkPeerSignature(reports, answer, signers);
        if (valid && !signatures.some((s) => s.signer.toLowerCase() === answer.signer.toLowerCase())) {
          signatures.push({ signer: answer.signer, signature: answer.signature });
        } else if (!valid) {
          this.log.warn("peer signature invalid", { peer, signer: answer.signer });
        }
        return;
      }
      refusals.push({
        peer,
        excluded: new Set([...answer.missing, ...answer.disagreeing, ...answer.final, ...answer.locked].map(BigInt)),
      });
      if (answer.disagreeing.length > 0) {
        this.log.warn("peer disagrees with proposal", {
          peer,
          proposal: id,
          inferences: answer.disagreeing,
          error: answer.error,
        });
      }
    };
    // Ask every peer at once; go on as soon as the threshold is reached, without waiting for a slow or hung peer.
    await new Promise<void>((resolve) => {
      let answered = 0;
      const done = () => {
        if (BigInt(signatures.length) >= threshold || answered === this.config.peers.length) resolve();
      };
      done();
      for (const peer of this.config.peers) {
        void this.ask(peer, body)
          .then((answer) => take(peer, answer))
          .catch((error: unknown) => this.log.warn("peer answer not checked", { peer, error: describe(error) }))
          .finally(() => {
            answered++;
            done();
          });
      }
    });
    if (BigInt(signatures.length) >= threshold) {
      await this.store.setProposalStatus(id, "signed");
      await this.settle(id, kind, reports, sortBySigner(signatures).slice(0, Number(threshold)));
      return;
    }
    await this.store.setProposalStatus(id, "failed", `${signatures.length} of ${threshold} signatures`);
    await this.store.unlock(id);
    // Not again at once: peers that disagree would only refuse again (those still attributing soon agree).
    const later = Date.now() + Math.min(this.config.slotMs / 2, 1_000);
    for (const r of reports) this.backoff.set(r.inferenceId, later);
    // Retry once with what the most agreeable refusing peer would sign.
    const best = refusals.sort((a, b) => a.excluded.size - b.excluded.size)[0];
    if (best !== undefined && retries > 0) {
      const rest = reports.filter((r) => !best.excluded.has(r.inferenceId));
      if (rest.length > 0 && rest.length < reports.length) await this.propose(rest, slot, threshold, retries - 1);
    }
  }

  /** Whether a registered signer signed these reports: its ECDSA signature, or its contract's (EIP-1271). */
  private async checkPeerSignature(
    reports: AttributionReport[],
    answer: { signer: string; signature: string },
    signers: string[],
  ): Promise<boolean> {
    if (!signers.some((s) => s.toLowerCase() === answer.signer.toLowerCase())) return false;
    return isValidSignatureNow(this.provider, answer.signer, this.digestOf(reports), answer.signature);
  }

  /** Posts a proposal to a peer; undefined when the peer is down or answers nonsense. */
  private async ask(peer: string, body: unknown): Promise<ProposalAnswer | undefined> {
    try {
      const response = await fetch(`${peer}/peer/proposals`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(PEER_TIMEOUT_MS),
      });
      const answer = (await response.json()) as Record<string, unknown>;
      if (response.ok && typeof answer.signer === "string" && typeof answer.signature === "string") {
        return { signed: true, signer: answer.signer, signature: answer.signature };
      }
      const list = (key: string) => (Array.isArray(answer[key]) ? (answer[key] as unknown[]).map(String) : []);
      return {
        signed: false,
        error: String(answer.error ?? `HTTP ${response.status}`),
        missing: list("missing"),
        disagreeing: list("disagreeing"),
        final: list("final"),
        locked: list("locked"),
      };
    } catch (error) {
      this.log.debug("peer unreachable", { peer, error: describe(error) });
      return undefined;
    }
  }

  /** Sends a signed proposal through the SDK; a refused or reverted batch is split for the next proposals. */
  private async settle(
    id: string,
    kind: "report" | "batch",
    reports: AttributionReport[],
    signatures: SignerSignature[],
  ) {
    const signed: SignedAttribution = {
      kind,
      router: this.deployment.addresses.inferenceRouter,
      chainId: this.deployment.chainId,
      reports,
      signatures,
    };
    let hash: string | undefined;
    const started = Date.now();
    let sentAt = 0;
    try {
      const result = await this.client.attribution.push(signed, {
        onSent: async (sent) => {
          sentAt = Date.now();
          hash = sent.hash;
          await this.store.recordTransaction(sent.hash, id, sent.nonce, sent);
          await this.store.setProposalStatus(id, "sent");
        },
        timeoutMs: this.config.replaceAfterMs,
      });
      await this.store.finishTransaction(result.hash, "mined", { gasUsed: result.gasUsed, gasCost: result.gasCost });
      await this.store.setProposalStatus(id, "settled");
      for (const s of result.settled) await this.store.setInferenceStatus(s.inferenceId, "settled", result.hash);
      for (const s of result.skipped) await this.refreshStatus(s.inferenceId);
      this.batchCap = Math.min(Number.MAX_SAFE_INTEGER, this.batchCap * 2);
      this.log.info("settled", {
        proposal: id,
        tx: result.hash,
        settled: result.settled.length,
        skipped: result.skipped.length,
        gasUsed: result.gasUsed,
        checkMs: sentAt - started,
        minedMs: Date.now() - sentAt,
      });
    } catch (error) {
      const refusal = toProtocolError(error);
      const reason = refusal?.message ?? describe(error);
      if (hash !== undefined && (refusal === undefined || refusal.code === "NotMinedYet")) {
        // Sent, then not mined in time or the RPC failed while waiting: the transaction is followed up (and
        // replaced with higher fees while it stays pending), never sent again with another nonce.
        this.pendingSettlements++;
        this.log.warn("settlement sent, outcome unknown yet", { proposal: id, tx: hash, error: reason });
        return;
      }
      if (hash !== undefined) await this.store.finishTransaction(hash, "reverted", { error: reason });
      await this.store.setProposalStatus(id, "failed", reason);
      await this.store.unlock(id);
      if (refusal === undefined) {
        this.log.warn("settlement failed, retrying later", { proposal: id, error: reason });
        return;
      }
      this.log.warn("settlement refused", { proposal: id, code: refusal.code, reason, reports: reports.length });
      // A pause or a passed deadline says nothing about the reports: they are proposed again, whole, later.
      if (TRANSIENT_REFUSALS.test(refusal.code)) return;
      for (const r of reports) await this.refreshStatus(r.inferenceId);
      const [single] = reports;
      if (reports.length === 1 && single !== undefined) {
        if ((await this.store.inferenceStatus(single.inferenceId)) === "pending") {
          await this.store.refuseReport(single.inferenceId, reason);
        }
      } else {
        // Bisect: the next batches are half as large, down to single reports, which isolate the bad one.
        this.batchCap = Math.max(1, Math.floor(reports.length / 2));
      }
    }
  }

  /**
   * Follows up the settlements sent and not known mined (after a restart too): each nonce is settled by exactly one
   * of its transactions. A mined one finishes its proposal (the others of its nonce are `replaced`); a nonce used by
   * another transaction drops them; one pending longer than `replaceAfterMs` is replaced (same nonce, higher fees),
   * or cancelled by a 0-value transfer to itself when its reports' deadline would pass first. Never a second nonce.
   */
  private async followUpTransactions(): Promise<void> {
    const byNonce = new Map<number, StoredTransaction[]>();
    for (const tx of await this.store.unfinishedTransactions()) {
      byNonce.set(tx.nonce, [...(byNonce.get(tx.nonce) ?? []), tx]);
    }
    let used: number | undefined;
    let pending = 0;
    for (const [nonce, sent] of byNonce) {
      if (await this.finishMined(sent)) continue;
      used ??= await this.provider.getTransactionCount(this.sender, "latest");
      if (used > nonce) {
        for (const tx of sent) await this.store.finishTransaction(tx.hash, "dropped");
        await this.failProposal(sent[0]!.proposalId, "dropped: its nonce was used by another transaction");
        this.log.warn("sent transaction dropped (its nonce was used by another)", { txs: sent.map((t) => t.hash) });
        continue;
      }
      pending++;
      const last = sent.at(-1)!;
      if (Date.now() - last.sentAt >= this.config.replaceAfterMs) await this.replace(last);
      else this.log.debug("sent transaction still pending", { tx: last.hash, nonce });
    }
    this.pendingSettlements = pending;
  }

  /** Finishes the transactions of one nonce when one of them was mined; false when none was. */
  private async finishMined(sent: readonly StoredTransaction[]): Promise<boolean> {
    for (const tx of sent) {
      const receipt = await this.provider.getTransactionReceipt(tx.hash);
      if (receipt === null) continue;
      const status = receipt.status === 1 ? "mined" : "reverted";
      await this.store.finishTransaction(tx.hash, status, { gasUsed: receipt.gasUsed, gasCost: receipt.fee });
      for (const other of sent) if (other.hash !== tx.hash) await this.store.finishTransaction(other.hash, "replaced");
      if (tx.kind === "cancel") {
        await this.failProposal(tx.proposalId, "cancelled: its reports' deadline came before it could be mined");
      } else if (status === "mined") {
        await this.store.setProposalStatus(tx.proposalId, "settled");
      } else {
        await this.failProposal(tx.proposalId, "reverted");
      }
      this.log.info("sent transaction found", { tx: tx.hash, status, kind: tx.kind, replaced: sent.length - 1 });
      return true;
    }
    return false;
  }

  private async failProposal(id: string, reason: string): Promise<void> {
    await this.store.setProposalStatus(id, "failed", reason);
    await this.store.unlock(id);
  }

  /**
   * Sends `last` again with its nonce and fees 12.5% higher (at least the network's current ones): what a node
   * accepts as a replacement. Cancels instead (a 0-value transfer to itself) when its reports would expire before
   * another `replaceAfterMs`. The replacement is signed and recorded before it is broadcast, so a crash between the
   * two loses nothing.
   */
  private async replace(last: StoredTransaction): Promise<void> {
    if (last.request === undefined) return; // Recorded without its request: it can only be followed up.
    const proposal = await this.store.proposal(last.proposalId);
    const chainNow = await this.client.context.now();
    const margin = BigInt(Math.ceil((2 * this.config.replaceAfterMs) / 1000));
    const expiring =
      proposal === undefined || proposal.reports.some((r) => r.deadline <= chainNow + margin) || last.kind === "cancel";
    const fees = await this.provider.getFeeData();
    const bump = (old: bigint | null, now: bigint | null) =>
      old === null ? now : (old * 9n + 7n) / 8n > (now ?? 0n) ? (old * 9n + 7n) / 8n : (now ?? 0n);
    const request: TransactionRequest = {
      ...(expiring ? { to: this.sender, data: "0x", gasLimit: 21_000n } : last.request),
      maxFeePerGas: bump(last.request.maxFeePerGas, fees.maxFeePerGas),
      maxPriorityFeePerGas: bump(last.request.maxPriorityFeePerGas, fees.maxPriorityFeePerGas),
      gasPrice: bump(last.request.gasPrice, fees.gasPrice),
    };
    const legacy = last.request.maxFeePerGas === null;
    const raw = await this.wallet.signTransaction({
      to: request.to,
      data: request.data,
      gasLimit: request.gasLimit,
      nonce: last.nonce,
      chainId: this.deployment.chainId,
      value: 0n,
      ...(legacy
        ? { type: 0, gasPrice: request.gasPrice }
        : { type: 2, maxFeePerGas: request.maxFeePerGas, maxPriorityFeePerGas: request.maxPriorityFeePerGas }),
    });
    const hash = Transaction.from(raw).hash!;
    await this.store.recordTransaction(hash, last.proposalId, last.nonce, request, expiring ? "cancel" : "settle");
    try {
      await this.provider.broadcastTransaction(raw);
    } catch (error) {
      // Refused (mined meanwhile, underpriced): the next round finds out which of the recorded ones won.
      await this.store.finishTransaction(hash, "dropped", { error: describe(error) });
      this.log.warn("replacement not accepted by the node", { tx: hash, replaces: last.hash, error: describe(error) });
      return;
    }
    await this.store.increment("replacements");
    this.log.warn(expiring ? "settlement not mined in time: cancelled" : "settlement not mined: replaced", {
      replaces: last.hash,
      tx: hash,
      nonce: last.nonce,
      ...(legacy
        ? { gasPrice: request.gasPrice, replacedGasPrice: last.request.gasPrice }
        : {
            maxFeePerGas: request.maxFeePerGas,
            maxPriorityFeePerGas: request.maxPriorityFeePerGas,
            replacedMaxFeePerGas: last.request.maxFeePerGas,
            replacedMaxPriorityFeePerGas: last.request.maxPriorityFeePerGas,
          }),
    });
  }

  /**
   * A peer's proposal: signs it when this node computed every report identically, holds none of its inferences
   * for another live proposal, and the proposer is the leader of its slot. Otherwise says why, per inference.
   */
  async answerProposal(body: unknown): Promise<ProposalAnswer> {
    const slot = typeof body === "object" && body !== null ? (body as { slot?: unknown }).slot : undefined;
    if (typeof slot !== "number" || !Number.isSafeInteger(slot)) {
      throw new RequestError(400, "A proposal must name its slot, a whole number.");
    }
    let signed: SignedAttribution;
    try {
      signed = readSignedAttribution(body, "The proposal");
    } catch (error) {
      throw new RequestError(400, (error as Error).message);
    }
    if (
      signed.router.toLowerCase() !== this.deployment.addresses.inferenceRouter.toLowerCase() ||
      signed.chainId !== this.deployment.chainId
    ) {
      throw new RequestError(400, "The proposal is for another deployment (router or chain).");
    }
    const [leaderSignature] = signed.signatures;
    if (signed.signatures.length !== 1 || leaderSignature === undefined) {
      throw new RequestError(400, "A proposal carries exactly one signature: its leader's.");
    }
    const { signers } = await this.chainParameters();
    if (!(await this.checkPeerSignature(signed.reports, leaderSignature, signers))) {
      throw new RequestError(
        401,
        `The proposal is not signed by ${leaderSignature.signer}, or it is not an oracle signer.`,
      );
    }
    const mySlot = this.slotNow();
    if (
      Math.abs(slot - mySlot) > 1 ||
      this.leaderOf(slot, signers)?.toLowerCase() !== leaderSignature.signer.toLowerCase()
    ) {
      throw new RequestError(
        409,
        `${leaderSignature.signer} is not the leader of slot ${slot} (this node is in slot ${mySlot}).`,
      );
    }
    const now = await this.client.context.now();
    const latest = now + 2n * BigInt(this.config.deadlineSeconds) + 600n;
    const missing: string[] = [];
    const disagreeing: string[] = [];
    const final: string[] = [];
    for (const r of signed.reports) {
      if (r.deadline <= now || r.deadline > latest) {
        throw new RequestError(409, `The deadline of the report of inference ${r.inferenceId} is out of bounds.`);
      }
      const status = await this.store.inferenceStatus(r.inferenceId);
      if (status === "settled" || status === "expired") {
        final.push(r.inferenceId.toString());
        continue;
      }
      const mine = await this.store.report(r.inferenceId);
      if (mine === undefined || status === undefined) missing.push(r.inferenceId.toString());
      else if (!sameReport(mine, r)) {
        disagreeing.push(r.inferenceId.toString());
        this.log.warn("disagreement: the proposed report differs from this node's", {
          inferenceId: r.inferenceId,
          leader: leaderSignature.signer,
          theirs: { indexCommitment: r.indexCommitment, contributionIds: r.contributionIds, weights: r.weights },
          mine: { indexCommitment: mine.indexCommitment, contributionIds: mine.contributionIds, weights: mine.weights },
          indexDiffers: mine.indexCommitment.toLowerCase() !== r.indexCommitment.toLowerCase(),
        });
      }
    }
    if (disagreeing.length > 0) await this.store.increment("disagreements", disagreeing.length);
    const refuse = (error: string, locked: string[] = []): ProposalAnswer => ({
      signed: false,
      error,
      missing,
      disagreeing,
      final,
      locked,
    });
    if (missing.length + disagreeing.length + final.length > 0) {
      const parts = [
        disagreeing.length > 0 ? `this node computed other weights for inference(s) ${disagreeing.join(", ")}` : "",
        missing.length > 0 ? `it has no attribution yet for ${missing.join(", ")}` : "",
        final.length > 0 ? `${final.join(", ")} are already settled or expired` : "",
      ].filter((p) => p !== "");
      return refuse(`Not signed: ${parts.join("; ")}.`);
    }
    const id = this.digestOf(signed.reports);
    const nowMs = Date.now();
    const held = await this.store.lock(
      signed.reports.map((r) => r.inferenceId),
      id,
      nowMs + this.lockMs,
      nowMs,
    );
    if (held.length > 0) {
      return refuse(`Not signed: inference(s) ${held.join(", ")} are held by another live proposal.`, held.map(String));
    }
    await this.store.saveProposal({
      id,
      leader: leaderSignature.signer,
      slot,
      kind: signed.kind,
      reports: signed.reports,
      status: "signed",
    });
    const mine = await this.sign(signed.reports);
    await this.store.saveSignature(id, mine.signer, mine.signature);
    this.log.info("signed proposal", { proposal: id, leader: leaderSignature.signer, reports: signed.reports.length });
    return { signed: true, signer: mine.signer, signature: mine.signature };
  }

  /** The node at a glance, for /health. */
  async health(): Promise<Record<string, unknown>> {
    return {
      status: "ok",
      signer: this.address,
      chainId: this.deployment.chainId,
      router: this.deployment.addresses.inferenceRouter,
      head: this.head,
      checkpoint: this.checkpointBlock,
      lag: Math.max(0, this.head - this.checkpointBlock),
    };
  }

  /** Prometheus text exposition of the node's figures. */
  async metrics(): Promise<string> {
    const f = await this.store.figures();
    const lines: string[] = [];
    const metric = (name: string, type: "counter" | "gauge", help: string, value: bigint | number) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
    };
    metric("oracle_inferences_seen_total", "counter", "Paid inferences the node has seen, confirmed.", f.seen ?? 0n);
    metric("oracle_inferences_settled_total", "counter", "Inferences seen settled, by any node.", f.settled ?? 0n);
    metric("oracle_inferences_pending", "gauge", "Inferences seen and not yet settled or expired.", f.pending ?? 0n);
    metric("oracle_inferences_expired_total", "counter", "Inferences seen expired unattributed.", f.expired ?? 0n);
    metric("oracle_outputs_received_total", "counter", "Output texts accepted.", f.outputs ?? 0n);
    metric(
      "oracle_token_mismatches_total",
      "counter",
      "Outputs whose token count differs from what was paid.",
      f.token_mismatches ?? 0n,
    );
    metric(
      "oracle_disagreements_total",
      "counter",
      "Proposed reports this node computed differently.",
      f.disagreements ?? 0n,
    );
    metric("oracle_contributions_indexed", "gauge", "Contribution texts fetched and checked.", f.indexed ?? 0n);
    metric(
      "oracle_contributions_refused_total",
      "counter",
      "Contribution texts refused for a hash mismatch.",
      f.refused ?? 0n,
    );
    metric("oracle_settlements_sent_total", "counter", "Settlement transactions this node sent.", f.transactions ?? 0n);
    metric(
      "oracle_settlements_replaced_total",
      "counter",
      "Settlements resent with the same nonce and higher fees (or cancelled) because they stayed pending.",
      f.replacements ?? 0n,
    );
    metric("oracle_settlements_pending", "gauge", "Settlements sent and not mined yet.", this.pendingSettlements);
    metric("oracle_gas_used_total", "counter", "Gas used by this node's settlement transactions.", f.gas_used ?? 0n);
    metric("oracle_gas_spent_wei_total", "counter", "Wei this node spent on settlement gas.", f.gas_cost ?? 0n);
    metric(
      "oracle_outputs_missing",
      "gauge",
      "Pending inferences without an output whose attribution window is closing.",
      this.outputsMissing,
    );
    metric(
      "oracle_lag_blocks",
      "gauge",
      "Blocks between the chain head and the node's checkpoint.",
      Math.max(0, this.head - this.checkpointBlock),
    );
    return lines.join("\n") + "\n";
  }
}

/**
 * Waits for the RPC (with backoff), then checks the chain and the signer's registration: the key's account, or the
 * signer contract, which must accept the key's signature of a probe digest as its own (EIP-1271).
 */
async function checkIdentity(
  provider: JsonRpcProvider,
  wallet: Wallet,
  signerContract: string | undefined,
  deployment: DeploymentRecord,
  log: Logger,
): Promise<void> {
  const address = signerContract ?? wallet.address;
  let delay = 250;
  for (;;) {
    try {
      const chainId = BigInt((await provider.send("eth_chainId", [])) as string);
      if (chainId !== BigInt(deployment.chainId)) {
        throw new RequestError(
          400,
          `The RPC answers chain ${chainId}, but the deployment is on chain ${deployment.chainId}.`,
        );
      }
      break;
    } catch (error) {
      if (error instanceof RequestError) throw error;
      log.warn("RPC unreachable, retrying", { error, retryInMs: delay });
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 10_000);
    }
  }
  if ((await provider.getCode(deployment.addresses.attributionOracle)) === "0x") {
    throw new RequestError(
      400,
      `There is no AttributionOracle at ${deployment.addresses.attributionOracle} on this chain: the deployment record is stale (was the node restarted?).`,
    );
  }
  if (!(await createClient({ deployment, provider }).contracts.attributionOracle.isSigner(address))) {
    throw new RequestError(
      400,
      `${address} is not a registered oracle signer of this deployment: governance must add it first.`,
    );
  }
  if (signerContract !== undefined) {
    const probe = keccak256(toUtf8Bytes(`OpenLedger oracle node probe for ${signerContract} on ${deployment.chainId}`));
    const signature = wallet.signingKey.sign(probe).serialized;
    if (!(await isValidSignatureNow(provider, signerContract, probe, signature))) {
      throw new RequestError(
        400,
        `The signer contract ${signerContract} does not accept signatures of ${wallet.address} as its own (EIP-1271 isValidSignature): is this key one of its owners?`,
      );
    }
  }
}

const commitments = new WeakMap<AttributionIndex, string>();

/** The commitment of an index with the default engine parameters (what `attribute` names), computed once. */
function commitmentOfIndex(index: AttributionIndex): string {
  let commitment = commitments.get(index);
  if (commitment === undefined) {
    commitment = indexCommitment(index);
    commitments.set(index, commitment);
  }
  return commitment;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
