import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseUint, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { readTree, treeFile } from "../lib/trees.js";

interface Args {
  id: string;
  datanetVersion: string;
  contribution: string;
  from: string;
}

export default async function verifyAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const datanetId = parseUint(required(args.id, "--id", "1"), "--id");
    const version = parseUint(required(args.datanetVersion, "--datanet-version", "1"), "--datanet-version");
    const contributionId = parseUint(required(args.contribution, "--contribution", "7"), "--contribution");
    const { client, connection } = await openProtocol(hre, args.from);
    const root = hre.config.paths.root;
    // The tree saved by datanet:publish, read once the version is known to exist.
    const { proof } = await client.datanets.verifyInclusion(datanetId, version, contributionId, () =>
      readTree(treeFile(root, connection.networkName, datanetId, version), root),
    );
    console.log(
      `Contribution ${contributionId} is in version ${version} of datanet ${datanetId}, proven on-chain with ${proof.length} hash(es):`,
    );
    for (const node of proof) console.log(`  ${node}`);
  });
}
