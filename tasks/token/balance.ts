import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { parseAddress, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  account: string;
  from: string;
}

export default async function balanceAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client, signer } = await openProtocol(hre, args.from);
    const account = args.account === "" ? signer.address : parseAddress(args.account, "--account");
    const { open, staked } = await client.token.balances(account);
    console.log(`${account}`);
    console.log(`  OPEN   ${formatOpen(open)}`);
    console.log(`  gOPEN  ${formatOpen(staked, "gOPEN")}`);
  });
}
