import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { ACCOUNT_FORMS, FROM, file, text } from "../lib/options.js";

/** The model a payment or a quote is for, their positional argument. */
const MODEL = { name: "model", description: "Model id (an Active model)", type: ArgumentType.BIGINT } as const;

/** The token options quote and pay share: counts, or texts counted with the attribution engine's tokenizer. */
const TOKENS = [
  {
    name: "inputTokens",
    description: "Prompt tokens (or --input-text)",
    type: ArgumentType.BIGINT,
    defaultValue: 0n,
  },
  {
    name: "outputTokens",
    description: "Generated tokens (or --output-text)",
    type: ArgumentType.BIGINT,
    defaultValue: 0n,
  },
] as const;
const INPUT_TEXT = file(
  "inputText",
  "Instead of --input-tokens: the prompt, a text file counted with the attribution engine's o200k_base tokenizer",
);
const OUTPUT_TEXT = file("outputText", "Instead of --output-tokens: the output, a text file counted the same way");

/** `npx hardhat inference …`: quote, pay and look up inferences; sweep what the treasury is owed. */
export const inferenceTasks = [
  emptyTask("inference", "Quote and pay for inference, look up a payment, sweep the treasury's fees").build(),

  task(
    ["inference", "quote"],
    "Quote an inference of a model and its fee split (e.g. npx hardhat inference quote 1 --input-tokens 2000 --output-tokens 1000 --network localhost)",
  )
    .addPositionalArgument(MODEL)
    .addOption(TOKENS[0])
    .addOption(TOKENS[1])
    .addOption(INPUT_TEXT)
    .addOption(OUTPUT_TEXT)
    .setAction(() => import("./quote.js"))
    .build(),

  task(
    ["inference", "pay"],
    "Pay for an inference of an Active model, approving by permit when needed (e.g. npx hardhat inference pay 1 --input-tokens 2000 --output-tokens 1000 --request-id order-1842 --network localhost)",
  )
    .addPositionalArgument(MODEL)
    .addOption(TOKENS[0])
    .addOption(TOKENS[1])
    .addOption(INPUT_TEXT)
    .addOption(OUTPUT_TEXT)
    .addOption(
      text(
        "requestId",
        "Your request id, unique among your payments: 32 bytes of hex, or any text (hashed, keccak256 of its UTF-8 bytes); the inference id derives from it (default: random)",
      ),
    )
    .addOption(text("maxFee", "Most OPEN you accept to pay, decimals allowed (default: the quote)"))
    .addOption(FROM)
    .setAction(() => import("./pay.js"))
    .build(),

  task(
    ["inference", "show"],
    "Show an inference: payment, pool, attribution window on the active clock, settlement or expiry (e.g. npx hardhat inference show --request-id order-1842 --network localhost)",
  )
    .addPositionalArgument({
      name: "inference",
      description: "Inference id, as inference pay prints it (decimal or 0x hex); or give --request-id",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(
      text(
        "requestId",
        "Instead of the inference id: the request id it was paid under (32 bytes of hex, or the text it was hashed from)",
      ),
    )
    .addOption(text("payer", `With --request-id: who paid, ${ACCOUNT_FORMS} (default: the acting account)`))
    .addOption(FROM)
    .setAction(() => import("./show.js"))
    .build(),

  task(
    ["inference", "sweep"],
    "Send what the router owes the treasury (platform fees, expired pools, forfeited shares, dust); anyone may (e.g. npx hardhat inference sweep --network localhost)",
  )
    .addOption(FROM)
    .setAction(() => import("./sweep.js"))
    .build(),
];
