/**
 * The client's governance (sdk/client/governance.ts) on the in-process network: proposal actions built from a
 * contract's ABI, a proposal carried through vote, queue and execute, and each step out of order refused with a
 * ProtocolError before anything is sent.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { CONTRACT_NAMES } from "../../../sdk/core/deployments.js";
import type { Connection } from "../../fixtures/protocol.js";
import { fundedSuite, refusal } from "./suite.js";

const connection = await network.create();
const { networkHelpers } = connection;
const OPEN = 10n ** 18n;

/** Alice staked 20,000 OPEN and delegated to herself, a block ago (so her votes count); bob holds no votes. */
async function staked(conn: Connection) {
  const suite = await fundedSuite(conn);
  const alice = suite.client(suite.alice);
  await alice.staking.stake(20_000n * OPEN);
  await alice.staking.delegate(suite.alice.address);
  await networkHelpers.mine();
  return suite;
}

describe("client governance", () => {
  it("refuses an unknown contract, function, or arguments that do not fit", async () => {
    const f = await networkHelpers.loadFixture(staked);
    const { governance } = f.client(f.alice);
    await refusal(() => governance.buildAction("router", "x", []), "UnknownContract", {
      name: "router",
      known: CONTRACT_NAMES.join(", "),
    });
    const unknown = await refusal(() => governance.buildAction("stakedOpen", "setCooldwn", [1]), "UnknownFunction");
    expect(unknown.message).to.match(/^stakedOpen has no function "setCooldwn"; it has .*setCooldown/);
    await refusal(() => governance.buildAction("stakedOpen", "setCooldown", [1, 2]), "WrongArgumentCount", {
      contract: "stakedOpen",
      function: "setCooldown",
      signature: "setCooldown(uint256)",
      expected: 1n,
      given: 2n,
    });
    await refusal(() => governance.buildAction("stakedOpen", "setTreasury", ["nope"]), "ArgumentsDoNotFit", {
      signature: "setTreasury(address)",
    });
    const action = governance.buildAction("stakedOpen", "setCooldown", ["1209600"]);
    expect(action).to.deep.equal({
      target: f.deployment.addresses.stakedOpen,
      value: 0n,
      calldata: f.stakedOpen.interface.encodeFunctionData("setCooldown", [1_209_600n]),
    });
  });

  it("refuses to propose below the threshold, without actions or with an empty description", async () => {
    const f = await networkHelpers.loadFixture(staked);
    const alice = f.client(f.alice);
    const action = alice.governance.buildAction("stakedOpen", "setCooldown", [1209600]);
    const below = await refusal(f.client(f.bob).governance.propose([action], "x"), "BelowProposalThreshold", {
      account: f.bob.address,
      votes: 0n,
      threshold: 10_000n * OPEN,
    });
    expect(below.message).to.match(/below the proposal threshold of 10,000 votes/);
    await refusal(alice.governance.propose([action], "  "), "EmptyDescription");
    await refusal(alice.governance.propose([], "Nothing"), "NoActions");
  });

  it("carries a proposal through vote, queue and execute, refusing each step out of order", async () => {
    const f = await networkHelpers.loadFixture(staked);
    const alice = f.client(f.alice);
    const bob = f.client(f.bob);
    const action = alice.governance.buildAction("stakedOpen", "setCooldown", [1209600]);
    const filed = await alice.governance.propose([action], "Cooldown 14 days");
    const { proposalId } = filed;
    expect(proposalId).to.equal(await alice.governance.proposalIdOf([action], "Cooldown 14 days"));
    const duplicate = await refusal(alice.governance.propose([action], "Cooldown 14 days"), "DuplicateProposal", {
      proposalId,
    });
    expect(duplicate.message).to.match(/identical proposal already exists/);
    const early = await refusal(alice.governance.castVote(proposalId, "for"), "VotingNotOpen", { proposalId });
    expect(early.message).to.match(/opens after/);
    const pending = await refusal(alice.governance.queue(proposalId), "ProposalNotInState", {
      state: "Pending",
      expected: "Succeeded",
      action: "queued",
    });
    expect(pending.message).to.match(/is Pending; it can be queued only when Succeeded/);

    await networkHelpers.time.increaseTo(filed.voteStart + 1n);
    await refusal(alice.governance.castVote(proposalId, "maybe"), "InvalidVoteSupport", { choice: "maybe" });
    const vote = await alice.governance.castVote(proposalId, "for", "longer is safer");
    expect(vote).to.include({ weight: 20_000n * OPEN, support: 1n });
    await refusal(alice.governance.castVote(proposalId, "for"), "AlreadyVoted", { account: f.alice.address });
    // Bob had no votes at the snapshot: a vote of weight 0 would count for nothing, so the client refuses it.
    await refusal(bob.governance.castVote(proposalId, "against"), "NoVotingPower", {
      account: f.bob.address,
      proposalId,
      snapshot: filed.voteStart,
    });

    await networkHelpers.time.increaseTo(filed.voteEnd + 1n);
    const notQueued = await refusal(alice.governance.execute(proposalId), "ProposalNotInState", {
      state: "Succeeded",
      expected: "Queued",
    });
    expect(notQueued.message).to.match(/it can be executed only when Queued/);
    const { eta } = await alice.governance.queue(proposalId);
    const tooSoon = await refusal(alice.governance.execute(proposalId), "TimelockNotReady", { proposalId, eta });
    expect(tooSoon.message).to.match(/after the timelock delay/);
    await networkHelpers.time.increaseTo(eta);
    await bob.governance.execute(proposalId);

    expect(await f.stakedOpen.cooldown()).to.equal(1_209_600n);
    const status = await alice.governance.proposal(proposalId);
    expect(status.state).to.equal("Executed");
    expect(status.forVotes).to.equal(20_000n * OPEN);
    expect(status.quorum).to.equal(1_000n * OPEN); // 5% of the 20,000 gOPEN supply at the snapshot
    expect((await alice.governance.findProposal(proposalId)).description).to.equal("Cooldown 14 days");
    const listed = await bob.governance.proposals();
    expect(listed.map((p) => [p.proposalId, p.state, p.proposer])).to.deep.equal([
      [proposalId, "Executed", f.alice.address],
    ]);
  });

  it("refuses an unknown proposal id", async () => {
    const f = await networkHelpers.loadFixture(staked);
    const e = await refusal(f.client(f.alice).governance.proposal(7n), "UnknownProposal", { proposalId: 7n });
    expect(e.message).to.equal("There is no proposal 7 on this governor.");
    await refusal(f.client(f.alice).governance.proposal(2n ** 256n), "IdOutOfRange");
  });
});
