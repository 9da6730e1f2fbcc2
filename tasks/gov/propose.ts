import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { freezeNote } from "../../sdk/core/client-errors.js";
import { formatTime } from "../../sdk/core/format.js";
import { required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { parseActionArgs } from "./args.js";

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
    const values = parseActionArgs(args.args);
    const { client } = await openProtocol(hre, args.from);
    const action = client.governance.buildAction(contract, fn, values);
    const filed = await client.governance.propose([action], description);
    console.log(`Proposal ${filed.proposalId}`);
    console.log(`  ${contract}.${fn}(${args.args.replace(/^\[|\]$/g, "")}) by ${filed.proposer}`);
    console.log(`  voting from ${formatTime(filed.voteStart)} to ${formatTime(filed.voteEnd)} (tx ${filed.hash})`);
    if (contract === "stakedOpen" && fn === "slash") {
      // The governor freezes the withdrawals of a staker it is asked to slash, so the slash cannot be outrun.
      const { stakedOpen } = client.contracts;
      const account = stakedOpen.interface.decodeFunctionData("slash", action.calldata)[0] as string;
      const { frozenUntil } = await stakedOpen.pendingWithdrawal(account);
      console.log(`  ${freezeNote(account, frozenUntil)}`);
    }
  });
}
