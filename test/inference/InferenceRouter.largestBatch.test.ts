/**
 * Item 7 of the v2 issue: every batch the router accepts can execute. The largest batch settleBatch accepts
 * (MAX_BATCH_REPORTS reports naming MAX_BATCH_CONTRIBUTIONS contributions in all) is settled in its worst case and
 * must stay under the 16,777,216-gas per-transaction cap (EIP-7825, enforced by Hardhat 3):
 *
 * - every contribution read once, cold, and every contributor credited for the first time (a new credit slot);
 * - every model trained on ModelRegistry.MAX_DATANETS datanets, the contributions in the last one (the registry's
 *   membership loop runs in full);
 * - the oracle at MAX_SIGNERS signers with a threshold of MAX_SIGNERS: every signature is checked;
 * - once with every report on one model, once with every report on a different model (each model's datanets read
 *   cold, and a model change between reports).
 *
 * The setup acts as 501 contributors and creates 100 models: it sends its transactions unsigned from impersonated
 * accounts with a gas limit (no signature, no estimate), so it takes seconds. (With automine off the node
 * re-executes its whole pending pool on every send: far slower.)
 */
import { expect } from "chai";
import { ZeroAddress, getAddress, toBeHex } from "ethers";
import { network } from "hardhat";

import { batchDigest, type AttributionReport } from "../../sdk/core/eip712.js";
import { AttributionOracle__factory } from "../../types/ethers-contracts/index.js";
import type { Connection } from "../fixtures/protocol.js";
import { deterministicWallets, sendAs } from "../helpers/accounts.js";
import { TX_GAS_CAP, WAD, defined } from "../helpers/constants.js";
import { skipUnderCoverage } from "../helpers/coverage.js";
import { InferenceStatus, RATES, inferenceFixture, inferenceIdOf, report, requestId } from "../helpers/inference.js";
import { contentHash } from "../helpers/registries.js";
import { signDigest } from "../helpers/signatures.js";

const connection = await network.create();
const { networkHelpers } = connection;

/** Checks that every setup transaction of `hashes` (mined at once: automine) succeeded. */
async function expectSucceeded(conn: Connection, hashes: string[]): Promise<void> {
  for (const hash of hashes) {
    const receipt = defined(
      (await conn.ethers.provider.getTransactionReceipt(hash)) ?? undefined,
      `receipt of ${hash}`,
    );
    expect(receipt.status, `setup transaction ${hash}`).to.equal(1);
  }
  hashes.length = 0;
}

/**
 * inferenceFixture, then: 16 bond-free datanets of bob; 500 contributions in the last one, each by a new account,
 * accepted; 100 Active models on all 16 datanets; an oracle of MAX_SIGNERS keys, all of which must sign; and 200
 * inferences paid: 100 of the first of those models (`oneModel`) and one of each model (`manyModels`).
 */
