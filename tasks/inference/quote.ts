import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { TOKENIZER } from "../../attribution/index.js";
import { formatOpen } from "../../sdk/core/format.js";
import { parseUint, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { tokens } from "./tokens.js";

interface Args {
  model: string | undefined;
  inputTokens: string | undefined;
  outputTokens: string | undefined;
  inputText: string | undefined;
  outputText: string | undefined;
  from: string | undefined;
}

export default async function quoteAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const modelId = parseUint(required(args.model, "--model", "1"), "--model");
    const input = await tokens(args.inputTokens, args.inputText, "input", "2000");
    const output = await tokens(args.outputTokens, args.outputText, "output", "1000");
    const { client } = await openProtocol(hre, args.from);
    const q = await client.inference.quote(modelId, input, output);
    const counted = args.inputText !== undefined || args.outputText !== undefined ? ` (${TOKENIZER})` : "";
    console.log(`Model ${modelId}, ${input} input + ${output} output tokens${counted}: ${formatOpen(q.fee)}`);
    console.log(`  model fee     ${formatOpen(q.modelFee)}`);
    console.log(`    creator     ${formatOpen(q.creatorShare)}`);
    console.log(`    stakers     ${formatOpen(q.stakersShare)}`);
    console.log(`    data pool   ${formatOpen(q.pool)} (shared by attribution)`);
    console.log(`  platform fee  ${formatOpen(q.platformFee)}`);
  });
}
