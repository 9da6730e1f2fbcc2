import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { UserError, parseBytes32, parseUint, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { hashFile } from "../lib/datanets.js";
import { registerArtifact } from "../lib/models.js";

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
    const artifactHash =
      args.file !== "" ? (await hashFile(path.resolve(args.file))).contentHash : parseBytes32(args.hash, "--hash");
    const uri = required(args.uri, "--uri", "ipfs://…/adapter.safetensors");
    const base = args.base === "" ? 0n : parseUint(args.base, "--base");
    const ctx = await openProtocol(hre, args.from);
    const { hash } = await registerArtifact(ctx, modelId, artifactHash, uri, base);
    console.log(
      `Model ${modelId} is Trained: artifact ${artifactHash} at ${uri}${base === 0n ? " (full weights)" : ` (LoRA adapter on model ${base})`} (tx ${hash}).`,
    );
  });
}
