/**
 * The engine end to end on the in-process network: contribution texts are checked against their on-chain
 * content hashes and indexed, a paid inference's output is attributed with the router's threshold and the
 * registry's eligibility, and the computed report, committing to the output's hash and to the index, is
 * signed by the oracle, pushed and settled, each contributor credited exactly its share of the pool.
 */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { MaxUint256, keccak256, toUtf8Bytes } from "ethers";
import { network } from "hardhat";

import { attribute, outputHash, type Attribution } from "../../attribution/index.js";
import { sharePool } from "../../sdk/core/fees.js";
import { inferenceIdOf } from "../../sdk/core/inference.js";
import { readWeightsFile, writeWeightsFile } from "../../sdk/core/weights.js";
import { loadIndex, readContributionTexts, writeIndex } from "../../tasks/lib/engine.js";
import type { Connection } from "../fixtures/protocol.js";
import { defined } from "../helpers/constants.js";
import { MODEL, RATES, clientSuite, refusal, requestId } from "../sdk/client/suite.js";

const connection = await network.create();
const { networkHelpers } = connection;

const TEXTS = {
  dave: "Contract formation requires offer, acceptance, consideration and an intention to create legal relations between the parties.",
  erin: "A limitation clause is construed strictly against the party relying on it, and ambiguity is resolved contra proferentem.",
  frank:
    "Frustration discharges a contract when a supervening event makes performance radically different from what was agreed.",
};

/** clientSuite plus datanet 3 of three real legal texts, accepted, and model 4 trained on it, Active and paid. */
async function textFixture(conn: Connection) {
  const f = await clientSuite(conn);
  await f.datanetRegistry.connect(f.bob).createDatanet("ipfs://datanet-3/contracts.json", 10n ** 18n);
  const ids: bigint[] = [];
  for (const [who, text] of [
    [f.dave, TEXTS.dave],
    [f.erin, TEXTS.erin],
    [f.frank, TEXTS.frank],
  ] as const) {
    await f.datanetRegistry.connect(who).contribute(3n, keccak256(toUtf8Bytes(text)), "ipfs://text", 100n, 10n ** 18n);
    ids.push(await f.datanetRegistry.contributionCount());
  }
  await f.datanetRegistry.connect(f.bob).reviewBatch(ids, [true, true, true]);
  const bond = await f.modelRegistry.proposalBond();
  await f.modelRegistry.connect(f.carol).proposeModel("ipfs://model/contracts-8b.json", [3n], RATES, bond);
  const modelId = await f.modelRegistry.modelCount();
  await f.modelRegistry.connect(f.governance).approveModel(modelId);
  await f.modelRegistry.connect(f.carol).registerArtifact(modelId, keccak256(toUtf8Bytes("weights")), "ipfs://w", 0n);
  await f.modelRegistry.connect(f.carol).activateModel(modelId);
  await f.inferenceRouter.connect(f.payer).payInference(modelId, 2_000n, 1_000n, requestId("legal"), MaxUint256);

  const dir = await mkdtemp(path.join(tmpdir(), "texts-"));
  const contents = path.join(dir, "texts");
  await mkdir(contents);
  for (const [i, text] of [TEXTS.dave, TEXTS.erin, TEXTS.frank].entries()) {
    await writeFile(path.join(contents, `${ids[i]}.txt`), text);
  }
  return { ...f, ids, modelId, inferenceId: inferenceIdOf(f.payer.address, requestId("legal")), dir, contents };
}

/**
 * The report the oracle signs for `output`: the engine's weights file as attribution compute writes it (with the
 * output's hash and the index commitment), read back as attribution sign reads it, checked against the output.
 */
function computedReport(inferenceId: bigint, attribution: Attribution, output: string, now: bigint) {
  const json: unknown = JSON.parse(writeWeightsFile(inferenceId, attribution));
  return readWeightsFile(json, "weights.json", now, { outputHash: outputHash(output) });
}

