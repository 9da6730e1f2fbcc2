/**
 * The client's oracle side of attribution (sdk/client/attribution.ts) on the in-process network, against the v2
 * router: reports that commit to their output and index, signed only when they could settle, forfeited shares,
 * skipped batch reports, the router's limits. Every refusal is a ProtocolError, before any transaction is sent.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { network } from "hardhat";

import type { SentTransaction } from "../../../sdk/client/index.js";
import { sharePool } from "../../../sdk/core/fees.js";
import { formatTime } from "../../../sdk/core/format.js";
import { readSignedAttribution, writeSignedAttribution } from "../../../sdk/core/signed.js";
import { TEST_INFERENCE_PARAMS, type Connection } from "../../fixtures/protocol.js";
import { defined } from "../../helpers/constants.js";
import { CONTRIBUTION, PERCENT, clientSuite, refusal, report, type ClientSuite } from "./suite.js";

const connection = await network.create();
const { networkHelpers } = connection;
const { time } = networkHelpers;
const WINDOW = TEST_INFERENCE_PARAMS.attributionWindow;

async function suite(conn: Connection) {
  return clientSuite(conn);
}

/** The oracle's first two signers (its threshold). */
const oracle = (f: ClientSuite) =>
  [defined(f.oracleSigners[0], "signer 0"), defined(f.oracleSigners[1], "signer 1")] as [
    HardhatEthersSigner,
    HardhatEthersSigner,
  ];

