/**
 * The client's models (sdk/client/models.ts) on the in-process network: a proposal refused for its datanets,
 * rates, bond or proposer before anything is sent, and a model carried with its approval proposal from Proposed
 * to Active.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { approvalDescription } from "../../../sdk/client/index.js";
import type { Connection } from "../../fixtures/protocol.js";
import { contentHash as hashOf, fundedSuite, refusal } from "./suite.js";

const connection = await network.create();
const { networkHelpers } = connection;
const OPEN = 10n ** 18n;
const rates = { inputRate: 6n * 10n ** 16n, outputRate: 2n * 10n ** 17n };

/** Datanet 1 (alice's); carol staked 20,000 OPEN and delegated to herself, so she may file proposals. */
async function withVoter(conn: Connection) {
  const suite = await fundedSuite(conn);
  const { datanetId } = await suite.client(suite.alice).datanets.create("ipfs://legal.json", 10n * OPEN);
  const carol = suite.client(suite.carol);
  await carol.staking.stake(20_000n * OPEN);
  await carol.staking.delegate(suite.carol.address);
  await networkHelpers.mine();
  return { ...suite, datanetId };
}

describe("client models", () => {
  it("refuses empty, duplicate or unknown datanets and out-of-bounds rates", async () => {
    const f = await networkHelpers.loadFixture(withVoter);
    const { models } = f.client(f.bob);
    const skip = { fileProposal: false };
    await refusal(models.propose("m", [], rates, skip), "NoDatanets");
    await refusal(models.propose("m", [f.datanetId, f.datanetId], rates, skip), "DatanetListedTwice", {
      datanetId: f.datanetId,
    });
    const unknown = await refusal(models.propose("m", [5n], rates, skip), "UnknownDatanet", { datanetId: 5n });
    expect(unknown.message).to.equal("There is no datanet 5.");
    const rate = await refusal(
      models.propose("m", [f.datanetId], { ...rates, outputRate: 101n * OPEN }, skip),
      "RateOutOfBounds",
      { which: "output", rate: 101n * OPEN, min: 0n, max: 100n * OPEN },
    );
    expect(rate.message).to.equal(
      "The output rate 101 OPEN is outside the allowed range 0 OPEN to 100 OPEN per 1,000 tokens.",
    );
  });

  it("caps the proposal bond at maxBond", async () => {
    const f = await networkHelpers.loadFixture(withVoter);
    const { models } = f.client(f.bob);
    await refusal(
      models.propose("m", [f.datanetId], rates, { fileProposal: false, maxBond: 999n * OPEN }),
      "ProposalBondAboveMax",
      { bond: 1_000n * OPEN, maxBond: 999n * OPEN },
    );
    const proposed = await models.propose("m", [f.datanetId], rates, { fileProposal: false });
    expect([proposed.bond, proposed.maxBond]).to.deep.equal([1_000n * OPEN, 1_000n * OPEN]);
    expect(proposed.proposal).to.equal(undefined);
  });

  it("refuses to file the approval proposal for a proposer below the threshold, before registering anything", async () => {
    const f = await networkHelpers.loadFixture(withVoter);
    const e = await refusal(
      f.client(f.bob).models.propose("m", [f.datanetId], rates),
      "BelowApprovalProposalThreshold",
      { account: f.bob.address, votes: 0n, threshold: 10_000n * OPEN },
    );
    expect(e.message).to.match(/below the 10,000 votes needed to file the approval proposal; /);
    expect(await f.modelRegistry.modelCount()).to.equal(0n);
  });

  it("registers a model with its approval proposal and carries it to Active", async () => {
    const f = await networkHelpers.loadFixture(withVoter);
    const carol = f.client(f.carol);
    const bob = f.client(f.bob);
    const foundation = f.client(f.deployer);
    const proposed = await carol.models.propose("ipfs://model.json", [f.datanetId], rates);
    const proposal = proposed.proposal!;
    expect(proposal.proposalId).to.equal(await carol.models.approvalProposalId(proposed.modelId));
    expect(proposal.description).to.equal(approvalDescription(proposed.modelId, "ipfs://model.json"));

    const early = await refusal(carol.models.registerArtifact(proposed.modelId, hashOf("w"), "u"), "WrongModelState", {
      modelId: proposed.modelId,
      state: "Proposed",
      required: "Approved",
    });
    expect(early.message).to.equal(
      `Model ${proposed.modelId} is Proposed; it must be Approved to register its artifact.`,
    );
    await networkHelpers.time.increaseTo(proposal.voteStart + 1n);
    await carol.governance.castVote(proposal.proposalId, "for");
    await networkHelpers.time.increaseTo(proposal.voteEnd + 1n);
    const { eta } = await foundation.governance.queue(proposal.proposalId);
    await networkHelpers.time.increaseTo(eta);
    await foundation.governance.execute(proposal.proposalId);

    const notCreator = await refusal(
      bob.models.registerArtifact(proposed.modelId, hashOf("w"), "u"),
      "NotModelCreator",
      { creator: f.carol.address },
    );
    expect(notCreator.message).to.match(/Only the creator of model 1/);
    await refusal(
      carol.models.registerArtifact(proposed.modelId, hashOf("w"), "u", proposed.modelId),
      "BaseIsTheModel",
      { baseModelId: proposed.modelId },
    );
    await refusal(carol.models.registerArtifact(proposed.modelId, hashOf("w"), "u", 9n), "UnknownBaseModel");
    await refusal(carol.models.registerArtifact(proposed.modelId, "0x" + "00".repeat(32), "u"), "InvalidArtifactHash");
    const untrained = await refusal(carol.models.activate(proposed.modelId), "WrongModelState", {
      state: "Approved",
      required: "Trained",
    });
    expect(untrained.message).to.equal(`Model ${proposed.modelId} is Approved; it must be Trained to activate it.`);
    const { artifactHash } = await carol.models.registerArtifact(
      proposed.modelId,
      new TextEncoder().encode("weights"),
      "ipfs://weights",
    );
    expect(artifactHash).to.equal(hashOf("weights"));
    await carol.models.activate(proposed.modelId);
    const m = await carol.models.model(proposed.modelId);
    expect(m).to.include({
      state: "Active",
      artifactHash: hashOf("weights"),
      creator: f.carol.address,
      baseModelId: 0n,
    });
    expect(m.datanetIds).to.deep.equal([f.datanetId]);
    const unknown = await refusal(carol.models.model(7n), "UnknownModel", { modelId: 7n });
    expect(unknown.message).to.equal("There is no model 7.");
    const { count, byState } = await bob.models.countByState();
    expect([count, byState.get("Active"), byState.get("Proposed")]).to.deep.equal([1n, 1n, 0n]);
  });
});
