import { expect } from "chai";
import { network } from "hardhat";

import { CONTRIBUTION, inferenceFixture } from "../helpers/inference.js";
import { ContributionStatus } from "../helpers/registries.js";

const connection = await network.create();
const { networkHelpers } = connection;

/** AttributionRules.Eligibility. */
const Eligibility = { Invalid: 0n, Eligible: 1n, Forfeited: 2n } as const;

/** AttributionRules.record: the contributor in the low 160 bits, the eligibility above; Invalid is 0. */
function record(contributor: string, eligibility: bigint): bigint {
  return eligibility === Eligibility.Invalid ? 0n : (eligibility << 160n) | BigInt(contributor);
}

/**
 * DatanetRegistry's view of who may earn attribution, as the InferenceRouter asks it (one call per report, cached
 * per settlement call): an AttributionRecord per contribution. Eligible contributions earn, Forfeited ones
 * (penalized since they were accepted) give their share to the treasury, Invalid ones make the report revert.
 */
describe("DatanetRegistry.attributionRecords", () => {
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

  it("records each accepted contribution of the model's datanets as Eligible, with its contributor", async () => {
    const { datanetRegistry, dave, erin, frank, grace } = await networkHelpers.loadFixture(inferenceFixture);
    const ids = [CONTRIBUTION.dave, CONTRIBUTION.erin, CONTRIBUTION.frank, CONTRIBUTION.grace];
    expect(await datanetRegistry.attributionRecords(ids, [1n])).to.deep.equal(
      [dave, erin, frank, grace].map((c) => record(c.address, Eligibility.Eligible)),
    );
  });

  it("records a penalized contribution as Forfeited, and pending, rejected, foreign and unknown ones as Invalid", async () => {
    const { datanetRegistry, dave, grace, heidi } = await networkHelpers.loadFixture(inferenceFixture);
    const ids = [
      CONTRIBUTION.dave,
      CONTRIBUTION.pending,
      CONTRIBUTION.rejected,
      CONTRIBUTION.penalized,
      CONTRIBUTION.otherDatanet,
      999n,
      0n,
      2n ** 64n + CONTRIBUTION.dave,
      CONTRIBUTION.grace,
    ];
    expect(await datanetRegistry.attributionRecords(ids, [1n])).to.deep.equal([
      record(dave.address, Eligibility.Eligible),
      0n,
      0n,
      record(heidi.address, Eligibility.Forfeited),
      0n,
      0n,
      0n,
      0n,
      record(grace.address, Eligibility.Eligible),
    ]);
  });

  it("answers for the datanets given: a contribution may be named for any model trained on its datanet", async () => {
    const { datanetRegistry, dave, erin } = await networkHelpers.loadFixture(inferenceFixture);
    const ids = [CONTRIBUTION.dave, CONTRIBUTION.otherDatanet];
    const daves = record(dave.address, Eligibility.Eligible);
    const erins = record(erin.address, Eligibility.Eligible);
    expect(await datanetRegistry.attributionRecords(ids, [2n])).to.deep.equal([0n, erins]);
    expect(await datanetRegistry.attributionRecords(ids, [1n, 2n])).to.deep.equal([daves, erins]);
    expect(await datanetRegistry.attributionRecords(ids, [])).to.deep.equal([0n, 0n]);
    expect(await datanetRegistry.attributionRecords(ids, [3n])).to.deep.equal([0n, 0n]);
  });

  it("a penalized contribution of another datanet is Invalid, not Forfeited", async () => {
    const { datanetRegistry } = await networkHelpers.loadFixture(inferenceFixture);
    expect(await datanetRegistry.attributionRecords([CONTRIBUTION.penalized], [2n])).to.deep.equal([0n]);
  });

  it("returns an empty list for no ids, and leaves duplicates to the caller", async () => {
    const { datanetRegistry, dave } = await networkHelpers.loadFixture(inferenceFixture);
    expect(await datanetRegistry.attributionRecords([], [1n])).to.deep.equal([]);
    expect(await datanetRegistry.attributionRecords([CONTRIBUTION.dave, CONTRIBUTION.dave], [1n])).to.deep.equal([
      record(dave.address, Eligibility.Eligible),
      record(dave.address, Eligibility.Eligible),
    ]);
  });

  it("turns an Eligible record into Forfeited once the contribution is penalized", async () => {
    const { datanetRegistry, bob, grace } = await networkHelpers.loadFixture(inferenceFixture);
    expect(await datanetRegistry.attributionRecords([CONTRIBUTION.grace], [1n])).to.deep.equal([
      record(grace.address, Eligibility.Eligible),
    ]);
    await datanetRegistry.connect(bob).penalize(CONTRIBUTION.grace, "found adversarial");
    expect(await datanetRegistry.attributionRecords([CONTRIBUTION.grace], [1n])).to.deep.equal([
      record(grace.address, Eligibility.Forfeited),
    ]);
  });

  it("agrees with isEligible: a contribution is eligible exactly when its record is Eligible", async () => {
    const { datanetRegistry } = await networkHelpers.loadFixture(inferenceFixture);
    const ids = [...Object.values(CONTRIBUTION), 0n, 999n];
    for (const datanetIds of [[1n], [2n], [1n, 2n], []]) {
      const records = await datanetRegistry.attributionRecords(ids, datanetIds);
      for (const [i, contributionId] of ids.entries()) {
        const eligibility = (records[i] ?? 0n) >> 160n;
        expect(
          await datanetRegistry.isEligible(contributionId, datanetIds),
          `${contributionId} in [${datanetIds}]`,
        ).to.equal(eligibility === Eligibility.Eligible);
      }
    }
  });
});
