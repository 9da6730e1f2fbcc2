import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { readTree, treeFile } from "../lib/trees.js";

interface Args {
  datanet: bigint;
  versionNumber: bigint;
  contribution: bigint;
  from: string | undefined;
}

export default async function verifyAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { datanet, versionNumber: version, contribution } = args;
    const { client, connection } = await openProtocol(hre, args.from);
    const root = hre.config.paths.root;
    // The tree saved by `datanet publish`, read once the version is known to exist.
    const { proof } = await client.datanets.verifyInclusion(datanet, version, contribution, () =>
      readTree(treeFile(root, connection.networkName, datanet, version), root),
    );
    const how = proof.length === 0 ? "the version holds it alone, so the proof is empty." : `${proof.length} hash(es):`;
    console.log(`Contribution ${contribution} is in version ${version} of datanet ${datanet}, proven on-chain: ${how}`);
    for (const node of proof) console.log(`  ${node}`);
  });
}
