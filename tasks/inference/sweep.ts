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
    const { hash, amount, treasury } = await client.inference.sweepToTreasury();
    console.log(
      `Swept ${formatOpen(amount)} the router owed to the treasury ${treasury}: platform fees, expired pools, forfeited shares and dust (tx ${hash}).`,
    );
  });
}
