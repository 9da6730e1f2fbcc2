/**
 * Governance: build proposal actions (one by name, or a proposal file's), propose, vote, queue, execute, read and
 * list proposals and the timelock's operations, and find a proposal from its id as a person types it (whole, or
 * its first digits).
 */
import { ZeroHash, formatEther, id as keccakText, isAddress, isHexString, type BaseContract } from "ethers";

import { clientError } from "../core/client-errors.js";
import { CONTRACT_NAMES, type ContractName } from "../core/deployments.js";
import {
  OperationState,
  ProposalState,
  VoteSupport,
  operationStateName,
  proposalStateName,
  type EnumName,
  type ProposalStateName,
  type VoteSupportName,
} from "../core/enums.js";
import { isProtocolError } from "../core/errors.js";
import {
  MIN_PROPOSAL_ID_PREFIX,
  actionsOf,
  isNamedCall,
  shortProposalIds,
  timelockOperationId,
  type ProposalAction,
  type ProposalFile,
} from "../core/proposals.js";
import type { ClientContext } from "./context.js";

export type { ProposalAction } from "../core/proposals.js";

/** A proposal action in words: the suite's contract and function it calls, with the decoded arguments. */
export interface DescribedAction {
  /** The suite's contract it calls, when the target is one. */
  contract?: ContractName;
  /** The function it calls, when the calldata decodes against that contract. */
  function?: string;
  /** The decoded arguments (bigints, strings, booleans, arrays). */
  args?: unknown[];
  /** One line: `stakedOpen.setCooldown(1209600)`, or the raw target, value and calldata. */
  text: string;
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

/** An operation scheduled on the timelock (the governor schedules one when it queues a proposal). */
export interface ScheduledOperation {
  /** The timelock's id of it (`hashOperationBatch` of its calls, predecessor and salt). */
  operationId: string;
  /** A queued proposal's actions. */
  calls: ProposalAction[];
  predecessor: string;
  salt: string;
  /** Seconds from scheduling to readiness. */
  delay: bigint;
  scheduledAt: bigint;
  /** Unix time from which it can be executed. */
  readyAt: bigint;
  /** The governor proposal that queued it; undefined for an operation scheduled otherwise. */
  proposalId?: bigint;
}

/** A timelock operation with its state now: Waiting, Ready, Done, or Cancelled (which the timelock forgets). */
export interface TimelockOperation extends ScheduledOperation {
  state: Exclude<EnumName<typeof OperationState>, "Unset"> | "Cancelled";
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

  /** Every proposal filed on this governor, oldest first, as its ProposalCreated event (or the indexer) tells it. */
  private async filed(): Promise<FiledProposal[]> {
    return (await this.ctx.indexer?.proposals()) ?? (await this.filedOnChain());
  }

  /** Every proposal filed on this governor, oldest first, from its ProposalCreated events. */
  private async filedOnChain(): Promise<FiledProposal[]> {
    const { governor } = this.ctx.contracts;
    const events = await this.ctx.events((from, to) =>
      governor.queryFilter(governor.filters.ProposalCreated(), from, to),
    );
    return events.map((event) => {
      const { proposalId, proposer, targets, calldatas, voteStart, voteEnd, description } = event.args;
      const values = event.args[3] as bigint[];
      return {
        proposalId,
        proposer,
        actions: actionsOf(targets, values, calldatas),
        description,
        voteStart,
        voteEnd,
      };
    });
  }

  /** Every proposal filed on this governor, oldest first, from its ProposalCreated events, with its state now. */
  async proposals(): Promise<(FiledProposal & { state: EnumName<typeof ProposalState> })[]> {
    const { governor } = this.ctx.contracts;
    return Promise.all(
      (await this.filed()).map(async (p) => ({ ...p, state: proposalStateName(await governor.state(p.proposalId)) })),
    );
  }

  /**
   * Every operation scheduled on the timelock, in the order it was (last) scheduled, with its state now: from the
   * timelock's CallScheduled and CallSalt events (or the client's indexer) and its `getOperationState`.
   */
  async operations(): Promise<TimelockOperation[]> {
    const { timelock } = this.ctx.contracts;
    const scheduled = (await this.ctx.indexer?.operations()) ?? (await this.scheduledOperations());
    return Promise.all(
      scheduled.map(async (operation) => {
        const state = operationStateName(await timelock.getOperationState(operation.operationId));
        // Scheduled once, Unset again: cancelled.
        return { ...operation, state: state === "Unset" ? "Cancelled" : state };
      }),
    );
  }

