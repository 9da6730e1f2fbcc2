import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  datanet: bigint;
  from: string | undefined;
}

export default async function closeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client } = await openProtocol(hre, args.from);
    const { hash } = await client.datanets.setOpen(args.datanet, false);
    console.log(
      `Datanet ${args.datanet} is closed to new contributions; pending ones can still be reviewed (tx ${hash}).`,
    );
  });
}
