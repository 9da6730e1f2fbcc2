/**
 * The client's inference (sdk/client/inference.ts) and claims of inference earnings (sdk/client/rewards.ts) on the
 * in-process network, against the v2 router: ids derived from payer and request before paying, windows on the
 * active clock that a pause stops, a settlement's history, expiry, the stakers' share released to gOPEN. Every
 * refusal is a ProtocolError, before any transaction is sent.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { createClient } from "../../../sdk/client/index.js";
import { inferenceIdOf } from "../../../sdk/core/inference.js";
import { formatTime } from "../../../sdk/core/format.js";
import { TEST_INFERENCE_PARAMS, type Connection } from "../../fixtures/protocol.js";
import { defined } from "../../helpers/constants.js";
import { CONTRIBUTION, MODEL, PERCENT, TEST_INDEX, clientSuite, refusal, report, requestId } from "./suite.js";

const connection = await network.create();
const { networkHelpers } = connection;
const { time } = networkHelpers;
const WINDOW = TEST_INFERENCE_PARAMS.attributionWindow;

async function suite(conn: Connection) {
  return clientSuite(conn);
}

describe("client inference", () => {
  describe("pay", () => {
    it("derives the inference id from payer and request id before paying, as the router does", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const payer = f.client(f.payer);
      const quote = await payer.inference.quote(MODEL.datanet1, 2_000n, 1_000n);
      const paid = await payer.inference.pay(MODEL.datanet1, 2_000n, 1_000n, { requestId: requestId("a") });
      expect(paid.inferenceId).to.equal(inferenceIdOf(f.payer.address, requestId("a")));
      expect(paid.inferenceId).to.equal(await f.inferenceRouter.inferenceIdOf(f.payer, requestId("a")));
      expect(paid.quote).to.deep.equal(quote);
      expect(paid.quote.fee).to.equal(33n * 10n ** 16n); // the whitepaper's 0.32 OPEN + 0.01 platform fee
      expect(paid.usedPermit).to.equal(false); // the payer approved the router without limit
      expect((await payer.inference.require(paid.inferenceId)).pool).to.equal(128n * 10n ** 15n);
      expect(await payer.inference.paidIds()).to.deep.equal([paid.inferenceId]);
    });

    it("refuses a request id the payer already used, naming the inference; another payer may use it", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const payer = f.client(f.payer);
      const first = await payer.inference.pay(MODEL.datanet1, 10n, 10n, { requestId: requestId("a") });
      const again = await refusal(
        payer.inference.pay(MODEL.datanet1, 10n, 10n, { requestId: requestId("a") }),
        "AlreadyPaid",
        { payer: f.payer.address, requestId: requestId("a"), inferenceId: first.inferenceId, status: "Pending" },
      );
      expect(again.message).to.equal(
        `${f.payer.address} already paid request ${requestId("a")}, as inference ${first.inferenceId} (Pending); use a new request id.`,
      );
      // Dave never approved the router: he pays by permit.
      const other = await f.client(f.dave).inference.pay(MODEL.datanet1, 10n, 10n, { requestId: requestId("a") });
      expect(other.inferenceId).to.not.equal(first.inferenceId);
      expect(other.usedPermit).to.equal(true);
    });

    it("refuses while the guardian has paused the router, a model that is not Active, and bad input", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const payer = f.client(f.payer);
      const proposed = await refusal(payer.inference.pay(MODEL.proposed, 10n, 10n), "ModelNotActive", {
        modelId: MODEL.proposed,
        state: "Proposed",
      });
      expect(proposed.message).to.equal("Model 3 is Proposed; only Active models take inference.");
      await refusal(payer.inference.quote(99n, 10n, 10n), "UnknownModel", { modelId: 99n });
      await refusal(payer.inference.quote(MODEL.datanet1, 2n ** 64n, 10n), "TokensOutOfRange", { which: "input" });
      await refusal(payer.inference.pay(MODEL.datanet1, 10n, 10n, { requestId: "0x12" }), "InvalidRequestId");
      await refusal(payer.inference.pay(MODEL.datanet1, 2_000n, 1_000n, { maxFee: 10n ** 17n }), "FeeAboveMax", {
        fee: 33n * 10n ** 16n,
        maxFee: 10n ** 17n,
      });
      await f.inferenceRouter.connect(f.guardian).pause();
      const paused = await refusal(payer.inference.pay(MODEL.datanet1, 10n, 10n), "PaymentsPaused");
      expect(paused.message).to.match(/^Inference payments are paused by the guardian/);
    });
  });

  describe("inference", () => {
    it("shows a pending inference's window on the active clock, which a pause stops", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const id = await f.pay("window");
      const { inference } = f.client(f.payer);
      const fresh = await inference.inference(id);
      expect(fresh).to.include({ payer: f.payer.address, requestId: requestId("window"), modelId: MODEL.datanet1 });
      expect(fresh.status).to.equal("Pending");
      expect(fresh.remaining).to.equal(WINDOW);
      expect(fresh.closingTime).to.equal(fresh.paidAt + WINDOW);

      await time.increase(3_600);
      await f.inferenceRouter.connect(f.guardian).pause();
      const paused = await inference.inference(id);
      await time.increase(30 * 86_400); // far past the window, while paused
      const later = await inference.inference(id);
      expect(later.paused).to.equal(true);
      expect(later.remaining).to.equal(paused.remaining);
      expect(later.closingTime - paused.closingTime).to.equal(30n * 86_400n);
    });

    it("shows a settlement's commitments, credits and forfeited shares", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const id = await f.pay("settled");
      // The client refuses to sign a report weighing a penalized contribution; an oracle may still have.
      const r = report(id, [CONTRIBUTION.dave, CONTRIBUTION.penalized], [50n * PERCENT, 50n * PERCENT]);
      const client = f.client(f.deployer);
      await client.attribution.push(await f.signUnchecked([r], f.oracleSigners.slice(0, 2)));
      const shown = await client.inference.inference(id);
      expect(shown.status).to.equal("Settled");
      const t = defined(shown.settlement, "settlement");
      expect([t.outputHash, t.indexCommitment]).to.deep.equal([r.outputHash, TEST_INDEX]);
      const pool = shown.pool;
      expect(t.contributionIds).to.deep.equal([CONTRIBUTION.dave, CONTRIBUTION.penalized]);
      expect(t.amounts).to.deep.equal([pool / 2n, 0n]);
      expect(t.forfeited).to.deep.equal([{ contributionId: CONTRIBUTION.penalized, amount: pool / 2n }]);
      expect(t.toTreasury).to.equal(pool - pool / 2n);
    });

    it("finds a payment in the blocks of its second, not by a scan of every block since deployment", async () => {
      const f = await networkHelpers.loadFixture(suite);
      await networkHelpers.mine(500);
      const id = await f.pay("long chain");
      await networkHelpers.mine(500);
      let logQueries = 0;
      const counted = new Proxy(connection.ethers.provider, {
        get(target, key, receiver) {
          if (key === "getLogs") logQueries++;
          const value: unknown = Reflect.get(target, key, receiver);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      // Spans of 10 blocks: a scan since deployment would take more than 100 log queries.
      const client = createClient({ deployment: f.deployment, provider: counted, logSpan: 10 });
      const shown = await client.inference.inference(id);
      expect(shown).to.include({ payer: f.payer.address, requestId: requestId("long chain") });
      expect(shown.tokens).to.deep.equal({ inputTokens: 2_000n, outputTokens: 1_000n });
      expect(await client.inference.paidTokens(id)).to.deep.equal(shown.tokens);
      expect(logQueries).to.equal(2);
    });

    it("refuses an unknown inference", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const e = await refusal(f.client(f.payer).inference.inference(99n), "UnknownInference", { inferenceId: 99n });
      expect(e.message).to.equal("There is no inference 99.");
      expect(await f.client(f.payer).inference.find(99n)).to.equal(undefined);
    });
  });

  describe("expire", () => {
    it("waits for the whole window on the active clock, however long a pause lasts", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const { inference } = f.client(f.stranger);
      const id = await f.pay("expiring");
      const closingTime = await f.inferenceRouter.closingTime(id);
      const open = await refusal(inference.expire(id), "WindowOpen", { inferenceId: id, closingTime });
      expect(open.message).to.equal(
        `The attribution window of inference ${id} is open until ${formatTime(closingTime)}.`,
      );
      await f.inferenceRouter.connect(f.guardian).pause();
      await time.increase(WINDOW * 3n);
      const paused = await refusal(inference.expire(id), "WindowOpenWhilePaused", { inferenceId: id });
      expect(paused.message).to.match(
        new RegExp(`^The attribution window of inference ${id} is still open: .* remain on the router's active clock`),
      );
      await f.inferenceRouter.connect(f.governance).unpause();
      await time.increase(WINDOW);
      const { pool } = await inference.expire(id);
      expect(pool).to.equal((await inference.require(id)).pool);
      expect((await inference.inference(id)).expiredPool).to.equal(pool);
      const expired = await refusal(inference.expire(id), "InferenceNotPending", { status: "Expired" });
      expect(expired.message).to.equal(`Inference ${id} is Expired, not Pending.`);
    });
  });

  describe("releaseStakerRewards and sweepToTreasury", () => {
    it("refuses when nothing is owed, then sends the stakers' shares to gOPEN for the next reward period", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const { inference } = f.client(f.stranger);
      const none = await refusal(inference.releaseStakerRewards(), "NoStakersShare");
      expect(none.message).to.match(/^No stakers' share is waiting to be released/);
      await f.pay("one");
      await f.pay("two");
      const owed = await f.inferenceRouter.stakersOwed();
      expect(owed).to.equal(2n * 64n * 10n ** 15n); // 20% of two 0.32 OPEN model fees
      const released = await inference.releaseStakerRewards();
      expect(released.amount).to.equal(owed);
      expect(released.streamEnd - released.streamStart).to.equal(await f.stakedOpen.rewardPeriod());
      expect(released.staked).to.equal(await f.stakedOpen.totalSupply());
      expect(await f.inferenceRouter.stakersOwed()).to.equal(0n);
      const [, , queued] = await f.stakedOpen.rewardStream();
      expect(queued).to.equal(owed);
      // Streaming to alice, the only staker, over the next period: every OPEN stays accounted for meanwhile.
      const { ledger } = f.client(f.stranger);
      for (const step of [60n, (3n * (await f.stakedOpen.rewardPeriod())) / 2n]) {
        await time.increase(step);
        const check = await ledger.check();
        for (const law of check.laws) expect(law.held, `${law.law}: ${law.statement}`).to.equal(law.accounted);
      }
      expect((await f.client(f.alice).rewards.claimable()).staking).to.be.greaterThan(0n);
    });

    it("sends the platform fees to the treasury, and refuses when nothing is owed", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const { inference } = f.client(f.stranger);
      await refusal(inference.sweepToTreasury(), "NothingOwedToTreasury");
      await f.pay("fee");
      const before = await f.openToken.balanceOf(f.treasury);
      const { amount } = await inference.sweepToTreasury();
      expect(amount).to.equal(TEST_INFERENCE_PARAMS.platformFee);
      expect((await f.openToken.balanceOf(f.treasury)) - before).to.equal(amount);
    });
  });

  describe("rewards.claim", () => {
    it("refuses to send credits to a contract of the suite, where they would be locked", async () => {
      const f = await networkHelpers.loadFixture(suite);
      await f.pay("credit");
      const carol = f.client(f.carol);
      const staking = await f.stakedOpen.getAddress();
      const locked = await refusal(carol.rewards.claim(staking), "RecipientIsProtocolContract", {
        recipient: staking,
        contract: "stakedOpen",
      });
      expect(locked.message).to.equal(
        `${staking} is the protocol's stakedOpen contract: OPEN sent there would be locked; send it to an account.`,
      );
      expect((await carol.rewards.claimable()).credits).to.equal(128n * 10n ** 15n);
      const claimed = await carol.rewards.claim(f.stranger.address);
      expect(claimed).to.include({ amount: 128n * 10n ** 15n, recipient: f.stranger.address });
      await refusal(carol.rewards.claim(), "NoInferenceEarnings", { account: f.carol.address });
    });
  });
});
