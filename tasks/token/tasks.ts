import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { ACCOUNT_FORMS, FROM } from "../lib/options.js";

/** `npx hardhat token …`: OPEN balances and transfers. */
export const tokenTasks = [
  emptyTask("token", "OPEN and gOPEN balances, OPEN transfers").build(),

  task(["token", "balance"], "Show OPEN and gOPEN balances (e.g. npx hardhat token balance 1 --network localhost)")
    .addPositionalArgument({
      name: "account",
      description: `Account to show: ${ACCOUNT_FORMS} (default: the acting account)`,
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(FROM)
    .setAction(() => import("./balance.js"))
    .build(),

  task(
    ["token", "transfer"],
    "Send OPEN (e.g. npx hardhat token transfer 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 250 --network localhost)",
  )
    .addPositionalArgument({ name: "to", description: `Recipient: ${ACCOUNT_FORMS}` })
    .addPositionalArgument({ name: "amount", description: "Amount in OPEN, decimals allowed (e.g. 12.5)" })
    .addOption(FROM)
    .setAction(() => import("./transfer.js"))
    .build(),
];
