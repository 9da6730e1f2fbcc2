/**
 * The indexer's Ponder configuration: one chain and the suite's eight contracts, from a deployment record.
 *
 * - `OPENLEDGER_DEPLOYMENT`: the deployment record to index (default `deployments/localhost.json`, relative to the
 *   repository); its chain id, addresses and deploy block are all the indexer needs.
 * - `PONDER_RPC_URL_<chainId>`: the chain's JSON-RPC URL (default `http://127.0.0.1:8545`).
 * - `DATABASE_URL`: PostgreSQL when set; otherwise embedded PGlite in `PONDER_DATA_DIR` (default
 *   `services/indexer/.ponder/pglite`).
 * - `PONDER_POLLING_INTERVAL`: milliseconds between polls for new blocks (default 1000).
 *
 * ABIs come from the SDK (sdk/core/abis.ts, generated from the build), never copied.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { createConfig } from "ponder";

import { ABIS } from "../../sdk/core/abis.js";
import { parseDeploymentRecord } from "../../sdk/core/deployments.js";

// Ponder runs this file through vite-node, which has import.meta.url but no import.meta.dirname.
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const recordFile = path.resolve(root, process.env.OPENLEDGER_DEPLOYMENT ?? "deployments/localhost.json");

function readRecord() {
  let text: string;
  try {
    text = readFileSync(recordFile, "utf8");
  } catch {
    throw new Error(`No deployment record at ${recordFile}: deploy first, or set OPENLEDGER_DEPLOYMENT.`);
  }
  return parseDeploymentRecord(JSON.parse(text) as unknown, recordFile);
}

const record = readRecord();
const rpc = process.env[`PONDER_RPC_URL_${record.chainId}`] ?? "http://127.0.0.1:8545";
const pollingInterval = Number(process.env.PONDER_POLLING_INTERVAL ?? 1000);
const databaseUrl = process.env.DATABASE_URL;

/** One contract of the suite on the record's chain, from its deploy block. */
function contract<const Abi extends (typeof ABIS)[keyof typeof ABIS]>(abi: Abi, address: string) {
  return { chain: "protocol", abi, address: address as `0x${string}`, startBlock: record.deployBlock } as const;
}

const { addresses } = record;

export default createConfig({
  database:
    databaseUrl !== undefined && databaseUrl !== ""
      ? { kind: "postgres", connectionString: databaseUrl }
      : {
          kind: "pglite",
          directory: path.resolve(process.env.PONDER_DATA_DIR ?? path.join(here, ".ponder", "pglite")),
        },
  chains: {
    // A local node forgets its chain when it stops: nothing fetched from it is worth caching across runs.
    protocol: { id: record.chainId, rpc, pollingInterval, disableCache: record.chainId === 31337 },
  },
  contracts: {
    openToken: contract(ABIS.openToken, addresses.openToken),
    timelock: contract(ABIS.timelock, addresses.timelock),
    stakedOpen: contract(ABIS.stakedOpen, addresses.stakedOpen),
    governor: contract(ABIS.governor, addresses.governor),
    datanetRegistry: contract(ABIS.datanetRegistry, addresses.datanetRegistry),
    modelRegistry: contract(ABIS.modelRegistry, addresses.modelRegistry),
    attributionOracle: contract(ABIS.attributionOracle, addresses.attributionOracle),
    inferenceRouter: contract(ABIS.inferenceRouter, addresses.inferenceRouter),
  },
});
