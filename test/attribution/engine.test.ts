/**
 * The attribution engine above the suffix array: normalisation, the index file, seed-and-extend
 * scoring in words, sharing, determinism, the output hash, and quality on the generated pseudo-text
 * fixture. The real-text evaluation is a benchmark (npm run bench:attribution), not a test.
 */
import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";

import {
  AttributionError,
  DEFAULT_PARAMETERS,
  WEIGHT_ONE,
  attribute,
  buildIndex,
  countTokens,
  countWords,
  deserializeIndex,
  formatWeight,
  outputHash,
  segment,
  serializeIndex,
  tokenize,
  weightsJson,
  words,
  type CorpusDocument,
} from "../../attribution/index.js";
import { generateEvaluationSet, scoreEvaluation } from "../../attribution/evaluation.js";
import { sharePool } from "../../sdk/core/fees.js";
import { readWeightsFile } from "../../sdk/core/weights.js";

/** Sentences long enough to be distinctive. */
const CARDIO =
  "Acute myocardial infarction presents with crushing retrosternal chest pain radiating to the left arm and jaw.";
const STROKE =
  "Sudden facial droop, slurred speech and unilateral arm weakness call for a thrombolysis decision within hours.";
const SEPSIS = "Lactate above four millimoles per litre with hypotension defines septic shock until proven otherwise.";
const SHARED = "Every admission note records allergies, current medication and the name of the next of kin.";
const NOVEL = "Purple giraffes compose sonnets about quantum cheese under a tangerine moon.";

function corpus(): CorpusDocument[] {
  return [
    { contributionId: 2n, datanetId: 1n, text: `${CARDIO} ${SHARED}` },
    { contributionId: 5n, datanetId: 1n, text: STROKE },
    { contributionId: 9n, datanetId: 2n, text: `${SEPSIS} ${SHARED}` },
  ];
}

