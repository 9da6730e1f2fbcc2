import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { runTask } from "../lib/cli.js";
import { openProtocol, resolveAccount } from "../lib/context.js";

interface Args {
  to: string;
  from: string | undefined;
}

export default async function delegateAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client, signer, connection } = await openProtocol(hre, args.from);
    const delegatee = await resolveAccount(connection, args.to, "The delegatee");
    const { hash, votes } = await client.staking.delegate(delegatee);
    console.log(
      `${signer.address} delegated its votes to ${delegatee === signer.address ? "itself" : delegatee}, which now has ${formatOpen(votes, "votes")} (tx ${hash}).`,
    );
  });
}
