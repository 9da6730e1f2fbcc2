import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { parseInferenceId, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  inference: string;
  from: string | undefined;
}

export default async function expireAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const inferenceId = parseInferenceId(args.inference);
    const { client } = await openProtocol(hre, args.from);
    const { hash, pool } = await client.inference.expire(inferenceId);
    console.log(
      `Inference ${inferenceId} expired unattributed: its ${formatOpen(pool)} pool goes to the treasury (tx ${hash}).`,
    );
  });
}
