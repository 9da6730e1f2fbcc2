import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { formatTime, parseUint, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { queue } from "../lib/governance.js";

interface Args {
  id: string;
  from: string;
}

export default async function queueAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const proposalId = parseUint(required(args.id, "--id", "<proposal id>"), "--id");
    const ctx = await openProtocol(hre, args.from);
    const { hash, eta } = await queue(ctx, proposalId);
    console.log(`Queued proposal ${proposalId}; it can be executed from ${formatTime(eta)} (tx ${hash}).`);
  });
}
