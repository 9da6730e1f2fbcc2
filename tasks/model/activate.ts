import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  model: bigint;
  from: string | undefined;
}

export default async function activateAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client } = await openProtocol(hre, args.from);
    const { hash } = await client.models.activate(args.model);
    console.log(`Model ${args.model} is Active and takes inference (tx ${hash}).`);
  });
}
