/**
 * The oracle node's database layer on PGlite: migrations applied once (a reopened data folder keeps its state),
 * idempotent upserts of everything the chain follower replays, outputs never replaced, proposal locks held by one
 * proposal at a time, transactions followed up after a restart, and the figures /metrics reads.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { openDatabase } from "../../services/oracle/db.js";
import { OracleStore, reportsFromJson, reportsToJson } from "../../services/oracle/store.js";

const HASH = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;
const BIG = 2n ** 255n + 7n;

const POSTGRES = process.env.ORACLE_TEST_DATABASE_URL;

for (const backend of POSTGRES === undefined ? ["PGlite"] : ["PGlite", "PostgreSQL"]) {
  describe(`oracle store (${backend})`, function () {
    // PGlite initialises a database cluster on first open: seconds on a loaded machine.
    this.timeout(120_000);
    let dir: string;
    let store: OracleStore;
    let location: string;

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), "oracle-store-"));
      location = backend === "PostgreSQL" ? POSTGRES! : path.join(dir, "db");
      if (backend === "PostgreSQL") {
        const db = await openDatabase(location);
        await db.exec(
          "DROP TABLE IF EXISTS schema_migrations, checkpoint, inferences, outputs, reports, proposals, locks, signatures, transactions, contributions, counters",
        );
        await db.close();
      }
      store = new OracleStore(await openDatabase(location));
    });
    after(async () => {
      await store?.db.close();
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    });

    it("applies a block range once, however often it is replayed, and keeps the checkpoint monotonic", async () => {
      expect(await store.checkpoint()).to.equal(undefined);
      const inferences = [
        { kind: "paid" as const, id: BIG, modelId: 1n, block: 10, pool: 10n ** 30n },
        { kind: "paid" as const, id: 2n, modelId: 1n, block: 10, pool: 5n },
        { kind: "settled" as const, id: 2n, tx: HASH(9) },
      ];
      const contributions = [
        { kind: "submitted" as const, id: 1n, datanetId: 1n, contentHash: HASH(1), uri: "file:///a" },
        { kind: "submitted" as const, id: 2n, datanetId: 1n, contentHash: HASH(2), uri: "file:///b" },
        { kind: "reviewed" as const, id: 1n, accepted: true },
        { kind: "reviewed" as const, id: 2n, accepted: true },
        { kind: "penalized" as const, id: 2n },
      ];
      for (let i = 0; i < 2; i++) await store.applyRange(12, inferences, contributions);
      await store.applyRange(11, [], []);
      expect(await store.checkpoint()).to.equal(12);
      expect(await store.inferenceStatus(BIG)).to.equal("pending");
      expect(await store.inferenceStatus(2n)).to.equal("settled");
      // A penalty is final: replaying the review that preceded it does not undo it.
      await store.applyRange(13, [], [{ kind: "reviewed", id: 2n, accepted: true }]);
      expect((await store.contribution(2n))?.status).to.equal("penalized");
      expect((await store.contributionsToFetch()).map((c) => c.id)).to.deep.equal([1n]);
      await store.setContributionText(1n, "verified", "text one");
      expect(await store.contributionsToFetch()).to.deep.equal([]);
      const indexable = await store.indexable([1n]);
      expect(indexable.map((c) => [c.id, c.text])).to.deep.equal([[1n, "text one"]]);
    });

    it("keeps the first output of an inference and never replaces it", async () => {
      const output = {
        inferenceId: BIG,
        outputHash: HASH(3),
        text: "first",
        signature: "0x",
        tokens: 1,
        paidTokens: 1n,
        tokenMismatch: false,
        receivedAt: 1,
      };
      expect((await store.saveOutput(output)).text).to.equal("first");
      expect((await store.saveOutput({ ...output, text: "second", outputHash: HASH(4) })).text).to.equal("first");
      const pending = await store.pendingWithOutput();
      expect(pending.map((p) => [p.output.inferenceId, p.modelId, p.report])).to.deep.equal([[BIG, 1n, undefined]]);
    });

    it("stores reports, offers the ready ones, and locks each inference to one live proposal", async () => {
      const report = {
        inferenceId: BIG,
        outputHash: HASH(3),
        indexCommitment: HASH(5),
        contributionIds: [1n],
        weights: [10n ** 18n],
      };
      await store.saveReport(report);
      await store.saveReport(report);
      expect(await store.report(BIG)).to.deep.equal(report);
      expect((await store.ready(1_000, 10)).map((r) => r.inferenceId)).to.deep.equal([BIG]);
      expect(await store.lock([BIG], "p1", 2_000, 1_000)).to.deep.equal([]);
      expect(await store.lock([BIG], "p1", 2_500, 1_000), "the same proposal again").to.deep.equal([]);
      expect(await store.lock([BIG], "p2", 3_000, 1_500)).to.deep.equal([BIG]);
      expect(await store.ready(1_500, 10), "held by p1").to.deep.equal([]);
      expect(await store.lock([BIG], "p2", 4_000, 2_600), "p1's lock expired").to.deep.equal([]);
      await store.unlock("p2");
      expect((await store.ready(2_600, 10)).map((r) => r.inferenceId)).to.deep.equal([BIG]);
      await store.refuseReport(BIG, "the router refused it");
      expect(await store.ready(2_600, 10)).to.deep.equal([]);
    });

    it("round-trips proposals, signatures and sent transactions", async () => {
      const reports = [{ ...(await store.report(BIG))!, deadline: 99n }];
      expect(reportsFromJson(reportsToJson(reports))).to.deep.equal(reports);
      await store.saveProposal({ id: HASH(6), leader: "0xabc", slot: 3, kind: "report", reports, status: "proposed" });
      await store.setProposalStatus(HASH(6), "sent");
      expect((await store.proposal(HASH(6)))?.reports).to.deep.equal(reports);
      await store.saveSignature(HASH(6), "0xabc", "0x01");
      await store.saveSignature(HASH(6), "0xabc", "0x01");
      expect(await store.signatures(HASH(6))).to.deep.equal([{ signer: "0xabc", signature: "0x01" }]);
      const request = {
        to: "0x00000000000000000000000000000000000000aa",
        data: "0x1234",
        gasLimit: 250_000n,
        maxFeePerGas: 2n * 10n ** 9n,
        maxPriorityFeePerGas: 10n ** 9n,
        gasPrice: null,
      };
      await store.recordTransaction(HASH(7), HASH(6), 4, request);
      await store.recordTransaction(HASH(7), HASH(6), 4, request);
      // Its replacement: same nonce, recorded beside it; both are followed up until one is mined.
      await store.recordTransaction(HASH(8), HASH(6), 4, { ...request, maxFeePerGas: 3n * 10n ** 9n }, "cancel");
      const unfinished = await store.unfinishedTransactions();
      expect(unfinished.map((t) => [t.hash, t.nonce, t.kind])).to.deep.equal([
        [HASH(7), 4, "settle"],
        [HASH(8), 4, "cancel"],
      ]);
      expect(unfinished[0]?.request).to.deep.equal(request);
      expect(unfinished[1]?.request?.maxFeePerGas).to.equal(3n * 10n ** 9n);
      await store.finishTransaction(HASH(7), "mined", { gasUsed: 21_000n, gasCost: 10n ** 20n });
      await store.finishTransaction(HASH(8), "replaced");
      expect(await store.unfinishedTransactions()).to.deep.equal([]);
    });

    it("keeps its state across a reopen, and counts what /metrics shows", async () => {
      await store.increment("disagreements", 2);
      await store.increment("disagreements");
      await store.db.close();
      store = new OracleStore(await openDatabase(location));
      expect(await store.checkpoint()).to.equal(13);
      const figures = await store.figures();
      expect(figures).to.include({
        seen: 2n,
        settled: 1n,
        pending: 1n,
        outputs: 1n,
        transactions: 2n, // a settlement and its replacement
        gas_used: 21_000n,
        gas_cost: 10n ** 20n,
        disagreements: 3n,
        indexed: 1n,
      });
    });

    it("opens in memory too, with the same schema", async () => {
      const memory = new OracleStore(await openDatabase("memory://"));
      try {
        expect(await memory.checkpoint()).to.equal(undefined);
        expect((await memory.figures()).seen).to.equal(0n);
      } finally {
        await memory.db.close();
      }
    });
  });
}
