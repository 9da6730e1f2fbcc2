import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { FROM } from "../lib/options.js";

export const attributionTasks = [
  emptyTask(
    "attribution",
    "The oracle: index contributions, attribute outputs, sign and push reports, expire pools",
  ).build(),

  task(
    ["attribution", "sign"],
    "Sign attribution weights as oracle signer(s) (e.g. npx hardhat attribution sign --input weights.json --signers 17,18 --network localhost)",
  )
    .addOption({
      name: "input",
      description:
        "JSON: {inferenceId, outputHash, indexCommitment, weights: {contributionId: fraction}} or an array of them (a batch), as attribution compute writes it",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "out",
      description: "Signed output file (default: <input>.signed.json)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "signers",
      description: "Oracle signers among the network's accounts: indices or addresses, comma-separated",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "keys",
      description: "Configuration variables holding oracle signer private keys, comma-separated",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(FROM)
    .setAction(() => import("./sign.js"))
    .build(),

  task(
    ["attribution", "push"],
    "Settle a signed report or batch (e.g. npx hardhat attribution push --file weights.signed.json --network localhost)",
  )
    .addOption({
      name: "file",
      description: "File written by attribution sign",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(FROM)
    .setAction(() => import("./push.js"))
    .build(),

  task(
    ["attribution", "expire"],
    "Send the pool of an inference left unattributed past its window to the treasury (e.g. npx hardhat attribution expire --id 0x12e85e85751ac07641714acc0df2ca53c291064fc6116793de92a52c3fc670e7 --network localhost)",
  )
    .addOption({
      name: "id",
      description: "Inference id, as inference pay prints it (decimal or 0x hex)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(FROM)
    .setAction(() => import("./expire.js"))
    .build(),

  task(
    ["attribution", "index"],
    "Build the attribution engine's suffix-array index of contribution texts (e.g. npx hardhat attribution index --contents texts/ --datanets 1,2 --network localhost)",
  )
    .addOption({
      name: "contents",
      description: "A folder of files named by contribution id (12.txt) or a JSON-lines file of {contributionId, text}",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "datanets",
      description:
        "Datanets of the deployment whose accepted contributions to index, each text checked against its content hash (default: every text, no deployment)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "out",
      description:
        "Index file (default: deployments/<network>/attribution-index.bin, or <contents>.index.bin without --datanets)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(() => import("./build-index.js"))
    .build(),

  task(
    ["attribution", "compute"],
    "Attribute a model output to the indexed contributions and write the weights `attribution sign` takes (e.g. npx hardhat attribution compute --inference 0x12e85e85751ac07641714acc0df2ca53c291064fc6116793de92a52c3fc670e7 --text output.txt --network localhost)",
  )
    .addOption({
      name: "inference",
      description: "Inference id the output belongs to, as inference pay prints it (decimal or 0x hex)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "text",
      description: "File holding the model's output text",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "index",
      description: "Index file (default on a network: deployments/<network>/attribution-index.bin)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "out",
      description: "Weights file (default: <text>.weights.json)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "minSpan",
      description: "Shortest span that counts, in tokens (default 8)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "threshold",
      description: "Offline only: the attribution threshold as a fraction (default 0.01); a network uses its router's",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .setAction(() => import("./compute.js"))
    .build(),
];
