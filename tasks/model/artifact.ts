import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { UserError, optional, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { readBytes } from "../lib/files.js";

interface Args {
  model: bigint;
  file: string | undefined;
  hash: string | undefined;
  uri: string | undefined;
  base: bigint;
  from: string | undefined;
}

export default async function artifactAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const file = optional(args.file);
    const hash = optional(args.hash);
    if ((file === undefined) === (hash === undefined)) {
      throw new UserError(
        "Give the artifact either as --file adapter.safetensors (hashed here) or as --hash with its keccak256.",
      );
    }
    const uri = required(args.uri, "--uri", "ipfs://adapter.safetensors");
    // The client refuses a malformed or zero hash (see tasks/lib/hints.ts).
    const artifact = file !== undefined ? await readBytes(path.resolve(file), "--file") : (hash ?? "").trim();
    const { client } = await openProtocol(hre, args.from);
    const { hash: tx, artifactHash } = await client.models.registerArtifact(args.model, artifact, uri, args.base);
    const weights = args.base === 0n ? "full weights" : `LoRA adapter on model ${args.base}`;
    console.log(`Model ${args.model} is Trained: artifact ${artifactHash} at ${uri} (${weights}) (tx ${tx}).`);
  });
}
