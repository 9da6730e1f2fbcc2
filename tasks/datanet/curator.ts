import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { runTask } from "../lib/cli.js";
import { openProtocol, resolveAccount } from "../lib/context.js";

interface Args {
  datanet: bigint;
  account: string;
  remove: boolean;
  from: string | undefined;
}

export default async function curatorAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client, connection } = await openProtocol(hre, args.from);
    const account = await resolveAccount(connection, args.account, "The curator");
    const { hash } = await client.datanets.setCurator(args.datanet, account, !args.remove);
    console.log(
      `${account} ${args.remove ? "no longer curates" : "now curates"} datanet ${args.datanet} (tx ${hash}).`,
    );
  });
}
