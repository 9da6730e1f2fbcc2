import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { parseAddress, parseOpenAmount, required, runTask } from "../lib/cli.js";
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
    const { client } = await openProtocol(hre, args.from);
    const sent = await client.token.transfer(to, amount);
    console.log(`Sent ${formatOpen(amount)} from ${sent.from} to ${to} (tx ${sent.hash}).`);
  });
}
