import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { parseAddress, parseUint, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { setCurator } from "../lib/datanets.js";

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
    const ctx = await openProtocol(hre, args.from);
    const { hash } = await setCurator(ctx, datanetId, account, !args.remove);
    console.log(`${account} ${args.remove ? "no longer curates" : "now curates"} datanet ${datanetId} (tx ${hash}).`);
  });
}
