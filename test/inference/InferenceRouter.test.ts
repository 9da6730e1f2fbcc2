import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import {
  MaxUint256,
  Signature,
  ZeroAddress,
  ZeroHash,
  concat,
  toBeHex,
  type ContractTransactionResponse,
  type Signer,
} from "ethers";
import { network } from "hardhat";

import {
  ATTRIBUTION_BATCH_TYPEHASH,
  ATTRIBUTION_REPORT_TYPEHASH,
  attributionDomain,
  batchDigest,
  recoverReportSigner,
  reportDigest,
  signBatch,
  signReport,
  type AttributionReport,
  type SignerSignature,
} from "../../sdk/eip712.js";
import { TEST_INFERENCE_PARAMS, type Connection } from "../fixtures/protocol.js";
import {
  AttributionOracle__factory,
  InferenceRouter__factory,
  type InferenceRouter,
} from "../../types/ethers-contracts/index.js";
import { impersonate } from "../helpers/accounts.js";
import { DAY, HOUR, WAD, defined, open } from "../helpers/constants.js";
import {
  ALICE_STAKE,
  CONTRIBUTION,
  FAR_DEADLINE,
  InferenceStatus,
  MODEL,
  PERCENT,
  expectRouterConserved,
  inferenceFixture,
  report,
  requestId,
  type InferenceFixture,
} from "../helpers/inference.js";
import { ModelState, contentHash } from "../helpers/registries.js";
import { shouldBehaveLikeGovernanceOnly } from "../helpers/shouldBehaveLikeGovernanceOnly.js";
import { signOwnPermit } from "../helpers/signatures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const PLATFORM_FEE = TEST_INFERENCE_PARAMS.platformFee;
const THRESHOLD = TEST_INFERENCE_PARAMS.attributionThreshold;
const WINDOW = TEST_INFERENCE_PARAMS.attributionWindow;
const SPLIT: { creatorBps: bigint; stakersBps: bigint; contributorsBps: bigint } = {
  creatorBps: TEST_INFERENCE_PARAMS.creatorBps,
  stakersBps: TEST_INFERENCE_PARAMS.stakersBps,
  contributorsBps: TEST_INFERENCE_PARAMS.contributorsBps,
};
const MAX_CONTRIBUTIONS = 64n;
const MAX_BATCH = 256n;
const MAX_PLATFORM_FEE = open(10n);
const MAX_ATTRIBUTION_THRESHOLD = WAD / 2n;
const MIN_ATTRIBUTION_WINDOW = HOUR;
const MAX_ATTRIBUTION_WINDOW = 90n * DAY;
/** The order of secp256k1, for building malleable (high-s) signatures. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * The whitepaper's example: 2,000 input tokens at 0.06 OPEN / 1k and 1,000 output tokens at 0.2 OPEN / 1k.
 * Model fee 0.32 OPEN, split 40/20/40: creator 0.128, stakers 0.064, contributors' pool 0.128; a contribution
 * with 25% of the weight earns 0.032 OPEN.
 */
const WP = {
  input: 2_000n,
  output: 1_000n,
  modelFee: 320n * 10n ** 15n,
  fee: 320n * 10n ** 15n + PLATFORM_FEE,
  creator: 128n * 10n ** 15n,
  stakers: 64n * 10n ** 15n,
  pool: 128n * 10n ** 15n,
  quarter: 32n * 10n ** 15n,
} as const;

/** The whitepaper's report: the four accepted contributions of datanet 1, 25% each. */
const QUARTERS = {
  ids: [CONTRIBUTION.dave, CONTRIBUTION.erin, CONTRIBUTION.frank, CONTRIBUTION.grace],
  weights: [25n * PERCENT, 25n * PERCENT, 25n * PERCENT, 25n * PERCENT],
} as const;

type F = InferenceFixture;

/** Pays a whitepaper-sized inference of `modelId` as `from` (the funded, approving payer by default). */
function pay(
  f: F,
  label: string,
  modelId: bigint = MODEL.datanet1,
  tokens: { input: bigint; output: bigint } = WP,
  from: HardhatEthersSigner = f.payer,
  maxFee: bigint = MaxUint256,
): Promise<ContractTransactionResponse> {
  return f.inferenceRouter.connect(from).payInference(modelId, tokens.input, tokens.output, requestId(label), maxFee);
}

/** The first two oracle signers: exactly the threshold. */
function signers(f: F): HardhatEthersSigner[] {
  return [defined(f.oracleSigners[0], "oracle signer 0"), defined(f.oracleSigners[1], "oracle signer 1")];
}

function sign(f: F, r: AttributionReport, by: Signer[] = signers(f)): Promise<SignerSignature[]> {
  return signReport(f.domain, r, by);
}

async function settle(f: F, r: AttributionReport, by: Signer[] = signers(f)): Promise<ContractTransactionResponse> {
  return f.inferenceRouter.settle(r, await sign(f, r, by));
}

function first<T>(values: readonly T[]): T {
  return defined(values[0], "first element");
}

/** The contributors' pool shared as the router does: weights under the threshold earn nothing. */
function shares(pool: bigint, weights: readonly bigint[], threshold: bigint = THRESHOLD) {
  const earns = (w: bigint) => w >= threshold && w !== 0n;
  const eligible = weights.reduce((sum, w) => (earns(w) ? sum + w : sum), 0n);
  const amounts = weights.map((w) => (eligible !== 0n && earns(w) ? (pool * w) / eligible : 0n));
  return { amounts, toTreasury: pool - amounts.reduce((a, b) => a + b, 0n) };
}

async function latest(): Promise<bigint> {
  return BigInt(await time.latest());
}

/** inferenceFixture plus three whitepaper-sized inferences by the payer: 1 and 2 of model 1, 3 of model 2. */
async function paidFixture(conn: Connection) {
  const f = await inferenceFixture(conn);
  await pay(f, "one");
  await pay(f, "two");
  await pay(f, "three", MODEL.datanet2);
  const paidAt = (await f.inferenceRouter.getInference(1n)).paidAt;
  return { ...f, paidAt, closesAt: paidAt + WINDOW };
}

async function baseFixture(conn: Connection) {
  return inferenceFixture(conn);
}

/** baseFixture after alice requested to unstake everything: nothing is staked. */
async function nothingStakedFixture(conn: Connection) {
  const f = await inferenceFixture(conn);
  await f.stakedOpen.connect(f.alice).requestUnstake(ALICE_STAKE);
  return f;
}

/** paidFixture with inference 1 settled by the whitepaper report: dave, erin, frank and grace hold 0.032 OPEN. */
async function settledFixture(conn: Connection) {
  const f = await paidFixture(conn);
  await settle(f, report(1n, [...QUARTERS.ids], [...QUARTERS.weights]));
  return f;
}

