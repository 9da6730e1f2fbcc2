import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { freezeNote } from "../../sdk/core/client-errors.js";
import { formatDuration, formatOpen, formatTime } from "../../sdk/core/format.js";
import { parseAddress, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  account: string;
  from: string;
}

export default async function positionAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client, signer } = await openProtocol(hre, args.from);
    const account = args.account === "" ? signer.address : parseAddress(args.account, "--account");
    const p = await client.staking.position(account);
    console.log(account);
    console.log(`  OPEN held          ${formatOpen(p.open)}`);
    console.log(`  staked             ${formatOpen(p.staked, "gOPEN")}`);
    console.log(`  votes              ${formatOpen(p.votes, "votes")} (delegates to ${p.delegatee})`);
    console.log(`  rewards to claim   ${formatOpen(p.earned)}`);
    console.log(
      `  queued withdrawal  ${formatOpen(p.queued)}${p.queued > 0n ? `, released at ${formatTime(p.releaseTime)}` : ""} (cooldown ${formatDuration(p.cooldown)})`,
    );
    if (p.frozen) console.log(`  ${freezeNote(account, p.frozenUntil)}`);
  });
}
