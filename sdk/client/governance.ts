/** Governance: build proposal actions, propose (one or several actions), vote, queue, execute, read and list. */
import { id as keccakText, type BaseContract } from "ethers";

import { clientError } from "../core/client-errors.js";
import { CONTRACT_NAMES, type ContractName } from "../core/deployments.js";
import {
  ProposalState,
  VoteSupport,
  proposalStateName,
  type EnumName,
  type ProposalStateName,
  type VoteSupportName,
} from "../core/enums.js";
import type { ClientContext } from "./context.js";

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

/** A proposal's state, tallies and quorum. */
export interface ProposalStatus {
  proposalId: bigint;
  state: EnumName<typeof ProposalState>;
  voteStart: bigint;
  voteEnd: bigint;
  /** When it can be executed (0 until queued). */
  eta: bigint;
  forVotes: bigint;
  againstVotes: bigint;
  abstainVotes: bigint;
  /** Votes for + abstain must reach it; fixed at the snapshot (before it, today's quorum). */
  quorum: bigint;
}

/** A vote's support by name, as VoteSupport names it or in lower case ("for", "against", "abstain"). */
export type VoteChoice = VoteSupportName | Lowercase<VoteSupportName>;

/** The support value of a vote choice, or undefined for a choice that is none. */
export function voteSupportOf(choice: string): bigint | undefined {
  const found = Object.entries(VoteSupport).find(([name]) => name.toLowerCase() === choice.trim().toLowerCase());
  return found?.[1];
}

export class Governance {
  constructor(private readonly ctx: ClientContext) {}

  private contract(name: string): BaseContract {
    if (!(CONTRACT_NAMES as readonly string[]).includes(name)) {
      throw clientError("UnknownContract", { name, known: CONTRACT_NAMES.join(", ") });
    }
    return this.ctx.contracts[name as ContractName];
  }

  /** A proposal action calling `functionName(...args)` on one of the suite's contracts (no ETH). */
  buildAction(contractName: ContractName | string, functionName: string, args: readonly unknown[]): ProposalAction {
    const contract = this.contract(contractName);
    const fragment = contract.interface.getFunction(functionName);
    if (fragment === null) {
      const names = new Set<string>();
      contract.interface.forEachFunction((f) => names.add(f.name));
      throw clientError("UnknownFunction", {
        contract: contractName,
        name: functionName,
        known: [...names].sort().join(", "),
      });
    }
    if (args.length !== fragment.inputs.length) {
      throw clientError("WrongArgumentCount", {
        contract: contractName,
        function: fragment.name,
        signature: fragment.format("sighash"),
        expected: BigInt(fragment.inputs.length),
        given: BigInt(args.length),
      });
    }
    let calldata: string;
    try {
      calldata = contract.interface.encodeFunctionData(fragment, [...args]);
    } catch (error) {
      const reason = error instanceof Error ? (error.message.split(" (")[0] ?? error.message) : String(error);
      throw clientError("ArgumentsDoNotFit", { signature: fragment.format("sighash"), reason });
    }
    return { target: this.ctx.address(contractName as ContractName), value: 0n, calldata };
  }

  /** The votes of `account` now (at the governor's clock, as the proposal threshold counts them). */
  async votes(account: string): Promise<bigint> {
    const clock = await this.ctx.contracts.governor.clock();
    return this.ctx.contracts.stakedOpen.getPastVotes(account, clock - 1n);
  }

  /** Refuses a proposer below the proposal threshold; `forModel` words it for a model's approval proposal. */
  async checkProposer(account: string, forModel = false): Promise<void> {
    const [threshold, votes] = await Promise.all([
      this.ctx.contracts.governor.proposalThreshold(),
      this.votes(account),
    ]);
    if (votes < threshold) {
      throw clientError(forModel ? "BelowApprovalProposalThreshold" : "BelowProposalThreshold", {
        account,
        votes,
        threshold,
      });
    }
  }

  /** The id a proposal of `actions` and `description` has (or would have). */
  async proposalIdOf(actions: readonly ProposalAction[], description: string): Promise<bigint> {
    return this.ctx.contracts.governor.hashProposal(
      actions.map((a) => a.target),
      actions.map((a) => a.value),
      actions.map((a) => a.calldata),
      keccakText(description),
    );
  }

  /** Files a proposal of one or several actions. Checks the proposer's votes against the threshold first. */
  async propose(actions: readonly ProposalAction[], description: string): Promise<FiledProposal & { hash: string }> {
    const { governor } = this.ctx.contracts;
    const proposer = await this.ctx.account();
    if (actions.length === 0) throw clientError("NoActions", {});
    if (description.trim() === "") throw clientError("EmptyDescription", {});
    await this.checkProposer(proposer);
    const proposalId = await this.proposalIdOf(actions, description);
    if ((await governor.proposalSnapshot(proposalId)) !== 0n) {
      throw clientError("DuplicateProposal", { proposalId });
    }
    const { hash } = await this.ctx.send(() =>
      governor.propose(
        actions.map((a) => a.target),
        actions.map((a) => a.value),
        actions.map((a) => a.calldata),
        description,
      ),
    );
    const [voteStart, voteEnd] = await Promise.all([
      governor.proposalSnapshot(proposalId),
      governor.proposalDeadline(proposalId),
    ]);
    return { hash, proposalId, proposer, actions: [...actions], description, voteStart, voteEnd };
  }

