/**
 * The inference and attribution operations of the task layer (tasks/lib/inference.ts, attribution.ts) on
 * the in-process network, against the v2 router: ids derived from payer and request, windows on the active
 * clock, reports that commit to their output and index, forfeited shares, skipped batch reports, the
 * stakers' share released to gOPEN. Every refusal is one sentence, before any transaction is sent.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { buildIndex, attribute } from "../../attribution/index.js";
import { sharePool } from "../../sdk/core/fees.js";
import { inferenceIdOf } from "../../sdk/core/inference.js";
import {
  expireInference,
  outputHashOf,
  parseSigned,
  parseWeightsFile,
  pushAttribution,
  reportWeightsJson,
  serializeSigned,
  signAttribution,
} from "../../tasks/lib/attribution.js";
import { formatTime } from "../../tasks/lib/cli.js";
import {
  claimCredits,
  payInference,
  readInference,
  releaseStakerRewards,
  requireInference,
} from "../../tasks/lib/inference.js";
import { TEST_INFERENCE_PARAMS, type Connection } from "../fixtures/protocol.js";
import { defined } from "../helpers/constants.js";
import {
  CONTRIBUTION,
  MODEL,
  PERCENT,
  TEST_INDEX,
  rejection,
  report,
  requestId,
  taskSuite,
  type TaskSuite,
} from "./suite.js";

const connection = await network.create();
const { networkHelpers } = connection;
const { time } = networkHelpers;
const WINDOW = TEST_INFERENCE_PARAMS.attributionWindow;

async function suite(conn: Connection) {
  return taskSuite(conn);
}

/** The oracle's first two signers, as signers of the task layer take them. */
const oracle = (f: TaskSuite) => [defined(f.oracleSigners[0], "signer 0"), defined(f.oracleSigners[1], "signer 1")];

