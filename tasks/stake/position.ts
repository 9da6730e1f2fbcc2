import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { freezeNote } from "../../sdk/core/client-errors.js";
import { formatDuration, formatOpen, formatTime } from "../../sdk/core/format.js";
import { runTask } from "../lib/cli.js";
import { openProtocol, resolveAccount } from "../lib/context.js";

interface Args {
  account: string | undefined;
  from: string | undefined;
}

export default async function positionAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client, signer, connection } = await openProtocol(hre, args.from);
    const account =
      args.account === undefined ? signer.address : await resolveAccount(connection, args.account, "The account");
    const p = await client.staking.position(account);
    const delegatee =
      BigInt(p.delegatee) === 0n ? "nobody: delegate to vote" : p.delegatee === account ? "itself" : p.delegatee;
    console.log(account);
    console.log(`  OPEN held          ${formatOpen(p.open)}`);
    console.log(`  staked             ${formatOpen(p.staked, "gOPEN")}`);
    console.log(`  votes              ${formatOpen(p.votes, "votes")} (delegates to ${delegatee})`);
    console.log(`  rewards to claim   ${formatOpen(p.earned)}`);
    console.log(
      `  queued withdrawal  ${formatOpen(p.queued)}${p.queued > 0n ? `, released at ${formatTime(p.releaseTime)}` : ""} (cooldown ${formatDuration(p.cooldown)})`,
    );
    if (p.frozen) console.log(`  ${freezeNote(account, p.frozenUntil)}`);
  });
}
