/// <reference types="node" />
/**
 * Node only: the real-text evaluation of `npm run bench:attribution`. The corpus is prose nobody on the
 * project wrote: the README, docs and licence files shipped inside the project's npm dependencies
 * (node_modules), near-duplicates removed. Outputs are cut from it in nine kinds, each with its truth: the
 * share of the output's words (whitespace-separated) taken from each source.
 *
 * Everything is derived from one seed and the sorted file list, so a set is the same on every machine
 * with the same dependencies installed.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

import type { CorpusDocument } from "../corpus.js";
import { prng } from "../evaluation.js";
import { words as normalizedWords } from "../text.js";

export const KINDS = [
  "verbatim",
  "reflowed",
  "recased",
  "punctuation stripped",
  "paraphrase (15% words)",
  "three sources mixed",
  "heavy filler",
  "short spans",
  "near-duplicate sources",
] as const;
export type Kind = (typeof KINDS)[number];

export interface RealOutput {
  kind: Kind;
  text: string;
  main: bigint;
  truth: Map<bigint, number>;
}

export interface RealTextSet {
  documents: CorpusDocument[];
  /** Source file of each document (relative to the scanned folder), or how it was made. */
  sources: Map<bigint, string>;
  outputs: RealOutput[];
  /** Real files found, and kept after removing near-duplicates. */
  filesFound: number;
  filesKept: number;
}

const TEXT_FILE = /(\.(md|markdown|txt|rst)$)|(^(licen[cs]e|copying|notice|authors|changelog|history)([.-]|$))/i;

/** Text files under `root`, sorted by path. */
function findFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      let info;
      try {
        info = statSync(file);
      } catch {
        continue;
      }
      if (info.isDirectory()) {
        if (name !== ".bin" && name !== ".cache") walk(file);
      } else if (info.isFile() && TEXT_FILE.test(name) && info.size >= 600 && info.size <= 400_000) {
        out.push(file);
      }
    }
  };
  walk(root);
  return out;
}

