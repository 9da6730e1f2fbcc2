import { writeFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { TOKENIZER, attribute, countTokens, formatWeight, type Attribution } from "../../attribution/index.js";
import { toProtocolError } from "../../sdk/core/errors.js";
import { formatOpen } from "../../sdk/core/format.js";
import { parseFraction, writeWeightsFile } from "../../sdk/core/weights.js";
import type { Settlement } from "../../sdk/client/index.js";
import { UserError, optional, parseInferenceId, required, runTask } from "../lib/cli.js";
import { isInProcess, openProtocol } from "../lib/context.js";
import { engine, loadIndex } from "../lib/engine.js";
import { readText } from "../lib/files.js";
import { table } from "../lib/table.js";
import { defaultIndexFile } from "./build-index.js";
import { shownPath } from "./paths.js";

interface Args {
  inference: string;
  text: string | undefined;
  index: string | undefined;
  out: string | undefined;
  minSpan: bigint;
  threshold: string | undefined;
  force: boolean;
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

/** What a recomputation of a settled inference says about its settlement. */
function auditLines(a: Attribution, s: Settlement): string[] {
  const same = (x: string, y: string) => (x.toLowerCase() === y.toLowerCase() ? "matches" : "DIFFERS");
  const onChain = s.contributionIds.join(", ") || "none";
  const now = a.weights.map((w) => w.contributionId).join(", ") || "none";
  return [
    `Audit of the settlement (tx ${s.transaction}):`,
    `  output hash       ${same(a.outputHash, s.outputHash)}: settled ${s.outputHash}`,
    `  index commitment  ${same(a.indexCommitment, s.indexCommitment)}: settled ${s.indexCommitment}`,
    `  contributions     settled ${onChain}; recomputed ${now}`,
  ];
}

export default async function computeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const inferenceId = parseInferenceId(args.inference);
    const textFile = path.resolve(required(args.text, "--text", "answer.txt"));
    const output = await readText(textFile, "--text");
    if (args.minSpan === 0n) throw new UserError("--min-span is the shortest match that counts, in words: at least 1.");
    const minSpan = Number(args.minSpan);
    const thresholdText = optional(args.threshold);

    const connection = await hre.network.create();
    let attribution: Attribution;
    let contributors = new Map<bigint, string>();
    let where: string;
    let audit: string[] | undefined;
    if (isInProcess(connection)) {
      // No deployment: every indexed contribution may earn, with the given threshold.
      const index = await loadIndex(path.resolve(required(args.index, "--index", "texts.index.bin")));
      const threshold = thresholdText === undefined ? undefined : parseThreshold(thresholdText);
      attribution = engine(() => attribute(index, output, { minSpan, threshold }));
      where = "offline (no deployment: every indexed contribution may earn)";
    } else {
      if (thresholdText !== undefined) {
        throw new UserError("--threshold is for offline use; on a network the router's applies.");
      }
      const { client, deployment } = await openProtocol(hre, undefined, connection);
      const file =
        args.index !== undefined
          ? path.resolve(args.index)
          : defaultIndexFile(hre.config.paths.root, deployment.network);
      const index = await loadIndex(file);
      const result = await client.attribution
        .attribute((...a) => engine(() => attribute(...a)), index, inferenceId, output, {
          minSpan,
          settled: args.force,
        })
        .catch((error: unknown) => {
          const refusal = toProtocolError(error);
          if (refusal?.code !== "InferenceNotPending") throw error;
          throw new UserError(
            `${refusal.message.replace(/\.$/, "")}: its attribution is final; pass --force to recompute it for an audit.`,
          );
        });
      attribution = result.attribution;
      contributors = result.contributors;
      where = `model ${result.modelId}, the router's threshold`;
      // The output is billed by tokens: a text of another length than the one paid for is likely another output.
      const details = await client.inference.inference(inferenceId);
      const tokens = BigInt(countTokens(output));
      if (details.tokens !== undefined && details.tokens.outputTokens !== tokens) {
        console.error(
          `Warning: ${shownPath(textFile)} has ${tokens} tokens (${TOKENIZER}), but inference ${inferenceId} was paid for ${details.tokens.outputTokens} output tokens: check that it is the output of this inference.`,
        );
      }
      if (details.settlement !== undefined) audit = auditLines(attribution, details.settlement);
      if (details.expiredPool !== undefined) {
        audit = [
          `Inference ${inferenceId} expired unattributed: its ${formatOpen(details.expiredPool)} pool went to the treasury.`,
        ];
      }
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
    const weights =
      a.weights.map((w) => `${w.contributionId}: ${formatWeight(w.weight)}`).join(", ") ||
      "no weight: the pool would go to the treasury";
    console.log(`Wrote ${shownPath(out)} (${weights}).`);
    if (audit !== undefined) {
      for (const line of audit) console.log(line);
      return;
    }
    console.log(
      `Sign it with the oracle's signers: npx hardhat attribution sign ${shownPath(out)} --signers <accounts> (or --keys <variables>).`,
    );
  });
}
