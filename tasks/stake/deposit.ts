import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { parseOpenAmount, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  amount: string;
  from: string | undefined;
}

export default async function depositAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const amount = parseOpenAmount(args.amount, "The amount");
    const { client, signer, connection } = await openProtocol(hre, args.from);
    const { hash, usedPermit, staked, delegated } = await client.staking.stake(amount);
    console.log(
      `Staked ${formatOpen(amount)} for ${signer.address}${usedPermit ? " (approved by permit)" : ""}; it now holds ${formatOpen(staked, "gOPEN")} (tx ${hash}).`,
    );
    if (!delegated) {
      console.log(
        `Votes count only once delegated: to vote yourself, run \`npx hardhat stake delegate ${signer.address} --from ${signer.address} --network ${connection.networkName}\`.`,
      );
    }
  });
}
