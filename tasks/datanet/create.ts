import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { formatOpen, parseOpenAmount, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { createDatanet } from "../lib/datanets.js";

interface Args {
  metadata: string;
  bond: string;
  from: string;
}

export default async function createAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const metadata = required(args.metadata, "--metadata", "ipfs://…/datanet.json");
    const bond = parseOpenAmount(required(args.bond, "--bond", "10"), "--bond", true);
    const ctx = await openProtocol(hre, args.from);
    const { hash, datanetId } = await createDatanet(ctx, metadata, bond);
    console.log(
      `Created datanet ${datanetId} owned by ${ctx.signer.address}; contributions post a ${formatOpen(bond)} bond (tx ${hash}).`,
    );
  });
}
