/**
 * The oracle's side of attribution: sign reports with local signers, verify signed files, push them (one report
 * or a batch, within the router's limits), and the chain reads the attribution engine needs: the checked corpus
 * of a datanet and which contributions may earn for an inference. The engine itself is passed in by the caller
 * (`import { attribute } from "openledger-protocol/attribution"`): this module only imports its types, so a
 * dapp that never attributes never bundles the tokenizer.
 */
import { getAddress, type Signer } from "ethers";

import type { Attribution, AttributionIndex, AttributionOptions, CorpusDocument } from "../../attribution/index.js";
import { clientError, unsettleableReason } from "../core/client-errors.js";
import {
  WEIGHT_SCALE,
  attributionDomain,
  recoverBatchSigner,
  recoverReportSigner,
  signBatch,
  signReport,
  sortAddresses,
  type AttributionReport,
} from "../core/eip712.js";
import { Eligibility, InferenceStatus, inferenceStatusName, type EnumName } from "../core/enums.js";
import { decodeAttributionRecord, decodeCredits } from "../core/inference.js";
import type { SignedAttribution } from "../core/signed.js";
import type { ClientContext, SendOptions } from "./context.js";
import type { Datanets } from "./datanets.js";
import type { Inference, StoredInference } from "./inference.js";

/** The router's size limits on what it settles in one transaction. */
export interface BatchLimits {
  /** Contributions one report may name. */
  perReport: bigint;
  /** Reports one batch may hold. */
  reports: bigint;
  /** Contributions one batch may name in all. */
  contributions: bigint;
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

/** What a push did: the reports settled and, in a batch, those the router skipped. */
export interface PushResult {
  hash: string;
  /** Gas the transaction used, and what it cost in wei (gas used × effective gas price). */
  gasUsed: bigint;
  gasCost: bigint;
  settled: SettledReport[];
  skipped: { inferenceId: bigint; status: EnumName<typeof InferenceStatus> }[];
  /** Contributions penalized since the report was signed: their shares are forfeited to the treasury. */
  forfeiting: bigint[];
}

/** A contribution's text and the content hash it was registered with, as the caller read it. */
export interface ContributionText {
  text: string;
  /** keccak256 of the bytes registered on chain. */
  contentHash: string;
  /** Where the text came from (a file name), for errors. */
  source: string;
}

/** The attribution engine's `attribute` function (from the attribution entry point). */
export type AttributeFunction = (index: AttributionIndex, output: string, options?: AttributionOptions) => Attribution;

/** How `attribute` runs the engine, and whether it may recompute a settled inference. */
export type AttributeOptions = Pick<AttributionOptions, "minSpan" | "maxDocumentsPerSpan" | "parameters"> & {
  settled?: boolean;
};

/** An output attributed: the engine's attribution, the inference's model, and each candidate's contributor. */
export interface AttributedOutput {
  attribution: Attribution;
  modelId: bigint;
  contributors: Map<bigint, string>;
}

/** One contribution's standing in a report for an inference of a model. */
interface Standing {
  contributor: string;
  eligibility: bigint;
}

export class Attributions {
  constructor(
    private readonly ctx: ClientContext,
    private readonly inference: Inference,
    private readonly datanets: Datanets,
  ) {}

  /** The oracle's registered signers, ascending by address (the order signatures are given in). */
  async signers(): Promise<string[]> {
    const signers = await this.ctx.contracts.attributionOracle.signers();
    return sortAddresses(signers.map((s) => getAddress(s)));
  }

  /** The router's batch limits, read from the contract. */
  async limits(): Promise<BatchLimits> {
    const router = this.ctx.contracts.inferenceRouter;
    const [perReport, reports, contributions] = await Promise.all([
      router.MAX_CONTRIBUTIONS(),
      router.MAX_BATCH_REPORTS(),
      router.MAX_BATCH_CONTRIBUTIONS(),
    ]);
    return { perReport, reports, contributions };
  }

