import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen, formatTime } from "../../sdk/core/format.js";
import { runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  model: bigint;
  from: string | undefined;
}

export default async function showAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client } = await openProtocol(hre, args.from);
    const m = await client.models.model(args.model);
    console.log(`Model ${m.modelId} — ${m.state}, proposed ${formatTime(m.proposedAt)}`);
    console.log(`  creator      ${m.creator}`);
    console.log(`  metadata     ${m.metadataURI}`);
    console.log(`  datanets     ${m.datanetIds.join(", ")}`);
    console.log(
      `  rates        ${formatOpen(m.rates.inputRate)} in / ${formatOpen(m.rates.outputRate)} out per 1,000 tokens`,
    );
    console.log(`  bond         ${formatOpen(m.bond)}`);
    if (BigInt(m.artifactHash) !== 0n) {
      console.log(`  artifact     ${m.artifactHash} at ${m.artifactURI}`);
      console.log(`  weights      ${m.baseModelId === 0n ? "full" : `LoRA adapter on model ${m.baseModelId}`}`);
    }
  });
}
