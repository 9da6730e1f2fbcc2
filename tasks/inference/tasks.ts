import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { FROM } from "../lib/options.js";

export const inferenceTasks = [
  emptyTask("inference", "Quote, pay for and look up inferences").build(),

  task(
    ["inference", "quote"],
    "Quote an inference and its split (e.g. npx hardhat inference quote --model 1 --input-tokens 2000 --output-tokens 1000 --network localhost)",
  )
    .addOption({
      name: "model",
      description: "Model id",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "inputTokens",
      description: "Prompt tokens",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "outputTokens",
      description: "Generated tokens",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "inputText",
      description: "Instead of --input-tokens: a prompt file, counted with the engine's o200k_base tokenizer",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "outputText",
      description: "Instead of --output-tokens: an output file, counted with the same tokenizer",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(FROM)
    .setAction(() => import("./quote.js"))
    .build(),

  task(
    ["inference", "pay"],
    "Pay for an inference of an Active model, approving by permit when needed (e.g. npx hardhat inference pay --model 1 --input-tokens 2000 --output-tokens 1000 --network localhost)",
  )
    .addOption({
      name: "model",
      description: "Model id",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "inputTokens",
      description: "Prompt tokens",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "outputTokens",
      description: "Generated tokens",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "inputText",
      description: "Instead of --input-tokens: the prompt file, counted with the engine's o200k_base tokenizer",
      type: ArgumentType.FILE_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "outputText",
      description: "Instead of --output-tokens: the output file, counted with the same tokenizer",
      type: ArgumentType.FILE_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "requestId",
      description:
        "Your request id, unique among your payments: 32 bytes of hex, or any text (hashed) such as order-1 (default: random); the inference id derives from it",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "maxFee",
      description: "Most OPEN you accept to pay (default: the quote)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(FROM)
    .setAction(() => import("./pay.js"))
    .build(),

  task(
    ["inference", "show"],
    "Show an inference: payment, pool, attribution window on the active clock, settlement or expiry (e.g. npx hardhat inference show --request-id order-1 --payer 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 --network localhost)",
  )
    .addOption({
      name: "id",
      description: "Inference id, as inference pay prints it (decimal or 0x hex)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "requestId",
      description: "Instead of --id: the request id the inference was paid under (32 bytes of hex)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "payer",
      description: "With --request-id: who paid (default: the acting account)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(FROM)
    .setAction(() => import("./show.js"))
    .build(),
];
