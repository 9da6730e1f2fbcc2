import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import type { ContributionContent } from "../../sdk/client/index.js";
import { formatOpen } from "../../sdk/core/format.js";
import { UserError, optional, parseOpenAmount, parseUint, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { readBytes } from "../lib/files.js";

interface Args {
  datanet: bigint;
  file: string | undefined;
  hash: string | undefined;
  size: string | undefined;
  uri: string | undefined;
  maxBond: string | undefined;
  from: string | undefined;
}

export default async function contributeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const file = optional(args.file);
    const hash = optional(args.hash);
    if ((file === undefined) === (hash === undefined)) {
      throw new UserError(
        "Give the content either as --file data/case-1.txt (hashed here) or as --hash with --size (its keccak256 and length).",
      );
    }
    if (file !== undefined && args.size !== undefined) {
      throw new UserError("--size goes with --hash only: the size of --file is its length.");
    }
    // The client refuses empty content, a malformed hash and a size beyond 64 bits (see tasks/lib/hints.ts).
    const content: ContributionContent =
      file !== undefined
        ? { bytes: await readBytes(path.resolve(file), "--file") }
        : { contentHash: (hash ?? "").trim(), size: parseUint(required(args.size, "--size", "1024"), "--size") };
    const uri = optional(args.uri) ?? (file !== undefined ? `file:${path.basename(file)}` : "");
    const maxBond = args.maxBond === undefined ? undefined : parseOpenAmount(args.maxBond, "--max-bond", true);
    const { client } = await openProtocol(hre, args.from);
    const result = await client.datanets.contribute(
      args.datanet,
      content,
      uri,
      maxBond === undefined ? {} : { maxBond },
    );
    console.log(
      `Contribution ${result.contributionId} submitted to datanet ${args.datanet}: ${result.contentHash} (${result.size} bytes), bond ${formatOpen(result.bond)}${result.usedPermit ? " approved by permit" : ""} (tx ${result.hash}).`,
    );
    console.log(
      maxBond === undefined
        ? `  The bond was capped at its current ${formatOpen(result.maxBond)}: a raise by the owner before the transaction landed would have been refused (--max-bond to accept more).`
        : `  The bond was capped at --max-bond ${formatOpen(result.maxBond)}.`,
    );
  });
}
