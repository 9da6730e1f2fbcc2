/**
 * The datanet and model operations of the task layer (tasks/lib/datanets.ts, models.ts) on the
 * in-process network: each refuses a wrong id, state, amount or role with a UserError naming it,
 * before any transaction is sent, and the happy paths produce what the contracts record.
 */
import { expect } from "chai";
import hre, { network } from "hardhat";
import { keccak256, toUtf8Bytes } from "ethers";

import {
  contributionIds,
  contributionProof,
  loadContributionTree,
  dumpContributionTree,
} from "../../sdk/core/merkle.js";
import { UserError, describeError } from "../../tasks/lib/cli.js";
import { bindContracts } from "../../tasks/lib/context.js";
import {
  contribute,
  contributionsByStatus,
  createDatanet,
  penalize,
  publishVersion,
  review,
  setCurator,
} from "../../tasks/lib/datanets.js";
import { deploySuite } from "../../tasks/lib/deploy.js";
import { castVote, execute, queue } from "../../tasks/lib/governance.js";
import {
  activateModel,
  approvalProposalId,
  proposeModel,
  readModel,
  registerArtifact,
} from "../../tasks/lib/models.js";
import { delegate, stake } from "../../tasks/lib/staking.js";
import { suiteParameters } from "../fixtures/protocol.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const OPEN = 10n ** 18n;
const hashOf = (text: string) => keccak256(toUtf8Bytes(text));

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(UserError);
    return (error as UserError).message;
  }
  throw new Error("expected a UserError");
}

async function suiteWithDatanet() {
  const record = await deploySuite(
    connection,
    suiteParameters((await ethers.getSigners()).slice(5, 8).map((s) => s.address)),
    { root: hre.config.paths.root },
  );
  const [deployer, alice, bob, carol] = await ethers.getSigners();
  if (!deployer || !alice || !bob || !carol) throw new Error("accounts");
  const ctx = (s: typeof deployer) => bindContracts(connection, record, s);
  for (const s of [alice, bob, carol]) await (await ctx(deployer).openToken.transfer(s.address, 50_000n * OPEN)).wait();
  const { datanetId } = await createDatanet(ctx(alice), "ipfs://legal.json", 10n * OPEN);
  return { record, foundation: ctx(deployer), alice: ctx(alice), bob: ctx(bob), carol: ctx(carol), datanetId };
}

async function withContributions() {
  const suite = await suiteWithDatanet();
  const ids: bigint[] = [];
  for (const text of ["a", "b", "c", "d"]) {
    ids.push((await contribute(suite.bob, suite.datanetId, hashOf(text), `ipfs://${text}`, 1n)).contributionId);
  }
  return { ...suite, ids };
}

