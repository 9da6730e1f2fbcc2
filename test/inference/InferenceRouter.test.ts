import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import {
  MaxUint256,
  Signature,
  ZeroAddress,
  ZeroHash,
  concat,
  getBytes,
  hexlify,
  toBeHex,
  zeroPadValue,
  type ContractTransactionResponse,
  type Signer,
} from "ethers";
import { network } from "hardhat";

import {
  ATTRIBUTION_BATCH_TYPEHASH,
  ATTRIBUTION_DOMAIN_NAME,
  ATTRIBUTION_DOMAIN_VERSION,
  ATTRIBUTION_REPORT_TYPEHASH,
  attributionDomain,
  batchDigest,
  recoverBatchSigner,
  recoverReportSigner,
  reportDigest,
  signBatch,
  signReport,
  type AttributionReport,
  type SignerSignature,
} from "../../sdk/core/eip712.js";
import { TEST_INFERENCE_PARAMS, type Connection } from "../fixtures/protocol.js";
import {
  AttributionOracle__factory,
  InferenceRouter__factory,
  type InferenceRouter,
} from "../../types/ethers-contracts/index.js";
import { impersonate } from "../helpers/accounts.js";
import { DAY, HOUR, WAD, WEEK, defined, open } from "../helpers/constants.js";
import {
  CONTRIBUTION,
  DATANET_BOND,
  FAR_DEADLINE,
  InferenceStatus,
  MODEL,
  PERCENT,
  RATES,
  TEST_INDEX_COMMITMENT,
  decodeCredits,
  expectRouterConserved,
  inferenceFixture,
  inferenceIdOf,
  outputHashOf,
  packCredit,
  packCredits,
  report,
  requestId,
  testOutputHash,
  type InferenceFixture,
} from "../helpers/inference.js";
import { ModelState, contentHash } from "../helpers/registries.js";
import { shouldBehaveLikeGovernanceOnly } from "../helpers/shouldBehaveLikeGovernanceOnly.js";
import { shouldBehaveLikeProtocolAdmin } from "../helpers/shouldBehaveLikeProtocolAdmin.js";
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
const MAX_BATCH_REPORTS = 100n;
const MAX_BATCH_CONTRIBUTIONS = 500n;
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

/** The id of the inference `from` (the payer by default) pays under request `label`. */
function idOf(f: F, label: string, from: HardhatEthersSigner = f.payer): bigint {
  return inferenceIdOf(from.address, requestId(label));
}

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

async function settleBatch(
  f: F,
  reports: AttributionReport[],
  by: Signer[] = signers(f),
): Promise<ContractTransactionResponse> {
  return f.inferenceRouter.settleBatch(reports, await signBatch(f.domain, reports, by));
}

function first<T>(values: readonly T[]): T {
  return defined(values[0], "first element");
}

/**
 * The contributors' pool shared as the router does: weights under the threshold earn nothing; the others share
 * the pool in proportion; a forfeited contribution's share (its weight still in the denominator) goes to the
 * treasury with the rounding dust.
 */
function shares(
  pool: bigint,
  weights: readonly bigint[],
  options: { threshold?: bigint; forfeited?: readonly boolean[] } = {},
) {
  const threshold = options.threshold ?? THRESHOLD;
  const earns = (w: bigint) => w >= threshold && w !== 0n;
  const earning = weights.reduce((sum, w) => (earns(w) ? sum + w : sum), 0n);
  const raw = weights.map((w) => (earning !== 0n && earns(w) ? (pool * w) / earning : 0n));
  const amounts = raw.map((a, i) => (options.forfeited?.[i] === true ? 0n : a));
  const forfeitedAmounts = raw.map((a, i) => (options.forfeited?.[i] === true ? a : 0n));
  return { amounts, forfeitedAmounts, toTreasury: pool - amounts.reduce((a, b) => a + b, 0n) };
}

async function latest(): Promise<bigint> {
  return BigInt(await time.latest());
}

/** The block timestamp of a mined transaction. */
async function timestampOf(tx: Promise<ContractTransactionResponse> | ContractTransactionResponse): Promise<bigint> {
  const receipt = defined((await (await tx).wait()) ?? undefined, "receipt");
  return BigInt(defined((await receipt.getBlock()) ?? undefined, "block").timestamp);
}

/**
 * inferenceFixture plus three whitepaper-sized inferences by the payer: `one` and `two` of model 1, `three` of
 * model 2, paid before any pause (their windows close at paidAt + WINDOW on both clocks).
 */
async function paidFixture(conn: Connection) {
  const f = await inferenceFixture(conn);
  await pay(f, "one");
  await pay(f, "two");
  await pay(f, "three", MODEL.datanet2);
  const ids = { one: idOf(f, "one"), two: idOf(f, "two"), three: idOf(f, "three") };
  const paidAt = (await f.inferenceRouter.getInference(ids.one)).paidAt;
  return { ...f, ids, paidAt, closesAt: paidAt + WINDOW };
}

type P = Awaited<ReturnType<typeof paidFixture>>;

async function baseFixture(conn: Connection) {
  return inferenceFixture(conn);
}

/** paidFixture with `one` settled by the whitepaper report: dave, erin, frank and grace hold 0.032 OPEN. */
async function settledFixture(conn: Connection) {
  const f = await paidFixture(conn);
  await settle(f, report(f.ids.one, [...QUARTERS.ids], [...QUARTERS.weights]));
  return f;
}

/** The whitepaper report for `inferenceId`. */
const wp = (inferenceId: bigint) => report(inferenceId, [...QUARTERS.ids], [...QUARTERS.weights]);

/**
 * `data` (ABI-encoded settle or settleBatch calldata) with the head of the report of `inferenceId` patched: `patch`
 * receives the byte offset of that report's head and the bytes, and rewrites words in place. Reports are found by
 * their inference id, a hash that appears once.
 */
function patchReport(data: string, inferenceId: bigint, patch: (head: number, bytes: Uint8Array) => void): string {
  const bytes = getBytes(data);
  const needle = toBeHex(inferenceId, 32);
  let head = -1;
  for (let at = 4; at + 32 <= bytes.length; at += 32) {
    if (hexlify(bytes.slice(at, at + 32)) === needle) {
      head = at;
      break;
    }
  }
  if (head < 0) throw new Error(`no report of inference ${inferenceId} in the calldata`);
  patch(head, bytes);
  return hexlify(bytes);
}

function readWord(bytes: Uint8Array, at: number): bigint {
  return BigInt(hexlify(bytes.slice(at, at + 32)));
}

function writeWord(bytes: Uint8Array, at: number, value: bigint): void {
  bytes.set(getBytes(zeroPadValue(toBeHex(value), 32)), at);
}