  /** Refuses what the router would refuse for its form alone: sizes, order, sums, an inference named twice. */
  private async checkForm(reports: readonly AttributionReport[]): Promise<void> {
    if (reports.length === 0) throw clientError("NoReports", {});
    const limits = await this.limits();
    for (const r of reports) {
      const count = BigInt(r.contributionIds.length);
      if (count > limits.perReport) {
        throw clientError("ReportTooLarge", { inferenceId: r.inferenceId, count, max: limits.perReport });
      }
      if (r.weights.length !== r.contributionIds.length) {
        throw clientError("WeightsMismatch", {
          inferenceId: r.inferenceId,
          contributions: count,
          weights: BigInt(r.weights.length),
        });
      }
      for (let i = 1; i < r.contributionIds.length; i++) {
        if ((r.contributionIds[i] ?? 0n) <= (r.contributionIds[i - 1] ?? 0n)) {
          throw clientError("ContributionsNotInOrder", { inferenceId: r.inferenceId });
        }
      }
      if (r.weights.reduce((sum, w) => sum + w, 0n) > WEIGHT_SCALE) {
        throw clientError("WeightsExceedOne", { inferenceId: r.inferenceId });
      }
    }
    if (reports.length === 1) return;
    if (BigInt(reports.length) > limits.reports) {
      throw clientError("BatchTooManyReports", { count: BigInt(reports.length), max: limits.reports });
    }
    const total = BigInt(reports.reduce((n, r) => n + r.contributionIds.length, 0));
    if (total > limits.contributions) {
      throw clientError("BatchTooManyContributions", { count: total, max: limits.contributions });
    }
    const seen = new Set<bigint>();
    for (const r of reports) {
      if (seen.has(r.inferenceId)) throw clientError("AttributedTwice", { inferenceId: r.inferenceId });
      seen.add(r.inferenceId);
    }
  }

  /** Each named contribution's contributor and eligibility for an inference of `modelId`. */
  private async standings(modelId: bigint, contributionIds: readonly bigint[]) {
    const read = await this.standingsByModel([{ modelId, contributionIds }]);
    return read.get(modelId) ?? { standings: new Map<bigint, Standing>(), datanets: [] };
  }

  /**
   * The standings of several (model, contributions) pairs, read with one `modelDatanets` and one
   * `attributionRecords` call per model, all at once (the provider batches them).
   */
  private async standingsByModel(
    wanted: readonly { modelId: bigint; contributionIds: readonly bigint[] }[],
    knownDatanets: ReadonlyMap<bigint, bigint[]> = new Map(),
  ): Promise<Map<bigint, { standings: Map<bigint, Standing>; datanets: bigint[] }>> {
    const byModel = new Map<bigint, Set<bigint>>();
    for (const { modelId, contributionIds } of wanted) {
      const ids = byModel.get(modelId) ?? new Set<bigint>();
      for (const id of contributionIds) ids.add(id);
      byModel.set(modelId, ids);
    }
    const { modelRegistry, datanetRegistry } = this.ctx.contracts;
    const read = await Promise.all(
      [...byModel].map(async ([modelId, set]) => {
        const ids = [...set];
        const datanets = knownDatanets.get(modelId) ?? [...(await modelRegistry.modelDatanets(modelId))];
        const records = ids.length === 0 ? [] : await datanetRegistry.attributionRecords(ids, datanets);
        const standings = new Map<bigint, Standing>();
        records.forEach((record, i) => {
          const id = ids[i];
          if (id !== undefined) standings.set(id, decodeAttributionRecord(record));
        });
        return [modelId, { standings, datanets }] as const;
      }),
    );
    return new Map(read);
  }

  /** The stored inferences `ids`, read all at once; refuses an unknown one (the first, in order). */
  private async requireAll(ids: readonly bigint[]): Promise<StoredInference[]> {
    const found = await Promise.all(ids.map((id) => this.inference.find(id)));
    return found.map((inference, i) => {
      if (inference === undefined) throw clientError("UnknownInference", { inferenceId: ids[i] ?? 0n });
      return inference;
    });
  }

  /**
   * Why inference `inferenceId` cannot be settled now (not Pending, or its window closed), or undefined when it
   * can. The router's active clock moves with the next block: a window ending now is closed for the transaction.
   */
  private async unsettleable(
    inference: StoredInference,
    activeTime: bigint,
  ): Promise<{ inferenceId: bigint; status: string; closingTime: bigint } | undefined> {
    const { inferenceId, status } = inference;
    if (status !== "Pending") return { inferenceId, status, closingTime: 0n };
    if (activeTime < inference.closesAt) return undefined;
    return { inferenceId, status, closingTime: await this.ctx.contracts.inferenceRouter.closingTime(inferenceId) };
  }

