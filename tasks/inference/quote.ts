import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { formatOpen, parseUint, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { quoteInference } from "../lib/inference.js";

interface Args {
  model: string;
  inputTokens: string;
  outputTokens: string;
  from: string;
}

export default async function quoteAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const modelId = parseUint(required(args.model, "--model", "1"), "--model");
    const input = parseUint(required(args.inputTokens, "--input-tokens", "2000"), "--input-tokens");
    const output = parseUint(required(args.outputTokens, "--output-tokens", "1000"), "--output-tokens");
    const ctx = await openProtocol(hre, args.from);
    const q = await quoteInference(ctx, modelId, input, output);
    console.log(`Model ${modelId}, ${input} input + ${output} output tokens: ${formatOpen(q.fee)}`);
    console.log(`  model fee     ${formatOpen(q.modelFee)}`);
    console.log(`    creator     ${formatOpen(q.creatorShare)}`);
    console.log(`    stakers     ${formatOpen(q.stakersShare)}`);
    console.log(`    data pool   ${formatOpen(q.pool)} (shared by attribution)`);
    console.log(`  platform fee  ${formatOpen(q.platformFee)}`);
  });
}
