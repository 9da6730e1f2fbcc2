import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { UserError, formatOpen, parseAddress, parseOpenAmount, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  to: string;
  amount: string;
  from: string;
}

export default async function transferAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const to = parseAddress(required(args.to, "--to", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), "--to");
    const amount = parseOpenAmount(required(args.amount, "--amount", "250"));
    const ctx = await openProtocol(hre, args.from);
    const balance = await ctx.openToken.balanceOf(ctx.signer.address);
    if (balance < amount) {
      throw new UserError(
        `${ctx.signer.address} holds ${formatOpen(balance)}, less than the ${formatOpen(amount)} to send.`,
      );
    }
    const tx = await ctx.openToken.transfer(to, amount);
    await tx.wait();
    console.log(`Sent ${formatOpen(amount)} from ${ctx.signer.address} to ${to} (tx ${tx.hash}).`);
  });
}
