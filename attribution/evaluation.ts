/**
 * An evaluation set whose true attribution is known: a synthetic corpus of contributions, and model
 * outputs stitched from excerpts of them with noise, so the engine's weights can be scored.
 *
 * - The corpus: documents of sentences over a lexicon of pseudo-words drawn with Zipf frequencies (a
 *   few words are everywhere, most are rare, as in real text). Every document also carries boilerplate
 *   sentences shared by many documents (generic text), and some copy a passage of another document
 *   (spans shared by several contributions).
 * - An output: excerpts from one main document (the largest share by construction) and from one or two
 *   others, a boilerplate sentence, a sentence found nowhere, in random order; then noise: a fraction of
 *   the words replaced by random ones. Its true weight for a document is the share of the output's
 *   words copied from it.
 *
 * Everything is derived from one seed (mulberry32), so a set is the same on every machine.
 */
import type { CorpusDocument } from "./corpus.js";
import { countWords } from "./text.js";

export interface EvaluationOptions {
  seed?: number;
  documents?: number;
  sentencesPerDocument?: number;
  outputs?: number;
  /** Fraction of output words replaced by random words. */
  noise?: number;
  lexicon?: number;
}

export interface EvaluationOutput {
  text: string;
  /** The document most of the output was copied from. */
  main: bigint;
  /** True weight (fraction of output words) per contribution id. */
  truth: Map<bigint, number>;
}

export interface EvaluationSet {
  documents: CorpusDocument[];
  outputs: EvaluationOutput[];
}

export const EVALUATION_DEFAULTS: Required<EvaluationOptions> = {
  seed: 161201,
  documents: 200,
  sentencesPerDocument: 30,
  outputs: 200,
  noise: 0.04,
  lexicon: 6_000,
};

/** mulberry32: a small, fast, well-distributed 32-bit PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const CONSONANTS = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st", "tr"];
const VOWELS = ["a", "e", "i", "o", "u", "ai", "ou"];

/** Text generation over a Zipf-distributed lexicon of pseudo-words. */
export class TextGenerator {
  readonly words: string[];
  private readonly cumulative: Float64Array;

