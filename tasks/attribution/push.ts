import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { readSignedAttribution } from "../../sdk/core/signed.js";
import { runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { readJson } from "../lib/files.js";
import { shownPath } from "./paths.js";

interface Args {
  file: string;
  from: string | undefined;
}

export default async function pushAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const signed = readSignedAttribution(await readJson(args.file, "The signed file"), shownPath(args.file));
    const { client } = await openProtocol(hre, args.from);
    const { hash, settled, skipped } = await client.attribution.push(signed);
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