describe("datanet operations", () => {
  it("refuses a bond outside the governance bounds", async () => {
    const { alice } = await networkHelpers.loadFixture(suiteWithDatanet);
    expect(await rejection(createDatanet(alice, "x", 20_000n * OPEN))).to.equal(
      "--bond 20,000 OPEN is outside the allowed range 1 OPEN to 10,000 OPEN.",
    );
  });

  it("lets only the owner change curators, and never removes the owner", async () => {
    const { alice, bob, datanetId } = await networkHelpers.loadFixture(suiteWithDatanet);
    expect(await rejection(setCurator(bob, datanetId, bob.signer.address, true))).to.match(
      /Only the owner of datanet 1/,
    );
    expect(await rejection(setCurator(alice, datanetId, alice.signer.address, false))).to.equal(
      "The owner of datanet 1 is always a curator.",
    );
    await setCurator(alice, datanetId, bob.signer.address, true);
    expect(await alice.datanetRegistry.isCurator(datanetId, bob.signer.address)).to.equal(true);
  });

  it("contributes with a permit when the allowance is short, then refuses the same content as redundant", async () => {
    const { bob, datanetId } = await networkHelpers.loadFixture(suiteWithDatanet);
    const first = await contribute(bob, datanetId, hashOf("case 1"), "ipfs://1", 6n);
    expect(first.usedPermit).to.equal(true);
    expect(first.bond).to.equal(10n * OPEN);
    expect(await rejection(contribute(bob, datanetId, hashOf("case 1"), "ipfs://again", 6n))).to.equal(
      `This content is already contribution ${first.contributionId} of datanet 1: it would be redundant.`,
    );
  });

  it("caps the bond at --max-bond (default: the bond now), before sending and in the contract", async () => {
    const { alice, bob, datanetId } = await networkHelpers.loadFixture(suiteWithDatanet);
    const first = await contribute(bob, datanetId, hashOf("capped"), "ipfs://1", 6n);
    expect(first.maxBond).to.equal(10n * OPEN);
    await (await alice.datanetRegistry.setContributionBond(datanetId, 20n * OPEN)).wait();
    expect(
      await rejection(contribute(bob, datanetId, hashOf("raised"), "ipfs://2", 6n, { maxBond: 10n * OPEN })),
    ).to.equal("The bond of datanet 1 is 20 OPEN, above --max-bond 10 OPEN.");
    // A raise that lands between the check and the transaction: the registry refuses it and pulls nothing.
    const raced = await bob.datanetRegistry.contribute(datanetId, hashOf("raced"), "ipfs://3", 6n, 10n * OPEN).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(describeError(raced)).to.equal(
      "The datanet's bond is now 20 OPEN, above your --max-bond of 10 OPEN: nothing was pulled; raise --max-bond to accept it.",
    );
    const accepted = await contribute(bob, datanetId, hashOf("accepted"), "ipfs://4", 6n, { maxBond: 25n * OPEN });
    expect([accepted.bond, accepted.maxBond]).to.deep.equal([20n * OPEN, 25n * OPEN]);
  });

  it("refuses a review larger than the registry's batch limit", async () => {
    const { alice } = await networkHelpers.loadFixture(suiteWithDatanet);
    const max = await alice.datanetRegistry.MAX_REVIEW_BATCH();
    const ids = Array.from({ length: Number(max) + 1 }, (_, i) => BigInt(i + 1));
    expect(await rejection(review(alice, ids, []))).to.equal(
      `A review holds at most ${max} contributions, not ${ids.length}; review them in parts.`,
    );
  });

  it("refuses an unknown or closed datanet, a zero hash and a bond the contributor cannot pay", async () => {
    const { alice, bob, datanetId } = await networkHelpers.loadFixture(suiteWithDatanet);
    const [, , , , poor] = await ethers.getSigners();
    expect(await rejection(contribute(bob, 9n, hashOf("x"), "u", 1n))).to.equal("There is no datanet 9.");
    expect(await rejection(contribute(bob, datanetId, "0x" + "00".repeat(32), "u", 1n))).to.equal(
      "The content hash must not be zero.",
    );
    expect(
      await rejection(contribute(bindContracts(connection, bob.deployment, poor!), datanetId, hashOf("y"), "u", 1n)),
    ).to.match(/holds 0 OPEN, less than the 10 OPEN bond of datanet 1/);
    await (await alice.datanetRegistry.setDatanetOpen(datanetId, false)).wait();
    expect(await rejection(contribute(bob, datanetId, hashOf("z"), "u", 1n))).to.equal(
      "Datanet 1 is closed to contributions.",
    );
  });

  it("reviews a batch, refusing non-curators, non-pending items, duplicates and mixed datanets", async () => {
    const { alice, bob, datanetId, ids } = await networkHelpers.loadFixture(withContributions);
    const [a, b, c, d] = ids as [bigint, bigint, bigint, bigint];
    expect(await rejection(review(bob, [a], []))).to.equal(`${bob.signer.address} is not a curator of datanet 1.`);
    expect(await rejection(review(alice, [], []))).to.match(/--accept and\/or --reject/);
    expect(await rejection(review(alice, [a], [a]))).to.equal(`Contribution ${a} is listed twice.`);
    expect(await rejection(review(alice, [99n], []))).to.equal("There is no contribution 99.");
    const { datanetId: other } = await createDatanet(bob, "other", OPEN);
    const elsewhere = (await contribute(bob, other, hashOf("elsewhere"), "u", 1n)).contributionId;
    expect(await rejection(review(alice, [a, elsewhere], []))).to.match(/is in datanet 2, not 1/);

    const result = await review(alice, [a, b, d], [c]);
    expect(result).to.include({ datanetId, accepted: 3, rejected: 1, slashed: 10n * OPEN });
    expect(await alice.datanetRegistry.refundOf(bob.signer.address)).to.equal(30n * OPEN);
    expect(await rejection(review(alice, [a], []))).to.equal(
      `Contribution ${a} is Accepted; only Pending contributions can be reviewed.`,
    );
  });

  it("penalizes only accepted contributions, as a curator", async () => {
    const { alice, bob, ids } = await networkHelpers.loadFixture(withContributions);
    const [a, b] = ids as [bigint, bigint];
    expect(await rejection(penalize(alice, a, "x"))).to.match(
      /is Pending; only Accepted contributions can be penalized/,
    );
    await review(alice, [a, b], []);
    expect(await rejection(penalize(bob, a, "x"))).to.match(/is not a curator of datanet 1; governance can penalize/);
    await penalize(alice, a, "poisoned labels");
    expect((await contributionsByStatus(alice, 1n)).get("Penalized")?.map((c) => c.id)).to.deep.equal([a]);
  });

  it("publishes a version over the accepted (not penalized) contributions whose proofs verify on-chain", async () => {
    const { alice, ids, datanetId } = await networkHelpers.loadFixture(withContributions);
    expect(await rejection(publishVersion(alice, datanetId, () => "u"))).to.equal(
      "Datanet 1 has no accepted contributions to publish.",
    );
    const [a, b, c, d] = ids as [bigint, bigint, bigint, bigint];
    await review(alice, [a, b, d], [c]);
    await penalize(alice, b, "adversarial");
    const published = await publishVersion(alice, datanetId, (v) => `ipfs://tree-v${v}`);
    expect(published.version).to.equal(1n);
    expect(contributionIds(published.tree)).to.deep.equal([a, d]);
    const onChain = await alice.datanetRegistry.getVersion(datanetId, 1n);
    expect(onChain.merkleRoot).to.equal(published.root);
    expect(onChain.uri).to.equal("ipfs://tree-v1");

    const reloaded = loadContributionTree(JSON.parse(JSON.stringify(dumpContributionTree(published.tree))));
    for (const id of [a, d]) {
      const proof = contributionProof(reloaded, id);
      expect(await alice.datanetRegistry.verifyInclusion(datanetId, 1n, id, proof ?? [])).to.equal(true);
    }
    expect(contributionProof(reloaded, b)).to.equal(undefined);
  });
});

