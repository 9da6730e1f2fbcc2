/**
 * `npm run indexer -- [options]`: starts the indexer (Ponder) against a chain and a deployment record.
 *
 *   --deployment FILE  deployment record to index (default deployments/localhost.json, or OPENLEDGER_DEPLOYMENT)
 *   --rpc URL          the chain's JSON-RPC (default PONDER_RPC_URL_<chainId>, else http://127.0.0.1:8545)
 *   --port N           HTTP port of GraphQL and SQL over HTTP (default 42069)
 *   --hostname H       interface to listen on (default 127.0.0.1)
 *   --data-dir DIR     the indexer's folder: PGlite's database in DIR/pglite (default services/indexer/.ponder)
 *   --schema NAME      database schema Ponder writes its tables to (default openledger)
 *   --fresh            forget everything indexed before and re-index from the deploy block
 *   --log-format F     pretty (default) or json; --log-level L: error, warn, info (default), debug or trace
 *
 * PGlite (embedded PostgreSQL) by default; PostgreSQL when DATABASE_URL is set. Telemetry is off. A local chain
 * (31337) is forgotten when its node stops, so for it what was indexed is forgotten whenever the deployment
 * record changes (PGlite's folder, or PostgreSQL's `ponder_sync` and the schema): Ponder would otherwise serve the
 * old chain's cached logs, even with its cache disabled.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import pg from "pg";

import { parseDeploymentRecord, type DeploymentRecord } from "../../sdk/core/deployments.js";

const here = import.meta.dirname;
const root = path.resolve(here, "..", "..");
const LOCAL_CHAIN = 31337;

function fail(sentence: string): never {
  console.error(sentence);
  process.exit(1);
}

function options() {
  try {
    return parseArgs({
      options: {
        deployment: { type: "string" },
        rpc: { type: "string" },
        port: { type: "string", default: "42069" },
        hostname: { type: "string", default: "127.0.0.1" },
        "data-dir": { type: "string" },
        schema: { type: "string", default: "openledger" },
        fresh: { type: "boolean", default: false },
        "log-format": { type: "string", default: "pretty" },
        "log-level": { type: "string", default: "info" },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail(`${(error as Error).message}. See services/indexer/start.ts for the options.`);
  }
}

function readRecord(file: string): DeploymentRecord {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return fail(`No deployment record at ${file}: deploy first (npx hardhat deploy), or pass --deployment.`);
  }
  try {
    return parseDeploymentRecord(JSON.parse(text) as unknown, file);
  } catch (error) {
    return fail((error as Error).message);
  }
}

const args = options();
const recordFile = path.resolve(
  args.deployment ?? process.env.OPENLEDGER_DEPLOYMENT ?? path.join(root, "deployments", "localhost.json"),
);
const record = readRecord(recordFile);
const rpcVariable = `PONDER_RPC_URL_${record.chainId}`;
const rpc = args.rpc ?? process.env[rpcVariable] ?? "http://127.0.0.1:8545";
if (!/^(https?|wss?):\/\/\S+$/.test(rpc)) fail(`--rpc must be an http(s) or ws(s) URL, not "${rpc}".`);
const port = Number(args.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`--port must be a port number, not "${args.port}".`);
if (!/^[a-z_][a-z0-9_]{0,44}$/.test(args.schema)) {
  fail(`--schema must be a lower-case database schema name of at most 45 characters, not "${args.schema}".`);
}
const usePostgres = (process.env.DATABASE_URL ?? "") !== "";
const dataDir = path.resolve(args["data-dir"] ?? path.join(here, ".ponder"));

/**
 * Forgets what was indexed before: PGlite's folder, or in PostgreSQL Ponder's log cache (`ponder_sync`, shared
 * by every schema of the database) and this indexer's schema.
 */
async function forget(): Promise<void> {
  if (!usePostgres) {
    rmSync(path.join(dataDir, "pglite"), { recursive: true, force: true });
    return;
  }
  const database = new pg.Client({ connectionString: process.env.DATABASE_URL });
  try {
    await database.connect();
    await database.query("DROP SCHEMA IF EXISTS ponder_sync CASCADE");
    await database.query(`DROP SCHEMA IF EXISTS "${args.schema}" CASCADE`);
  } catch (error) {
    fail(`Could not reset the indexer's PostgreSQL schemas at DATABASE_URL: ${(error as Error).message}.`);
  } finally {
    await database.end().catch(() => undefined);
  }
}

// The deployment indexed last time, beside PGlite's folder (PostgreSQL refuses to create a database in a folder
// that is not empty). A local chain's logs are worthless once its node is gone: Ponder would serve them anyway.
const marker = path.join(dataDir, usePostgres ? `deployment-${args.schema}.json` : "deployment.json");
const fingerprint = JSON.stringify({ chainId: record.chainId, deployedAt: record.deployedAt, ...record.addresses });
const stale = existsSync(marker) && readFileSync(marker, "utf8") !== fingerprint;
if (args.fresh || (stale && record.chainId === LOCAL_CHAIN)) await forget();
mkdirSync(dataDir, { recursive: true });
writeFileSync(marker, fingerprint);

// Ponder's CLI, next to its entry (dist/esm/index.js); its package exports nothing else.
const ponderBin = path.join(path.dirname(fileURLToPath(import.meta.resolve("ponder"))), "bin", "ponder.js");
const child = spawn(
  process.execPath,
  [
    ponderBin,
    "start",
    "--root",
    here,
    "--schema",
    args.schema,
    "--port",
    String(port),
    "--hostname",
    args.hostname,
    "--log-format",
    args["log-format"],
    "--log-level",
    args["log-level"],
  ],
  {
    // Ponder writes generated/schema.graphql (GraphQL's schema) under its working directory.
    cwd: here,
    stdio: "inherit",
    env: {
      ...process.env,
      OPENLEDGER_DEPLOYMENT: recordFile,
      [rpcVariable]: rpc,
      PONDER_DATA_DIR: path.join(dataDir, "pglite"),
      PONDER_TELEMETRY_DISABLED: "true",
    },
  },
);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal === null ? 1 : 0)));
