import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { parseBytes32, parseOpenAmount, parseUint, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  model: string;
  inputTokens: string;
  outputTokens: string;
  requestId: string;
  maxFee: string;
  from: string;
}

export default async function payAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const modelId = parseUint(required(args.model, "--model", "1"), "--model");
    const input = parseUint(required(args.inputTokens, "--input-tokens", "2000"), "--input-tokens");
    const output = parseUint(required(args.outputTokens, "--output-tokens", "1000"), "--output-tokens");
    const requestId = args.requestId === "" ? undefined : parseBytes32(args.requestId, "--request-id");
    const maxFee = args.maxFee === "" ? undefined : parseOpenAmount(args.maxFee, "--max-fee");
    const { client, signer } = await openProtocol(hre, args.from);
    const paid = await client.inference.pay(modelId, input, output, {
      ...(requestId === undefined ? {} : { requestId }),
      ...(maxFee === undefined ? {} : { maxFee }),
    });
    console.log(
      `Inference ${paid.inferenceId} paid: ${formatOpen(paid.quote.fee)} for model ${modelId} (tx ${paid.hash}).`,
    );
    console.log(
      `  request ${paid.requestId} of ${signer.address} (inference:show --request-id ${paid.requestId} finds it again)`,
    );
    console.log(
      `  creator ${formatOpen(paid.quote.creatorShare)}, stakers ${formatOpen(paid.quote.stakersShare)}, data pool ${formatOpen(paid.quote.pool)} pending attribution, platform ${formatOpen(paid.quote.platformFee)}`,
    );
  });
}
