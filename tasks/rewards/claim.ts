import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen, parseAddress, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { claimCredits } from "../lib/inference.js";

interface Args {
  to: string;
  from: string;
}

export default async function claimAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const recipient = args.to === "" ? undefined : parseAddress(args.to, "--to");
    const ctx = await openProtocol(hre, args.from);
    const { hash, amount } = await claimCredits(ctx, recipient);
    console.log(
      `Claimed ${formatOpen(amount)} of inference earnings to ${recipient ?? ctx.signer.address} (tx ${hash}).`,
    );
  });
}
