import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { network } from "hardhat";

import { CONTRIBUTION, inferenceFixture } from "../helpers/inference.js";
import { ContributionStatus } from "../helpers/registries.js";

const connection = await network.create();
const { networkHelpers } = connection;

/** DatanetRegistry's view of who may earn attribution, as the InferenceRouter asks it (one call per report). */
describe("DatanetRegistry.attributionContributors", () => {
  it("the fixture's contributions are in the states their names say", async () => {
    const { datanetRegistry } = await networkHelpers.loadFixture(inferenceFixture);
    const status = async (contributionId: bigint) => (await datanetRegistry.getContribution(contributionId)).status;
    for (const contributionId of [CONTRIBUTION.dave, CONTRIBUTION.erin, CONTRIBUTION.frank, CONTRIBUTION.grace]) {
      expect(await status(contributionId)).to.equal(ContributionStatus.Accepted);
    }
    expect(await status(CONTRIBUTION.penalized)).to.equal(ContributionStatus.Penalized);
    expect(await status(CONTRIBUTION.rejected)).to.equal(ContributionStatus.Rejected);
    expect(await status(CONTRIBUTION.pending)).to.equal(ContributionStatus.Pending);
    expect(await status(CONTRIBUTION.otherDatanet)).to.equal(ContributionStatus.Accepted);
    expect((await datanetRegistry.getContribution(CONTRIBUTION.otherDatanet)).datanetId).to.equal(2n);
  });

  it("returns the contributor of each accepted contribution of the model's datanets", async () => {
    const { datanetRegistry, dave, erin, frank, grace } = await networkHelpers.loadFixture(inferenceFixture);
    const ids = [CONTRIBUTION.dave, CONTRIBUTION.erin, CONTRIBUTION.frank, CONTRIBUTION.grace];
    expect(await datanetRegistry.attributionContributors(ids, [1n])).to.deep.equal([
      dave.address,
      erin.address,
      frank.address,
      grace.address,
    ]);
  });

  it("returns the zero address for pending, rejected, penalized, other-datanet and unknown ids, in place", async () => {
    const { datanetRegistry, dave, grace } = await networkHelpers.loadFixture(inferenceFixture);
    const ids = [
      CONTRIBUTION.dave,
      CONTRIBUTION.pending,
      CONTRIBUTION.rejected,
      CONTRIBUTION.penalized,
      CONTRIBUTION.otherDatanet,
      999n,
      0n,
      CONTRIBUTION.grace,
    ];
    expect(await datanetRegistry.attributionContributors(ids, [1n])).to.deep.equal([
      dave.address,
      ZeroAddress,
      ZeroAddress,
      ZeroAddress,
      ZeroAddress,
      ZeroAddress,
      ZeroAddress,
      grace.address,
    ]);
  });

  it("answers for the datanets given: a contribution is eligible for any model trained on its datanet", async () => {
    const { datanetRegistry, dave, erin } = await networkHelpers.loadFixture(inferenceFixture);
    const ids = [CONTRIBUTION.dave, CONTRIBUTION.otherDatanet];
    expect(await datanetRegistry.attributionContributors(ids, [2n])).to.deep.equal([ZeroAddress, erin.address]);
    expect(await datanetRegistry.attributionContributors(ids, [1n, 2n])).to.deep.equal([dave.address, erin.address]);
    expect(await datanetRegistry.attributionContributors(ids, [])).to.deep.equal([ZeroAddress, ZeroAddress]);
    expect(await datanetRegistry.attributionContributors(ids, [3n])).to.deep.equal([ZeroAddress, ZeroAddress]);
  });

  it("returns an empty list for no ids, and leaves duplicates to the caller", async () => {
    const { datanetRegistry, dave } = await networkHelpers.loadFixture(inferenceFixture);
    expect(await datanetRegistry.attributionContributors([], [1n])).to.deep.equal([]);
    expect(await datanetRegistry.attributionContributors([CONTRIBUTION.dave, CONTRIBUTION.dave], [1n])).to.deep.equal([
      dave.address,
      dave.address,
    ]);
  });

  it("stops returning a contribution once it is penalized", async () => {
    const { datanetRegistry, bob, grace } = await networkHelpers.loadFixture(inferenceFixture);
    expect(await datanetRegistry.attributionContributors([CONTRIBUTION.grace], [1n])).to.deep.equal([grace.address]);
    await datanetRegistry.connect(bob).penalize(CONTRIBUTION.grace, "found adversarial");
    expect(await datanetRegistry.attributionContributors([CONTRIBUTION.grace], [1n])).to.deep.equal([ZeroAddress]);
  });

  it("agrees with isEligible for every contribution", async () => {
    const { datanetRegistry } = await networkHelpers.loadFixture(inferenceFixture);
    const ids = [...Object.values(CONTRIBUTION), 0n, 999n];
    for (const datanetIds of [[1n], [2n], [1n, 2n], []]) {
      const contributors = await datanetRegistry.attributionContributors(ids, datanetIds);
      for (const [i, contributionId] of ids.entries()) {
        expect(
          await datanetRegistry.isEligible(contributionId, datanetIds),
          `${contributionId} in [${datanetIds}]`,
        ).to.equal(contributors[i] !== ZeroAddress);
      }
    }
  });
});
