import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen, parseAddress, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { claimRefund } from "../lib/datanets.js";

interface Args {
  to: string;
  from: string;
}

export default async function refundAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const recipient = args.to === "" ? undefined : parseAddress(args.to, "--to");
    const ctx = await openProtocol(hre, args.from);
    const { hash, amount } = await claimRefund(ctx, recipient);
    console.log(`Claimed ${formatOpen(amount)} of refunded bonds to ${recipient ?? ctx.signer.address} (tx ${hash}).`);
  });
}
