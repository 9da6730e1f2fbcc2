import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { parseAddress, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  account: string | undefined;
  from: string | undefined;
}

export default async function showAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client, signer } = await openProtocol(hre, args.from);
    const account = args.account === undefined ? signer.address : parseAddress(args.account, "--account");
    const r = await client.rewards.claimable(account);
    console.log(account);
    console.log(`  inference earnings (creator + data)  ${formatOpen(r.credits)}   rewards claim`);
    console.log(`  staking rewards                      ${formatOpen(r.staking)}   stake claim`);
    console.log(`  refunded contribution bonds          ${formatOpen(r.refunds)}   datanet refund`);
  });
}
