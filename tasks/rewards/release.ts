import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatOpen, formatTime } from "../../sdk/core/format.js";
import { runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";

interface Args {
  from: string | undefined;
}

export default async function releaseAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const { client } = await openProtocol(hre, args.from);
    const r = await client.inference.releaseStakerRewards();
    console.log(
      `Released ${formatOpen(r.amount)} of stakers' shares to gOPEN (tx ${r.hash}): it streams to stakers from ${formatTime(r.streamStart)} to ${formatTime(r.streamEnd)}, in proportion to the stake held each second.`,
    );
    // Below StakedOpen.MIN_REWARDED_SUPPLY staked, what streams becomes dust for the treasury.
    if (r.staked < (await client.contracts.stakedOpen.MIN_REWARDED_SUPPLY())) {
      console.log("Nothing is staked now: whatever streams while nobody is staked goes to the treasury as dust.");
    }
  });
}
