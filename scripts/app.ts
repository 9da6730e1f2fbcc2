/**
 * `npm run app`: the web app on a local chain, in one command. Starts `hardhat node` on 127.0.0.1 (port 8545 when
 * free), deploys the suite with the `deploy` task, seeds the world of scripts/lib/world.ts, starts the indexer when
 * services/indexer exists, serves app/ with Vite and prints its URL. Ctrl-C stops everything.
 */
import path from "node:path";

import { JsonRpcProvider, Wallet } from "ethers";

import { createClient } from "../sdk/client/index.js";
import { ACTORS, nodeClock, nodeKey, seedWorld, type Actor } from "./lib/world.js";
import { serveApp, type ServedApp } from "./lib/app-server.js";
import { startIndexer, type RunningIndexer } from "./lib/indexer.js";
import { deployToNode, portOr, startHardhatNode, type LocalNode } from "./lib/local-node.js";

const root = path.resolve(import.meta.dirname, "..");
let node: LocalNode | undefined;
let indexer: RunningIndexer | undefined;
let app: ServedApp | undefined;

async function stop(code: number): Promise<never> {
  await app?.close().catch(() => undefined);
  await indexer?.stop().catch(() => undefined);
  await node?.stop().catch(() => undefined);
  process.exit(code);
}
process.once("SIGINT", () => void stop(0));
process.once("SIGTERM", () => void stop(0));

try {
  node = await startHardhatNode(root, await portOr(Number(process.env.APP_NODE_PORT ?? 8545)));
  console.log(`hardhat node on ${node.url}; deploying and seeding a small world…`);
  const deployment = await deployToNode(root, node.url, "localhost");
  const provider = new JsonRpcProvider(node.url, deployment.chainId, { staticNetwork: true, cacheTimeout: -1 });
  const wallets = new Map((Object.keys(ACTORS) as Actor[]).map((a) => [a, new Wallet(nodeKey(ACTORS[a]), provider)]));
  const wallet = (actor: Actor) => wallets.get(actor) as Wallet;
  const world = await seedWorld(
    (actor) => createClient({ deployment, provider, signer: wallet(actor) }),
    (actor) => wallet(actor).address,
    nodeClock(provider),
  );
  indexer = await startIndexer(root, {
    rpcUrl: node.url,
    deploymentFile: path.join(root, "deployments", "localhost.json"),
  });
  const names = Object.fromEntries([...wallets].map(([actor, w]) => [w.address.toLowerCase(), actor]));
  app = await serveApp(
    root,
    {
      deployment,
      rpcUrl: node.url,
      names,
      ...(indexer === undefined ? {} : { indexerUrl: indexer.url }),
    },
    { port: await portOr(Number(process.env.APP_PORT ?? 5173)), built: false },
  );
  console.log(
    `\nSeeded: datanet ${world.datanetId} (contributions ${world.contributionIds.join(", ")}; the last pending), ` +
      `model ${world.modelId} Active. Lists from ${indexer === undefined ? "the chain" : `the indexer at ${indexer.url}`}.`,
  );
  console.log(
    "Import an actor's key into your wallet (a local test key, never for real funds), network " + node.url + ":",
  );
  for (const [actor, w] of wallets) {
    if (!actor.startsWith("oracle")) console.log(`  ${actor.padEnd(10)} ${w.address}  ${w.privateKey}`);
  }
  if (node.port !== 8545) {
    console.log(`(The node is on port ${node.port}, not 8545: \`--network localhost\` tasks do not reach it.)`);
  }
  console.log(`\n${app.url}\n\nCtrl-C stops the app, the node${indexer === undefined ? "" : ", the indexer"}.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stop(1);
}
