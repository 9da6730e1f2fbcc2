import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { formatOpen, parseUint, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { castVote } from "../lib/governance.js";

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
    const ctx = await openProtocol(hre, args.from);
    const { hash, weight } = await castVote(ctx, proposalId, support, args.reason);
    console.log(
      `${ctx.signer.address} voted ${support} on proposal ${proposalId} with ${formatOpen(weight, "votes")} (tx ${hash}).`,
    );
  });
}
