import { task } from "hardhat/config";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

// Not yet converted to a Hardhat 3 task group: the colon names of the first CLI, moved here unchanged.

const FROM_HELP = "Acting account: an index into the network's accounts or one of their addresses (default: the first)";

function withFrom<T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>) {
  return builder.addOption({ name: "from", description: FROM_HELP, defaultValue: "" });
}

export const stakeTasks = [
  withFrom(
    task(
      "stake:stake",
      "Stake OPEN for gOPEN, approving by permit when needed (e.g. npx hardhat stake:stake --amount 20000 --network localhost)",
    ).addOption({
      name: "amount",
      description: "Amount in OPEN",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./stake.js"))
    .build(),

  withFrom(
    task(
      "stake:unstake",
      "Burn gOPEN now and queue the OPEN for release after the cooldown (e.g. npx hardhat stake:unstake --amount 500 --network localhost)",
    ).addOption({
      name: "amount",
      description: "Amount in gOPEN",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./unstake.js"))
    .build(),

  withFrom(
    task(
      "stake:withdraw",
      "Withdraw queued OPEN after the cooldown (e.g. npx hardhat stake:withdraw --network localhost)",
    ),
  )
    .setAction(() => import("./withdraw.js"))
    .build(),

  withFrom(
    task("stake:claim", "Claim staking rewards (e.g. npx hardhat stake:claim --network localhost)").addOption({
      name: "to",
      description: "Recipient of the rewards (default: the acting account)",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./claim.js"))
    .build(),

  withFrom(
    task(
      "stake:delegate",
      "Delegate gOPEN votes (e.g. npx hardhat stake:delegate --to 0xabc… --network localhost)",
    ).addOption({
      name: "to",
      description: "Delegatee (default: the acting account itself)",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./delegate.js"))
    .build(),

  withFrom(
    task(
      "stake:position",
      "Show stake, votes, rewards and queued withdrawal (e.g. npx hardhat stake:position --network localhost)",
    ).addOption({
      name: "account",
      description: "Account to show (default: the acting account)",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./position.js"))
    .build(),
];