describe("inference operations", () => {
  describe("payInference", () => {
    it("derives the inference id from payer and request id before paying, as the router does", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const paid = await payInference(f.ctx(f.payer), MODEL.datanet1, 2_000n, 1_000n, { requestId: requestId("a") });
      expect(paid.inferenceId).to.equal(inferenceIdOf(f.payer.address, requestId("a")));
      expect(paid.inferenceId).to.equal(await f.inferenceRouter.inferenceIdOf(f.payer, requestId("a")));
      expect(paid.quote.fee).to.equal(33n * 10n ** 16n); // the whitepaper's 0.32 OPEN + 0.01 platform fee
      expect((await requireInference(f.ctx(f.payer), paid.inferenceId)).pool).to.equal(128n * 10n ** 15n);
    });

    it("refuses a request id the payer already used, naming the inference; another payer may use it", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const first = await payInference(f.ctx(f.payer), MODEL.datanet1, 10n, 10n, { requestId: requestId("a") });
      expect(
        await rejection(payInference(f.ctx(f.payer), MODEL.datanet1, 10n, 10n, { requestId: requestId("a") })),
      ).to.equal(
        `${f.payer.address} already paid request ${requestId("a")}, as inference ${first.inferenceId} (Pending); use a new --request-id.`,
      );
      const other = await payInference(f.ctx(f.dave), MODEL.datanet1, 10n, 10n, { requestId: requestId("a") });
      expect(other.inferenceId).to.not.equal(first.inferenceId);
    });

    it("refuses while the guardian has paused the router, and a model that is not Active", async () => {
      const f = await networkHelpers.loadFixture(suite);
      expect(await rejection(payInference(f.ctx(f.payer), MODEL.proposed, 10n, 10n))).to.equal(
        "Model 3 is Proposed; only Active models take inference.",
      );
      await f.inferenceRouter.connect(f.guardian).pause();
      expect(await rejection(payInference(f.ctx(f.payer), MODEL.datanet1, 10n, 10n))).to.match(
        /^Inference payments are paused by the guardian/,
      );
    });
  });

  describe("readInference", () => {
    it("shows a pending inference's window on the active clock, which a pause stops", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const id = await f.pay("window");
      const ctx = f.ctx(f.payer);
      const fresh = await readInference(ctx, id);
      expect(fresh).to.include({ payer: f.payer.address, requestId: requestId("window"), modelId: MODEL.datanet1 });
      expect(fresh.remaining).to.equal(WINDOW);
      expect(fresh.closingTime).to.equal(fresh.paidAt + WINDOW);

      await time.increase(3_600);
      await f.inferenceRouter.connect(f.guardian).pause();
      const paused = await readInference(ctx, id);
      await time.increase(30 * 86_400); // far past the window, while paused
      const later = await readInference(ctx, id);
      expect(later.paused).to.equal(true);
      expect(later.remaining).to.equal(paused.remaining);
      expect(later.closingTime - paused.closingTime).to.equal(30n * 86_400n);
    });

    it("shows a settlement's commitments, credits and forfeited shares", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const id = await f.pay("settled");
      const r = report(id, [CONTRIBUTION.dave, CONTRIBUTION.penalized], [50n * PERCENT, 50n * PERCENT]);
      const ctx = f.ctx(f.deployer);
      await pushAttribution(ctx, await signAttribution(ctx, [r], oracle(f)));
      const shown = await readInference(ctx, id);
      const t = defined(shown.settlement, "settlement");
      expect([t.outputHash, t.indexCommitment]).to.deep.equal([r.outputHash, TEST_INDEX]);
      const pool = shown.pool;
      expect(t.amounts).to.deep.equal([pool / 2n, 0n]);
      expect(t.forfeited).to.deep.equal([{ contributionId: CONTRIBUTION.penalized, amount: pool / 2n }]);
      expect(t.toTreasury).to.equal(pool - pool / 2n);
    });

    it("refuses an unknown inference", async () => {
      const f = await networkHelpers.loadFixture(suite);
      expect(await rejection(readInference(f.ctx(f.payer), 99n))).to.equal("There is no inference 99.");
    });
  });

  describe("pushAttribution", () => {
    it("settles a report, forfeiting the share of a contribution penalized after it was signed", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const id = await f.pay("late penalty");
      const ctx = f.ctx(f.deployer);
      const weights = [60n * PERCENT, 40n * PERCENT];
      const signed = await signAttribution(
        ctx,
        [report(id, [CONTRIBUTION.dave, CONTRIBUTION.erin], weights)],
        oracle(f),
      );
      await f.datanetRegistry.connect(f.bob).penalize(CONTRIBUTION.erin, "found copied");

      const pool = (await requireInference(ctx, id)).pool;
      const pushed = await pushAttribution(ctx, signed);
      const expected = sharePool(pool, weights, TEST_INFERENCE_PARAMS.attributionThreshold, [false, true]);
      expect(pushed.forfeiting).to.deep.equal([CONTRIBUTION.erin]);
      const settled = defined(pushed.settled[0], "settled");
      expect(settled.credited).to.equal(expected.amounts[0]);
      expect(settled.forfeited).to.deep.equal([{ contributionId: CONTRIBUTION.erin, amount: expected.forfeited[1] }]);
      expect(settled.toTreasury).to.equal(expected.toTreasury);
      expect(await f.inferenceRouter.creditOf(f.erin)).to.equal(0n);
    });

    it("refuses a contribution that can never be named: rejected, pending or from another datanet", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const id = await f.pay("invalid");
      const ctx = f.ctx(f.deployer);
      for (const contributionId of [CONTRIBUTION.rejected, CONTRIBUTION.pending, CONTRIBUTION.otherDatanet]) {
        const signed = await signAttribution(ctx, [report(id, [contributionId], [10n * PERCENT])], oracle(f));
        expect(await rejection(pushAttribution(ctx, signed))).to.equal(
          `Contribution ${contributionId} cannot be named for inference ${id}: it was never accepted, or it is outside model 1's datanets (1).`,
        );
      }
    });

    it("skips a batch's reports of settled inferences, and refuses a batch where nothing would settle", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const ctx = f.ctx(f.deployer);
      const [a, b] = [await f.pay("a"), await f.pay("b")];
      const reports = [a, b].map((id) => report(id, [CONTRIBUTION.dave], [PERCENT * 100n]));
      const batch = await signAttribution(ctx, reports, oracle(f));
      await pushAttribution(ctx, await signAttribution(ctx, [defined(reports[0], "a")], oracle(f)));

      const pushed = await pushAttribution(ctx, batch);
      expect(pushed.settled.map((s) => s.inferenceId)).to.deep.equal([b]);
      expect(pushed.skipped).to.deep.equal([{ inferenceId: a, status: "Settled" }]);
      expect(await rejection(pushAttribution(ctx, batch))).to.equal(
        `Nothing in the batch would settle: inference ${a}: it is Settled; inference ${b}: it is Settled.`,
      );
      expect(
        await rejection(pushAttribution(ctx, await signAttribution(ctx, [defined(reports[0], "a")], oracle(f)))),
      ).to.equal(`Inference ${a} cannot be settled: it is Settled.`);
    });

    it("refuses a report whose window closed, a report changed after signing, and a pause", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const ctx = f.ctx(f.deployer);
      const id = await f.pay("late");
      const signed = await signAttribution(ctx, [report(id, [CONTRIBUTION.dave], [PERCENT])], oracle(f));

      const tampered = parseSigned(
        JSON.parse(serializeSigned(signed).replace(`"${PERCENT}"`, `"${2n * PERCENT}"`)),
        "x",
      );
      expect(await rejection(pushAttribution(ctx, tampered))).to.equal(
        `The signature of ${defined(signed.signatures[0], "signature").signer} does not sign these reports: the file was changed after it was signed.`,
      );

      await f.inferenceRouter.connect(f.guardian).pause();
      expect(await rejection(pushAttribution(ctx, signed))).to.match(/^Settlement is paused by the guardian/);
      await f.inferenceRouter.connect(f.governance).unpause();

      await time.increase(WINDOW + 1n);
      expect(await rejection(pushAttribution(ctx, signed))).to.equal(
        `Inference ${id} cannot be settled: its attribution window closed at ${formatTime(await f.inferenceRouter.closingTime(id))}; it can only expire.`,
      );
    });

    it("refuses a batch over the router's limits before signing", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const ctx = f.ctx(f.deployer);
      const id = await f.pay("big");
      const max = await f.inferenceRouter.MAX_CONTRIBUTIONS();
      const ids = Array.from({ length: Number(max) + 1 }, (_, i) => BigInt(i + 1));
      expect(
        await rejection(
          signAttribution(
            ctx,
            [
              report(
                id,
                ids,
                ids.map(() => 0n),
              ),
            ],
            oracle(f),
          ),
        ),
      ).to.equal(`The report for inference ${id} names ${ids.length} contributions; a report may name at most ${max}.`);
      const twice = [report(id, [CONTRIBUTION.dave], [PERCENT]), report(id, [CONTRIBUTION.erin], [PERCENT])];
      expect(await rejection(signAttribution(ctx, twice, oracle(f)))).to.equal(
        `Inference ${id} is attributed twice in the batch.`,
      );
    });
  });

  describe("expireInference", () => {
    it("waits for the whole window on the active clock, however long a pause lasts", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const ctx = f.ctx(f.stranger);
      const id = await f.pay("expiring");
      expect(await rejection(expireInference(ctx, id))).to.equal(
        `The attribution window of inference ${id} is open until ${formatTime(await f.inferenceRouter.closingTime(id))}.`,
      );
      await f.inferenceRouter.connect(f.guardian).pause();
      await time.increase(WINDOW * 3n);
      expect(await rejection(expireInference(ctx, id))).to.match(
        new RegExp(`^The attribution window of inference ${id} is still open: .* remain on the router's active clock`),
      );
      await f.inferenceRouter.connect(f.governance).unpause();
      await time.increase(WINDOW);
      const { pool } = await expireInference(ctx, id);
      expect(pool).to.equal((await requireInference(ctx, id)).pool);
      expect(await rejection(expireInference(ctx, id))).to.equal(`Inference ${id} is Expired, not Pending.`);
    });
  });

  describe("releaseStakerRewards", () => {
    it("refuses when nothing is owed, then sends the stakers' shares to gOPEN for the next reward period", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const ctx = f.ctx(f.stranger);
      expect(await rejection(releaseStakerRewards(ctx))).to.match(/^No stakers' share is waiting to be released/);
      await f.pay("one");
      await f.pay("two");
      const owed = await f.inferenceRouter.stakersOwed();
      expect(owed).to.equal(2n * 64n * 10n ** 15n); // 20% of two 0.32 OPEN model fees
      const released = await releaseStakerRewards(ctx);
      expect(released.amount).to.equal(owed);
      expect(released.streamEnd - released.streamStart).to.equal(await f.stakedOpen.rewardPeriod());
      expect(await f.inferenceRouter.stakersOwed()).to.equal(0n);
      const [, , queued] = await f.stakedOpen.rewardStream();
      expect(queued).to.equal(owed);
    });
  });

  describe("claimCredits", () => {
    it("refuses to send credits to a contract of the suite, where they would be locked", async () => {
      const f = await networkHelpers.loadFixture(suite);
      await f.pay("credit");
      const ctx = f.ctx(f.carol);
      const staking = await f.stakedOpen.getAddress();
      expect(await rejection(claimCredits(ctx, staking))).to.equal(
        `--to ${staking} is the protocol's stakedOpen contract: OPEN sent there would be locked; send it to an account.`,
      );
      expect((await claimCredits(ctx, f.stranger.address)).amount).to.equal(128n * 10n ** 15n);
    });
  });
});

