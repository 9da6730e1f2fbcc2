import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { parseUint, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { activateModel } from "../lib/models.js";

interface Args {
  id: string;
  from: string;
}

export default async function activateAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const modelId = parseUint(required(args.id, "--id", "1"), "--id");
    const ctx = await openProtocol(hre, args.from);
    const { hash } = await activateModel(ctx, modelId);
    console.log(`Model ${modelId} is Active and takes inference (tx ${hash}).`);
  });
}
