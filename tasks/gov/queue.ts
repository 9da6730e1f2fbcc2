import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatTime } from "../../sdk/core/format.js";
import { parseUint, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  id: string;
  from: string;
}

export default async function queueAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const proposalId = parseUint(required(args.id, "--id", "<proposal id>"), "--id");
    const { client } = await openProtocol(hre, args.from);
    const { hash, eta } = await client.governance.queue(proposalId);
    console.log(`Queued proposal ${proposalId}; it can be executed from ${formatTime(eta)} (tx ${hash}).`);
  });
}
