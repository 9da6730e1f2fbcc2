import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { ACCOUNT_FORMS, FROM, text } from "../lib/options.js";

/** `npx hardhat rewards …`: what an account can claim, the claim of inference earnings, the stakers' release. */
export const rewardsTasks = [
  emptyTask("rewards", "What an account can claim, claim inference earnings, release the stakers' share").build(),

  task(
    ["rewards", "show"],
    "Show what an account can claim: inference earnings, staking rewards, refunded bonds (e.g. npx hardhat rewards show 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --network localhost)",
  )
    .addPositionalArgument({
      name: "account",
      description: `Account to show: ${ACCOUNT_FORMS} (default: the acting account)`,
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(FROM)
    .setAction(() => import("./show.js"))
    .build(),

  task(
    ["rewards", "claim"],
    "Claim your inference earnings: the creator's share of your models and your contributions' credits (e.g. npx hardhat rewards claim --to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --network localhost)",
  )
    .addOption(text("to", `Recipient: ${ACCOUNT_FORMS} (default: the acting account)`))
    .addOption(FROM)
    .setAction(() => import("./claim.js"))
    .build(),

  task(
    ["rewards", "release"],
    "Send the stakers' share of paid fees from the router to gOPEN, which streams it to stakers over its next reward period; anyone may (e.g. npx hardhat rewards release --network localhost)",
  )
    .addOption(FROM)
    .setAction(() => import("./release.js"))
    .build(),
];
