/**
 * `npm run bench:attribution`: the attribution engine's quality on real text, and its size and speed.
 *
 * 1. Quality: the real-text evaluation (attribution/node/real-text.ts): the README, docs and licence files
 *    shipped in node_modules, near-duplicates removed, nine kinds of outputs with known truth. The engine
 *    (defaults, the router's 1% threshold) beside a naive word-8-gram baseline, per kind.
 * 2. 10M tokens: a corpus made from the same real files (windows of them with 20% of the words replaced
 *    by other real words, so no two documents are alike), built in a child process (tokenizing on worker
 *    threads) and written as one file; then loaded and queried in a fresh child process.
 * 3. 100M tokens in 8 shards, the same way (skipped with BENCH_LARGE=0).
 *
 * Token counts are o200k_base tokens, estimated from an exactly counted sample of the generated corpus.
 * Child processes measure their own peak RSS (process.resourceUsage().maxRSS), so one phase's memory never
 * counts against another. Prints the tables; with BENCH_README=1 also writes them into README.md between the
 * `<!-- attribution-bench:begin -->` and `<!-- attribution-bench:end -->` markers.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import {
  attribute,
  buildIndex,
  countTokens,
  detokenize,
  shardMemoryBytes,
  tokenize,
  type CorpusDocument,
} from "../attribution/index.js";
import { prng } from "../attribution/evaluation.js";
import { IndexWriter, openIndex, writeIndexFiles } from "../attribution/node/files.js";
import { KINDS, NaiveEightGram, realTextSet, scoreByKind } from "../attribution/node/real-text.js";
import { table } from "../tasks/lib/table.js";
import { writeReadmeBlocks } from "./lib/readme.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const MODULES = path.join(ROOT, "node_modules");
const QUERIES = 200;
const QUERY_TOKENS = 500;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.floor(p * (values.length - 1))]!;
const peakRss = () => process.resourceUsage().maxRSS * 1024;

/** Deterministic synthetic documents made of real text: window of a real file, 20% of words replaced. */
class SyntheticCorpus {
  private readonly texts: string[];
  private readonly vocabulary: string[];

  constructor() {
    const set = realTextSet({ root: MODULES, perKind: 1 });
    this.texts = set.documents.map((d) => d.text);
    // Replacement words: the plain words of the real files (letters, maybe a comma or full stop).
    this.vocabulary = this.texts.flatMap((t) => (t.match(/\S+/g) ?? []).filter((w) => /^[A-Za-z]+[.,]?$/.test(w)));
  }

  document(j: number): string {
    const random = prng(0x9e3779b9 ^ Math.imul(j + 1, 0x85ebca6b));
    const text = this.texts[Math.floor(random() * this.texts.length)]!;
    const chunks = [...text.matchAll(/\S+/g)];
    const length = Math.min(chunks.length, 300 + Math.floor(random() * 400));
    const at = Math.floor(random() * (chunks.length - length + 1));
    const first = chunks[at]!;
    const last = chunks[at + length - 1]!;
    return text
      .slice(first.index, last.index + last[0].length)
      .replace(/\S+/g, (w) => (random() < 0.2 ? this.vocabulary[Math.floor(random() * this.vocabulary.length)]! : w));
  }

  /** o200k tokens per character, counted on the first `sample` documents. */
  tokensPerChar(sample = 400): number {
    let chars = 0;
    let tokens = 0;
    for (let j = 0; j < sample; j++) {
      const t = this.document(j);
      chars += t.length;
      tokens += countTokens(t);
    }
    return tokens / chars;
  }
}

interface BuildResult {
  tokens: number;
  words: number;
  documents: number;
  shards: number;
  buildMs: number;
  bytes: number;
  peakRss: number;
}

interface QueryResult {
  loadMs: number;
  memoryBytes: number;
  medianMs: number;
  p95Ms: number;
  rss: number;
  peakRss: number;
}

/** Child: generate a corpus of about `targetTokens` and build it into `shards` shard(s) at `file`. */
async function buildPhase(file: string, targetTokens: number, shards: number): Promise<BuildResult> {
  const corpus = new SyntheticCorpus();
  const ratio = corpus.tokensPerChar();
  const perShard = targetTokens / shards;
  let next = 0;
  let tokens = 0;
  let buildMs = 0;
  let bytes: number;
  let words: number;
  const generate = (limit: number) => {
    const docs: CorpusDocument[] = [];
    let t = 0;
    while (t < limit) {
      const text = corpus.document(next);
      docs.push({ contributionId: BigInt(++next), datanetId: 1n, text });
      t += text.length * ratio;
    }
    tokens += t;
    return docs;
  };
  if (shards === 1) {
    const docs = generate(targetTokens);
    if (global.gc) global.gc();
    const started = performance.now();
    const written = await writeIndexFiles(file, docs, { maxShardWords: Number.MAX_SAFE_INTEGER });
    buildMs = performance.now() - started;
    bytes = written.bytes;
    words = written.wordCount;
  } else {
    const writer = new IndexWriter(file);
    for (let s = 0; s < shards; s++) {
      let docs: CorpusDocument[] | undefined = generate(perShard);
      const started = performance.now();
      await writer.addShard(docs);
      buildMs += performance.now() - started;
      // eslint-disable-next-line no-useless-assignment -- drops the shard's documents so global.gc() can reclaim them
      docs = undefined;
      if (global.gc) global.gc();
    }
    const started = performance.now();
    const written = await writer.finish();
    buildMs += performance.now() - started;
    bytes = written.bytes;
    words = written.wordCount;
  }
  return { tokens: Math.round(tokens), words, documents: next, shards, buildMs, bytes, peakRss: peakRss() };
}

