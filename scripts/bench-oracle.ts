/**
 * `npm run bench:oracle`: the oracle network's throughput on a local node. A real `hardhat node`, the suite
 * deployed, the world of the CLI tests (model 1 on datanet 1), three `npx hardhat oracle start` processes
 * (threshold 2 of 3, PGlite each); BENCH_INFERENCES inferences (default 300) paid by eight payers at once through
 * the SDK, each output posted to every node as soon as it is paid. Prints inferences settled per minute, the median
 * and 95th percentile seconds from payment to settlement, and the gas per settled inference. A benchmark, not a test:
 * nothing is asserted but that everything settles.
 *
 * The harness (the node, the world, the oracle processes) is the end-to-end test's, from test/helpers.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { countTokens } from "../attribution/index.js";
import { outputDomain, outputHashOf, signInferenceOutput } from "../sdk/core/eip712.js";
import { inferenceIdOf, requestIdOf } from "../sdk/core/inference.js";
import { CliNode, freePort } from "../test/helpers/cli.js";
import {
  CONTRIBUTIONS,
  OPEN,
  ORACLE_ACCOUNTS,
  clientOf,
  nodeKey,
  nodeWallet,
  setUpInferenceWorld,
} from "../test/helpers/cli-inference.js";
import { OracleProcess, until } from "../test/helpers/oracle.js";

const COUNT = Number(process.env.BENCH_INFERENCES ?? 300);
const PAYERS = [4, 5, 6, 7, 8, 9, 10, 11];
const CREATOR = 1;

function outputText(i: number): string {
  const quote = (id: 1 | 2) => CONTRIBUTIONS[id].text.replace(/^Precedent \d: /, "");
  return i % 3 === 0
    ? `Answer ${i}: as held before, ${quote(1)}`
    : i % 3 === 1
      ? `Answer ${i}: note that ${quote(2)}`
      : `Answer ${i}: two rules apply. ${quote(1)} Moreover, ${quote(2)}`;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

const dir = await mkdtemp(path.join(tmpdir(), "oracle-bench-"));
for (const [id, c] of Object.entries(CONTRIBUTIONS)) await writeFile(path.join(dir, `${id}.txt`), c.text);
const cli = await CliNode.start("oracle-bench");
const nodes: OracleProcess[] = [];
try {
  const accounts = await setUpInferenceWorld(cli, (id) => pathToFileURL(path.join(dir, `${id}.txt`)).href);
  const foundation = cli.client(0);
  for (const p of PAYERS) await foundation.token.transfer(nodeWallet(p, cli.provider).address, OPEN("1000"));
  await cli.rpc("evm_setIntervalMining", [1000]);
  const ports = await Promise.all(ORACLE_ACCOUNTS.map(() => freePort()));
  ORACLE_ACCOUNTS.forEach((account, i) => {
    const peers = ports.filter((_, j) => j !== i).map((p) => `http://127.0.0.1:${p}`);
    nodes.push(
      new OracleProcess(
        `oracle ${i}`,
        ports[i]!,
        [
          "--network",
          "e2e",
          "--deployment",
          path.join(cli.hre.config.paths.root, "deployments", "oracle-bench.json"),
          "--port",
          String(ports[i]),
          "--peers",
          peers.join(","),
          "--data-dir",
          path.join(dir, `node-${i}`),
          "--confirmations",
          "1",
          "--slot",
          "2000",
          "--max-batch-delay",
          "1000",
          "--poll",
          "200",
          "--log-level",
          "warn",
        ],
        { E2E_RPC_URL: cli.url, ORACLE_PRIVATE_KEY: nodeKey(account) },
      ),
    );
  });
  await Promise.all(nodes.map((n) => n.start()));
  console.log(`Three oracle nodes up; paying ${COUNT} inferences from ${PAYERS.length} payers…`);

  const domain = outputDomain(cli.deployment.chainId, cli.deployment.addresses.inferenceRouter);
  const creator = cli.signer(CREATOR);
  const paidAt = new Map<bigint, number>();
  const postings: Promise<unknown>[] = [];
  const started = Date.now();
  await Promise.all(
    PAYERS.map(async (payer, lane) => {
      const client = clientOf(cli, payer);
      for (let i = lane; i < COUNT; i += PAYERS.length) {
        const text = outputText(i);
        const requestId = requestIdOf(`oracle-bench ${i}`)!;
        await client.inference.pay(1n, 100n, BigInt(countTokens(text)), { requestId });
        const id = inferenceIdOf(accounts[payer] ?? nodeWallet(payer, cli.provider).address, requestId);
        paidAt.set(id, Date.now());
        const signature = await signInferenceOutput(
          domain,
          { inferenceId: id, outputHash: outputHashOf(text) },
          creator,
        );
        postings.push(
          Promise.all(nodes.map((n) => n.post("/outputs", { inferenceId: id.toString(), text, signature }))),
        );
      }
    }),
  );
  await Promise.all(postings);

  const router = cli.client(0).contracts.inferenceRouter;
  const settledAt = new Map<bigint, number>();
  const transactions = new Set<string>();
  let from = cli.deployment.deployBlock;
  await until(
    `all ${COUNT} inferences to settle`,
    async () => {
      const head = await cli.provider.getBlockNumber();
      for (const e of await router.queryFilter(router.filters.InferenceSettled(), from, head)) {
        if (paidAt.has(e.args.inferenceId) && !settledAt.has(e.args.inferenceId)) {
          settledAt.set(e.args.inferenceId, Date.now());
          transactions.add(e.transactionHash);
        }
      }
      from = head + 1;
      return settledAt.size === COUNT;
    },
    30 * 60_000,
    200,
  );
  const finished = Math.max(...settledAt.values());
  let gas = 0n;
  for (const hash of transactions) gas += (await cli.provider.getTransactionReceipt(hash))!.gasUsed;
  const latencies = [...settledAt].map(([id, at]) => (at - paidAt.get(id)!) / 1000).sort((a, b) => a - b);
  const minutes = (finished - started) / 60_000;
  console.log(`Settled ${COUNT} inferences in ${transactions.size} settlement transactions (k = 2 of 3):`);
  console.log(`  throughput              ${(COUNT / minutes).toFixed(0)} inferences settled per minute`);
  console.log(
    `  payment → settlement    median ${quantile(latencies, 0.5).toFixed(1)} s, p95 ${quantile(latencies, 0.95).toFixed(1)} s`,
  );
  console.log(`  gas                     ${(gas / BigInt(COUNT)).toLocaleString("en-US")} per settled inference`);
  // The nodes cannot settle faster than inferences are paid: this is the load the payers put on them.
  const paying = (Math.max(...paidAt.values()) - started) / 60_000;
  console.log(
    `  payments                ${(COUNT / paying).toFixed(0)} per minute, from ${PAYERS.length} payers at once`,
  );
} finally {
  await Promise.all(nodes.map((n) => n.stop("SIGTERM")));
  await cli.stop();
  await rm(dir, { recursive: true, force: true });
}
