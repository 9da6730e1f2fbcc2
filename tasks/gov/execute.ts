import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { shortProposalId } from "../../sdk/core/proposals.js";
import { runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  proposal: string;
  from: string | undefined;
}

export default async function executeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client } = await openProtocol(hre, args.from);
    const proposalId = await client.governance.resolveProposalId(args.proposal);
    const { hash } = await client.governance.execute(proposalId);
    console.log(`Executed proposal ${shortProposalId(proposalId)} (tx ${hash}).`);
  });
}
