import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { parseOpenAmount, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  datanet: bigint;
  amount: string;
  from: string | undefined;
}

export default async function bondAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const bond = parseOpenAmount(args.amount, "The bond", true);
    const { client } = await openProtocol(hre, args.from);
    const { hash, previous } = await client.datanets.setBond(args.datanet, bond);
    console.log(
      `Contributions to datanet ${args.datanet} now post a ${formatOpen(bond)} bond, was ${formatOpen(previous)}; pending ones keep theirs (tx ${hash}).`,
    );
  });
}
