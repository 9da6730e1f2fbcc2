import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { optional, parseOpenAmount, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { describeRequestId, requestIdOption, shellWord, tokenCounts, type TokenArgs } from "./args.js";

interface Args extends TokenArgs {
  model: bigint;
  requestId: string | undefined;
  maxFee: string | undefined;
  from: string | undefined;
}

export default async function payAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { input, output, counted } = await tokenCounts(args);
    const request = requestIdOption(args.requestId);
    const maxFeeText = optional(args.maxFee);
    const maxFee = maxFeeText === undefined ? undefined : parseOpenAmount(maxFeeText, "--max-fee");
    const { client, signer } = await openProtocol(hre, args.from);
    const paid = await client.inference.pay(args.model, input, output, {
      ...(request === undefined ? {} : { requestId: request.requestId }),
      ...(maxFee === undefined ? {} : { maxFee }),
    });
    const how = counted === undefined ? "" : ` (${counted})`;
    console.log(
      `Inference ${paid.inferenceId} paid: ${formatOpen(paid.quote.fee)} for model ${args.model}, ${input} input + ${output} output tokens${how} (tx ${paid.hash}).`,
    );
    const requestText =
      request === undefined ? `${paid.requestId} (random)` : describeRequestId(request, paid.requestId);
    const find =
      request === undefined
        ? `npx hardhat inference show ${paid.inferenceId}`
        : `npx hardhat inference show --request-id ${shellWord(request.derivedFrom ?? paid.requestId)} --payer ${signer.address}`;
    console.log(`  request   ${requestText} of ${signer.address}`);
    console.log(`  find it   ${find}`);
    console.log(
      `  split     creator ${formatOpen(paid.quote.creatorShare)}, stakers ${formatOpen(paid.quote.stakersShare)}, data pool ${formatOpen(paid.quote.pool)} pending attribution, platform ${formatOpen(paid.quote.platformFee)}`,
    );
  });
}
