import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  contribution: bigint;
  reason: string | undefined;
  from: string | undefined;
}

export default async function penalizeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const reason = required(args.reason, "--reason", '"poisoned labels"');
    const { client } = await openProtocol(hre, args.from);
    const { hash } = await client.datanets.penalize(args.contribution, reason);
    console.log(
      `Contribution ${args.contribution} is penalized and excluded from attribution from now on (tx ${hash}).`,
    );
  });
}
