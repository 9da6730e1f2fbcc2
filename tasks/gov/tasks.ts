import { task } from "hardhat/config";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

// Not yet converted to a Hardhat 3 task group: the colon names of the first CLI, moved here unchanged.

const FROM_HELP = "Acting account: an index into the network's accounts or one of their addresses (default: the first)";

function withFrom<T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>) {
  return builder.addOption({ name: "from", description: FROM_HELP, defaultValue: "" });
}

export const govTasks = [
  withFrom(
    task(
      "gov:propose",
      "File a governor proposal calling one suite contract (e.g. npx hardhat gov:propose --contract stakedOpen --function setCooldown --args '[1209600]' --description \"Cooldown 14 days\" --network localhost)",
    )
      .addOption({
        name: "contract",
        description: "One of the suite's contracts by name, e.g. stakedOpen, modelRegistry, inferenceRouter",
        defaultValue: "",
      })
      .addOption({ name: "function", description: "Function name on that contract", defaultValue: "" })
      .addOption({ name: "args", description: "Arguments as a JSON array", defaultValue: "[]" })
      .addOption({ name: "description", description: "Proposal description shown to voters", defaultValue: "" }),
  )
    .setAction(() => import("./propose.js"))
    .build(),

  withFrom(
    task(
      "gov:vote",
      "Vote on an active proposal (e.g. npx hardhat gov:vote --id 123… --support for --network localhost)",
    )
      .addOption({ name: "id", description: "Proposal id", defaultValue: "" })
      .addOption({ name: "support", description: "for, against or abstain", defaultValue: "" })
      .addOption({ name: "reason", description: "Optional reason recorded on-chain", defaultValue: "" }),
  )
    .setAction(() => import("./vote.js"))
    .build(),

  withFrom(
    task(
      "gov:queue",
      "Queue a succeeded proposal in the timelock (e.g. npx hardhat gov:queue --id 123… --network localhost)",
    ).addOption({
      name: "id",
      description: "Proposal id",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./queue.js"))
    .build(),

  withFrom(
    task(
      "gov:execute",
      "Execute a queued proposal after the timelock delay (e.g. npx hardhat gov:execute --id 123… --network localhost)",
    ).addOption({
      name: "id",
      description: "Proposal id",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./execute.js"))
    .build(),

  withFrom(
    task(
      "gov:state",
      "Show a proposal's state, votes and quorum (e.g. npx hardhat gov:state --id 123… --network localhost)",
    ).addOption({
      name: "id",
      description: "Proposal id",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./state.js"))
    .build(),
];
