import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseUint, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  contribution: string;
  reason: string;
  from: string;
}

export default async function penalizeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const contributionId = parseUint(required(args.contribution, "--contribution", "7"), "--contribution");
    const reason = required(args.reason, "--reason", '"poisoned labels"');
    const { client } = await openProtocol(hre, args.from);
    const { hash } = await client.datanets.penalize(contributionId, reason);
    console.log(`Contribution ${contributionId} is penalized and excluded from attribution from now on (tx ${hash}).`);
  });
}
