import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseUint, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  id: string;
  from: string;
}

export default async function activateAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const modelId = parseUint(required(args.id, "--id", "1"), "--id");
    const { client } = await openProtocol(hre, args.from);
    const { hash } = await client.models.activate(modelId);
    console.log(`Model ${modelId} is Active and takes inference (tx ${hash}).`);
  });
}
