/**
 * The oracle node service: `runOracle` opens the node, serves its HTTP API, follows the chain and settles until
 * SIGTERM or SIGINT, then finishes the step in progress, closes the server and the database, and resolves.
 * `npx hardhat oracle start` calls it with the key it read from a configuration variable.
 */
import type { AddressInfo } from "node:net";

import { serve } from "./http.js";
import { OracleNode, type NodeOptions } from "./node.js";

export { ConfigError, ENVIRONMENT, resolveConfig, type OracleConfig, type RawConfig } from "./config.js";
export { openDatabase, type Database } from "./db.js";
export { createLogger, type Logger } from "./log.js";
export { OracleNode, RequestError, type NodeOptions } from "./node.js";
export { serve } from "./http.js";
export { OracleStore } from "./store.js";

/** Runs a node until `signal` aborts or the process receives SIGTERM/SIGINT. */
export async function runOracle(options: NodeOptions, signal?: AbortSignal): Promise<void> {
  const node = await OracleNode.open(options);
  const server = await serve(node, options.config.host, options.config.port);
  const { port } = server.address() as AddressInfo;
  node.log.info("oracle node listening", { url: `http://${options.config.host}:${port}` });
  node.start();
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once("SIGTERM", done);
    process.once("SIGINT", done);
    signal?.addEventListener("abort", done, { once: true });
  });
  node.log.info("shutting down");
  // Stop taking requests, let those in flight finish (at most 5 s), then stop the node's loop and its database.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), 5_000);
  await closed;
  clearTimeout(force);
  await node.stop();
}