  /**
   * Signs one report (or, for several, one batch) with each of `signers`, for this deployment's router. Refuses
   * before signing what could never settle: no signer, fewer than the oracle's threshold, a signer given twice
   * or not registered, an inference unknown, not Pending or past its window, and a contribution that may not
   * earn for it (never accepted, penalized, or outside the model's datanets), and anything the router's limits
   * would refuse.
   */
  async sign(reports: readonly AttributionReport[], signers: readonly Signer[]): Promise<SignedAttribution> {
    const oracle = this.ctx.contracts.attributionOracle;
    if (signers.length === 0) throw clientError("NoSigners", {});
    await this.checkForm(reports);
    const addresses: string[] = [];
    for (const signer of signers) {
      const address = await signer.getAddress();
      if (addresses.some((a) => a.toLowerCase() === address.toLowerCase())) {
        throw clientError("DuplicateSigner", { signer: address });
      }
      addresses.push(address);
      if (!(await oracle.isSigner(address))) throw clientError("UnregisteredSigner", { signer: address });
    }
    const threshold = await oracle.threshold();
    if (BigInt(signers.length) < threshold) {
      throw clientError("TooFewSigners", { count: BigInt(signers.length), threshold });
    }
    const [inferences, activeTime] = await Promise.all([
      this.requireAll(reports.map((r) => r.inferenceId)),
      this.ctx.contracts.inferenceRouter.activeTime(),
    ]);
    const byModel = await this.standingsByModel(
      reports.map((r, i) => ({ modelId: inferences[i]!.modelId, contributionIds: r.contributionIds })),
    );
    for (const [i, r] of reports.entries()) {
      const inference = inferences[i]!;
      const why = await this.unsettleable(inference, activeTime);
      if (why !== undefined) throw clientError("NotSettleable", why);
      const { standings, datanets } = byModel.get(inference.modelId)!;
      for (const contributionId of r.contributionIds) {
        const standing = standings.get(contributionId);
        if (standing === undefined || standing.eligibility === Eligibility.Invalid) {
          throw clientError("ContributionNotNameable", {
            contributionId,
            inferenceId: r.inferenceId,
            modelId: inference.modelId,
            datanets: datanets.join(", "),
          });
        }
        if (standing.eligibility === Eligibility.Forfeited) {
          throw clientError("ContributionPenalized", { contributionId, inferenceId: r.inferenceId });
        }
      }
    }
    const router = this.ctx.address("inferenceRouter");
    const chainId = await this.ctx.chainId();
    const domain = attributionDomain(chainId, router);
    const kind = reports.length === 1 ? "report" : "batch";
    const list = [...reports];
    const [single] = list;
    const signatures =
      kind === "report" && single !== undefined
        ? await signReport(domain, single, [...signers])
        : await signBatch(domain, list, [...signers]);
    return { kind, router, chainId: Number(chainId), reports: list, signatures };
  }

  /**
   * Checks a signed report or batch against this deployment: the router and chain it was signed for, the number
   * of signatures against the threshold, and each signer registered and (for an account) signing exactly these
   * reports. Contract signers (EIP-1271) are checked by the oracle itself when pushed.
   */
  async verify(signed: SignedAttribution): Promise<{ signers: string[] }> {
    const router = this.ctx.address("inferenceRouter");
    const chainId = await this.ctx.chainId();
    if (signed.router.toLowerCase() !== router.toLowerCase() || BigInt(signed.chainId) !== chainId) {
      throw clientError("WrongDeployment", {
        router: signed.router,
        chainId: BigInt(signed.chainId),
        expectedRouter: router,
        expectedChainId: chainId,
      });
    }
    const threshold = await this.ctx.contracts.attributionOracle.threshold();
    if (BigInt(signed.signatures.length) < threshold) {
      throw clientError("TooFewSignatures", { count: BigInt(signed.signatures.length), threshold });
    }
    const domain = attributionDomain(signed.chainId, signed.router);
    for (const { signer, signature } of signed.signatures) {
      if (!(await this.ctx.contracts.attributionOracle.isSigner(signer))) {
        throw clientError("SignerNotRegistered", { signer });
      }
      if ((await this.ctx.provider.getCode(signer)) !== "0x") continue;
      let recovered: string | undefined;
      try {
        const [single] = signed.reports;
        recovered =
          signed.kind === "report" && single !== undefined
            ? recoverReportSigner(domain, single, signature)
            : recoverBatchSigner(domain, signed.reports, signature);
      } catch {
        recovered = undefined;
      }
      if (recovered?.toLowerCase() !== signer.toLowerCase()) throw clientError("SignatureMismatch", { signer });
    }
    return { signers: signed.signatures.map((s) => s.signer) };
  }

