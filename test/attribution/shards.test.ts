/**
 * Shards and the index commitment: one index and the same corpus cut into shards give identical weights
 * and the same commitment; shard files on disk are read on demand; the commitment changes with anything
 * that changes weights, and with nothing else.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { AbiCoder, keccak256, toUtf8Bytes } from "ethers";

import {
  AttributionError,
  COMMITMENT_DOMAIN,
  DEFAULT_NORMALIZATION,
  DEFAULT_PARAMETERS,
  attribute,
  buildIndex,
  indexCommitment,
  parametersJson,
  weightsJson,
  type CorpusDocument,
} from "../../attribution/index.js";
import { generateEvaluationSet } from "../../attribution/evaluation.js";
import { openIndex, writeIndexFiles } from "../../attribution/node/files.js";

const set = generateEvaluationSet({ documents: 60, outputs: 30, seed: 11 });
const documents: CorpusDocument[] = set.documents;

describe("attribution shards", function () {
  this.timeout(60_000);

  const whole = buildIndex(documents);
  const sharded = buildIndex(documents, { maxShardWords: Math.ceil(whole.wordCount / 7) });

  it("cuts the corpus into shards of whole documents", () => {
    expect(whole.shards).to.have.length(1);
    expect(sharded.shards.length).to.be.at.least(7);
    expect(sharded.contributionIds).to.deep.equal(whole.contributionIds);
    expect(sharded.wordCount).to.equal(whole.wordCount);
  });

  it("gives byte-identical weights files from one index and from shards", () => {
    for (const output of set.outputs) {
      expect(weightsJson(1n, attribute(sharded, output.text))).to.equal(weightsJson(1n, attribute(whole, output.text)));
    }
  });

  it("gives identical weights from shard files read from disk on demand, one shard in memory at a time", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "shards-"));
    const file = path.join(dir, "index.json");
    const written = await writeIndexFiles(file, documents, {
      maxShardWords: Math.ceil(whole.wordCount / 8),
      threads: 2,
    });
    expect(written.shardFiles.length).to.be.at.least(8);
    expect(written.commitment).to.equal(indexCommitment(whole));
    const opened = openIndex(file, { maxLoadedShards: 1 });
    expect(indexCommitment(opened)).to.equal(indexCommitment(whole));
    for (const output of set.outputs.slice(0, 10)) {
      expect(weightsJson(1n, attribute(opened, output.text))).to.equal(weightsJson(1n, attribute(whole, output.text)));
    }
    // A single shard is written as one file, which opens the same way.
    const single = path.join(dir, "one.bin");
    await writeIndexFiles(single, documents, { threads: 1 });
    const one = openIndex(single);
    expect(one.shards).to.have.length(1);
    expect(weightsJson(1n, attribute(one, set.outputs[0]!.text))).to.equal(
      weightsJson(1n, attribute(whole, set.outputs[0]!.text)),
    );
  });

  it("writes the same bytes whatever the number of tokenizer threads", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "threads-"));
    await writeIndexFiles(path.join(dir, "a.bin"), documents, { threads: 1 });
    await writeIndexFiles(path.join(dir, "b.bin"), documents, { threads: 2 });
    expect(await readFile(path.join(dir, "a.bin"))).to.deep.equal(await readFile(path.join(dir, "b.bin")));
  });

  it("refuses a damaged shard file when a query first reads it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "damaged-"));
    const file = path.join(dir, "index.json");
    const written = await writeIndexFiles(file, documents, { maxShardWords: Math.ceil(whole.wordCount / 3) });
    const victim = written.shardFiles[1]!;
    const bytes = await readFile(victim);
    bytes[bytes.length - 3]! ^= 0xff;
    await writeFile(victim, bytes);
    const opened = openIndex(file);
    expect(() => attribute(opened, set.outputs[0]!.text)).to.throw(AttributionError, "SHA-256");
    expect(() => openIndex(path.join(dir, "nope.json"))).to.throw(AttributionError, "There is no index at");
  });

  describe("indexCommitment", () => {
    it("is keccak256 of abi.encode(domain, parameters JSON, ids, content hashes), as the README documents", () => {
      const ids = whole.contributionIds;
      const hashes = documents
        .slice()
        .sort((a, b) => (a.contributionId < b.contributionId ? -1 : 1))
        .map((d) => keccak256(toUtf8Bytes(d.text)));
      const expected = keccak256(
        AbiCoder.defaultAbiCoder().encode(
          ["string", "string", "uint256[]", "bytes32[]"],
          [COMMITMENT_DOMAIN, parametersJson(DEFAULT_NORMALIZATION, DEFAULT_PARAMETERS), ids, hashes],
        ),
      );
      expect(indexCommitment(whole)).to.equal(expected);
      expect(indexCommitment(whole)).to.match(/^0x[0-9a-f]{64}$/);
      expect(parametersJson(DEFAULT_NORMALIZATION, DEFAULT_PARAMETERS)).to.equal(
        '{"engine":"openledger-poa/2","caseFold":true,"punctuation":"strip","seedWords":3,"maxSeedOccurrences":64,' +
          '"seedEvidence":1000,"maxGapWords":16,"gapCost":50,"shiftCost":200,"minChainEvidence":2000,"maxDocumentsPerRegion":16}',
      );
    });

    it("is the same when rebuilt from the same inputs in any order, and names the attribution's parameters", () => {
      const again = buildIndex([...documents].reverse());
      expect(indexCommitment(again)).to.equal(indexCommitment(whole));
      const a = attribute(whole, set.outputs[0]!.text);
      expect(a.indexCommitment).to.equal(indexCommitment(whole));
      const b = attribute(whole, set.outputs[0]!.text, { minSpan: 5 });
      expect(b.indexCommitment).to.equal(indexCommitment(whole, { ...DEFAULT_PARAMETERS, seedWords: 5 }));
      expect(b.indexCommitment).to.not.equal(a.indexCommitment);
    });

    it("changes with the content hashes, the contributions and the normalisation", () => {
      const base = indexCommitment(whole);
      const registered = documents.map((d, i) =>
        i === 0 ? { ...d, contentHash: keccak256(toUtf8Bytes(`${d.text}\n`)) } : d,
      );
      expect(indexCommitment(buildIndex(registered))).to.not.equal(base);
      expect(indexCommitment(buildIndex(documents.slice(1)))).to.not.equal(base);
      expect(
        indexCommitment(buildIndex(documents, { normalization: { caseFold: false, punctuation: "strip" } })),
      ).to.not.equal(base);
    });
  });
});
