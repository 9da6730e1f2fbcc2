import { task } from "hardhat/config";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

// Not yet converted to a Hardhat 3 task group: the colon names of the first CLI, moved here unchanged.

const FROM_HELP = "Acting account: an index into the network's accounts or one of their addresses (default: the first)";

function withFrom<T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>) {
  return builder.addOption({ name: "from", description: FROM_HELP, defaultValue: "" });
}

export const inferenceTasks = [
  withFrom(
    task(
      "inference:quote",
      "Quote an inference and its split (e.g. npx hardhat inference:quote --model 1 --input-tokens 2000 --output-tokens 1000 --network localhost)",
    )
      .addOption({ name: "model", description: "Model id", defaultValue: "" })
      .addOption({ name: "inputTokens", description: "Prompt tokens", defaultValue: "" })
      .addOption({ name: "outputTokens", description: "Generated tokens", defaultValue: "" })
      .addOption({
        name: "inputText",
        description: "Instead of --input-tokens: a prompt file, counted with the engine's o200k_base tokenizer",
        defaultValue: "",
      })
      .addOption({
        name: "outputText",
        description: "Instead of --output-tokens: an output file, counted with the same tokenizer",
        defaultValue: "",
      }),
  )
    .setAction(() => import("./quote.js"))
    .build(),

  withFrom(
    task(
      "inference:pay",
      "Pay for an inference of an Active model, approving by permit when needed (e.g. npx hardhat inference:pay --model 1 --input-tokens 2000 --output-tokens 1000 --network localhost)",
    )
      .addOption({ name: "model", description: "Model id", defaultValue: "" })
      .addOption({ name: "inputTokens", description: "Prompt tokens", defaultValue: "" })
      .addOption({ name: "outputTokens", description: "Generated tokens", defaultValue: "" })
      .addOption({
        name: "requestId",
        description:
          "Your request id, 32 bytes of hex, unique among your payments (default: random); the inference id derives from it",
        defaultValue: "",
      })
      .addOption({ name: "maxFee", description: "Most OPEN you accept to pay (default: the quote)", defaultValue: "" }),
  )
    .setAction(() => import("./pay.js"))
    .build(),

  withFrom(
    task(
      "inference:show",
      "Show an inference: payment, pool, attribution window on the active clock, settlement or expiry (e.g. npx hardhat inference:show --id 5296… --network localhost, or --request-id 0x… --payer 0x…)",
    )
      .addOption({
        name: "id",
        description: "Inference id, as inference:pay prints it (decimal or 0x hex)",
        defaultValue: "",
      })
      .addOption({
        name: "requestId",
        description: "Instead of --id: the request id the inference was paid under (32 bytes of hex)",
        defaultValue: "",
      })
      .addOption({
        name: "payer",
        description: "With --request-id: who paid (default: the acting account)",
        defaultValue: "",
      }),
  )
    .setAction(() => import("./show.js"))
    .build(),
];
