import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { runTask } from "../lib/cli.js";
import { openProtocol, resolveAccount } from "../lib/context.js";

interface Args {
  to: string | undefined;
  from: string | undefined;
}

export default async function refundAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client, connection } = await openProtocol(hre, args.from);
    const recipient = args.to === undefined ? undefined : await resolveAccount(connection, args.to, "The recipient");
    const claimed = await client.datanets.claimRefund(recipient);
    console.log(
      `Claimed ${formatOpen(claimed.amount)} of refunded bonds to ${claimed.recipient} (tx ${claimed.hash}).`,
    );
  });
}
