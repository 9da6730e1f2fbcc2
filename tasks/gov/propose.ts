import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { freezeNote } from "../../sdk/core/client-errors.js";
import { formatTime } from "../../sdk/core/format.js";
import { readProposalFile, shortProposalId } from "../../sdk/core/proposals.js";
import { UserError, optional, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { readJson } from "../lib/files.js";
import { parseActionArgs } from "./args.js";

interface Args {
  contract: string | undefined;
  function: string | undefined;
  args: string | undefined;
  description: string | undefined;
  file: string | undefined;
  from: string | undefined;
}

export default async function proposeAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const file = optional(args.file);
    const single = [args.contract, args.function, args.args, args.description].some((v) => optional(v) !== undefined);
    if (file !== undefined && single) {
      throw new UserError("Give either --file or --contract, --function, --args and --description, not both.");
    }
    const fromFile = file === undefined ? undefined : readProposalFile(await readJson(file, "--file"), file);
    const call =
      fromFile !== undefined
        ? undefined
        : {
            contract: required(args.contract, "--contract", "stakedOpen (or a proposal file with --file)"),
            fn: required(args.function, "--function", "setCooldown"),
            values: parseActionArgs(args.args),
            description: required(args.description, "--description", '"Cooldown 14 days"'),
          };
    const { client } = await openProtocol(hre, args.from);
    const { governance } = client;
    const { actions, description } =
      fromFile !== undefined
        ? governance.buildProposal(fromFile, file!)
        : { actions: [governance.buildAction(call!.contract, call!.fn, call!.values)], description: call!.description };
    const filed = await governance.propose(actions, description);
    console.log(`Proposal ${filed.proposalId} (short id ${shortProposalId(filed.proposalId)}) by ${filed.proposer}`);
    for (const [i, action] of actions.entries()) console.log(`  ${i + 1}. ${governance.describeAction(action).text}`);
    console.log(`  voting from ${formatTime(filed.voteStart)} to ${formatTime(filed.voteEnd)} (tx ${filed.hash})`);
    for (const account of governance.slashedAccounts(actions)) {
      const { frozenUntil } = await client.staking.position(account);
      console.log(`  ${freezeNote(account, frozenUntil)}`);
    }
  });
}
