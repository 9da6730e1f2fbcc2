import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { optional, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { treeFile, writeTree } from "../lib/trees.js";

interface Args {
  datanet: bigint;
  uri: string | undefined;
  from: string | undefined;
}

export default async function publishAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const datanetId = args.datanet;
    const uri = optional(args.uri);
    const { client, connection } = await openProtocol(hre, args.from);
    const root = hre.config.paths.root;
    const fileFor = (version: bigint) => treeFile(root, connection.networkName, datanetId, version);
    const published = await client.datanets.publishVersion(
      datanetId,
      (version) => uri ?? `file:${path.relative(root, fileFor(version))}`,
    );
    const file = fileFor(published.version);
    await writeTree(file, published.tree);
    console.log(
      `Published version ${published.version} of datanet ${datanetId}: ${published.count} accepted contribution(s), root ${published.root} (tx ${published.hash}).`,
    );
    console.log(`Wrote the tree with its proofs to ${path.relative(root, file)}.`);
  });
}
