import { id as keccakText } from "ethers";

import { UserError, formatOpen } from "./cli.js";
import type { ProtocolContext } from "./context.js";
import { eventArgs } from "./events.js";
import { modelStateName } from "./states.js";
import { buildAction, propose, type FiledProposal } from "./governance.js";

export { MODEL_STATES, modelStateName } from "./states.js";
const STATE = { Approved: 2n, Trained: 4n, Active: 5n, Suspended: 6n } as const;

async function requireModel(ctx: ProtocolContext, modelId: bigint) {
  if (modelId === 0n || modelId > (await ctx.modelRegistry.modelCount())) {
    throw new UserError(`There is no model ${modelId}.`);
  }
  return ctx.modelRegistry.getModel(modelId);
}

async function requireCreatorInState(ctx: ProtocolContext, modelId: bigint, state: bigint, action: string) {
  const m = await requireModel(ctx, modelId);
  if (m.creator !== ctx.signer.address) {
    throw new UserError(`Only the creator of model ${modelId} (${m.creator}) can ${action}.`);
  }
  if (m.state !== state) {
    throw new UserError(
      `Model ${modelId} is ${modelStateName(m.state)}; it must be ${modelStateName(state)} to ${action}.`,
    );
  }
  return m;
}

/** The governor proposal description that approves a model. */
export function approvalDescription(modelId: bigint, metadataURI: string): string {
  return `Approve model #${modelId} (${metadataURI}) for inference`;
}

/**
 * Registers a model proposal (pulling the proposal bond) and, unless `skipProposal`, files the
 * Governor proposal whose action is `modelRegistry.approveModel(id)`. Votes are checked first so a
 * proposer below the threshold is told before anything is sent.
 */
export async function proposeModel(
  ctx: ProtocolContext,
  metadataURI: string,
  datanetIds: bigint[],
  rates: { inputRate: bigint; outputRate: bigint },
  options: { skipProposal: boolean; maxBond?: bigint },
): Promise<{ modelId: bigint; bond: bigint; maxBond: bigint; hash: string; proposal?: FiledProposal }> {
  const { modelRegistry, datanetRegistry, openToken, governor, stakedOpen, signer } = ctx;
  if (datanetIds.length === 0) throw new UserError("--datanets must name at least one datanet, e.g. --datanets 1,2.");
  const sorted = [...datanetIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new UserError(`--datanets lists datanet ${sorted[i]} twice.`);
  }
  const max = await modelRegistry.MAX_DATANETS();
  if (BigInt(sorted.length) > max)
    throw new UserError(`A model may name at most ${max} datanets, not ${sorted.length}.`);
  for (const id of sorted) {
    if (!(await datanetRegistry.datanetExists(id))) throw new UserError(`There is no datanet ${id}.`);
  }
  const [minRate, maxRate] = await modelRegistry.rateBounds();
  for (const [name, rate] of [
    ["--input-rate", rates.inputRate],
    ["--output-rate", rates.outputRate],
  ] as const) {
    if (rate < minRate || rate > maxRate) {
      throw new UserError(
        `${name} ${formatOpen(rate)} is outside the allowed range ${formatOpen(minRate)} to ${formatOpen(maxRate)} per 1,000 tokens.`,
      );
    }
  }
  if (!options.skipProposal) {
    const [threshold, clock] = await Promise.all([governor.proposalThreshold(), governor.clock()]);
    const votes = await stakedOpen.getPastVotes(signer.address, clock - 1n);
    if (votes < threshold) {
      throw new UserError(
        `${signer.address} has ${formatOpen(votes, "votes")}, below the ${formatOpen(threshold, "votes")} needed to file the approval proposal; stake and delegate first, or pass --skip-proposal and ask a gOPEN holder to propose approveModel.`,
      );
    }
  }
  if (await modelRegistry.paused()) {
    throw new UserError("Model proposals are paused by the guardian (only governance unpauses).");
  }
  const bond = await modelRegistry.proposalBond();
  const maxBond = options.maxBond ?? bond;
  if (bond > maxBond) {
    throw new UserError(`The proposal bond is ${formatOpen(bond)}, above --max-bond ${formatOpen(maxBond)}.`);
  }
  const balance = await openToken.balanceOf(signer.address);
  if (balance < bond) {
    throw new UserError(
      `${signer.address} holds ${formatOpen(balance)}, less than the ${formatOpen(bond)} proposal bond.`,
    );
  }
  const registry = await modelRegistry.getAddress();
  if (bond > 0n && (await openToken.allowance(signer.address, registry)) < bond) {
    await (await openToken.approve(registry, maxBond)).wait();
  }
  const tx = await modelRegistry.proposeModel(metadataURI, sorted, rates, maxBond);
  const args = await eventArgs(await tx.wait(), modelRegistry, "ModelProposed");
  const modelId = args.modelId as bigint;
  const posted = args.bond as bigint;
  if (options.skipProposal) return { modelId, bond: posted, maxBond, hash: tx.hash };

  const action = await buildAction(ctx, "modelRegistry", "approveModel", JSON.stringify([modelId.toString()]));
  const proposal = await propose(ctx, [action], approvalDescription(modelId, metadataURI));
  return { modelId, bond: posted, maxBond, hash: tx.hash, proposal };
}

/** The Governor proposal id that would approve `modelId` as `model:propose` files it. */
export async function approvalProposalId(ctx: ProtocolContext, modelId: bigint): Promise<bigint> {
  const m = await requireModel(ctx, modelId);
  const action = await buildAction(ctx, "modelRegistry", "approveModel", JSON.stringify([modelId.toString()]));
  return ctx.governor.hashProposal(
    [action.target],
    [0n],
    [action.calldata],
    keccakText(approvalDescription(modelId, m.metadataURI)),
  );
}

/** Approved → Trained: registers the artifact (full weights, or a LoRA adapter on `baseModelId`). */
export async function registerArtifact(
  ctx: ProtocolContext,
  modelId: bigint,
  artifactHash: string,
  artifactURI: string,
  baseModelId: bigint,
): Promise<{ hash: string }> {
  await requireCreatorInState(ctx, modelId, STATE.Approved, "register its artifact");
  if (baseModelId !== 0n) {
    const base = await requireModel(ctx, baseModelId).catch(() => {
      throw new UserError(`--base ${baseModelId} is not a model.`);
    });
    const ok = [STATE.Trained, STATE.Active, STATE.Suspended].includes(base.state as 4n | 5n | 6n);
    if (baseModelId === modelId || !ok) {
      throw new UserError(
        `--base ${baseModelId} is ${baseModelId === modelId ? "the model itself" : modelStateName(base.state)}; a LoRA adapter needs a base model with weights (Trained, Active or Suspended).`,
      );
    }
  }
  const tx = await ctx.modelRegistry.registerArtifact(modelId, artifactHash, artifactURI, baseModelId);
  await tx.wait();
  return { hash: tx.hash };
}

/** Trained → Active. */
export async function activateModel(ctx: ProtocolContext, modelId: bigint): Promise<{ hash: string }> {
  await requireCreatorInState(ctx, modelId, STATE.Trained, "activate it");
  const tx = await ctx.modelRegistry.activateModel(modelId);
  await tx.wait();
  return { hash: tx.hash };
}

/** Everything about one model. */
export async function readModel(ctx: ProtocolContext, modelId: bigint) {
  return requireModel(ctx, modelId);
}
