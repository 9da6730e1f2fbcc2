import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { dumpContributionTree, loadContributionTree, type ContributionTree } from "../../sdk/core/merkle.js";
import { UserError } from "./cli.js";

/** Where the tree of a published datanet version is kept, next to the deployment record. */
export function treeFile(root: string, network: string, datanetId: bigint, version: bigint): string {
  return path.join(root, "deployments", network, `datanet-${datanetId}-v${version}.json`);
}

export async function writeTree(file: string, tree: ContributionTree): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(dumpContributionTree(tree), null, 2) + "\n");
}

export async function readTree(file: string, root: string): Promise<ContributionTree> {
  if (!existsSync(file)) {
    throw new UserError(
      `The tree file ${path.relative(root, file)} does not exist; it is written by \`npx hardhat datanet publish\`.`,
    );
  }
  try {
    return loadContributionTree(JSON.parse(await readFile(file, "utf8")));
  } catch (error) {
    throw new UserError(`${path.relative(root, file)} is not a valid contribution tree (${(error as Error).message}).`);
  }
}
