import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { FROM, file, text } from "../lib/options.js";

/** The model a subtask acts on, its positional argument. */
const MODEL = { name: "model", description: "Model id", type: ArgumentType.BIGINT } as const;

/** `npx hardhat model …`: propose models trained on datanets, register their artifact, activate them. */
export const modelTasks = [
  emptyTask("model", "Propose models, register their trained artifact, activate them").build(),

  task(
    ["model", "propose"],
    "Propose a model, posting the bond, and file the governor proposal that approves it (e.g. npx hardhat model propose --metadata ipfs://model.json --datanets 1 --input-rate 0.06 --output-rate 0.2 --from 1 --network localhost)",
  )
    .addOption(text("metadata", "Metadata URI (required)"))
    .addOption(text("datanets", "Ids of the datanets it is trained on, comma-separated, e.g. 1,2 (required)"))
    .addOption(text("inputRate", "OPEN per 1,000 input tokens, decimals allowed (required)"))
    .addOption(text("outputRate", "OPEN per 1,000 output tokens, decimals allowed (required)"))
    .addOption(
      text(
        "maxBond",
        "Most OPEN you accept to post as the proposal bond (default: the bond now, so a raise before the transaction lands is refused)",
      ),
    )
    .addFlag({ name: "skipProposal", description: "Only register the model; file no governor proposal" })
    .addOption(FROM)
    .setAction(() => import("./propose.js"))
    .build(),

  task(
    ["model", "artifact"],
    "Register the trained artifact of an approved model you created (e.g. npx hardhat model artifact 1 --file adapter.safetensors --uri ipfs://adapter.safetensors --from 1 --network localhost)",
  )
    .addPositionalArgument(MODEL)
    .addOption(file("file", "Artifact file: its keccak256 is recorded (or --hash)"))
    .addOption(text("hash", "Artifact hash instead of --file: 0x and 64 hex digits"))
    .addOption(text("uri", "Where the weights or the adapter are served (required)"))
    .addOption({
      name: "base",
      description: "For a LoRA adapter: the id of its base model; 0 means full weights",
      type: ArgumentType.BIGINT,
      defaultValue: 0n,
    })
    .addOption(FROM)
    .setAction(() => import("./artifact.js"))
    .build(),

  task(
    ["model", "activate"],
    "Activate a trained model you created so it takes inference (e.g. npx hardhat model activate 1 --from 1 --network localhost)",
  )
    .addPositionalArgument(MODEL)
    .addOption(FROM)
    .setAction(() => import("./activate.js"))
    .build(),

  task(
    ["model", "show"],
    "Show a model: state, creator, datanets, rates, artifact (e.g. npx hardhat model show 1 --network localhost)",
  )
    .addPositionalArgument(MODEL)
    .addOption(FROM)
    .setAction(() => import("./show.js"))
    .build(),
];
