import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseAddress, parseUint, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  id: string;
  account: string;
  remove: boolean;
  from: string;
}

export default async function curatorAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const datanetId = parseUint(required(args.id, "--id", "1"), "--id");
    const account = parseAddress(required(args.account, "--account", "0x…"), "--account");
    const { client } = await openProtocol(hre, args.from);
    const { hash } = await client.datanets.setCurator(datanetId, account, !args.remove);
    console.log(`${account} ${args.remove ? "no longer curates" : "now curates"} datanet ${datanetId} (tx ${hash}).`);
  });
}
