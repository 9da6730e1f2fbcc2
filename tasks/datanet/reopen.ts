import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  datanet: bigint;
  from: string | undefined;
}

export default async function reopenAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client } = await openProtocol(hre, args.from);
    const { hash } = await client.datanets.setOpen(args.datanet, true);
    console.log(`Datanet ${args.datanet} is open to contributions again (tx ${hash}).`);
  });
}