/** 32-bit FNV-1a of a string. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function shingles(text: string, n: number): number[] {
  const w = normalizedWords(text);
  const out: number[] = [];
  for (let i = 0; i + n <= w.length; i++) out.push(hashString(w.slice(i, i + n).join(" ")));
  return out;
}

/** Whitespace-separated chunks with their offsets. */
function chunks(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const m of text.matchAll(/\S+/g)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

const countWhitespaceWords = (text: string) => text.match(/\S+/g)?.length ?? 0;

export interface RealTextOptions {
  root: string;
  seed?: number;
  perKind?: number;
}

/** Builds the evaluation set from the text files under `root` (node_modules). */
export function realTextSet(options: RealTextOptions): RealTextSet {
  const random = prng(options.seed ?? 20_261_201);
  const integer = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const perKind = options.perKind ?? 60;

  // Real files, exact and near duplicates removed (a file sharing half its 6-word shingles with a kept one).
  const files = findFiles(options.root);
  const seen = new Set<number>();
  const kept: { file: string; text: string }[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    if (countWhitespaceWords(text) < 150 || text.includes("\u0000")) continue;
    const sh = shingles(text, 6);
    if (sh.length === 0) continue;
    const shared = sh.filter((h) => seen.has(h)).length;
    if (shared * 2 >= sh.length) continue;
    for (const h of sh) seen.add(h);
    kept.push({ file: path.relative(options.root, file), text });
  }
  // One file in eight is held out: filler text that is real but not indexed.
  const corpus = kept.filter((_, i) => i % 8 !== 3);
  const heldOut = kept.filter((_, i) => i % 8 === 3);
  const documents: CorpusDocument[] = [];
  const sources = new Map<bigint, string>();
  corpus.forEach((doc, i) => {
    documents.push({ contributionId: BigInt(i + 1), datanetId: 1n, text: doc.text });
    sources.set(BigInt(i + 1), doc.file);
  });
  const vocabulary = corpus.flatMap((d) => d.text.match(/\S+/g)?.slice(0, 400) ?? []);
  const randomWord = () => pick(vocabulary);

  // Near-duplicate groups: a long source and two edited copies of it (4% of words replaced, one
  // paragraph dropped), each registered as its own contribution.
  const groups: bigint[][] = [];
  const long = documents.filter((d) => countWhitespaceWords(d.text) >= 400);
  for (let g = 0; g < Math.min(30, long.length); g++) {
    const original = long[Math.floor((g * long.length) / 30)]!;
    const group = [original.contributionId];
    for (let v = 0; v < 2; v++) {
      const paragraphs = original.text.split(/\n\s*\n/);
      if (paragraphs.length > 3) paragraphs.splice(integer(0, paragraphs.length - 1), 1);
      const text = paragraphs.join("\n\n").replace(/\S+/g, (w) => (random() < 0.04 ? randomWord() : w));
      const id = BigInt(documents.length + 1);
      documents.push({ contributionId: id, datanetId: 1n, text });
      sources.set(id, `${sources.get(original.contributionId)} (edited copy ${v + 1})`);
      group.push(id);
    }
    groups.push(group);
  }
  const byId = new Map(documents.map((d) => [d.contributionId, d]));
  const plain = documents.slice(0, corpus.length);

  // The corpus's 6-word shingles: filler must not contain any (so its truth, nobody, is right).
  const corpusShingles = new Set<number>();
  for (const d of documents) for (const h of shingles(d.text, 6)) corpusShingles.add(h);

  const excerpt = (text: string, minWords: number, maxWords: number): string => {
    const c = chunks(text);
    const length = Math.min(c.length, integer(minWords, maxWords));
    const at = integer(0, c.length - length);
    return text.slice(c[at]!.start, c[at + length - 1]!.end);
  };
  const filler = (minWords: number, maxWords: number): string => {
    for (let attempt = 0; ; attempt++) {
      const text = excerpt(pick(heldOut).text, minWords, maxWords);
      if (attempt > 50 || !shingles(text, 6).some((h) => corpusShingles.has(h))) return text;
    }
  };
  const pickSources = (count: number): CorpusDocument[] => {
    const out = new Set<CorpusDocument>();
    while (out.size < count) out.add(pick(plain));
    return [...out];
  };

  type Piece = { text: string; source: bigint | undefined };
  const shuffle = (pieces: Piece[]) => {
    for (let i = pieces.length - 1; i > 0; i--) {
      const j = integer(0, i);
      [pieces[i], pieces[j]] = [pieces[j]!, pieces[i]!];
    }
    return pieces;
  };
  const reflow = (text: string) => {
    const w = text.split(/\s+/).filter((x) => x !== "");
    const width = integer(40, 100);
    const lines: string[] = [];
    let line = "";
    for (const word of w) {
      if (line.length + word.length + 1 > width && line !== "") {
        lines.push(line);
        line = word;
      } else line = line === "" ? word : `${line} ${word}`;
    }
    if (line !== "") lines.push(line);
    return lines.join(random() < 0.5 ? "\n" : "\n\n");
  };
  const recase = (text: string) => {
    const mode = integer(0, 2);
    if (mode === 0) return text.toLowerCase();
    if (mode === 1) return text.toUpperCase();
    return text.replace(/\S+/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());
  };
  const stripPunctuation = (text: string) => text.replace(/[^\p{L}\p{N}\p{M}\s]/gu, "").replace(/[ \t]+/g, " ");
  const paraphrase = (text: string) => text.replace(/\S+/g, (w) => (random() < 0.15 ? randomWord() : w));

  const outputs: RealOutput[] = [];
  const make = (kind: Kind, pieces: Piece[], transform: (t: string) => string = (t) => t): boolean => {
    const texts = pieces.map((p) => transform(p.text));
    const counts = texts.map(countWhitespaceWords);
    const total = counts.reduce((a, b) => a + b, 0);
    const truth = new Map<bigint, number>();
    pieces.forEach((p, i) => {
      if (p.source !== undefined) truth.set(p.source, (truth.get(p.source) ?? 0) + counts[i]! / total);
    });
    const ranked = [...truth].sort((a, b) => b[1] - a[1]);
    if (ranked.length === 0 || (ranked.length > 1 && ranked[0]![1] - ranked[1]![1] < 0.05)) return false;
    const separator = kind === "reflowed" ? " " : random() < 0.5 ? "\n\n" : " ";
    outputs.push({ kind, text: texts.join(separator), main: ranked[0]![0], truth });
    return true;
  };
  const standard = (): Piece[] => {
    const [main, other] = pickSources(2) as [CorpusDocument, CorpusDocument];
    return shuffle([
      { text: excerpt(main.text, 80, 200), source: main.contributionId },
      { text: excerpt(other.text, 15, 40), source: other.contributionId },
      { text: filler(10, 30), source: undefined },
    ]);
  };
  for (const kind of KINDS) {
    for (let made = 0; made < perKind;) {
      let ok = false;
      switch (kind) {
        case "verbatim":
          ok = make(kind, standard());
          break;
        case "reflowed":
          ok = make(kind, standard(), reflow);
          break;
        case "recased":
          ok = make(kind, standard(), recase);
          break;
        case "punctuation stripped":
          ok = make(kind, standard(), stripPunctuation);
          break;
        case "paraphrase (15% words)":
          ok = make(kind, standard(), paraphrase);
          break;
        case "three sources mixed": {
          const [a, b, c] = pickSources(3) as [CorpusDocument, CorpusDocument, CorpusDocument];
          ok = make(
            kind,
            shuffle([
              { text: excerpt(a.text, 70, 120), source: a.contributionId },
              { text: excerpt(b.text, 35, 60), source: b.contributionId },
              { text: excerpt(c.text, 20, 35), source: c.contributionId },
            ]),
          );
          break;
        }
        case "heavy filler": {
          const [main] = pickSources(1) as [CorpusDocument];
          ok = make(kind, [
            { text: filler(60, 150), source: undefined },
            { text: excerpt(main.text, 40, 80), source: main.contributionId },
            { text: filler(60, 150), source: undefined },
          ]);
          break;
        }
        case "short spans": {
          const [main, other] = pickSources(2) as [CorpusDocument, CorpusDocument];
          const pieces: Piece[] = [];
          for (let s = 0; s < 3; s++) pieces.push({ text: excerpt(main.text, 8, 14), source: main.contributionId });
          pieces.push({ text: excerpt(other.text, 6, 10), source: other.contributionId });
          for (let s = 0; s < 4; s++) pieces.push({ text: filler(8, 20), source: undefined });
          ok = make(kind, shuffle(pieces));
          break;
        }
        case "near-duplicate sources": {
          const group = pick(groups);
          const main = byId.get(pick(group))!;
          ok = make(
            kind,
            shuffle([
              { text: excerpt(main.text, 80, 160), source: main.contributionId },
              { text: filler(10, 25), source: undefined },
            ]),
          );
          break;
        }
      }
      if (ok) made++;
    }
  }
  return { documents, sources, outputs, filesFound: files.length, filesKept: kept.length };
}

/**
 * The naive baseline: lower-cased words (runs of letters and digits), every output word 8-gram looked up
 * in a table of the corpus's 8-grams; each word of a found 8-gram is credited to the contributions holding
 * it (split equally, the first 8-gram covering a word wins).
 */
export class NaiveEightGram {
  private readonly table = new Map<string, bigint[]>();

  constructor(documents: readonly CorpusDocument[]) {
    for (const d of documents) {
      const w = NaiveEightGram.words(d.text);
      for (let i = 0; i + 8 <= w.length; i++) {
        const key = w.slice(i, i + 8).join(" ");
        const list = this.table.get(key);
        if (list === undefined) this.table.set(key, [d.contributionId]);
        else if (list.at(-1) !== d.contributionId) list.push(d.contributionId);
      }
    }
  }

  static words(text: string): string[] {
    return text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w !== "");
  }

  attribute(text: string): Map<bigint, number> {
    const w = NaiveEightGram.words(text);
    const owner: (bigint[] | undefined)[] = new Array(w.length);
    for (let i = 0; i + 8 <= w.length; i++) {
      const docs = this.table.get(w.slice(i, i + 8).join(" "));
      if (docs === undefined) continue;
      for (let j = i; j < i + 8; j++) owner[j] ??= docs;
    }
    const weights = new Map<bigint, number>();
    for (const docs of owner) {
      if (docs === undefined) continue;
      for (const d of docs) weights.set(d, (weights.get(d) ?? 0) + 1 / docs.length / w.length);
    }
    return weights;
  }
}