  constructor(
    readonly random: () => number,
    size: number,
  ) {
    const seen = new Set<string>();
    this.words = [];
    while (this.words.length < size) {
      const syllables = 1 + Math.floor(random() * 3);
      let word = "";
      for (let s = 0; s < syllables; s++) word += this.pick(CONSONANTS) + this.pick(VOWELS);
      if (!seen.has(word)) {
        seen.add(word);
        this.words.push(word);
      }
    }
    this.cumulative = new Float64Array(size);
    let total = 0;
    for (let r = 0; r < size; r++) this.cumulative[r] = total += 1 / Math.pow(r + 1, 1.07);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  integer(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  word(): string {
    const x = this.random() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return this.words[lo]!;
  }

  sentence(): string[] {
    return Array.from({ length: this.integer(8, 20) }, () => this.word());
  }
}

function joinSentences(sentences: string[][]): string {
  return sentences.map((s) => `${s.join(" ")}.`).join(" ");
}

/** Generates a corpus and outputs with their true weights. */
export function generateEvaluationSet(options: EvaluationOptions = {}): EvaluationSet {
  const o = { ...EVALUATION_DEFAULTS, ...options };
  const g = new TextGenerator(prng(o.seed), o.lexicon);
  const boilerplate = Array.from({ length: 10 }, () => g.sentence());

  const sentences: string[][][] = [];
  for (let d = 0; d < o.documents; d++) {
    const doc = Array.from({ length: o.sentencesPerDocument }, () => g.sentence());
    for (let b = 0; b < 2; b++) doc.splice(g.integer(0, doc.length), 0, g.pick(boilerplate));
    // One document in ten repeats a passage of an earlier one.
    if (d > 0 && g.random() < 0.1) {
      const source = sentences[g.integer(0, d - 1)]!;
      const at = g.integer(0, source.length - 2);
      doc.splice(g.integer(0, doc.length), 0, ...source.slice(at, at + 2));
    }
    sentences.push(doc);
  }
  const documents: CorpusDocument[] = sentences.map((doc, d) => ({
    contributionId: BigInt(d + 1),
    datanetId: 1n,
    text: joinSentences(doc),
  }));

  const excerpt = (d: number, minWords: number, maxWords: number): string[] => {
    const words = sentences[d]!.flatMap((s, i) => (i === 0 ? s : [".", ...s]));
    const length = g.integer(minWords, maxWords);
    const at = g.integer(0, Math.max(0, words.length - length));
    return words.slice(at, at + length).filter((w) => w !== ".");
  };

  const outputs: EvaluationOutput[] = [];
  for (let k = 0; k < o.outputs; k++) {
    const main = g.integer(0, o.documents - 1);
    const others = new Set<number>();
    const wanted = g.integer(1, 2);
    while (others.size < wanted) {
      const d = g.integer(0, o.documents - 1);
      if (d !== main) others.add(d);
    }
    const pieces: { words: string[]; source: number | undefined }[] = [];
    for (let e = g.integer(3, 4); e > 0; e--) pieces.push({ words: excerpt(main, 18, 30), source: main });
    for (const d of others) pieces.push({ words: excerpt(d, 10, 18), source: d });
    pieces.push({ words: g.pick(boilerplate), source: undefined });
    pieces.push({ words: g.sentence(), source: undefined });
    for (let i = pieces.length - 1; i > 0; i--) {
      const j = g.integer(0, i);
      [pieces[i], pieces[j]] = [pieces[j]!, pieces[i]!];
    }
    const texts = pieces.map((p) => p.words.map((w) => (g.random() < o.noise ? g.word() : w)).join(" "));
    const tokens = texts.map((t) => countWords(t));
    const total = tokens.reduce((a, b) => a + b, 0);
    const truth = new Map<bigint, number>();
    pieces.forEach((p, i) => {
      if (p.source === undefined) return;
      const id = BigInt(p.source + 1);
      truth.set(id, (truth.get(id) ?? 0) + tokens[i]! / total);
    });
    outputs.push({ text: texts.join(" "), main: BigInt(main + 1), truth });
  }
  return { documents, outputs };
}

export interface EvaluationResult {
  outputs: number;
  /** Outputs whose highest weight is their main document. */
  top1: number;
  /** Mean over outputs of the mean |predicted − true| weight over the documents either names. */
  meanAbsoluteError: number;
  /** Mean share of the output the report attributes (Σ weights / 1e18). */
  meanAttributed: number;
}

/** Scores predictions (weights as fractions per contribution id) against the truth. */
export function scoreEvaluation(
  outputs: readonly EvaluationOutput[],
  predictions: readonly Map<bigint, number>[],
): EvaluationResult {
  let top1 = 0;
  let errorSum = 0;
  let attributedSum = 0;
  outputs.forEach((output, k) => {
    const predicted = predictions[k] ?? new Map<bigint, number>();
    let best: bigint | undefined;
    let bestWeight = -1;
    for (const [id, weight] of [...predicted].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (weight > bestWeight) [best, bestWeight] = [id, weight];
    }
    if (best === output.main) top1++;
    const ids = new Set([...output.truth.keys(), ...predicted.keys()]);
    let error = 0;
    for (const id of ids) error += Math.abs((predicted.get(id) ?? 0) - (output.truth.get(id) ?? 0));
    errorSum += ids.size === 0 ? 0 : error / ids.size;
    attributedSum += [...predicted.values()].reduce((a, b) => a + b, 0);
  });
  const n = Math.max(outputs.length, 1);
  return {
    outputs: outputs.length,
    top1: top1 / n,
    meanAbsoluteError: errorSum / n,
    meanAttributed: attributedSum / n,
  };
}
