import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen } from "../../sdk/core/format.js";
import { runTask } from "../lib/cli.js";
import { openProtocol, resolveAccount } from "../lib/context.js";

interface Args {
  account: string | undefined;
  from: string | undefined;
}

export default async function showAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client, signer, connection } = await openProtocol(hre, args.from);
    const account =
      args.account === undefined ? signer.address : await resolveAccount(connection, args.account, "The account");
    const r = await client.rewards.claimable(account);
    const rows = [
      ["inference earnings (creator + data)", formatOpen(r.credits), "npx hardhat rewards claim"],
      ["staking rewards", formatOpen(r.staking), "npx hardhat stake claim"],
      ["refunded contribution bonds", formatOpen(r.refunds), "npx hardhat datanet refund"],
    ] as const;
    const width = Math.max(...rows.map(([, amount]) => amount.length));
    console.log(account);
    for (const [what, amount, command] of rows)
      console.log(`  ${what.padEnd(36)} ${amount.padStart(width)}   ${command}`);
  });
}
