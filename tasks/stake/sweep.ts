import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  from: string | undefined;
}

export default async function sweepAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client } = await openProtocol(hre, args.from);
    const { hash, amount, treasury } = await client.staking.sweepDust();
    console.log(`Swept ${formatOpen(amount)} of rounding dust to the treasury ${treasury} (tx ${hash}).`);
  });
}
