import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { parseUint, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { publishVersion } from "../lib/datanets.js";
import { treeFile, writeTree } from "../lib/trees.js";

interface Args {
  id: string;
  uri: string;
  from: string;
}

export default async function publishAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const datanetId = parseUint(required(args.id, "--id", "1"), "--id");
    const ctx = await openProtocol(hre, args.from);
    const root = hre.config.paths.root;
    const fileFor = (version: bigint) => treeFile(root, ctx.connection.networkName, datanetId, version);
    const published = await publishVersion(ctx, datanetId, (version) =>
      args.uri !== "" ? args.uri : `file:${path.relative(root, fileFor(version))}`,
    );
    const file = fileFor(published.version);
    await writeTree(file, published.tree);
    console.log(
      `Published version ${published.version} of datanet ${datanetId}: ${published.count} accepted contribution(s), root ${published.root} (tx ${published.hash}).`,
    );
    console.log(`Wrote the tree with its proofs to ${path.relative(root, file)}.`);
  });
}
