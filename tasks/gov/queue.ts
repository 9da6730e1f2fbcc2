import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatTime } from "../../sdk/core/format.js";
import { shortProposalId } from "../../sdk/core/proposals.js";
import { runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  proposal: string;
  from: string | undefined;
}

export default async function queueAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client } = await openProtocol(hre, args.from);
    const proposalId = await client.governance.resolveProposalId(args.proposal);
    const { hash, eta } = await client.governance.queue(proposalId);
    console.log(
      `Queued proposal ${shortProposalId(proposalId)} in the timelock; it can be executed from ${formatTime(eta)} (tx ${hash}).`,
    );
  });
}
