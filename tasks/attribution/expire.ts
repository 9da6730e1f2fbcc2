import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { formatOpen, parseInferenceId, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { expireInference } from "../lib/attribution.js";

interface Args {
  id: string;
  from: string;
}

export default async function expireAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const inferenceId = parseInferenceId(required(args.id, "--id", "5296…"), "--id");
    const ctx = await openProtocol(hre, args.from);
    const { hash, pool } = await expireInference(ctx, inferenceId);
    console.log(
      `Inference ${inferenceId} expired unattributed: its ${formatOpen(pool)} pool goes to the treasury (tx ${hash}).`,
    );
  });
}
