import { task } from "hardhat/config";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

// Not yet converted to a Hardhat 3 task group: the colon names of the first CLI, moved here unchanged.

const FROM_HELP = "Acting account: an index into the network's accounts or one of their addresses (default: the first)";

function withFrom<T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>) {
  return builder.addOption({ name: "from", description: FROM_HELP, defaultValue: "" });
}

export const datanetTasks = [
  withFrom(
    task(
      "datanet:create",
      "Create a datanet you own and curate (e.g. npx hardhat datanet:create --metadata ipfs://…/legal.json --bond 10 --network localhost)",
    )
      .addOption({ name: "metadata", description: "Metadata URI (name, domain, licence, schema)", defaultValue: "" })
      .addOption({ name: "bond", description: "Bond each contribution posts, in OPEN", defaultValue: "" }),
  )
    .setAction(() => import("./create.js"))
    .build(),

  withFrom(
    task(
      "datanet:curator",
      "Add or remove a curator of your datanet (e.g. npx hardhat datanet:curator --id 1 --account 0x… --network localhost)",
    )
      .addOption({ name: "id", description: "Datanet id", defaultValue: "" })
      .addOption({ name: "account", description: "Curator address", defaultValue: "" })
      .addFlag({ name: "remove", description: "Remove instead of add" }),
  )
    .setAction(() => import("./curator.js"))
    .build(),

  withFrom(
    task(
      "datanet:contribute",
      "Contribute a file (hashed with keccak256) or a hash, posting the bond (e.g. npx hardhat datanet:contribute --id 1 --file data/case-001.txt --network localhost)",
    )
      .addOption({ name: "id", description: "Datanet id", defaultValue: "" })
      .addOption({
        name: "file",
        description: "File to contribute: its keccak256 and size are recorded",
        defaultValue: "",
      })
      .addOption({ name: "hash", description: "Content hash instead of --file (0x + 64 hex digits)", defaultValue: "" })
      .addOption({ name: "size", description: "Size in bytes, with --hash", defaultValue: "" })
      .addOption({
        name: "uri",
        description: "Where the content can be fetched (default: file:<name>)",
        defaultValue: "",
      })
      .addOption({
        name: "maxBond",
        description:
          "Most OPEN you accept to post as the bond (default: the datanet's bond now, so a later raise is refused)",
        defaultValue: "",
      }),
  )
    .setAction(() => import("./contribute.js"))
    .build(),

  withFrom(
    task(
      "datanet:review",
      "Accept and/or reject pending contributions of one datanet (e.g. npx hardhat datanet:review --accept 1,2,4 --reject 3 --network localhost)",
    )
      .addOption({ name: "accept", description: "Contribution ids to accept, comma-separated", defaultValue: "" })
      .addOption({ name: "reject", description: "Contribution ids to reject, comma-separated", defaultValue: "" }),
  )
    .setAction(() => import("./review.js"))
    .build(),

  withFrom(
    task(
      "datanet:penalize",
      'Exclude an accepted contribution from attribution (e.g. npx hardhat datanet:penalize --contribution 4 --reason "poisoned labels" --network localhost)',
    )
      .addOption({ name: "contribution", description: "Contribution id", defaultValue: "" })
      .addOption({ name: "reason", description: "Why, recorded on-chain", defaultValue: "" }),
  )
    .setAction(() => import("./penalize.js"))
    .build(),

  withFrom(
    task(
      "datanet:publish",
      "Publish a version: the Merkle root of the accepted contributions, tree written to deployments/<network>/ (e.g. npx hardhat datanet:publish --id 1 --network localhost)",
    )
      .addOption({ name: "id", description: "Datanet id", defaultValue: "" })
      .addOption({ name: "uri", description: "Where the tree is served (default: its file path)", defaultValue: "" }),
  )
    .setAction(() => import("./publish.js"))
    .build(),

  withFrom(
    task(
      "datanet:verify",
      "Prove on-chain that a contribution is in a published version (e.g. npx hardhat datanet:verify --id 1 --datanet-version 1 --contribution 2 --network localhost)",
    )
      .addOption({ name: "id", description: "Datanet id", defaultValue: "" })
      .addOption({ name: "datanetVersion", description: "Version number", defaultValue: "" })
      .addOption({ name: "contribution", description: "Contribution id", defaultValue: "" }),
  )
    .setAction(() => import("./verify.js"))
    .build(),

  withFrom(
    task(
      "datanet:refund",
      "Claim the bonds refunded for your accepted contributions (e.g. npx hardhat datanet:refund --network localhost)",
    ).addOption({
      name: "to",
      description: "Recipient (default: the acting account)",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./refund.js"))
    .build(),

  withFrom(
    task(
      "datanet:show",
      "Show a datanet, its curators, contributions by status and versions (e.g. npx hardhat datanet:show --id 1 --network localhost)",
    ).addOption({
      name: "id",
      description: "Datanet id",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./show.js"))
    .build(),
];
