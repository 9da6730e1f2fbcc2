import { emptyTask, task } from "hardhat/config";

import { file, text } from "../lib/options.js";

/** `npx hardhat oracle …`: run an oracle node of the attribution network. */
export const oracleTasks = [
  emptyTask(
    "oracle",
    "Run an oracle node: follow the chain, attribute outputs, co-sign and settle with its peers",
  ).build(),

  task(
    ["oracle", "start"],
    "Run an oracle node until SIGTERM, signing with the key in the configuration variable ORACLE_PRIVATE_KEY (e.g. npx hardhat oracle start --port 8600 --peers http://10.0.0.2:8600,http://10.0.0.3:8600 --network localhost)",
  )
    .addOption(
      text(
        "key",
        "Name of the configuration variable (environment or `npx hardhat keystore set`) holding the signer's private key (default: ORACLE_PRIVATE_KEY)",
      ),
    )
    .addOption(text("port", "HTTP port of the node's API (default: ORACLE_PORT or 8600)"))
    .addOption(text("host", "Address the API binds to (default: ORACLE_HOST or 127.0.0.1)"))
    .addOption(text("peers", "Base URLs of the other nodes, comma-separated (default: ORACLE_PEERS)"))
    .addOption(
      text("database", "PostgreSQL URL postgres://… (default: DATABASE_URL; without one, PGlite in --data-dir)"),
    )
    .addOption(file("dataDir", "PGlite data folder (default: ORACLE_DATA_DIR or .oracle/<network>-<signer>)"))
    .addOption(text("confirmations", "Blocks an event must be under before the node acts on it (default: 2)"))
    .addOption(text("maxBatchDelay", "Longest a ready report waits for a fuller batch, in ms (default: 2000)"))
    .addOption(text("maxBatch", "Most reports per batch (default: the router's limit)"))
    .addOption(text("slot", "Each leader's turn, in ms: a dead leader is replaced after it (default: 3000)"))
    .addOption(text("poll", "Interval of the work loop, in ms (default: 500)"))
    .addOption(text("deadline", "Seconds a proposed report stays valid (default: 3600)"))
    .addOption(
      text("replaceAfter", "A settlement not mined after this many ms is resent with higher fees (default: 60000)"),
    )
    .addOption(
      text(
        "signerContract",
        "The registered signer when it is a contract (EIP-1271) accepting this key's signatures (default: none)",
      ),
    )
    .addOption(text("ipfsGateway", "IPFS HTTP gateway for ipfs:// URIs (default: https://ipfs.io)"))
    .addOption(file("texts", "Folder of contribution texts named by id, read before their URIs (default: none)"))
    .addOption(file("deployment", "Deployment record (default: deployments/<network>.json)"))
    .addOption(text("logLevel", "debug, info, warn or error (default: info)"))
    .setAction(() => import("./start.js"))
    .build(),
];
