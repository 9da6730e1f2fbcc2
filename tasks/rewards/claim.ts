import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { runTask } from "../lib/cli.js";
import { openProtocol, resolveAccount } from "../lib/context.js";

interface Args {
  to: string | undefined;
  from: string | undefined;
}

export default async function claimAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client, connection } = await openProtocol(hre, args.from);
    const recipient = args.to === undefined ? undefined : await resolveAccount(connection, args.to, "The recipient");
    const { hash, amount, recipient: to } = await client.rewards.claim(recipient);
    console.log(`Claimed ${formatOpen(amount)} of inference earnings to ${to} (tx ${hash}).`);
  });
}
