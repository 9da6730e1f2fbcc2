import { expect } from "chai";
import { MaxUint256, id } from "ethers";
import { network } from "hardhat";

import { TEST_PARAMS, TEST_REGISTRY_PARAMS, deployProtocol, type Connection } from "../fixtures/protocol.js";
import type { ProtocolGovernor } from "../../types/ethers-contracts/index.js";
import { frontRun } from "../helpers/blocks.js";
import { open } from "../helpers/constants.js";
import { ProposalState, VoteType, singleCallProposal, type Proposal } from "../helpers/governance.js";
import { ModelState, contentHash, expectModelBondsConserved } from "../helpers/registries.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const PROPOSAL_BOND = TEST_REGISTRY_PARAMS.modelProposalBond;
const ALICE_VOTES = open(100_000n);
const CAROL_VOTES = open(200_000n);
const RATES = { inputRate: open(2n), outputRate: open(5n) } as const;
const ARTIFACT = contentHash("weights of llama-med-8b");
const ARTIFACT_URI = "ipfs://weights/llama-med-8b";

/**
 * The protocol with alice staking 100,000 gOPEN delegated to herself (above the 10,000 proposal
 * threshold; alone she makes the 5% quorum) and carol 200,000 gOPEN, delegated but not voting unless a
 * test says so. Bob creates datanet 1 and proposes models 1 and 2 on it, each posting the 1,000 OPEN
 * proposal bond.
 */
async function governanceFixture(conn: Connection) {
  const protocol = await deployProtocol(conn);
  const { openToken, stakedOpen, datanetRegistry, modelRegistry, alice, bob, carol, timelock } = protocol;
  for (const [signer, amount] of [
    [alice, ALICE_VOTES],
    [carol, CAROL_VOTES],
  ] as const) {
    await openToken.transfer(signer, amount);
    await openToken.connect(signer).approve(stakedOpen, amount);
    await stakedOpen.connect(signer).stake(amount);
    await stakedOpen.connect(signer).delegate(signer);
  }
  await openToken.transfer(bob, open(10_000n));
  await datanetRegistry.connect(bob).createDatanet("ipfs://datanet-1", open(1n));
  await openToken.connect(bob).approve(modelRegistry, 2n * PROPOSAL_BOND);
  await modelRegistry.connect(bob).proposeModel("ipfs://model-1", [1n], RATES, PROPOSAL_BOND);
  await modelRegistry.connect(bob).proposeModel("ipfs://model-2", [1n], RATES, PROPOSAL_BOND);
  // Votes are counted at a past timestamp: let the stakes settle.
  await conn.networkHelpers.time.increase(1n);
  return { ...protocol, treasury: await timelock.getAddress() };
}

type GovernanceFixture = Awaited<ReturnType<typeof governanceFixture>>;

async function proposalId(governor: ProtocolGovernor, proposal: Proposal): Promise<bigint> {
  return governor.hashProposal(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash);
}

function execute(governor: ProtocolGovernor, proposal: Proposal) {
  return governor.execute(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash);
}

/** A governor proposal whose single action calls the ModelRegistry. */
async function modelRegistryProposal(f: GovernanceFixture, calldata: string, description: string): Promise<Proposal> {
  return singleCallProposal(await f.modelRegistry.getAddress(), calldata, description);
}

/** Alice proposes, votes for; the vote ends; the proposal is queued and its timelock delay over. */
async function passAndQueue(f: GovernanceFixture, proposal: Proposal): Promise<bigint> {
  const { governor, alice } = f;
  await governor.connect(alice).propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description);
  const proposalIdValue = await proposalId(governor, proposal);
  await time.increaseTo((await governor.proposalSnapshot(proposalIdValue)) + 1n);
  await governor.connect(alice).castVote(proposalIdValue, VoteType.For);
  await time.increaseTo((await governor.proposalDeadline(proposalIdValue)) + 1n);
  await governor.queue(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash);
  await time.increaseTo(await governor.proposalEta(proposalIdValue));
  return proposalIdValue;
}

