import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { tokenCounts, type TokenArgs } from "./args.js";

interface Args extends TokenArgs {
  model: bigint;
}

export default async function quoteAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { input, output, counted } = await tokenCounts(args);
    const { client } = await openProtocol(hre);
    const q = await client.inference.quote(args.model, input, output);
    const how = counted === undefined ? "" : ` (${counted})`;
    console.log(`Model ${args.model}, ${input} input + ${output} output tokens${how}: ${formatOpen(q.fee)}`);
    console.log(`  model fee     ${formatOpen(q.modelFee)}`);
    console.log(`    creator     ${formatOpen(q.creatorShare)}`);
    console.log(`    stakers     ${formatOpen(q.stakersShare)}`);
    console.log(`    data pool   ${formatOpen(q.pool)} (shared by attribution)`);
    console.log(`  platform fee  ${formatOpen(q.platformFee)}`);
  });
}
