import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { parseOpenAmount, runTask } from "../lib/cli.js";
import { openProtocol, resolveAccount } from "../lib/context.js";

interface Args {
  to: string;
  amount: string;
  from: string | undefined;
}

export default async function transferAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const amount = parseOpenAmount(args.amount, "The amount");
    const { client, connection } = await openProtocol(hre, args.from);
    const to = await resolveAccount(connection, args.to, "The recipient");
    const sent = await client.token.transfer(to, amount);
    console.log(`Sent ${formatOpen(amount)} from ${sent.from} to ${to} (tx ${sent.hash}).`);
  });
}
