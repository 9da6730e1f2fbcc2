import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import type { ContributionContent } from "../../sdk/client/index.js";
import { formatOpen } from "../../sdk/core/format.js";
import { UserError, parseBytes32, parseOpenAmount, parseUint, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { readBytes } from "../lib/files.js";

interface Args {
  id: string;
  file: string;
  hash: string;
  size: string;
  uri: string;
  maxBond: string;
  from: string;
}

export default async function contributeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const datanetId = parseUint(required(args.id, "--id", "1"), "--id");
    if ((args.file === "") === (args.hash === "")) {
      throw new UserError("Give the content either as --file <path> (hashed here) or as --hash 0x… with --size.");
    }
    const content: ContributionContent =
      args.file !== ""
        ? { bytes: await readBytes(path.resolve(args.file), "--file") }
        : {
            contentHash: parseBytes32(args.hash, "--hash"),
            size: parseUint(required(args.size, "--size", "1024"), "--size"),
          };
    if ("bytes" in content && content.bytes.length === 0) {
      throw new UserError(`--file ${args.file} is empty: a contribution needs at least one byte.`);
    }
    if ("size" in content && content.size >= 2n ** 64n) throw new UserError("--size does not fit in 64 bits.");
    const uri = args.uri !== "" ? args.uri : args.file !== "" ? `file:${path.basename(args.file)}` : "";
    const maxBond = args.maxBond === "" ? undefined : parseOpenAmount(args.maxBond, "--max-bond", true);
    const { client } = await openProtocol(hre, args.from);
    const result = await client.datanets.contribute(datanetId, content, uri, maxBond === undefined ? {} : { maxBond });
    console.log(
      `Contribution ${result.contributionId} submitted to datanet ${datanetId}: ${result.contentHash} (${result.size} bytes), bond ${formatOpen(result.bond)}${result.usedPermit ? " approved by permit" : ""} (tx ${result.hash}).`,
    );
    console.log(
      maxBond === undefined
        ? `  The bond was capped at its current ${formatOpen(result.maxBond)}: a raise by the owner before the transaction landed would have been refused (--max-bond to accept more).`
        : `  The bond was capped at --max-bond ${formatOpen(result.maxBond)}.`,
    );
  });
}
