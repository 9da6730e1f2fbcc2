import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { freezeNote } from "../../sdk/core/client-errors.js";
import { formatOpen, formatTime } from "../../sdk/core/format.js";
import { parseOpenAmount, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  amount: string;
  from: string | undefined;
}

export default async function unstakeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const amount = parseOpenAmount(args.amount, "The amount");
    const { client, signer } = await openProtocol(hre, args.from);
    const { hash, queued, releaseTime, frozenUntil } = await client.staking.requestUnstake(amount);
    console.log(
      `Burned ${formatOpen(amount, "gOPEN")} of ${signer.address}; ${formatOpen(queued)} is queued and released at ${formatTime(releaseTime)} (tx ${hash}).`,
    );
    if (frozenUntil > releaseTime) console.log(freezeNote(signer.address, frozenUntil));
  });
}