  /** The timelock's operations as its events tell them; one cancelled and scheduled again counts once, last. */
  private async scheduledOperations(): Promise<ScheduledOperation[]> {
    const { timelock } = this.ctx.contracts;
    const calls = await this.ctx.events((a, b) => timelock.queryFilter(timelock.filters.CallScheduled(), a, b));
    const salts = await this.ctx.events((a, b) => timelock.queryFilter(timelock.filters.CallSalt(), a, b));
    const operations = new Map<string, ScheduledOperation>();
    for (const event of calls) {
      const { id, index, target, value, data, predecessor, delay } = event.args;
      if (index === 0n) {
        const scheduledAt = BigInt((await event.getBlock()).timestamp);
        operations.delete(id);
        operations.set(id, {
          operationId: id,
          calls: [],
          predecessor,
          salt: ZeroHash,
          delay,
          scheduledAt,
          readyAt: scheduledAt + delay,
        });
      }
      operations.get(id)?.calls.push({ target, value, calldata: data });
    }
    for (const { args } of salts) {
      const operation = operations.get(args.id);
      if (operation !== undefined) operation.salt = args.salt;
    }
    for (const p of await this.filedOnChain()) {
      const operation = operations.get(timelockOperationId(this.ctx.address("governor"), p.actions, p.description));
      if (operation !== undefined) operation.proposalId = p.proposalId;
    }
    return [...operations.values()];
  }

  /**
   * The proposal id `text` stands for: a whole id in decimal or 0x hex, or the first MIN_PROPOSAL_ID_PREFIX or
   * more decimal digits of exactly one proposal of this governor (as lists show them short). Refuses text that is
   * no number (InvalidProposalId), ids of 2^256 and more (IdOutOfRange), and a prefix that is too short
   * (ProposalPrefixTooShort), matches no proposal (UnknownProposalPrefix) or several (AmbiguousProposalPrefix). A
   * whole id in hex is returned unchecked: the actions taking it refuse an unknown proposal.
   */
  async resolveProposalId(text: string): Promise<bigint> {
    const typed = text.trim();
    if (/^0x[0-9a-fA-F]+$/.test(typed)) return this.ctx.checkId(BigInt(typed), "proposal id");
    if (!/^\d+$/.test(typed)) throw clientError("InvalidProposalId", { text });
    const id = this.ctx.checkId(BigInt(typed), "proposal id");
    const { governor } = this.ctx.contracts;
    if ((await governor.proposalSnapshot(id)) !== 0n) return id;
    if (typed.length < MIN_PROPOSAL_ID_PREFIX) {
      throw clientError("ProposalPrefixTooShort", { prefix: typed, min: BigInt(MIN_PROPOSAL_ID_PREFIX) });
    }
    const all = (await this.filed()).map((p) => p.proposalId);
    const matches = all.filter((proposalId) => proposalId.toString().startsWith(typed));
    const [only] = matches;
    if (only === undefined) throw clientError("UnknownProposalPrefix", { prefix: typed });
    if (matches.length > 1) {
      const short = shortProposalIds(matches);
      throw clientError("AmbiguousProposalPrefix", {
        prefix: typed,
        count: BigInt(matches.length),
        matches: matches.map((m) => short.get(m)).join(", "),
      });
    }
    return only;
  }

  /**
   * The actions and description of a proposal file (read by `readProposalFile`), each named call encoded with
   * `buildAction`. A call that does not build is refused as InvalidProposalFile naming the action (counted from
   * 1) in `source`, with the reason `buildAction` gives.
   */
  buildProposal(file: ProposalFile, source: string): { actions: ProposalAction[]; description: string } {
    const actions = file.actions.map((action, i) => {
      if (!isNamedCall(action)) return action;
      try {
        return this.buildAction(action.contract, action.function, action.args);
      } catch (error) {
        if (!isProtocolError(error)) throw error;
        throw clientError("InvalidProposalFile", {
          where: `${source} action ${i + 1}`,
          problem: error.message.replace(/\.$/, ""),
        });
      }
    });
    return { actions, description: file.description };
  }

  /** What a proposal action does, in words: decoded against the suite's contract at its target when it is one. */
  describeAction(action: ProposalAction): DescribedAction {
    const eth = action.value === 0n ? "" : ` with ${formatEther(action.value)} ETH`;
    const name = CONTRACT_NAMES.find((n) => this.ctx.address(n).toLowerCase() === action.target.toLowerCase());
    if (name !== undefined) {
      let parsed: ReturnType<BaseContract["interface"]["parseTransaction"]>;
      try {
        parsed = this.ctx.contracts[name].interface.parseTransaction({ data: action.calldata });
      } catch {
        parsed = null; // calldata that does not decode: shown raw below
      }
      if (parsed !== null) {
        const args = parsed.args.toArray(true) as unknown[];
        return {
          contract: name,
          function: parsed.name,
          args,
          text: `${name}.${parsed.name}(${args.map(formatArgument).join(", ")})${eth}`,
        };
      }
    }
    const who = name ?? action.target;
    return { contract: name, text: `call ${who}${eth} with calldata ${action.calldata}` };
  }

  /**
   * The stakers a proposal of `actions` slashes on gOPEN. Filing it freezes their withdrawals (the governor does
   * so, until the vote is over and the timelock delay has passed), so the slash cannot be outrun.
   */
  slashedAccounts(actions: readonly ProposalAction[]): string[] {
    return actions
      .map((action) => this.describeAction(action))
      .filter((d) => d.contract === "stakedOpen" && d.function === "slash")
      .map((d) => String(d.args?.[0]));
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

/** An argument of a decoded call as it reads in a line: numbers in decimal, hex and addresses as they are. */
function formatArgument(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatArgument).join(", ")}]`;
  if (typeof value === "string") return isAddress(value) || isHexString(value) ? value : JSON.stringify(value);
  return String(value);
}
