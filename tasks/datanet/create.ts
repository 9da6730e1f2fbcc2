import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { parseOpenAmount, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  metadata: string | undefined;
  bond: string | undefined;
  from: string | undefined;
}

export default async function createAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const metadata = required(args.metadata, "--metadata", "ipfs://legal.json");
    const bond = parseOpenAmount(required(args.bond, "--bond", "10"), "--bond", true);
    const { client, signer } = await openProtocol(hre, args.from);
    const { hash, datanetId } = await client.datanets.create(metadata, bond);
    console.log(
      `Created datanet ${datanetId} owned by ${signer.address}; contributions post a ${formatOpen(bond)} bond (tx ${hash}).`,
    );
  });
}
