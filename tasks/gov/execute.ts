import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { parseUint, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { execute } from "../lib/governance.js";

interface Args {
  id: string;
  from: string;
}

export default async function executeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const proposalId = parseUint(required(args.id, "--id", "<proposal id>"), "--id");
    const ctx = await openProtocol(hre, args.from);
    const { hash } = await execute(ctx, proposalId);
    console.log(`Executed proposal ${proposalId} (tx ${hash}).`);
  });
}