describe("model operations", () => {
  async function withVoter() {
    const suite = await suiteWithDatanet();
    await stake(suite.carol, 20_000n * OPEN);
    await delegate(suite.carol, suite.carol.signer.address);
    await networkHelpers.mine();
    return suite;
  }

  const rates = { inputRate: 6n * 10n ** 16n, outputRate: 2n * 10n ** 17n };

  it("refuses empty, duplicate or unknown datanets and out-of-bounds rates", async () => {
    const { bob, datanetId } = await networkHelpers.loadFixture(withVoter);
    const skip = { skipProposal: true };
    expect(await rejection(proposeModel(bob, "m", [], rates, skip))).to.match(/must name at least one datanet/);
    expect(await rejection(proposeModel(bob, "m", [datanetId, datanetId], rates, skip))).to.equal(
      "--datanets lists datanet 1 twice.",
    );
    expect(await rejection(proposeModel(bob, "m", [5n], rates, skip))).to.equal("There is no datanet 5.");
    expect(await rejection(proposeModel(bob, "m", [datanetId], { ...rates, outputRate: 101n * OPEN }, skip))).to.equal(
      "--output-rate 101 OPEN is outside the allowed range 0 OPEN to 100 OPEN per 1,000 tokens.",
    );
  });

  it("caps the proposal bond at --max-bond", async () => {
    const { bob, datanetId } = await networkHelpers.loadFixture(withVoter);
    expect(
      await rejection(proposeModel(bob, "m", [datanetId], rates, { skipProposal: true, maxBond: 999n * OPEN })),
    ).to.equal("The proposal bond is 1,000 OPEN, above --max-bond 999 OPEN.");
    const proposed = await proposeModel(bob, "m", [datanetId], rates, { skipProposal: true });
    expect([proposed.bond, proposed.maxBond]).to.deep.equal([1_000n * OPEN, 1_000n * OPEN]);
  });

  it("refuses to file the approval proposal for a proposer below the threshold, before registering anything", async () => {
    const { bob, datanetId } = await networkHelpers.loadFixture(withVoter);
    expect(await rejection(proposeModel(bob, "m", [datanetId], rates, { skipProposal: false }))).to.match(
      /below the 10,000 votes needed to file the approval proposal; .*--skip-proposal/,
    );
    expect(await bob.modelRegistry.modelCount()).to.equal(0n);
  });

  it("registers a model with its approval proposal and carries it to Active", async () => {
    const { carol, bob, foundation, datanetId } = await networkHelpers.loadFixture(withVoter);
    const proposed = await proposeModel(carol, "ipfs://model.json", [datanetId], rates, { skipProposal: false });
    const proposal = proposed.proposal!;
    expect(proposal.proposalId).to.equal(await approvalProposalId(carol, proposed.modelId));

    expect(await rejection(registerArtifact(carol, proposed.modelId, hashOf("w"), "u", 0n))).to.equal(
      `Model ${proposed.modelId} is Proposed; it must be Approved to register its artifact.`,
    );
    await networkHelpers.time.increaseTo(proposal.voteStart + 1n);
    await castVote(carol, proposal.proposalId, "for");
    await networkHelpers.time.increaseTo(proposal.voteEnd + 1n);
    const { eta } = await queue(foundation, proposal.proposalId);
    await networkHelpers.time.increaseTo(eta);
    await execute(foundation, proposal.proposalId);

    expect(await rejection(registerArtifact(bob, proposed.modelId, hashOf("w"), "u", 0n))).to.match(
      /Only the creator of model 1/,
    );
    expect(await rejection(registerArtifact(carol, proposed.modelId, hashOf("w"), "u", proposed.modelId))).to.match(
      /--base 1 is the model itself/,
    );
    expect(await rejection(activateModel(carol, proposed.modelId))).to.equal(
      `Model ${proposed.modelId} is Approved; it must be Trained to activate it.`,
    );
    await registerArtifact(carol, proposed.modelId, hashOf("weights"), "ipfs://weights", 0n);
    await activateModel(carol, proposed.modelId);
    const m = await readModel(carol, proposed.modelId);
    expect(m.state).to.equal(5n);
    expect(m.artifactHash).to.equal(hashOf("weights"));
    expect(await rejection(readModel(carol, 7n))).to.equal("There is no model 7.");
  });
});
