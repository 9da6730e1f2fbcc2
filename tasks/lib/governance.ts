import { id as keccakText, type BaseContract } from "ethers";

import { CONTRACT_NAMES, type ContractName } from "../../sdk/core/deployments.js";
import { UserError, formatOpen, formatTime, proposalStateName } from "./cli.js";
import type { ProtocolContext } from "./context.js";
import { queryInSpans } from "./events.js";

/** One call a proposal makes through the timelock. */
export interface ProposalAction {
  target: string;
  value: bigint;
  calldata: string;
}

/** A proposal as filed: what `queue` and `execute` must repeat exactly. */
export interface FiledProposal {
  proposalId: bigint;
  proposer: string;
  actions: ProposalAction[];
  description: string;
  voteStart: bigint;
  voteEnd: bigint;
}

export const VOTE_SUPPORT = { against: 0, for: 1, abstain: 2 } as const;
export type VoteChoice = keyof typeof VOTE_SUPPORT;

const STATE = { Pending: 0n, Active: 1n, Succeeded: 4n, Queued: 5n } as const;

function contractByName(ctx: ProtocolContext, name: string): BaseContract {
  if (!(CONTRACT_NAMES as readonly string[]).includes(name)) {
    throw new UserError(`--contract must be one of ${CONTRACT_NAMES.join(", ")}, not "${name}".`);
  }
  return ctx[name as ContractName];
}

/**
 * Builds a proposal action calling `functionName(...args)` on one of the suite's contracts. `args`
 * is a JSON array (numbers may be given as strings to keep big values exact).
 */
export async function buildAction(
  ctx: ProtocolContext,
  contractName: string,
  functionName: string,
  argsJson: string,
): Promise<ProposalAction> {
  const contract = contractByName(ctx, contractName);
  const fragment = contract.interface.getFunction(functionName);
  if (fragment === null) {
    const names = contract.interface.fragments
      .filter((f) => f.type === "function")
      .map((f) => (f as unknown as { name: string }).name);
    throw new UserError(
      `${contractName} has no function "${functionName}"; it has ${[...new Set(names)].sort().join(", ")}.`,
    );
  }
  let args: unknown;
  try {
    args = JSON.parse(argsJson);
  } catch {
    throw new UserError(`--args must be a JSON array such as '[1209600]', not ${argsJson}.`);
  }
  if (!Array.isArray(args)) throw new UserError(`--args must be a JSON array such as '[1209600]', not ${argsJson}.`);
  if (args.length !== fragment.inputs.length) {
    throw new UserError(
      `${contractName}.${fragment.name} takes ${fragment.inputs.length} argument(s) (${fragment.format("sighash")}), but --args has ${args.length}.`,
    );
  }
  let calldata: string;
  try {
    calldata = contract.interface.encodeFunctionData(fragment, args);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split(" (")[0] : String(error);
    throw new UserError(`--args do not fit ${fragment.format("sighash")}: ${reason}.`);
  }
  return { target: await contract.getAddress(), value: 0n, calldata };
}

async function requireProposal(ctx: ProtocolContext, proposalId: bigint): Promise<bigint> {
  const snapshot = await ctx.governor.proposalSnapshot(proposalId);
  if (snapshot === 0n) throw new UserError(`There is no proposal ${proposalId} on this governor.`);
  return ctx.governor.state(proposalId);
}

function requireState(proposalId: bigint, state: bigint, expected: bigint, action: string): void {
  if (state !== expected) {
    throw new UserError(
      `Proposal ${proposalId} is ${proposalStateName(Number(state))}; it can be ${action} only when ${proposalStateName(Number(expected))}.`,
    );
  }
}

/** Files a proposal. Checks the proposer's votes against the threshold first. */
export async function propose(
  ctx: ProtocolContext,
  actions: ProposalAction[],
  description: string,
): Promise<FiledProposal & { hash: string }> {
  const { governor, stakedOpen, signer } = ctx;
  if (description.trim() === "") throw new UserError("--description must not be empty: voters read it.");
  const [threshold, clock] = await Promise.all([governor.proposalThreshold(), governor.clock()]);
  const votes = await stakedOpen.getPastVotes(signer.address, clock - 1n);
  if (votes < threshold) {
    throw new UserError(
      `${signer.address} has ${formatOpen(votes, "votes")}, below the proposal threshold of ${formatOpen(threshold, "votes")}; stake and delegate to yourself first.`,
    );
  }
  const targets = actions.map((a) => a.target);
  const values = actions.map((a) => a.value);
  const calldatas = actions.map((a) => a.calldata);
  const proposalId = await governor.hashProposal(targets, values, calldatas, keccakText(description));
  if ((await governor.proposalSnapshot(proposalId)) !== 0n) {
    throw new UserError(
      `An identical proposal already exists (id ${proposalId}); change the description to file it again.`,
    );
  }
  const tx = await governor.propose(targets, values, calldatas, description);
  await tx.wait();
  const [voteStart, voteEnd] = await Promise.all([
    governor.proposalSnapshot(proposalId),
    governor.proposalDeadline(proposalId),
  ]);
  return { hash: tx.hash, proposalId, proposer: signer.address, actions, description, voteStart, voteEnd };
}