describe("attribution engine on the in-process network", () => {
  it("indexes checked texts, attributes an output, and the signed report settles to the wei", async () => {
    const f = await networkHelpers.loadFixture(textFixture);
    const { attribution: oracle } = f.client(f.deployer);
    const texts = await readContributionTexts(f.contents);
    const { documents, unused } = await oracle.corpus([3n], texts);
    expect(documents.map((d) => d.contributionId)).to.deep.equal(f.ids);
    expect(unused).to.equal(0);
    const file = path.join(f.dir, "index.bin");
    await writeIndex(file, documents);
    const index = await loadIndex(file);

    // The model's answer reuses Dave's sentence whole and half of Frank's.
    const output = `${TEXTS.dave} Moreover, ${TEXTS.frank.slice(0, 70)} and so on.`;
    const { attribution, contributors } = await oracle.attribute(attribute, index, f.inferenceId, output);
    const [daveId, erinId, frankId] = f.ids as [bigint, bigint, bigint];
    expect(attribution.weights.map((w) => w.contributionId)).to.deep.equal([daveId, frankId]);
    expect(contributors.get(daveId)).to.equal(f.dave.address);
    expect(attribution.scores.some((s) => s.contributionId === erinId)).to.equal(false);
    const [dave, frank] = attribution.weights.map((w) => w.weight) as [bigint, bigint];
    expect(dave).to.be.greaterThan(frank);

    const now = BigInt((await connection.ethers.provider.getBlock("latest"))!.timestamp);
    const reports = computedReport(f.inferenceId, attribution, output, now);
    const signed = await oracle.sign(reports, f.oracleSigners.slice(0, 2));
    const pool = (await f.inferenceRouter.getInference(f.inferenceId)).pool;
    const before = [await f.inferenceRouter.creditOf(f.dave), await f.inferenceRouter.creditOf(f.frank)];
    const pushed = await oracle.push(signed);

    const expected = sharePool(pool, [dave, frank], await f.inferenceRouter.attributionThreshold());
    expect((await f.inferenceRouter.creditOf(f.dave)) - before[0]!).to.equal(expected.amounts[0]);
    expect((await f.inferenceRouter.creditOf(f.frank)) - before[1]!).to.equal(expected.amounts[1]);
    expect((await f.inferenceRouter.getInference(f.inferenceId)).status).to.equal(2n); // Settled
    // The settlement names what was attributed: anyone with the texts can recompute the weights.
    const settled = defined(pushed.settled[0], "settlement");
    expect(settled.outputHash).to.equal(outputHash(output));
    expect(settled.indexCommitment).to.equal(defined(reports[0], "report").indexCommitment);
  });

  it("settles a computed report whose contribution was penalized after signing: its share is forfeited", async () => {
    const f = await networkHelpers.loadFixture(textFixture);
    const { attribution: oracle } = f.client(f.deployer);
    const { documents } = await oracle.corpus([3n], await readContributionTexts(f.contents));
    const file = path.join(f.dir, "index-forfeit.bin");
    await writeIndex(file, documents);
    const output = `${TEXTS.dave} Moreover, ${TEXTS.frank.slice(0, 70)} and so on.`;
    const { attribution } = await oracle.attribute(attribute, await loadIndex(file), f.inferenceId, output);
    const now = BigInt((await connection.ethers.provider.getBlock("latest"))!.timestamp);
    const reports = computedReport(f.inferenceId, attribution, output, now);
    const signed = await oracle.sign(reports, f.oracleSigners.slice(0, 2));
    const [daveId, , frankId] = f.ids as [bigint, bigint, bigint];
    await f.datanetRegistry.connect(f.bob).penalize(frankId, "copied");

    const pool = (await f.inferenceRouter.getInference(f.inferenceId)).pool;
    const pushed = await oracle.push(signed);
    const weights = attribution.weights.map((w) => w.weight);
    const expected = sharePool(pool, weights, await f.inferenceRouter.attributionThreshold(), [false, true]);
    const settled = defined(pushed.settled[0], "settlement");
    expect(attribution.weights.map((w) => w.contributionId)).to.deep.equal([daveId, frankId]);
    expect(settled.credited).to.equal(expected.amounts[0]);
    expect(settled.forfeited).to.deep.equal([{ contributionId: frankId, amount: expected.forfeited[1] }]);
    expect(settled.toTreasury).to.equal(expected.toTreasury);
  });

  it("refuses a text that does not match its content hash, or a missing one, naming the contribution", async () => {
    const f = await networkHelpers.loadFixture(textFixture);
    const { attribution: oracle } = f.client(f.deployer);
    const [daveId] = f.ids as [bigint];
    // A copy of the texts with Dave's edited (the fixture's folder is shared by the tests).
    const copy = await mkdtemp(path.join(tmpdir(), "tampered-"));
    for (const [i, text] of [`${TEXTS.dave} (edited)`, TEXTS.erin, TEXTS.frank].entries()) {
      await writeFile(path.join(copy, `${f.ids[i]}.txt`), text);
    }
    const tampered = await readContributionTexts(copy);
    const error = await refusal(oracle.corpus([3n], tampered), "TextHashMismatch", {
      contributionId: daveId,
      onChain: keccak256(toUtf8Bytes(TEXTS.dave)),
    });
    expect(error.message).to.match(new RegExp(`^The text of contribution ${daveId} .* but the registry holds 0x`));

    tampered.delete(daveId);
    const missing = await refusal(oracle.corpus([3n], tampered), "MissingText", { contributionId: daveId });
    expect(missing.message).to.equal(`There is no text for contribution ${daveId}, accepted in datanet 3.`);
    const unknown = await refusal(oracle.corpus([99n], tampered), "UnknownDatanet");
    expect(unknown.message).to.equal("There is no datanet 99.");
  });

  it("gives a penalized contribution nothing, and refuses an index without the model's datanets or an unknown inference", async () => {
    const f = await networkHelpers.loadFixture(textFixture);
    const { attribution: oracle } = f.client(f.deployer);
    const [daveId] = f.ids as [bigint];
    const { documents } = await oracle.corpus([3n], await readContributionTexts(f.contents));
    const file = path.join(f.dir, "index.bin");
    await writeIndex(file, documents);
    const index = await loadIndex(file);
    await f.datanetRegistry.connect(f.bob).penalize(daveId, "plagiarised");
    const { attribution } = await oracle.attribute(attribute, index, f.inferenceId, TEXTS.dave);
    expect(attribution.weights).to.deep.equal([]);
    expect(defined(attribution.scores[0], "dave's score")).to.include({ contributionId: daveId, eligible: false });

    const onModel1 = await f.pay("medical", MODEL.datanet1);
    const other = await refusal(oracle.attribute(attribute, index, onModel1, TEXTS.dave), "IndexMissingDatanets", {
      modelId: MODEL.datanet1,
      missing: "1",
      datanets: "1",
    });
    expect(other.message).to.equal("The index does not hold datanet 1 of model 1; rebuild it over datanets 1.");
    const absent = await refusal(oracle.attribute(attribute, index, 99n, TEXTS.dave), "UnknownInference");
    expect(absent.message).to.equal("There is no inference 99.");
    // A settled inference is attributed again only when asked to (to recompute a past settlement).
    const reports = computedReport(f.inferenceId, attribution, TEXTS.dave, BigInt(await networkHelpers.time.latest()));
    await oracle.push(await oracle.sign(reports, f.oracleSigners.slice(0, 2)));
    await refusal(oracle.attribute(attribute, index, f.inferenceId, TEXTS.dave), "InferenceNotPending", {
      status: "Settled",
    });
    const again = await oracle.attribute(attribute, index, f.inferenceId, TEXTS.dave, { settled: true });
    expect(again.attribution.weights).to.deep.equal(attribution.weights);
    const noFile = await loadIndex(path.join(f.dir, "nope.bin")).catch((e: unknown) => e);
    expect((noFile as Error).message).to.match(
      /^There is no index at .*nope\.bin; build one with `npx hardhat attribution index`\.$/,
    );
  });
  it("attributes many outputs at once, each with attribute's result or refusal, in order", async () => {
    const f = await networkHelpers.loadFixture(textFixture);
    const { attribution: oracle } = f.client(f.deployer);
    const { documents } = await oracle.corpus([3n], await readContributionTexts(f.contents));
    const file = path.join(f.dir, "index.bin");
    await writeIndex(file, documents);
    const index = await loadIndex(file);
    const second = await f.pay("legal 2", f.modelId);
    const onModel1 = await f.pay("medical", MODEL.datanet1);
    const outputs = [
      { inferenceId: f.inferenceId, output: `${TEXTS.dave} ${TEXTS.erin}` },
      { inferenceId: 99n, output: TEXTS.dave },
      { inferenceId: second, output: TEXTS.frank },
      { inferenceId: onModel1, output: TEXTS.dave },
      { inferenceId: second, output: TEXTS.erin },
    ];
    const many = await oracle.attributeMany(attribute, index, outputs);
    expect(many.map((r) => r.status)).to.deep.equal(["fulfilled", "rejected", "fulfilled", "rejected", "fulfilled"]);
    for (const [i, { inferenceId, output }] of outputs.entries()) {
      const one = await oracle.attribute(attribute, index, inferenceId, output).then(
        (value) => ({ status: "fulfilled", value }),
        (reason: unknown) => ({ status: "rejected", reason }),
      );
      expect(many[i]).to.deep.equal(one);
    }
    const fulfilled = many.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(fulfilled.map((a) => a.attribution.weights.length)).to.deep.equal([2, 1, 1]);
    expect(await oracle.attributeMany(attribute, index, [])).to.deep.equal([]);
  });
});