  /**
   * Settles a signed report or batch. Checks first what would make the router revert, so the caller gets the
   * reason in one sentence: wrong deployment, too few or altered signatures, a pause, a passed deadline, an
   * unknown inference, a contribution that can never be named. A single report must find its inference Pending in
   * its window; a batch skips the reports whose inference was settled, expired or whose window closed, and is
   * refused only when nothing in it would settle. A contribution penalized since the report was signed does not
   * stop it: its share is forfeited to the treasury.
   */
  async push(signed: SignedAttribution, options: SendOptions = {}): Promise<PushResult> {
    const router = this.ctx.contracts.inferenceRouter;
    await this.ctx.account();
    await this.verify(signed);
    await this.checkForm(signed.reports);
    if (await router.paused()) throw clientError("SettlementPaused", {});
    const now = await this.ctx.now();
    const batch = signed.kind === "batch";
    const skipping: { inferenceId: bigint; status: string; closingTime: bigint }[] = [];
    const forfeiting: bigint[] = [];
    const [inferences, activeTime] = await Promise.all([
      this.requireAll(signed.reports.map((r) => r.inferenceId)),
      router.activeTime(),
    ]);
    const byModel = await this.standingsByModel(
      signed.reports.map((r, i) => ({ modelId: inferences[i]!.modelId, contributionIds: r.contributionIds })),
    );
    for (const [i, report] of signed.reports.entries()) {
      const id = report.inferenceId;
      const inference = inferences[i]!;
      if (now >= report.deadline) throw clientError("ReportExpired", { inferenceId: id, deadline: report.deadline });
      const why = await this.unsettleable(inference, activeTime);
      if (why !== undefined) {
        if (!batch) throw clientError("NotSettleable", why);
        skipping.push(why);
        continue;
      }
      const { standings, datanets } = byModel.get(inference.modelId)!;
      for (const contributionId of report.contributionIds) {
        const eligibility = standings.get(contributionId)?.eligibility ?? Eligibility.Invalid;
        if (eligibility === Eligibility.Invalid) {
          throw clientError("ContributionNotNameable", {
            contributionId,
            inferenceId: id,
            modelId: inference.modelId,
            datanets: datanets.join(", "),
          });
        }
        if (eligibility === Eligibility.Forfeited) forfeiting.push(contributionId);
      }
    }
    if (skipping.length === signed.reports.length) {
      throw clientError("NothingToSettle", {
        reasons: skipping.map((s) => `inference ${s.inferenceId}: ${unsettleableReason(s.status, s.closingTime)}`),
      });
    }
    const [single] = signed.reports;
    const { hash, receipt } = await this.ctx.send(
      () =>
        batch || single === undefined
          ? router.settleBatch(signed.reports, signed.signatures)
          : router.settle(single, signed.signatures),
      options,
    );
    const settled: SettledReport[] = [];
    const skipped: PushResult["skipped"] = [];
    const forfeits = new Map<bigint, { contributionId: bigint; amount: bigint }[]>();
    const address = this.ctx.address("inferenceRouter").toLowerCase();
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== address) continue;
      const parsed = router.interface.parseLog(log);
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
    return { hash, gasUsed: receipt.gasUsed, gasCost: receipt.fee, settled, skipped, forfeiting };
  }

  /**
   * The accepted contributions of `datanetIds`, each with its text checked against its on-chain content hash, as
   * documents for the attribution engine's index. A missing text or a mismatch is refused, naming the
   * contribution; `unused` counts the texts that are not accepted contributions of these datanets.
   */
  async corpus(
    datanetIds: readonly bigint[],
    texts: ReadonlyMap<bigint, ContributionText>,
  ): Promise<{ documents: CorpusDocument[]; unused: number }> {
    const documents: CorpusDocument[] = [];
    const used = new Set<bigint>();
    for (const datanetId of datanetIds) {
      const accepted = (await this.datanets.contributionsByStatus(datanetId)).get("Accepted") ?? [];
      for (const { id, contentHash: onChain } of accepted) {
        const text = texts.get(id);
        if (text === undefined) throw clientError("MissingText", { contributionId: id, datanetId });
        if (onChain !== text.contentHash) {
          throw clientError("TextHashMismatch", {
            contributionId: id,
            source: text.source,
            contentHash: text.contentHash,
            onChain,
          });
        }
        documents.push({ contributionId: id, datanetId, text: text.text, contentHash: onChain });
        used.add(id);
      }
    }
    return { documents, unused: texts.size - used.size };
  }

