import { task } from "hardhat/config";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

// Not yet converted to a Hardhat 3 task group: the colon names of the first CLI, moved here unchanged.

const FROM_HELP = "Acting account: an index into the network's accounts or one of their addresses (default: the first)";

function withFrom<T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>) {
  return builder.addOption({ name: "from", description: FROM_HELP, defaultValue: "" });
}

export const attributionTasks = [
  withFrom(
    task(
      "attribution:sign",
      "Sign attribution weights as oracle signer(s) (e.g. npx hardhat attribution:sign --input weights.json --signers 17,18 --network localhost)",
    )
      .addOption({
        name: "input",
        description:
          "JSON: {inferenceId, outputHash, indexCommitment, weights: {contributionId: fraction}} or an array of them (a batch), as attribution:compute writes it",
        defaultValue: "",
      })
      .addOption({ name: "out", description: "Signed output file (default: <input>.signed.json)", defaultValue: "" })
      .addOption({
        name: "signers",
        description: "Oracle signers among the network's accounts: indices or addresses, comma-separated",
        defaultValue: "",
      })
      .addOption({
        name: "keys",
        description: "Configuration variables holding oracle signer private keys, comma-separated",
        defaultValue: "",
      }),
  )
    .setAction(() => import("./sign.js"))
    .build(),

  withFrom(
    task(
      "attribution:push",
      "Settle a signed report or batch (e.g. npx hardhat attribution:push --file weights.signed.json --network localhost)",
    ).addOption({
      name: "file",
      description: "File written by attribution:sign",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./push.js"))
    .build(),

  withFrom(
    task(
      "attribution:expire",
      "Send the pool of an inference left unattributed past its window to the treasury (e.g. npx hardhat attribution:expire --id 3 --network localhost)",
    ).addOption({
      name: "id",
      description: "Inference id, as inference:pay prints it (decimal or 0x hex)",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./expire.js"))
    .build(),

  task(
    "attribution:index",
    "Build the attribution engine's suffix-array index of contribution texts (e.g. npx hardhat attribution:index --contents texts/ --datanets 1,2 --network localhost)",
  )
    .addOption({
      name: "contents",
      description: "A folder of files named by contribution id (12.txt) or a JSON-lines file of {contributionId, text}",
      defaultValue: "",
    })
    .addOption({
      name: "datanets",
      description:
        "Datanets of the deployment whose accepted contributions to index, each text checked against its content hash (default: every text, no deployment)",
      defaultValue: "",
    })
    .addOption({
      name: "out",
      description:
        "Index file (default: deployments/<network>/attribution-index.bin, or <contents>.index.bin without --datanets)",
      defaultValue: "",
    })
    .setAction(() => import("./build-index.js"))
    .build(),

  task(
    "attribution:compute",
    "Attribute a model output to the indexed contributions and write the weights attribution:sign takes (e.g. npx hardhat attribution:compute --inference 3 --text output.txt --network localhost)",
  )
    .addOption({
      name: "inference",
      description: "Inference id the output belongs to, as inference:pay prints it (decimal or 0x hex)",
      defaultValue: "",
    })
    .addOption({ name: "text", description: "File holding the model's output text", defaultValue: "" })
    .addOption({
      name: "index",
      description: "Index file (default on a network: deployments/<network>/attribution-index.bin)",
      defaultValue: "",
    })
    .addOption({ name: "out", description: "Weights file (default: <text>.weights.json)", defaultValue: "" })
    .addOption({ name: "minSpan", description: "Shortest span that counts, in tokens (default 8)", defaultValue: "" })
    .addOption({
      name: "threshold",
      description: "Offline only: the attribution threshold as a fraction (default 0.01); a network uses its router's",
      defaultValue: "",
    })
    .setAction(() => import("./compute.js"))
    .build(),
];