/** Passes, queues and executes a proposal. */
async function govern(f: GovernanceFixture, proposal: Proposal): Promise<void> {
  await passAndQueue(f, proposal);
  await execute(f.governor, proposal);
}

function approveProposal(f: GovernanceFixture, modelId: bigint, description = `Approve model ${modelId}`) {
  return modelRegistryProposal(f, f.modelRegistry.interface.encodeFunctionData("approveModel", [modelId]), description);
}

/** governanceFixture with model 1 approved by an executed governor proposal. */
async function approvedByGovernanceFixture(conn: Connection) {
  const f = await governanceFixture(conn);
  await govern(f, await approveProposal(f, 1n));
  return f;
}

/** approvedByGovernanceFixture with bob's artifact registered and model 1 activated: Active. */
async function activeFixture(conn: Connection) {
  const f = await approvedByGovernanceFixture(conn);
  await f.modelRegistry.connect(f.bob).registerArtifact(1n, ARTIFACT, ARTIFACT_URI, 0n);
  await f.modelRegistry.connect(f.bob).activateModel(1n);
  return f;
}

describe("ModelRegistry through governance", () => {
  describe("approving a model", () => {
    it("needs gOPEN votes: the proposal moves Pending → Active → Succeeded → Queued before it can execute", async () => {
      const f = await networkHelpers.loadFixture(governanceFixture);
      const { governor, alice } = f;
      const proposal = await approveProposal(f, 1n);
      expect(await f.stakedOpen.getVotes(alice)).to.be.greaterThanOrEqual(TEST_PARAMS.proposalThreshold);
      await governor
        .connect(alice)
        .propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description);
      const pid = await proposalId(governor, proposal);
      expect(await governor.state(pid)).to.equal(ProposalState.Pending);
      await time.increaseTo((await governor.proposalSnapshot(pid)) + 1n);
      expect(await governor.state(pid)).to.equal(ProposalState.Active);
      await governor.connect(alice).castVote(pid, VoteType.For);
      await time.increaseTo((await governor.proposalDeadline(pid)) + 1n);
      expect(await governor.state(pid)).to.equal(ProposalState.Succeeded);
      await governor.queue(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash);
      expect(await governor.state(pid)).to.equal(ProposalState.Queued);
      expect((await f.modelRegistry.getModel(1n)).state).to.equal(ModelState.Proposed);
    });

    it("executes approveModel from the timelock: the model is Approved and bob's bond is back", async () => {
      const f = await networkHelpers.loadFixture(governanceFixture);
      const { governor, modelRegistry, openToken, bob, treasury } = f;
      const proposal = await approveProposal(f, 1n);
      const pid = await passAndQueue(f, proposal);
      const execution = execute(governor, proposal);
      await expect(execution).to.changeTokenBalances(
        ethers,
        openToken,
        [modelRegistry, bob, treasury],
        [-PROPOSAL_BOND, PROPOSAL_BOND, 0n],
      );
      await expect(execution)
        .to.emit(modelRegistry, "ModelStateChanged")
        .withArgs(1n, ModelState.Proposed, ModelState.Approved);
      await expect(execution).to.emit(modelRegistry, "ProposalBondSettled").withArgs(1n, bob.address, PROPOSAL_BOND);
      await expect(execution).to.emit(governor, "ProposalExecuted").withArgs(pid);
      expect(await governor.state(pid)).to.equal(ProposalState.Executed);
      expect((await modelRegistry.getModel(1n)).state).to.equal(ModelState.Approved);
      expect((await modelRegistry.getModel(2n)).state).to.equal(ModelState.Proposed);
      await expectModelBondsConserved(openToken, modelRegistry);
    });

    it("lets bob register the artifact (Trained) and activate (Active): paymentTerms and modelDatanets have the model's terms", async () => {
      const { modelRegistry, bob } = await networkHelpers.loadFixture(approvedByGovernanceFixture);
      await expect(modelRegistry.connect(bob).registerArtifact(1n, ARTIFACT, ARTIFACT_URI, 0n))
        .to.emit(modelRegistry, "ModelStateChanged")
        .withArgs(1n, ModelState.Approved, ModelState.Trained);
      await expect(modelRegistry.connect(bob).activateModel(1n))
        .to.emit(modelRegistry, "ModelStateChanged")
        .withArgs(1n, ModelState.Trained, ModelState.Active);
      const [state, creator, inputRate, outputRate] = await modelRegistry.paymentTerms(1n);
      expect(state).to.equal(ModelState.Active);
      expect(creator).to.equal(bob.address);
      expect(inputRate).to.equal(RATES.inputRate);
      expect(outputRate).to.equal(RATES.outputRate);
      expect(await modelRegistry.modelDatanets(1n)).to.deep.equal([1n]);
      expect((await modelRegistry.getModel(1n)).artifactHash).to.equal(ARTIFACT);
    });

    it("cannot refund the bond twice: a second approval proposal reverts on execution with ModelRegistryUnexpectedState(Approved)", async () => {
      const f = await networkHelpers.loadFixture(approvedByGovernanceFixture);
      const proposal = await approveProposal(f, 1n, "Approve model 1 again");
      await passAndQueue(f, proposal);
      await expect(execute(f.governor, proposal))
        .to.be.revertedWithCustomError(f.modelRegistry, "ModelRegistryUnexpectedState")
        .withArgs(1n, ModelState.Approved);
    });

    it("leaves the model Proposed with its bond held when the vote is defeated", async () => {
      const f = await networkHelpers.loadFixture(governanceFixture);
      const { governor, modelRegistry, openToken, alice, carol } = f;
      const proposal = await approveProposal(f, 1n);
      await governor
        .connect(alice)
        .propose(proposal.targets, proposal.values, proposal.calldatas, proposal.description);
      const pid = await proposalId(governor, proposal);
      await time.increaseTo((await governor.proposalSnapshot(pid)) + 1n);
      await governor.connect(alice).castVote(pid, VoteType.For);
      await governor.connect(carol).castVote(pid, VoteType.Against);
      await time.increaseTo((await governor.proposalDeadline(pid)) + 1n);
      expect(await governor.state(pid)).to.equal(ProposalState.Defeated);
      expect((await modelRegistry.getModel(1n)).state).to.equal(ModelState.Proposed);
      expect(await openToken.balanceOf(modelRegistry)).to.equal(2n * PROPOSAL_BOND);
    });
  });

  describe("rejecting a model", () => {
    it("executes rejectModel from the timelock: the model is Rejected and its bond goes to the timelock treasury", async () => {
      const f = await networkHelpers.loadFixture(governanceFixture);
      const { governor, modelRegistry, openToken, bob, treasury } = f;
      const proposal = await modelRegistryProposal(
        f,
        modelRegistry.interface.encodeFunctionData("rejectModel", [2n]),
        "Reject model 2",
      );
      await passAndQueue(f, proposal);
      const execution = execute(governor, proposal);
      await expect(execution).to.changeTokenBalances(
        ethers,
        openToken,
        [modelRegistry, treasury, bob],
        [-PROPOSAL_BOND, PROPOSAL_BOND, 0n],
      );
      await expect(execution).to.emit(modelRegistry, "ProposalBondSettled").withArgs(2n, treasury, PROPOSAL_BOND);
      expect((await modelRegistry.getModel(2n)).state).to.equal(ModelState.Rejected);
      await expectModelBondsConserved(openToken, modelRegistry);
    });

    it("settles several models in one proposal: approve one, reject the other", async () => {
      const f = await networkHelpers.loadFixture(governanceFixture);
      const { governor, modelRegistry, openToken, bob, treasury } = f;
      const target = await modelRegistry.getAddress();
      const description = "Approve model 1 and reject model 2";
      const proposal: Proposal = {
        targets: [target, target],
        values: [0n, 0n],
        calldatas: [
          modelRegistry.interface.encodeFunctionData("approveModel", [1n]),
          modelRegistry.interface.encodeFunctionData("rejectModel", [2n]),
        ],
        description,
        descriptionHash: id(description),
      };
      await passAndQueue(f, proposal);
      await expect(execute(governor, proposal)).to.changeTokenBalances(
        ethers,
        openToken,
        [modelRegistry, bob, treasury],
        [-2n * PROPOSAL_BOND, PROPOSAL_BOND, PROPOSAL_BOND],
      );
      expect((await modelRegistry.getModel(1n)).state).to.equal(ModelState.Approved);
      expect((await modelRegistry.getModel(2n)).state).to.equal(ModelState.Rejected);
    });
  });

  describe("suspending an Active model", () => {
    it("executes suspendModel from the timelock: paymentTerms reports it Suspended", async () => {
      const f = await networkHelpers.loadFixture(activeFixture);
      const { governor, modelRegistry } = f;
      const proposal = await modelRegistryProposal(
        f,
        modelRegistry.interface.encodeFunctionData("suspendModel", [1n]),
        "Suspend model 1",
      );
      await passAndQueue(f, proposal);
      await expect(execute(governor, proposal))
        .to.emit(modelRegistry, "ModelStateChanged")
        .withArgs(1n, ModelState.Active, ModelState.Suspended);
      const [state] = await modelRegistry.paymentTerms(1n);
      expect(state).to.equal(ModelState.Suspended);
    });

    it("resumes it through a later proposal", async () => {
      const f = await networkHelpers.loadFixture(activeFixture);
      const { modelRegistry } = f;
      await govern(
        f,
        await modelRegistryProposal(f, modelRegistry.interface.encodeFunctionData("suspendModel", [1n]), "Suspend"),
      );
      await govern(
        f,
        await modelRegistryProposal(f, modelRegistry.interface.encodeFunctionData("resumeModel", [1n]), "Resume"),
      );
      expect((await modelRegistry.getModel(1n)).state).to.equal(ModelState.Active);
    });
  });

  describe("raising the proposal bond", () => {
    const RAISED = 5n * PROPOSAL_BOND;

    function raiseProposal(f: GovernanceFixture) {
      return modelRegistryProposal(
        f,
        f.modelRegistry.interface.encodeFunctionData("setProposalBond", [RAISED]),
        "Raise the proposal bond",
      );
    }

    it("is not charged to a proposer whose proposal lands in the block that executes it: ModelRegistryBondAboveMax", async () => {
      const f = await networkHelpers.loadFixture(governanceFixture);
      const { governor, modelRegistry, openToken, bob } = f;
      // Bob keeps a standing unlimited approval, as a wallet that proposes often would.
      await openToken.connect(bob).approve(modelRegistry, MaxUint256);
      const balance = await openToken.balanceOf(bob);
      const proposal = await raiseProposal(f);
      await passAndQueue(f, proposal);
      const { victimTx, frontTx } = await frontRun(
        connection,
        (fees) => modelRegistry.connect(bob).proposeModel("ipfs://model-3", [1n], RATES, PROPOSAL_BOND, fees),
        (fees) =>
          governor.execute(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash, fees),
      );
      await expect(frontTx).to.emit(modelRegistry, "ProposalBondUpdated").withArgs(PROPOSAL_BOND, RAISED);
      await expect(victimTx)
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryBondAboveMax")
        .withArgs(RAISED, PROPOSAL_BOND);
      expect(await openToken.balanceOf(bob), "bob paid nothing").to.equal(balance);
      expect(await modelRegistry.modelCount()).to.equal(2n);
    });

    it("applies to proposals that accept it, and leaves earlier proposals with the bond they posted", async () => {
      const f = await networkHelpers.loadFixture(governanceFixture);
      const { modelRegistry, openToken, bob } = f;
      await govern(f, await raiseProposal(f));
      expect(await modelRegistry.proposalBond()).to.equal(RAISED);
      await openToken.connect(bob).approve(modelRegistry, RAISED);
      await expect(
        modelRegistry.connect(bob).proposeModel("ipfs://model-3", [1n], RATES, RAISED),
      ).to.changeTokenBalances(ethers, openToken, [bob, modelRegistry], [-RAISED, RAISED]);
      expect((await modelRegistry.getModel(1n)).bond).to.equal(PROPOSAL_BOND);
      expect((await modelRegistry.getModel(3n)).bond).to.equal(RAISED);
      await expectModelBondsConserved(openToken, modelRegistry);
    });
  });
});
