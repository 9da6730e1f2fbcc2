import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { type ContractTransactionResponse, ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import { TEST_PARAMS, deployProtocol, type Connection } from "../fixtures/protocol.js";
import type { ProtocolGovernor, StakedOpen } from "../../types/ethers-contracts/index.js";
import { impersonate } from "../helpers/accounts.js";
import { DAY, HOUR, WEEK, defined, open } from "../helpers/constants.js";
import {
  OperationState,
  ProposalState,
  Roles,
  VoteType,
  execute,
  proposalIdOf,
  propose,
  queue,
  singleCallProposal,
  slashProposal,
  stateBitmap,
  timelockSalt,
  type Proposal,
} from "../helpers/governance.js";
import { shouldBehaveLikeGovernanceOnly } from "../helpers/shouldBehaveLikeGovernanceOnly.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const NEW_COOLDOWN = 14n * DAY;
const ALICE_VOTES = open(100_000n);
const BOB_VOTES = TEST_PARAMS.proposalThreshold - 1n; // one wei short of the proposal threshold
const CAROL_VOTES = open(200_000n);
const DESCRIPTION = "Set the unstaking cooldown to 14 days";

/**
 * The protocol with gOPEN holders, all delegated to themselves: alice 100,000 (above the threshold),
 * bob 10,000 gOPEN minus one wei (below it) and carol 200,000. gOPEN supply 310,000 minus one wei:
 * the 5% quorum is about 15,500.
 */
async function governanceFixture(conn: Connection) {
  const protocol = await deployProtocol(conn);
  const { openToken, stakedOpen, alice, bob, carol } = protocol;
  for (const [signer, amount] of [
    [alice, ALICE_VOTES],
    [bob, BOB_VOTES],
    [carol, CAROL_VOTES],
  ] as const) {
    await openToken.transfer(signer, amount);
    await openToken.connect(signer).approve(stakedOpen, amount);
    await stakedOpen.connect(signer).stake(amount);
    await stakedOpen.connect(signer).delegate(signer);
  }
  const proposal = singleCallProposal(
    await stakedOpen.getAddress(),
    stakedOpen.interface.encodeFunctionData("setCooldown", [NEW_COOLDOWN]),
    DESCRIPTION,
  );
  return { ...protocol, proposal };
}

/** The same suite deployed with other governance timings, to check the module passes them through. */
async function customParametersFixture(conn: Connection) {
  return deployProtocol(conn, {
    timelockMinDelay: 3_600n,
    votingDelay: 30n,
    votingPeriod: 900n,
    proposalThreshold: open(1n),
    quorumPercent: 10n,
    unstakeCooldown: 2n * DAY,
  });
}

const proposalId = proposalIdOf;

/** OpenLedger's public governance timings (DESIGN.md): 1 day delay, 1 week vote, 1 week timelock, 7 day cooldown. */
const PUBLIC_TIMINGS = { votingDelay: DAY, votingPeriod: WEEK, timelockMinDelay: WEEK, unstakeCooldown: WEEK } as const;
const MALLORY_STAKE = open(20_000n);
const SLASH_REASON = "falsified attribution report #42";
const SLASH_FREEZE_GRACE = DAY;
const MAX_FREEZE = 60n * DAY;

/** Fixes the timestamp of the next block `offset` seconds after the latest one and returns it. */
async function pinNextTimestamp(offset = 10n): Promise<bigint> {
  const timestamp = BigInt(await time.latest()) + offset;
  await time.setNextBlockTimestamp(timestamp);
  return timestamp;
}

/** The Unix time of the block that mined `tx`. */
async function minedAt(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction not mined");
  return BigInt((await receipt.getBlock()).timestamp);
}

/**
 * The suite deployed with `parameters`, alice holding 100,000 gOPEN (enough to propose and to reach the
 * quorum alone) and mallory, a staker governance wants to slash, 20,000 gOPEN; both self-delegated.
 * `proposal` slashes all of mallory's stake.
 */
async function slashFixtureWith(conn: Connection, parameters: Parameters<typeof deployProtocol>[1]) {
  const protocol = await deployProtocol(conn, parameters);
  const { openToken, stakedOpen, alice, others } = protocol;
  const mallory = defined(others[4], "mallory signer");
  for (const [signer, amount] of [
    [alice, ALICE_VOTES],
    [mallory, MALLORY_STAKE],
  ] as const) {
    await openToken.transfer(signer, amount);
    await openToken.connect(signer).approve(stakedOpen, amount);
    await stakedOpen.connect(signer).stake(amount);
    await stakedOpen.connect(signer).delegate(signer);
  }
  const proposal = await slashProposal(stakedOpen, mallory.address, MALLORY_STAKE, SLASH_REASON);
  const governance = await impersonate(conn, await protocol.timelock.getAddress());
  return { ...protocol, mallory, proposal, governance };
}

/** slashFixtureWith OpenLedger's public timings. */
async function publicTimingsFixture(conn: Connection) {
  return slashFixtureWith(conn, PUBLIC_TIMINGS);
}

/** slashFixtureWith the short test timings. */
async function shortTimingsFixture(conn: Connection) {
  return slashFixtureWith(conn, {});
}

/** slashFixtureWith a one-hour cooldown: a slash proposal's freeze (about a day) outlasts it. */
async function shortCooldownFixture(conn: Connection) {
  return slashFixtureWith(conn, { unstakeCooldown: HOUR });
}

/** slashFixtureWith a 70-day vote: a slash proposal's freeze would pass MAX_FREEZE. */
async function longVoteFixture(conn: Connection) {
  return slashFixtureWith(conn, { votingPeriod: 70n * DAY });
}

/** Votes for `id` as `voter` once voting is open, then waits until the vote is over. */
async function passVote(governor: ProtocolGovernor, voter: HardhatEthersSigner, id: bigint): Promise<void> {
  await time.increaseTo((await governor.proposalSnapshot(id)) + 1n);
  await governor.connect(voter).castVote(id, VoteType.For);
  await time.increaseTo((await governor.proposalDeadline(id)) + 1n);
}

/** governanceFixture with alice's setCooldown proposal created. */
async function proposedFixture(conn: Connection) {
  const f = await governanceFixture(conn);
  const { governor, proposal, alice } = f;
  await governor.connect(alice).propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description);
  const id = await proposalId(governor, proposal);
  return { ...f, id, snapshot: await governor.proposalSnapshot(id), deadline: await governor.proposalDeadline(id) };
}

