import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { optional, runTask } from "../lib/cli.js";
import { openProtocol, resolveAccount } from "../lib/context.js";

interface Args {
  to: string | undefined;
  from: string | undefined;
}

export default async function claimAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client, connection } = await openProtocol(hre, args.from);
    const to = optional(args.to);
    const recipient = to === undefined ? undefined : await resolveAccount(connection, to, "The recipient");
    const claimed = await client.staking.claimRewards(recipient);
    console.log(
      `Claimed ${formatOpen(claimed.amount)} of staking rewards to ${claimed.recipient} (tx ${claimed.hash}).`,
    );
  });
}
