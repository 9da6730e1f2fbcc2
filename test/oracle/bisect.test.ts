/**
 * A batch the router would refuse is bisected until the bad report stands alone: two oracle nodes (threshold 2 of
 * the world's 3 signers) run in this process, against a real `hardhat node`, so the test can give both the same
 * wrong report for one inference, as an engine bug shared by every node would. The batch holding it is refused
 * (the SDK decodes why, before anything is sent), the nodes propose halves, then halves of those, and every other
 * inference settles; the bad report alone is refused and kept out of later batches, and nothing is sent for it.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { expect } from "chai";

import { countTokens } from "../../attribution/index.js";
import { outputDomain, outputHashOf, signInferenceOutput, WEIGHT_SCALE } from "../../sdk/core/eip712.js";
import { InferenceStatus } from "../../sdk/core/enums.js";
import { inferenceIdOf, requestIdOf } from "../../sdk/core/inference.js";
import { OracleNode, createLogger, resolveConfig, serve } from "../../services/oracle/index.js";
import { CliNode, freePort } from "../helpers/cli.js";
import { CONTRIBUTIONS, ORACLE_ACCOUNTS, PAYER, nodeKey, setUpInferenceWorld } from "../helpers/cli-inference.js";
import { until } from "../helpers/oracle.js";

const CREATOR = 1;
const COUNT = 8;
/** Accepted in datanet 2, which model 1 is not trained on: a report of model 1 may never name it. */
const OTHER_DATANET_CONTRIBUTION = 6n;

describe("oracle nodes: a refused batch is bisected to isolate its bad report", function () {
  this.timeout(10 * 60_000);
  let cli: CliNode;
  let dir: string;
  const nodes: OracleNode[] = [];
  const servers: Server[] = [];
  const logs: Record<string, unknown>[][] = [[], []];

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "oracle-bisect-"));
    for (const [id, c] of Object.entries(CONTRIBUTIONS)) await writeFile(path.join(dir, `${id}.txt`), c.text);
    cli = await CliNode.start("oracle-bisect");
    await setUpInferenceWorld(cli, (id) => pathToFileURL(path.join(dir, `${id}.txt`)).href);
    await cli.rpc("evm_setIntervalMining", [1000]);
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    if (process.env.ORACLE_TEST_LOGS !== undefined) {
      for (const [i, lines] of logs.entries()) {
        const file = path.join(process.env.ORACLE_TEST_LOGS, `bisect-node-${i}.log`);
        await writeFile(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
      }
    }
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await cli?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("settles every other inference of the batch, and refuses the bad report alone", async () => {
    // Two of the three signers: every slot of the third passes with no leader, as when an operator is down.
    const ports = await Promise.all([0, 1].map(() => freePort()));
    for (const i of [0, 1]) {
      const config = resolveConfig(
        {
          port: String(ports[i]),
          peers: `http://127.0.0.1:${ports[1 - i]}`,
          database: "memory://",
          confirmations: "1",
          slotMs: "1000",
          pollMs: "100",
          // Long enough for the test to change the reports before a batch is full or due.
          maxBatchDelayMs: "8000",
          maxBatch: "100",
          logLevel: "info",
        },
        {},
        dir,
      );
      const log = createLogger("info", { node: i }, (line) =>
        logs[i]!.push(JSON.parse(line) as Record<string, unknown>),
      );
      const node = await OracleNode.open({
        config,
        rpcUrl: cli.url,
        deployment: cli.deployment,
        privateKey: nodeKey(ORACLE_ACCOUNTS[i]!),
        log,
      });
      nodes.push(node);
      const server = await serve(node, "127.0.0.1", ports[i]!);
      expect((server.address() as AddressInfo).port).to.equal(ports[i]);
      servers.push(server);
    }

    const domain = outputDomain(cli.deployment.chainId, cli.deployment.addresses.inferenceRouter);
    const payer = cli.client(PAYER);
    const paid: { id: bigint; text: string }[] = [];
    for (let i = 0; i < COUNT; i++) {
      const text = `Answer ${i}: ${CONTRIBUTIONS[1].text.replace(/^Precedent \d: /, "")}`;
      const requestId = requestIdOf(`oracle-bisect ${i}`)!;
      await payer.inference.pay(1n, 100n, BigInt(countTokens(text)), { requestId });
      paid.push({ id: inferenceIdOf(await cli.signer(PAYER).getAddress(), requestId), text });
    }
    for (const node of nodes) node.start();
    for (const { id, text } of paid) {
      const signature = await signInferenceOutput(
        domain,
        { inferenceId: id, outputHash: outputHashOf(text) },
        cli.signer(CREATOR),
      );
      for (const node of nodes) await node.acceptOutput({ inferenceId: id.toString(), text, signature });
    }
    await until("both nodes to attribute every output", async () => {
      const reports = await Promise.all(nodes.flatMap((n) => paid.map((p) => n.store.report(p.id))));
      return reports.every((r) => r !== undefined);
    });
    // The same wrong report on both nodes: it also names a contribution of another datanet.
    const bad = paid[5]!.id;
    const good = (await nodes[0]!.store.report(bad))!;
    const wrong = {
      ...good,
      contributionIds: [...good.contributionIds, OTHER_DATANET_CONTRIBUTION],
      weights: [...good.weights.map((w) => w / 2n), WEIGHT_SCALE / 4n],
    };
    for (const node of nodes) await node.store.saveReport(wrong);

    const router = cli.client(0).contracts.inferenceRouter;
    await until(
      "every other inference to settle, and the bad report to be refused",
      async () => {
        const statuses = await Promise.all(paid.map(async (p) => (await router.getInference(p.id)).status));
        const othersSettled = statuses.every((s, i) =>
          i === 5 ? s === InferenceStatus.Pending : s === InferenceStatus.Settled,
        );
        const refused = await Promise.all(
          nodes.map((n) => n.store.db.query(`SELECT refused FROM reports WHERE inference_id = $1`, [bad.toString()])),
        );
        return (
          othersSettled &&
          refused.some(([row]) => typeof (row as { refused?: unknown } | undefined)?.refused === "string")
        );
      },
      120_000,
    );

    const refusals = logs.flat().filter((l) => l.msg === "settlement refused");
    expect(refusals.length, "a batch, then smaller ones, then the report alone").to.be.at.least(2);
    for (const r of refusals) expect(r.code).to.equal("ContributionNotNameable");
    const sizes = refusals.map((r) => Number(r.reports));
    expect(Math.max(...sizes)).to.be.greaterThan(1);
    expect(sizes).to.include(1);
    // Nothing was sent for the bad report: every settlement transaction settled all it held.
    const settled = await router.queryFilter(router.filters.InferenceSettled(), cli.deployment.deployBlock);
    expect(settled.map((e) => e.args.inferenceId).sort()).to.deep.equal(
      paid
        .filter((p) => p.id !== bad)
        .map((p) => p.id)
        .sort(),
    );
    const skipped = await router.queryFilter(router.filters.ReportSkipped(), cli.deployment.deployBlock);
    expect(skipped).to.deep.equal([]);
  });
});
