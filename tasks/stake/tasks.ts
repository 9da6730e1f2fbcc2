import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { ACCOUNT_FORMS, FROM, text } from "../lib/options.js";

/** `npx hardhat stake …`: OPEN staked for gOPEN, its votes, rewards and withdrawals. */
export const stakeTasks = [
  emptyTask("stake", "Stake OPEN for gOPEN: votes, staking rewards, unstaking and withdrawals").build(),

  task(
    ["stake", "deposit"],
    "Stake OPEN for gOPEN, approving by permit when needed (e.g. npx hardhat stake deposit 20000 --network localhost)",
  )
    .addPositionalArgument({ name: "amount", description: "Amount in OPEN, decimals allowed (e.g. 12.5)" })
    .addOption(FROM)
    .setAction(() => import("./deposit.js"))
    .build(),

  task(
    ["stake", "unstake"],
    "Burn gOPEN now and queue as much OPEN for release after the cooldown (e.g. npx hardhat stake unstake 500 --network localhost)",
  )
    .addPositionalArgument({ name: "amount", description: "Amount in gOPEN, decimals allowed (e.g. 12.5)" })
    .addOption(FROM)
    .setAction(() => import("./unstake.js"))
    .build(),

  task(
    ["stake", "withdraw"],
    "Withdraw the queued OPEN once the cooldown has passed (e.g. npx hardhat stake withdraw --network localhost)",
  )
    .addOption(FROM)
    .setAction(() => import("./withdraw.js"))
    .build(),

  task(
    ["stake", "claim"],
    "Claim the acting account's staking rewards (e.g. npx hardhat stake claim --to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --network localhost)",
  )
    .addOption(text("to", `Recipient of the rewards: ${ACCOUNT_FORMS} (default: the acting account)`))
    .addOption(FROM)
    .setAction(() => import("./claim.js"))
    .build(),

  task(
    ["stake", "delegate"],
    "Delegate the acting account's gOPEN votes, to itself to vote directly (e.g. npx hardhat stake delegate 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --from 1 --network localhost)",
  )
    .addPositionalArgument({
      name: "to",
      description: `Delegatee: ${ACCOUNT_FORMS}; the acting account itself to vote directly`,
    })
    .addOption(FROM)
    .setAction(() => import("./delegate.js"))
    .build(),

  task(
    ["stake", "position"],
    "Show OPEN, stake, votes, rewards and queued withdrawal of an account (e.g. npx hardhat stake position 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --network localhost)",
  )
    .addPositionalArgument({
      name: "account",
      description: `Account to show: ${ACCOUNT_FORMS} (default: the acting account)`,
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(FROM)
    .setAction(() => import("./position.js"))
    .build(),

  task(
    ["stake", "sweep"],
    "Send gOPEN's whole wei of rounding dust to the treasury; anyone may (e.g. npx hardhat stake sweep --network localhost)",
  )
    .addOption(FROM)
    .setAction(() => import("./sweep.js"))
    .build(),
];
