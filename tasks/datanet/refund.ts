import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { parseAddress, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  to: string;
  from: string;
}

export default async function refundAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const recipient = args.to === "" ? undefined : parseAddress(args.to, "--to");
    const { client } = await openProtocol(hre, args.from);
    const claimed = await client.datanets.claimRefund(recipient);
    console.log(
      `Claimed ${formatOpen(claimed.amount)} of refunded bonds to ${claimed.recipient} (tx ${claimed.hash}).`,
    );
  });
}