  /**
   * Attributes the output of inference `inferenceId` with the engine's `attribute`: only contributions of its
   * model's datanets that are still Accepted may earn, and the router's threshold applies. Refuses an unknown
   * inference, an index lacking one of the model's datanets, and (unless `settled: true`, to recompute a past
   * settlement) an inference that is no longer Pending.
   */
  async attribute(
    attribute: AttributeFunction,
    index: AttributionIndex,
    inferenceId: bigint,
    output: string,
    options: AttributeOptions = {},
  ): Promise<AttributedOutput> {
    const [result] = await this.attributeMany(attribute, index, [{ inferenceId, output }], options);
    if (result === undefined) throw new Error("attributeMany gave no result.");
    if (result.status === "rejected") throw result.reason;
    return result.value;
  }

  /**
   * `attribute` for many outputs at once, against one index: the chain is read once for all of them (inferences,
   * threshold, each model's datanets and the standing of every candidate, in a few batched calls), so an oracle
   * attributes hundreds of outputs in about the time of one. Each output gets its own outcome, in order: its
   * attribution, or the refusal `attribute` would throw for it.
   */
  async attributeMany(
    attribute: AttributeFunction,
    index: AttributionIndex,
    outputs: readonly { inferenceId: bigint; output: string }[],
    options: AttributeOptions = {},
  ): Promise<PromiseSettledResult<AttributedOutput>[]> {
    for (const { inferenceId } of outputs) this.ctx.checkId(inferenceId, "inference id");
    const { modelRegistry, inferenceRouter, datanetRegistry } = this.ctx.contracts;
    const [inferences, threshold] = await Promise.all([
      Promise.all(outputs.map(({ inferenceId }) => this.inference.find(inferenceId))),
      inferenceRouter.attributionThreshold(),
    ]);
    const models = [...new Set(inferences.flatMap((i) => (i === undefined ? [] : [i.modelId])))];
    const datanetsOf = new Map(
      await Promise.all(
        models.map(async (m): Promise<[bigint, bigint[]]> => [m, [...(await modelRegistry.modelDatanets(m))]]),
      ),
    );
    const engineOptions = {
      minSpan: options.minSpan,
      maxDocumentsPerSpan: options.maxDocumentsPerSpan,
      parameters: options.parameters,
    };
    // First pass: each output's candidates (or why it cannot be attributed); then their standing on chain
    // decides who may earn.
    const firstPass = outputs.map(({ inferenceId, output }, i) => {
      const inference = inferences[i];
      if (inference === undefined) return clientError("UnknownInference", { inferenceId });
      if (inference.status !== "Pending" && options.settled !== true) {
        return clientError("InferenceNotPending", { inferenceId, status: inference.status });
      }
      const { modelId } = inference;
      const datanets = datanetsOf.get(modelId) ?? [];
      const missing = datanets.filter((id) => !index.datanetIds.includes(id));
      if (missing.length > 0) {
        return clientError("IndexMissingDatanets", {
          modelId,
          missing: missing.join(", "),
          datanets: datanets.join(","),
        });
      }
      const candidates = attribute(index, output, { ...engineOptions, threshold });
      return { modelId, output, contributionIds: candidates.scores.map((s) => s.contributionId) };
    });
    const candidates = firstPass.filter((p): p is Exclude<typeof p, Error> => !(p instanceof Error));
    const byModel = await this.standingsByModel(candidates, datanetsOf);
    // Contributors of candidates the model may not name (no standing): read from the registry, once each.
    const unnamed = new Set<bigint>();
    for (const { modelId, contributionIds: ids } of candidates) {
      const standings = byModel.get(modelId)?.standings;
      for (const id of ids) {
        const standing = standings?.get(id);
        if (standing === undefined || standing.eligibility === Eligibility.Invalid) unnamed.add(id);
      }
    }
    const registered = new Map(
      await Promise.all(
        [...unnamed].map(async (id) => [id, (await datanetRegistry.getContribution(id)).contributor] as const),
      ),
    );
    return firstPass.map((pass): PromiseSettledResult<AttributedOutput> => {
      if (pass instanceof Error) return { status: "rejected", reason: pass };
      const { modelId, output, contributionIds: ids } = pass;
      const standings = byModel.get(modelId)?.standings ?? new Map<bigint, Standing>();
      const contributors = new Map<bigint, string>();
      for (const id of ids) {
        const standing = standings.get(id);
        contributors.set(
          id,
          standing !== undefined && standing.eligibility !== Eligibility.Invalid
            ? standing.contributor
            : (registered.get(id) ?? ""),
        );
      }
      const eligible = new Set(ids.filter((id) => standings.get(id)?.eligibility === Eligibility.Eligible));
      const attribution = attribute(index, output, {
        ...engineOptions,
        threshold,
        eligible: (id) => eligible.has(id),
      });
      return { status: "fulfilled", value: { attribution, modelId, contributors } };
    });
  }
}
