import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { formatOpen, formatTime, parseUint, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { modelStateName, readModel } from "../lib/models.js";

interface Args {
  id: string;
  from: string;
}

export default async function showAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const modelId = parseUint(required(args.id, "--id", "1"), "--id");
    const ctx = await openProtocol(hre, args.from);
    const m = await readModel(ctx, modelId);
    console.log(`Model ${modelId} — ${modelStateName(m.state)}, proposed ${formatTime(m.proposedAt)}`);
    console.log(`  creator      ${m.creator}`);
    console.log(`  metadata     ${m.metadataURI}`);
    console.log(`  datanets     ${m.datanetIds.join(", ")}`);
    console.log(
      `  rates        ${formatOpen(m.rates.inputRate)} in / ${formatOpen(m.rates.outputRate)} out per 1,000 tokens`,
    );
    console.log(`  bond         ${formatOpen(m.bond)}`);
    if (m.artifactHash !== "0x" + "00".repeat(32)) {
      console.log(`  artifact     ${m.artifactHash} at ${m.artifactURI}`);
      console.log(`  weights      ${m.baseModelId === 0n ? "full" : `LoRA adapter on model ${m.baseModelId}`}`);
    }
  });
}
