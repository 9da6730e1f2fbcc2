import { task } from "hardhat/config";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

// Not yet converted to a Hardhat 3 task group: the colon names of the first CLI, moved here unchanged.

const FROM_HELP = "Acting account: an index into the network's accounts or one of their addresses (default: the first)";

function withFrom<T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>) {
  return builder.addOption({ name: "from", description: FROM_HELP, defaultValue: "" });
}

export const modelTasks = [
  withFrom(
    task(
      "model:propose",
      "Propose a model (posting the bond) and file the governor proposal that approves it (e.g. npx hardhat model:propose --metadata ipfs://…/model.json --datanets 1 --input-rate 0.06 --output-rate 0.2 --network localhost)",
    )
      .addOption({ name: "metadata", description: "Metadata URI", defaultValue: "" })
      .addOption({ name: "datanets", description: "Datanet ids it is trained on, comma-separated", defaultValue: "" })
      .addOption({ name: "inputRate", description: "OPEN per 1,000 input tokens", defaultValue: "" })
      .addOption({ name: "outputRate", description: "OPEN per 1,000 output tokens", defaultValue: "" })
      .addOption({
        name: "maxBond",
        description:
          "Most OPEN you accept to post as the proposal bond (default: the bond now, so a later raise is refused)",
        defaultValue: "",
      })
      .addFlag({ name: "skipProposal", description: "Only register the model; file no governor proposal" }),
  )
    .setAction(() => import("./propose.js"))
    .build(),

  withFrom(
    task(
      "model:artifact",
      "Register the trained artifact of an approved model (e.g. npx hardhat model:artifact --id 1 --file adapter.safetensors --uri ipfs://… --base 2 --network localhost)",
    )
      .addOption({ name: "id", description: "Model id", defaultValue: "" })
      .addOption({ name: "file", description: "Artifact file: its keccak256 is recorded", defaultValue: "" })
      .addOption({ name: "hash", description: "Artifact hash instead of --file", defaultValue: "" })
      .addOption({ name: "uri", description: "Where the weights or adapter are served", defaultValue: "" })
      .addOption({ name: "base", description: "For a LoRA adapter: the base model id", defaultValue: "" }),
  )
    .setAction(() => import("./artifact.js"))
    .build(),

  withFrom(
    task(
      "model:activate",
      "Activate a trained model so it takes inference (e.g. npx hardhat model:activate --id 1 --network localhost)",
    ).addOption({
      name: "id",
      description: "Model id",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./activate.js"))
    .build(),

  withFrom(
    task(
      "model:show",
      "Show a model: state, creator, datanets, rates, artifact (e.g. npx hardhat model:show --id 1 --network localhost)",
    ).addOption({
      name: "id",
      description: "Model id",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./show.js"))
    .build(),
];