/** Child: open the index, read every shard, attribute 500-token outputs cut from its documents. */
function queryPhase(file: string, documents: number): QueryResult {
  const corpus = new SyntheticCorpus();
  const random = prng(7);
  const queries: string[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const parts: string[] = [];
    for (let k = 0; k < 3; k++) {
      const words = corpus.document(Math.floor(random() * documents)).split(/\s+/);
      const at = Math.floor(random() * Math.max(1, words.length - 250));
      parts.push(
        words
          .slice(at, at + 250)
          .map((w) => (random() < 0.04 ? words[Math.floor(random() * words.length)]! : w))
          .join(" "),
      );
    }
    queries.push(detokenize(tokenize(parts.join("\n")).slice(0, QUERY_TOKENS)));
  }
  const started = performance.now();
  const index = openIndex(file);
  let memoryBytes = 0;
  for (const s of index.shards) memoryBytes += shardMemoryBytes(s.load());
  const loadMs = performance.now() - started;
  for (let q = 0; q < 10; q++) attribute(index, queries[q]!); // warm up the JIT
  const times = queries.map((text) => {
    const t = performance.now();
    attribute(index, text);
    return performance.now() - t;
  });
  return {
    loadMs,
    memoryBytes,
    medianMs: percentile(times, 0.5),
    p95Ms: percentile(times, 0.95),
    rss: process.memoryUsage().rss,
    peakRss: peakRss(),
  };
}

function child<T>(phase: string, args: Record<string, string>): T {
  const result = spawnSync(
    process.execPath,
    ["--expose-gc", "--import", "tsx", path.join(ROOT, "scripts", "bench-attribution.ts")],
    {
      cwd: ROOT,
      env: { ...process.env, BENCH_PHASE: phase, BENCH_ARGS: JSON.stringify(args) },
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 1 << 24,
    },
  );
  const line = result.stdout
    .toString()
    .split("\n")
    .find((l) => l.startsWith("RESULT "));
  if (result.status !== 0 || line === undefined)
    throw new Error(`The ${phase} phase failed (status ${result.status}).`);
  return JSON.parse(line.slice(7)) as T;
}

async function runPhase(): Promise<void> {
  const args = JSON.parse(process.env.BENCH_ARGS ?? "{}") as Record<string, string>;
  const result =
    process.env.BENCH_PHASE === "build"
      ? await buildPhase(args.file!, Number(args.tokens), Number(args.shards))
      : queryPhase(args.file!, Number(args.documents));
  console.log(`RESULT ${JSON.stringify(result)}`);
}

function quality() {
  const set = realTextSet({ root: MODULES });
  const index = buildIndex(set.documents);
  const naive = new NaiveEightGram(set.documents);
  const engine = scoreByKind(
    set.outputs,
    set.outputs.map(
      (o) => new Map(attribute(index, o.text).weights.map((w) => [w.contributionId, Number(w.weight) / 1e18])),
    ),
  );
  const baseline = scoreByKind(
    set.outputs,
    set.outputs.map((o) => naive.attribute(o.text)),
  );
  console.log(
    `Real text: ${set.filesFound} files in node_modules, ${set.filesKept} after removing near-duplicates; ` +
      `${set.documents.length} contributions (${set.documents.length - Math.round((set.filesKept * 7) / 8)} edited copies), ` +
      `${index.wordCount.toLocaleString("en-US")} words; ${set.outputs.length} outputs.`,
  );
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const rows = [...KINDS, "overall" as const].map((kind) => {
    const e = engine.get(kind)!;
    const b = baseline.get(kind)!;
    return [kind, String(e.outputs), pct(e.top1), e.tvd.toFixed(3), pct(b.top1), b.tvd.toFixed(3)];
  });
  const rendered = table(["kind", "outputs", "engine top-1", "engine TVD", "8-gram top-1", "8-gram TVD"], rows, [
    "l",
    "r",
    "r",
    "r",
    "r",
    "r",
  ]);
  const overall = engine.get("overall")!;
  const worst = Math.min(...KINDS.map((k) => engine.get(k)!.top1));
  const beats = KINDS.every(
    (k) => engine.get(k)!.top1 >= baseline.get(k)!.top1 && engine.get(k)!.tvd <= baseline.get(k)!.tvd,
  );
  const targets: [string, string, string, boolean][] = [
    ["top-1, overall", pct(overall.top1), "≥ 97%", overall.top1 >= 0.97],
    ["top-1, worst kind", pct(worst), "≥ 92%", worst >= 0.92],
    ["total-variation distance, overall mean", overall.tvd.toFixed(3), "≤ 0.08", overall.tvd <= 0.08],
    ["engine at least as good as the 8-gram baseline on every kind", beats ? "yes" : "no", "yes", beats],
  ];
  return { rendered, targets };
}

