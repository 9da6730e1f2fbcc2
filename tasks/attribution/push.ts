import { readFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { UserError, formatOpen, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { parseSigned, pushAttribution } from "../lib/attribution.js";

interface Args {
  file: string;
  from: string;
}

export default async function pushAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const file = required(args.file, "--file", "weights.signed.json");
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, "utf8"));
    } catch {
      throw new UserError(`--file ${file} is not a readable JSON file.`);
    }
    const signed = parseSigned(json, file);
    const ctx = await openProtocol(hre, args.from);
    const { hash, settled, skipped } = await pushAttribution(ctx, signed);
    console.log(`Settled ${settled.length} inference(s) (tx ${hash}):`);
    for (const s of settled) {
      console.log(
        `  inference ${s.inferenceId}: ${formatOpen(s.credited)} to contributors, ${formatOpen(s.toTreasury)} to the treasury`,
      );
      console.log(`    output ${s.outputHash}, index ${s.indexCommitment}`);
      for (const f of s.forfeited) {
        console.log(
          `    contribution ${f.contributionId} was penalized after the report was signed: its ${formatOpen(f.amount)} share went to the treasury`,
        );
      }
    }
    for (const s of skipped) {
      const why = s.status === "Pending" ? "its attribution window had closed" : `it was already ${s.status}`;
      console.log(`  inference ${s.inferenceId} skipped: ${why}`);
    }
  });
}