  /** The state of an existing proposal; refuses an unknown id. */
  private async requireProposal(proposalId: bigint): Promise<bigint> {
    this.ctx.checkId(proposalId, "proposal id");
    if ((await this.ctx.contracts.governor.proposalSnapshot(proposalId)) === 0n) {
      throw clientError("UnknownProposal", { proposalId });
    }
    return this.ctx.contracts.governor.state(proposalId);
  }

  private requireState(proposalId: bigint, state: bigint, expected: ProposalStateName, action: string): void {
    if (state !== ProposalState[expected]) {
      throw clientError("ProposalNotInState", { proposalId, state: proposalStateName(state), expected, action });
    }
  }

  /** Every proposal filed on this governor, oldest first, from its ProposalCreated events. */
  async proposals(): Promise<(FiledProposal & { state: EnumName<typeof ProposalState> })[]> {
    const { governor } = this.ctx.contracts;
    const events = await this.ctx.events((from, to) =>
      governor.queryFilter(governor.filters.ProposalCreated(), from, to),
    );
    return Promise.all(
      events.map(async (event) => {
        const { proposalId, proposer, targets, calldatas, voteStart, voteEnd, description } = event.args;
        const values = event.args[3] as bigint[];
        return {
          proposalId,
          proposer,
          actions: targets.map((target, i) => ({ target, value: values[i] ?? 0n, calldata: calldatas[i] ?? "0x" })),
          description,
          voteStart,
          voteEnd,
          state: proposalStateName(await governor.state(proposalId)),
        };
      }),
    );
  }

  /** A proposal's actions and description, from its ProposalCreated event. */
  async findProposal(proposalId: bigint): Promise<FiledProposal> {
    await this.requireProposal(proposalId);
    const found = (await this.proposals()).find((p) => p.proposalId === proposalId);
    if (found === undefined) {
      throw clientError("ProposalEventMissing", { proposalId, fromBlock: BigInt(this.ctx.deployment.deployBlock) });
    }
    const { state: _state, ...filed } = found;
    return filed;
  }

  /**
   * Casts the signer's vote. Refuses a vote before the voting opens, after it closes, twice, and with no voting
   * power at the proposal's snapshot (a vote of weight 0 would count for nothing).
   */
  async castVote(
    proposalId: bigint,
    choice: VoteChoice | bigint | (string & {}),
    reason = "",
  ): Promise<{ hash: string; weight: bigint; support: bigint }> {
    const { governor, stakedOpen } = this.ctx.contracts;
    const voter = await this.ctx.account();
    const support = typeof choice === "bigint" ? choice : voteSupportOf(choice);
    if (support === undefined || !(Object.values(VoteSupport) as bigint[]).includes(support)) {
      throw clientError("InvalidVoteSupport", { choice: String(choice) });
    }
    const state = await this.requireProposal(proposalId);
    const snapshot = await governor.proposalSnapshot(proposalId);
    if (state === ProposalState.Pending) throw clientError("VotingNotOpen", { proposalId, opensAfter: snapshot });
    this.requireState(proposalId, state, "Active", "voted on");
    if (await governor.hasVoted(proposalId, voter)) throw clientError("AlreadyVoted", { account: voter, proposalId });
    const weight = await stakedOpen.getPastVotes(voter, snapshot);
    if (weight === 0n) throw clientError("NoVotingPower", { account: voter, proposalId, snapshot });
    const { hash } = await this.ctx.send(() =>
      reason === "" ? governor.castVote(proposalId, support) : governor.castVoteWithReason(proposalId, support, reason),
    );
    return { hash, weight, support };
  }

  /** Queues a succeeded proposal in the timelock; returns when it can be executed. */
  async queue(proposalId: bigint): Promise<{ hash: string; eta: bigint }> {
    this.requireState(proposalId, await this.requireProposal(proposalId), "Succeeded", "queued");
    const p = await this.findProposal(proposalId);
    const { governor } = this.ctx.contracts;
    const { hash } = await this.ctx.send(() =>
      governor.queue(
        p.actions.map((a) => a.target),
        p.actions.map((a) => a.value),
        p.actions.map((a) => a.calldata),
        keccakText(p.description),
      ),
    );
    return { hash, eta: await governor.proposalEta(proposalId) };
  }

  /** Executes a queued proposal once the timelock delay has passed. */
  async execute(proposalId: bigint): Promise<{ hash: string }> {
    this.requireState(proposalId, await this.requireProposal(proposalId), "Queued", "executed");
    const { governor } = this.ctx.contracts;
    const eta = await governor.proposalEta(proposalId);
    if ((await this.ctx.now()) < eta) throw clientError("TimelockNotReady", { proposalId, eta });
    const p = await this.findProposal(proposalId);
    const { hash } = await this.ctx.send(() =>
      governor.execute(
        p.actions.map((a) => a.target),
        p.actions.map((a) => a.value),
        p.actions.map((a) => a.calldata),
        keccakText(p.description),
      ),
    );
    return { hash };
  }

  /** A proposal's state, tallies and quorum. */
  async proposal(proposalId: bigint): Promise<ProposalStatus> {
    const { governor } = this.ctx.contracts;
    const state = await this.requireProposal(proposalId);
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
      state: proposalStateName(state),
      voteStart,
      voteEnd,
      eta,
      againstVotes: votes[0],
      forVotes: votes[1],
      abstainVotes: votes[2],
      quorum,
    };
  }
}