describe("client attribution", () => {
  describe("sign", () => {
    it("signs a report for this deployment's router that verifies", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const { attribution } = f.client(f.deployer);
      const id = await f.pay("signed");
      const signed = await attribution.sign([report(id, [CONTRIBUTION.dave], [PERCENT])], oracle(f));
      expect(signed).to.include({ kind: "report", router: f.deployment.addresses.inferenceRouter });
      expect(BigInt(signed.chainId)).to.equal(f.chainId);
      const { signers } = await attribution.verify(signed);
      expect(signers).to.have.members(oracle(f).map((s) => s.address));
    });

    it("refuses no signer, fewer than the threshold, one given twice or not registered", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const { attribution } = f.client(f.deployer);
      const r = report(await f.pay("signers"), [CONTRIBUTION.dave], [PERCENT]);
      const [first, second] = oracle(f);
      await refusal(attribution.sign([r], []), "NoSigners");
      await refusal(attribution.sign([r], [first]), "TooFewSigners", { count: 1n, threshold: 2n });
      await refusal(attribution.sign([r], [first, first]), "DuplicateSigner", { signer: first.address });
      await refusal(attribution.sign([r], [first, f.stranger]), "UnregisteredSigner", { signer: f.stranger.address });
      expect((await attribution.sign([r], [first, second])).signatures).to.have.length(2);
    });

    it("refuses a report that could never settle: an unknown inference, or a contribution it may not name", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const { attribution } = f.client(f.deployer);
      const id = await f.pay("unsignable");
      await refusal(attribution.sign([report(99n, [CONTRIBUTION.dave], [PERCENT])], oracle(f)), "UnknownInference");
      await refusal(
        attribution.sign([report(id, [CONTRIBUTION.penalized], [PERCENT])], oracle(f)),
        "ContributionPenalized",
        { contributionId: CONTRIBUTION.penalized, inferenceId: id },
      );
      await refusal(
        attribution.sign([report(id, [CONTRIBUTION.erin, CONTRIBUTION.dave], [PERCENT, PERCENT])], oracle(f)),
        "ContributionsNotInOrder",
      );
      await refusal(
        attribution.sign([report(id, [CONTRIBUTION.dave], [PERCENT, PERCENT])], oracle(f)),
        "WeightsMismatch",
      );
      await refusal(
        attribution.sign([report(id, [CONTRIBUTION.dave], [100n * PERCENT + 1n])], oracle(f)),
        "WeightsExceedOne",
      );
    });
  });

  describe("signers", () => {
    it("lists the oracle's registered signers, ascending by address, as they are added and removed", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const { attribution } = f.client(f.deployer);
      const registered = f.oracleSigners.map((s) => s.address);
      const ascending = (list: string[]) => [...list].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      expect(await attribution.signers()).to.deep.equal(ascending(registered));
      // Governance (the oracle's owner) removes one signer and adds another.
      const owner = await f.attributionOracle.owner();
      await networkHelpers.impersonateAccount(owner);
      await networkHelpers.setBalance(owner, 10n ** 18n);
      const governance = await connection.ethers.getSigner(owner);
      const [removed, ...kept] = registered;
      await f.attributionOracle.connect(governance).removeSigner(defined(removed, "signer 0"));
      await f.attributionOracle.connect(governance).addSigner(f.carol.address);
      expect(await attribution.signers()).to.deep.equal(ascending([...kept, f.carol.address]));
    });
  });

  describe("push", () => {
    it("settles a report, forfeiting the share of a contribution penalized after it was signed", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const id = await f.pay("late penalty");
      const client = f.client(f.deployer);
      const weights = [60n * PERCENT, 40n * PERCENT];
      const signed = await client.attribution.sign(
        [report(id, [CONTRIBUTION.dave, CONTRIBUTION.erin], weights)],
        oracle(f),
      );
      await f.datanetRegistry.connect(f.bob).penalize(CONTRIBUTION.erin, "found copied");

      const pool = (await client.inference.require(id)).pool;
      const pushed = await client.attribution.push(signed);
      const expected = sharePool(pool, weights, TEST_INFERENCE_PARAMS.attributionThreshold, [false, true]);
      expect(pushed.forfeiting).to.deep.equal([CONTRIBUTION.erin]);
      const settled = defined(pushed.settled[0], "settled");
      expect(settled.credited).to.equal(expected.amounts[0]);
      expect(settled.forfeited).to.deep.equal([{ contributionId: CONTRIBUTION.erin, amount: expected.forfeited[1] }]);
      expect(settled.toTreasury).to.equal(expected.toTreasury);
      expect(await f.inferenceRouter.creditOf(f.erin)).to.equal(0n);
      expect((await client.ledger.check()).holds).to.equal(true);
    });

    it("refuses a contribution that can never be named: rejected, pending or from another datanet", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const id = await f.pay("invalid");
      const { attribution } = f.client(f.deployer);
      for (const contributionId of [CONTRIBUTION.rejected, CONTRIBUTION.pending, CONTRIBUTION.otherDatanet]) {
        const reports = [report(id, [contributionId], [10n * PERCENT])];
        const args = { contributionId, inferenceId: id, modelId: 1n, datanets: "1" };
        // The client signs no such report; one signed elsewhere is refused before it is sent.
        await refusal(attribution.sign(reports, oracle(f)), "ContributionNotNameable", args);
        const e = await refusal(
          attribution.push(await f.signUnchecked(reports, oracle(f))),
          "ContributionNotNameable",
          args,
        );
        expect(e.message).to.equal(
          `Contribution ${contributionId} cannot be named for inference ${id}: it was never accepted, or it is outside model 1's datanets (1).`,
        );
      }
    });

    it("skips a batch's reports of settled inferences, and refuses a batch where nothing would settle", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const { attribution } = f.client(f.deployer);
      const [a, b] = [await f.pay("a"), await f.pay("b")];
      const reports = [a, b].map((id) => report(id, [CONTRIBUTION.dave], [PERCENT * 100n]));
      const batch = await attribution.sign(reports, oracle(f));
      expect(batch.kind).to.equal("batch");
      const first = [defined(reports[0], "a")];
      await attribution.push(await attribution.sign(first, oracle(f)));

      const pushed = await attribution.push(batch);
      expect(pushed.settled.map((s) => s.inferenceId)).to.deep.equal([b]);
      expect(pushed.skipped).to.deep.equal([{ inferenceId: a, status: "Settled" }]);
      const nothing = await refusal(attribution.push(batch), "NothingToSettle");
      expect(nothing.message).to.equal(
        `Nothing in the batch would settle: inference ${a}: it is Settled; inference ${b}: it is Settled.`,
      );
      const settled = { inferenceId: a, status: "Settled", closingTime: 0n };
      await refusal(attribution.sign(first, oracle(f)), "NotSettleable", settled);
      const again = await refusal(attribution.push(await f.signUnchecked(first, oracle(f))), "NotSettleable", settled);
      expect(again.message).to.equal(`Inference ${a} cannot be settled: it is Settled.`);
    });

    it("refuses a report whose window closed, a report changed after signing, and a pause", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const { attribution } = f.client(f.deployer);
      const id = await f.pay("late");
      const signed = await attribution.sign([report(id, [CONTRIBUTION.dave], [PERCENT])], oracle(f));

      const tampered = readSignedAttribution(
        JSON.parse(writeSignedAttribution(signed).replace(`"${PERCENT}"`, `"${2n * PERCENT}"`)),
        "x",
      );
      const signer = defined(signed.signatures[0], "signature").signer;
      const changed = await refusal(attribution.push(tampered), "SignatureMismatch", { signer });
      expect(changed.message).to.equal(
        `The signature of ${signer} does not sign these reports: the file was changed after it was signed.`,
      );
      await refusal(attribution.push({ ...signed, signatures: signed.signatures.slice(0, 1) }), "TooFewSignatures", {
        count: 1n,
        threshold: 2n,
      });
      await refusal(attribution.push({ ...signed, chainId: 1 }), "WrongDeployment", { chainId: 1n });

      await f.inferenceRouter.connect(f.guardian).pause();
      const paused = await refusal(attribution.push(signed), "SettlementPaused");
      expect(paused.message).to.match(/^Settlement is paused by the guardian/);
      await f.inferenceRouter.connect(f.governance).unpause();

      await time.increase(WINDOW + 1n);
      const closingTime = await f.inferenceRouter.closingTime(id);
      const closed = await refusal(attribution.push(signed), "NotSettleable", { inferenceId: id, closingTime });
      expect(closed.message).to.equal(
        `Inference ${id} cannot be settled: its attribution window closed at ${formatTime(closingTime)}; it can only expire.`,
      );
    });

    it("refuses a report past its deadline", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const { attribution } = f.client(f.deployer);
      const id = await f.pay("deadline");
      const deadline = BigInt(await time.latest()) + 60n;
      const signed = await attribution.sign([report(id, [CONTRIBUTION.dave], [PERCENT], { deadline })], oracle(f));
      await time.increaseTo(deadline);
      await refusal(attribution.push(signed), "ReportExpired", { inferenceId: id, deadline });
    });

    it("tells the hash and nonce of a settlement once sent, and its gas once mined", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const client = f.client(f.deployer);
      const signed = await client.attribution.sign(
        [report(await f.pay("hooked"), [CONTRIBUTION.dave], [PERCENT])],
        oracle(f),
      );
      const sent: SentTransaction[] = [];
      const nonce = await connection.ethers.provider.getTransactionCount(f.deployer.address);
      const pushed = await client.attribution.push(signed, { onSent: (tx) => void sent.push(tx) });
      // What replacing it would take: its target, calldata, gas limit and fees.
      const tx = (await connection.ethers.provider.getTransaction(pushed.hash))!;
      expect(sent).to.deep.equal([
        {
          hash: pushed.hash,
          nonce,
          to: tx.to,
          data: tx.data,
          gasLimit: tx.gasLimit,
          maxFeePerGas: tx.maxFeePerGas,
          maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
          gasPrice: null,
        },
      ]);
      const receipt = (await connection.ethers.provider.getTransactionReceipt(pushed.hash))!;
      expect(pushed.gasUsed).to.equal(receipt.gasUsed);
      expect(pushed.gasCost).to.equal(receipt.fee);
    });

    it("refuses to wait longer than asked for a settlement not mined, which stays sent", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const client = f.client(f.deployer);
      const signed = await client.attribution.sign(
        [report(await f.pay("unmined"), [CONTRIBUTION.dave], [PERCENT])],
        oracle(f),
      );
      const provider = connection.ethers.provider;
      const sent: SentTransaction[] = [];
      await provider.send("evm_setAutomine", [false]);
      try {
        const e = await refusal(
          client.attribution.push(signed, { onSent: (tx) => void sent.push(tx), timeoutMs: 500 }),
          "NotMinedYet",
        );
        expect(e.args).to.deep.include({ hash: sent[0]?.hash, nonce: BigInt(sent[0]?.nonce ?? -1), seconds: 1n });
        expect(e.message).to.match(/^Transaction 0x[0-9a-f]{64} \(nonce \d+\) was sent but not mined within 1 s/);
      } finally {
        await provider.send("evm_setAutomine", [true]);
      }
      await provider.send("evm_mine", []);
      const receipt = await provider.getTransactionReceipt(sent[0]!.hash);
      expect(receipt?.status).to.equal(1);
    });

    it("refuses a batch over the router's limits before signing", async () => {
      const f = await networkHelpers.loadFixture(suite);
      const { attribution } = f.client(f.deployer);
      const id = await f.pay("big");
      const max = await f.inferenceRouter.MAX_CONTRIBUTIONS();
      expect((await attribution.limits()).perReport).to.equal(max);
      const ids = Array.from({ length: Number(max) + 1 }, (_, i) => BigInt(i + 1));
      const large = await refusal(
        attribution.sign(
          [
            report(
              id,
              ids,
              ids.map(() => 0n),
            ),
          ],
          oracle(f),
        ),
        "ReportTooLarge",
        { inferenceId: id, count: BigInt(ids.length), max },
      );
      expect(large.message).to.equal(
        `The report for inference ${id} names ${ids.length} contributions; a report may name at most ${max}.`,
      );
      const twice = [report(id, [CONTRIBUTION.dave], [PERCENT]), report(id, [CONTRIBUTION.erin], [PERCENT])];
      const e = await refusal(attribution.sign(twice, oracle(f)), "AttributedTwice", { inferenceId: id });
      expect(e.message).to.equal(`Inference ${id} is attributed twice in the batch.`);
    });
  });
});
