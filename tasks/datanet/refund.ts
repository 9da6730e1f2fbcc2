import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { UserError, formatOpen, parseAddress, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  to: string;
  from: string;
}

export default async function refundAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const recipient = args.to === "" ? undefined : parseAddress(args.to, "--to");
    const ctx = await openProtocol(hre, args.from);
    const amount = await ctx.datanetRegistry.refundOf(ctx.signer.address);
    if (amount === 0n) throw new UserError(`${ctx.signer.address} has no refunded bonds to claim.`);
    const tx =
      recipient === undefined
        ? await ctx.datanetRegistry.claimRefund()
        : await ctx.datanetRegistry.claimRefundTo(recipient);
    await tx.wait();
    console.log(
      `Claimed ${formatOpen(amount)} of refunded bonds to ${recipient ?? ctx.signer.address} (tx ${tx.hash}).`,
    );
  });
}
