import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { parseAddress, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  to: string;
  from: string;
}

export default async function delegateAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client, signer } = await openProtocol(hre, args.from);
    const delegatee = args.to === "" ? signer.address : parseAddress(args.to, "--to");
    const { hash, votes } = await client.staking.delegate(delegatee);
    console.log(
      `${signer.address} delegated its votes to ${delegatee === signer.address ? "itself" : delegatee}, which now has ${formatOpen(votes, "votes")} (tx ${hash}).`,
    );
  });
}
