import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { FROM } from "../lib/options.js";

export const rewardsTasks = [
  emptyTask("rewards", "What an account can claim, claiming inference earnings, releasing the stakers share").build(),

  task(
    ["rewards", "show"],
    "Show what an account can claim: inference earnings, staking rewards, refunded bonds (e.g. npx hardhat rewards show --account 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --network localhost)",
  )
    .addOption({
      name: "account",
      description: "Account (default: the acting account)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(FROM)
    .setAction(() => import("./show.js"))
    .build(),

  task(
    ["rewards", "release"],
    "Send the stakers' share of paid fees from the router to gOPEN, which streams it to stakers over its next reward period; anyone may (e.g. npx hardhat rewards release --network localhost)",
  )
    .addOption(FROM)
    .setAction(() => import("./release.js"))
    .build(),

  task(
    ["rewards", "claim"],
    "Claim inference earnings (creator and data contributor credits) (e.g. npx hardhat rewards claim --network localhost)",
  )
    .addOption({
      name: "to",
      description: "Recipient (default: the acting account)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(FROM)
    .setAction(() => import("./claim.js"))
    .build(),
];