/** Finds a proposal's actions and description from its ProposalCreated event. */
export async function findProposal(ctx: ProtocolContext, proposalId: bigint): Promise<FiledProposal> {
  const { governor, deployment } = ctx;
  await requireProposal(ctx, proposalId);
  const events = await queryInSpans(ctx.connection.ethers.provider, deployment.deployBlock, (from, to) =>
    governor.queryFilter(governor.filters.ProposalCreated(), from, to),
  );
  const event = events.find((e) => e.args.proposalId === proposalId);
  if (event === undefined) {
    throw new UserError(
      `Proposal ${proposalId} exists but its ProposalCreated event was not found after block ${deployment.deployBlock}.`,
    );
  }
  const { proposer, targets, calldatas, voteStart, voteEnd, description } = event.args;
  const values = event.args[3] as bigint[];
  return {
    proposalId,
    proposer,
    actions: targets.map((target, i) => ({ target, value: values[i] ?? 0n, calldata: calldatas[i] ?? "0x" })),
    description,
    voteStart,
    voteEnd,
  };
}

/** Casts the signer's vote. */
export async function castVote(
  ctx: ProtocolContext,
  proposalId: bigint,
  choice: string,
  reason = "",
): Promise<{ hash: string; weight: bigint }> {
  const { governor, stakedOpen, signer } = ctx;
  if (!(choice in VOTE_SUPPORT)) throw new UserError(`--support must be for, against or abstain, not "${choice}".`);
  const state = await requireProposal(ctx, proposalId);
  if (state === STATE.Pending) {
    const start = await governor.proposalSnapshot(proposalId);
    throw new UserError(`Voting on proposal ${proposalId} opens after ${formatTime(start)}; wait until then.`);
  }
  requireState(proposalId, state, STATE.Active, "voted on");
  if (await governor.hasVoted(proposalId, signer.address)) {
    throw new UserError(`${signer.address} has already voted on proposal ${proposalId}.`);
  }
  const weight = await stakedOpen.getPastVotes(signer.address, await governor.proposalSnapshot(proposalId));
  const support = VOTE_SUPPORT[choice as VoteChoice];
  const tx =
    reason === ""
      ? await governor.castVote(proposalId, support)
      : await governor.castVoteWithReason(proposalId, support, reason);
  await tx.wait();
  return { hash: tx.hash, weight };
}

/** Queues a succeeded proposal in the timelock. */
export async function queue(ctx: ProtocolContext, proposalId: bigint): Promise<{ hash: string; eta: bigint }> {
  const state = await requireProposal(ctx, proposalId);
  requireState(proposalId, state, STATE.Succeeded, "queued");
  const p = await findProposal(ctx, proposalId);
  const tx = await ctx.governor.queue(
    p.actions.map((a) => a.target),
    p.actions.map((a) => a.value),
    p.actions.map((a) => a.calldata),
    keccakText(p.description),
  );
  await tx.wait();
  return { hash: tx.hash, eta: await ctx.governor.proposalEta(proposalId) };
}

/** Executes a queued proposal once the timelock delay has passed. */
export async function execute(ctx: ProtocolContext, proposalId: bigint): Promise<{ hash: string }> {
  const state = await requireProposal(ctx, proposalId);
  requireState(proposalId, state, STATE.Queued, "executed");
  const eta = await ctx.governor.proposalEta(proposalId);
  const block = await ctx.connection.ethers.provider.getBlock("latest");
  if (block !== null && BigInt(block.timestamp) < eta) {
    throw new UserError(`Proposal ${proposalId} can be executed from ${formatTime(eta)}, after the timelock delay.`);
  }
  const p = await findProposal(ctx, proposalId);
  const tx = await ctx.governor.execute(
    p.actions.map((a) => a.target),
    p.actions.map((a) => a.value),
    p.actions.map((a) => a.calldata),
    keccakText(p.description),
  );
  await tx.wait();
  return { hash: tx.hash };
}

export interface ProposalStatus {
  proposalId: bigint;
  state: string;
  voteStart: bigint;
  voteEnd: bigint;
  eta: bigint;
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
  quorum: bigint;
}

/** Reads a proposal's state, tallies and quorum. */
export async function proposalStatus(ctx: ProtocolContext, proposalId: bigint): Promise<ProposalStatus> {
  const { governor } = ctx;
  const state = await requireProposal(ctx, proposalId);
  const [voteStart, voteEnd, eta, votes, clock] = await Promise.all([
    governor.proposalSnapshot(proposalId),
    governor.proposalDeadline(proposalId),
    governor.proposalEta(proposalId),
    governor.proposalVotes(proposalId),
    governor.clock(),
  ]);
  // The quorum is fixed at the snapshot; before it, show today's quorum.
  const quorum = await governor.quorum(voteStart < clock ? voteStart : clock - 1n);
  return {
    proposalId,
    state: proposalStateName(Number(state)),
    voteStart,
    voteEnd,
    eta,
    againstVotes: votes[0],
    forVotes: votes[1],
    abstainVotes: votes[2],
    quorum,
  };
}
