import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { requestIdOf } from "../../sdk/core/inference.js";
import { parseOpenAmount, parseUint, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { tokens } from "./tokens.js";

interface Args {
  model: string | undefined;
  inputTokens: string | undefined;
  outputTokens: string | undefined;
  inputText: string | undefined;
  outputText: string | undefined;
  requestId: string | undefined;
  maxFee: string | undefined;
  from: string | undefined;
}

export default async function payAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const modelId = parseUint(required(args.model, "--model", "1"), "--model");
    const input = await tokens(args.inputTokens, args.inputText, "input", "2000");
    const output = await tokens(args.outputTokens, args.outputText, "output", "1000");
    // 32 bytes of hex are the request id; any other text is hashed to one, as the SDK's requestIdOf does.
    const requestId = requestIdOf(args.requestId ?? "");
    const maxFee = args.maxFee === undefined ? undefined : parseOpenAmount(args.maxFee, "--max-fee");
    const { client, signer } = await openProtocol(hre, args.from);
    const paid = await client.inference.pay(modelId, input, output, {
      ...(requestId === undefined ? {} : { requestId }),
      ...(maxFee === undefined ? {} : { maxFee }),
    });
    console.log(
      `Inference ${paid.inferenceId} paid: ${formatOpen(paid.quote.fee)} for model ${modelId} (tx ${paid.hash}).`,
    );
    console.log(
      `  request ${paid.requestId} of ${signer.address} (inference show --request-id ${paid.requestId} finds it again)`,
    );
    console.log(
      `  creator ${formatOpen(paid.quote.creatorShare)}, stakers ${formatOpen(paid.quote.stakersShare)}, data pool ${formatOpen(paid.quote.pool)} pending attribution, platform ${formatOpen(paid.quote.platformFee)}`,
    );
  });
}
