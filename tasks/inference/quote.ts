import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { TOKENIZER, countTokens } from "../../attribution/index.js";

import { formatOpen } from "../../sdk/core/format.js";
import { UserError, parseUint, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { readText } from "../lib/files.js";

interface Args {
  model: string;
  inputTokens: string;
  outputTokens: string;
  inputText: string;
  outputText: string;
  from: string;
}

/** A token count given as a number (`--input-tokens`) or as a text file to tokenize (`--input-text`). */
async function tokens(count: string, file: string, which: "input" | "output", example: string): Promise<bigint> {
  if (count !== "" && file !== "") throw new UserError(`Give --${which}-tokens or --${which}-text, not both.`);
  if (file === "") return parseUint(required(count, `--${which}-tokens`, example), `--${which}-tokens`);
  return BigInt(countTokens(await readText(file, `--${which}-text`)));
}

export default async function quoteAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const modelId = parseUint(required(args.model, "--model", "1"), "--model");
    const input = await tokens(args.inputTokens, args.inputText, "input", "2000");
    const output = await tokens(args.outputTokens, args.outputText, "output", "1000");
    const { client } = await openProtocol(hre, args.from);
    const q = await client.inference.quote(modelId, input, output);
    const counted = args.inputText !== "" || args.outputText !== "" ? ` (${TOKENIZER})` : "";
    console.log(`Model ${modelId}, ${input} input + ${output} output tokens${counted}: ${formatOpen(q.fee)}`);
    console.log(`  model fee     ${formatOpen(q.modelFee)}`);
    console.log(`    creator     ${formatOpen(q.creatorShare)}`);
    console.log(`    stakers     ${formatOpen(q.stakersShare)}`);
    console.log(`    data pool   ${formatOpen(q.pool)} (shared by attribution)`);
    console.log(`  platform fee  ${formatOpen(q.platformFee)}`);
  });
}
