import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { parseOpenAmount, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  amount: string;
  from: string;
}

export default async function stakeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const amount = parseOpenAmount(required(args.amount, "--amount", "20000"));
    const { client, signer } = await openProtocol(hre, args.from);
    const { hash, usedPermit, staked, delegated } = await client.staking.stake(amount);
    console.log(
      `Staked ${formatOpen(amount)} for ${signer.address}${usedPermit ? " (approved by permit)" : ""}; it now holds ${formatOpen(staked, "gOPEN")} (tx ${hash}).`,
    );
    if (!delegated) console.log("Votes count only once delegated: run `npx hardhat stake:delegate` to vote yourself.");
  });
}
