/**
 * The SDK as a dapp meets it: everything is imported from the package's entries ("openledger-protocol" and
 * "openledger-protocol/attribution", resolved through package.json `exports` to the built dist/), then used against
 * the in-process network.
 * `npm test` builds dist/ first (the `pretest` script).
 */
import { expect } from "chai";
import fc from "fast-check";
import { MaxUint256 } from "ethers";
import { network } from "hardhat";
import { attribute, buildIndex, deserializeIndex, serializeIndex } from "openledger-protocol/attribution";
import {
  CONTRACT_NAMES,
  UnknownChainError,
  attributionDomain,
  buildContributionTree,
  connectProtocol,
  contributionProof,
  decodeCredits,
  deployedChainIds,
  getDeployment,
  inferenceIdOf,
  quoteFee,
  recoverBatchSigner,
  recoverReportSigner,
  registerDeployment,
  reportDigest,
  sharePool,
  signBatch,
  signReport,
  type AttributionReport,
  type DeploymentRecord,
} from "openledger-protocol";

import type { Connection } from "../fixtures/protocol.js";
import { defined } from "../helpers/constants.js";
import { CONTRIBUTION, MODEL, TEST_INDEX, clientSuite, requestId } from "./client/suite.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const OPEN = 10n ** 18n;

async function sdkFixture(conn: Connection) {
  return clientSuite(conn);
}

