import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { runTask } from "../lib/cli.js";
import { openProtocol, resolveAccount } from "../lib/context.js";

interface Args {
  account: string | undefined;
  from: string | undefined;
}

export default async function balanceAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client, signer, connection } = await openProtocol(hre, args.from);
    const account =
      args.account === undefined ? signer.address : await resolveAccount(connection, args.account, "The account");
    const { open, staked } = await client.token.balances(account);
    console.log(`${account}`);
    console.log(`  OPEN   ${formatOpen(open)}`);
    console.log(`  gOPEN  ${formatOpen(staked, "gOPEN")}`);
  });
}
