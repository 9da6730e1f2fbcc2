import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { formatOpen, formatTime, parseOpenAmount, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { freezeNote, requestUnstake } from "../lib/staking.js";

interface Args {
  amount: string;
  from: string;
}

export default async function unstakeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const amount = parseOpenAmount(required(args.amount, "--amount", "500"));
    const ctx = await openProtocol(hre, args.from);
    const { hash, queued, releaseTime, frozenUntil } = await requestUnstake(ctx, amount);
    console.log(
      `Burned ${formatOpen(amount, "gOPEN")} of ${ctx.signer.address}; ${formatOpen(queued)} is queued and released at ${formatTime(releaseTime)} (tx ${hash}).`,
    );
    if (frozenUntil > releaseTime) console.log(freezeNote(ctx.signer.address, frozenUntil));
  });
}
