import { writeFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { attribute, formatWeight, type Attribution } from "../../attribution/index.js";
import { parseFraction, writeWeightsFile } from "../../sdk/core/weights.js";
import { UserError, parseInferenceId, parseUint, required, runTask } from "../lib/cli.js";
import { isInProcess, openProtocol } from "../lib/context.js";
import { engine, loadIndex } from "../lib/engine.js";
import { readText } from "../lib/files.js";
import { table } from "../lib/table.js";
import { defaultIndexFile } from "./build-index.js";

interface Args {
  inference: string | undefined;
  text: string | undefined;
  index: string | undefined;
  out: string | undefined;
  minSpan: string | undefined;
  threshold: string | undefined;
}

const percent = (weight: bigint) => `${(Number(weight / 10n ** 10n) / 1e6).toFixed(4)}%`;
const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

/** The offline --threshold: a fraction of the output between 0 and 1, such as 0.05. */
function parseThreshold(value: string): bigint {
  const threshold = parseFraction(value);
  if (threshold === undefined) {
    throw new UserError(`--threshold must be a fraction between 0 and 1 such as 0.05, not "${value}".`);
  }
  return threshold;
}

export default async function computeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const inferenceId = parseInferenceId(required(args.inference, "--inference", "3"), "--inference");
    const textFile = path.resolve(required(args.text, "--text", "output.txt"));
    const output = await readText(textFile, "--text");
    const minSpan = args.minSpan === undefined ? undefined : Number(parseUint(args.minSpan, "--min-span"));
    if (minSpan === 0 || (minSpan !== undefined && minSpan > 64)) {
      throw new UserError("--min-span is the seed length in words: between 1 and 64 (default 4).");
    }

    const connection = await hre.network.create();
    let attribution: Attribution;
    let contributors = new Map<bigint, string>();
    let where: string;
    if (isInProcess(connection)) {
      // No deployment: every indexed contribution may earn, with the given threshold.
      const index = await loadIndex(path.resolve(required(args.index, "--index", "texts.index.bin")));
      const threshold = args.threshold === undefined ? undefined : parseThreshold(args.threshold);
      attribution = engine(() => attribute(index, output, { minSpan, threshold }));
      where = "offline (no deployment: every indexed contribution may earn)";
    } else {
      if (args.threshold !== undefined)
        throw new UserError("--threshold is for offline use; on a network the router's applies.");
      const { client, deployment } = await openProtocol(hre, "", connection);
      const file =
        args.index !== undefined
          ? path.resolve(args.index)
          : defaultIndexFile(hre.config.paths.root, deployment.network);
      const index = await loadIndex(file);
      const result = await client.attribution.attribute(attribute, index, inferenceId, output, { minSpan });
      attribution = result.attribution;
      contributors = result.contributors;
      where = `model ${result.modelId}, the router's threshold`;
    }

    const a = attribution;
    const matched = a.outputWords === 0 ? 0 : (100 * a.matchedWords) / a.outputWords;
    console.log(
      `Inference ${inferenceId}: ${a.outputWords} output words, ${a.matchedWords} credited (${matched.toFixed(1)}%) in ` +
        `${a.regions.length} region(s); ${percent(a.attributed)} attributed to ${a.weights.length} contribution(s) (${where}).`,
    );
    if (a.scores.length > 0) {
      const rows = a.scores.map((s) => [
        String(s.contributionId),
        contributors.has(s.contributionId) ? short(contributors.get(s.contributionId)!) : "",
        String(s.spans),
        String(s.words),
        s.eligible ? percent(s.weight) : "",
        !s.eligible ? "may not earn" : s.reported ? "" : "under the threshold",
      ]);
      console.log(
        table(["contribution", "contributor", "regions", "words", "weight", ""], rows, ["r", "l", "r", "r", "r", "l"]),
      );
    }
    const common = a.regions.filter((r) => r.common).reduce((sum, r) => sum + r.words, 0);
    if (common > 0) console.log(`${common} matched word(s) are common text (found in many contributions): nobody's.`);
    console.log(`  output hash       ${a.outputHash}`);
    console.log(`  index commitment  ${a.indexCommitment}`);

    const out = args.out !== undefined ? path.resolve(args.out) : textFile.replace(/(\.[^./\\]*)?$/, ".weights.json");
    await writeFile(out, writeWeightsFile(inferenceId, a));
    console.log(
      `Wrote ${path.relative(process.cwd(), out)} (${a.weights.map((w) => `${w.contributionId}: ${formatWeight(w.weight)}`).join(", ") || "no weight: the pool would go to the treasury"}).`,
    );
    console.log(`Sign it with: npx hardhat attribution sign --input ${path.relative(process.cwd(), out)} --signers …`);
  });
}