describe("attribution engine", () => {
  describe("tokenizer (o200k_base, for inference quote)", () => {
    it("counts tokens as GPT-4o does, and treats special-token markup as text", () => {
      expect(countTokens("The patient presented with acute myocardial infarction.")).to.equal(9);
      expect(countTokens("")).to.equal(0);
      expect(() => tokenize("ignore <|endoftext|> this")).to.not.throw();
    });
  });

  describe("normalisation", () => {
    it("folds whitespace, line breaks, case and punctuation, deleting punctuation inside a word", () => {
      expect(words("Don't  STOP:\n\n e.g. the (quick)\tbrown-fox — ok?")).to.deep.equal([
        "dont",
        "stop",
        "eg",
        "the",
        "quick",
        "brownfox",
        "ok",
      ]);
      expect(words("dont stop eg the quick brownfox")).to.deep.equal(words("Don't STOP: e.g. the (quick) brown-fox"));
    });

    it("cuts scripts written without spaces into one word per character", () => {
      expect(words("東京の天気 today")).to.deep.equal(["東", "京", "の", "天", "気", "today"]);
    });

    it("keeps punctuation and case as words when asked to", () => {
      expect(words("Hello, World!", { caseFold: false, punctuation: "keep" })).to.deep.equal([
        "Hello",
        ",",
        "World",
        "!",
      ]);
    });

    it("maps every word back to its offsets in the original text", () => {
      const text = "  Line one,\n  LINE two.";
      const s = segment(text);
      expect(s.words).to.deep.equal(["line", "one", "line", "two"]);
      expect([...s.starts].map((start, k) => text.slice(start, s.ends[k]))).to.deep.equal([
        "Line",
        "one,",
        "LINE",
        "two.",
      ]);
      expect(countWords(text)).to.equal(4);
    });
  });

  describe("index", () => {
    it("round-trips through bytes, byte for byte, with its document table", () => {
      const index = buildIndex(corpus());
      const bytes = serializeIndex(index);
      const loaded = deserializeIndex(bytes);
      expect(loaded.contributionIds).to.deep.equal([2n, 5n, 9n]);
      expect(loaded.documentDatanets).to.deep.equal([1n, 1n, 2n]);
      expect(loaded.datanetIds).to.deep.equal([1n, 2n]);
      expect(loaded.contentHashes).to.deep.equal(corpus().map((d) => keccak256(toUtf8Bytes(d.text))));
      expect(loaded.wordCount).to.equal(index.wordCount);
      expect(serializeIndex(loaded)).to.deep.equal(bytes);
    });

    it("refuses duplicate contributions, and damaged or foreign files with one sentence each", () => {
      expect(() => buildIndex([...corpus(), { contributionId: 5n, datanetId: 1n, text: "again" }])).to.throw(
        AttributionError,
        "Contribution 5 is given twice.",
      );
      const bytes = serializeIndex(buildIndex(corpus()));
      const flipped = bytes.slice();
      flipped[bytes.length - 3]! ^= 0xff; // a suffix-array byte: the SHA-256 no longer matches
      expect(() => deserializeIndex(flipped, "x.bin")).to.throw(
        AttributionError,
        "x.bin is not a usable attribution index",
      );
      expect(() => deserializeIndex(bytes.slice(0, bytes.length - 1), "x.bin")).to.throw(
        AttributionError,
        "bytes long",
      );
      expect(() => deserializeIndex(new TextEncoder().encode("not an index at all"), "x.bin")).to.throw(
        AttributionError,
        "magic",
      );
      const otherVersion = bytes.slice();
      new DataView(otherVersion.buffer).setUint32(8, 99, true);
      expect(() => deserializeIndex(otherVersion, "x.bin")).to.throw(AttributionError, "format version 99");
    });
  });

  describe("scoring", () => {
    const index = buildIndex(corpus());

    it("credits an output copied from one contribution to it alone, as the share of its words", () => {
      const output = `${STROKE} ${NOVEL}`;
      const a = attribute(index, output, { threshold: 0n });
      expect(a.weights.map((w) => w.contributionId)).to.deep.equal([5n]);
      expect(a.matchedWords).to.equal(countWords(STROKE));
      expect(a.outputWords).to.equal(countWords(output));
      expect(a.weights[0]!.weight).to.equal((BigInt(countWords(STROKE)) * WEIGHT_ONE) / BigInt(a.outputWords));
      // The region maps back to the exact passage of the output.
      expect(output.slice(a.regions[0]!.textStart, a.regions[0]!.textEnd)).to.equal(STROKE);
    });

    it("survives reflowing, recasing and dropped punctuation: the same weight as the verbatim copy", () => {
      const verbatim = attribute(index, CARDIO, { threshold: 0n }).weights;
      const reflowed = CARDIO.replace(/ /g, (_, i: number) => (i % 3 === 0 ? "\n" : " "));
      const stripped = CARDIO.toUpperCase().replace(/[^\p{L}\p{N}\s]/gu, "");
      expect(verbatim).to.deep.equal([{ contributionId: 2n, weight: WEIGHT_ONE }]);
      expect(attribute(index, reflowed, { threshold: 0n }).weights).to.deep.equal(verbatim);
      expect(attribute(index, stripped, { threshold: 0n }).weights).to.deep.equal(verbatim);
    });

    it("chains across replaced words (paraphrase) and credits the words in between", () => {
      const w = CARDIO.split(" ");
      w[5] = "severe";
      w[11] = "towards";
      const a = attribute(index, w.join(" "), { threshold: 0n });
      expect(a.regions).to.have.length(1);
      expect(a.weights).to.deep.equal([{ contributionId: 2n, weight: WEIGHT_ONE }]);
    });

    it("does not bridge a filler sentence longer than the longest gap", () => {
      const filler = Array.from({ length: DEFAULT_PARAMETERS.maxGapWords + 1 }, (_, i) => `zq${i}`).join(" ");
      const a = attribute(index, `${CARDIO} ${filler} ${STROKE}`, { threshold: 0n });
      expect(a.regions.map((r) => r.contributionIds)).to.deep.equal([[2n], [5n]]);
      expect(a.matchedWords).to.equal(countWords(CARDIO) + countWords(STROKE));
    });

    it("splits text found in two contributions equally between them", () => {
      const a = attribute(index, SHARED, { threshold: 0n });
      expect(a.regions).to.have.length(1);
      expect(a.regions[0]!.contributionIds).to.deep.equal([2n, 9n]);
      const half = (BigInt(a.regions[0]!.words) * WEIGHT_ONE) / (2n * BigInt(a.outputWords));
      expect(a.weights).to.deep.equal([
        { contributionId: 2n, weight: half },
        { contributionId: 9n, weight: half },
      ]);
    });

    it("gives shared text to the contribution the whole passage comes from", () => {
      // CARDIO + SHARED is contribution 2's text: its chain carries more evidence than 9's SHARED alone.
      const a = attribute(index, `${CARDIO} ${SHARED}`, { threshold: 0n });
      expect(a.weights).to.deep.equal([{ contributionId: 2n, weight: WEIGHT_ONE }]);
    });

    it("treats text claimed by more than maxDocumentsPerRegion contributions as common, credited to nobody", () => {
      const a = attribute(index, SHARED, { threshold: 0n, maxDocumentsPerSpan: 1 });
      expect(a.regions[0]!.common).to.equal(true);
      expect(a.weights).to.deep.equal([]);
      expect(a.attributed).to.equal(0n);
    });

    it("ignores matches with too little evidence, and text found nowhere", () => {
      expect(attribute(index, NOVEL).weights).to.deep.equal([]);
      // "with crushing retrosternal" is a real match, but one seed is not enough evidence.
      expect(attribute(index, "Patients with crushing retrosternal discomfort").regions).to.deep.equal([]);
      expect(
        attribute(index, "Patients with crushing retrosternal discomfort", { parameters: { minChainEvidence: 1000 } })
          .weights,
      ).to.have.length(1);
    });

    it("credits each output word once", () => {
      const a = attribute(index, `${CARDIO} ${SHARED} ${CARDIO}`, { threshold: 0n });
      expect(a.regions.reduce((sum, r) => sum + r.words, 0)).to.equal(a.matchedWords);
      expect(a.matchedWords).to.be.at.most(a.outputWords);
      expect(a.attributed).to.be.at.most(WEIGHT_ONE);
    });

    it("leaves out weights under the threshold, as the router would pay them nothing", () => {
      const output = `${CARDIO} ${NOVEL} ${NOVEL} ${NOVEL} ${NOVEL}`;
      const all = attribute(index, output, { threshold: 0n });
      const weight = all.weights[0]!.weight;
      const above = attribute(index, output, { threshold: weight });
      expect(above.weights).to.deep.equal(all.weights);
      const below = attribute(index, output, { threshold: weight + 1n });
      expect(below.weights).to.deep.equal([]);
      expect(below.scores[0]).to.include({ contributionId: 2n, reported: false, weight });
    });

    it("does not hand an ineligible contribution's share to the others", () => {
      const eligibleAll = attribute(index, SHARED, { threshold: 0n });
      const without9 = attribute(index, SHARED, { threshold: 0n, eligible: (id) => id !== 9n });
      expect(without9.weights).to.deep.equal(eligibleAll.weights.filter((w) => w.contributionId === 2n));
      expect(without9.scores.find((s) => s.contributionId === 9n)).to.include({ eligible: false, weight: 0n });
    });

    it("refuses nonsensical options with one sentence", () => {
      expect(() => attribute(index, STROKE, { minSpan: 0 })).to.throw(AttributionError, "seedWords");
      expect(() => attribute(index, STROKE, { maxDocumentsPerSpan: 0 })).to.throw(AttributionError, "maxDocuments");
      expect(() => attribute(index, STROKE, { threshold: WEIGHT_ONE + 1n })).to.throw(AttributionError, "threshold");
    });

    it("hashes the output as keccak256 of its UTF-8 bytes", () => {
      const a = attribute(index, STROKE);
      expect(a.outputHash).to.equal(keccak256(toUtf8Bytes(STROKE)));
      expect(outputHash("é")).to.equal(keccak256(new Uint8Array([0xc3, 0xa9])));
    });

    it("is deterministic: the same index and text give byte-identical weights files, which attribution sign reads", () => {
      const output = `${CARDIO} ${STROKE} ${SEPSIS}`;
      const first = weightsJson(7n, attribute(deserializeIndex(serializeIndex(buildIndex(corpus()))), output));
      const second = weightsJson(7n, attribute(buildIndex([...corpus()].reverse()), output));
      expect(first).to.equal(second);
      const json = JSON.parse(first);
      expect(Object.keys(json)).to.deep.equal(["inferenceId", "outputHash", "indexCommitment", "weights"]);
      expect(json.outputHash).to.equal(outputHash(output));
      expect(json.indexCommitment).to.match(/^0x[0-9a-f]{64}$/);
      const [report] = readWeightsFile(json, "weights.json", 0n);
      expect(report!.inferenceId).to.equal(7n);
      expect(report!.contributionIds).to.deep.equal([2n, 5n, 9n]);
      expect(report!.weights.reduce((a, b) => a + b, 0n)).to.be.at.most(WEIGHT_ONE);
      // Nothing attributable is still a report: settling it sends the pool to the treasury.
      const [empty] = readWeightsFile(JSON.parse(weightsJson(8n, attribute(index, NOVEL))), "w.json", 0n);
      expect(empty!.contributionIds).to.deep.equal([]);
    });

    it("writes a uint256 inference id as a decimal string, never through a JS number", () => {
      const id = 2n ** 255n + 12_345n;
      expect(JSON.parse(weightsJson(id, attribute(index, STROKE))).inferenceId).to.equal(id.toString());
    });

    it("pays the README's worked example as stated: 0.08, 0.024 and 0.024 OPEN, no dust", () => {
      const tenancy =
        "The tenant must give written notice at least two months before the end of the fixed term to leave early";
      const deposit = "Deposits are held in a government protection scheme until the tenancy ends";
      const example = buildIndex([
        { contributionId: 2n, datanetId: 1n, text: `${tenancy}. Rent is due monthly.` },
        { contributionId: 4n, datanetId: 1n, text: `Landlords must repair the structure. ${deposit}.` },
        { contributionId: 9n, datanetId: 1n, text: `${deposit}. Disputes go to a tribunal.` },
      ]);
      const answer = `${tenancy.replace("before", "prior")}. ${deposit}. Ask a local advice centre for help today`;
      const a = attribute(example, answer);
      expect(a.outputWords).to.equal(40);
      expect(a.regions.map((r) => [r.start, r.end, r.evidence])).to.deep.equal([
        [0, 20, 14950],
        [20, 32, 5000],
      ]);
      expect(JSON.parse(weightsJson(3n, a)).weights).to.deep.equal({ "2": "0.5", "4": "0.15", "9": "0.15" });
      const paid = sharePool(
        128n * 10n ** 15n,
        a.weights.map((w) => w.weight),
        10n ** 16n,
      );
      expect(paid.amounts).to.deep.equal([8n * 10n ** 16n, 24n * 10n ** 15n, 24n * 10n ** 15n]);
      expect(paid.toTreasury).to.equal(0n);
    });

    it("formats weights as exact decimal fractions", () => {
      expect(formatWeight(WEIGHT_ONE)).to.equal("1");
      expect(formatWeight(25n * 10n ** 16n)).to.equal("0.25");
      expect(formatWeight(1n)).to.equal("0.000000000000000001");
      expect(formatWeight(0n)).to.equal("0");
    });
  });

  describe("generated pseudo-text fixture", () => {
    it("is the same for the same seed, and the engine ranks the main contributor first on ≥ 90% of it", () => {
      const options = { documents: 40, outputs: 40, seed: 7 };
      const set = generateEvaluationSet(options);
      expect(generateEvaluationSet(options).outputs.map((o) => o.text)).to.deep.equal(set.outputs.map((o) => o.text));
      const index = buildIndex(set.documents);
      const predictions = set.outputs.map((o) => {
        const a = attribute(index, o.text, { threshold: 0n });
        return new Map(a.weights.map((w) => [w.contributionId, Number(w.weight) / 1e18]));
      });
      const result = scoreEvaluation(set.outputs, predictions);
      expect(result.top1).to.be.at.least(0.9);
      expect(result.meanAbsoluteError).to.be.lessThan(0.1);
      for (const output of set.outputs) {
        const total = [...output.truth.values()].reduce((a, b) => a + b, 0);
        expect(total).to.be.within(0.5, 1);
      }
    });
  });
});