async function main(): Promise<void> {
  const { rendered: qualityTable, targets } = quality();
  console.log(`\n${qualityTable}\n`);

  const dir = mkdtempSync(path.join(os.tmpdir(), "attribution-bench-"));
  try {
    const tokens = Number(process.env.BENCH_TOKENS ?? 10_000_000);
    const file = path.join(dir, "index-10m.bin");
    const built = child<BuildResult>("build", { file, tokens: String(tokens), shards: "1" });
    console.log(
      `10M corpus: ${built.documents.toLocaleString("en-US")} contributions, ≈${built.tokens.toLocaleString("en-US")} tokens, ${built.words.toLocaleString("en-US")} words.`,
    );
    const queried = child<QueryResult>("query", { file, documents: String(built.documents) });
    const perToken = statSync(file).size / built.tokens;
    targets.push(
      [
        `10M: build (tokenize on 2 threads, suffix array, hash, write)`,
        seconds(built.buildMs),
        "≤ 25 s",
        built.buildMs <= 25_000,
      ],
      ["10M: peak RSS while building", mib(built.peakRss), "≤ 1.2 GB", built.peakRss <= 1.2e9],
      ["10M: load (read every section, check SHA-256)", seconds(queried.loadMs), "≤ 1 s", queried.loadMs <= 1000],
      ["10M: index file, bytes per token", perToken.toFixed(2), "≤ 7.1", perToken <= 7.1],
      ["10M: index file, bytes per word", (statSync(file).size / built.words).toFixed(2), "", true],
      [`10M: attribute a ${QUERY_TOKENS}-token output, median`, `${queried.medianMs.toFixed(1)} ms`, "", true],
      [`10M: attribute a ${QUERY_TOKENS}-token output, p95`, `${queried.p95Ms.toFixed(1)} ms`, "", true],
    );
    rmSync(file, { force: true });

    if (process.env.BENCH_LARGE !== "0") {
      const large = path.join(dir, "index-100m.json");
      const lb = child<BuildResult>("build", { file: large, tokens: String(tokens * 10), shards: "8" });
      console.log(
        `100M corpus: ${lb.documents.toLocaleString("en-US")} contributions, ≈${lb.tokens.toLocaleString("en-US")} tokens, ${lb.words.toLocaleString("en-US")} words, ${lb.shards} shards.`,
      );
      const lq = child<QueryResult>("query", { file: large, documents: String(lb.documents) });
      targets.push(
        [`100M: build, ${lb.shards} shards`, seconds(lb.buildMs), "≤ 5 min", lb.buildMs <= 300_000],
        [`100M: load all ${lb.shards} shards`, seconds(lq.loadMs), "", true],
        [`100M: attribute a ${QUERY_TOKENS}-token output, median`, `${lq.medianMs.toFixed(1)} ms`, "", true],
        [`100M: attribute a ${QUERY_TOKENS}-token output, p95`, `${lq.p95Ms.toFixed(1)} ms`, "≤ 20 ms", lq.p95Ms <= 20],
        ["100M: RSS while querying (peak)", mib(lq.peakRss), "≤ 2 GB", lq.peakRss <= 2e9],
        ["100M: index files, bytes per token", (lb.bytes / lb.tokens).toFixed(2), "", true],
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const targetTable = table(
    ["measure", "measured", "target", ""],
    targets.map(([measure, value, target, ok]) => [measure, value, target, target === "" ? "" : ok ? "met" : "MISSED"]),
    ["l", "r", "r", "l"],
  );
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "CPU"}, Node ${process.versions.node}`;
  console.log(`\n${targetTable}\n\n${machine}`);

  if (process.env.BENCH_README === "1") {
    const body = [
      "```",
      qualityTable,
      "```",
      "",
      "```",
      targetTable,
      "```",
      "",
      `Measured by \`npm run bench:attribution\` on ${machine}.`,
    ].join("\n");
    await writeReadmeBlocks({ "attribution-bench": body });
    console.log("Wrote the tables into README.md.");
  }
  if (targets.some(([, , target, ok]) => target !== "" && !ok)) process.exitCode = 1;
}

if (process.env.BENCH_PHASE !== undefined) await runPhase();
else await main();
