/**
 * `npm run bench:attribution`: the attribution engine's quality, size and speed, measured.
 *
 * 1. Quality on the default evaluation set (attribution/evaluation.ts): top-1 accuracy and the mean
 *    absolute error of the weights, with the engine's defaults and the router's default 1% threshold.
 * 2. Size and build speed on a 10M-token corpus of generated text: tokenize, suffix array, pack, hash.
 * 3. Query speed: 500-token outputs stitched from that corpus with noise, attributed one by one.
 *
 * Prints a table; with BENCH_README=1 also writes it into README.md between the
 * `<!-- attribution-bench:begin -->` and `<!-- attribution-bench:end -->` markers.
 */
import { readFile, writeFile } from "node:fs/promises";
import os from "node:os";

import {
  EVALUATION_DEFAULTS,
  TextGenerator,
  attribute,
  buildIndex,
  countTokens,
  generateEvaluationSet,
  indexMemoryBytes,
  prng,
  scoreEvaluation,
  serializeIndex,
  tokenize,
  type CorpusDocument,
} from "../attribution/index.js";
import { table } from "../tasks/lib/table.js";

const TARGET_TOKENS = 10_000_000;
const QUERIES = 200;
const QUERY_TOKENS = 500;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.floor(p * (values.length - 1))]!;

// 1. Quality.
const set = generateEvaluationSet();
const evalIndex = buildIndex(set.documents);
const predictions = set.outputs.map((o) => {
  const a = attribute(evalIndex, o.text);
  return new Map(a.weights.map((w) => [w.contributionId, Number(w.weight) / 1e18]));
});
const quality = scoreEvaluation(set.outputs, predictions);
console.log(
  `Evaluation set: ${set.documents.length} contributions (${evalIndex.tokenCount.toLocaleString("en-US")} tokens), ` +
    `${set.outputs.length} outputs, ${EVALUATION_DEFAULTS.noise * 100}% of words replaced.`,
);

// 2. A 10M-token corpus.
const g = new TextGenerator(prng(42), 20_000);
const sentence = () => `${g.sentence().join(" ")}.`;
const sampleDoc = Array.from({ length: 60 }, sentence).join(" ");
const perDocument = countTokens(sampleDoc);
const documentCount = Math.ceil((TARGET_TOKENS * 1.02) / perDocument);
const documents: CorpusDocument[] = [];
for (let d = 0; d < documentCount; d++) {
  documents.push({
    contributionId: BigInt(d + 1),
    datanetId: 1n,
    text: Array.from({ length: 60 }, sentence).join(" "),
  });
}
if (global.gc) global.gc();
const started = performance.now();
const index = buildIndex(documents);
const buildMs = performance.now() - started;
const fileBytes = serializeIndex(index).length;
const memoryBytes = indexMemoryBytes(index);
console.log(
  `Corpus: ${documentCount.toLocaleString("en-US")} contributions, ${index.tokenCount.toLocaleString("en-US")} tokens.`,
);

// 3. 500-token outputs: excerpts of 2 to 4 contributions with 4% of words replaced, cut to 500 tokens.
const queries: Uint32Array[] = [];
for (let q = 0; q < QUERIES; q++) {
  const parts: string[] = [];
  for (let k = g.integer(2, 4); k > 0; k--) {
    const words = documents[g.integer(0, documents.length - 1)]!.text.split(" ");
    const at = g.integer(0, words.length - 200);
    parts.push(
      words
        .slice(at, at + 200)
        .map((w) => (g.random() < 0.04 ? g.word() : w))
        .join(" "),
    );
  }
  queries.push(tokenize(parts.join(" ")).slice(0, QUERY_TOKENS));
}
attribute(index, queries[0]!); // warm up the JIT
const times = queries.map((tokens) => {
  const t = performance.now();
  attribute(index, tokens);
  return performance.now() - t;
});

const rows: [string, string, string, boolean][] = [
  [
    "top-1 accuracy (main contributor ranked first)",
    `${(quality.top1 * 100).toFixed(1)}%`,
    "≥ 95%",
    quality.top1 >= 0.95,
  ],
  ["mean absolute error of the weights", quality.meanAbsoluteError.toFixed(4), "", true],
  ["mean share of an output attributed", `${(quality.meanAttributed * 100).toFixed(1)}%`, "", true],
  [
    `index file, bytes per token (${index.tokenCount.toLocaleString("en-US")} tokens)`,
    (fileBytes / index.tokenCount).toFixed(2),
    "≤ 8",
    fileBytes / index.tokenCount <= 8,
  ],
  [
    "index in memory, bytes per token",
    (memoryBytes / index.tokenCount).toFixed(2),
    "≤ 8",
    memoryBytes / index.tokenCount <= 8,
  ],
  [
    `build: tokenize + suffix array + hash, ${(index.tokenCount / 1e6).toFixed(1)}M tokens`,
    seconds(buildMs),
    "< 60 s",
    buildMs < 60_000,
  ],
  [
    `attribute a ${QUERY_TOKENS}-token output, median of ${QUERIES}`,
    `${percentile(times, 0.5).toFixed(1)} ms`,
    "< 20 ms",
    percentile(times, 0.5) < 20,
  ],
  [`attribute a ${QUERY_TOKENS}-token output, 95th percentile`, `${percentile(times, 0.95).toFixed(1)} ms`, "", true],
];
const rendered = table(
  ["measure", "measured", "target", ""],
  rows.map(([measure, value, target, ok]) => [measure, value, target, target === "" ? "" : ok ? "met" : "MISSED"]),
  ["l", "r", "r", "l"],
);
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "CPU"}, Node ${process.versions.node}`;
console.log(`\n${rendered}\n\n${machine}`);

if (process.env.BENCH_README === "1") {
  const readme = await readFile("README.md", "utf8");
  const begin = "<!-- attribution-bench:begin -->";
  const end = "<!-- attribution-bench:end -->";
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from === -1 || to === -1) throw new Error(`README.md lacks the ${begin} … ${end} markers.`);
  const body = ["", "```", rendered, "```", "", `Measured by \`npm run bench:attribution\` on ${machine}.`, ""].join(
    "\n",
  );
  await writeFile("README.md", readme.slice(0, from + begin.length) + "\n" + body + readme.slice(to));
  console.log("Wrote the table into README.md.");
}
if (rows.some(([, , target, ok]) => target !== "" && !ok)) process.exitCode = 1;
