import { task } from "hardhat/config";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

// Not yet converted to a Hardhat 3 task group: the colon names of the first CLI, moved here unchanged.

const FROM_HELP = "Acting account: an index into the network's accounts or one of their addresses (default: the first)";

function withFrom<T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>) {
  return builder.addOption({ name: "from", description: FROM_HELP, defaultValue: "" });
}

export const rewardsTasks = [
  withFrom(
    task(
      "rewards:show",
      "Show what an account can claim: inference earnings, staking rewards, refunded bonds (e.g. npx hardhat rewards:show --account 0x… --network localhost)",
    ).addOption({
      name: "account",
      description: "Account (default: the acting account)",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./show.js"))
    .build(),

  withFrom(
    task(
      "rewards:release",
      "Send the stakers' share of paid fees from the router to gOPEN, which streams it to stakers over its next reward period; anyone may (e.g. npx hardhat rewards:release --network localhost)",
    ),
  )
    .setAction(() => import("./release.js"))
    .build(),

  withFrom(
    task(
      "rewards:claim",
      "Claim inference earnings (creator and data contributor credits) (e.g. npx hardhat rewards:claim --network localhost)",
    ).addOption({
      name: "to",
      description: "Recipient (default: the acting account)",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./claim.js"))
    .build(),
];
