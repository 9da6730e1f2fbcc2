/**
 * `npm run bench:oracle`: the oracle network's throughput on a local node. A real `hardhat node`, the suite
 * deployed, the world of the CLI tests (model 1 on datanet 1), three `npx hardhat oracle start` processes
 * (threshold 2 of 3, PGlite each, started by scripts/lib/oracle-nodes.ts as the demo starts them); BENCH_INFERENCES
 * inferences (default 600) paid through the SDK by BENCH_PAYERS payers at once (default 32), each output posted to
 * every node as soon as it is paid. Prints inferences settled per minute, the median and 95th percentile seconds
 * from payment to settlement (each settlement timed as it lands), and the gas per settled inference;
 * `npm run bench:oracle:readme` also writes them into README.md. A benchmark, not a test: nothing is asserted but
 * that everything settles. BENCH_LOGS=<folder> keeps the nodes' logs.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { MaxUint256, NonceManager } from "ethers";

import { countTokens } from "../attribution/index.js";
import { outputDomain, outputHashOf, signInferenceOutput } from "../sdk/core/eip712.js";
import { inferenceIdOf, requestIdOf } from "../sdk/core/inference.js";
import { table } from "../tasks/lib/table.js";
import { CliNode } from "../test/helpers/cli.js";
import {
  CONTRIBUTIONS,
  OPEN,
  ORACLE_ACCOUNTS,
  clientOf,
  nodeKey,
  nodeWallet,
  setUpInferenceWorld,
} from "../test/helpers/cli-inference.js";
import { startOracleNetwork, until, type OracleNetwork } from "./lib/oracle-nodes.js";
import { writeReadmeBlocks } from "./lib/readme.js";

const COUNT = Number(process.env.BENCH_INFERENCES ?? 1_200);
/** Payments per minute: the load offered to the oracle network. */
const RATE = Number(process.env.BENCH_RATE ?? 1_200);
/** The payers: accounts of the node's mnemonic past the twenty it funds, given ETH and OPEN here. */
const PAYERS = Array.from({ length: Number(process.env.BENCH_PAYERS ?? 32) }, (_, i) => 20 + i);
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
let network: OracleNetwork | undefined;
try {
  await setUpInferenceWorld(cli, (id) => pathToFileURL(path.join(dir, `${id}.txt`)).href);
  const foundation = cli.client(0);
  const payers = PAYERS.map((p) => new NonceManager(nodeWallet(p, cli.provider)));
  for (const payer of payers) {
    const address = await payer.getAddress();
    await cli.rpc("hardhat_setBalance", [address, "0x56bc75e2d63100000"]); // 100 ETH
    await foundation.token.transfer(address, OPEN("1000"));
    await clientOf(cli, 0)
      .contracts.openToken.connect(payer)
      .approve(cli.deployment.addresses.inferenceRouter, MaxUint256);
  }
  await cli.rpc("evm_setIntervalMining", [1000]);
  network = await startOracleNetwork({
    network: "e2e",
    env: {
      E2E_RPC_URL: cli.url,
      ...(process.env.BENCH_NODE_OPTIONS === undefined ? {} : { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS }),
    },
    deployment: path.join(cli.hre.config.paths.root, "deployments", "oracle-bench.json"),
    keys: ORACLE_ACCOUNTS.map((account) => nodeKey(account)),
    dataDir: dir,
    options: [
      "--confirmations",
      "1",
      "--slot",
      "2000",
      "--max-batch-delay",
      "1000",
      "--poll",
      "200",
      "--log-level",
      process.env.BENCH_LOG_LEVEL ?? "warn",
    ],
  });
  const { nodes } = network;
  console.log(`Three oracle nodes up; paying ${COUNT} inferences from ${PAYERS.length} payers…`);

  const domain = outputDomain(cli.deployment.chainId, cli.deployment.addresses.inferenceRouter);
  const creator = cli.signer(CREATOR);
  const paidAt = new Map<bigint, number>();
  const postings: Promise<unknown>[] = [];
  // Settlements are watched from the start, so each is timed when it lands, not when the payments are done.
  const router = foundation.contracts.inferenceRouter;
  const settledAt = new Map<bigint, number>();
  const transactions = new Set<string>();
  let from = cli.deployment.deployBlock;
  const watching = until(
    `all ${COUNT} inferences to settle`,
    async () => {
      const head = await cli.provider.getBlockNumber();
      for (const e of await router.queryFilter(router.filters.InferenceSettled(), from, head)) {
        if (!settledAt.has(e.args.inferenceId)) {
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
  // An open loop: inference i is paid at started + i / RATE, by payer i mod PAYERS, without waiting for the
  // earlier ones to be mined (each payer's nonces in order), so the load does not slow down when the chain does.
  const started = Date.now();
  const paying: Promise<void>[] = [];
  for (let i = 0; i < COUNT; i++) {
    const due = started + (i * 60_000) / RATE;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    const payer = payers[i % payers.length]!;
    const text = outputText(i);
    const requestId = requestIdOf(`oracle-bench ${i}`)!;
    const sent = router.connect(payer).payInference(1n, 100n, BigInt(countTokens(text)), requestId, MaxUint256);
    paying.push(
      (async () => {
        await (await sent).wait();
        const id = inferenceIdOf(await payer.getAddress(), requestId);
        paidAt.set(id, Date.now());
        const signature = await signInferenceOutput(
          domain,
          { inferenceId: id, outputHash: outputHashOf(text) },
          creator,
        );
        postings.push(
          Promise.all(nodes.map((n) => n.post("/outputs", { inferenceId: id.toString(), text, signature }))),
        );
      })(),
    );
  }
  await Promise.all(paying);
  const paid = (Math.max(...paidAt.values()) - started) / 60_000;
  await Promise.all(postings);
  await watching;

  const finished = Math.max(...settledAt.values());
  let gas = 0n;
  for (const hash of transactions) gas += (await cli.provider.getTransactionReceipt(hash))!.gasUsed;
  const latencies = [...settledAt].map(([id, at]) => (at - paidAt.get(id)!) / 1000).sort((a, b) => a - b);
  const minutes = (finished - started) / 60_000;
  const figures = [
    ["settled per minute", `${(COUNT / minutes).toFixed(0)} (target ≥ 1,000, k = 2 of 3)`],
    [
      "payment → settlement",
      `median ${quantile(latencies, 0.5).toFixed(1)} s, p95 ${quantile(latencies, 0.95).toFixed(1)} s`,
    ],
    ["gas per settled inference", `${(gas / BigInt(COUNT)).toLocaleString("en-US")}`],
    ["settlement transactions", `${transactions.size} (${(COUNT / transactions.size).toFixed(0)} inferences each)`],
    // The nodes cannot settle faster than inferences are paid: this is the load the payers put on them.
    ["payments", `${(COUNT / paid).toFixed(0)} per minute (offered: ${RATE}), from ${PAYERS.length} payers`],
  ];
  const machine = `${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} at the end`;
  const text = table(["measured", "value"], figures, ["l", "l"]);
  console.log(`\n${COUNT} inferences, three oracle nodes on one machine (${machine}):\n${text}`);
  if (process.env.BENCH_README === "1") {
    await writeReadmeBlocks({
      "oracle-bench": [
        "```",
        text,
        "```",
        "",
        `Measured by \`npm run bench:oracle\` (${COUNT} inferences) on ${machine}.`,
      ].join("\n"),
    });
    console.log("Wrote the figures into README.md.");
  }
} finally {
  await network?.stop();
  if (process.env.BENCH_LOGS !== undefined) {
    for (const n of network?.nodes ?? []) await writeFile(path.join(process.env.BENCH_LOGS, `${n.name}.log`), n.text);
  }
  await cli.stop();
  await rm(dir, { recursive: true, force: true });
}
