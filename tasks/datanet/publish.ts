import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseUint, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { treeFile, writeTree } from "../lib/trees.js";

interface Args {
  id: string;
  uri: string;
  from: string;
}

export default async function publishAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const datanetId = parseUint(required(args.id, "--id", "1"), "--id");
    const { client, connection } = await openProtocol(hre, args.from);
    const root = hre.config.paths.root;
    const fileFor = (version: bigint) => treeFile(root, connection.networkName, datanetId, version);
    const published = await client.datanets.publishVersion(datanetId, (version) =>
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
