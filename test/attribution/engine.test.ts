/**
 * The attribution engine above the suffix array: the tokenizer, the index file, span matching, the
 * scoring and normalization rules, determinism, and quality on a small generated evaluation set.
 */
import { expect } from "chai";

import {
  AttributionError,
  DEFAULT_MIN_SPAN,
  WEIGHT_ONE,
  attribute,
  buildIndex,
  countTokens,
  deserializeIndex,
  formatWeight,
  generateEvaluationSet,
  scoreEvaluation,
  serializeIndex,
  tokenize,
  weightsJson,
  type CorpusDocument,
} from "../../attribution/index.js";
import { sharePool } from "../../sdk/fees.js";
import { parseWeightsFile } from "../../tasks/lib/attribution.js";

/** Sentences long enough to be distinctive (well over the minimum span). */
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
  describe("tokenizer (o200k_base)", () => {
    it("counts tokens as GPT-4o does, and treats special-token markup as text", () => {
      expect(countTokens("The patient presented with acute myocardial infarction.")).to.equal(9);
      expect(countTokens("")).to.equal(0);
      expect(() => tokenize("ignore <|endoftext|> this")).to.not.throw();
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
      expect([...loaded.documentStarts]).to.deep.equal([...index.documentStarts]);
      expect(loaded.tokenCount).to.equal(index.tokenCount);
      expect(loaded.corpusHash).to.equal(index.corpusHash);
      expect(serializeIndex(loaded)).to.deep.equal(bytes);
      // 3 bytes per symbol, 4 per suffix-array entry, plus the header.
      expect(bytes.length).to.be.lessThan(8 * index.tokenCount + 400);
    });

    it("refuses duplicate contributions, and damaged or foreign files with one sentence each", () => {
      expect(() => buildIndex([...corpus(), { contributionId: 5n, datanetId: 1n, text: "again" }])).to.throw(
        AttributionError,
        "Contribution 5 is given twice.",
      );
      const bytes = serializeIndex(buildIndex(corpus()));
      const flipped = bytes.slice();
      flipped[bytes.length - 4 * 10 - 7]! ^= 0xff; // a symbol byte
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

    it("credits an output copied from one contribution to it alone, as the share of the output it covers", () => {
      const output = `${STROKE} ${NOVEL}`;
      const a = attribute(index, output, { threshold: 0n });
      expect(a.weights.map((w) => w.contributionId)).to.deep.equal([5n]);
      // The stroke sentence's tokens over all output tokens, rounded down.
      const covered = BigInt(a.matchedTokens);
      expect(a.weights[0]!.weight).to.equal((covered * WEIGHT_ONE) / BigInt(a.outputTokens));
      expect(a.matchedTokens).to.be.within(countTokens(STROKE) - 1, countTokens(STROKE) + 1);
      expect(a.attributed).to.be.lessThan(WEIGHT_ONE);
    });

    it("splits a span found in two contributions equally between them", () => {
      const a = attribute(index, SHARED, { threshold: 0n });
      expect(a.spans).to.have.length(1);
      expect(a.spans[0]!.contributionIds).to.deep.equal([2n, 9n]);
      const half = (BigInt(a.spans[0]!.credited) * WEIGHT_ONE) / (2n * BigInt(a.outputTokens));
      expect(a.weights).to.deep.equal([
        { contributionId: 2n, weight: half },
        { contributionId: 9n, weight: half },
      ]);
    });

    it("treats a span in more than maxDocumentsPerSpan contributions as common text, credited to nobody", () => {
      const a = attribute(index, SHARED, { threshold: 0n, maxDocumentsPerSpan: 1 });
      expect(a.spans[0]!.common).to.equal(true);
      expect(a.weights).to.deep.equal([]);
      expect(a.attributed).to.equal(0n);
    });

    it("ignores matches shorter than the minimum span, and text found nowhere", () => {
      expect(attribute(index, NOVEL).weights).to.deep.equal([]);
      // "with crushing retrosternal" is a real match, but shorter than the default minimum span.
      const short = attribute(index, "Patients with crushing retrosternal discomfort");
      expect(short.spans).to.deep.equal([]);
      expect(attribute(index, "Patients with crushing retrosternal discomfort", { minSpan: 3 }).weights).to.have.length(
        1,
      );
      expect(DEFAULT_MIN_SPAN).to.equal(8);
    });

    it("credits each output token once, to the longest span covering it", () => {
      // The whole cardiology document, then its first sentence again: two spans, no token counted twice.
      const a = attribute(index, `${CARDIO} ${SHARED} ${CARDIO}`, { threshold: 0n });
      expect(a.spans.reduce((sum, s) => sum + s.credited, 0)).to.equal(a.matchedTokens);
      expect(a.matchedTokens).to.be.at.most(a.outputTokens);
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
      expect(() => attribute(index, STROKE, { minSpan: 0 })).to.throw(AttributionError, "at least 1 token");
      expect(() => attribute(index, STROKE, { maxDocumentsPerSpan: 0 })).to.throw(AttributionError, "at least 1");
      expect(() => attribute(index, STROKE, { threshold: WEIGHT_ONE + 1n })).to.throw(AttributionError, "threshold");
    });

    it("is deterministic: the same index and text give byte-identical weights, which attribution:sign reads", () => {
      const output = `${CARDIO} ${STROKE} ${SHARED}`;
      const first = weightsJson(7n, attribute(deserializeIndex(serializeIndex(buildIndex(corpus()))), output));
      const second = weightsJson(7n, attribute(buildIndex([...corpus()].reverse()), output));
      expect(first).to.equal(second);
      const [report] = parseWeightsFile(JSON.parse(first), "weights.json", 0n);
      expect(report!.inferenceId).to.equal(7n);
      expect(report!.contributionIds).to.deep.equal([2n, 5n, 9n]);
      expect(report!.weights.reduce((a, b) => a + b, 0n)).to.be.at.most(WEIGHT_ONE);
      // Nothing attributable is still a report: settling it sends the pool to the treasury.
      const [empty] = parseWeightsFile(JSON.parse(weightsJson(8n, attribute(index, NOVEL))), "w.json", 0n);
      expect(empty!.contributionIds).to.deep.equal([]);
    });

    it("pays the README's worked example as stated: 0.106666666666666666 and 0.021333333333333333 OPEN, 1 wei of dust", () => {
      const weights = [5_625n * 10n ** 14n, 1_125n * 10n ** 14n]; // 0.5625 and 0.1125
      expect(weights.map(formatWeight)).to.deep.equal(["0.5625", "0.1125"]);
      const paid = sharePool(128n * 10n ** 15n, weights, 10n ** 16n);
      expect(paid.amounts).to.deep.equal([106_666_666_666_666_666n, 21_333_333_333_333_333n]);
      expect(paid.toTreasury).to.equal(1n);
    });

    it("formats weights as exact decimal fractions", () => {
      expect(formatWeight(WEIGHT_ONE)).to.equal("1");
      expect(formatWeight(25n * 10n ** 16n)).to.equal("0.25");
      expect(formatWeight(1n)).to.equal("0.000000000000000001");
      expect(formatWeight(0n)).to.equal("0");
    });
  });

  describe("evaluation set", () => {
    it("is the same for the same seed, and the engine ranks the main contributor first on ≥ 95% of it", () => {
      const options = { documents: 40, outputs: 40, seed: 7 };
      const set = generateEvaluationSet(options);
      expect(generateEvaluationSet(options).outputs.map((o) => o.text)).to.deep.equal(set.outputs.map((o) => o.text));
      const index = buildIndex(set.documents);
      const predictions = set.outputs.map((o) => {
        const a = attribute(index, o.text, { threshold: 0n });
        return new Map(a.weights.map((w) => [w.contributionId, Number(w.weight) / 1e18]));
      });
      const result = scoreEvaluation(set.outputs, predictions);
      expect(result.top1).to.be.at.least(0.95);
      expect(result.meanAbsoluteError).to.be.lessThan(0.1);
      for (const output of set.outputs) {
        const total = [...output.truth.values()].reduce((a, b) => a + b, 0);
        expect(total).to.be.within(0.5, 1);
      }
    });
  });
});
