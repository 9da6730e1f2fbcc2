import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen, parseAddress, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { delegate } from "../lib/staking.js";

interface Args {
  to: string;
  from: string;
}

export default async function delegateAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const ctx = await openProtocol(hre, args.from);
    const delegatee = args.to === "" ? ctx.signer.address : parseAddress(args.to, "--to");
    const { hash, votes } = await delegate(ctx, delegatee);
    console.log(
      `${ctx.signer.address} delegated its votes to ${delegatee === ctx.signer.address ? "itself" : delegatee}, which now has ${formatOpen(votes, "votes")} (tx ${hash}).`,
    );
  });
}
