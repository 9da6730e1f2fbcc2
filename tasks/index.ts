import { task } from "hardhat/config";
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

/**
 * The CLI. Every task reads the suite's addresses from deployments/<network>.json, validates its
 * input, and on bad input prints one sentence and exits with status 1. Actions live in
 * tasks/<area>/<verb>.ts and are loaded lazily so `npx hardhat` starts fast.
 */

const FROM_HELP = "Acting account: an index into the network's accounts or one of their addresses (default: the first)";

function withFrom<T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>) {
  return builder.addOption({ name: "from", description: FROM_HELP, defaultValue: "" });
}

export const taskDeclarations = [
  task(
    "deploy",
    "Deploy the protocol suite with Ignition and write deployments/<network>.json (e.g. npx hardhat deploy --network localhost)",
  )
    .addOption({
      name: "parameters",
      description: "Ignition parameters file (default: ignition/parameters/<network>.json when it exists)",
      defaultValue: "",
    })
    .addOption({
      name: "deploymentId",
      description:
        "Ignition deployment id, i.e. the journal folder under ignition/deployments (default: chain-<chainId>)",
      defaultValue: "",
    })
    .addFlag({ name: "reset", description: "Discard the Ignition journal and deploy afresh" })
    .setAction(() => import("./deploy.js"))
    .build(),

  withFrom(
    task(
      "token:balance",
      "Show OPEN and gOPEN balances (e.g. npx hardhat token:balance --account 0xabc… --network localhost)",
    ).addOption({
      name: "account",
      description: "Account to show (default: the acting account)",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./token/balance.js"))
    .build(),

  withFrom(
    task("token:transfer", "Send OPEN (e.g. npx hardhat token:transfer --to 0xabc… --amount 250 --network localhost)")
      .addOption({ name: "to", description: "Recipient address", defaultValue: "" })
      .addOption({ name: "amount", description: "Amount in OPEN, decimals allowed (e.g. 12.5)", defaultValue: "" }),
  )
    .setAction(() => import("./token/transfer.js"))
    .build(),

  withFrom(
    task(
      "stake:stake",
      "Stake OPEN for gOPEN, approving by permit when needed (e.g. npx hardhat stake:stake --amount 20000 --network localhost)",
    ).addOption({
      name: "amount",
      description: "Amount in OPEN",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./stake/stake.js"))
    .build(),

  withFrom(
    task(
      "stake:unstake",
      "Burn gOPEN now and queue the OPEN for release after the cooldown (e.g. npx hardhat stake:unstake --amount 500 --network localhost)",
    ).addOption({
      name: "amount",
      description: "Amount in gOPEN",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./stake/unstake.js"))
    .build(),

  withFrom(
    task(
      "stake:withdraw",
      "Withdraw queued OPEN after the cooldown (e.g. npx hardhat stake:withdraw --network localhost)",
    ),
  )
    .setAction(() => import("./stake/withdraw.js"))
    .build(),

  withFrom(
    task("stake:claim", "Claim staking rewards (e.g. npx hardhat stake:claim --network localhost)").addOption({
      name: "to",
      description: "Recipient of the rewards (default: the acting account)",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./stake/claim.js"))
    .build(),

  withFrom(
    task(
      "stake:delegate",
      "Delegate gOPEN votes (e.g. npx hardhat stake:delegate --to 0xabc… --network localhost)",
    ).addOption({
      name: "to",
      description: "Delegatee (default: the acting account itself)",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./stake/delegate.js"))
    .build(),

  withFrom(
    task(
      "stake:position",
      "Show stake, votes, rewards and queued withdrawal (e.g. npx hardhat stake:position --network localhost)",
    ).addOption({
      name: "account",
      description: "Account to show (default: the acting account)",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./stake/position.js"))
    .build(),

  withFrom(
    task(
      "gov:propose",
      "File a governor proposal calling one suite contract (e.g. npx hardhat gov:propose --contract stakedOpen --function setCooldown --args '[1209600]' --description \"Cooldown 14 days\" --network localhost)",
    )
      .addOption({
        name: "contract",
        description: "One of the suite's contracts by name, e.g. stakedOpen, modelRegistry, inferenceRouter",
        defaultValue: "",
      })
      .addOption({ name: "function", description: "Function name on that contract", defaultValue: "" })
      .addOption({ name: "args", description: "Arguments as a JSON array", defaultValue: "[]" })
      .addOption({ name: "description", description: "Proposal description shown to voters", defaultValue: "" }),
  )
    .setAction(() => import("./gov/propose.js"))
    .build(),

  withFrom(
    task(
      "gov:vote",
      "Vote on an active proposal (e.g. npx hardhat gov:vote --id 123… --support for --network localhost)",
    )
      .addOption({ name: "id", description: "Proposal id", defaultValue: "" })
      .addOption({ name: "support", description: "for, against or abstain", defaultValue: "" })
      .addOption({ name: "reason", description: "Optional reason recorded on-chain", defaultValue: "" }),
  )
    .setAction(() => import("./gov/vote.js"))
    .build(),

  withFrom(
    task(
      "gov:queue",
      "Queue a succeeded proposal in the timelock (e.g. npx hardhat gov:queue --id 123… --network localhost)",
    ).addOption({
      name: "id",
      description: "Proposal id",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./gov/queue.js"))
    .build(),

  withFrom(
    task(
      "gov:execute",
      "Execute a queued proposal after the timelock delay (e.g. npx hardhat gov:execute --id 123… --network localhost)",
    ).addOption({
      name: "id",
      description: "Proposal id",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./gov/execute.js"))
    .build(),

  withFrom(
    task(
      "gov:state",
      "Show a proposal's state, votes and quorum (e.g. npx hardhat gov:state --id 123… --network localhost)",
    ).addOption({
      name: "id",
      description: "Proposal id",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./gov/state.js"))
    .build(),
  withFrom(
    task(
      "datanet:create",
      "Create a datanet you own and curate (e.g. npx hardhat datanet:create --metadata ipfs://…/legal.json --bond 10 --network localhost)",
    )
      .addOption({ name: "metadata", description: "Metadata URI (name, domain, licence, schema)", defaultValue: "" })
      .addOption({ name: "bond", description: "Bond each contribution posts, in OPEN", defaultValue: "" }),
  )
    .setAction(() => import("./datanet/create.js"))
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
    .setAction(() => import("./datanet/curator.js"))
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
    .setAction(() => import("./datanet/contribute.js"))
    .build(),

  withFrom(
    task(
      "datanet:review",
      "Accept and/or reject pending contributions of one datanet (e.g. npx hardhat datanet:review --accept 1,2,4 --reject 3 --network localhost)",
    )
      .addOption({ name: "accept", description: "Contribution ids to accept, comma-separated", defaultValue: "" })
      .addOption({ name: "reject", description: "Contribution ids to reject, comma-separated", defaultValue: "" }),
  )
    .setAction(() => import("./datanet/review.js"))
    .build(),

  withFrom(
    task(
      "datanet:penalize",
      'Exclude an accepted contribution from attribution (e.g. npx hardhat datanet:penalize --contribution 4 --reason "poisoned labels" --network localhost)',
    )
      .addOption({ name: "contribution", description: "Contribution id", defaultValue: "" })
      .addOption({ name: "reason", description: "Why, recorded on-chain", defaultValue: "" }),
  )
    .setAction(() => import("./datanet/penalize.js"))
    .build(),

  withFrom(
    task(
      "datanet:publish",
      "Publish a version: the Merkle root of the accepted contributions, tree written to deployments/<network>/ (e.g. npx hardhat datanet:publish --id 1 --network localhost)",
    )
      .addOption({ name: "id", description: "Datanet id", defaultValue: "" })
      .addOption({ name: "uri", description: "Where the tree is served (default: its file path)", defaultValue: "" }),
  )
    .setAction(() => import("./datanet/publish.js"))
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
    .setAction(() => import("./datanet/verify.js"))
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
    .setAction(() => import("./datanet/refund.js"))
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
    .setAction(() => import("./datanet/show.js"))
    .build(),

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
    .setAction(() => import("./model/propose.js"))
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
    .setAction(() => import("./model/artifact.js"))
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
    .setAction(() => import("./model/activate.js"))
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
    .setAction(() => import("./model/show.js"))
    .build(),
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
    .setAction(() => import("./inference/quote.js"))
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
    .setAction(() => import("./inference/pay.js"))
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
    .setAction(() => import("./inference/show.js"))
    .build(),

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
    .setAction(() => import("./attribution/sign.js"))
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
    .setAction(() => import("./attribution/push.js"))
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
    .setAction(() => import("./attribution/expire.js"))
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
    .setAction(() => import("./attribution/build-index.js"))
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
    .setAction(() => import("./attribution/compute.js"))
    .build(),

  withFrom(
    task(
      "rewards:show",
      "Show what an account can claim: inference earnings, staking rewards, refunded bonds (e.g. npx hardhat rewards:show --account 0x… --network localhost)",
    ).addOption({
      name: "account",
      description: "Account (default: the acting account)",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./rewards/show.js"))
    .build(),

  withFrom(
    task(
      "rewards:release",
      "Send the stakers' share of paid fees from the router to gOPEN, which streams it to stakers over its next reward period; anyone may (e.g. npx hardhat rewards:release --network localhost)",
    ),
  )
    .setAction(() => import("./rewards/release.js"))
    .build(),

  withFrom(
    task(
      "rewards:claim",
      "Claim inference earnings (creator and data contributor credits) (e.g. npx hardhat rewards:claim --network localhost)",
    ).addOption({
      name: "to",
      description: "Recipient (default: the acting account)",
      defaultValue: "",
    }),
  )
    .setAction(() => import("./rewards/claim.js"))
    .build(),

  task(
    "status",
    "Show the protocol at a glance: parameters, stake and the reward stream, pauses, datanets, models by state, pending pools, what the router owes (e.g. npx hardhat status --network localhost)",
  )
    .setAction(() => import("./status.js"))
    .build(),
];
