import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { withdraw } from "../lib/staking.js";

interface Args {
  from: string;
}

export default async function withdrawAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const ctx = await openProtocol(hre, args.from);
    const { hash, amount } = await withdraw(ctx);
    console.log(`Withdrew ${formatOpen(amount)} to ${ctx.signer.address} (tx ${hash}).`);
  });
}
