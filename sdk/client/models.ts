/** Models: propose (with the governor proposal that approves it), register the artifact, activate, read. */
import { keccak256 } from "ethers";

import { clientError } from "../core/client-errors.js";
import type { ModelRegistry } from "../core/contracts.js";
import { ModelState, modelStateName, type EnumName } from "../core/enums.js";
import { eventArgs } from "../core/events.js";
import type { Rates } from "../core/fees.js";
import { idsUpTo, isBytes32 } from "../core/numbers.js";
import type { ClientContext } from "./context.js";
import type { FiledProposal, Governance, ProposalAction } from "./governance.js";

/** Everything about one model. */
export interface ModelDetails {
  modelId: bigint;
  creator: string;
  state: EnumName<typeof ModelState>;
  metadataURI: string;
  datanetIds: bigint[];
  rates: Rates;
  bond: bigint;
  proposedAt: bigint;
  /** Zero until the artifact is registered. */
  artifactHash: string;
  artifactURI: string;
  /** 0 for full weights; else the base model of a LoRA adapter. */
  baseModelId: bigint;
}

/** The states in which a model has weights a LoRA adapter can build on. */
const WITH_WEIGHTS: readonly bigint[] = [ModelState.Trained, ModelState.Active, ModelState.Suspended];

/** The governor proposal description that approves a model. */
export function approvalDescription(modelId: bigint, metadataURI: string): string {
  return `Approve model #${modelId} (${metadataURI}) for inference`;
}

export class Models {
  constructor(
    private readonly ctx: ClientContext,
    private readonly governance: Governance,
  ) {}

  private async requireModel(modelId: bigint) {
    this.ctx.checkId(modelId, "model id");
    const registry = this.ctx.contracts.modelRegistry;
    if (modelId === 0n || modelId > (await registry.modelCount())) throw clientError("UnknownModel", { modelId });
    return registry.getModel(modelId);
  }

  private async requireCreatorInState(modelId: bigint, state: bigint, action: string) {
    const m = await this.requireModel(modelId);
    const account = await this.ctx.account();
    if (m.creator !== account) throw clientError("NotModelCreator", { modelId, creator: m.creator, action });
    if (m.state !== state) {
      throw clientError("WrongModelState", {
        modelId,
        state: modelStateName(m.state),
        required: modelStateName(state),
        action,
      });
    }
    return m;
  }

  /** The proposal action that approves `modelId`. */
  approvalAction(modelId: bigint): ProposalAction {
    return this.governance.buildAction("modelRegistry", "approveModel", [modelId]);
  }