/** proposedFixture with voting open (one second after the snapshot). */
async function activeFixture(conn: Connection) {
  const f = await proposedFixture(conn);
  await conn.networkHelpers.time.increaseTo(f.snapshot + 1n);
  return f;
}

/** activeFixture with alice voting for and the voting period over: Succeeded. */
async function succeededFixture(conn: Connection) {
  const f = await activeFixture(conn);
  await f.governor.connect(f.alice).castVote(f.id, VoteType.For);
  await conn.networkHelpers.time.increaseTo(f.deadline + 1n);
  return f;
}

/** succeededFixture queued in the timelock. */
async function queuedFixture(conn: Connection) {
  const f = await succeededFixture(conn);
  const { governor, proposal } = f;
  await governor.queue(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash);
  const operationId = await f.timelock.hashOperationBatch(
    proposal.targets,
    proposal.values,
    proposal.calldatas,
    ZeroHash,
    timelockSalt(await governor.getAddress(), proposal.descriptionHash),
  );
  return { ...f, eta: await governor.proposalEta(f.id), operationId };
}

describe("Governance", () => {
  describe("deployment wiring", () => {
    it("makes the governor the timelock's proposer and canceller", async () => {
      const { timelock, governor } = await networkHelpers.loadFixture(governanceFixture);
      expect(await timelock.hasRole(Roles.PROPOSER, governor)).to.equal(true);
      expect(await timelock.hasRole(Roles.CANCELLER, governor)).to.equal(true);
    });

    it("lets anyone execute: the executor role is held by the zero address", async () => {
      const { timelock } = await networkHelpers.loadFixture(governanceFixture);
      expect(await timelock.hasRole(Roles.EXECUTOR, ZeroAddress)).to.equal(true);
    });

    it("leaves the deployer no role on the timelock", async () => {
      const { timelock, deployer } = await networkHelpers.loadFixture(governanceFixture);
      for (const role of Object.values(Roles)) {
        expect(await timelock.hasRole(role, deployer), `role ${role}`).to.equal(false);
      }
    });

    it("makes the timelock its own admin", async () => {
      const { timelock } = await networkHelpers.loadFixture(governanceFixture);
      expect(await timelock.hasRole(Roles.DEFAULT_ADMIN, timelock)).to.equal(true);
      for (const role of [Roles.PROPOSER, Roles.EXECUTOR, Roles.CANCELLER]) {
        expect(await timelock.getRoleAdmin(role)).to.equal(Roles.DEFAULT_ADMIN);
      }
    });

    it("gives the governor no admin role on the timelock", async () => {
      const { timelock, governor } = await networkHelpers.loadFixture(governanceFixture);
      expect(await timelock.hasRole(Roles.DEFAULT_ADMIN, governor)).to.equal(false);
    });

    it("sets the timelock's minimum delay from the parameters", async () => {
      const { timelock } = await networkHelpers.loadFixture(governanceFixture);
      expect(await timelock.getMinDelay()).to.equal(TEST_PARAMS.timelockMinDelay);
    });

    it("makes the timelock StakedOpen's owner and treasury", async () => {
      const { stakedOpen, timelock, openToken } = await networkHelpers.loadFixture(governanceFixture);
      expect(await stakedOpen.owner()).to.equal(await timelock.getAddress());
      expect(await stakedOpen.treasury()).to.equal(await timelock.getAddress());
      expect(await stakedOpen.stakingToken()).to.equal(await openToken.getAddress());
      expect(await stakedOpen.cooldown()).to.equal(TEST_PARAMS.unstakeCooldown);
    });

    it("points the governor at gOPEN for votes and at the timelock for execution", async () => {
      const { governor, stakedOpen, timelock } = await networkHelpers.loadFixture(governanceFixture);
      expect(await governor.name()).to.equal("ProtocolGovernor");
      expect(await governor.token()).to.equal(await stakedOpen.getAddress());
      expect(await governor.timelock()).to.equal(await timelock.getAddress());
    });

    it("configures the governor with the fixture parameters", async () => {
      const { governor } = await networkHelpers.loadFixture(governanceFixture);
      expect(await governor.votingDelay()).to.equal(TEST_PARAMS.votingDelay);
      expect(await governor.votingPeriod()).to.equal(TEST_PARAMS.votingPeriod);
      expect(await governor.proposalThreshold()).to.equal(TEST_PARAMS.proposalThreshold);
      expect(await governor["quorumNumerator()"]()).to.equal(TEST_PARAMS.quorumPercent);
      expect(await governor.quorumDenominator()).to.equal(100n);
    });

    it("passes other parameters through the Ignition module", async () => {
      const { governor, timelock, stakedOpen } = await networkHelpers.loadFixture(customParametersFixture);
      expect(await governor.votingDelay()).to.equal(30n);
      expect(await governor.votingPeriod()).to.equal(900n);
      expect(await governor.proposalThreshold()).to.equal(open(1n));
      expect(await governor["quorumNumerator()"]()).to.equal(10n);
      expect(await timelock.getMinDelay()).to.equal(3_600n);
      expect(await stakedOpen.cooldown()).to.equal(2n * DAY);
    });

    it("runs the governor on gOPEN's timestamp clock", async () => {
      const { governor } = await networkHelpers.loadFixture(governanceFixture);
      expect(await governor.CLOCK_MODE()).to.equal("mode=timestamp");
      await time.increase(WEEK);
      expect(await governor.clock()).to.equal(BigInt(await time.latest()));
    });

    it("computes the quorum as 5% of the gOPEN supply at a past timestamp", async () => {
      const { governor, stakedOpen } = await networkHelpers.loadFixture(governanceFixture);
      const timepoint = BigInt(await time.latest());
      await time.increase(1n);
      const supply = await stakedOpen.getPastTotalSupply(timepoint);
      expect(supply).to.equal(ALICE_VOTES + BOB_VOTES + CAROL_VOTES);
      expect(await governor.quorum(timepoint)).to.equal((supply * TEST_PARAMS.quorumPercent) / 100n);
    });
  });

  describe("timelock access", () => {
    it("reverts schedule by the deployer with AccessControlUnauthorizedAccount (no proposer role)", async () => {
      const { timelock, stakedOpen, deployer } = await networkHelpers.loadFixture(governanceFixture);
      const calldata = stakedOpen.interface.encodeFunctionData("setCooldown", [NEW_COOLDOWN]);
      await expect(
        timelock.connect(deployer).schedule(stakedOpen, 0n, calldata, ZeroHash, ZeroHash, TEST_PARAMS.timelockMinDelay),
      )
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(deployer.address, Roles.PROPOSER);
    });

    it("reverts grantRole by the deployer with AccessControlUnauthorizedAccount (no admin role)", async () => {
      const { timelock, deployer } = await networkHelpers.loadFixture(governanceFixture);
      await expect(timelock.connect(deployer).grantRole(Roles.PROPOSER, deployer))
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(deployer.address, Roles.DEFAULT_ADMIN);
    });
  });

  describe("direct calls to StakedOpen's governance functions", () => {
    shouldBehaveLikeGovernanceOnly<StakedOpen>(async () => {
      const f = await networkHelpers.loadFixture(governanceFixture);
      // Not even the governor may call directly: only the timelock, after a vote and the delay.
      const governorSigner = await impersonate(connection, await f.governor.getAddress());
      return { contract: f.stakedOpen, callers: [f.deployer, f.alice, governorSigner] };
    }, [
      { name: "setCooldown", call: (c, caller) => c.connect(caller).setCooldown(NEW_COOLDOWN) },
      { name: "setTreasury", call: (c, caller) => c.connect(caller).setTreasury(caller.address) },
      { name: "setGuardian", call: (c, caller) => c.connect(caller).setGuardian(caller.address) },
      { name: "slash", call: (c, caller) => c.connect(caller).slash(caller.address, 1n, "direct") },
      { name: "unfreezeWithdrawals", call: (c, caller) => c.connect(caller).unfreezeWithdrawals(caller.address) },
      { name: "unpause", call: (c, caller) => c.connect(caller).unpause() },
      { name: "transferOwnership", call: (c, caller) => c.connect(caller).transferOwnership(caller.address) },
    ]);
  });

  describe("propose", () => {
    it("reverts with GovernorInsufficientProposerVotes below the proposal threshold", async () => {
      const { governor, bob, proposal } = await networkHelpers.loadFixture(governanceFixture);
      await expect(
        governor.connect(bob).propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description),
      )
        .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
        .withArgs(bob.address, BOB_VOTES, TEST_PARAMS.proposalThreshold);
    });

    it("counts delegated votes only: an undelegated stake cannot propose", async () => {
      const { governor, stakedOpen, openToken, others, proposal } = await networkHelpers.loadFixture(governanceFixture);
      const dave = defined(others[0], "dave signer");
      await openToken.transfer(dave, ALICE_VOTES);
      await openToken.connect(dave).approve(stakedOpen, ALICE_VOTES);
      await stakedOpen.connect(dave).stake(ALICE_VOTES);
      await expect(
        governor.connect(dave).propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description),
      )
        .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
        .withArgs(dave.address, 0n, TEST_PARAMS.proposalThreshold);
    });

    it("accepts a proposer holding exactly the threshold", async () => {
      const { governor, stakedOpen, openToken, bob, proposal } = await networkHelpers.loadFixture(governanceFixture);
      await openToken.transfer(bob, 1n);
      await openToken.connect(bob).approve(stakedOpen, 1n);
      await stakedOpen.connect(bob).stake(1n);
      await time.increase(1n);
      await expect(
        governor.connect(bob).propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description),
      ).to.emit(governor, "ProposalCreated");
    });

    it("emits ProposalCreated with a timestamp snapshot and deadline", async () => {
      const { governor, alice, proposal } = await networkHelpers.loadFixture(governanceFixture);
      const proposedAt = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(proposedAt);
      const snapshot = proposedAt + TEST_PARAMS.votingDelay;
      await expect(
        governor.connect(alice).propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description),
      )
        .to.emit(governor, "ProposalCreated")
        .withArgs(
          await proposalId(governor, proposal),
          alice.address,
          proposal.targets,
          proposal.values,
          [""],
          proposal.calldatas,
          snapshot,
          snapshot + TEST_PARAMS.votingPeriod,
          proposal.description,
        );
    });
  });

  describe("voting", () => {
    it("is Pending until the voting delay has passed", async () => {
      const { governor, id } = await networkHelpers.loadFixture(proposedFixture);
      expect(await governor.state(id)).to.equal(ProposalState.Pending);
    });

    it("reverts castVote while Pending with GovernorUnexpectedProposalState", async () => {
      const { governor, alice, id } = await networkHelpers.loadFixture(proposedFixture);
      await expect(governor.connect(alice).castVote(id, VoteType.For))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(id, ProposalState.Pending, stateBitmap(ProposalState.Active));
    });

    it("counts the votes held at the snapshot and emits VoteCast", async () => {
      const { governor, carol, id } = await networkHelpers.loadFixture(activeFixture);
      expect(await governor.state(id)).to.equal(ProposalState.Active);
      await expect(governor.connect(carol).castVote(id, VoteType.Against))
        .to.emit(governor, "VoteCast")
        .withArgs(carol.address, id, VoteType.Against, CAROL_VOTES, "");
      const votes = await governor.proposalVotes(id);
      expect(votes.againstVotes).to.equal(CAROL_VOTES);
      expect(votes.forVotes).to.equal(0n);
    });

    it("gives no weight to votes acquired after the snapshot", async () => {
      const { governor, stakedOpen, openToken, others, id } = await networkHelpers.loadFixture(activeFixture);
      const dave = defined(others[0], "dave signer");
      await openToken.transfer(dave, ALICE_VOTES);
      await openToken.connect(dave).approve(stakedOpen, ALICE_VOTES);
      await stakedOpen.connect(dave).stake(ALICE_VOTES);
      await stakedOpen.connect(dave).delegate(dave);
      await expect(governor.connect(dave).castVote(id, VoteType.For))
        .to.emit(governor, "VoteCast")
        .withArgs(dave.address, id, VoteType.For, 0n, "");
    });

    it("keeps the snapshot weight of a voter who unstakes after the snapshot", async () => {
      const { governor, stakedOpen, alice, id } = await networkHelpers.loadFixture(activeFixture);
      await stakedOpen.connect(alice).requestUnstake(ALICE_VOTES);
      await expect(governor.connect(alice).castVote(id, VoteType.For))
        .to.emit(governor, "VoteCast")
        .withArgs(alice.address, id, VoteType.For, ALICE_VOTES, "");
    });

    it("reverts a second vote with GovernorAlreadyCastVote", async () => {
      const { governor, alice, id } = await networkHelpers.loadFixture(activeFixture);
      await governor.connect(alice).castVote(id, VoteType.For);
      await expect(governor.connect(alice).castVote(id, VoteType.Against))
        .to.be.revertedWithCustomError(governor, "GovernorAlreadyCastVote")
        .withArgs(alice.address);
    });
  });

  describe("full governance cycle", () => {
    it("stakes, delegates, proposes, votes, queues and executes setCooldown(14 days) through the timelock", async () => {
      const { openToken, stakedOpen, governor, timelock, others } = await networkHelpers.loadFixture(governanceFixture);
      const voter = defined(others[0], "voter signer");
      const executor = defined(others[1], "executor signer");
      const stake = open(50_000n);

      // Stake and delegate.
      await openToken.transfer(voter, stake);
      await openToken.connect(voter).approve(stakedOpen, stake);
      await stakedOpen.connect(voter).stake(stake);
      await stakedOpen.connect(voter).delegate(voter);
      expect(await stakedOpen.getVotes(voter)).to.equal(stake);
      await time.increase(1n);

      // Propose.
      const proposal = singleCallProposal(
        await stakedOpen.getAddress(),
        stakedOpen.interface.encodeFunctionData("setCooldown", [NEW_COOLDOWN]),
        "Cycle: set the unstaking cooldown to 14 days",
      );
      await governor
        .connect(voter)
        .propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description);
      const id = await proposalId(governor, proposal);
      expect(await governor.state(id)).to.equal(ProposalState.Pending);

      // Wait for the voting delay, then vote for.
      await time.increaseTo((await governor.proposalSnapshot(id)) + 1n);
      expect(await governor.state(id)).to.equal(ProposalState.Active);
      await governor.connect(voter).castVote(id, VoteType.For);
      expect(await governor.hasVoted(id, voter)).to.equal(true);

      // Wait for the voting period: the proposal passed (quorum 5% of about 360,000 gOPEN < 50,000 for).
      await time.increaseTo((await governor.proposalDeadline(id)) + 1n);
      expect(await governor.state(id)).to.equal(ProposalState.Succeeded);

      // Queue in the timelock.
      const queuedAt = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(queuedAt);
      await expect(governor.queue(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash))
        .to.emit(governor, "ProposalQueued")
        .withArgs(id, queuedAt + TEST_PARAMS.timelockMinDelay);
      expect(await governor.state(id)).to.equal(ProposalState.Queued);

      // Wait for the timelock delay, then anyone executes.
      await time.increaseTo(await governor.proposalEta(id));
      const execution = governor
        .connect(executor)
        .execute(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash);
      await expect(execution)
        .to.emit(stakedOpen, "CooldownUpdated")
        .withArgs(TEST_PARAMS.unstakeCooldown, NEW_COOLDOWN);
      await expect(execution).to.emit(governor, "ProposalExecuted").withArgs(id);
      await expect(execution).to.emit(timelock, "CallExecuted");

      expect(await stakedOpen.cooldown()).to.equal(NEW_COOLDOWN);
      expect(await governor.state(id)).to.equal(ProposalState.Executed);
    });
  });

  describe("queue and execute", () => {
    it("reverts execute of a Succeeded but unqueued proposal with GovernorUnexpectedProposalState", async () => {
      const { governor, proposal, id } = await networkHelpers.loadFixture(succeededFixture);
      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(id, ProposalState.Succeeded, stateBitmap(ProposalState.Queued));
    });

    it("schedules the operation in the timelock with the minimum delay", async () => {
      const { timelock, operationId, eta, governor, id } = await networkHelpers.loadFixture(queuedFixture);
      expect(await governor.state(id)).to.equal(ProposalState.Queued);
      expect(await timelock.isOperationPending(operationId)).to.equal(true);
      expect(await timelock.getTimestamp(operationId)).to.equal(eta);
    });

    it("reverts execute before the timelock delay with the timelock's TimelockUnexpectedOperationState", async () => {
      const { governor, timelock, proposal, eta, operationId } = await networkHelpers.loadFixture(queuedFixture);
      await time.setNextBlockTimestamp(eta - 1n);
      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState")
        .withArgs(operationId, stateBitmap(OperationState.Ready));
    });

    it("executes at exactly the eta", async () => {
      const { governor, stakedOpen, proposal, eta } = await networkHelpers.loadFixture(queuedFixture);
      await time.setNextBlockTimestamp(eta);
      await execute(governor, proposal);
      expect(await stakedOpen.cooldown()).to.equal(NEW_COOLDOWN);
    });

    it("reverts direct execution on the timelock before the delay too", async () => {
      const { timelock, proposal, operationId, governor, bob } = await networkHelpers.loadFixture(queuedFixture);
      await expect(
        timelock
          .connect(bob)
          .executeBatch(
            proposal.targets,
            proposal.values,
            proposal.calldatas,
            ZeroHash,
            timelockSalt(await governor.getAddress(), proposal.descriptionHash),
          ),
      )
        .to.be.revertedWithCustomError(timelock, "TimelockUnexpectedOperationState")
        .withArgs(operationId, stateBitmap(OperationState.Ready));
    });

    it("reverts a second execution with GovernorUnexpectedProposalState", async () => {
      const { governor, proposal, eta, id } = await networkHelpers.loadFixture(queuedFixture);
      await time.increaseTo(eta);
      await execute(governor, proposal);
      await expect(execute(governor, proposal))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(id, ProposalState.Executed, stateBitmap(ProposalState.Queued));
    });
  });

  describe("cancel", () => {
    it("lets the proposer cancel a Pending proposal: state Canceled, ProposalCanceled emitted", async () => {
      const { governor, proposal, id, alice } = await networkHelpers.loadFixture(proposedFixture);
      await expect(
        governor.connect(alice).cancel(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash),
      )
        .to.emit(governor, "ProposalCanceled")
        .withArgs(id);
      expect(await governor.state(id)).to.equal(ProposalState.Canceled);
    });

    it("reverts a cancel by anyone but the proposer with GovernorUnableToCancel", async () => {
      const { governor, proposal, id, bob } = await networkHelpers.loadFixture(proposedFixture);
      await expect(
        governor.connect(bob).cancel(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash),
      )
        .to.be.revertedWithCustomError(governor, "GovernorUnableToCancel")
        .withArgs(id, bob.address);
    });
  });

  describe("defeated proposals", () => {
    /**
     * governanceFixture plus a whale staking 10,000,000 gOPEN who never votes, then alice's proposal with
     * voting open: the quorum (5% of about 10,310,000) is far above alice's 100,000.
     */
    async function whaleFixture(conn: Connection) {
      const f = await governanceFixture(conn);
      const whale = defined(f.others[0], "whale signer");
      const amount = open(10_000_000n);
      await f.openToken.transfer(whale, amount);
      await f.openToken.connect(whale).approve(f.stakedOpen, amount);
      await f.stakedOpen.connect(whale).stake(amount);
      await f.stakedOpen.connect(whale).delegate(whale);
      const { governor, proposal, alice } = f;
      await governor
        .connect(alice)
        .propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description);
      const id = await proposalId(governor, proposal);
      await conn.networkHelpers.time.increaseTo((await governor.proposalSnapshot(id)) + 1n);
      return { ...f, id };
    }

    it("is Defeated when the quorum is not reached, even with no vote against", async () => {
      const { governor, alice, id } = await networkHelpers.loadFixture(whaleFixture);
      await governor.connect(alice).castVote(id, VoteType.For);
      const snapshot = await governor.proposalSnapshot(id);
      expect(await governor.quorum(snapshot)).to.be.greaterThan(ALICE_VOTES);
      await time.increaseTo((await governor.proposalDeadline(id)) + 1n);
      expect(await governor.state(id)).to.equal(ProposalState.Defeated);
    });

    it("is Defeated when the votes against outweigh the votes for", async () => {
      const { governor, alice, carol, id } = await networkHelpers.loadFixture(activeFixture);
      await governor.connect(alice).castVote(id, VoteType.For);
      await governor.connect(carol).castVote(id, VoteType.Against);
      await time.increaseTo((await governor.proposalDeadline(id)) + 1n);
      expect(await governor.state(id)).to.equal(ProposalState.Defeated);
    });

    it("reverts queue of a Defeated proposal with GovernorUnexpectedProposalState", async () => {
      const { governor, proposal, id } = await networkHelpers.loadFixture(whaleFixture);
      await time.increaseTo((await governor.proposalDeadline(id)) + 1n);
      await expect(governor.queue(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash))
        .to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState")
        .withArgs(id, ProposalState.Defeated, stateBitmap(ProposalState.Succeeded));
    });

    it("leaves the cooldown unchanged", async () => {
      const { governor, stakedOpen, id } = await networkHelpers.loadFixture(whaleFixture);
      await time.increaseTo((await governor.proposalDeadline(id)) + 1n);
      expect(await stakedOpen.cooldown()).to.equal(TEST_PARAMS.unstakeCooldown);
    });
  });

  describe("slash freezes (issue 10, item 1)", () => {
    it("with the public timings: freezes the staker's withdrawals when the slash is proposed, refuses her withdrawal on day 7 and slashes her queued stake after day 15", async () => {
      const { governor, stakedOpen, openToken, timelock, alice, mallory, proposal } =
        await networkHelpers.loadFixture(publicTimingsFixture);
      const governorAddress = await governor.getAddress();

      // Day 0: the slash is proposed. The governor freezes mallory's withdrawals until the vote is over, plus
      // the timelock delay, plus a day to queue and execute.
      const proposedAt = await pinNextTimestamp();
      const { tx, id } = await propose(governor, alice, proposal);
      const deadline = await governor.proposalDeadline(id);
      expect(deadline).to.equal(proposedAt + DAY + WEEK);
      const frozenUntil = deadline + WEEK + SLASH_FREEZE_GRACE;
      expect(frozenUntil).to.equal(proposedAt + 16n * DAY);
      await expect(tx).to.emit(stakedOpen, "WithdrawalsFrozen").withArgs(mallory.address, frozenUntil, governorAddress);

      // Mallory sees the proposal and unstakes everything at once: her 7-day cooldown ends on day 7.
      const requestedAt = await minedAt(stakedOpen.connect(mallory).requestUnstake(MALLORY_STAKE));
      const releaseTime = requestedAt + WEEK;

      // Day 1: voting opens; alice votes for the slash.
      await time.increaseTo((await governor.proposalSnapshot(id)) + 1n);
      await governor.connect(alice).castVote(id, VoteType.For);

      // Day 7: the cooldown is over, but the withdrawal is frozen.
      await time.setNextBlockTimestamp(releaseTime);
      await expect(stakedOpen.connect(mallory).withdraw())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenWithdrawalsFrozen")
        .withArgs(mallory.address, frozenUntil);

      // Day 8: the vote passed. Queueing renews the freeze until the execution time plus a day.
      await time.increaseTo(deadline + 1n);
      expect(await governor.state(id)).to.equal(ProposalState.Succeeded);
      const queuedAt = await pinNextTimestamp();
      const eta = queuedAt + WEEK;
      await expect(queue(governor, proposal))
        .to.emit(stakedOpen, "WithdrawalsFrozen")
        .withArgs(mallory.address, eta + SLASH_FREEZE_GRACE, governorAddress);
      await time.setNextBlockTimestamp(eta - 1n);
      await expect(stakedOpen.connect(mallory).withdraw())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenWithdrawalsFrozen")
        .withArgs(mallory.address, eta + SLASH_FREEZE_GRACE);

      // Day 15 and a bit: anyone executes, and the slash takes her whole queued stake to the treasury.
      expect(eta - proposedAt > 15n * DAY).to.equal(true);
      await time.setNextBlockTimestamp(eta);
      const execution = execute(governor, proposal);
      await expect(execution).to.emit(stakedOpen, "Slashed").withArgs(mallory.address, 0n, MALLORY_STAKE, SLASH_REASON);
      await expect(execution).to.changeTokenBalances(
        ethers,
        openToken,
        [timelock, stakedOpen, mallory],
        [MALLORY_STAKE, -MALLORY_STAKE, 0n],
      );
      expect((await stakedOpen.pendingWithdrawal(mallory)).amount).to.equal(0n);

      // Once the freeze is over there is nothing left to withdraw.
      await time.increaseTo(eta + SLASH_FREEZE_GRACE);
      await expect(stakedOpen.connect(mallory).withdraw())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenNothingToWithdraw")
        .withArgs(mallory.address);
    });

    it("with the public timings: a proposal that does not slash freezes nothing, so the staker withdraws on day 7", async () => {
      const { governor, stakedOpen, openToken, alice, mallory } =
        await networkHelpers.loadFixture(publicTimingsFixture);
      const proposal = singleCallProposal(
        await stakedOpen.getAddress(),
        stakedOpen.interface.encodeFunctionData("setCooldown", [NEW_COOLDOWN]),
        DESCRIPTION,
      );
      const { tx, id } = await propose(governor, alice, proposal);
      await expect(tx).to.not.emit(stakedOpen, "WithdrawalsFrozen");
      const requestedAt = await minedAt(stakedOpen.connect(mallory).requestUnstake(MALLORY_STAKE));
      await time.increaseTo((await governor.proposalSnapshot(id)) + 1n);
      await governor.connect(alice).castVote(id, VoteType.For);
      await time.setNextBlockTimestamp(requestedAt + WEEK);
      await expect(stakedOpen.connect(mallory).withdraw()).to.changeTokenBalances(
        ethers,
        openToken,
        [mallory],
        [MALLORY_STAKE],
      );
      await time.increaseTo((await governor.proposalDeadline(id)) + 1n);
      await expect(queue(governor, proposal)).to.not.emit(stakedOpen, "WithdrawalsFrozen");
      expect((await stakedOpen.pendingWithdrawal(mallory)).frozenUntil).to.equal(0n);
    });

    it("freezes nothing for a slash call aimed at another contract, or a call to StakedOpen that is not a slash", async () => {
      const { governor, stakedOpen, openToken, alice, mallory } = await networkHelpers.loadFixture(shortTimingsFixture);
      const slashData = stakedOpen.interface.encodeFunctionData("slash", [mallory.address, 1n, "elsewhere"]);
      const proposal: Proposal = {
        targets: [await openToken.getAddress(), await stakedOpen.getAddress(), await stakedOpen.getAddress()],
        values: [0n, 0n, 0n],
        calldatas: [
          slashData,
          stakedOpen.interface.encodeFunctionData("unpause"),
          stakedOpen.interface.encodeFunctionData("unfreezeWithdrawals", [mallory.address]),
        ],
        description: "Not a slash of gOPEN",
        descriptionHash: ethers.id("Not a slash of gOPEN"),
      };
      const { tx } = await propose(governor, alice, proposal);
      await expect(tx).to.not.emit(stakedOpen, "WithdrawalsFrozen");
    });

    it("freezes every staker one proposal slashes", async () => {
      const { governor, stakedOpen, alice, mallory, carol } = await networkHelpers.loadFixture(shortTimingsFixture);
      const target = await stakedOpen.getAddress();
      const proposal: Proposal = {
        targets: [target, target],
        values: [0n, 0n],
        calldatas: [
          stakedOpen.interface.encodeFunctionData("slash", [mallory.address, 1n, "one"]),
          stakedOpen.interface.encodeFunctionData("slash", [carol.address, 1n, "two"]),
        ],
        description: "Slash two stakers",
        descriptionHash: ethers.id("Slash two stakers"),
      };
      const { tx, id } = await propose(governor, alice, proposal);
      const until = (await governor.proposalDeadline(id)) + TEST_PARAMS.timelockMinDelay + SLASH_FREEZE_GRACE;
      const governorAddress = await governor.getAddress();
      await expect(tx).to.emit(stakedOpen, "WithdrawalsFrozen").withArgs(mallory.address, until, governorAddress);
      await expect(tx).to.emit(stakedOpen, "WithdrawalsFrozen").withArgs(carol.address, until, governorAddress);
    });

    it("refuses a freeze by anyone but governance and the timelock's proposers with StakedOpenNotFreezer", async () => {
      const { stakedOpen, alice, mallory, deployer, guardian } = await networkHelpers.loadFixture(shortTimingsFixture);
      const until = BigInt(await time.latest()) + WEEK;
      // Alice holds enough votes to propose, but freezing takes a proposal, not votes.
      for (const caller of [alice, deployer, guardian]) {
        await expect(stakedOpen.connect(caller).freezeWithdrawals(mallory, until))
          .to.be.revertedWithCustomError(stakedOpen, "StakedOpenNotFreezer")
          .withArgs(caller.address);
      }
    });

    it("only extends a freeze: a slash proposal never shortens a longer one, a later one lengthens it", async () => {
      const { governor, stakedOpen, alice, mallory, proposal, governance } =
        await networkHelpers.loadFixture(shortTimingsFixture);
      const long = BigInt(await time.latest()) + 50n * DAY;
      await stakedOpen.connect(governance).freezeWithdrawals(mallory, long);
      const { tx } = await propose(governor, alice, proposal);
      await expect(tx).to.not.emit(stakedOpen, "WithdrawalsFrozen");
      expect((await stakedOpen.pendingWithdrawal(mallory)).frozenUntil).to.equal(long);

      await stakedOpen.connect(governance).unfreezeWithdrawals(mallory);
      const first = await slashProposal(stakedOpen, mallory.address, 1n, "first");
      const second = await slashProposal(stakedOpen, mallory.address, 2n, "second");
      const { id: firstId } = await propose(governor, alice, first);
      await time.increase(HOUR);
      const { tx: secondTx, id: secondId } = await propose(governor, alice, second);
      const firstUntil = (await governor.proposalDeadline(firstId)) + TEST_PARAMS.timelockMinDelay + SLASH_FREEZE_GRACE;
      const secondUntil =
        (await governor.proposalDeadline(secondId)) + TEST_PARAMS.timelockMinDelay + SLASH_FREEZE_GRACE;
      expect(secondUntil > firstUntil).to.equal(true);
      await expect(secondTx)
        .to.emit(stakedOpen, "WithdrawalsFrozen")
        .withArgs(mallory.address, secondUntil, await governor.getAddress());
    });

    it("caps a slash proposal's freeze at MAX_FREEZE (60 days) when the governance path is longer", async () => {
      const { governor, stakedOpen, alice, mallory, proposal } = await networkHelpers.loadFixture(longVoteFixture);
      const proposedAt = await pinNextTimestamp();
      const { tx, id } = await propose(governor, alice, proposal);
      expect((await governor.proposalDeadline(id)) + TEST_PARAMS.timelockMinDelay > proposedAt + MAX_FREEZE).to.equal(
        true,
      );
      await expect(tx)
        .to.emit(stakedOpen, "WithdrawalsFrozen")
        .withArgs(mallory.address, proposedAt + MAX_FREEZE, await governor.getAddress());
    });

    it("lets governance lift a slash proposal's freeze through a proposal of its own", async () => {
      const { governor, stakedOpen, openToken, alice, mallory, proposal } =
        await networkHelpers.loadFixture(shortCooldownFixture);
      const { id: slashId } = await propose(governor, alice, proposal);
      const frozenUntil = (await stakedOpen.pendingWithdrawal(mallory)).frozenUntil;
      const requestedAt = await minedAt(stakedOpen.connect(mallory).requestUnstake(MALLORY_STAKE));
      expect(requestedAt + HOUR < frozenUntil).to.equal(true);

      // Nobody votes for the slash; a second proposal lifts the freeze.
      const unfreeze = singleCallProposal(
        await stakedOpen.getAddress(),
        stakedOpen.interface.encodeFunctionData("unfreezeWithdrawals", [mallory.address]),
        "Lift mallory's freeze: the report was honest",
      );
      const { id } = await propose(governor, alice, unfreeze);
      await passVote(governor, alice, id);
      expect(await governor.state(slashId)).to.equal(ProposalState.Defeated);
      await queue(governor, unfreeze);
      await time.increaseTo(await governor.proposalEta(id));
      await expect(execute(governor, unfreeze)).to.emit(stakedOpen, "WithdrawalsUnfrozen").withArgs(mallory.address);

      // Once her one-hour cooldown is over she withdraws, long before the slash proposal's freeze would end.
      await time.increaseTo(requestedAt + HOUR);
      expect(BigInt(await time.latest()) < frozenUntil).to.equal(true);
      await expect(stakedOpen.connect(mallory).withdraw()).to.changeTokenBalances(
        ethers,
        openToken,
        [mallory],
        [MALLORY_STAKE],
      );
    });

    it("keeps the freeze of a canceled slash proposal until it ends (governance may lift it earlier)", async () => {
      const { governor, stakedOpen, alice, mallory, proposal } = await networkHelpers.loadFixture(shortTimingsFixture);
      await propose(governor, alice, proposal);
      const frozenUntil = (await stakedOpen.pendingWithdrawal(mallory)).frozenUntil;
      await governor
        .connect(alice)
        .cancel(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash);
      expect((await stakedOpen.pendingWithdrawal(mallory)).frozenUntil).to.equal(frozenUntil);
    });

    it("cannot create a slash proposal once the governor no longer proposes to gOPEN's timelock (it could not run)", async () => {
      const { governor, timelock, stakedOpen, alice, proposal, governance } =
        await networkHelpers.loadFixture(shortTimingsFixture);
      await timelock.connect(governance).revokeRole(Roles.PROPOSER, governor);
      await expect(
        governor.connect(alice).propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description),
      )
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenNotFreezer")
        .withArgs(await governor.getAddress());
    });

    it("reads the timelock's delay through timelockDelay()", async () => {
      const { governor, timelock } = await networkHelpers.loadFixture(publicTimingsFixture);
      expect(await governor.timelockDelay()).to.equal(await timelock.getMinDelay());
      expect(await governor.timelockDelay()).to.equal(WEEK);
      expect(await governor.SLASH_FREEZE_GRACE()).to.equal(SLASH_FREEZE_GRACE);
    });
  });
});
