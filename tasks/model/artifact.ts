import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { UserError, parseBytes32, parseUint, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { readBytes } from "../lib/files.js";

interface Args {
  id: string;
  file: string;
  hash: string;
  uri: string;
  base: string;
  from: string;
}

export default async function artifactAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const modelId = parseUint(required(args.id, "--id", "1"), "--id");
    if ((args.file === "") === (args.hash === "")) {
      throw new UserError("Give the artifact either as --file <path> (hashed here) or as --hash 0x….");
    }
    const artifact =
      args.file !== "" ? await readBytes(path.resolve(args.file), "--file") : parseBytes32(args.hash, "--hash");
    const uri = required(args.uri, "--uri", "ipfs://…/adapter.safetensors");
    const base = args.base === "" ? 0n : parseUint(args.base, "--base");
    const { client } = await openProtocol(hre, args.from);
    const { hash, artifactHash } = await client.models.registerArtifact(modelId, artifact, uri, base);
    console.log(
      `Model ${modelId} is Trained: artifact ${artifactHash} at ${uri}${base === 0n ? " (full weights)" : ` (LoRA adapter on model ${base})`} (tx ${hash}).`,
    );
  });
}
