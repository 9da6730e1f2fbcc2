import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { contributionProof } from "../../sdk/core/merkle.js";
import { required } from "../lib/args.js";
import { UserError, parseUint, runTask } from "../lib/cli.js";
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
    const ctx = await openProtocol(hre, args.from);
    const d = await ctx.datanetRegistry.getDatanet(datanetId).catch(() => {
      throw new UserError(`There is no datanet ${datanetId}.`);
    });
    if (version === 0n || version > d.versionCount) {
      throw new UserError(`Datanet ${datanetId} has ${d.versionCount} published version(s), not version ${version}.`);
    }
    const tree = await readTree(
      treeFile(hre.config.paths.root, ctx.connection.networkName, datanetId, version),
      hre.config.paths.root,
    );
    const onChain = await ctx.datanetRegistry.getVersion(datanetId, version);
    if (tree.root !== onChain.merkleRoot) {
      throw new UserError(`The saved tree's root ${tree.root} differs from the published root ${onChain.merkleRoot}.`);
    }
    const proof = contributionProof(tree, contributionId);
    if (proof === undefined) {
      throw new UserError(`Contribution ${contributionId} is not in version ${version} of datanet ${datanetId}.`);
    }
    const included = await ctx.datanetRegistry.verifyInclusion(datanetId, version, contributionId, proof);
    if (!included) throw new UserError(`The registry rejected the proof of contribution ${contributionId}.`);
    console.log(
      `Contribution ${contributionId} is in version ${version} of datanet ${datanetId}, proven on-chain with ${proof.length} hash(es):`,
    );
    for (const node of proof) console.log(`  ${node}`);
  });
}