export interface KindScore {
  outputs: number;
  top1: number;
  /** Mean total-variation distance between the weights and the truth, "nobody" counted as an outcome. */
  tvd: number;
}

/** Total-variation distance between two weight maps, the unattributed remainder being one more outcome. */
export function totalVariation(weights: Map<bigint, number>, truth: Map<bigint, number>): number {
  let sum = 0;
  for (const id of new Set([...weights.keys(), ...truth.keys()])) {
    sum += Math.abs((weights.get(id) ?? 0) - (truth.get(id) ?? 0));
  }
  const restW = 1 - [...weights.values()].reduce((a, b) => a + b, 0);
  const restT = 1 - [...truth.values()].reduce((a, b) => a + b, 0);
  return (sum + Math.abs(restW - restT)) / 2;
}

/** The main contributor ranked first (highest weight, lowest id on a tie)? */
export function topOne(weights: Map<bigint, number>, main: bigint): boolean {
  let best: bigint | undefined;
  let bestWeight = 0;
  for (const [id, w] of [...weights].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (w > bestWeight) [best, bestWeight] = [id, w];
  }
  return best === main;
}

/** Scores predictions per kind and overall. */
export function scoreByKind(
  outputs: readonly RealOutput[],
  predictions: readonly Map<bigint, number>[],
): Map<Kind | "overall", KindScore> {
  const result = new Map<Kind | "overall", KindScore>();
  const add = (key: Kind | "overall", top: boolean, tvd: number) => {
    const s = result.get(key) ?? { outputs: 0, top1: 0, tvd: 0 };
    s.outputs++;
    s.top1 += top ? 1 : 0;
    s.tvd += tvd;
    result.set(key, s);
  };
  outputs.forEach((o, k) => {
    const top = topOne(predictions[k]!, o.main);
    const tvd = totalVariation(predictions[k]!, o.truth);
    add(o.kind, top, tvd);
    add("overall", top, tvd);
  });
  for (const s of result.values()) {
    s.top1 /= s.outputs;
    s.tvd /= s.outputs;
  }
  return result;
}