async function largestBatchFixture(conn: Connection) {
  const f = await inferenceFixture(conn);
  const { datanetRegistry, modelRegistry, inferenceRouter } = f;
  const [routerAddress, datanetsAddress, modelsAddress] = await Promise.all([
    inferenceRouter.getAddress(),
    datanetRegistry.getAddress(),
    modelRegistry.getAddress(),
  ]);
  const maxReports = await inferenceRouter.MAX_BATCH_REPORTS();
  const maxContributions = await inferenceRouter.MAX_BATCH_CONTRIBUTIONS();
  const perReport = maxContributions / maxReports;
  const maxDatanets = await modelRegistry.MAX_DATANETS();
  const reviewChunk = Number(await datanetRegistry.MAX_REVIEW_BATCH()) < 100 ? 50 : 100;

  // Free bonds, so that contributors and the creator need no OPEN (settlement does not depend on bonds).
  const [, maxBond] = await datanetRegistry.bondBounds();
  await datanetRegistry.connect(f.governance).setBondBounds(0n, maxBond);
  await modelRegistry.connect(f.governance).setProposalBond(0n);

  const datanets = datanetRegistry.interface;
  const firstDatanet = (await datanetRegistry.datanetCount()) + 1n;
  const datanetIds = Array.from({ length: Number(maxDatanets) }, (_, i) => firstDatanet + BigInt(i));
  const hashes: string[] = [];
  for (const datanetId of datanetIds) {
    hashes.push(
      await sendAs(
        conn,
        f.bob.address,
        datanetsAddress,
        datanets.encodeFunctionData("createDatanet", [`ipfs://wide/${datanetId}`, 0n]),
      ),
    );
  }
  await expectSucceeded(conn, hashes);

  // One contribution by each of 501 new accounts, in the last datanet: 500 for the batch, one spare.
  const lastDatanet = defined(datanetIds.at(-1), "last datanet");
  const firstContribution = (await datanetRegistry.contributionCount()) + 1n;
  const contributors = Array.from({ length: Number(maxContributions) + 1 }, (_, i) =>
    getAddress(toBeHex(0xc0_0000_0000n + BigInt(i), 20)),
  );
  for (const [i, contributor] of contributors.entries()) {
    await networkHelpers.impersonateAccount(contributor);
    await networkHelpers.setBalance(contributor, 10n ** 18n);
    const data = datanets.encodeFunctionData("contribute", [lastDatanet, contentHash(`wide ${i}`), "ipfs://w", 1n, 0n]);
    hashes.push(await sendAs(conn, contributor, datanetsAddress, data, 300_000n));
  }
  await expectSucceeded(conn, hashes);
  const contributionIds = contributors.map((_, i) => firstContribution + BigInt(i));
  for (let i = 0; i < contributionIds.length; i += reviewChunk) {
    const chunk = contributionIds.slice(i, i + reviewChunk);
    const data = datanets.encodeFunctionData("reviewBatch", [chunk, chunk.map(() => true)]);
    hashes.push(await sendAs(conn, f.bob.address, datanetsAddress, data, 10_000_000n));
  }
  await expectSucceeded(conn, hashes);

  // 100 models on every datanet, Active.
  const models = modelRegistry.interface;
  const firstModel = (await modelRegistry.modelCount()) + 1n;
  const modelIds = Array.from({ length: Number(maxReports) }, (_, i) => firstModel + BigInt(i));
  const steps: [string, (modelId: bigint) => string][] = [
    [f.carol.address, () => models.encodeFunctionData("proposeModel", ["ipfs://wide-model", datanetIds, RATES, 0n])],
    [f.treasury, (modelId) => models.encodeFunctionData("approveModel", [modelId])],
    [
      f.carol.address,
      (modelId) =>
        models.encodeFunctionData("registerArtifact", [modelId, contentHash(`wide ${modelId}`), "ipfs://ww", 0n]),
    ],
    [f.carol.address, (modelId) => models.encodeFunctionData("activateModel", [modelId])],
  ];
  for (const [from, call] of steps) {
    for (const modelId of modelIds) hashes.push(await sendAs(conn, from, modelsAddress, call(modelId)));
    await expectSucceeded(conn, hashes);
  }

  // 100 inferences of the first model, and one of each model.
  const payer = f.payer.address;
  const router = inferenceRouter.interface;
  const oneModel: bigint[] = [];
  const manyModels: bigint[] = [];
  for (const [i, modelId] of modelIds.entries()) {
    for (const [label, target, model] of [
      [`one ${i}`, oneModel, defined(modelIds[0], "first model")],
      [`many ${i}`, manyModels, modelId],
    ] as const) {
      const data = router.encodeFunctionData("payInference", [model, 2_000n, 1_000n, requestId(label), WAD]);
      hashes.push(await sendAs(conn, payer, routerAddress, data, 300_000n));
      target.push(inferenceIdOf(payer, requestId(label)));
    }
  }
  await expectSucceeded(conn, hashes);

  // The oracle at its largest: MAX_SIGNERS keys, every one of them needed.
  const maxSigners = Number(await f.attributionOracle.MAX_SIGNERS());
  const keys = deterministicWallets("largest batch oracle signer", maxSigners);
  const oracle = await new AttributionOracle__factory(f.deployer).deploy(
    f.treasury,
    keys.map((k) => k.address),
    maxSigners,
  );
  await (await oracle.bindRouter(routerAddress)).wait();
  hashes.push(
    await sendAs(conn, f.treasury, routerAddress, router.encodeFunctionData("setOracle", [await oracle.getAddress()])),
  );
  await expectSucceeded(conn, hashes);

  /**
   * The reports of `inferenceIds`, naming the batch's contributions in order: `sizes[r]` of them for report r (5 by
   * default), sharing 100% equally.
   */
  const reportsFor = (inferenceIds: bigint[], sizes: number[] = inferenceIds.map(() => Number(perReport))) => {
    let next = 0;
    return inferenceIds.map((inferenceId, r): AttributionReport => {
      const ids = contributionIds.slice(next, (next += defined(sizes[r], "size")));
      return report(
        inferenceId,
        ids,
        ids.map(() => WAD / BigInt(ids.length)),
      );
    });
  };
  return {
    ...f,
    contributors: contributors.slice(0, -1),
    spareContribution: defined(contributionIds.at(-1), "spare contribution"),
    keys,
    oneModel,
    manyModels,
    reportsFor,
    maxContributions,
    maxReports,
    maxDatanets,
  };
}

