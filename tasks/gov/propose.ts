import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { formatTime, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { buildAction, propose } from "../lib/governance.js";
import { freezeNote } from "../lib/staking.js";

interface Args {
  contract: string;
  function: string;
  args: string;
  description: string;
  from: string;
}

export default async function proposeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const contract = required(args.contract, "--contract", "stakedOpen");
    const fn = required(args.function, "--function", "setCooldown");
    const description = required(args.description, "--description", '"Raise the unstake cooldown to 14 days"');
    const ctx = await openProtocol(hre, args.from);
    const action = await buildAction(ctx, contract, fn, args.args);
    const filed = await propose(ctx, [action], description);
    console.log(`Proposal ${filed.proposalId}`);
    console.log(`  ${contract}.${fn}(${args.args.replace(/^\[|\]$/g, "")}) by ${filed.proposer}`);
    console.log(`  voting from ${formatTime(filed.voteStart)} to ${formatTime(filed.voteEnd)} (tx ${filed.hash})`);
    if (contract === "stakedOpen" && fn === "slash") {
      // The governor freezes the withdrawals of a staker it is asked to slash, so the slash cannot be outrun.
      const account = ctx.stakedOpen.interface.decodeFunctionData("slash", action.calldata)[0] as string;
      const { frozenUntil } = await ctx.stakedOpen.pendingWithdrawal(account);
      console.log(`  ${freezeNote(account, frozenUntil)}`);
    }
  });
}