  /**
   * Registers a model proposal (pulling the proposal bond, capped by `maxBond`: default the bond now) and, unless
   * `fileProposal` is false, files the governor proposal whose action is `modelRegistry.approveModel(id)`. The
   * proposer's votes are checked first, so a proposer below the threshold is told before anything is sent.
   * The bond is approved (for `maxBond`) when the allowance is short: ModelRegistry takes no permit.
   */
  async propose(
    metadataURI: string,
    datanetIds: readonly bigint[],
    rates: Rates,
    options: { fileProposal?: boolean; maxBond?: bigint } = {},
  ): Promise<{ hash: string; modelId: bigint; bond: bigint; maxBond: bigint; proposal?: FiledProposal }> {
    const { modelRegistry, datanetRegistry, openToken } = this.ctx.contracts;
    const account = await this.ctx.account();
    const fileProposal = options.fileProposal ?? true;
    if (datanetIds.length === 0) throw clientError("NoDatanets", {});
    const sorted = [...datanetIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i] === sorted[i - 1]) throw clientError("DatanetListedTwice", { datanetId: sorted[i] ?? 0n });
    }
    const max = await modelRegistry.MAX_DATANETS();
    if (BigInt(sorted.length) > max) throw clientError("TooManyDatanets", { count: BigInt(sorted.length), max });
    for (const id of sorted) {
      this.ctx.checkId(id, "datanet id");
      if (!(await datanetRegistry.datanetExists(id))) throw clientError("UnknownDatanet", { datanetId: id });
    }
    const [minRate, maxRate] = await modelRegistry.rateBounds();
    for (const [which, rate] of [
      ["input", rates.inputRate],
      ["output", rates.outputRate],
    ] as const) {
      if (rate < minRate || rate > maxRate)
        throw clientError("RateOutOfBounds", { which, rate, min: minRate, max: maxRate });
    }
    if (fileProposal) await this.governance.checkProposer(account, true);
    if (await modelRegistry.paused()) throw clientError("ModelProposalsPaused", {});
    const bond = await modelRegistry.proposalBond();
    const maxBond = options.maxBond ?? bond;
    if (bond > maxBond) throw clientError("ProposalBondAboveMax", { bond, maxBond });
    const balance = await openToken.balanceOf(account);
    if (balance < bond)
      throw clientError("InsufficientBalance", { account, balance, needed: bond, what: "proposal bond" });
    const registry = this.ctx.address("modelRegistry");
    if (bond > 0n && (await openToken.allowance(account, registry)) < bond) {
      await this.ctx.send(() => openToken.approve(registry, maxBond));
    }
    const { hash, receipt } = await this.ctx.send(() =>
      modelRegistry.proposeModel(
        metadataURI,
        sorted,
        { inputRate: rates.inputRate, outputRate: rates.outputRate },
        maxBond,
      ),
    );
    const args = await eventArgs(receipt, modelRegistry, "ModelProposed");
    const modelId = args.modelId as bigint;
    const posted = args.bond as bigint;
    if (!fileProposal) return { hash, modelId, bond: posted, maxBond };
    const proposal = await this.governance.propose(
      [this.approvalAction(modelId)],
      approvalDescription(modelId, metadataURI),
    );
    return { hash, modelId, bond: posted, maxBond, proposal };
  }

  /** The governor proposal id that approves `modelId`, as `propose` files it. */
  async approvalProposalId(modelId: bigint): Promise<bigint> {
    const m = await this.requireModel(modelId);
    return this.governance.proposalIdOf([this.approvalAction(modelId)], approvalDescription(modelId, m.metadataURI));
  }

  /**
   * Approved → Trained: registers the artifact (full weights, or a LoRA adapter on `baseModelId`). `artifact` is
   * its keccak256 hash (0x and 64 hex digits) or its bytes, hashed here.
   */
  async registerArtifact(
    modelId: bigint,
    artifact: string | Uint8Array,
    artifactURI: string,
    baseModelId = 0n,
  ): Promise<{ hash: string; artifactHash: string }> {
    const artifactHash = typeof artifact === "string" ? artifact : keccak256(artifact);
    if (!isBytes32(artifactHash) || BigInt(artifactHash) === 0n)
      throw clientError("InvalidArtifactHash", { artifactHash });
    await this.requireCreatorInState(modelId, ModelState.Approved, "register its artifact");
    if (baseModelId !== 0n) {
      this.ctx.checkId(baseModelId, "base model id");
      const registry = this.ctx.contracts.modelRegistry;
      if (baseModelId > (await registry.modelCount())) throw clientError("UnknownBaseModel", { baseModelId });
      const base = await registry.getModel(baseModelId);
      if (baseModelId === modelId) throw clientError("BaseIsTheModel", { baseModelId });
      if (!WITH_WEIGHTS.includes(base.state)) {
        throw clientError("BaseWithoutWeights", { baseModelId, state: modelStateName(base.state) });
      }
    }
    const registry = this.ctx.contracts.modelRegistry;
    const { hash } = await this.ctx.send(() =>
      registry.registerArtifact(modelId, artifactHash, artifactURI, baseModelId),
    );
    return { hash, artifactHash };
  }

  /** Trained → Active: the model takes inference. */
  async activate(modelId: bigint): Promise<{ hash: string }> {
    await this.requireCreatorInState(modelId, ModelState.Trained, "activate it");
    const registry = this.ctx.contracts.modelRegistry;
    const { hash } = await this.ctx.send(() => registry.activateModel(modelId));
    return { hash };
  }

  /** Everything about one model. */
  async model(modelId: bigint): Promise<ModelDetails> {
    return this.details(modelId, await this.requireModel(modelId));
  }

  /** Every model in id order, each as `model` gives it (from the client's indexer when it answers). */
  async list(): Promise<ModelDetails[]> {
    const indexed = await this.ctx.indexer?.models();
    if (indexed !== undefined) return indexed;
    const registry = this.ctx.contracts.modelRegistry;
    return Promise.all(
      idsUpTo(await registry.modelCount()).map(async (id) => this.details(id, await registry.getModel(id))),
    );
  }

  private details(modelId: bigint, m: Awaited<ReturnType<ModelRegistry["getModel"]>>): ModelDetails {
    return {
      modelId,
      creator: m.creator,
      state: modelStateName(m.state),
      metadataURI: m.metadataURI,
      datanetIds: [...m.datanetIds],
      rates: { inputRate: m.rates.inputRate, outputRate: m.rates.outputRate },
      bond: m.bond,
      proposedAt: m.proposedAt,
      artifactHash: m.artifactHash,
      artifactURI: m.artifactURI,
      baseModelId: m.baseModelId,
    };
  }

  /** How many models were proposed, and how many are in each state. */
  async countByState(): Promise<{ count: bigint; byState: Map<EnumName<typeof ModelState>, bigint> }> {
    const registry = this.ctx.contracts.modelRegistry;
    const count = await registry.modelCount();
    const byState = new Map<EnumName<typeof ModelState>, bigint>(
      (Object.keys(ModelState) as (keyof typeof ModelState)[]).filter((n) => n !== "None").map((n) => [n, 0n]),
    );
    for (let id = 1n; id <= count; id++) {
      const name = modelStateName((await registry.getModel(id)).state);
      byState.set(name, (byState.get(name) ?? 0n) + 1n);
    }
    return { count, byState };
  }
}
