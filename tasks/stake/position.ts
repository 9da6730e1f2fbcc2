import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatDuration, formatOpen, formatTime, parseAddress, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { freezeNote, readPosition } from "../lib/staking.js";

interface Args {
  account: string;
  from: string;
}

export default async function positionAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const ctx = await openProtocol(hre, args.from);
    const account = args.account === "" ? ctx.signer.address : parseAddress(args.account, "--account");
    const p = await readPosition(ctx, account);
    const cooldown = await ctx.stakedOpen.cooldown();
    console.log(account);
    console.log(`  OPEN held          ${formatOpen(p.open)}`);
    console.log(`  staked             ${formatOpen(p.staked, "gOPEN")}`);
    console.log(`  votes              ${formatOpen(p.votes, "votes")} (delegates to ${p.delegatee})`);
    console.log(`  rewards to claim   ${formatOpen(p.earned)}`);
    console.log(
      `  queued withdrawal  ${formatOpen(p.queued)}${p.queued > 0n ? `, released at ${formatTime(p.releaseTime)}` : ""} (cooldown ${formatDuration(cooldown)})`,
    );
    const block = await ctx.connection.ethers.provider.getBlock("latest");
    if (p.frozenUntil > BigInt(block?.timestamp ?? 0)) console.log(`  ${freezeNote(account, p.frozenUntil)}`);
  });
}
