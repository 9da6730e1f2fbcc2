import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { DEFAULT_PARAMETERS } from "../../attribution/corpus.js";
import { FROM, file, text } from "../lib/options.js";

/** The inference an attribution subtask acts on, its positional argument. */
const INFERENCE = {
  name: "inference",
  description: "Inference id, as inference pay prints it (decimal or 0x hex)",
} as const;

/** An inference id account 0 pays on a fresh node with `inference pay 1 … --request-id order-1842`. */
const EXAMPLE_INFERENCE = "0x1506a1f5f7580b2bb2630f032d1fbccaa90ba1e2a22eed210c3fc54b1f1d935e";

/** `npx hardhat attribution …`: the oracle's work, from the index of contribution texts to a settled report. */
export const attributionTasks = [
  emptyTask(
    "attribution",
    "Index contribution texts, attribute an output, sign and push the report, expire an unattributed inference",
  ).build(),

  task(
    ["attribution", "index"],
    "Build the attribution engine's suffix-array index of contribution texts (e.g. npx hardhat attribution index --contents texts/ --datanets 1 --network localhost)",
  )
    .addOption(
      file(
        "contents",
        "A folder of files named by contribution id (12.txt) or a JSON-lines file of {contributionId, text} (required)",
      ),
    )
    .addOption(
      text(
        "datanets",
        "Datanets of the deployment whose accepted contributions to index, comma-separated, each text checked against its content hash (default: every text, no deployment)",
      ),
    )
    .addOption(
      file(
        "out",
        "Index file (default: deployments/<network>/attribution-index.bin, or <contents>.index.bin without --datanets)",
      ),
    )
    .setAction(() => import("./build-index.js"))
    .build(),

  task(
    ["attribution", "compute"],
    `Attribute a model output to the indexed contributions and write the weights attribution sign takes (e.g. npx hardhat attribution compute ${EXAMPLE_INFERENCE} --text answer.txt --network localhost)`,
  )
    .addPositionalArgument(INFERENCE)
    .addOption(file("text", "File holding the model's output text (required)"))
    .addOption(file("index", "Index file (default on a network: deployments/<network>/attribution-index.bin)"))
    .addOption(file("out", "Weights file (default: <text>.weights.json)"))
    .addOption({
      name: "minSpan",
      description: "Shortest exact match that counts, in words (the engine's seed length)",
      type: ArgumentType.BIGINT,
      defaultValue: BigInt(DEFAULT_PARAMETERS.seedWords),
    })
    .addOption(
      text(
        "threshold",
        "Offline only: the attribution threshold as a fraction, e.g. 0.01 (default: 0.01); a network uses its router's",
      ),
    )
    .addFlag({
      name: "force",
      description: "Recompute the attribution of an inference already Settled or Expired, to audit it",
    })
    .setAction(() => import("./compute.js"))
    .build(),

  task(
    ["attribution", "sign"],
    "Sign attribution weights as oracle signers, for this deployment's router (e.g. npx hardhat attribution sign answer.weights.json --signers 17,18 --network localhost)",
  )
    .addPositionalArgument({
      name: "weights",
      description:
        "Weights file as attribution compute writes it: {inferenceId, outputHash, indexCommitment, weights: {contributionId: fraction}}, or an array of them (a batch)",
      type: ArgumentType.FILE,
    })
    .addOption(
      text(
        "signers",
        "Oracle signers among the network's accounts: indices or addresses, comma-separated; with --keys, as many in all as the oracle's threshold",
      ),
    )
    .addOption(
      text(
        "keys",
        "Names of configuration variables (environment or `npx hardhat keystore set`) holding oracle signers' private keys, comma-separated",
      ),
    )
    .addOption(file("out", "Signed file (default: <weights>.signed.json)"))
    .setAction(() => import("./sign.js"))
    .build(),

  task(
    ["attribution", "push"],
    "Settle a signed report or batch on the router (e.g. npx hardhat attribution push answer.weights.signed.json --network localhost)",
  )
    .addPositionalArgument({
      name: "file",
      description: "Signed file, as attribution sign writes it",
      type: ArgumentType.FILE,
    })
    .addOption(FROM)
    .setAction(() => import("./push.js"))
    .build(),

  task(
    ["attribution", "expire"],
    `Send the pool of an inference left unattributed past its window to the treasury; anyone may (e.g. npx hardhat attribution expire ${EXAMPLE_INFERENCE} --network localhost)`,
  )
    .addPositionalArgument(INFERENCE)
    .addOption(FROM)
    .setAction(() => import("./expire.js"))
    .build(),
];
