import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { formatOpen, parseOpenAmount, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { stake } from "../lib/staking.js";

interface Args {
  amount: string;
  from: string;
}

export default async function stakeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const amount = parseOpenAmount(required(args.amount, "--amount", "20000"));
    const ctx = await openProtocol(hre, args.from);
    const { hash, usedPermit } = await stake(ctx, amount);
    const staked = await ctx.stakedOpen.balanceOf(ctx.signer.address);
    console.log(
      `Staked ${formatOpen(amount)} for ${ctx.signer.address}${usedPermit ? " (approved by permit)" : ""}; it now holds ${formatOpen(staked, "gOPEN")} (tx ${hash}).`,
    );
    if ((await ctx.stakedOpen.delegates(ctx.signer.address)) === "0x0000000000000000000000000000000000000000") {
      console.log("Votes count only once delegated: run `npx hardhat stake:delegate` to vote yourself.");
    }
  });
}
