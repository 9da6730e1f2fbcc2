import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  from: string | undefined;
}

export default async function withdrawAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client, signer } = await openProtocol(hre, args.from);
    const { hash, amount } = await client.staking.withdraw();
    console.log(`Withdrew ${formatOpen(amount)} to ${signer.address} (tx ${hash}).`);
  });
}