describe("InferenceRouter", () => {
  describe("deployment", () => {
    async function deployArgs() {
      const f = await networkHelpers.loadFixture(baseFixture);
      const dependencies = {
        open: await f.openToken.getAddress(),
        modelRegistry: await f.modelRegistry.getAddress(),
        datanetRegistry: await f.datanetRegistry.getAddress(),
        stakedOpen: await f.stakedOpen.getAddress(),
        oracle: await f.attributionOracle.getAddress(),
      };
      const admin = { governance: f.treasury, treasury: f.treasury, guardian: ZeroAddress };
      const parameters = {
        platformFee: PLATFORM_FEE,
        ...SPLIT,
        attributionThreshold: THRESHOLD,
        attributionWindow: WINDOW,
      };
      return { f, factory: new InferenceRouter__factory(f.deployer), dependencies, admin, parameters };
    }

    it("is configured by the Inference module with the test parameters", async () => {
      const { inferenceRouter, attributionOracle, treasury, guardian } = await networkHelpers.loadFixture(baseFixture);
      expect(await inferenceRouter.owner()).to.equal(treasury);
      expect(await inferenceRouter.pendingOwner()).to.equal(ZeroAddress);
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
      expect([...(await inferenceRouter.parameters())]).to.deep.equal([
        PLATFORM_FEE,
        SPLIT.creatorBps,
        SPLIT.stakersBps,
        SPLIT.contributorsBps,
        THRESHOLD,
        WINDOW,
      ]);
      expect(await inferenceRouter.treasuryOwed()).to.equal(0n);
      expect(await inferenceRouter.stakersOwed()).to.equal(0n);
      expect(await inferenceRouter.paused()).to.equal(false);
      expect(await inferenceRouter.pausedSeconds()).to.equal(0n);
    });

    it("publishes its bounds", async () => {
      const { inferenceRouter } = await networkHelpers.loadFixture(baseFixture);
      expect(await inferenceRouter.MAX_CONTRIBUTIONS()).to.equal(MAX_CONTRIBUTIONS);
      expect(await inferenceRouter.MAX_BATCH_REPORTS()).to.equal(MAX_BATCH_REPORTS);
      expect(await inferenceRouter.MAX_BATCH_CONTRIBUTIONS()).to.equal(MAX_BATCH_CONTRIBUTIONS);
      expect(await inferenceRouter.MAX_PLATFORM_FEE()).to.equal(MAX_PLATFORM_FEE);
      expect(await inferenceRouter.MAX_ATTRIBUTION_THRESHOLD()).to.equal(MAX_ATTRIBUTION_THRESHOLD);
      expect(await inferenceRouter.MIN_ATTRIBUTION_WINDOW()).to.equal(MIN_ATTRIBUTION_WINDOW);
      expect(await inferenceRouter.MAX_ATTRIBUTION_WINDOW()).to.equal(MAX_ATTRIBUTION_WINDOW);
    });

    it("lets StakedOpen pull released stakers' shares (an unlimited allowance set at construction)", async () => {
      const { inferenceRouter, openToken, stakedOpen } = await networkHelpers.loadFixture(baseFixture);
      expect(await openToken.allowance(inferenceRouter, stakedOpen)).to.equal(MaxUint256);
    });

    for (const name of ["open", "modelRegistry", "datanetRegistry", "stakedOpen", "oracle"] as const) {
      it(`reverts with InferenceRouterZeroAddress when the dependency ${name} is the zero address`, async () => {
        const { factory, dependencies, admin, parameters } = await deployArgs();
        await expect(
          factory.deploy({ ...dependencies, [name]: ZeroAddress }, admin, parameters),
        ).to.be.revertedWithCustomError(factory, "InferenceRouterZeroAddress");
      });
    }

    it("reverts with ProtocolAdminZeroAddress when the treasury is the zero address", async () => {
      const { factory, dependencies, admin, parameters } = await deployArgs();
      await expect(
        factory.deploy(dependencies, { ...admin, treasury: ZeroAddress }, parameters),
      ).to.be.revertedWithCustomError(factory, "ProtocolAdminZeroAddress");
    });

    it("reverts with OwnableInvalidOwner when governance is the zero address", async () => {
      const { factory, dependencies, admin, parameters } = await deployArgs();
      await expect(factory.deploy(dependencies, { ...admin, governance: ZeroAddress }, parameters))
        .to.be.revertedWithCustomError(factory, "OwnableInvalidOwner")
        .withArgs(ZeroAddress);
    });

    it("checks the initial parameters like the setters", async () => {
      const { factory, dependencies, admin, parameters } = await deployArgs();
      const deploy = (p: Partial<typeof parameters>) => factory.deploy(dependencies, admin, { ...parameters, ...p });
      await expect(deploy({ platformFee: MAX_PLATFORM_FEE + 1n }))
        .to.be.revertedWithCustomError(factory, "InferenceRouterPlatformFeeTooHigh")
        .withArgs(MAX_PLATFORM_FEE + 1n, MAX_PLATFORM_FEE);
      await expect(deploy({ contributorsBps: 3_999n }))
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
    it("emits InferencePaid with the whitepaper split to the wei, under the id derived from payer and request", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(pay(f, "wp"))
        .to.emit(f.inferenceRouter, "InferencePaid")
        .withArgs(
          idOf(f, "wp"),
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

    it("keeps the whole fee in the router: the stakers' share accrues, nothing is pushed to StakedOpen", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      const tx = pay(f, "wp");
      await expect(tx).to.changeTokenBalances(
        ethers,
        f.openToken,
        [f.payer, f.inferenceRouter, f.stakedOpen, f.treasury],
        [-WP.fee, WP.fee, 0n, 0n],
      );
      await expect(tx).not.to.emit(f.stakedOpen, "RewardNotified");
      expect(await f.inferenceRouter.stakersOwed()).to.equal(WP.stakers);
    });

    it("credits the creator, owes the platform fee to the treasury and holds the pool as Pending", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      const paidAt = await timestampOf(pay(f, "wp"));
      expect(await f.inferenceRouter.creditOf(f.carol)).to.equal(WP.creator);
      expect(await f.inferenceRouter.treasuryOwed()).to.equal(PLATFORM_FEE);
      const inference = await f.inferenceRouter.getInference(idOf(f, "wp"));
      expect(inference.modelId).to.equal(MODEL.datanet1);
      expect(inference.paidAt).to.equal(paidAt);
      expect(inference.closesAt).to.equal(paidAt + WINDOW);
      expect(inference.status).to.equal(InferenceStatus.Pending);
      expect(inference.pool).to.equal(WP.pool);
      expect(await f.inferenceRouter.closingTime(idOf(f, "wp"))).to.equal(paidAt + WINDOW);
      await expectRouterConserved(f);
    });

    it("derives the inference id as keccak256(abi.encode(payer, requestId)), for any request id", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      for (const request of [requestId("x"), ZeroHash, "0x" + "ff".repeat(32)]) {
        expect(await f.inferenceRouter.inferenceIdOf(f.payer, request)).to.equal(
          inferenceIdOf(f.payer.address, request),
        );
      }
      await f.inferenceRouter.connect(f.payer).payInference(MODEL.datanet1, 1n, 1n, ZeroHash, MaxUint256);
      expect((await f.inferenceRouter.getInference(inferenceIdOf(f.payer.address, ZeroHash))).status).to.equal(
        InferenceStatus.Pending,
      );
    });

    it("does not let an attacker who pays first with the victim's request id block the victim's payment", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      // The attacker (permitPayer) sees the victim's request id in the mempool and pays it first.
      await f.openToken.connect(f.permitPayer).approve(f.inferenceRouter, MaxUint256);
      const attackers = idOf(f, "victim's request", f.permitPayer);
      await expect(pay(f, "victim's request", MODEL.datanet1, WP, f.permitPayer))
        .to.emit(f.inferenceRouter, "InferencePaid")
        .withArgs(
          attackers,
          MODEL.datanet1,
          f.permitPayer.address,
          requestId("victim's request"),
          WP.fee,
          WP.creator,
          WP.stakers,
          WP.pool,
          PLATFORM_FEE,
        );
      // The victim's payment goes through, as another inference, with the victim's own terms.
      const victims = idOf(f, "victim's request");
      expect(victims).to.not.equal(attackers);
      await expect(pay(f, "victim's request"))
        .to.emit(f.inferenceRouter, "InferencePaid")
        .withArgs(
          victims,
          MODEL.datanet1,
          f.payer.address,
          requestId("victim's request"),
          WP.fee,
          WP.creator,
          WP.stakers,
          WP.pool,
          PLATFORM_FEE,
        );
      expect((await f.inferenceRouter.getInference(victims)).status).to.equal(InferenceStatus.Pending);
      expect((await f.inferenceRouter.getInference(attackers)).status).to.equal(InferenceStatus.Pending);
    });

    it("reverts with InferenceRouterDuplicateRequest when the same payer pays the same request id twice", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await pay(f, "a");
      await pay(f, "b");
      await expect(pay(f, "a", MODEL.datanet2))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterDuplicateRequest")
        .withArgs(f.payer.address, requestId("a"), idOf(f, "a"));
    });

    it("reverts with InferenceRouterDuplicateRequest for a request id whose inference was settled or expired", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await settle(f, wp(f.ids.one));
      await time.increaseTo(f.closesAt + 1n);
      await f.inferenceRouter.expire(f.ids.two);
      for (const label of ["one", "two"]) {
        await expect(pay(f, label))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterDuplicateRequest")
          .withArgs(f.payer.address, requestId(label), idOf(f, label));
      }
    });

    it("gives the pool the rounding remainder of the split", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await f.modelRegistry.connect(f.carol).setRates(MODEL.datanet1, { inputRate: 7_000n, outputRate: 0n });
      // Model fee 7 wei: creator ⌊2.8⌋ = 2, stakers ⌊1.4⌋ = 1, pool 7 − 2 − 1 = 4.
      await expect(pay(f, "odd", MODEL.datanet1, { input: 1n, output: 0n }))
        .to.emit(f.inferenceRouter, "InferencePaid")
        .withArgs(
          idOf(f, "odd"),
          MODEL.datanet1,
          f.payer.address,
          requestId("odd"),
          7n + PLATFORM_FEE,
          2n,
          1n,
          4n,
          PLATFORM_FEE,
        );
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

    it("owes nothing to the stakers when their share is zero", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await f.inferenceRouter
        .connect(f.governance)
        .setFeeSplit({ creatorBps: 5_000n, stakersBps: 0n, contributorsBps: 5_000n });
      await expect(pay(f, "x"))
        .to.emit(f.inferenceRouter, "InferencePaid")
        .withArgs(
          idOf(f, "x"),
          MODEL.datanet1,
          f.payer.address,
          requestId("x"),
          WP.fee,
          WP.modelFee / 2n,
          0n,
          WP.modelFee / 2n,
          PLATFORM_FEE,
        );
      expect(await f.inferenceRouter.stakersOwed()).to.equal(0n);
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
        [f.permitPayer, f.inferenceRouter],
        [-WP.fee, WP.fee],
      );
      await expect(tx)
        .to.emit(f.inferenceRouter, "InferencePaid")
        .withArgs(
          idOf(f, "permit", f.permitPayer),
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
      // Signed by permitPayer, submitted by a stranger: the permit is for another owner and fails.
      await expect(
        f.inferenceRouter
          .connect(f.stranger)
          .payInferenceWithPermit(MODEL.datanet1, WP.input, WP.output, requestId("permit"), WP.fee, deadline, v, r, s),
      )
        .to.be.revertedWithCustomError(f.openToken, "ERC20InsufficientAllowance")
        .withArgs(await f.inferenceRouter.getAddress(), 0n, WP.fee);
    });
  });

  describe("releaseStakerRewards", () => {
    it("sends the stakers' shares paid so far to StakedOpen's next reward period, for anyone", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const owed = 3n * WP.stakers;
      expect(await f.inferenceRouter.stakersOwed()).to.equal(owed);
      const tx = f.inferenceRouter.connect(f.stranger).releaseStakerRewards();
      await expect(tx).to.changeTokenBalances(ethers, f.openToken, [f.inferenceRouter, f.stakedOpen], [-owed, owed]);
      await expect(tx).to.emit(f.inferenceRouter, "StakerRewardsReleased").withArgs(owed);
      await expect(tx).to.emit(f.stakedOpen, "RewardNotified");
      expect(await f.inferenceRouter.stakersOwed()).to.equal(0n);
      const [, , queued] = await f.stakedOpen.rewardStream();
      expect(queued).to.equal(owed);
      await expectRouterConserved(f);
    });

    it("returns the amount released", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      expect(await f.inferenceRouter.releaseStakerRewards.staticCall()).to.equal(3n * WP.stakers);
    });

    it("reverts with InferenceRouterNothingToRelease when nothing is owed to the stakers", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await f.inferenceRouter.releaseStakerRewards();
      await expect(f.inferenceRouter.releaseStakerRewards()).to.be.revertedWithCustomError(
        f.inferenceRouter,
        "InferenceRouterNothingToRelease",
      );
    });
  });

  // The router keeps its pause clock in its parameters slot (not ProtocolAdmin's): the shared behaviour holds there too.
  shouldBehaveLikeProtocolAdmin(async () => {
    const f = await networkHelpers.loadFixture(paidFixture);
    return { ...f, contract: f.inferenceRouter, strangers: [f.stranger, f.bob, f.deployer], time };
  }, [
    { name: "payInference", call: (f) => pay(f, "during the pause") },
    { name: "settle", call: (f) => settle(f, wp(f.ids.one)) },
    { name: "settleBatch", call: (f) => settleBatch(f, [wp(f.ids.two)]) },
  ]);

  describe("pause and the active clock", () => {
    it("lets the guardian pause: payments and settlement revert with ProtocolAdminPaused", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await expect(f.inferenceRouter.connect(f.guardian).pause())
        .to.emit(f.inferenceRouter, "Paused")
        .withArgs(f.guardian.address);
      expect(await f.inferenceRouter.paused()).to.equal(true);
      await expect(pay(f, "paused")).to.be.revertedWithCustomError(f.inferenceRouter, "ProtocolAdminPaused");
      const deadline = (await latest()) + HOUR;
      const { v, r, s } = await signOwnPermit(
        f.openToken,
        f.permitPayer,
        await f.inferenceRouter.getAddress(),
        WP.fee,
        deadline,
      );
      await expect(
        f.inferenceRouter
          .connect(f.permitPayer)
          .payInferenceWithPermit(MODEL.datanet1, WP.input, WP.output, requestId("p"), WP.fee, deadline, v, r, s),
      ).to.be.revertedWithCustomError(f.inferenceRouter, "ProtocolAdminPaused");
      await expect(settle(f, wp(f.ids.one))).to.be.revertedWithCustomError(f.inferenceRouter, "ProtocolAdminPaused");
      await expect(settleBatch(f, [wp(f.ids.one)])).to.be.revertedWithCustomError(
        f.inferenceRouter,
        "ProtocolAdminPaused",
      );
    });

    it("lets governance pause; a second pause reverts with ProtocolAdminPaused", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).pause())
        .to.emit(f.inferenceRouter, "Paused")
        .withArgs(f.treasury);
      await expect(f.inferenceRouter.connect(f.guardian).pause()).to.be.revertedWithCustomError(
        f.inferenceRouter,
        "ProtocolAdminPaused",
      );
    });

    shouldBehaveLikeGovernanceOnly<InferenceRouter>(
      async () => {
        const f = await networkHelpers.loadFixture(baseFixture);
        return { contract: f.inferenceRouter, callers: [f.carol, f.payer, f.deployer, first(signers(f))] };
      },
      [{ name: "pause", call: (c, caller) => c.connect(caller).pause() }],
      { name: "ProtocolAdminNotGuardian", args: (caller) => [caller] },
    );

    it("does not let the guardian unpause; governance does, with the pause's length, and payments resume", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      const pausedAt = await timestampOf(f.inferenceRouter.connect(f.guardian).pause());
      await expect(f.inferenceRouter.connect(f.guardian).unpause())
        .to.be.revertedWithCustomError(f.inferenceRouter, "OwnableUnauthorizedAccount")
        .withArgs(f.guardian.address);
      await time.setNextBlockTimestamp(pausedAt + DAY);
      await expect(f.inferenceRouter.connect(f.governance).unpause())
        .to.emit(f.inferenceRouter, "Unpaused")
        .withArgs(f.treasury, DAY);
      expect(await f.inferenceRouter.pausedSeconds()).to.equal(DAY);
      await expect(pay(f, "resumed")).to.emit(f.inferenceRouter, "InferencePaid");
    });

    it("reverts with ProtocolAdminNotPaused when unpausing a running router", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).unpause()).to.be.revertedWithCustomError(
        f.inferenceRouter,
        "ProtocolAdminNotPaused",
      );
    });

    it("stops the active clock while paused and adds every pause to pausedSeconds", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      const first_ = await timestampOf(f.inferenceRouter.connect(f.guardian).pause());
      await time.increaseTo(first_ + DAY - 1n);
      expect(await f.inferenceRouter.activeTime()).to.equal(first_);
      await time.setNextBlockTimestamp(first_ + DAY);
      await f.inferenceRouter.connect(f.governance).unpause();
      await time.setNextBlockTimestamp(first_ + 2n * DAY);
      await f.inferenceRouter.connect(f.guardian).pause();
      await time.setNextBlockTimestamp(first_ + 2n * DAY + HOUR);
      await f.inferenceRouter.connect(f.governance).unpause();
      expect(await f.inferenceRouter.pausedSeconds()).to.equal(DAY + HOUR);
      await time.increase(HOUR);
      expect(await f.inferenceRouter.activeTime()).to.equal((await latest()) - DAY - HOUR);
    });

    describe("a pause never forfeits a pending pool", () => {
      /** paidFixture, two days into the window: paused, 30 days (longer than the window) pass, unpaused. */
      async function longPauseFixture(conn: Connection) {
        const f = await paidFixture(conn);
        await time.setNextBlockTimestamp(f.paidAt + 2n * DAY);
        const pausedAt = await timestampOf(f.inferenceRouter.connect(f.guardian).pause());
        const pausedFor = 30n * DAY;
        expect(pausedFor).to.be.greaterThan(WINDOW);
        await time.setNextBlockTimestamp(pausedAt + pausedFor);
        await f.inferenceRouter.connect(f.governance).unpause();
        return { ...f, pausedAt, pausedFor, shiftedClose: f.closesAt + pausedFor };
      }

      it("refuses to expire an inference during the pause, long after its window would have closed in Unix time", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        await time.setNextBlockTimestamp(f.paidAt + 2n * DAY);
        await f.inferenceRouter.connect(f.guardian).pause();
        await time.increaseTo(f.closesAt + 20n * DAY);
        // The active clock stood still two days into the window: five days remain.
        await expect(f.inferenceRouter.connect(f.stranger).expire(f.ids.one))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterWindowOpen")
          .withArgs(f.ids.one, f.closesAt);
        expect(await f.inferenceRouter.closingTime(f.ids.one)).to.equal(
          f.closesAt + (await latest()) - (f.paidAt + 2n * DAY),
        );
      });

      it("moves the window's Unix closing time by the pause, keeping its active-clock close", async () => {
        const f = await networkHelpers.loadFixture(longPauseFixture);
        expect(await f.inferenceRouter.pausedSeconds()).to.equal(f.pausedFor);
        for (const id of [f.ids.one, f.ids.two, f.ids.three]) {
          const { paidAt, closesAt } = await f.inferenceRouter.getInference(id);
          expect(closesAt).to.equal(paidAt + WINDOW);
          expect(await f.inferenceRouter.closingTime(id)).to.equal(closesAt + f.pausedFor);
        }
      });

      it("settles the pending inference at the last second of its whole remaining window after the pause", async () => {
        const f = await networkHelpers.loadFixture(longPauseFixture);
        const r = wp(f.ids.one);
        const signatures = await sign(f, r);
        await time.setNextBlockTimestamp(f.shiftedClose);
        await expect(f.inferenceRouter.settle(r, signatures))
          .to.emit(f.inferenceRouter, "InferenceSettled")
          .withArgs(
            f.ids.one,
            r.outputHash,
            r.indexCommitment,
            0n,
            packCredits(
              r.contributionIds,
              QUARTERS.ids.map(() => WP.quarter),
            ),
          );
      });

      it("closes the window one active second later: settle reverts with InferenceRouterWindowClosed", async () => {
        const f = await networkHelpers.loadFixture(longPauseFixture);
        const r = wp(f.ids.one);
        const signatures = await sign(f, r);
        await time.setNextBlockTimestamp(f.shiftedClose + 1n);
        await expect(f.inferenceRouter.settle(r, signatures))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterWindowClosed")
          .withArgs(f.ids.one, f.closesAt);
      });

      it("expires the inference only after the shifted closing time", async () => {
        const f = await networkHelpers.loadFixture(longPauseFixture);
        await time.setNextBlockTimestamp(f.shiftedClose);
        await expect(f.inferenceRouter.expire(f.ids.one))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterWindowOpen")
          .withArgs(f.ids.one, f.closesAt);
        await time.setNextBlockTimestamp(f.shiftedClose + 1n);
        await expect(f.inferenceRouter.expire(f.ids.one))
          .to.emit(f.inferenceRouter, "InferenceExpired")
          .withArgs(f.ids.one, WP.pool);
      });

      it("gives inferences paid after the pause a window on the active clock", async () => {
        const f = await networkHelpers.loadFixture(longPauseFixture);
        const paidAt = await timestampOf(pay(f, "after the pause"));
        const inference = await f.inferenceRouter.getInference(idOf(f, "after the pause"));
        expect(inference.paidAt).to.equal(paidAt);
        expect(inference.closesAt).to.equal(paidAt - f.pausedFor + WINDOW);
        expect(await f.inferenceRouter.closingTime(idOf(f, "after the pause"))).to.equal(paidAt + WINDOW);
      });

      it("lets anyone expire, during a pause, an inference whose window had closed before it", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        await time.setNextBlockTimestamp(f.closesAt + 1n);
        await f.inferenceRouter.connect(f.guardian).pause();
        await time.increase(DAY);
        await expect(f.inferenceRouter.connect(f.stranger).expire(f.ids.one))
          .to.emit(f.inferenceRouter, "InferenceExpired")
          .withArgs(f.ids.one, WP.pool);
        await expectRouterConserved(f);
      });

      it("refuses to expire, during a pause that began at its last open second, an inference still in its window", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        await time.setNextBlockTimestamp(f.closesAt);
        await f.inferenceRouter.connect(f.guardian).pause();
        await time.increase(WEEK);
        await expect(f.inferenceRouter.expire(f.ids.one))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterWindowOpen")
          .withArgs(f.ids.one, f.closesAt);
      });
    });

    it("never pauses claims, claimTo, sweeps or releases", async () => {
      const f = await networkHelpers.loadFixture(settledFixture);
      await f.inferenceRouter.connect(f.guardian).pause();
      await expect(f.inferenceRouter.connect(f.dave).claim()).to.emit(f.inferenceRouter, "Claimed");
      await expect(f.inferenceRouter.connect(f.carol).claimTo(f.bob)).to.emit(f.inferenceRouter, "Claimed");
      await expect(f.inferenceRouter.connect(f.stranger).sweepToTreasury()).to.emit(f.inferenceRouter, "TreasurySwept");
      await expect(f.inferenceRouter.connect(f.stranger).releaseStakerRewards()).to.emit(
        f.inferenceRouter,
        "StakerRewardsReleased",
      );
      await expectRouterConserved(f);
    });
  });

  describe("settle", () => {
    it("caches a model's datanets at its first settlement: 16 of them, read back for later reports and batches", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      // Datanets 3…17 (bob's), and a model on datanets 2…17: ModelRegistry.MAX_DATANETS of them.
      for (let d = 3; d <= 17; d++)
        await f.datanetRegistry.connect(f.bob).createDatanet(`ipfs://wide/${d}`, DATANET_BOND);
      const datanetIds = Array.from({ length: 16 }, (_, i) => BigInt(i + 2));
      expect(BigInt(datanetIds.length)).to.equal(await f.modelRegistry.MAX_DATANETS());
      await f.datanetRegistry.connect(f.erin).contribute(17n, contentHash("erin 17"), "ipfs://e17", 1n, DATANET_BOND);
      const last = await f.datanetRegistry.contributionCount();
      await f.datanetRegistry.connect(f.bob).review(last, true);
      const models = f.modelRegistry.connect(f.carol);
      await models.proposeModel("ipfs://model/wide.json", datanetIds, RATES, await f.modelRegistry.proposalBond());
      const wide = await f.modelRegistry.modelCount();
      await f.modelRegistry.connect(f.governance).approveModel(wide);
      await models.registerArtifact(wide, contentHash("wide weights"), "ipfs://weights/wide", 0n);
      await models.activateModel(wide);
      for (const label of ["wide a", "wide b", "wide c"]) await pay(f, label, wide);
      const half = 50n * PERCENT;
      // The first settlement reads the registry and caches the list; the contributions are in its first and last
      // datanets (2 and 17).
      await expect(settle(f, report(idOf(f, "wide a"), [CONTRIBUTION.otherDatanet, last], [half, half]))).to.emit(
        f.inferenceRouter,
        "InferenceSettled",
      );
      // From the cache: a contribution of datanet 1 is not the model's.
      await expect(settle(f, report(idOf(f, "wide b"), [CONTRIBUTION.dave], [100n * PERCENT])))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterInvalidContribution")
        .withArgs(idOf(f, "wide b"), CONTRIBUTION.dave);
      // A batch reads the cache too.
      await expect(
        settleBatch(f, [
          report(idOf(f, "wide b"), [last], [100n * PERCENT]),
          report(idOf(f, "wide c"), [CONTRIBUTION.otherDatanet], [100n * PERCENT]),
        ]),
      ).to.emit(f.inferenceRouter, "InferenceSettled");
      for (const label of ["wide a", "wide b", "wide c"]) {
        expect((await f.inferenceRouter.getInference(idOf(f, label))).status).to.equal(InferenceStatus.Settled);
      }
    });

    it("credits 0.032 OPEN to each of four contributions weighted 25% (the whitepaper example)", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp(f.ids.one);
      await expect(settle(f, r))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(
          f.ids.one,
          testOutputHash(f.ids.one),
          TEST_INDEX_COMMITMENT,
          0n,
          packCredits(r.contributionIds, [WP.quarter, WP.quarter, WP.quarter, WP.quarter]),
        );
      for (const contributor of [f.dave, f.erin, f.frank, f.grace]) {
        expect(await f.inferenceRouter.creditOf(contributor)).to.equal(WP.quarter);
      }
      expect(WP.quarter).to.equal(32n * 10n ** 15n);
      expect((await f.inferenceRouter.getInference(f.ids.one)).status).to.equal(InferenceStatus.Settled);
      // Three platform fees, no dust.
      expect(await f.inferenceRouter.treasuryOwed()).to.equal(3n * PLATFORM_FEE);
      await expectRouterConserved(f);
    });

    it("moves no OPEN: settlement only turns the pool into credits", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await expect(settle(f, wp(f.ids.one))).to.changeTokenBalances(
        ethers,
        f.openToken,
        [f.inferenceRouter, f.dave, f.treasury],
        [0n, 0n, 0n],
      );
    });

    it("can be submitted by anyone holding the signed report", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp(f.ids.one);
      await expect(f.inferenceRouter.connect(f.stranger).settle(r, await sign(f, r))).to.emit(
        f.inferenceRouter,
        "InferenceSettled",
      );
    });

    it("accepts more than threshold valid signatures", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await expect(settle(f, wp(f.ids.one), [...f.oracleSigners])).to.emit(f.inferenceRouter, "InferenceSettled");
    });

    it("renormalises over the weights at or above the threshold, dust to treasuryOwed", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      // 0.5% is under the 1% threshold; the eligible 60% share the whole pool as 30:20:10.
      const weights = [PERCENT / 2n, 30n * PERCENT, 20n * PERCENT, 10n * PERCENT];
      const r = report(f.ids.one, [...QUARTERS.ids], weights);
      const expected = shares(WP.pool, weights);
      expect(expected.amounts).to.deep.equal([0n, WP.pool / 2n, 42_666_666_666_666_666n, 21_333_333_333_333_333n]);
      expect(expected.toTreasury).to.equal(1n);
      const owedBefore = await f.inferenceRouter.treasuryOwed();
      await expect(settle(f, r))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(f.ids.one, r.outputHash, r.indexCommitment, 1n, packCredits(r.contributionIds, expected.amounts));
      expect(await f.inferenceRouter.creditOf(f.dave)).to.equal(0n);
      expect(await f.inferenceRouter.creditOf(f.erin)).to.equal(WP.pool / 2n);
      expect(await f.inferenceRouter.creditOf(f.frank)).to.equal(42_666_666_666_666_666n);
      expect(await f.inferenceRouter.creditOf(f.grace)).to.equal(21_333_333_333_333_333n);
      expect(await f.inferenceRouter.treasuryOwed()).to.equal(owedBefore + 1n);
    });

    it("counts a weight exactly at the threshold and ignores one a wei below", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = report(
        f.ids.one,
        [CONTRIBUTION.dave, CONTRIBUTION.erin, CONTRIBUTION.frank],
        [THRESHOLD, THRESHOLD - 1n, 3n * THRESHOLD],
      );
      await expect(settle(f, r))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(
          f.ids.one,
          r.outputHash,
          r.indexCommitment,
          0n,
          packCredits(r.contributionIds, [WP.pool / 4n, 0n, (3n * WP.pool) / 4n]),
        );
    });

    it("shares the whole pool even when the weights sum to less than 100%", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = report(f.ids.one, [CONTRIBUTION.dave, CONTRIBUTION.grace], [20n * PERCENT, 20n * PERCENT]);
      await expect(settle(f, r))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(
          f.ids.one,
          r.outputHash,
          r.indexCommitment,
          0n,
          packCredits(r.contributionIds, [WP.pool / 2n, WP.pool / 2n]),
        );
    });

    it("accepts weights summing to exactly 100%", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = report(f.ids.one, [CONTRIBUTION.dave, CONTRIBUTION.erin], [WAD - 1n, 1n]);
      await expect(settle(f, r))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(f.ids.one, r.outputHash, r.indexCommitment, 0n, packCredits(r.contributionIds, [WP.pool, 0n]));
    });

    it("sends the whole pool to treasuryOwed when no weight reaches the threshold", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = report(f.ids.one, [CONTRIBUTION.dave, CONTRIBUTION.erin], [PERCENT / 2n, PERCENT - 1n]);
      const owedBefore = await f.inferenceRouter.treasuryOwed();
      await expect(settle(f, r))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(f.ids.one, r.outputHash, r.indexCommitment, WP.pool, packCredits(r.contributionIds, [0n, 0n]));
      expect(await f.inferenceRouter.treasuryOwed()).to.equal(owedBefore + WP.pool);
      expect(await f.inferenceRouter.creditOf(f.dave)).to.equal(0n);
    });

    it("sends the whole pool to treasuryOwed for a report naming no contribution", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = report(f.ids.one, [], []);
      await expect(settle(f, r))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(f.ids.one, r.outputHash, r.indexCommitment, WP.pool, []);
      expect((await f.inferenceRouter.getInference(f.ids.one)).status).to.equal(InferenceStatus.Settled);
    });

    it("uses the attribution threshold in force at settlement", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await f.inferenceRouter.connect(f.governance).setAttributionThreshold(30n * PERCENT);
      const r = report(f.ids.one, [...QUARTERS.ids], [10n * PERCENT, 20n * PERCENT, 30n * PERCENT, 40n * PERCENT]);
      await expect(settle(f, r))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(
          f.ids.one,
          r.outputHash,
          r.indexCommitment,
          1n,
          packCredits(r.contributionIds, [0n, 0n, (WP.pool * 3n) / 7n, (WP.pool * 4n) / 7n]),
        );
    });

    it("gives nothing to a zero weight even with a zero threshold", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await f.inferenceRouter.connect(f.governance).setAttributionThreshold(0n);
      const r = report(f.ids.one, [CONTRIBUTION.dave, CONTRIBUTION.erin], [0n, 1n]);
      await expect(settle(f, r))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(f.ids.one, r.outputHash, r.indexCommitment, 0n, packCredits(r.contributionIds, [0n, WP.pool]));
    });

    it("accepts a report at its deadline", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const deadline = (await latest()) + HOUR;
      const r = report(f.ids.one, [...QUARTERS.ids], [...QUARTERS.weights], deadline);
      const signatures = await sign(f, r);
      await time.setNextBlockTimestamp(deadline);
      await expect(f.inferenceRouter.settle(r, signatures)).to.emit(f.inferenceRouter, "InferenceSettled");
    });

    it("reverts with InferenceRouterReportExpired after the report's deadline", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const deadline = (await latest()) + HOUR;
      const r = report(f.ids.one, [...QUARTERS.ids], [...QUARTERS.weights], deadline);
      const signatures = await sign(f, r);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(f.inferenceRouter.settle(r, signatures))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterReportExpired")
        .withArgs(f.ids.one, deadline);
    });

    it("settles at the last second of the attribution window", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp(f.ids.one);
      const signatures = await sign(f, r);
      await time.setNextBlockTimestamp(f.closesAt);
      await expect(f.inferenceRouter.settle(r, signatures)).to.emit(f.inferenceRouter, "InferenceSettled");
    });

    it("reverts with InferenceRouterWindowClosed after the attribution window", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp(f.ids.one);
      const signatures = await sign(f, r);
      await time.setNextBlockTimestamp(f.closesAt + 1n);
      await expect(f.inferenceRouter.settle(r, signatures))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterWindowClosed")
        .withArgs(f.ids.one, f.closesAt);
    });

    it("reverts with InferenceRouterUnknownInference for an inference never paid", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const unknown = idOf(f, "never paid");
      await expect(settle(f, report(unknown, [], [])))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterUnknownInference")
        .withArgs(unknown);
    });

    it("reverts with InferenceRouterNotPending (Expired) for an expired inference", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp(f.ids.one);
      const signatures = await sign(f, r);
      await time.increaseTo(f.closesAt + 1n);
      await f.inferenceRouter.expire(f.ids.one);
      await expect(f.inferenceRouter.settle(r, signatures))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNotPending")
        .withArgs(f.ids.one, InferenceStatus.Expired);
    });

    it("reverts with InferenceRouterNotPending (Settled) for a second report of a settled inference", async () => {
      const f = await networkHelpers.loadFixture(settledFixture);
      await expect(settle(f, report(f.ids.one, [CONTRIBUTION.dave], [WAD])))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNotPending")
        .withArgs(f.ids.one, InferenceStatus.Settled);
    });

    it("settles an inference of a model suspended since payment, against the model's datanets", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await f.modelRegistry.connect(f.governance).suspendModel(MODEL.datanet1);
      await expect(settle(f, wp(f.ids.one))).to.emit(f.inferenceRouter, "InferenceSettled");
    });

    it("settles a report naming MAX_CONTRIBUTIONS contributions", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const extra: bigint[] = [];
      for (let i = 0; i < 60; i++) {
        await f.datanetRegistry.connect(f.dave).contribute(1n, contentHash(`bulk ${i}`), "", 1n, MaxUint256);
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
      const r = report(
        f.ids.one,
        ids,
        ids.map(() => weight),
      );
      await expect(settle(f, r))
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(
          f.ids.one,
          r.outputHash,
          r.indexCommitment,
          0n,
          packCredits(
            ids,
            ids.map(() => each),
          ),
        );
      expect(await f.inferenceRouter.creditOf(f.dave)).to.equal(61n * each);
    });

    describe("a contribution penalized since it was accepted", () => {
      it("forfeits its share to the treasury; its weight stays in the denominator, the others are credited exactly", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        const ids = [CONTRIBUTION.dave, CONTRIBUTION.erin, CONTRIBUTION.penalized];
        const weights = [30n * PERCENT, 20n * PERCENT, 30n * PERCENT];
        const r = report(f.ids.one, ids, weights);
        const expected = shares(WP.pool, weights, { forfeited: [false, false, true] });
        // 0.128 × 30/80 = 0.048 and 0.128 × 20/80 = 0.032: not inflated to 30/50 and 20/50.
        expect(expected.amounts).to.deep.equal([48n * 10n ** 15n, 32n * 10n ** 15n, 0n]);
        const owedBefore = await f.inferenceRouter.treasuryOwed();
        const tx = settle(f, r);
        await expect(tx)
          .to.emit(f.inferenceRouter, "ContributionForfeited")
          .withArgs(f.ids.one, CONTRIBUTION.penalized, 48n * 10n ** 15n);
        await expect(tx)
          .to.emit(f.inferenceRouter, "InferenceSettled")
          .withArgs(f.ids.one, r.outputHash, r.indexCommitment, 48n * 10n ** 15n, packCredits(ids, expected.amounts));
        expect(await f.inferenceRouter.creditOf(f.dave)).to.equal(48n * 10n ** 15n);
        expect(await f.inferenceRouter.creditOf(f.erin)).to.equal(32n * 10n ** 15n);
        expect(await f.inferenceRouter.creditOf(f.heidi)).to.equal(0n);
        expect(await f.inferenceRouter.treasuryOwed()).to.equal(owedBefore + 48n * 10n ** 15n);
        await expectRouterConserved(f);
      });

      it("settles a report signed before the contribution was penalized, forfeiting only that share", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        const r = wp(f.ids.one);
        const signatures = await sign(f, r);
        // A curator penalizes grace's contribution between signing and settlement.
        await f.datanetRegistry.connect(f.bob).penalize(CONTRIBUTION.grace, "found adversarial");
        const tx = f.inferenceRouter.settle(r, signatures);
        await expect(tx)
          .to.emit(f.inferenceRouter, "ContributionForfeited")
          .withArgs(f.ids.one, CONTRIBUTION.grace, WP.quarter);
        await expect(tx)
          .to.emit(f.inferenceRouter, "InferenceSettled")
          .withArgs(
            f.ids.one,
            r.outputHash,
            r.indexCommitment,
            WP.quarter,
            packCredits(r.contributionIds, [WP.quarter, WP.quarter, WP.quarter, 0n]),
          );
        expect(await f.inferenceRouter.creditOf(f.grace)).to.equal(0n);
        expect(await f.inferenceRouter.creditOf(f.frank)).to.equal(WP.quarter);
      });

      it("forfeits nothing when its weight is under the threshold (it would have earned nothing)", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        const r = report(f.ids.one, [CONTRIBUTION.dave, CONTRIBUTION.penalized], [50n * PERCENT, THRESHOLD - 1n]);
        const tx = settle(f, r);
        await expect(tx).not.to.emit(f.inferenceRouter, "ContributionForfeited");
        await expect(tx)
          .to.emit(f.inferenceRouter, "InferenceSettled")
          .withArgs(f.ids.one, r.outputHash, r.indexCommitment, 0n, packCredits(r.contributionIds, [WP.pool, 0n]));
      });

      it("sends the whole pool to the treasury when every earning weight is forfeited", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        const r = report(f.ids.one, [CONTRIBUTION.penalized], [WAD]);
        await expect(settle(f, r))
          .to.emit(f.inferenceRouter, "InferenceSettled")
          .withArgs(f.ids.one, r.outputHash, r.indexCommitment, WP.pool, [packCredit(CONTRIBUTION.penalized, 0n)]);
      });
    });

    describe("malformed and invalid reports", () => {
      const invalid: [string, bigint[], bigint][] = [
        [
          "a contribution from a datanet the model does not use",
          [CONTRIBUTION.dave, CONTRIBUTION.otherDatanet],
          CONTRIBUTION.otherDatanet,
        ],
        ["a rejected contribution", [CONTRIBUTION.dave, CONTRIBUTION.rejected], CONTRIBUTION.rejected],
        ["a pending contribution", [CONTRIBUTION.dave, CONTRIBUTION.pending], CONTRIBUTION.pending],
        ["an unknown contribution id", [CONTRIBUTION.dave, 999n], 999n],
        ["contribution id 0", [0n, CONTRIBUTION.dave], 0n],
        [
          "a contribution id of 2^64 or more",
          [CONTRIBUTION.dave, 2n ** 64n + CONTRIBUTION.erin],
          2n ** 64n + CONTRIBUTION.erin,
        ],
        ["a duplicated contribution id", [CONTRIBUTION.dave, CONTRIBUTION.dave], CONTRIBUTION.dave],
        ["unsorted contribution ids", [CONTRIBUTION.erin, CONTRIBUTION.dave], CONTRIBUTION.dave],
      ];
      for (const [what, ids, offending] of invalid) {
        it(`reverts with InferenceRouterInvalidContribution for ${what}`, async () => {
          const f = await networkHelpers.loadFixture(paidFixture);
          await expect(settle(f, report(f.ids.one, ids, [10n * PERCENT, 10n * PERCENT])))
            .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterInvalidContribution")
            .withArgs(f.ids.one, offending);
        });
      }

      it("reverts for an invalid contribution even with a zero weight", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        await expect(settle(f, report(f.ids.one, [CONTRIBUTION.dave, CONTRIBUTION.rejected], [WAD - 1n, 0n])))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterInvalidContribution")
          .withArgs(f.ids.one, CONTRIBUTION.rejected);
      });

      it("reverts with InferenceRouterWeightsExceedWad for weights summing above 100%", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        await expect(
          settle(f, report(f.ids.one, [CONTRIBUTION.dave, CONTRIBUTION.erin], [60n * PERCENT, 40n * PERCENT + 1n])),
        )
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterWeightsExceedWad")
          .withArgs(f.ids.one, WAD + 1n);
      });

      it("reverts with InferenceRouterWeightsExceedWad naming a single weight above 100%, before any sum overflows", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        await expect(settle(f, report(f.ids.one, [CONTRIBUTION.dave, CONTRIBUTION.erin], [MaxUint256, 2n])))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterWeightsExceedWad")
          .withArgs(f.ids.one, MaxUint256);
      });

      it("reverts with InferenceRouterLengthMismatch for ids and weights of different lengths", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        await expect(settle(f, report(f.ids.one, [CONTRIBUTION.dave, CONTRIBUTION.erin], [WAD])))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterLengthMismatch")
          .withArgs(2n, 1n);
      });

      it("reverts with InferenceRouterTooManyContributions above MAX_CONTRIBUTIONS", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        const ids = Array.from({ length: Number(MAX_CONTRIBUTIONS) + 1 }, (_, i) => BigInt(i + 1));
        await expect(
          settle(
            f,
            report(
              f.ids.one,
              ids,
              ids.map(() => PERCENT),
            ),
          ),
        )
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterTooManyContributions")
          .withArgs(MAX_CONTRIBUTIONS + 1n, MAX_CONTRIBUTIONS);
      });

      /** Sends settle(wp(one)) with valid signatures after patching the report's encoding. */
      async function settleMalformed(f: P, patch: (head: number, bytes: Uint8Array) => void) {
        const r = wp(f.ids.one);
        const data = f.inferenceRouter.interface.encodeFunctionData("settle", [r, await sign(f, r)]);
        return f.stranger.sendTransaction({ to: f.inferenceRouter, data: patchReport(data, f.ids.one, patch) });
      }

      it("reverts with InferenceRouterMalformedReport for an array offset of 2^64 or more", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        await expect(settleMalformed(f, (head, bytes) => writeWord(bytes, head + 0x60, 2n ** 64n)))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterMalformedReport")
          .withArgs(f.ids.one);
        await expect(settleMalformed(f, (head, bytes) => writeWord(bytes, head + 0x80, MaxUint256)))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterMalformedReport")
          .withArgs(f.ids.one);
      });

      it("reverts with InferenceRouterMalformedReport for an array whose length lies outside the calldata", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        // Before the fix this read the missing length as 0 and reverted with InferenceRouterLengthMismatch(0, 4).
        await expect(settleMalformed(f, (head, bytes) => writeWord(bytes, head + 0x60, BigInt(bytes.length))))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterMalformedReport")
          .withArgs(f.ids.one);
      });

      it("reverts with InferenceRouterMalformedReport for arrays whose elements run past the calldata", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        await expect(
          settleMalformed(f, (head, bytes) => {
            for (const field of [0x60, 0x80])
              writeWord(bytes, head + Number(readWord(bytes, head + field)), MAX_CONTRIBUTIONS);
          }),
        )
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterMalformedReport")
          .withArgs(f.ids.one);
      });
    });
  });

  describe("settleBatch", () => {
    it("settles several inferences of two models under one signature set, crediting exactly", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const reports = [
        wp(f.ids.one),
        report(f.ids.three, [CONTRIBUTION.otherDatanet], [WAD]),
        report(f.ids.two, [CONTRIBUTION.dave, CONTRIBUTION.frank], [10n * PERCENT, 30n * PERCENT]),
      ];
      const tx = settleBatch(f, reports);
      await expect(tx)
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(
          f.ids.one,
          testOutputHash(f.ids.one),
          TEST_INDEX_COMMITMENT,
          0n,
          packCredits(
            QUARTERS.ids,
            QUARTERS.ids.map(() => WP.quarter),
          ),
        );
      await expect(tx)
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(f.ids.three, testOutputHash(f.ids.three), TEST_INDEX_COMMITMENT, 0n, [
          packCredit(CONTRIBUTION.otherDatanet, WP.pool),
        ]);
      await expect(tx)
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(
          f.ids.two,
          testOutputHash(f.ids.two),
          TEST_INDEX_COMMITMENT,
          0n,
          packCredits([CONTRIBUTION.dave, CONTRIBUTION.frank], [WP.pool / 4n, (3n * WP.pool) / 4n]),
        );
      expect(await f.inferenceRouter.creditOf(f.dave)).to.equal(WP.quarter + WP.pool / 4n);
      expect(await f.inferenceRouter.creditOf(f.erin)).to.equal(WP.quarter + WP.pool);
      expect(await f.inferenceRouter.creditOf(f.frank)).to.equal(WP.quarter + (3n * WP.pool) / 4n);
      expect(await f.inferenceRouter.creditOf(f.grace)).to.equal(WP.quarter);
      for (const id of Object.values(f.ids)) {
        expect((await f.inferenceRouter.getInference(id)).status).to.equal(InferenceStatus.Settled);
      }
      await expectRouterConserved(f);
    });

    it("checks each report against its own model's datanets when the batch switches models, in either order", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      // Contribution dave (datanet 1) is valid for `one` (model 1), not for `three` (model 2): the record cached
      // for model 1 is not reused for model 2.
      for (const reports of [
        [report(f.ids.one, [CONTRIBUTION.dave], [WAD]), report(f.ids.three, [CONTRIBUTION.dave], [WAD])],
        [report(f.ids.three, [CONTRIBUTION.dave], [WAD]), report(f.ids.one, [CONTRIBUTION.dave], [WAD])],
      ]) {
        await expect(settleBatch(f, reports))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterInvalidContribution")
          .withArgs(f.ids.three, CONTRIBUTION.dave);
      }
    });

    it("credits a contribution named by several reports each time", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await expect(
        settleBatch(f, [report(f.ids.one, [CONTRIBUTION.dave], [WAD]), report(f.ids.two, [CONTRIBUTION.dave], [WAD])]),
      )
        .to.emit(f.inferenceRouter, "InferenceSettled")
        .withArgs(f.ids.two, testOutputHash(f.ids.two), TEST_INDEX_COMMITMENT, 0n, [
          packCredit(CONTRIBUTION.dave, WP.pool),
        ]);
      expect(await f.inferenceRouter.creditOf(f.dave)).to.equal(2n * WP.pool);
    });

    describe("one contribution cannot hold a batch hostage", () => {
      it("settles a batch signed before a curator penalized one of its contributions; only that share is forfeited", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        const reports = [
          wp(f.ids.one),
          report(f.ids.two, [CONTRIBUTION.dave, CONTRIBUTION.grace], [50n * PERCENT, 50n * PERCENT]),
          report(f.ids.three, [CONTRIBUTION.otherDatanet], [WAD]),
        ];
        const signatures = await signBatch(f.domain, reports, signers(f));
        // Datanet creation is permissionless: the curator penalizes grace's contribution just before the batch lands.
        await f.datanetRegistry.connect(f.bob).penalize(CONTRIBUTION.grace, "hostage");
        const owedBefore = await f.inferenceRouter.treasuryOwed();
        const tx = f.inferenceRouter.settleBatch(reports, signatures);
        await expect(tx)
          .to.emit(f.inferenceRouter, "ContributionForfeited")
          .withArgs(f.ids.one, CONTRIBUTION.grace, WP.quarter);
        await expect(tx)
          .to.emit(f.inferenceRouter, "ContributionForfeited")
          .withArgs(f.ids.two, CONTRIBUTION.grace, WP.pool / 2n);
        await expect(tx)
          .to.emit(f.inferenceRouter, "InferenceSettled")
          .withArgs(
            f.ids.one,
            testOutputHash(f.ids.one),
            TEST_INDEX_COMMITMENT,
            WP.quarter,
            packCredits(QUARTERS.ids, [WP.quarter, WP.quarter, WP.quarter, 0n]),
          );
        await expect(tx)
          .to.emit(f.inferenceRouter, "InferenceSettled")
          .withArgs(
            f.ids.two,
            testOutputHash(f.ids.two),
            TEST_INDEX_COMMITMENT,
            WP.pool / 2n,
            packCredits([CONTRIBUTION.dave, CONTRIBUTION.grace], [WP.pool / 2n, 0n]),
          );
        await expect(tx)
          .to.emit(f.inferenceRouter, "InferenceSettled")
          .withArgs(f.ids.three, testOutputHash(f.ids.three), TEST_INDEX_COMMITMENT, 0n, [
            packCredit(CONTRIBUTION.otherDatanet, WP.pool),
          ]);
        expect(await f.inferenceRouter.creditOf(f.dave)).to.equal(WP.quarter + WP.pool / 2n);
        expect(await f.inferenceRouter.creditOf(f.erin)).to.equal(WP.quarter + WP.pool);
        expect(await f.inferenceRouter.creditOf(f.frank)).to.equal(WP.quarter);
        expect(await f.inferenceRouter.creditOf(f.grace)).to.equal(0n);
        expect(await f.inferenceRouter.treasuryOwed()).to.equal(owedBefore + WP.quarter + WP.pool / 2n);
        const swept = await f.inferenceRouter.sweepToTreasury.staticCall();
        expect(swept).to.equal(owedBefore + WP.quarter + WP.pool / 2n);
        await expectRouterConserved(f);
      });

      it("still reverts the whole batch for an unknown contribution, and settles nothing", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        const reports = [wp(f.ids.one), report(f.ids.two, [CONTRIBUTION.dave, 999n], [50n * PERCENT, 50n * PERCENT])];
        await expect(settleBatch(f, reports))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterInvalidContribution")
          .withArgs(f.ids.two, 999n);
        expect((await f.inferenceRouter.getInference(f.ids.one)).status).to.equal(InferenceStatus.Pending);
        expect(await f.inferenceRouter.creditOf(f.dave)).to.equal(0n);
      });

      it("still reverts the whole batch for a contribution of another datanet", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        const reports = [wp(f.ids.one), report(f.ids.two, [CONTRIBUTION.otherDatanet], [WAD])];
        await expect(settleBatch(f, reports))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterInvalidContribution")
          .withArgs(f.ids.two, CONTRIBUTION.otherDatanet);
      });

      it("still reverts the whole batch for a malformed report", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        const reports = [wp(f.ids.one), wp(f.ids.two)];
        const data = f.inferenceRouter.interface.encodeFunctionData("settleBatch", [
          reports,
          await signBatch(f.domain, reports, signers(f)),
        ]);
        const patched = patchReport(data, f.ids.two, (head, bytes) => writeWord(bytes, head + 0x60, 2n ** 64n));
        await expect(f.stranger.sendTransaction({ to: f.inferenceRouter, data: patched }))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterMalformedReport")
          .withArgs(f.ids.two);
        expect((await f.inferenceRouter.getInference(f.ids.one)).status).to.equal(InferenceStatus.Pending);
      });

      it("still reverts the whole batch for an inference never paid", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        const unknown = idOf(f, "never paid");
        await expect(settleBatch(f, [wp(f.ids.one), report(unknown, [], [])]))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterUnknownInference")
          .withArgs(unknown);
      });
    });

    describe("reports that can no longer settle are skipped", () => {
      /**
       * paidFixture after: `one` settled, the windows of all three closed, `two` expired, and `four` paid (model 1,
       * in its window): `one` is Settled, `two` Expired, `three` Pending past its window, `four` Pending.
       */
      async function mixedFixture(conn: Connection) {
        const f = await paidFixture(conn);
        await settle(f, wp(f.ids.one));
        await time.increaseTo(f.closesAt + 1n);
        await f.inferenceRouter.expire(f.ids.two);
        await pay(f, "four");
        return { ...f, four: idOf(f, "four") };
      }

      it("skips Settled, Expired and window-closed inferences with ReportSkipped and settles the rest", async () => {
        const f = await networkHelpers.loadFixture(mixedFixture);
        const reports = [
          wp(f.ids.one),
          wp(f.ids.two),
          report(f.ids.three, [CONTRIBUTION.otherDatanet], [WAD]),
          report(f.four, [CONTRIBUTION.erin], [WAD]),
        ];
        const creditsBefore = await f.inferenceRouter.creditOf(f.dave);
        const owedBefore = await f.inferenceRouter.treasuryOwed();
        const tx = settleBatch(f, reports);
        await expect(tx).to.emit(f.inferenceRouter, "ReportSkipped").withArgs(f.ids.one, InferenceStatus.Settled);
        await expect(tx).to.emit(f.inferenceRouter, "ReportSkipped").withArgs(f.ids.two, InferenceStatus.Expired);
        await expect(tx).to.emit(f.inferenceRouter, "ReportSkipped").withArgs(f.ids.three, InferenceStatus.Pending);
        await expect(tx)
          .to.emit(f.inferenceRouter, "InferenceSettled")
          .withArgs(f.four, testOutputHash(f.four), TEST_INDEX_COMMITMENT, 0n, [
            packCredit(CONTRIBUTION.erin, WP.pool),
          ]);
        // The skipped reports moved nothing: `one` keeps its first settlement, `three` can still expire.
        expect(await f.inferenceRouter.creditOf(f.dave)).to.equal(creditsBefore);
        expect(await f.inferenceRouter.treasuryOwed()).to.equal(owedBefore);
        expect((await f.inferenceRouter.getInference(f.ids.three)).status).to.equal(InferenceStatus.Pending);
        await expect(f.inferenceRouter.expire(f.ids.three)).to.emit(f.inferenceRouter, "InferenceExpired");
        await expectRouterConserved(f);
      });

      it("settles a batch of only skipped reports, changing nothing", async () => {
        const f = await networkHelpers.loadFixture(mixedFixture);
        const tx = settleBatch(f, [wp(f.ids.one), wp(f.ids.two)]);
        await expect(tx).to.emit(f.inferenceRouter, "ReportSkipped");
        await expect(tx).not.to.emit(f.inferenceRouter, "InferenceSettled");
      });

      it("skips the second report of an inference named twice in one batch", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        const tx = settleBatch(f, [
          report(f.ids.one, [CONTRIBUTION.dave], [WAD]),
          report(f.ids.one, [CONTRIBUTION.erin], [WAD]),
        ]);
        await expect(tx).to.emit(f.inferenceRouter, "ReportSkipped").withArgs(f.ids.one, InferenceStatus.Settled);
        await tx;
        expect(await f.inferenceRouter.creditOf(f.dave)).to.equal(WP.pool);
        expect(await f.inferenceRouter.creditOf(f.erin)).to.equal(0n);
      });

      it("still verifies the signatures over every report, skipped ones included", async () => {
        const f = await networkHelpers.loadFixture(mixedFixture);
        const signed = [wp(f.ids.one), report(f.four, [CONTRIBUTION.erin], [WAD])];
        const signatures = await signBatch(f.domain, signed, signers(f));
        const tampered = [report(f.ids.one, [CONTRIBUTION.erin], [WAD]), defined(signed[1], "report")];
        await expect(f.inferenceRouter.settleBatch(tampered, signatures))
          .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleInvalidSignature")
          .withArgs(first(signatures).signer);
      });
    });

    describe("bounds", () => {
      it("reverts with InferenceRouterInvalidBatchSize for an empty batch", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        await expect(f.inferenceRouter.settleBatch([], []))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterInvalidBatchSize")
          .withArgs(0n, MAX_BATCH_REPORTS);
      });

      it("reverts with InferenceRouterInvalidBatchSize for MAX_BATCH_REPORTS + 1 reports", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        const reports = Array.from({ length: Number(MAX_BATCH_REPORTS) + 1 }, () => report(f.ids.one, [], []));
        await expect(f.inferenceRouter.settleBatch(reports, []))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterInvalidBatchSize")
          .withArgs(MAX_BATCH_REPORTS + 1n, MAX_BATCH_REPORTS);
      });

      /** Reports of settled inference `one` (skipped, so their ids are not checked) naming `total` contributions. */
      function skippedReports(f: P, total: number): AttributionReport[] {
        const reports: AttributionReport[] = [];
        for (let left = total; left > 0; left -= Number(MAX_CONTRIBUTIONS)) {
          const ids = Array.from({ length: Math.min(left, Number(MAX_CONTRIBUTIONS)) }, (_, i) => BigInt(i + 1));
          reports.push(
            report(
              f.ids.one,
              ids,
              ids.map(() => 0n),
            ),
          );
        }
        return reports;
      }

      it("reverts with InferenceRouterBatchTooLarge for MAX_BATCH_CONTRIBUTIONS + 1 contributions, as a whole", async () => {
        const f = await networkHelpers.loadFixture(settledFixture);
        await expect(f.inferenceRouter.settleBatch(skippedReports(f, Number(MAX_BATCH_CONTRIBUTIONS) + 1), []))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterBatchTooLarge")
          .withArgs(MAX_BATCH_CONTRIBUTIONS + 1n, MAX_BATCH_CONTRIBUTIONS);
        // At the bound, the batch gets past it to the signature check.
        await expect(f.inferenceRouter.settleBatch(skippedReports(f, Number(MAX_BATCH_CONTRIBUTIONS)), []))
          .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleTooFewSignatures")
          .withArgs(0n, TEST_INFERENCE_PARAMS.oracleThreshold);
      });

      it("counts a change of model between reports as work: one model fills the bound exactly", async () => {
        const f = await networkHelpers.loadFixture(settledFixture);
        await pay(f, "another of model 1");
        const reports = [
          report(f.ids.two, [CONTRIBUTION.dave], [WAD]),
          report(idOf(f, "another of model 1"), [CONTRIBUTION.erin], [WAD]),
          ...skippedReports(f, Number(MAX_BATCH_CONTRIBUTIONS) - 2),
        ];
        await expect(settleBatch(f, reports)).to.emit(f.inferenceRouter, "InferenceSettled");
      });

      it("counts a change of model between reports as work: two models exceed the bound by the change", async () => {
        const f = await networkHelpers.loadFixture(settledFixture);
        // `two` and `three` are of models 1 and 2, one datanet each: the change counts 1 + 1 / 8 = 1.
        const reports = [
          report(f.ids.two, [CONTRIBUTION.dave], [WAD]),
          report(f.ids.three, [CONTRIBUTION.otherDatanet], [WAD]),
          ...skippedReports(f, Number(MAX_BATCH_CONTRIBUTIONS) - 2),
        ];
        await expect(settleBatch(f, reports))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterBatchTooLarge")
          .withArgs(MAX_BATCH_CONTRIBUTIONS + 1n, MAX_BATCH_CONTRIBUTIONS);
      });
    });
  });

  describe("expire", () => {
    it("reverts with InferenceRouterWindowOpen until the window has closed", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await time.setNextBlockTimestamp(f.closesAt);
      await expect(f.inferenceRouter.expire(f.ids.one))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterWindowOpen")
        .withArgs(f.ids.one, f.closesAt);
    });

    it("sends the pool to treasuryOwed after the window, for anyone, emitting InferenceExpired", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const owedBefore = await f.inferenceRouter.treasuryOwed();
      await time.setNextBlockTimestamp(f.closesAt + 1n);
      const tx = f.inferenceRouter.connect(f.stranger).expire(f.ids.one);
      await expect(tx).to.emit(f.inferenceRouter, "InferenceExpired").withArgs(f.ids.one, WP.pool);
      await expect(tx).to.changeTokenBalances(ethers, f.openToken, [f.inferenceRouter], [0n]);
      expect(await f.inferenceRouter.treasuryOwed()).to.equal(owedBefore + WP.pool);
      expect((await f.inferenceRouter.getInference(f.ids.one)).status).to.equal(InferenceStatus.Expired);
      await expectRouterConserved(f);
    });

    it("reverts with InferenceRouterNotPending for a settled or already expired inference", async () => {
      const f = await networkHelpers.loadFixture(settledFixture);
      await time.increaseTo(f.closesAt + 1n);
      await expect(f.inferenceRouter.expire(f.ids.one))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNotPending")
        .withArgs(f.ids.one, InferenceStatus.Settled);
      await f.inferenceRouter.expire(f.ids.two);
      await expect(f.inferenceRouter.expire(f.ids.two))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNotPending")
        .withArgs(f.ids.two, InferenceStatus.Expired);
    });

    it("reverts with InferenceRouterUnknownInference for id 0 and for an id never paid, as do the views", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      for (const inferenceId of [0n, idOf(f, "never paid"), idOf(f, "one", f.stranger)]) {
        await expect(f.inferenceRouter.expire(inferenceId))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterUnknownInference")
          .withArgs(inferenceId);
        await expect(f.inferenceRouter.getInference(inferenceId))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterUnknownInference")
          .withArgs(inferenceId);
        await expect(f.inferenceRouter.closingTime(inferenceId))
          .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterUnknownInference")
          .withArgs(inferenceId);
      }
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

    it("claimTo the timelock (the treasury, which can spend) is accepted", async () => {
      const f = await networkHelpers.loadFixture(settledFixture);
      await expect(f.inferenceRouter.connect(f.erin).claimTo(f.treasury))
        .to.emit(f.inferenceRouter, "Claimed")
        .withArgs(f.erin.address, f.treasury, WP.quarter);
    });

    it("claimTo reverts with ProtocolAdminZeroAddress for the zero address", async () => {
      const f = await networkHelpers.loadFixture(settledFixture);
      await expect(f.inferenceRouter.connect(f.erin).claimTo(ZeroAddress)).to.be.revertedWithCustomError(
        f.inferenceRouter,
        "ProtocolAdminZeroAddress",
      );
    });

    for (const name of [
      "inferenceRouter",
      "openToken",
      "stakedOpen",
      "datanetRegistry",
      "modelRegistry",
      "attributionOracle",
    ] as const) {
      it(`claimTo reverts with ProtocolAdminInvalidRecipient for ${name}, which could not pay it out`, async () => {
        const f = await networkHelpers.loadFixture(settledFixture);
        const recipient = await f[name].getAddress();
        await expect(f.inferenceRouter.connect(f.carol).claimTo(recipient))
          .to.be.revertedWithCustomError(f.inferenceRouter, "ProtocolAdminInvalidRecipient")
          .withArgs(recipient);
      });
    }

    it("claimTo refuses the oracle governance set in place of the deployed one", async () => {
      const f = await networkHelpers.loadFixture(settledFixture);
      const replacement = await new AttributionOracle__factory(f.deployer).deploy(f.treasury, [f.stranger], 1n);
      await f.inferenceRouter.connect(f.governance).setOracle(replacement);
      await expect(f.inferenceRouter.connect(f.carol).claimTo(replacement))
        .to.be.revertedWithCustomError(f.inferenceRouter, "ProtocolAdminInvalidRecipient")
        .withArgs(await replacement.getAddress());
    });

    it("claim reverts with InferenceRouterNothingToClaim without credits, and credits cannot be claimed twice", async () => {
      const f = await networkHelpers.loadFixture(settledFixture);
      await expect(f.inferenceRouter.connect(f.stranger).claim())
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNothingToClaim")
        .withArgs(f.stranger.address);
      await f.inferenceRouter.connect(f.dave).claim();
      await expect(f.inferenceRouter.connect(f.dave).claim())
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNothingToClaim")
        .withArgs(f.dave.address);
      await expect(f.inferenceRouter.connect(f.dave).claimTo(f.stranger))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNothingToClaim")
        .withArgs(f.dave.address);
    });

    it("sweepToTreasury reverts with InferenceRouterNothingToSweep when nothing is owed", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.sweepToTreasury()).to.be.revertedWithCustomError(
        f.inferenceRouter,
        "InferenceRouterNothingToSweep",
      );
    });

    it("sweepToTreasury sends platform fees, dust, forfeited shares and expired pools to the timelock, for anyone", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      // `one` leaves 1 wei of dust, `two` forfeits half its pool, `three` and a fourth inference expire.
      await settle(
        f,
        report(f.ids.one, [...QUARTERS.ids], [PERCENT / 2n, 30n * PERCENT, 20n * PERCENT, 10n * PERCENT]),
      );
      await settle(f, report(f.ids.two, [CONTRIBUTION.dave, CONTRIBUTION.penalized], [50n * PERCENT, 50n * PERCENT]));
      await pay(f, "four");
      await time.increaseTo((await f.inferenceRouter.closingTime(idOf(f, "four"))) + 1n);
      await f.inferenceRouter.expire(idOf(f, "four"));
      await f.inferenceRouter.expire(f.ids.three);
      const owed = 4n * PLATFORM_FEE + 1n + WP.pool / 2n + 2n * WP.pool;
      expect(await f.inferenceRouter.treasuryOwed()).to.equal(owed);
      const tx = f.inferenceRouter.connect(f.stranger).sweepToTreasury();
      await expect(tx).to.changeTokenBalances(ethers, f.openToken, [f.inferenceRouter, f.treasury], [-owed, owed]);
      await expect(tx).to.emit(f.inferenceRouter, "TreasurySwept").withArgs(f.treasury, owed);
      expect(await f.inferenceRouter.treasuryOwed()).to.equal(0n);
      await expectRouterConserved(f);
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

    it("renounceOwnership reverts with GovernanceRenounceDisabled even for governance", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).renounceOwnership()).to.be.revertedWithCustomError(
        f.inferenceRouter,
        "GovernanceRenounceDisabled",
      );
    });

    it("transfers ownership in two steps: nothing changes until the new owner accepts", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).transferOwnership(f.bob))
        .to.emit(f.inferenceRouter, "OwnershipTransferStarted")
        .withArgs(f.treasury, f.bob.address);
      expect(await f.inferenceRouter.owner()).to.equal(f.treasury);
      expect(await f.inferenceRouter.pendingOwner()).to.equal(f.bob.address);
      await expect(f.inferenceRouter.connect(f.bob).setPlatformFee(0n))
        .to.be.revertedWithCustomError(f.inferenceRouter, "OwnableUnauthorizedAccount")
        .withArgs(f.bob.address);
      await expect(f.inferenceRouter.connect(f.stranger).acceptOwnership())
        .to.be.revertedWithCustomError(f.inferenceRouter, "OwnableUnauthorizedAccount")
        .withArgs(f.stranger.address);
      await expect(f.inferenceRouter.connect(f.bob).acceptOwnership())
        .to.emit(f.inferenceRouter, "OwnershipTransferred")
        .withArgs(f.treasury, f.bob.address);
      expect(await f.inferenceRouter.owner()).to.equal(f.bob.address);
      await expect(f.inferenceRouter.connect(f.governance).setPlatformFee(0n))
        .to.be.revertedWithCustomError(f.inferenceRouter, "OwnableUnauthorizedAccount")
        .withArgs(f.treasury);
    });

    it("setPlatformFee accepts MAX_PLATFORM_FEE, emits PlatformFeeUpdated and applies to the next payment", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).setPlatformFee(MAX_PLATFORM_FEE))
        .to.emit(f.inferenceRouter, "PlatformFeeUpdated")
        .withArgs(PLATFORM_FEE, MAX_PLATFORM_FEE);
      expect(await f.inferenceRouter.platformFee()).to.equal(MAX_PLATFORM_FEE);
      expect((await f.inferenceRouter.parameters()).platformFee).to.equal(MAX_PLATFORM_FEE);
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
      const parameters = await f.inferenceRouter.parameters();
      expect([parameters.creatorBps, parameters.stakersBps, parameters.contributorsBps]).to.deep.equal([
        7_000n,
        1_000n,
        2_000n,
      ]);
      await expect(pay(f, "after"))
        .to.emit(f.inferenceRouter, "InferencePaid")
        .withArgs(
          idOf(f, "after"),
          MODEL.datanet1,
          f.payer.address,
          requestId("after"),
          WP.fee,
          224n * 10n ** 15n,
          32n * 10n ** 15n,
          64n * 10n ** 15n,
          PLATFORM_FEE,
        );
      expect((await f.inferenceRouter.getInference(idOf(f, "before"))).pool).to.equal(WP.pool);
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
          idOf(f, "all to contributors"),
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

    it("setAttributionThreshold accepts 0 and MAX_ATTRIBUTION_THRESHOLD and emits AttributionThresholdUpdated", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).setAttributionThreshold(MAX_ATTRIBUTION_THRESHOLD))
        .to.emit(f.inferenceRouter, "AttributionThresholdUpdated")
        .withArgs(THRESHOLD, MAX_ATTRIBUTION_THRESHOLD);
      expect(await f.inferenceRouter.attributionThreshold()).to.equal(MAX_ATTRIBUTION_THRESHOLD);
      await expect(f.inferenceRouter.connect(f.governance).setAttributionThreshold(0n))
        .to.emit(f.inferenceRouter, "AttributionThresholdUpdated")
        .withArgs(MAX_ATTRIBUTION_THRESHOLD, 0n);
      expect((await f.inferenceRouter.parameters()).attributionThreshold).to.equal(0n);
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
      expect((await f.inferenceRouter.parameters()).attributionWindow).to.equal(MAX_ATTRIBUTION_WINDOW);
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
      await expect(f.inferenceRouter.expire(f.ids.one))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterWindowOpen")
        .withArgs(f.ids.one, f.closesAt);
      expect((await f.inferenceRouter.getInference(f.ids.one)).closesAt).to.equal(f.closesAt);
      await time.increaseTo(f.closesAt + 1n);
      await expect(f.inferenceRouter.expire(f.ids.one))
        .to.emit(f.inferenceRouter, "InferenceExpired")
        .withArgs(f.ids.one, WP.pool);
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
      await newOracle.bindRouter(f.inferenceRouter);
      await expect(f.inferenceRouter.connect(f.governance).setOracle(newOracle))
        .to.emit(f.inferenceRouter, "OracleUpdated")
        .withArgs(await f.attributionOracle.getAddress(), await newOracle.getAddress())
        .and.to.emit(f.inferenceRouter, "SignerSetUpdated")
        .withArgs((await newOracle.signerSet())[0], 1n, 1n);
      const r = wp(f.ids.one);
      const old = await sign(f, r);
      await expect(f.inferenceRouter.settle(r, old))
        .to.be.revertedWithCustomError(newOracle, "AttributionOracleUnknownSigner")
        .withArgs(first(old).signer);
      await expect(settle(f, r, [f.stranger])).to.emit(f.inferenceRouter, "InferenceSettled");
    });

    it("an oracle adopted before it is bound settles nothing until it is bound, and nobody else sends its set", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const newOracle = await new AttributionOracle__factory(f.deployer).deploy(f.treasury, [f.stranger], 1n);
      await expect(f.inferenceRouter.connect(f.governance).setOracle(newOracle))
        .to.emit(f.inferenceRouter, "SignerSetUpdated")
        .withArgs(ZeroAddress, 0n, 0n);
      const r = wp(f.ids.one);
      // The replaced oracle's signers no longer count, and the new oracle's do not yet.
      await expect(f.inferenceRouter.settle(r, await sign(f, r))).to.be.revertedWithCustomError(
        f.inferenceRouter,
        "InferenceRouterNoSignerSet",
      );
      await expect(f.inferenceRouter.connect(f.stranger).setSignerSet(f.stranger, 1n, 1n))
        .to.be.revertedWithCustomError(f.inferenceRouter, "InferenceRouterNotOracle")
        .withArgs(f.stranger.address);
      await expect(newOracle.bindRouter(f.inferenceRouter))
        .to.emit(f.inferenceRouter, "SignerSetUpdated")
        .withArgs((await newOracle.signerSet())[0], 1n, 1n);
      await expect(settle(f, r, [f.stranger])).to.emit(f.inferenceRouter, "InferenceSettled");
    });

    it("setTreasury reverts with ProtocolAdminZeroAddress for the zero address, and emits TreasuryUpdated", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await expect(f.inferenceRouter.connect(f.governance).setTreasury(ZeroAddress)).to.be.revertedWithCustomError(
        f.inferenceRouter,
        "ProtocolAdminZeroAddress",
      );
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
        .to.be.revertedWithCustomError(f.inferenceRouter, "ProtocolAdminNotGuardian")
        .withArgs(f.guardian.address);
      await expect(f.inferenceRouter.connect(f.bob).pause()).to.emit(f.inferenceRouter, "Paused");
    });

    it("setGuardian to the zero address leaves only governance able to pause", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      await f.inferenceRouter.connect(f.governance).setGuardian(ZeroAddress);
      expect(await f.inferenceRouter.guardian()).to.equal(ZeroAddress);
      await expect(f.inferenceRouter.connect(f.guardian).pause())
        .to.be.revertedWithCustomError(f.inferenceRouter, "ProtocolAdminNotGuardian")
        .withArgs(f.guardian.address);
      await expect(f.inferenceRouter.connect(f.governance).pause()).to.emit(f.inferenceRouter, "Paused");
    });

    it("keeps the parameters and the pause clock apart: a pause changes no parameter, a parameter no clock", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      const before = [...(await f.inferenceRouter.parameters())];
      const pausedAt = await timestampOf(f.inferenceRouter.connect(f.guardian).pause());
      await f.inferenceRouter.connect(f.governance).setPlatformFee(7n);
      await f.inferenceRouter.connect(f.governance).setAttributionWindow(MAX_ATTRIBUTION_WINDOW);
      expect(await f.inferenceRouter.paused()).to.equal(true);
      expect(await f.inferenceRouter.activeTime()).to.equal(pausedAt);
      await time.setNextBlockTimestamp(pausedAt + HOUR);
      await f.inferenceRouter.connect(f.governance).unpause();
      expect(await f.inferenceRouter.pausedSeconds()).to.equal(HOUR);
      expect([...(await f.inferenceRouter.parameters())]).to.deep.equal([
        7n,
        ...before.slice(1, 5),
        MAX_ATTRIBUTION_WINDOW,
      ]);
    });
  });

  describe("conservation", () => {
    it("holds exactly Σ credits + Σ pending pools + treasuryOwed + stakersOwed through a multi-step scenario", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      const router = f.inferenceRouter;
      const routerAddress = await router.getAddress();
      const contributorOf = async (contributionId: bigint) =>
        (await f.datanetRegistry.getContribution(contributionId)).contributor;

      // A ledger rebuilt from the router's events alone.
      const credits = new Map<string, bigint>();
      let treasuryOwed = 0n;
      let stakersOwed = 0n;
      type Parts = { fee: bigint; creator: bigint; stakers: bigint; platform: bigint; pool: bigint; out?: bigint };
      const parts = new Map<bigint, Parts>();
      const credit = (account: string, amount: bigint) => credits.set(account, (credits.get(account) ?? 0n) + amount);

      async function step(tx: Promise<ContractTransactionResponse>) {
        const receipt = defined((await (await tx).wait()) ?? undefined, "receipt");
        let forfeited = 0n;
        for (const log of receipt.logs) {
          if (log.address !== routerAddress) continue;
          const event = router.interface.parseLog(log);
          if (event === null) continue;
          switch (event.name) {
            case "InferencePaid": {
              const [inferenceId, modelId, , , fee, creatorShare, stakersShare, pool, platformFee] =
                event.args as unknown as bigint[];
              const id = defined(inferenceId, "id");
              const p: Parts = {
                fee: defined(fee, "fee"),
                creator: defined(creatorShare, "creator"),
                stakers: defined(stakersShare, "stakers"),
                platform: defined(platformFee, "platform"),
                pool: defined(pool, "pool"),
              };
              parts.set(id, p);
              credit((await f.modelRegistry.getModel(defined(modelId, "model"))).creator, p.creator);
              treasuryOwed += p.platform;
              stakersOwed += p.stakers;
              break;
            }
            case "ContributionForfeited":
              forfeited += event.args[2] as bigint;
              break;
            case "InferenceSettled": {
              const inferenceId = event.args[0] as bigint;
              const toTreasury = event.args[3] as bigint;
              const p = defined(parts.get(inferenceId), "inference parts");
              let distributed = 0n;
              for (const { contributionId, amount } of decodeCredits(event.args[4] as bigint[])) {
                credit(await contributorOf(contributionId), amount);
                distributed += amount;
              }
              expect(forfeited, "forfeited shares go to the treasury").to.be.at.most(toTreasury);
              forfeited = 0n;
              treasuryOwed += toTreasury;
              p.out = distributed + toTreasury;
              break;
            }
            case "InferenceExpired": {
              const inferenceId = event.args[0] as bigint;
              treasuryOwed += event.args[1] as bigint;
              defined(parts.get(inferenceId), "inference parts").out = event.args[1] as bigint;
              break;
            }
            case "Claimed":
              credits.set(event.args[0] as string, 0n);
              break;
            case "TreasurySwept":
              treasuryOwed = 0n;
              break;
            case "StakerRewardsReleased":
              stakersOwed -= event.args[0] as bigint;
              break;
          }
        }
        const holdings = await expectRouterConserved(f);
        for (const [account, amount] of credits) {
          expect(await router.creditOf(account), `credit of ${account}`).to.equal(amount);
        }
        expect(holdings.credits, "Σ credits").to.equal([...credits.values()].reduce((a, b) => a + b, 0n));
        expect(holdings.treasuryOwed, "treasuryOwed").to.equal(treasuryOwed);
        expect(holdings.stakersOwed, "stakersOwed").to.equal(stakersOwed);
        for (const [inferenceId, p] of parts) {
          // creator + stakers + platform + pool == fee, and a resolved pool is wholly accounted for.
          expect(p.creator + p.stakers + p.platform + p.pool, `fee of inference ${inferenceId}`).to.equal(p.fee);
          const { status, pool } = await router.getInference(inferenceId);
          expect(pool).to.equal(p.pool);
          if (status !== InferenceStatus.Pending) expect(p.out, `pool of inference ${inferenceId}`).to.equal(p.pool);
        }
      }

      const id = (label: string, from: HardhatEthersSigner = f.payer) => idOf(f, label, from);
      await step(pay(f, "1"));
      await step(pay(f, "2", MODEL.datanet1, { input: 1_234n, output: 567n }));
      await step(pay(f, "3", MODEL.datanet2, { input: 10n, output: 7n }));
      await step(
        settle(f, report(id("1"), [...QUARTERS.ids], [PERCENT / 2n, 33n * PERCENT, 33n * PERCENT, 33n * PERCENT])),
      );
      await step(
        router.connect(f.governance).setFeeSplit({ creatorBps: 3_333n, stakersBps: 3_333n, contributorsBps: 3_334n }),
      );
      await step(router.connect(f.governance).setPlatformFee(7n));
      await f.openToken.connect(f.permitPayer).approve(router, MaxUint256);
      await step(pay(f, "4", MODEL.datanet1, { input: 999n, output: 1n }, f.permitPayer));
      await step(router.releaseStakerRewards());
      // The same request id by another payer is another inference.
      await step(pay(f, "1", MODEL.datanet1, { input: 5n, output: 5n }, f.permitPayer));
      const batch = [
        report(
          id("2"),
          [CONTRIBUTION.dave, CONTRIBUTION.erin, CONTRIBUTION.grace],
          [PERCENT, 7n * PERCENT, 13n * PERCENT],
        ),
        report(id("3"), [CONTRIBUTION.otherDatanet], [PERCENT - 1n]),
        report(id("1"), [CONTRIBUTION.dave], [WAD]),
        report(id("1", f.permitPayer), [CONTRIBUTION.frank, CONTRIBUTION.grace], [40n * PERCENT, 60n * PERCENT]),
      ];
      const signatures = await signBatch(f.domain, batch, signers(f));
      // Grace's contribution is penalized after the batch was signed: its shares are forfeited.
      await f.datanetRegistry.connect(f.bob).penalize(CONTRIBUTION.grace, "after signing");
      await step(router.settleBatch(batch, signatures));
      await step(router.connect(f.dave).claim());
      await step(router.connect(f.guardian).pause());
      await time.increase(2n * WINDOW);
      await step(router.connect(f.stranger).releaseStakerRewards());
      await step(router.connect(f.governance).unpause());
      await time.increase(WINDOW + 1n);
      await step(pay(f, "5", MODEL.datanet2, { input: 3n, output: 3n }));
      await step(router.connect(f.stranger).expire(id("4", f.permitPayer)));
      await step(router.connect(f.carol).claimTo(f.bob));
      await step(router.connect(f.stranger).sweepToTreasury());
      await step(settle(f, report(id("5"), [CONTRIBUTION.otherDatanet], [WAD / 3n])));
      await step(router.connect(f.erin).claim());
      await step(router.releaseStakerRewards());
      expect(parts.size).to.equal(6);
    });
  });

  describe("EIP-712 (sdk/eip712.ts is the single source)", () => {
    it("the SDK's type hashes equal the router's REPORT_TYPEHASH and BATCH_TYPEHASH", async () => {
      const { inferenceRouter } = await networkHelpers.loadFixture(baseFixture);
      expect(await inferenceRouter.REPORT_TYPEHASH()).to.equal(ATTRIBUTION_REPORT_TYPEHASH);
      expect(await inferenceRouter.BATCH_TYPEHASH()).to.equal(ATTRIBUTION_BATCH_TYPEHASH);
    });

    it("attributionDomain(chainId, router) equals the router's eip712Domain(): OpenLedger InferenceRouter, version 2", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      const [fields, name, version, chainId, verifyingContract, salt, extensions] =
        await f.inferenceRouter.eip712Domain();
      expect(fields).to.equal("0x0f");
      expect(salt).to.equal(ZeroHash);
      expect(extensions).to.deep.equal([]);
      expect([name, version]).to.deep.equal([ATTRIBUTION_DOMAIN_NAME, ATTRIBUTION_DOMAIN_VERSION]);
      expect([ATTRIBUTION_DOMAIN_NAME, ATTRIBUTION_DOMAIN_VERSION]).to.deep.equal(["OpenLedger InferenceRouter", "2"]);
      expect({ name, version, chainId, verifyingContract }).to.deep.equal(
        attributionDomain(f.chainId, await f.inferenceRouter.getAddress()),
      );
    });

    it("the SDK's reportDigest equals the router's, for empty and full reports and any commitments", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      for (const r of [
        report(0n, [], [], 0n, { outputHash: ZeroHash, indexCommitment: ZeroHash }),
        report(1n, [...QUARTERS.ids], [...QUARTERS.weights]),
        report(2n ** 255n, [MaxUint256], [1n], MaxUint256, {
          outputHash: "0x" + "ff".repeat(32),
          indexCommitment: outputHashOf("x"),
        }),
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

    it("signReport's and signBatch's signatures recover to their signers", async () => {
      const f = await networkHelpers.loadFixture(baseFixture);
      const r = report(1n, [...QUARTERS.ids], [...QUARTERS.weights], FAR_DEADLINE);
      for (const { signer, signature } of await sign(f, r, [...f.oracleSigners])) {
        expect(recoverReportSigner(f.domain, r, signature)).to.equal(signer);
      }
      for (const { signer, signature } of await signBatch(f.domain, [r], [...f.oracleSigners])) {
        expect(recoverBatchSigner(f.domain, [r], signature)).to.equal(signer);
      }
    });

    describe("each settled report commits to what it attributed", () => {
      it("the settlement event carries the signed outputHash and indexCommitment", async () => {
        const f = await networkHelpers.loadFixture(paidFixture);
        const outputHash = outputHashOf("The patient presents with acute appendicitis.");
        const indexCommitment = outputHashOf("index: datanet 1 v1, engine 2, min span 8");
        const r = report(f.ids.one, [...QUARTERS.ids], [...QUARTERS.weights], FAR_DEADLINE, {
          outputHash,
          indexCommitment,
        });
        const receipt = defined((await (await settle(f, r)).wait()) ?? undefined, "receipt");
        const [event] = await f.inferenceRouter.queryFilter(
          f.inferenceRouter.filters.InferenceSettled(f.ids.one),
          receipt.blockNumber,
        );
        const settled = defined(event, "InferenceSettled");
        expect(settled.args.outputHash).to.equal(outputHash);
        expect(settled.args.indexCommitment).to.equal(indexCommitment);
        expect(decodeCredits(settled.args.credits)).to.deep.equal(
          QUARTERS.ids.map((contributionId) => ({ contributionId, amount: WP.quarter })),
        );
      });

      for (const field of ["outputHash", "indexCommitment"] as const) {
        it(`a report whose ${field} was changed after signing cannot settle, alone or in a batch`, async () => {
          const f = await networkHelpers.loadFixture(paidFixture);
          const signed = wp(f.ids.one);
          const tampered = { ...signed, [field]: outputHashOf("something else") };
          const signatures = await sign(f, signed);
          await expect(f.inferenceRouter.settle(tampered, signatures))
            .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleInvalidSignature")
            .withArgs(first(signatures).signer);
          const batchSignatures = await signBatch(f.domain, [signed], signers(f));
          await expect(f.inferenceRouter.settleBatch([tampered], batchSignatures))
            .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleInvalidSignature")
            .withArgs(first(batchSignatures).signer);
          await expect(f.inferenceRouter.settle(signed, signatures)).to.emit(f.inferenceRouter, "InferenceSettled");
        });
      }
    });
  });

  describe("attacks on the signatures", () => {
    async function expectInvalid(f: P, r: AttributionReport, signatures: SignerSignature[]) {
      await expect(f.inferenceRouter.settle(r, signatures))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleInvalidSignature")
        .withArgs(first(signatures).signer);
    }

    it("a report signed for this router cannot settle on a second deployment", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      // The same signers, behind a second oracle bound to the second router.
      const secondOracle = await new AttributionOracle__factory(f.deployer).deploy(
        f.treasury,
        [...(await f.attributionOracle.signers())],
        await f.attributionOracle.threshold(),
      );
      const second = await new InferenceRouter__factory(f.deployer).deploy(
        {
          open: f.openToken,
          modelRegistry: f.modelRegistry,
          datanetRegistry: f.datanetRegistry,
          stakedOpen: f.stakedOpen,
          oracle: secondOracle,
        },
        { governance: f.treasury, treasury: f.treasury, guardian: ZeroAddress },
        { platformFee: PLATFORM_FEE, ...SPLIT, attributionThreshold: THRESHOLD, attributionWindow: WINDOW },
      );
      await secondOracle.bindRouter(second);
      await f.openToken.connect(f.payer).approve(second, MaxUint256);
      await second.connect(f.payer).payInference(MODEL.datanet1, WP.input, WP.output, requestId("one"), MaxUint256);
      const r = wp(f.ids.one);
      const signatures = await sign(f, r);
      await expect(second.settle(r, signatures))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleInvalidSignature")
        .withArgs(first(signatures).signer);
      // The same signatures are good on the router they were made for.
      await expect(f.inferenceRouter.settle(r, signatures)).to.emit(f.inferenceRouter, "InferenceSettled");
    });

    it("a report signed for another chain id cannot settle", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp(f.ids.one);
      const otherChain = attributionDomain(f.chainId + 1n, await f.inferenceRouter.getAddress());
      await expectInvalid(f, r, await signReport(otherChain, r, signers(f)));
    });

    it("a report signed for an older domain version cannot settle", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp(f.ids.one);
      await expectInvalid(f, r, await signReport({ ...f.domain, version: "1" }, r, signers(f)));
    });

    it("a report for inference A cannot settle inference B", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      await expectInvalid(f, wp(f.ids.two), await sign(f, wp(f.ids.one)));
    });

    it("a report whose weights were changed after signing cannot settle", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const signatures = await sign(f, wp(f.ids.one));
      await expectInvalid(
        f,
        report(f.ids.one, [...QUARTERS.ids], [70n * PERCENT, 10n * PERCENT, 10n * PERCENT, 10n * PERCENT]),
        signatures,
      );
    });

    it("a report whose deadline was extended after signing cannot settle", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const signed = report(f.ids.one, [...QUARTERS.ids], [...QUARTERS.weights], (await latest()) + HOUR);
      await expectInvalid(f, wp(f.ids.one), await sign(f, signed));
    });

    it("signatures over a single report cannot settle it as a batch of one", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp(f.ids.one);
      const signatures = await sign(f, r);
      await expect(f.inferenceRouter.settleBatch([r], signatures))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleInvalidSignature")
        .withArgs(first(signatures).signer);
    });

    it("signatures over a batch cannot settle one of its reports alone, a part of it, or its reports reordered", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const reports = [wp(f.ids.one), wp(f.ids.two)];
      const signatures = await signBatch(f.domain, reports, signers(f));
      await expectInvalid(f, wp(f.ids.one), signatures);
      for (const tampered of [[wp(f.ids.one)], [wp(f.ids.two), wp(f.ids.one)]]) {
        await expect(f.inferenceRouter.settleBatch(tampered, signatures))
          .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleInvalidSignature")
          .withArgs(first(signatures).signer);
      }
    });

    it("the same signer twice does not make two signatures", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp(f.ids.one);
      const one = first(await sign(f, r, [first(signers(f))]));
      await expect(f.inferenceRouter.settle(r, [one, one]))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleDuplicateSigner")
        .withArgs(one.signer);
    });

    it("unsorted signers are refused", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp(f.ids.one);
      await expect(f.inferenceRouter.settle(r, (await sign(f, r)).reverse()))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleSignersNotSorted")
        .withArgs(1n);
    });

    it("threshold − 1 signatures are too few", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp(f.ids.one);
      await expect(f.inferenceRouter.settle(r, await sign(f, r, [first(signers(f))])))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleTooFewSignatures")
        .withArgs(1n, TEST_INFERENCE_PARAMS.oracleThreshold);
      await expect(f.inferenceRouter.settle(r, []))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleTooFewSignatures")
        .withArgs(0n, TEST_INFERENCE_PARAMS.oracleThreshold);
    });

    it("a signature by an unknown signer is refused", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp(f.ids.one);
      await expect(f.inferenceRouter.settle(r, await sign(f, r, [first(signers(f)), f.stranger])))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleUnknownSigner")
        .withArgs(f.stranger.address);
    });

    it("a signature by a signer removed after signing no longer counts", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp(f.ids.one);
      const signatures = await sign(f, r);
      const removed = first(signatures).signer;
      await f.attributionOracle.connect(f.governance).removeSigner(removed);
      await expect(f.inferenceRouter.settle(r, signatures))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleUnknownSigner")
        .withArgs(removed);
    });

    it("a malformed signature (64 arbitrary bytes) is refused", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp(f.ids.one);
      const signatures = await sign(f, r);
      const target = first(signatures);
      target.signature = "0x" + "5a".repeat(64);
      await expect(f.inferenceRouter.settle(r, signatures))
        .to.be.revertedWithCustomError(f.attributionOracle, "AttributionOracleMalformedSignature")
        .withArgs(target.signer);
    });

    it("a malleated (high-s) copy of a valid signature is refused", async () => {
      const f = await networkHelpers.loadFixture(paidFixture);
      const r = wp(f.ids.one);
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
      const r = wp(f.ids.one);
      const signatures = await sign(f, r);
      const [a, b] = [first(signatures), defined(signatures[1], "second signature")];
      await expectInvalid(f, r, [
        { signer: a.signer, signature: b.signature },
        { signer: b.signer, signature: a.signature },
      ]);
    });
  });
});
