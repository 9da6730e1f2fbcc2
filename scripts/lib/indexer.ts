/**
 * The protocol's indexer (services/indexer, when the checkout has it) as a child process for `npm run app` and the
 * browser tests: started on a free port against a node and a deployment record, ready once it has indexed the
 * node's latest block. Without services/indexer there is nothing to start and the app reads its lists from the chain.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

import { portOr } from "./local-node.js";

export interface RunningIndexer {
  url: string;
  stop(): Promise<void>;
}

async function blockNumber(rpcUrl: string): Promise<number> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
  });
  return Number(((await response.json()) as { result: string }).result);
}

/** The highest block any chain of the indexer's `/status` has indexed, or -1 while it answers nothing. */
async function indexedBlock(url: string): Promise<number> {
  try {
    const status = (await (await fetch(`${url}/status`)).json()) as Record<string, { block?: { number?: number } }>;
    return Math.max(-1, ...Object.values(status).map((chain) => chain.block?.number ?? -1));
  } catch {
    return -1;
  }
}

/** Resolves once the indexer at `url` has indexed the latest block of the node at `rpcUrl`; false after `timeoutMs`. */
export async function indexerCaughtUp(url: string, rpcUrl: string, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const target = await blockNumber(rpcUrl);
  while ((await indexedBlock(url)) < target) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return true;
}

/**
 * Starts services/indexer against `rpcUrl` and `deploymentFile` (with a fresh database, in `dataDir` when given) and
 * waits (up to `timeoutMs`) until it has indexed the node's latest block; undefined when the checkout has no indexer.
 */
export async function startIndexer(
  root: string,
  options: { rpcUrl: string; deploymentFile: string; dataDir?: string; timeoutMs?: number },
): Promise<RunningIndexer | undefined> {
  if (!existsSync(path.join(root, "services", "indexer", "start.ts"))) return undefined;
  const port = await portOr(42069);
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    "npm",
    [
      "run",
      "--silent",
      "indexer",
      "--",
      "--deployment",
      options.deploymentFile,
      "--rpc",
      options.rpcUrl,
      "--port",
      String(port),
      ...(options.dataDir === undefined ? [] : ["--data-dir", options.dataDir]),
      "--fresh",
      "--log-format",
      "json",
    ],
    {
      cwd: root,
      env: { ...process.env, PONDER_TELEMETRY_DISABLED: "true", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group, so stopping it stops npm and the indexer under it.
      detached: true,
    },
  );
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-8_000)));
  child.stderr?.on("data", (d: Buffer) => (output = (output + d.toString()).slice(-8_000)));
  /** Stops npm and the indexer under it (its process group), and waits until every one of them has exited. */
  const stop = async () => {
    const group = child.pid;
    if (group === undefined) return;
    const alive = () => {
      try {
        process.kill(-group, 0);
        return true;
      } catch {
        return false;
      }
    };
    if (!alive()) return;
    process.kill(-group, "SIGTERM");
    const deadline = Date.now() + 15_000;
    while (alive()) {
      if (Date.now() > deadline) {
        process.kill(-group, "SIGKILL");
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The indexer exited with ${child.exitCode}:\n${output}`);
    if ((await indexedBlock(url)) >= (await blockNumber(options.rpcUrl))) return { url, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The indexer did not catch up with the node in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
