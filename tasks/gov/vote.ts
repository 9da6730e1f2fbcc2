import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { parseUint, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  id: string;
  support: string;
  reason: string;
  from: string;
}

export default async function voteAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const proposalId = parseUint(required(args.id, "--id", "<proposal id>"), "--id");
    const support = required(args.support, "--support", "for").toLowerCase();
    const { client, signer } = await openProtocol(hre, args.from);
    const { hash, weight } = await client.governance.castVote(proposalId, support, args.reason);
    console.log(
      `${signer.address} voted ${support} on proposal ${proposalId} with ${formatOpen(weight, "votes")} (tx ${hash}).`,
    );
  });
}
