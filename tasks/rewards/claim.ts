import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { parseAddress, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  to: string | undefined;
  from: string | undefined;
}

export default async function claimAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const recipient = args.to === undefined ? undefined : parseAddress(args.to, "--to");
    const { client } = await openProtocol(hre, args.from);
    const { hash, amount, recipient: to } = await client.rewards.claim(recipient);
    console.log(`Claimed ${formatOpen(amount)} of inference earnings to ${to} (tx ${hash}).`);
  });
}