describe("InferenceRouter", () => {
  describe("deployment", () => {
    async function deployArgs() {
      const f = await networkHelpers.loadFixture(baseFixture);
      const contracts: [string, string, string, string, string] = [
        await f.openToken.getAddress(),
        await f.modelRegistry.getAddress(),
        await f.datanetRegistry.getAddress(),
        await f.stakedOpen.getAddress(),
        await f.attributionOracle.getAddress(),
      ];
      const parameters = {
        platformFee: PLATFORM_FEE,
        split: SPLIT,
        attributionThreshold: THRESHOLD,
        attributionWindow: WINDOW,
      };
      return { f, factory: new InferenceRouter__factory(f.deployer), contracts, parameters };
    }

    it("is configured by the Inference module with the test parameters", async () => {
      const { inferenceRouter, attributionOracle, stakedOpen, treasury, guardian } =
        await networkHelpers.loadFixture(baseFixture);
      expect(await inferenceRouter.owner()).to.equal(treasury);
      expect(await inferenceRouter.treasury()).to.equal(treasury);
      expect(await inferenceRouter.guardian()).to.equal(guardian.address);
      expect(await inferenceRouter.oracle()).to.equal(await attributionOracle.getAddress());
      expect(await inferenceRouter.platformFee()).to.equal(PLATFORM_FEE);
      expect([...(await inferenceRouter.feeSplit())]).to.deep.equal([
        SPLIT.creatorBps,
        SPLIT.stakersBps,
        SPLIT.contributorsBps,
      ]);
      expect(await inferenceRouter.attributionThreshold()).to.equal(THRESHOLD);
      expect(await inferenceRouter.attributionWindow()).to.equal(WINDOW);
      expect(await inferenceRouter.inferenceCount()).to.equal(0n);
      expect(await inferenceRouter.treasuryOwed()).to.equal(0n);
      expect(await inferenceRouter.paused()).to.equal(false);
      expect(await stakedOpen.isRewardNotifier(inferenceRouter)).to.equal(true);
    });

    for (const [index, name] of [
      "OPEN",
      "the model registry",
      "the datanet registry",
      "StakedOpen",
      "the oracle",
    ].entries()) {
      it(`reverts with InferenceRouterZeroAddress when ${name} is the zero address`, async () => {
        const { f, factory, contracts, parameters } = await deployArgs();
        const bad = [...contracts] as typeof contracts;
        bad[index] = ZeroAddress;
        await expect(
          factory.deploy(bad, f.treasury, f.treasury, ZeroAddress, parameters),
        ).to.be.revertedWithCustomError(factory, "InferenceRouterZeroAddress");
      });
    }

    it("reverts with InferenceRouterZeroAddress when the treasury is the zero address", async () => {
      const { f, factory, contracts, parameters } = await deployArgs();
      await expect(
        factory.deploy(contracts, f.treasury, ZeroAddress, ZeroAddress, parameters),
      ).to.be.revertedWithCustomError(factory, "InferenceRouterZeroAddress");
    });

    it("reverts with OwnableInvalidOwner when governance is the zero address", async () => {
      const { f, factory, contracts, parameters } = await deployArgs();
      await expect(factory.deploy(contracts, ZeroAddress, f.treasury, ZeroAddress, parameters))
        .to.be.revertedWithCustomError(factory, "OwnableInvalidOwner")
        .withArgs(ZeroAddress);
    });

    it("checks the initial parameters like the setters", async () => {
      const { f, factory, contracts, parameters } = await deployArgs();
      const deploy = (p: Partial<typeof parameters>) =>
        factory.deploy(contracts, f.treasury, f.treasury, ZeroAddress, { ...parameters, ...p });
      await expect(deploy({ platformFee: MAX_PLATFORM_FEE + 1n }))
        .to.be.revertedWithCustomError(factory, "InferenceRouterPlatformFeeTooHigh")
        .withArgs(MAX_PLATFORM_FEE + 1n, MAX_PLATFORM_FEE);
      await expect(deploy({ split: { creatorBps: 4_000n, stakersBps: 2_000n, contributorsBps: 3_999n } }))
        .to.be.revertedWithCustomError(factory, "InferenceRouterInvalidSplit")
        .withArgs(9_999n);
      await expect(deploy({ attributionThreshold: MAX_ATTRIBUTION_THRESHOLD + 1n }))
        .to.be.revertedWithCustomError(factory, "InferenceRouterThresholdTooHigh")
        .withArgs(MAX_ATTRIBUTION_THRESHOLD + 1n, MAX_ATTRIBUTION_THRESHOLD);
      await expect(deploy({ attributionWindow: MIN_ATTRIBUTION_WINDOW - 1n }))
        .to.be.revertedWithCustomError(factory, "InferenceRouterWindowOutOfBounds")
        .withArgs(MIN_ATTRIBUTION_WINDOW - 1n, MIN_ATTRIBUTION_WINDOW, MAX_ATTRIBUTION_WINDOW);
    });
  });

  describe("quote", () => {
    it("prices the whitepaper example exactly: 0.32 OPEN model fee plus the platform fee", async () => {
      const { inferenceRouter } = await networkHelpers.loadFixture(baseFixture);
      const [fee, modelFee] = await inferenceRouter.quote(MODEL.datanet1, WP.input, WP.output);
      expect(modelFee).to.equal(WP.modelFee);
      expect(fee).to.equal(WP.modelFee + PLATFORM_FEE);
      expect(fee).to.equal(330n * 10n ** 15n);
    });

    it("charges only the platform fee for zero tokens", async () => {
      const { inferenceRouter } = await networkHelpers.loadFixture(baseFixture);
      expect([...(await inferenceRouter.quote(MODEL.datanet1, 0n, 0n))]).to.deep.equal([PLATFORM_FEE, 0n]);
    });

    it("rounds the model fee down once, over both token kinds together", async () => {
      const { inferenceRouter, modelRegistry, carol } = await networkHelpers.loadFixture(baseFixture);
      await modelRegistry.connect(carol).setRates(MODEL.datanet1, { inputRate: 1_999n, outputRate: 1n });
      // (1 × 1999 + 999 × 1) / 1000 = 2.998 → 2 (separately rounded it would be 1 + 0 = 1).
      expect([...(await inferenceRouter.quote(MODEL.datanet1, 1n, 999n))]).to.deep.equal([2n + PLATFORM_FEE, 2n]);
    });

    it("reverts with InferenceRouterModelNotActive naming a Proposed model's state", async () => {
      const { inferenceRouter } = await networkHelpers.loadFixture(baseFixture);
      await expect(inferenceRouter.quote(MODEL.proposed, 1n, 1n))
        .to.be.revertedWithCustomError(inferenceRouter, "InferenceRouterModelNotActive")
        .withArgs(MODEL.proposed, ModelState.Proposed);
    });

    it("bubbles up ModelRegistryUnknownModel for a model that does not exist", async () => {
      const { inferenceRouter, modelRegistry } = await networkHelpers.loadFixture(baseFixture);
      await expect(inferenceRouter.quote(99n, 1n, 1n))
        .to.be.revertedWithCustomError(modelRegistry, "ModelRegistryUnknownModel")
        .withArgs(99n);
    });
  });

  describe("payInference", () => {
    it("emits InferencePaid with the whitepaper split to the wei", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(pay(f, "wp"))
        .to.emit(f.inferenceRouter, "InferencePaid")
        .withArgs(
          1n,
          MODEL.datanet1,
          f.payer.address,
          requestId("wp"),
          WP.fee,
          WP.creator,
          WP.stakers,
          WP.pool,
          PLATFORM_FEE,
        );
    });

    it("moves the fee: the stakers' share to StakedOpen, the rest held by the router", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(pay(f, "wp")).to.changeTokenBalances(
        ethers,
        f.openToken,
        [f.payer, f.inferenceRouter, f.stakedOpen, f.treasury],
        [-WP.fee, WP.fee - WP.stakers, WP.stakers, 0n],
      );
    });

    it("credits the creator, owes the platform fee to the treasury and holds the pool as Pending", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      const tx = await pay(f, "wp");
      const block = defined((await tx.getBlock()) ?? undefined, "block");
      expect(await f.inferenceRouter.creditOf(f.carol)).to.equal(WP.creator);
      expect(await f.inferenceRouter.treasuryOwed()).to.equal(PLATFORM_FEE);
      const inference = await f.inferenceRouter.getInference(1n);
      expect(inference.modelId).to.equal(MODEL.datanet1);
      expect(inference.paidAt).to.equal(BigInt(block.timestamp));
      expect(inference.status).to.equal(InferenceStatus.Pending);
      expect(inference.pool).to.equal(WP.pool);
      expect(await f.inferenceRouter.inferenceByRequest(requestId("wp"))).to.equal(1n);
      expect(await f.inferenceRouter.inferenceCount()).to.equal(1n);
    });

    it("pushes the stakers' share into StakedOpen's accumulator: the only staker earns all of it", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(pay(f, "wp"))
        .to.emit(f.stakedOpen, "RewardNotified")
        .withArgs(await f.inferenceRouter.getAddress(), WP.stakers, (WP.stakers * WAD) / ALICE_STAKE);
      expect(await f.stakedOpen.earned(f.alice)).to.equal(WP.stakers);
      expect(await f.stakedOpen.earnedScaled(f.alice)).to.equal(WP.stakers * WAD);
      expect(await f.stakedOpen.dustScaled()).to.equal(0n);
    });

    it("sends the stakers' share to the treasury when nothing is staked", async () => {
      const f = await networkHelpers.loadFixture(nothingStakedFixture);
      const tx = pay(f, "wp");
      await expect(tx).to.changeTokenBalances(
        ethers,
        f.openToken,
        [f.payer, f.inferenceRouter, f.stakedOpen, f.treasury],
        [-WP.fee, WP.fee - WP.stakers, 0n, WP.stakers],
      );
      await expect(tx)
        .to.emit(f.stakedOpen, "RewardForwardedToTreasury")
        .withArgs(await f.inferenceRouter.getAddress(), WP.stakers);
      expect(await f.stakedOpen.rewardPerToken()).to.equal(0n);
    });

    it("numbers inferences from 1 and remembers each request id", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await pay(f, "a");
      await pay(f, "b", MODEL.datanet2);
      expect(await f.inferenceRouter.inferenceByRequest(requestId("a"))).to.equal(1n);
      expect(await f.inferenceRouter.inferenceByRequest(requestId("b"))).to.equal(2n);
      expect(await f.inferenceRouter.inferenceByRequest(requestId("never paid"))).to.equal(0n);
      expect((await f.inferenceRouter.getInference(2n)).modelId).to.equal(MODEL.datanet2);
      expect(await f.inferenceRouter.inferenceCount()).to.equal(2n);
    });

    it("gives the pool the rounding remainder of the split", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await f.modelRegistry.connect(f.carol).setRates(MODEL.datanet1, { inputRate: 7_000n, outputRate: 0n });
      // Model fee 7 wei: creator ⌊2.8⌋ = 2, stakers ⌊1.4⌋ = 1, pool 7 − 2 − 1 = 4.
      await expect(pay(f, "odd", MODEL.datanet1, { input: 1n, output: 0n }))
        .to.emit(f.inferenceRouter, "InferencePaid")
        .withArgs(1n, MODEL.datanet1, f.payer.address, requestId("odd"), 7n + PLATFORM_FEE, 2n, 1n, 4n, PLATFORM_FEE);
    });

    it("accepts a fee equal to maxFee", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(pay(f, "exact", MODEL.datanet1, WP, f.payer, WP.fee)).to.emit(f.inferenceRouter, "InferencePaid");
    });

    it("reverts with InferenceRouterFeeAboveMax when the fee exceeds maxFee", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(pay(f, "cheap", MODEL.datanet1, WP, f.payer, WP.fee - 1n))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterFeeAboveMax")
        .withArgs(WP.fee, WP.fee - 1n);
    });

    it("reverts with InferenceRouterFeeAboveMax when the creator raised the rates after the quote", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      const [quoted] = await f.inferenceRouter.quote(MODEL.datanet1, WP.input, WP.output);
      await f.modelRegistry.connect(f.carol).setRates(MODEL.datanet1, { inputRate: open(1n), outputRate: open(1n) });
      const [fee] = await f.inferenceRouter.quote(MODEL.datanet1, WP.input, WP.output);
      await expect(pay(f, "front-run", MODEL.datanet1, WP, f.payer, quoted))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterFeeAboveMax")
        .withArgs(fee, quoted);
    });

    it("reverts with InferenceRouterDuplicateRequest naming the inference that used the request id", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await pay(f, "a");
      await pay(f, "b");
      await expect(pay(f, "a", MODEL.datanet2))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterDuplicateRequest")
        .withArgs(requestId("a"), 1n);
    });

    it("reverts with InferenceRouterDuplicateRequest for another payer reusing the request id", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await pay(f, "a");
      await f.openToken.connect(f.permitPayer).approve(f.inferenceRouter, MaxUint256);
      await expect(pay(f, "a", MODEL.datanet1, WP, f.permitPayer))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterDuplicateRequest")
        .withArgs(requestId("a"), 1n);
    });

    it("reverts with InferenceRouterZeroRequestId for a zero request id", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(
        f.inferenceRouter.connect(f.payer).payInference(MODEL.datanet1, 1n, 1n, ZeroHash, MaxUint256),
      ).to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterZeroRequestId");
    });

    it("reverts with InferenceRouterModelNotActive for a Proposed model", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(pay(f, "x", MODEL.proposed))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterModelNotActive")
        .withArgs(MODEL.proposed, ModelState.Proposed);
    });

    it("reverts with InferenceRouterModelNotActive for a Suspended model, and pays again once resumed", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await f.modelRegistry.connect(f.governance).suspendModel(MODEL.datanet1);
      await expect(pay(f, "x"))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterModelNotActive")
        .withArgs(MODEL.datanet1, ModelState.Suspended);
      await f.modelRegistry.connect(f.governance).resumeModel(MODEL.datanet1);
      await expect(pay(f, "x")).to.emit(f.inferenceRouter, "InferencePaid");
    });

    it("reverts with InferenceRouterModelNotActive for a Retired model", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await f.modelRegistry.connect(f.carol).retireModel(MODEL.datanet1);
      await expect(pay(f, "x"))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterModelNotActive")
        .withArgs(MODEL.datanet1, ModelState.Retired);
    });

    it("reverts with OPEN's ERC20InsufficientAllowance without an approval", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(pay(f, "x", MODEL.datanet1, WP, f.permitPayer))
        .to.be.revertedWithCustomError(f.openToken, "ERC20InsufficientAllowance")
        .withArgs(await f.inferenceRouter.getAddress(), 0n, WP.fee);
    });

    it("does not call StakedOpen when the stakers' share is zero", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await f.inferenceRouter
        .connect(f.governance)
        .setFeeSplit({ creatorBps: 5_000n, stakersBps: 0n, contributorsBps: 5_000n });
      // StakedOpen.notifyReward(0) would revert with StakedOpenZeroAmount.
      await expect(pay(f, "x"))
        .to.emit(f.inferenceRouter, "InferencePaid")
        .withArgs(
          1n,
          MODEL.datanet1,
          f.payer.address,
          requestId("x"),
          WP.fee,
          WP.modelFee / 2n,
          0n,
          WP.modelFee / 2n,
          PLATFORM_FEE,
        )
        .and.not.to.emit(f.stakedOpen, "RewardNotified");
    });
  });

  describe("payInferenceWithPermit", () => {
    async function permitFor(f: F, value: bigint) {
      const deadline = (await latest()) + HOUR;
      const permit = await signOwnPermit(
        f.openToken,
        f.permitPayer,
        await f.inferenceRouter.getAddress(),
        value,
        deadline,
      );
      return { deadline, ...permit };
    }

    it("pays without a prior approval, leaving maxFee − fee of allowance", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      const maxFee = WP.fee + 5n;
      const { deadline, v, r, s } = await permitFor(f, maxFee);
      const tx = f.inferenceRouter
        .connect(f.permitPayer)
        .payInferenceWithPermit(MODEL.datanet1, WP.input, WP.output, requestId("permit"), maxFee, deadline, v, r, s);
      await expect(tx).to.changeTokenBalances(
        ethers,
        f.openToken,
        [f.permitPayer, f.inferenceRouter, f.stakedOpen],
        [-WP.fee, WP.fee - WP.stakers, WP.stakers],
      );
      await expect(tx)
        .to.emit(f.inferenceRouter, "InferencePaid")
        .withArgs(
          1n,
          MODEL.datanet1,
          f.permitPayer.address,
          requestId("permit"),
          WP.fee,
          WP.creator,
          WP.stakers,
          WP.pool,
          PLATFORM_FEE,
        );
      expect(await f.openToken.allowance(f.permitPayer, f.inferenceRouter)).to.equal(5n);
    });

    it("tolerates a permit front-run by someone else", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      const { deadline, v, r, s } = await permitFor(f, WP.fee);
      await f.openToken.connect(f.stranger).permit(f.permitPayer, f.inferenceRouter, WP.fee, deadline, v, r, s);
      await expect(
        f.inferenceRouter
          .connect(f.permitPayer)
          .payInferenceWithPermit(MODEL.datanet1, WP.input, WP.output, requestId("permit"), WP.fee, deadline, v, r, s),
      ).to.emit(f.inferenceRouter, "InferencePaid");
      expect(await f.openToken.allowance(f.permitPayer, f.inferenceRouter)).to.equal(0n);
    });

    it("reverts with ERC20InsufficientAllowance when the permit fails and nothing is approved", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      const { deadline, v, r, s } = await permitFor(f, WP.fee);
      // Signed by permitPayer, submitted by the payer: the permit is for the wrong owner and fails.
      await expect(
        f.inferenceRouter
          .connect(f.stranger)
          .payInferenceWithPermit(MODEL.datanet1, WP.input, WP.output, requestId("permit"), WP.fee, deadline, v, r, s),
      )
        .to.be.revertedWithCustomError(f.openToken, "ERC20InsufficientAllowance")
        .withArgs(await f.inferenceRouter.getAddress(), 0n, WP.fee);
    });
  });

  describe("pause", () => {
    it("lets the guardian pause: payments and settlement revert with EnforcedPause", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await expect(f.inferenceRouter.connect(f.guardian).pause())
        .to.emit(f.inferenceRouter, "Paused")
        .withArgs(f.guardian.address);
      await expect(pay(f, "paused")).to.be.revertedWithCustomError(f.inferenceRouter, "EnforcedPause");
      const deadline = (await latest()) + HOUR;
      const routerAddress = await f.inferenceRouter.getAddress();
      const { v, r, s } = await signOwnPermit(f.openToken, f.permitPayer, routerAddress, WP.fee, deadline);
      await expect(
        f.inferenceRouter
          .connect(f.permitPayer)
          .payInferenceWithPermit(MODEL.datanet1, WP.input, WP.output, requestId("p"), WP.fee, deadline, v, r, s),
      ).to.be.revertedWithCustomError(f.inferenceRouter, "EnforcedPause");
      const r1 = report(1n, [...QUARTERS.ids], [...QUARTERS.weights]);
      await expect(f.inferenceRouter.settle(r1, await sign(f, r1))).to.be.revertedWithCustomError(
        f.inferenceRouter,
        "EnforcedPause",
      );
      await expect(
        f.inferenceRouter.settleBatch([r1], await signBatch(f.domain, [r1], signers(f))),
      ).to.be.revertedWithCustomError(f.inferenceRouter, "EnforcedPause");
    });

    it("lets governance pause", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).pause()).to.emit(f.inferenceRouter, "Paused");
      expect(await f.inferenceRouter.paused()).to.equal(true);
    });

    shouldBehaveLikeGovernanceOnly<InferenceRouter>(
      async () => {
        const f = await networkHelpers.loadFixture(baseFixture);
        return { contract: f.inferenceRouter, callers: [f.carol, f.payer, f.deployer, first(signers(f))] };
      },
      [{ name: "pause", call: (c, caller) => c.connect(caller).pause() }],
      { name: "InferenceRouterNotGuardian", args: (caller) => [caller] },
    );

    it("does not let the guardian unpause; governance does, and payments resume", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await f.inferenceRouter.connect(f.guardian).pause();
      await expect(f.inferenceRouter.connect(f.guardian).unpause())
        .to.be.revertedWithCustomError(f.inferenceRouter, "OwnableUnauthorizedAccount")
        .withArgs(f.guardian.address);
      await expect(f.inferenceRouter.connect(f.governance).unpause())
        .to.emit(f.inferenceRouter, "Unpaused")
        .withArgs(f.treasury);
      await expect(pay(f, "resumed")).to.emit(f.inferenceRouter, "InferencePaid");
    });

    it("never pauses claims, expiry or sweeps", async () => {
      const f = await networkHelpers.loadFixture(settledFixture);
      await f.inferenceRouter.connect(f.guardian).pause();
      await expect(f.inferenceRouter.connect(f.dave).claim()).to.emit(f.inferenceRouter, "Claimed");
      await expect(f.inferenceRouter.connect(f.carol).claimTo(f.bob)).to.emit(f.inferenceRouter, "Claimed");
      await time.increaseTo(f.closesAt + 1n);
      await expect(f.inferenceRouter.connect(f.stranger).expire(2n)).to.emit(f.inferenceRouter, "InferenceExpired");
      await expect(f.inferenceRouter.connect(f.stranger).sweepToTreasury()).to.emit(f.inferenceRouter, "TreasurySwept");
    });
  });

  describe("settle", () => {
    it("credits 0.032 OPEN to each of four contributions weighted 25% (the whitepaper example)", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = report(1n, [...QUARTERS.ids], [...QUARTERS.weights]);
      await expect(settle(f, r))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(1n, r.contributionIds, [WP.quarter, WP.quarter, WP.quarter, WP.quarter], 0n);
      for (const contributor of [f.dave, f.erin, f.frank, f.grace]) {
        expect(await f.inferenceRouter.creditOf(contributor)).to.equal(WP.quarter);
      }
      const inference = await f.inferenceRouter.getInference(1n);
      expect(inference.status).to.equal(InferenceStatus.Settled);
      // Three platform fees, no dust.
      expect(await f.inferenceRouter.treasuryOwed()).to.equal(3n * PLATFORM_FEE);
    });

    it("moves no OPEN: settlement only turns the pool into credits", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await expect(settle(f, report(1n, [...QUARTERS.ids], [...QUARTERS.weights]))).to.changeTokenBalances(
        ethers,
        f.openToken,
        [f.inferenceRouter, f.dave, f.treasury],
        [0n, 0n, 0n],
      );
    });

    it("can be submitted by anyone holding the signed report", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = report(1n, [...QUARTERS.ids], [...QUARTERS.weights]);
      await expect(f.inferenceRouter.connect(f.stranger).settle(r, await sign(f, r))).to.emit(
        f.inferenceRouter,
        "InferenceSettled",
      );
    });

    it("accepts more than threshold valid signatures", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = report(1n, [...QUARTERS.ids], [...QUARTERS.weights]);
      await expect(settle(f, r, [...f.oracleSigners])).to.emit(f.inferenceRouter, "InferenceSettled");
    });

    it("renormalises over the weights at or above the threshold, dust to treasuryOwed", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      // 0.5% is under the 1% threshold; the eligible 60% share the whole pool as 30:20:10.
      const weights = [PERCENT / 2n, 30n * PERCENT, 20n * PERCENT, 10n * PERCENT];
      const r = report(1n, [...QUARTERS.ids], weights);
      const expected = shares(WP.pool, weights);
      expect(expected.amounts).to.deep.equal([0n, WP.pool / 2n, 42_666_666_666_666_666n, 21_333_333_333_333_333n]);
      expect(expected.toTreasury).to.equal(1n);
      const owedBefore = await f.inferenceRouter.treasuryOwed();
      await expect(settle(f, r))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(1n, r.contributionIds, expected.amounts, 1n);
      expect(await f.inferenceRouter.creditOf(f.dave)).to.equal(0n);
      expect(await f.inferenceRouter.creditOf(f.erin)).to.equal(WP.pool / 2n);
      expect(await f.inferenceRouter.creditOf(f.frank)).to.equal(42_666_666_666_666_666n);
      expect(await f.inferenceRouter.creditOf(f.grace)).to.equal(21_333_333_333_333_333n);
      expect(await f.inferenceRouter.treasuryOwed()).to.equal(owedBefore + 1n);
    });

    it("counts a weight exactly at the threshold and ignores one a wei below", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const weights = [THRESHOLD, THRESHOLD - 1n, 3n * THRESHOLD];
      const r = report(1n, [CONTRIBUTION.dave, CONTRIBUTION.erin, CONTRIBUTION.frank], weights);
      await expect(settle(f, r))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(1n, r.contributionIds, [WP.pool / 4n, 0n, (3n * WP.pool) / 4n], 0n);
    });

    it("shares the whole pool even when the weights sum to less than 100%", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = report(1n, [CONTRIBUTION.dave, CONTRIBUTION.grace], [20n * PERCENT, 20n * PERCENT]);
      await expect(settle(f, r))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(1n, r.contributionIds, [WP.pool / 2n, WP.pool / 2n], 0n);
    });

    it("sends the whole pool to treasuryOwed when no weight reaches the threshold", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = report(1n, [CONTRIBUTION.dave, CONTRIBUTION.erin], [PERCENT / 2n, PERCENT - 1n]);
      const owedBefore = await f.inferenceRouter.treasuryOwed();
      await expect(settle(f, r))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(1n, r.contributionIds, [0n, 0n], WP.pool);
      expect(await f.inferenceRouter.treasuryOwed()).to.equal(owedBefore + WP.pool);
      expect(await f.inferenceRouter.creditOf(f.dave)).to.equal(0n);
    });

    it("sends the whole pool to treasuryOwed for a report naming no contribution", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await expect(settle(f, report(1n, [], [])))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(1n, [], [], WP.pool);
      expect((await f.inferenceRouter.getInference(1n)).status).to.equal(InferenceStatus.Settled);
    });

    it("uses the attribution threshold in force at settlement", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await f.inferenceRouter.connect(f.governance).setAttributionThreshold(30n * PERCENT);
      const r = report(1n, [...QUARTERS.ids], [10n * PERCENT, 20n * PERCENT, 30n * PERCENT, 40n * PERCENT]);
      await expect(settle(f, r))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(1n, r.contributionIds, [0n, 0n, (WP.pool * 3n) / 7n, (WP.pool * 4n) / 7n], 1n);
    });

    it("gives nothing to a zero weight even with a zero threshold", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await f.inferenceRouter.connect(f.governance).setAttributionThreshold(0n);
      const r = report(1n, [CONTRIBUTION.dave, CONTRIBUTION.erin], [0n, 1n]);
      await expect(settle(f, r))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(1n, r.contributionIds, [0n, WP.pool], 0n);
    });

    it("accepts a report at its deadline", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const deadline = (await latest()) + HOUR;
      const r = report(1n, [...QUARTERS.ids], [...QUARTERS.weights], deadline);
      const signatures = await sign(f, r);
      await time.setNextBlockTimestamp(deadline);
      await expect(f.inferenceRouter.settle(r, signatures)).to.emit(f.inferenceRouter, "InferenceSettled");
    });

    it("reverts with InferenceRouterReportExpired after the report's deadline", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const deadline = (await latest()) + HOUR;
      const r = report(1n, [...QUARTERS.ids], [...QUARTERS.weights], deadline);
      const signatures = await sign(f, r);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(f.inferenceRouter.settle(r, signatures))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterReportExpired")
        .withArgs(1n, deadline);
    });

    it("settles at the last second of the attribution window", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = report(1n, [...QUARTERS.ids], [...QUARTERS.weights]);
      const signatures = await sign(f, r);
      await time.setNextBlockTimestamp(f.closesAt);
      await expect(f.inferenceRouter.settle(r, signatures)).to.emit(f.inferenceRouter, "InferenceSettled");
    });

    it("reverts with InferenceRouterWindowClosed after the attribution window", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = report(1n, [...QUARTERS.ids], [...QUARTERS.weights]);
      const signatures = await sign(f, r);
      await time.setNextBlockTimestamp(f.closesAt + 1n);
      await expect(f.inferenceRouter.settle(r, signatures))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterWindowClosed")
        .withArgs(1n, f.closesAt);
    });

    it("reverts with InferenceRouterUnknownInference for an inference never paid", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await expect(settle(f, report(99n, [], [])))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterUnknownInference")
        .withArgs(99n);
    });

    it("reverts with InferenceRouterNotPending (Expired) for an expired inference", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = report(1n, [...QUARTERS.ids], [...QUARTERS.weights]);
      const signatures = await sign(f, r);
      await time.increaseTo(f.closesAt + 1n);
      await f.inferenceRouter.expire(1n);
      await expect(f.inferenceRouter.settle(r, signatures))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNotPending")
        .withArgs(1n, InferenceStatus.Expired);
    });

    it("settles an inference of a model suspended since payment, against the model's datanets", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await f.modelRegistry.connect(f.governance).suspendModel(MODEL.datanet1);
      await expect(settle(f, report(1n, [...QUARTERS.ids], [...QUARTERS.weights]))).to.emit(
        f.inferenceRouter,
        "InferenceSettled",
      );
    });

    it("settles a report naming MAX_CONTRIBUTIONS contributions", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const extra: bigint[] = [];
      for (let i = 0; i < 60; i++) {
        await f.datanetRegistry.connect(f.dave).contribute(1n, contentHash(`bulk ${i}`), "", 1n);
        extra.push(await f.datanetRegistry.contributionCount());
      }
      await f.datanetRegistry.connect(f.bob).reviewBatch(
        extra,
        extra.map(() => true),
      );
      const ids = [...QUARTERS.ids, ...extra];
      expect(BigInt(ids.length)).to.equal(MAX_CONTRIBUTIONS);
      const weight = WAD / MAX_CONTRIBUTIONS; // 1.5625%, exact
      const each = WP.pool / MAX_CONTRIBUTIONS; // 0.002 OPEN, exact
      await expect(
        settle(
          f,
          report(
            1n,
            ids,
            ids.map(() => weight),
          ),
        ),
      )
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(
          1n,
          ids,
          ids.map(() => each),
          0n,
        );
      expect(await f.inferenceRouter.creditOf(f.dave)).to.equal(61n * each);
    });
  });

  describe("settleBatch", () => {
    it("settles several inferences of two models under one signature set, crediting exactly", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const reports = [
        report(1n, [...QUARTERS.ids], [...QUARTERS.weights]),
        report(3n, [CONTRIBUTION.otherDatanet], [WAD]),
        report(2n, [CONTRIBUTION.dave, CONTRIBUTION.frank], [10n * PERCENT, 30n * PERCENT]),
      ];
      const tx = f.inferenceRouter.settleBatch(reports, await signBatch(f.domain, reports, signers(f)));
      await expect(tx)
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(1n, QUARTERS.ids, [WP.quarter, WP.quarter, WP.quarter, WP.quarter], 0n);
      await expect(tx)
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(3n, [CONTRIBUTION.otherDatanet], [WP.pool], 0n);
      await expect(tx)
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(2n, [CONTRIBUTION.dave, CONTRIBUTION.frank], [WP.pool / 4n, (3n * WP.pool) / 4n], 0n);
      expect(await f.inferenceRouter.creditOf(f.dave)).to.equal(WP.quarter + WP.pool / 4n);
      expect(await f.inferenceRouter.creditOf(f.erin)).to.equal(WP.quarter + WP.pool);
      expect(await f.inferenceRouter.creditOf(f.frank)).to.equal(WP.quarter + (3n * WP.pool) / 4n);
      expect(await f.inferenceRouter.creditOf(f.grace)).to.equal(WP.quarter);
      for (const inferenceId of [1n, 2n, 3n]) {
        expect((await f.inferenceRouter.getInference(inferenceId)).status).to.equal(InferenceStatus.Settled);
      }
      await expectRouterConserved(f.openToken, f.inferenceRouter, [f.carol, f.dave, f.erin, f.frank, f.grace]);
    });

    it("checks each report against its own model's datanets when the batch switches models", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      // Contribution 1 (datanet 1) is eligible for inference 1 (model 1), not for inference 3 (model 2).
      const reports = [report(1n, [CONTRIBUTION.dave], [WAD]), report(3n, [CONTRIBUTION.dave], [WAD])];
      await expect(f.inferenceRouter.settleBatch(reports, await signBatch(f.domain, reports, signers(f))))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterIneligibleContribution")
        .withArgs(3n, CONTRIBUTION.dave);
    });

    it("reverts with InferenceRouterNotPending when a batch names an inference twice", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const reports = [report(1n, [CONTRIBUTION.dave], [WAD]), report(1n, [CONTRIBUTION.erin], [WAD])];
      await expect(f.inferenceRouter.settleBatch(reports, await signBatch(f.domain, reports, signers(f))))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNotPending")
        .withArgs(1n, InferenceStatus.Settled);
    });
  });

  describe("expire", () => {
    it("reverts with InferenceRouterWindowOpen until the window has closed", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await time.setNextBlockTimestamp(f.closesAt);
      await expect(f.inferenceRouter.expire(1n))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterWindowOpen")
        .withArgs(1n, f.closesAt);
    });

    it("sends the pool to treasuryOwed after the window, for anyone, emitting InferenceExpired", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const owedBefore = await f.inferenceRouter.treasuryOwed();
      await time.setNextBlockTimestamp(f.closesAt + 1n);
      await expect(f.inferenceRouter.connect(f.stranger).expire(1n))
        .to.emit(f.inferenceRouter, "InferenceExpired")
        .withArgs(1n, WP.pool);
      expect(await f.inferenceRouter.treasuryOwed()).to.equal(owedBefore + WP.pool);
      expect((await f.inferenceRouter.getInference(1n)).status).to.equal(InferenceStatus.Expired);
      await expectRouterConserved(f.openToken, f.inferenceRouter, [f.carol]);
    });

    it("reverts with InferenceRouterNotPending for a settled or already expired inference", async () => {
      const f = await networkHelpers.loadFixture(settledFixture);
      await time.increaseTo(f.closesAt + 1n);
      await expect(f.inferenceRouter.expire(1n))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNotPending")
        .withArgs(1n, InferenceStatus.Settled);
      await f.inferenceRouter.expire(2n);
      await expect(f.inferenceRouter.expire(2n))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNotPending")
        .withArgs(2n, InferenceStatus.Expired);
    });

    it("reverts with InferenceRouterUnknownInference for id 0 and for an id never paid", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      for (const inferenceId of [0n, 4n]) {
        await expect(f.inferenceRouter.expire(inferenceId))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterUnknownInference")
          .withArgs(inferenceId);
        await expect(f.inferenceRouter.getInference(inferenceId))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterUnknownInference")
          .withArgs(inferenceId);
      }
    });
  });

  describe("attacks", () => {
    const wp = (inferenceId = 1n) => report(inferenceId, [...QUARTERS.ids], [...QUARTERS.weights]);

    async function expectInvalid(f: F, r: AttributionReport, signatures: SignerSignature[]) {
      await expect(f.inferenceRouter.settle(r, signatures))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleInvalidSignature")
        .withArgs(first(signatures).signer);
    }

    it("a report signed for this router cannot settle on a second deployment", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const factory = new InferenceRouter__factory(f.deployer);
      const second = await factory.deploy(
        [f.openToken, f.modelRegistry, f.datanetRegistry, f.stakedOpen, f.attributionOracle],
        f.treasury,
        f.treasury,
        ZeroAddress,
        { platformFee: PLATFORM_FEE, split: SPLIT, attributionThreshold: THRESHOLD, attributionWindow: WINDOW },
      );
      await f.stakedOpen.connect(f.governance).setRewardNotifier(second, true);
      await f.openToken.connect(f.payer).approve(second, MaxUint256);
      await second.connect(f.payer).payInference(MODEL.datanet1, WP.input, WP.output, requestId("one"), MaxUint256);
      const r = wp();
      const signatures = await sign(f, r);
      await expect(second.settle(r, signatures))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleInvalidSignature")
        .withArgs(first(signatures).signer);
      // The same signatures are good on the router they were made for.
      await expect(f.inferenceRouter.settle(r, signatures)).to.emit(f.inferenceRouter, "InferenceSettled");
    });

    it("a report signed for another chain id cannot settle", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp();
      const otherChain = attributionDomain(f.chainId + 1n, await f.inferenceRouter.getAddress());
      await expectInvalid(f, r, await signReport(otherChain, r, signers(f)));
    });

    it("a report for inference A cannot settle inference B", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const signatures = await sign(f, wp(1n));
      await expectInvalid(f, wp(2n), signatures);
    });

    it("a report whose weights were changed after signing cannot settle", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const signed = wp();
      const signatures = await sign(f, signed);
      const tampered = report(1n, [...QUARTERS.ids], [70n * PERCENT, 10n * PERCENT, 10n * PERCENT, 10n * PERCENT]);
      await expectInvalid(f, tampered, signatures);
    });

    it("a report whose deadline was extended after signing cannot settle", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const signed = report(1n, [...QUARTERS.ids], [...QUARTERS.weights], (await latest()) + HOUR);
      await expectInvalid(f, wp(), await sign(f, signed));
    });

    it("signatures over a single report cannot settle it as a batch of one", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp();
      const signatures = await sign(f, r);
      await expect(f.inferenceRouter.settleBatch([r], signatures))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleInvalidSignature")
        .withArgs(first(signatures).signer);
    });

    it("signatures over a batch cannot settle one of its reports alone", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const reports = [wp(1n), wp(2n)];
      const signatures = await signBatch(f.domain, reports, signers(f));
      await expectInvalid(f, wp(1n), signatures);
      await expect(f.inferenceRouter.settleBatch([wp(1n)], signatures))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleInvalidSignature")
        .withArgs(first(signatures).signer);
      await expect(f.inferenceRouter.settleBatch([wp(2n), wp(1n)], signatures))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleInvalidSignature")
        .withArgs(first(signatures).signer);
    });

    it("the same signer twice does not make two signatures", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp();
      const one = first(await sign(f, r, [first(signers(f))]));
      await expect(f.inferenceRouter.settle(r, [one, one]))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleDuplicateSigner")
        .withArgs(one.signer);
    });

    it("unsorted signers are refused", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp();
      const signatures = (await sign(f, r)).reverse();
      await expect(f.inferenceRouter.settle(r, signatures))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleSignersNotSorted")
        .withArgs(1n);
    });

    it("threshold − 1 signatures are too few", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp();
      await expect(f.inferenceRouter.settle(r, await sign(f, r, [first(signers(f))])))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleTooFewSignatures")
        .withArgs(1n, TEST_INFERENCE_PARAMS.oracleThreshold);
      await expect(f.inferenceRouter.settle(r, []))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleTooFewSignatures")
        .withArgs(0n, TEST_INFERENCE_PARAMS.oracleThreshold);
    });

    it("a signature by an unknown signer is refused", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp();
      await expect(f.inferenceRouter.settle(r, await sign(f, r, [first(signers(f)), f.stranger])))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleUnknownSigner")
        .withArgs(f.stranger.address);
    });

    it("a signature by a signer removed after signing no longer counts", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp();
      const signatures = await sign(f, r);
      const removed = first(signatures).signer;
      await f.attributionOracle.connect(f.governance).removeSigner(removed);
      await expect(f.inferenceRouter.settle(r, signatures))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleUnknownSigner")
        .withArgs(removed);
    });

    it("a malformed signature (64 arbitrary bytes) is refused", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp();
      const signatures = await sign(f, r);
      const target = first(signatures);
      target.signature = "0x" + "5a".repeat(64);
      await expect(f.inferenceRouter.settle(r, signatures))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleMalformedSignature")
        .withArgs(target.signer);
    });

    it("a malleated (high-s) copy of a valid signature is refused", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp();
      const signatures = await sign(f, r);
      const target = first(signatures);
      const { r: sigR, s, v } = Signature.from(target.signature);
      target.signature = concat([sigR, toBeHex(SECP256K1_N - BigInt(s), 32), toBeHex(v === 27 ? 28 : 27, 1)]);
      await expect(f.inferenceRouter.settle(r, signatures))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleMalformedSignature")
        .withArgs(target.signer);
    });

    it("a valid signature attributed to another registered signer is refused", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp();
      const signatures = await sign(f, r);
      const [a, b] = [first(signatures), defined(signatures[1], "second signature")];
      const swapped = [
        { signer: a.signer, signature: b.signature },
        { signer: b.signer, signature: a.signature },
      ];
      await expectInvalid(f, r, swapped);
    });

    it("weights summing above 100% are refused", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const weights = [60n * PERCENT, 40n * PERCENT + 1n];
      await expect(settle(f, report(1n, [CONTRIBUTION.dave, CONTRIBUTION.erin], weights)))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterWeightsExceedWad")
        .withArgs(1n, WAD + 1n);
    });

    it("a single weight above 100% reverts with InferenceRouterWeightsExceedWad before any sum can overflow", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const weights = [MaxUint256, 2n];
      await expect(settle(f, report(1n, [CONTRIBUTION.dave, CONTRIBUTION.erin], weights)))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterWeightsExceedWad")
        .withArgs(1n, MaxUint256);
    });

    const ineligible: [string, bigint[], bigint][] = [
      [
        "a contribution from a datanet the model does not use",
        [CONTRIBUTION.dave, CONTRIBUTION.otherDatanet],
        CONTRIBUTION.otherDatanet,
      ],
      ["a penalized contribution", [CONTRIBUTION.dave, CONTRIBUTION.penalized], CONTRIBUTION.penalized],
      ["a rejected contribution", [CONTRIBUTION.dave, CONTRIBUTION.rejected], CONTRIBUTION.rejected],
      ["a pending contribution", [CONTRIBUTION.dave, CONTRIBUTION.pending], CONTRIBUTION.pending],
      ["an unknown contribution id", [CONTRIBUTION.dave, 999n], 999n],
      ["contribution id 0", [0n, CONTRIBUTION.dave], 0n],
      ["a duplicated contribution id", [CONTRIBUTION.dave, CONTRIBUTION.dave], CONTRIBUTION.dave],
      ["unsorted contribution ids", [CONTRIBUTION.erin, CONTRIBUTION.dave], CONTRIBUTION.dave],
    ];
    for (const [what, ids, offending] of ineligible) {
      it(`${what} makes the report ineligible`, async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        await expect(settle(f, report(1n, ids, [10n * PERCENT, 10n * PERCENT])))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterIneligibleContribution")
          .withArgs(1n, offending);
      });
    }

    it("an ineligible contribution reverts the report even with a weight under the threshold", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await expect(settle(f, report(1n, [CONTRIBUTION.dave, CONTRIBUTION.penalized], [WAD - 1n, 0n])))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterIneligibleContribution")
        .withArgs(1n, CONTRIBUTION.penalized);
    });

    it("a contribution penalized after payment makes a report naming it ineligible", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await f.datanetRegistry.connect(f.bob).penalize(CONTRIBUTION.grace, "found adversarial");
      await expect(settle(f, wp()))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterIneligibleContribution")
        .withArgs(1n, CONTRIBUTION.grace);
    });

    it("an inference cannot be settled twice", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp();
      const signatures = await sign(f, r);
      await f.inferenceRouter.settle(r, signatures);
      await expect(f.inferenceRouter.settle(r, signatures))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNotPending")
        .withArgs(1n, InferenceStatus.Settled);
    });

    it("an inference cannot be settled twice by a second, different report", async () => {
      const f = await networkHelpers.loadFixture(settledFixture);
      await expect(settle(f, report(1n, [CONTRIBUTION.dave], [WAD])))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNotPending")
        .withArgs(1n, InferenceStatus.Settled);
    });

    it("credits cannot be claimed twice", async () => {
      const f = await networkHelpers.loadFixture(settledFixture);
      await f.inferenceRouter.connect(f.dave).claim();
      await expect(f.inferenceRouter.connect(f.dave).claim())
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNothingToClaim")
        .withArgs(f.dave.address);
      await expect(f.inferenceRouter.connect(f.dave).claimTo(f.stranger))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNothingToClaim")
        .withArgs(f.dave.address);
    });

    it("a batch with one bad report reverts as a whole: nothing is settled", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const reports = [wp(1n), report(2n, [CONTRIBUTION.dave, CONTRIBUTION.penalized], [50n * PERCENT, 50n * PERCENT])];
      await expect(f.inferenceRouter.settleBatch(reports, await signBatch(f.domain, reports, signers(f))))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterIneligibleContribution")
        .withArgs(2n, CONTRIBUTION.penalized);
      expect((await f.inferenceRouter.getInference(1n)).status).to.equal(InferenceStatus.Pending);
      expect(await f.inferenceRouter.creditOf(f.dave)).to.equal(0n);
    });

    it("contribution ids and weights of different lengths are refused", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await expect(settle(f, report(1n, [CONTRIBUTION.dave, CONTRIBUTION.erin], [WAD])))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterLengthMismatch")
        .withArgs(2n, 1n);
    });

    it("a report naming more than MAX_CONTRIBUTIONS contributions is refused", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const ids = Array.from({ length: Number(MAX_CONTRIBUTIONS) + 1 }, (_, i) => BigInt(i + 1));
      await expect(
        settle(
          f,
          report(
            1n,
            ids,
            ids.map(() => PERCENT),
          ),
        ),
      )
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterTooManyContributions")
        .withArgs(MAX_CONTRIBUTIONS + 1n, MAX_CONTRIBUTIONS);
    });

    it("an empty batch is refused", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await expect(f.inferenceRouter.settleBatch([], await signBatch(f.domain, [], signers(f))))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterInvalidBatchSize")
        .withArgs(0n, MAX_BATCH);
    });

    it("a batch of more than MAX_BATCH reports is refused", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const reports = Array.from({ length: Number(MAX_BATCH) + 1 }, (_, i) => report(BigInt(i + 1), [], []));
      await expect(f.inferenceRouter.settleBatch(reports, []))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterInvalidBatchSize")
        .withArgs(MAX_BATCH + 1n, MAX_BATCH);
    });
  });

  describe("claim, claimTo and sweepToTreasury", () => {
    it("claim sends the caller's credits and zeroes them", async () => {
      const f = await networkHelpers.loadFixture(settledFixture);
      const tx = f.inferenceRouter.connect(f.dave).claim();
      await expect(tx).to.changeTokenBalances(
        ethers,
        f.openToken,
        [f.inferenceRouter, f.dave],
        [-WP.quarter, WP.quarter],
      );
      await expect(tx).to.emit(f.inferenceRouter, "Claimed").withArgs(f.dave.address, f.dave.address, WP.quarter);
      expect(await f.inferenceRouter.creditOf(f.dave)).to.equal(0n);
    });

    it("lets the creator claim the creator's shares of every inference", async () => {
      const f = await networkHelpers.loadFixture(settledFixture);
      await expect(f.inferenceRouter.connect(f.carol).claim()).to.changeTokenBalances(
        ethers,
        f.openToken,
        [f.inferenceRouter, f.carol],
        [-3n * WP.creator, 3n * WP.creator],
      );
    });

    it("claimTo sends the caller's credits to the recipient", async () => {
      const f = await networkHelpers.loadFixture(settledFixture);
      const tx = f.inferenceRouter.connect(f.erin).claimTo(f.stranger);
      await expect(tx).to.changeTokenBalances(
        ethers,
        f.openToken,
        [f.inferenceRouter, f.erin, f.stranger],
        [-WP.quarter, 0n, WP.quarter],
      );
      await expect(tx).to.emit(f.inferenceRouter, "Claimed").withArgs(f.erin.address, f.stranger.address, WP.quarter);
      expect(await f.inferenceRouter.creditOf(f.erin)).to.equal(0n);
    });

    it("claimTo reverts with InferenceRouterZeroAddress for the zero address", async () => {
      const f = await networkHelpers.loadFixture(settledFixture);
      await expect(f.inferenceRouter.connect(f.erin).claimTo(ZeroAddress)).to.be.revertedWithCustomError(
        f.inferenceRouter,
        "InferenceRouterZeroAddress",
      );
    });

    it("claim reverts with InferenceRouterNothingToClaim without credits", async () => {
      const f = await networkHelpers.loadFixture(settledFixture);
      await expect(f.inferenceRouter.connect(f.stranger).claim())
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNothingToClaim")
        .withArgs(f.stranger.address);
    });

    it("sweepToTreasury reverts with InferenceRouterNothingToSweep when nothing is owed", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.sweepToTreasury()).to.be.revertedWithCustomError(
        f.inferenceRouter,
        "InferenceRouterNothingToSweep",
      );
    });

    it("sweepToTreasury sends platform fees, dust and expired pools to the timelock, for anyone", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      // Inference 1 leaves 1 wei of dust; inference 2 expires.
      await settle(f, report(1n, [...QUARTERS.ids], [PERCENT / 2n, 30n * PERCENT, 20n * PERCENT, 10n * PERCENT]));
      await settle(f, report(3n, [CONTRIBUTION.otherDatanet], [WAD]));
      await time.increaseTo(f.closesAt + 1n);
      await f.inferenceRouter.expire(2n);
      const owed = 3n * PLATFORM_FEE + 1n + WP.pool;
      expect(await f.inferenceRouter.treasuryOwed()).to.equal(owed);
      const tx = f.inferenceRouter.connect(f.stranger).sweepToTreasury();
      await expect(tx).to.changeTokenBalances(ethers, f.openToken, [f.inferenceRouter, f.treasury], [-owed, owed]);
      await expect(tx).to.emit(f.inferenceRouter, "TreasurySwept").withArgs(f.treasury, owed);
      expect(await f.inferenceRouter.treasuryOwed()).to.equal(0n);
      await expect(f.inferenceRouter.sweepToTreasury()).to.be.revertedWithCustomError(
        f.inferenceRouter,
        "InferenceRouterNothingToSweep",
      );
    });

    it("sweepToTreasury pays the treasury set by governance", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await f.inferenceRouter.connect(f.governance).setTreasury(f.bob);
      await expect(f.inferenceRouter.sweepToTreasury()).to.changeTokenBalances(
        ethers,
        f.openToken,
        [f.bob, f.treasury],
        [3n * PLATFORM_FEE, 0n],
      );
    });
  });

  describe("governance", () => {
    shouldBehaveLikeGovernanceOnly<InferenceRouter>(async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      // Neither the guardian, the creator, an oracle signer, the deployer nor the governor itself is governance.
      const governorSigner = await impersonate(connection, await f.governor.getAddress());
      return {
        contract: f.inferenceRouter,
        callers: [f.guardian, f.carol, first(signers(f)), f.deployer, governorSigner],
      };
    }, [
      { name: "setPlatformFee", call: (c, caller) => c.connect(caller).setPlatformFee(0n) },
      { name: "setFeeSplit", call: (c, caller) => c.connect(caller).setFeeSplit(SPLIT) },
      { name: "setAttributionThreshold", call: (c, caller) => c.connect(caller).setAttributionThreshold(0n) },
      { name: "setAttributionWindow", call: (c, caller) => c.connect(caller).setAttributionWindow(DAY) },
      { name: "setOracle", call: (c, caller) => c.connect(caller).setOracle(caller.address) },
      { name: "setTreasury", call: (c, caller) => c.connect(caller).setTreasury(caller.address) },
      { name: "setGuardian", call: (c, caller) => c.connect(caller).setGuardian(caller.address) },
      { name: "unpause", call: (c, caller) => c.connect(caller).unpause() },
      { name: "transferOwnership", call: (c, caller) => c.connect(caller).transferOwnership(caller.address) },
      { name: "renounceOwnership", call: (c, caller) => c.connect(caller).renounceOwnership() },
    ]);

    it("renounceOwnership reverts with InferenceRouterRenounceDisabled even for governance", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).renounceOwnership()).to.be.revertedWithCustomError(
        f.inferenceRouter,
        "InferenceRouterRenounceDisabled",
      );
    });

    it("setPlatformFee accepts MAX_PLATFORM_FEE, emits PlatformFeeUpdated and applies to the next payment", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).setPlatformFee(MAX_PLATFORM_FEE))
        .to.emit(f.inferenceRouter, "PlatformFeeUpdated")
        .withArgs(PLATFORM_FEE, MAX_PLATFORM_FEE);
      expect(await f.inferenceRouter.platformFee()).to.equal(MAX_PLATFORM_FEE);
      expect([...(await f.inferenceRouter.quote(MODEL.datanet1, WP.input, WP.output))]).to.deep.equal([
        WP.modelFee + MAX_PLATFORM_FEE,
        WP.modelFee,
      ]);
      await pay(f, "expensive");
      expect(await f.inferenceRouter.treasuryOwed()).to.equal(MAX_PLATFORM_FEE);
    });

    it("setPlatformFee reverts with InferenceRouterPlatformFeeTooHigh above MAX_PLATFORM_FEE", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).setPlatformFee(MAX_PLATFORM_FEE + 1n))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterPlatformFeeTooHigh")
        .withArgs(MAX_PLATFORM_FEE + 1n, MAX_PLATFORM_FEE);
    });

    it("setFeeSplit emits FeeSplitUpdated and applies to later payments only", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await pay(f, "before");
      const split = { creatorBps: 7_000n, stakersBps: 1_000n, contributorsBps: 2_000n };
      await expect(f.inferenceRouter.connect(f.governance).setFeeSplit(split))
        .to.emit(f.inferenceRouter, "FeeSplitUpdated")
        .withArgs([SPLIT.creatorBps, SPLIT.stakersBps, SPLIT.contributorsBps], [7_000n, 1_000n, 2_000n]);
      expect([...(await f.inferenceRouter.feeSplit())]).to.deep.equal([7_000n, 1_000n, 2_000n]);
      await expect(pay(f, "after"))
        .to.emit(f.inferenceRouter, "InferencePaid")
        .withArgs(
          2n,
          MODEL.datanet1,
          f.payer.address,
          requestId("after"),
          WP.fee,
          224n * 10n ** 15n,
          32n * 10n ** 15n,
          64n * 10n ** 15n,
          PLATFORM_FEE,
        );
      expect((await f.inferenceRouter.getInference(1n)).pool).to.equal(WP.pool);
    });

    it("setFeeSplit reverts with InferenceRouterInvalidSplit unless the split sums to 10,000", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      for (const [split, sum] of [
        [{ creatorBps: 4_000n, stakersBps: 2_000n, contributorsBps: 3_999n }, 9_999n],
        [{ creatorBps: 4_000n, stakersBps: 2_000n, contributorsBps: 4_001n }, 10_001n],
        [{ creatorBps: 0n, stakersBps: 0n, contributorsBps: 0n }, 0n],
        [{ creatorBps: 65_535n, stakersBps: 65_535n, contributorsBps: 65_535n }, 196_605n],
      ] as const) {
        await expect(f.inferenceRouter.connect(f.governance).setFeeSplit(split))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterInvalidSplit")
          .withArgs(sum);
      }
    });

    it("setFeeSplit accepts everything to one party", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await f.inferenceRouter
        .connect(f.governance)
        .setFeeSplit({ creatorBps: 0n, stakersBps: 0n, contributorsBps: 10_000n });
      await expect(pay(f, "all to contributors"))
        .to.emit(f.inferenceRouter, "InferencePaid")
        .withArgs(
          1n,
          MODEL.datanet1,
          f.payer.address,
          requestId("all to contributors"),
          WP.fee,
          0n,
          0n,
          WP.modelFee,
          PLATFORM_FEE,
        );
    });

    it("setAttributionThreshold accepts MAX_ATTRIBUTION_THRESHOLD and emits AttributionThresholdUpdated", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).setAttributionThreshold(MAX_ATTRIBUTION_THRESHOLD))
        .to.emit(f.inferenceRouter, "AttributionThresholdUpdated")
        .withArgs(THRESHOLD, MAX_ATTRIBUTION_THRESHOLD);
      expect(await f.inferenceRouter.attributionThreshold()).to.equal(MAX_ATTRIBUTION_THRESHOLD);
    });

    it("setAttributionThreshold reverts with InferenceRouterThresholdTooHigh above MAX_ATTRIBUTION_THRESHOLD", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).setAttributionThreshold(MAX_ATTRIBUTION_THRESHOLD + 1n))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterThresholdTooHigh")
        .withArgs(MAX_ATTRIBUTION_THRESHOLD + 1n, MAX_ATTRIBUTION_THRESHOLD);
    });

    it("setAttributionWindow accepts both bounds and emits AttributionWindowUpdated", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).setAttributionWindow(MIN_ATTRIBUTION_WINDOW))
        .to.emit(f.inferenceRouter, "AttributionWindowUpdated")
        .withArgs(WINDOW, MIN_ATTRIBUTION_WINDOW);
      await expect(f.inferenceRouter.connect(f.governance).setAttributionWindow(MAX_ATTRIBUTION_WINDOW))
        .to.emit(f.inferenceRouter, "AttributionWindowUpdated")
        .withArgs(MIN_ATTRIBUTION_WINDOW, MAX_ATTRIBUTION_WINDOW);
      expect(await f.inferenceRouter.attributionWindow()).to.equal(MAX_ATTRIBUTION_WINDOW);
    });

    it("setAttributionWindow reverts with InferenceRouterWindowOutOfBounds outside [MIN, MAX]", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      for (const window of [0n, MIN_ATTRIBUTION_WINDOW - 1n, MAX_ATTRIBUTION_WINDOW + 1n]) {
        await expect(f.inferenceRouter.connect(f.governance).setAttributionWindow(window))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterWindowOutOfBounds")
          .withArgs(window, MIN_ATTRIBUTION_WINDOW, MAX_ATTRIBUTION_WINDOW);
      }
    });

    it("setAttributionWindow does not move the window of inferences already pending", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await f.inferenceRouter.connect(f.governance).setAttributionWindow(MIN_ATTRIBUTION_WINDOW);
      await time.increaseTo(f.paidAt + MIN_ATTRIBUTION_WINDOW + 1n);
      await expect(f.inferenceRouter.expire(1n))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterWindowOpen")
        .withArgs(1n, f.closesAt);
      expect((await f.inferenceRouter.getInference(1n)).closesAt).to.equal(f.closesAt);
      await time.increaseTo(f.closesAt + 1n);
      await expect(f.inferenceRouter.expire(1n)).to.emit(f.inferenceRouter, "InferenceExpired").withArgs(1n, WP.pool);
    });

    it("claimTo the router itself reverts with InferenceRouterInvalidRecipient (the credits would be locked)", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const router = await f.inferenceRouter.getAddress();
      await expect(f.inferenceRouter.connect(f.carol).claimTo(router))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterInvalidRecipient")
        .withArgs(router);
    });

    it("setOracle reverts with InferenceRouterZeroAddress for the zero address", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).setOracle(ZeroAddress)).to.be.revertedWithCustomError(
        f.inferenceRouter,
        "InferenceRouterZeroAddress",
      );
    });

    it("setOracle emits OracleUpdated and reports are then checked against the new signer set", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const newOracle = await new AttributionOracle__factory(f.deployer).deploy(f.treasury, [f.stranger], 1n);
      await expect(f.inferenceRouter.connect(f.governance).setOracle(newOracle))
        .to.emit(f.inferenceRouter, "OracleUpdated")
        .withArgs(await f.attributionOracle.getAddress(), await newOracle.getAddress());
      const r = report(1n, [...QUARTERS.ids], [...QUARTERS.weights]);
      const old = await sign(f, r);
      await expect(f.inferenceRouter.settle(r, old))
        .to.be.revertedWithCustomError(newOracle, "AttributionOracleUnknownSigner")
        .withArgs(first(old).signer);
      await expect(settle(f, r, [f.stranger])).to.emit(f.inferenceRouter, "InferenceSettled");
    });

    it("setTreasury reverts with InferenceRouterZeroAddress for the zero address", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).setTreasury(ZeroAddress)).to.be.revertedWithCustomError(
        f.inferenceRouter,
        "InferenceRouterZeroAddress",
      );
    });

    it("setTreasury emits TreasuryUpdated", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).setTreasury(f.bob))
        .to.emit(f.inferenceRouter, "TreasuryUpdated")
        .withArgs(f.treasury, f.bob.address);
      expect(await f.inferenceRouter.treasury()).to.equal(f.bob.address);
    });

    it("setGuardian emits GuardianUpdated and hands the pause over to the new guardian", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).setGuardian(f.bob))
        .to.emit(f.inferenceRouter, "GuardianUpdated")
        .withArgs(f.guardian.address, f.bob.address);
      await expect(f.inferenceRouter.connect(f.guardian).pause())
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNotGuardian")
        .withArgs(f.guardian.address);
      await expect(f.inferenceRouter.connect(f.bob).pause()).to.emit(f.inferenceRouter, "Paused");
    });

    it("setGuardian to the zero address leaves only governance able to pause", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await f.inferenceRouter.connect(f.governance).setGuardian(ZeroAddress);
      expect(await f.inferenceRouter.guardian()).to.equal(ZeroAddress);
      await expect(f.inferenceRouter.connect(f.guardian).pause())
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNotGuardian")
        .withArgs(f.guardian.address);
      await expect(f.inferenceRouter.connect(f.governance).pause()).to.emit(f.inferenceRouter, "Paused");
    });

    it("transfers ownership in two steps", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await f.inferenceRouter.connect(f.governance).transferOwnership(f.bob);
      expect(await f.inferenceRouter.owner()).to.equal(f.treasury);
      await f.inferenceRouter.connect(f.bob).acceptOwnership();
      expect(await f.inferenceRouter.owner()).to.equal(f.bob.address);
    });
  });

  describe("conservation", () => {
    /** Who receives each contribution's attribution (CONTRIBUTION ids of inferenceFixture). */
    function contributorOf(f: F, contributionId: bigint): string {
      const byId: Record<string, HardhatEthersSigner> = {
        [CONTRIBUTION.dave.toString()]: f.dave,
        [CONTRIBUTION.erin.toString()]: f.erin,
        [CONTRIBUTION.frank.toString()]: f.frank,
        [CONTRIBUTION.grace.toString()]: f.grace,
        [CONTRIBUTION.otherDatanet.toString()]: f.erin,
      };
      return defined(byId[contributionId.toString()], `contributor of ${contributionId}`).address;
    }

    it("holds exactly Σ credits + Σ pending pools + treasuryOwed through a multi-step scenario", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      const router = f.inferenceRouter;
      const actors = [
        f.carol,
        f.dave,
        f.erin,
        f.frank,
        f.grace,
        f.heidi,
        f.payer,
        f.permitPayer,
        f.stranger,
        f.bob,
        f.alice,
      ];
      const routerAddress = await router.getAddress();

      // A ledger rebuilt from the events alone: expected credits and treasuryOwed, and each inference's parts.
      const credits = new Map<string, bigint>();
      let owed = 0n;
      const parts = new Map<
        bigint,
        { fee: bigint; creator: bigint; stakers: bigint; platform: bigint; pool: bigint; out: bigint }
      >();
      const credit = (account: string, amount: bigint) => credits.set(account, (credits.get(account) ?? 0n) + amount);

      async function step(tx: Promise<ContractTransactionResponse>) {
        const receipt = defined((await (await tx).wait()) ?? undefined, "receipt");
        for (const log of receipt.logs) {
          if (log.address !== routerAddress) {
            const parsed = f.stakedOpen.interface.parseLog(log);
            if (parsed?.name === "RewardNotified") {
              // The stakers' share really reached StakedOpen.
              const last = [...parts.values()].at(-1);
              expect(parsed.args[1]).to.equal(last?.stakers);
            }
            continue;
          }
          const event = router.interface.parseLog(log);
          if (event === null) continue;
          if (event.name === "InferencePaid") {
            const [inferenceId, , , , fee, creatorShare, stakersShare, pool, platformFee] =
              event.args as unknown as bigint[];
            const id = defined(inferenceId, "id");
            parts.set(id, {
              fee: defined(fee, "fee"),
              creator: defined(creatorShare, "creator"),
              stakers: defined(stakersShare, "stakers"),
              platform: defined(platformFee, "platform"),
              pool: defined(pool, "pool"),
              out: 0n,
            });
            credit(f.carol.address, defined(creatorShare, "creator"));
            owed += defined(platformFee, "platform");
          } else if (event.name === "InferenceSettled") {
            const inferenceId = event.args[0] as bigint;
            const ids = event.args[1] as bigint[];
            const amounts = event.args[2] as bigint[];
            const toTreasury = event.args[3] as bigint;
            const p = defined(parts.get(inferenceId), "inference parts");
            let distributed = 0n;
            ids.forEach((contributionId, i) => {
              const amount = defined(amounts[i], "amount");
              credit(contributorOf(f, contributionId), amount);
              distributed += amount;
            });
            owed += toTreasury;
            p.out = distributed + toTreasury;
          } else if (event.name === "InferenceExpired") {
            const inferenceId = event.args[0] as bigint;
            const pool = event.args[1] as bigint;
            owed += pool;
            defined(parts.get(inferenceId), "inference parts").out = pool;
          } else if (event.name === "Claimed") {
            credits.set(event.args[0] as string, 0n);
          } else if (event.name === "TreasurySwept") {
            owed = 0n;
          }
        }
        await expectRouterConserved(f.openToken, router, actors);
        for (const actor of actors) {
          expect(await router.creditOf(actor), `credit of ${actor.address}`).to.equal(credits.get(actor.address) ?? 0n);
        }
        expect(await router.treasuryOwed(), "treasuryOwed").to.equal(owed);
        for (const [inferenceId, p] of parts) {
          // creator + stakers + platform + pool == fee, and the pool, once resolved, is fully accounted for.
          expect(p.creator + p.stakers + p.platform + p.pool, `fee of inference ${inferenceId}`).to.equal(p.fee);
          const { status, pool } = await router.getInference(inferenceId);
          expect(pool).to.equal(p.pool);
          if (status !== InferenceStatus.Pending) expect(p.out, `pool of inference ${inferenceId}`).to.equal(p.pool);
        }
      }

      await step(pay(f, "1"));
      await step(pay(f, "2", MODEL.datanet1, { input: 1_234n, output: 567n }));
      await step(pay(f, "3", MODEL.datanet2, { input: 10n, output: 7n }));
      await step(settle(f, report(1n, [...QUARTERS.ids], [PERCENT / 2n, 33n * PERCENT, 33n * PERCENT, 33n * PERCENT])));
      await step(
        router.connect(f.governance).setFeeSplit({ creatorBps: 3_333n, stakersBps: 3_333n, contributorsBps: 3_334n }),
      );
      await step(router.connect(f.governance).setPlatformFee(7n));
      await f.openToken.connect(f.permitPayer).approve(router, MaxUint256);
      await step(pay(f, "4", MODEL.datanet1, { input: 999n, output: 1n }, f.permitPayer));
      const batch = [
        report(2n, [CONTRIBUTION.dave, CONTRIBUTION.erin, CONTRIBUTION.grace], [PERCENT, 7n * PERCENT, 13n * PERCENT]),
        report(3n, [CONTRIBUTION.otherDatanet], [PERCENT - 1n]),
      ];
      await step(router.settleBatch(batch, await signBatch(f.domain, batch, signers(f))));
      await step(router.connect(f.dave).claim());
      await time.increase(WINDOW + 1n);
      await step(pay(f, "5", MODEL.datanet2, { input: 3n, output: 3n }));
      await step(router.connect(f.stranger).expire(4n));
      await step(router.connect(f.carol).claimTo(f.bob));
      await step(router.connect(f.stranger).sweepToTreasury());
      await step(settle(f, report(5n, [CONTRIBUTION.otherDatanet], [WAD / 3n])));
      await step(router.connect(f.erin).claim());
      expect(parts.size).to.equal(5);
    });
  });

  describe("EIP-712 (sdk/eip712.ts is the single source)", () => {
    it("the SDK's type hashes equal the router's REPORT_TYPEHASH and BATCH_TYPEHASH", async () => {
      const { inferenceRouter } = await networkHelpers.loadFixture(baseFixture);
      expect(await inferenceRouter.REPORT_TYPEHASH()).to.equal(ATTRIBUTION_REPORT_TYPEHASH);
      expect(await inferenceRouter.BATCH_TYPEHASH()).to.equal(ATTRIBUTION_BATCH_TYPEHASH);
    });

    it("attributionDomain(chainId, router) equals the router's eip712Domain()", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      const [fields, name, version, chainId, verifyingContract, salt, extensions] =
        await f.inferenceRouter.eip712Domain();
      expect(fields).to.equal("0x0f");
      expect(salt).to.equal(ZeroHash);
      expect(extensions).to.deep.equal([]);
      expect({ name, version, chainId, verifyingContract }).to.deep.equal(
        attributionDomain(f.chainId, await f.inferenceRouter.getAddress()),
      );
    });

    it("the SDK's reportDigest equals the router's, for empty and full reports", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      for (const r of [
        report(0n, [], [], 0n),
        report(1n, [...QUARTERS.ids], [...QUARTERS.weights]),
        report(2n ** 255n, [MaxUint256], [1n], MaxUint256),
      ]) {
        expect(await f.inferenceRouter.reportDigest(r)).to.equal(reportDigest(f.domain, r));
      }
    });

    it("the SDK's batchDigest equals the router's", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      const reports = [
        report(1n, [...QUARTERS.ids], [...QUARTERS.weights]),
        report(2n, [], []),
        report(3n, [8n], [WAD], 5n),
      ];
      expect(await f.inferenceRouter.batchDigest(reports)).to.equal(batchDigest(f.domain, reports));
      expect(await f.inferenceRouter.batchDigest([])).to.equal(batchDigest(f.domain, []));
    });

    it("signReport's signatures recover to their signers", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      const r = report(1n, [...QUARTERS.ids], [...QUARTERS.weights], FAR_DEADLINE);
      for (const { signer, signature } of await sign(f, r, [...f.oracleSigners])) {
        expect(recoverReportSigner(f.domain, r, signature)).to.equal(signer);
      }
    });
  });
});
