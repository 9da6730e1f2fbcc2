import { emptyTask, task } from "hardhat/config";

import { FROM, file, text } from "../lib/options.js";

/** Every gov subtask takes a proposal the way `gov list` shows it, or whole. */
const PROPOSAL = {
  name: "proposal",
  description:
    "Proposal id: the whole id (decimal or 0x hex), or its first 6 or more digits as gov list shows them (e.g. 27634137)",
} as const;

/** `npx hardhat gov …`: governor proposals, from filing to execution. */
export const govTasks = [
  emptyTask("gov", "Governance: file, list, vote on, queue and execute governor proposals").build(),

  task(
    ["gov", "propose"],
    "File a governor proposal: one call by --contract, --function and --args, or several from --file (e.g. npx hardhat gov propose --contract stakedOpen --function setCooldown --args '[1209600]' --description \"Cooldown 14 days\" --network localhost)",
  )
    .addOption(
      text("contract", "The suite contract to call, e.g. stakedOpen, modelRegistry, inferenceRouter (or use --file)"),
    )
    .addOption(text("function", "Function of that contract, e.g. setCooldown"))
    .addOption(text("args", "Its arguments as a JSON array, big numbers as strings, e.g. '[1209600]' (default: [])"))
    .addOption(text("description", "What voters read (required with --contract)"))
    .addOption(
      file(
        "file",
        'A proposal file instead: {"description": "Cooldown 14 days", "actions": [{"contract": "stakedOpen", "function": "setCooldown", "args": [1209600]}]}',
      ),
    )
    .addOption(FROM)
    .setAction(() => import("./propose.js"))
    .build(),

  task(
    ["gov", "list"],
    "List every proposal with its short id, state, proposer, end of voting and description (e.g. npx hardhat gov list --network localhost)",
  )
    .addOption(FROM)
    .setAction(() => import("./list.js"))
    .build(),

  task(
    ["gov", "show"],
    "Show a proposal: its actions, state, votes and quorum (e.g. npx hardhat gov show 27634137 --network localhost)",
  )
    .addPositionalArgument(PROPOSAL)
    .addOption(FROM)
    .setAction(() => import("./show.js"))
    .build(),

  task(
    ["gov", "vote"],
    'Vote on an active proposal with the acting account\'s votes at its snapshot (e.g. npx hardhat gov vote 27634137 for --reason "Safer" --network localhost)',
  )
    .addPositionalArgument(PROPOSAL)
    .addPositionalArgument({ name: "support", description: "for, against or abstain" })
    .addOption(text("reason", "A reason, recorded on-chain with the vote"))
    .addOption(FROM)
    .setAction(() => import("./vote.js"))
    .build(),

  task(
    ["gov", "queue"],
    "Queue a succeeded proposal in the timelock (e.g. npx hardhat gov queue 27634137 --network localhost)",
  )
    .addPositionalArgument(PROPOSAL)
    .addOption(FROM)
    .setAction(() => import("./queue.js"))
    .build(),

  task(
    ["gov", "execute"],
    "Execute a queued proposal once the timelock delay has passed (e.g. npx hardhat gov execute 27634137 --network localhost)",
  )
    .addPositionalArgument(PROPOSAL)
    .addOption(FROM)
    .setAction(() => import("./execute.js"))
    .build(),
];
