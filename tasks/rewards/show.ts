import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen, parseAddress, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { readRewards } from "../lib/inference.js";

interface Args {
  account: string;
  from: string;
}

export default async function showAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const ctx = await openProtocol(hre, args.from);
    const account = args.account === "" ? ctx.signer.address : parseAddress(args.account, "--account");
    const r = await readRewards(ctx, account);
    console.log(account);
    console.log(`  inference earnings (creator + data)  ${formatOpen(r.credits)}   rewards:claim`);
    console.log(`  staking rewards                      ${formatOpen(r.staking)}   stake:claim`);
    console.log(`  refunded contribution bonds          ${formatOpen(r.refunds)}   datanet:refund`);
  });
}
