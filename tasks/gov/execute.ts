import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseUint, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  id: string;
  from: string;
}

export default async function executeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const proposalId = parseUint(required(args.id, "--id", "<proposal id>"), "--id");
    const { client } = await openProtocol(hre, args.from);
    const { hash } = await client.governance.execute(proposalId);
    console.log(`Executed proposal ${proposalId} (tx ${hash}).`);
  });
}
