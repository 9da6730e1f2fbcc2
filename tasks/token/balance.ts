import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen, parseAddress, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  account: string;
  from: string;
}

export default async function balanceAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const ctx = await openProtocol(hre, args.from);
    const account = args.account === "" ? ctx.signer.address : parseAddress(args.account, "--account");
    const [open, staked] = await Promise.all([ctx.openToken.balanceOf(account), ctx.stakedOpen.balanceOf(account)]);
    console.log(`${account}`);
    console.log(`  OPEN   ${formatOpen(open)}`);
    console.log(`  gOPEN  ${formatOpen(staked, "gOPEN")}`);
  });
}
