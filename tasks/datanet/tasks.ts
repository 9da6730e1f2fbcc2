import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { ACCOUNT_FORMS, FROM, file, text } from "../lib/options.js";

/** The datanet a subtask acts on, its first positional argument. */
const DATANET = { name: "datanet", description: "Datanet id", type: ArgumentType.BIGINT } as const;

/** `npx hardhat datanet …`: datanets, their curators, contributions, versions and refunded bonds. */
export const datanetTasks = [
  emptyTask("datanet", "Create and curate datanets: contributions, reviews, published versions, bonds").build(),

  task(
    ["datanet", "create"],
    "Create a datanet you own and curate (e.g. npx hardhat datanet create --metadata ipfs://legal.json --bond 10 --network localhost)",
  )
    .addOption(text("metadata", "Metadata URI: name, domain, licence, schema (required)"))
    .addOption(text("bond", "Bond each contribution posts, in OPEN, decimals allowed (required)"))
    .addOption(FROM)
    .setAction(() => import("./create.js"))
    .build(),

  task(
    ["datanet", "curator"],
    "Add or remove a curator of a datanet you own (e.g. npx hardhat datanet curator 1 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC --from 1 --network localhost)",
  )
    .addPositionalArgument(DATANET)
    .addPositionalArgument({ name: "account", description: `Curator: ${ACCOUNT_FORMS}` })
    .addFlag({ name: "remove", description: "Remove the curator instead of adding it" })
    .addOption(FROM)
    .setAction(() => import("./curator.js"))
    .build(),

  task(
    ["datanet", "contribute"],
    "Contribute a file (hashed with keccak256) or a hash, posting the bond (e.g. npx hardhat datanet contribute 1 --file data/case-1.txt --network localhost)",
  )
    .addPositionalArgument(DATANET)
    .addOption(file("file", "File to contribute: its keccak256 and size are recorded (or --hash with --size)"))
    .addOption(text("hash", "Content hash instead of --file: 0x and 64 hex digits"))
    .addOption(text("size", "Size of the content in bytes, with --hash (required with --hash)"))
    .addOption(text("uri", "Where the content can be fetched (default: file:<name of --file>)"))
    .addOption(
      text(
        "maxBond",
        "Most OPEN you accept to post as the bond (default: the datanet's bond now, so a raise before the transaction lands is refused)",
      ),
    )
    .addOption(FROM)
    .setAction(() => import("./contribute.js"))
    .build(),

  task(
    ["datanet", "review"],
    "Accept and/or reject pending contributions of one datanet (e.g. npx hardhat datanet review --accept 1,2,4 --reject 3 --from 1 --network localhost)",
  )
    .addOption(text("accept", "Contribution ids to accept, comma-separated"))
    .addOption(text("reject", "Contribution ids to reject (their bonds go to the treasury), comma-separated"))
    .addOption(FROM)
    .setAction(() => import("./review.js"))
    .build(),

  task(
    ["datanet", "penalize"],
    'Exclude an accepted contribution from attribution from now on (e.g. npx hardhat datanet penalize 2 --reason "poisoned labels" --from 1 --network localhost)',
  )
    .addPositionalArgument({ name: "contribution", description: "Contribution id", type: ArgumentType.BIGINT })
    .addOption(text("reason", "Why, recorded on-chain (required)"))
    .addOption(FROM)
    .setAction(() => import("./penalize.js"))
    .build(),

  task(
    ["datanet", "publish"],
    "Publish a version: the Merkle root of the accepted contributions, its tree written to deployments/<network>/ (e.g. npx hardhat datanet publish 1 --from 1 --network localhost)",
  )
    .addPositionalArgument(DATANET)
    .addOption(text("uri", "Where the tree is served (default: the path of the tree file written)"))
    .addOption(FROM)
    .setAction(() => import("./publish.js"))
    .build(),

  task(
    ["datanet", "verify"],
    "Prove on-chain that a contribution is in a published version, with the tree datanet publish wrote (e.g. npx hardhat datanet verify 1 1 2 --network localhost)",
  )
    .addPositionalArgument(DATANET)
    .addPositionalArgument({
      name: "versionNumber",
      description: "Published version number",
      type: ArgumentType.BIGINT,
    })
    .addPositionalArgument({ name: "contribution", description: "Contribution id", type: ArgumentType.BIGINT })
    .addOption(FROM)
    .setAction(() => import("./verify.js"))
    .build(),

  task(
    ["datanet", "refund"],
    "Claim the bonds refunded for your accepted contributions (e.g. npx hardhat datanet refund --to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --network localhost)",
  )
    .addOption(text("to", `Recipient: ${ACCOUNT_FORMS} (default: the acting account)`))
    .addOption(FROM)
    .setAction(() => import("./refund.js"))
    .build(),

  task(
    ["datanet", "show"],
    "Show a datanet, its curators, contributions by status and versions (e.g. npx hardhat datanet show 1 --network localhost)",
  )
    .addPositionalArgument(DATANET)
    .addOption(FROM)
    .setAction(() => import("./show.js"))
    .build(),

  task(
    ["datanet", "close"],
    "Close a datanet you own to new contributions; reviews, versions and refunds go on (e.g. npx hardhat datanet close 1 --from 1 --network localhost)",
  )
    .addPositionalArgument(DATANET)
    .addOption(FROM)
    .setAction(() => import("./close.js"))
    .build(),

  task(
    ["datanet", "reopen"],
    "Reopen a closed datanet you own to contributions (e.g. npx hardhat datanet reopen 1 --from 1 --network localhost)",
  )
    .addPositionalArgument(DATANET)
    .addOption(FROM)
    .setAction(() => import("./reopen.js"))
    .build(),

  task(
    ["datanet", "bond"],
    "Change the bond later contributions to a datanet you own post; pending ones keep theirs (e.g. npx hardhat datanet bond 1 20 --from 1 --network localhost)",
  )
    .addPositionalArgument(DATANET)
    .addPositionalArgument({ name: "amount", description: "New bond in OPEN, decimals allowed (e.g. 12.5)" })
    .addOption(FROM)
    .setAction(() => import("./bond.js"))
    .build(),
];
