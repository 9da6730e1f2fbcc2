import { task } from "hardhat/config";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

/**
 * The CLI. Every task reads the suite's addresses from deployments/<network>.json, validates its
 * input, and on bad input prints one sentence and exits with status 1. Actions live in
 * tasks/<area>/<verb>.ts and are loaded lazily so `npx hardhat` starts fast.
 */

const FROM_HELP = "Acting account: an index into the network's accounts or one of their addresses (default: the first)";

function withFrom<T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>) {
  return builder.addOption({ name: "from", description: FROM_HELP, defaultValue: "" });
}

export const taskDeclarations = [
  task(
    "deploy",
    "Deploy the protocol suite with Ignition and write deployments/<network>.json (e.g. npx hardhat deploy --network localhost)",
  )
    .addOption({
      name: "parameters",
      description: "Ignition parameters file (default: ignition/parameters/<network>.json when it exists)",
      defaultValue: "",
    })
    .addOption({
      name: "deploymentId",
      description:
        "Ignition deployment id, i.e. the journal folder under ignition/deployments (default: chain-<chainId>)",
      defaultValue: "",
    })
    .addFlag({ name: "reset", description: "Discard the Ignition journal and deploy afresh" })
    .setAction(() => import("./deploy.js"))
    .build(),

  withFrom(
    task(
      "token:balance",
      "Show OPEN and gOPEN balances (e.g. npx hardhat token:balance --account 0xabc… --network localhost)",
    ).addOption({
      name: "account",
      description: "Account to show (default: the acting account)",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./token/balance.js"))
    .build(),

  withFrom(
    task("token:transfer", "Send OPEN (e.g. npx hardhat token:transfer --to 0xabc… --amount 250 --network localhost)")
      .addOption({ name: "to", description: "Recipient address", defaultValue: "" })
      .addOption({ name: "amount", description: "Amount in OPEN, decimals allowed (e.g. 12.5)", defaultValue: "" }),
  )
    .setAction(() => import("./token/transfer.js"))
    .build(),

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
    .setAction(() => import("./stake/stake.js"))
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
    .setAction(() => import("./stake/unstake.js"))
    .build(),

  withFrom(
    task(
      "stake:withdraw",
      "Withdraw queued OPEN after the cooldown (e.g. npx hardhat stake:withdraw --network localhost)",
    ),
  )
    .setAction(() => import("./stake/withdraw.js"))
    .build(),

  withFrom(
    task("stake:claim", "Claim staking rewards (e.g. npx hardhat stake:claim --network localhost)").addOption({
      name: "to",
      description: "Recipient of the rewards (default: the acting account)",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./stake/claim.js"))
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
    .setAction(() => import("./stake/delegate.js"))
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
    .setAction(() => import("./stake/position.js"))
    .build(),

  withFrom(
    task(
      "gov:propose",
      "File a governor proposal calling one suite contract (e.g. npx hardhat gov:propose --contract stakedOpen --function setCooldown --args '[1209600]' --description \"Cooldown 14 days\" --network localhost)",
    )
      .addOption({ name: "contract", description: "openToken, timelock, stakedOpen or governor", defaultValue: "" })
      .addOption({ name: "function", description: "Function name on that contract", defaultValue: "" })
      .addOption({ name: "args", description: "Arguments as a JSON array", defaultValue: "[]" })
      .addOption({ name: "description", description: "Proposal description shown to voters", defaultValue: "" }),
  )
    .setAction(() => import("./gov/propose.js"))
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
    .setAction(() => import("./gov/vote.js"))
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
    .setAction(() => import("./gov/queue.js"))
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
    .setAction(() => import("./gov/execute.js"))
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
    .setAction(() => import("./gov/state.js"))
    .build(),
];