describe("SDK through the package entry (openledger-protocol)", () => {
  it("exports only its entry point: deep imports are refused", async () => {
    const deep = "openledger-protocol/dist/sdk/core/fees.js";
    let code: unknown;
    try {
      await import(deep);
    } catch (error) {
      code = (error as { code?: unknown }).code;
    }
    expect(code).to.equal("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });

  it("getDeployment answers for registered chains and names the chain it does not know", async () => {
    const f = await networkHelpers.loadFixture(sdkFixture);
    const chainId = Number((await ethers.provider.getNetwork()).chainId);
    expect(() => getDeployment(4_242_424)).to.throw(UnknownChainError, "chain id 4242424");
    expect(() =>
      registerDeployment({ ...f.deployment, addresses: { ...f.deployment.addresses, openToken: "0x12" } }),
    ).to.throw(Error, "`addresses.openToken` must be an address");

    registerDeployment(f.deployment);
    const record: DeploymentRecord = getDeployment(BigInt(chainId));
    expect(record.addresses).to.deep.equal(f.deployment.addresses);
    expect(deployedChainIds()).to.include(chainId);
    expect(Object.keys(record.addresses).sort()).to.deep.equal([...CONTRACT_NAMES].sort());
  });

  it("connectProtocol gives typed contracts that read and write", async () => {
    const f = await networkHelpers.loadFixture(sdkFixture);
    registerDeployment(f.deployment);
    const chainId = (await ethers.provider.getNetwork()).chainId;

    // The dapp's ten lines (README): connect, quote, pay, read the pool.
    const { inferenceRouter, openToken, modelRegistry } = connectProtocol(getDeployment(chainId), f.payer);
    const [fee] = await inferenceRouter.quote(MODEL.datanet1, 2_000n, 1_000n);
    const model = await modelRegistry.getModel(MODEL.datanet1);
    const split = await inferenceRouter.feeSplit();
    const expected = quoteFee(2_000n, 1_000n, model.rates, await inferenceRouter.platformFee(), split);
    expect(fee).to.equal(expected.fee);
    expect(await openToken.symbol()).to.equal("OPEN");

    const before = await openToken.balanceOf(f.payer);
    // The dapp knows the inference id before it pays: it is derived from the payer and the request id.
    const id = inferenceIdOf(f.payer.address, requestId("sdk"));
    await (await inferenceRouter.payInference(MODEL.datanet1, 2_000n, 1_000n, requestId("sdk"), fee)).wait();
    expect(before - (await openToken.balanceOf(f.payer))).to.equal(expected.fee);
    expect((await inferenceRouter.getInference(id)).pool).to.equal(expected.pool);
  });

  it("inferenceIdOf equals the router's for any payer and request id (property test)", async () => {
    const f = await networkHelpers.loadFixture(sdkFixture);
    const { inferenceRouter } = connectProtocol(f.deployment, f.payer);
    const address = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => ethers.getAddress(ethers.hexlify(b)));
    const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => ethers.hexlify(b));
    await fc.assert(
      fc.asyncProperty(address, bytes32, async (payer, request) => {
        expect(inferenceIdOf(payer, request)).to.equal(await inferenceRouter.inferenceIdOf(payer, request));
      }),
      { numRuns: 50 },
    );
  });

  it("signs reports and batches the router accepts, and recovers their signers", async () => {
    const f = await networkHelpers.loadFixture(sdkFixture);
    const { inferenceRouter } = connectProtocol(f.deployment, f.payer);
    const domain = attributionDomain((await ethers.provider.getNetwork()).chainId, await inferenceRouter.getAddress());
    const [a, b, c] = ["a", "b", "c"].map((label) => inferenceIdOf(f.payer.address, requestId(label))) as [
      bigint,
      bigint,
      bigint,
    ];
    for (const label of ["a", "b", "c"]) {
      await inferenceRouter.payInference(MODEL.datanet1, 2_000n, 1_000n, requestId(label), MaxUint256);
    }
    const oracle = f.oracleSigners.slice(0, 2);
    const report: AttributionReport = {
      inferenceId: a,
      outputHash: ethers.id("the model's answer"),
      indexCommitment: TEST_INDEX,
      contributionIds: [CONTRIBUTION.dave, CONTRIBUTION.erin],
      weights: [600_000_000_000_000_000n, 400_000_000_000_000_000n],
      deadline: 2n ** 40n,
    };
    expect(reportDigest(domain, report)).to.equal(await inferenceRouter.reportDigest(report));
    const signatures = await signReport(domain, report, oracle);
    expect(signatures.map((s) => recoverReportSigner(domain, report, s.signature))).to.deep.equal(
      signatures.map((s) => s.signer),
    );
    const receipt = await (await inferenceRouter.settle(report, signatures)).wait();
    // The settlement event packs each credit with its contribution id; decodeCredits unpacks them.
    const settled = receipt?.logs
      .map((log) => inferenceRouter.interface.parseLog(log))
      .find((log) => log?.name === "InferenceSettled");
    const credits = decodeCredits(defined(settled ?? undefined, "InferenceSettled").args.credits as bigint[]);
    const shares = sharePool(
      (await inferenceRouter.getInference(a)).pool,
      report.weights,
      await inferenceRouter.attributionThreshold(),
    );
    expect(credits).to.deep.equal(
      report.contributionIds.map((contributionId, i) => ({ contributionId, amount: shares.amounts[i] })),
    );

    const batch = [b, c].map((inferenceId) => ({ ...report, inferenceId }));
    const batchSignatures = await signBatch(domain, batch, oracle);
    expect(recoverBatchSigner(domain, batch, defined(batchSignatures[0], "signature").signature)).to.equal(
      defined(batchSignatures[0], "signature").signer,
    );
    await (await inferenceRouter.settleBatch(batch, batchSignatures)).wait();

    // Three pools shared 60/40, exactly as sharePool computes.
    const pool = (await inferenceRouter.getInference(a)).pool;
    const { amounts } = sharePool(pool, report.weights, await inferenceRouter.attributionThreshold());
    expect(await inferenceRouter.creditOf(f.dave)).to.equal(3n * defined(amounts[0], "dave"));
    expect(await inferenceRouter.creditOf(f.erin)).to.equal(3n * defined(amounts[1], "erin"));
  });

  it("sharePool with a forfeited contribution gives what the router credits and sends to the treasury", async () => {
    const f = await networkHelpers.loadFixture(sdkFixture);
    const { inferenceRouter } = connectProtocol(f.deployment, f.payer);
    const id = await f.pay("forfeit");
    const report: AttributionReport = {
      inferenceId: id,
      outputHash: ethers.id("an answer"),
      indexCommitment: TEST_INDEX,
      contributionIds: [CONTRIBUTION.dave, CONTRIBUTION.penalized],
      weights: [700_000_000_000_000_000n, 200_000_000_000_000_000n],
      deadline: 2n ** 40n,
    };
    const domain = attributionDomain((await ethers.provider.getNetwork()).chainId, await inferenceRouter.getAddress());
    const owedBefore = await inferenceRouter.treasuryOwed();
    await (await inferenceRouter.settle(report, await signReport(domain, report, f.oracleSigners.slice(0, 2)))).wait();
    const pool = (await inferenceRouter.getInference(id)).pool;
    const shared = sharePool(pool, report.weights, await inferenceRouter.attributionThreshold(), [false, true]);
    expect(await inferenceRouter.creditOf(f.dave)).to.equal(shared.amounts[0]);
    expect(await inferenceRouter.creditOf(f.heidi)).to.equal(0n);
    expect((await inferenceRouter.treasuryOwed()) - owedBefore).to.equal(shared.toTreasury);
    expect(shared.forfeited[1]).to.be.greaterThan(0n);
  });

  it("builds datanet trees whose proofs the registry verifies", async () => {
    const f = await networkHelpers.loadFixture(sdkFixture);
    const { datanetRegistry } = connectProtocol(f.deployment, f.bob);
    const accepted = [CONTRIBUTION.dave, CONTRIBUTION.erin, CONTRIBUTION.frank];
    const tree = buildContributionTree(accepted);
    await (await datanetRegistry.publishVersion(1n, tree.root, BigInt(accepted.length), "ipfs://v1")).wait();
    for (const id of accepted) {
      expect(await datanetRegistry.verifyInclusion(1n, 1n, id, defined(contributionProof(tree, id), "proof"))).to.equal(
        true,
      );
    }
    expect(contributionProof(tree, CONTRIBUTION.rejected)).to.equal(undefined);
  });

  it("carries the attribution engine: index, serialize, attribute", () => {
    const text = "Frustration discharges a contract when a supervening event makes performance radically different.";
    const index = deserializeIndex(serializeIndex(buildIndex([{ contributionId: 4n, datanetId: 1n, text }])));
    const attribution = attribute(index, `As the court said, ${text}`);
    expect(attribution.weights.map((w) => w.contributionId)).to.deep.equal([4n]);
    expect(attribution.attributed).to.be.greaterThan(5n * 10n ** 17n);
  });

  describe("quoteFee mirrors the contracts to the wei (property tests)", () => {
    const rate = fc.bigInt({ min: 0n, max: 100n * OPEN }); // the deployment's rate bounds
    const tokens = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    const platformFee = fc.bigInt({ min: 0n, max: 10n * OPEN }); // MAX_PLATFORM_FEE
    const split = fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 })).map(([a, b]) => {
      const creatorBps = BigInt(Math.min(a, b));
      const stakersBps = BigInt(Math.max(a, b)) - creatorBps;
      return { creatorBps, stakersBps, contributorsBps: 10_000n - creatorBps - stakersBps };
    });

    it("equals the router's quote for any token counts, rates and platform fee", async () => {
      const f = await networkHelpers.loadFixture(sdkFixture);
      const { inferenceRouter, modelRegistry } = connectProtocol(f.deployment, f.carol);
      const governed = inferenceRouter.connect(f.governance);
      await fc.assert(
        fc.asyncProperty(tokens, tokens, rate, rate, platformFee, async (input, output, inputRate, outputRate, fee) => {
          await modelRegistry.setRates(MODEL.datanet1, { inputRate, outputRate });
          await governed.setPlatformFee(fee);
          const [onChainFee, onChainModelFee] = await inferenceRouter.quote(MODEL.datanet1, input, output);
          const q = quoteFee(input, output, { inputRate, outputRate }, fee, await inferenceRouter.feeSplit());
          expect([q.fee, q.modelFee]).to.deep.equal([onChainFee, onChainModelFee]);
        }),
        { numRuns: 60 },
      );
    });

    it("splits a paid fee exactly as InferencePaid reports it, for any split", async () => {
      const f = await networkHelpers.loadFixture(sdkFixture);
      const { inferenceRouter, modelRegistry } = connectProtocol(f.deployment, f.carol);
      const small = fc.bigInt({ min: 0n, max: OPEN / 10n });
      let request = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.bigInt({ min: 0n, max: 10_000n }),
          fc.bigInt({ min: 0n, max: 10_000n }),
          small,
          small,
          split,
          async (input, output, inputRate, outputRate, s) => {
            await modelRegistry.setRates(MODEL.datanet1, { inputRate, outputRate });
            await inferenceRouter.connect(f.governance).setFeeSplit(s);
            const q = quoteFee(input, output, { inputRate, outputRate }, await inferenceRouter.platformFee(), s);
            const tx = await inferenceRouter
              .connect(f.payer)
              .payInference(MODEL.datanet1, input, output, requestId(`split ${request++}`), q.fee);
            const receipt = await tx.wait();
            const paid = receipt?.logs
              .map((log) => inferenceRouter.interface.parseLog(log))
              .find((log) => log?.name === "InferencePaid");
            const a = defined(paid ?? undefined, "InferencePaid").args;
            expect([a.fee, a.creatorShare, a.stakersShare, a.pool, a.platformFee]).to.deep.equal([
              q.fee,
              q.creatorShare,
              q.stakersShare,
              q.pool,
              q.platformFee,
            ]);
            expect(q.creatorShare + q.stakersShare + q.pool).to.equal(q.modelFee);
          },
        ),
        { numRuns: 40 },
      );
    });
  });
});