type F = Awaited<ReturnType<typeof largestBatchFixture>>;

/** Settles `reports` signed by every oracle key, prints and checks the gas, and checks every inference settled. */
async function settleLargest(f: F, reports: AttributionReport[], label: string): Promise<bigint> {
  const signatures = signDigest(batchDigest(f.domain, reports), f.keys);
  const tx = await f.inferenceRouter.settleBatch(reports, signatures, { gasLimit: TX_GAS_CAP });
  const receipt = defined((await tx.wait()) ?? undefined, "receipt");
  console.log(
    `      settleBatch ${label}: ${receipt.gasUsed.toLocaleString("en-US")} gas ` +
      `(${((Number(receipt.gasUsed) / Number(TX_GAS_CAP)) * 100).toFixed(1)}% of the ${TX_GAS_CAP.toLocaleString("en-US")} cap)`,
  );
  expect(receipt.gasUsed).to.be.lessThan(TX_GAS_CAP);
  for (const { inferenceId } of reports) {
    expect((await f.inferenceRouter.getInference(inferenceId)).status).to.equal(InferenceStatus.Settled);
  }
  return receipt.gasUsed;
}

/** The work a change of model to a model of `datanets` datanets counts (InferenceRouter's private constants). */
const modelChangeWork = (datanets: bigint) => 1n + datanets / 8n;

/**
 * Report sizes for one report per model that fill the work bound exactly: every report names at least one
 * contribution, the first ones one more, so contributions + changes of model == MAX_BATCH_CONTRIBUTIONS.
 */
function sizesFillingTheBound(f: F): number[] {
  const reports = Number(f.maxReports);
  const changes = BigInt(reports - 1) * modelChangeWork(f.maxDatanets);
  const contributions = Number(f.maxContributions - changes);
  return Array.from(
    { length: reports },
    (_, r) => Math.floor(contributions / reports) + (r < contributions % reports ? 1 : 0),
  );
}

describe("InferenceRouter: the largest accepted batch", function () {
  // The setup sends about a thousand transactions; how long that takes depends on the machine, not on the code.
  this.timeout(0);
  before(function () {
    skipUnderCoverage(this);
  });

  it("settles 100 reports × 5 contributions of one model, all cold and new, k = MAX_SIGNERS, under the gas cap", async () => {
    const f = await networkHelpers.loadFixture(largestBatchFixture);
    expect(BigInt(f.oneModel.length)).to.equal(f.maxReports);
    await settleLargest(f, f.reportsFor(f.oneModel), "100 × 5, one model of 16 datanets, k = 32");
    // Every contributor was credited, each for the first time.
    for (const contributor of f.contributors) expect(await f.inferenceRouter.creditOf(contributor)).to.not.equal(0n);
  });

  it("refuses the same batch with one more contribution (501)", async () => {
    const f = await networkHelpers.loadFixture(largestBatchFixture);
    const reports = f.reportsFor(f.oneModel);
    const last = defined(reports.at(-1), "last report");
    // The spare contribution's id is above every other: the last report's ids stay increasing.
    reports[reports.length - 1] = report(
      last.inferenceId,
      [...last.contributionIds, f.spareContribution],
      [...last.weights.map(() => WAD / 6n), WAD / 6n],
    );
    await expect(f.inferenceRouter.settleBatch(reports, [{ signer: ZeroAddress, signature: "0x" }]))
      .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterBatchTooLarge")
      .withArgs(f.maxContributions + 1n, f.maxContributions);
  });

  it("settles the largest accepted batch over 100 models of 16 datanets, k = MAX_SIGNERS, under the gas cap", async () => {
    const f = await networkHelpers.loadFixture(largestBatchFixture);
    await settleLargest(
      f,
      f.reportsFor(f.manyModels, sizesFillingTheBound(f)),
      "100 reports of 100 models × 16 datanets, k = 32",
    );
  });

  it("counts each change of model as work: that batch with one more contribution is refused", async () => {
    const f = await networkHelpers.loadFixture(largestBatchFixture);
    // 204 contributions and 99 changes of model to 16 datanets (3 each). Counted by contributions alone, as before
    // the fix, a batch of 100 reports of as many models could name 500 contributions: it ran out of gas at the cap.
    const sizes = sizesFillingTheBound(f);
    sizes[sizes.length - 1] = defined(sizes.at(-1), "size") + 1;
    await expect(
      f.inferenceRouter.settleBatch(f.reportsFor(f.manyModels, sizes), [{ signer: ZeroAddress, signature: "0x" }]),
    )
      .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterBatchTooLarge")
      .withArgs(f.maxContributions + 1n, f.maxContributions);
  });
});
