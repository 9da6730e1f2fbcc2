import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { voteSupportName } from "../../sdk/core/enums.js";
import { formatOpen } from "../../sdk/core/format.js";
import { shortProposalId } from "../../sdk/core/proposals.js";
import { runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  proposal: string;
  support: string;
  reason: string | undefined;
  from: string | undefined;
}

export default async function voteAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client, signer } = await openProtocol(hre, args.from);
    const proposalId = await client.governance.resolveProposalId(args.proposal);
    const { hash, weight, support } = await client.governance.castVote(proposalId, args.support, args.reason ?? "");
    console.log(
      `${signer.address} voted ${voteSupportName(support).toLowerCase()} on proposal ${shortProposalId(proposalId)} with ${formatOpen(weight, "votes")} (tx ${hash}).`,
    );
  });
}