describe("weights and signed files", () => {
  const hash = outputHashOf("the answer");
  const base = { inferenceId: "7", outputHash: hash, indexCommitment: TEST_INDEX, weights: { "2": 0.25 } };

  it("reads inference ids in decimal or hex, and refuses a JSON number too large to be exact", () => {
    const big = 2n ** 255n + 12345n;
    for (const inferenceId of [big.toString(), `0x${big.toString(16)}`]) {
      expect(defined(parseWeightsFile({ ...base, inferenceId }, "w.json", 0n)[0], "report").inferenceId).to.equal(big);
    }
    expect(defined(parseWeightsFile({ ...base, inferenceId: 3 }, "w.json", 0n)[0], "report").inferenceId).to.equal(3n);
    expect(() => parseWeightsFile({ ...base, inferenceId: 2 ** 60 }, "w.json", 0n)).to.throw(
      `w.json: inferenceId ${2 ** 60} is too large for a JSON number; write it as a string, as inference:pay prints it.`,
    );
    expect(() => parseWeightsFile({ ...base, inferenceId: "0" }, "w.json", 0n)).to.throw(/inferenceId must be/);
  });

  it("refuses a report without its output hash or index commitment, naming what is missing", () => {
    const { outputHash: _o, ...noHash } = base;
    expect(() => parseWeightsFile(noHash, "w.json", 0n)).to.throw(
      "w.json has no outputHash, the keccak256 of the output text it attributes; attribution:compute writes it.",
    );
    const { indexCommitment: _i, ...noIndex } = base;
    expect(() => parseWeightsFile([base, noIndex], "w.json", 0n)).to.throw(
      /^w\.json report 2 has no indexCommitment, the commitment of the attribution index its weights were computed on/,
    );
    expect(() => parseWeightsFile({ ...base, indexCommitment: "0x12" }, "w.json", 0n)).to.throw(
      'w.json: indexCommitment must be 32 bytes of hex (0x and 64 hex digits), not "0x12".',
    );
  });

  it("takes the commitments the caller knows, and refuses a file that contradicts them", () => {
    const { outputHash: _o, indexCommitment: _i, ...bare } = base;
    const [r] = parseWeightsFile(bare, "w.json", 100n, { outputHash: hash, indexCommitment: TEST_INDEX });
    expect(r).to.deep.include({ outputHash: hash, indexCommitment: TEST_INDEX, deadline: 100n + 86_400n });
    expect(() => parseWeightsFile(base, "w.json", 0n, { outputHash: outputHashOf("another answer") })).to.throw(
      /^w\.json: outputHash 0x[0-9a-f]{64} does not match the output text/,
    );
  });

  it("refuses a signed file of the v1 router, which committed to neither", () => {
    const v1 = {
      kind: "report",
      router: "0x0000000000000000000000000000000000000001",
      chainId: 31337,
      reports: [{ inferenceId: "1", contributionIds: ["2"], weights: ["1"], deadline: "9" }],
      signatures: [],
    };
    expect(() => parseSigned(v1, "s.json")).to.throw(
      "s.json is not a signed attribution (report 1's outputHash is missing: it was signed for the v1 router, so sign it again); write one with attribution:sign.",
    );
  });

  it("completes the engine's weights with the output hash, and the index commitment when the engine gives one", () => {
    const text = "Frustration discharges a contract when a supervening event makes performance radically different.";
    const output = `As the court said, ${text}`;
    const attribution = attribute(buildIndex([{ contributionId: 4n, datanetId: 1n, text }]), output);
    const plain = reportWeightsJson(5n, attribution, output);
    const json = JSON.parse(plain.text) as Record<string, unknown>;
    expect(json.outputHash).to.equal(outputHashOf(output));
    expect(Object.keys(json.weights as object)).to.deep.equal(["4"]);
    expect(json.indexCommitment).to.equal(plain.indexCommitment); // undefined for an engine without commitments

    const withCommitment = { ...attribution, indexCommitment: TEST_INDEX };
    const committed = reportWeightsJson(5n, withCommitment, output);
    expect(committed.indexCommitment).to.equal(TEST_INDEX);
    const [r] = parseWeightsFile(JSON.parse(committed.text), "w.json", 0n);
    expect(r).to.deep.include({ inferenceId: 5n, outputHash: outputHashOf(output), indexCommitment: TEST_INDEX });
  });
});
