/**
 * The oracle network end to end: a real `hardhat node` with the suite deployed, three `npx hardhat oracle start`
 * processes (threshold 2 of 3), each with its own key and PGlite folder. Contribution texts are fetched from a
 * file: URL, an http: URL and an IPFS gateway. Inferences are paid through the SDK and their outputs posted to every
 * node, signed by the model's creator; each must settle exactly once, with the weights a direct engine run gives,
 * and the ledger must balance to the wei. The node's HTTP refusals are checked on the same processes, and a node
 * killed with SIGKILL mid-run resumes from its database.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { expect } from "chai";
import { Wallet, keccak256, toUtf8Bytes } from "ethers";

import { attribute, buildIndex, countTokens } from "../../attribution/index.js";
import type { ContributionText } from "../../sdk/client/index.js";
import { outputDomain, outputHashOf, signInferenceOutput } from "../../sdk/core/eip712.js";
import { inferenceIdOf, requestIdOf } from "../../sdk/core/inference.js";
import { CliNode, freePort, spawnCli } from "../helpers/cli.js";
import { CONTRIBUTIONS, OPEN, ORACLE_ACCOUNTS, PAYER, nodeKey, setUpInferenceWorld } from "../helpers/cli-inference.js";
import { OracleProcess, until } from "../helpers/oracle.js";

/** Inferences paid in the main run: the issue asks for at least 100 (ORACLE_TEST_INFERENCES raises it). */
const INFERENCES = Number(process.env.ORACLE_TEST_INFERENCES ?? 100);
/** The model's creator (account 1 of the world) signs outputs; the payer pays, and a second payer with it. */
const CREATOR = 1;
/** The nodes' --replace-after: a settlement pending this long (ms) is resent with higher fees. */
const REPLACE_AFTER_MS = 3_000;
const SECOND_PAYER = 5;
/** Contribution ids whose texts are served over http: and through the IPFS gateway; the rest are file: URLs. */
const OVER_HTTP = "2";
const OVER_IPFS = "6";

/** The i-th output: quoting contribution 1, 2, both, the penalized 3, or nothing. */
function outputText(i: number): string {
  const quote = (id: keyof typeof CONTRIBUTIONS) => CONTRIBUTIONS[id].text.replace(/^Precedent \d: /, "");
  switch (i % 5) {
    case 0:
      return `Answer ${i}: as held before, ${quote(1)}`;
    case 1:
      return `Answer ${i}: note that ${quote(2)}`;
    case 2:
      return `Answer ${i}: two rules apply. ${quote(1)} Moreover, ${quote(2)}`;
    case 3:
      return `Answer ${i}: ${quote(3)}`;
    default:
      return `Answer ${i}: nothing in the datanet speaks to this question about the weather on day ${i}.`;
  }
}

describe("oracle network: three nodes, threshold 2", function () {
  this.timeout(15 * 60_000);
  let cli: CliNode;
  let dir: string;
  let server: Server;
  let nodes: OracleProcess[] = [];
  let accounts: string[];
  const paid: { id: bigint; text: string }[] = [];
  let ports: number[] = [];
  /** Node i's options, but its data folder. */
  let nodeArgs: (i: number) => string[] = () => [];
  /** Node i's environment: the RPC URL of the e2e network, and its key in ORACLE_PRIVATE_KEY. */
  const nodeEnv = (i: number) => ({ E2E_RPC_URL: cli.url, ORACLE_PRIVATE_KEY: nodeKey(ORACLE_ACCOUNTS[i]!) });
  /**
   * A node's database options: its own PGlite folder, or with ORACLE_TEST_POSTGRES_URL (a server URL whose user may
   * create databases) its own fresh database on that PostgreSQL server.
   */
  async function databaseOf(name: string): Promise<string[]> {
    const server = process.env.ORACLE_TEST_POSTGRES_URL;
    if (server === undefined) return ["--data-dir", path.join(dir, name)];
    const { default: pg } = await import("pg");
    const database = `oracle_e2e_${name.replace(/\W/g, "_")}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.query(`CREATE DATABASE ${database}`);
    } finally {
      await admin.end();
    }
    const url = new URL(server);
    url.pathname = `/${database}`;
    return ["--database", url.href];
  }
  const oracleAddress = (i: number) => new Wallet(nodeKey(ORACLE_ACCOUNTS[i]!)).address;

  /** The signers whose signatures settled inference `id`, from the settling transaction's calldata. */
  async function signersOf(id: bigint): Promise<string[]> {
    const router = cli.client(0).contracts.inferenceRouter;
    const [event] = await router.queryFilter(router.filters.InferenceSettled(id), cli.deployment.deployBlock);
    const tx = await cli.provider.getTransaction(event!.transactionHash);
    const call = router.interface.parseTransaction({ data: tx!.data });
    return [...(call!.args[1] as { signer: string }[])].map((s) => s.signer);
  }

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "oracle-network-"));
    // Texts served over HTTP: /texts/<id> directly, /ipfs/<cid> as an IPFS gateway.
    const httpPort = await freePort();
    server = createServer((req, res) => {
      const match = /^\/(texts|ipfs)\/(?:cid-)?(\d+)$/.exec(req.url ?? "");
      const c = match === null ? undefined : CONTRIBUTIONS[Number(match[2]) as keyof typeof CONTRIBUTIONS];
      if (c === undefined) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(c.text);
    });
    await new Promise<void>((resolve) => server.listen(httpPort, "127.0.0.1", resolve));
    const gateway = `http://127.0.0.1:${httpPort}`;
    for (const [id, c] of Object.entries(CONTRIBUTIONS)) await writeFile(path.join(dir, `${id}.txt`), c.text);

    cli = await CliNode.start("oracle-network");
    accounts = await setUpInferenceWorld(cli, (id) =>
      id === OVER_HTTP
        ? `${gateway}/texts/${id}`
        : id === OVER_IPFS
          ? `ipfs://cid-${id}`
          : pathToFileURL(path.join(dir, `${id}.txt`)).href,
    );
    await cli.client(0).token.transfer(accounts[SECOND_PAYER]!, OPEN("1000"));
    // Blocks also come without transactions, so the nodes' confirmation depth is reached.
    await cli.rpc("evm_setIntervalMining", [1000]);

    ports = await Promise.all(ORACLE_ACCOUNTS.map(() => freePort()));
    nodeArgs = (i: number) => [
      "--network",
      "e2e",
      "--deployment",
      path.join(cli.hre.config.paths.root, "deployments", "oracle-network.json"),
      "--port",
      String(ports[i]),
      "--peers",
      ports
        .filter((_, j) => j !== i)
        .map((p) => `http://127.0.0.1:${p}`)
        .join(","),
      "--confirmations",
      "1",
      "--slot",
      "2000",
      "--max-batch-delay",
      "500",
      "--poll",
      "200",
      "--replace-after",
      String(REPLACE_AFTER_MS),
      "--ipfs-gateway",
      gateway,
    ];
    const databases = await Promise.all(ORACLE_ACCOUNTS.map((_account, i) => databaseOf(`node-${i}`)));
    nodes = ORACLE_ACCOUNTS.map(
      (_account, i) => new OracleProcess(`oracle ${i}`, ports[i]!, [...nodeArgs(i), ...databases[i]!], nodeEnv(i)),
    );
    await Promise.all(nodes.map((n) => n.start()));
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.stop("SIGTERM")));
    if (process.env.ORACLE_TEST_LOGS !== undefined) {
      for (const n of nodes) await writeFile(path.join(process.env.ORACLE_TEST_LOGS, `${n.name}.log`), n.text);
    }
    server?.close();
    await cli?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const payer = () => cli.client(PAYER);
  const signOutput = async (inferenceId: bigint, text: string) =>
    signInferenceOutput(
      outputDomain(cli.deployment.chainId, cli.deployment.addresses.inferenceRouter),
      { inferenceId, outputHash: outputHashOf(text) },
      cli.signer(CREATOR),
    );

  async function pay(
    label: string,
    text: string,
    outputTokens = BigInt(countTokens(text)),
    from: number = PAYER,
  ): Promise<bigint> {
    const requestId = requestIdOf(`oracle-network ${label}`)!;
    await cli.client(from).inference.pay(1n, 100n, outputTokens, { requestId });
    const id = inferenceIdOf(accounts[from]!, requestId);
    paid.push({ id, text });
    return id;
  }

  describe("oracle start on this chain", () => {
    const refuses = async (args: string[], env: NodeJS.ProcessEnv, sentence: string) => {
      const { code, stderr } = await spawnCli(["oracle", "start", "--network", "e2e", ...args], {
        E2E_RPC_URL: cli.url,
        ...env,
      });
      expect(code, stderr).to.equal(1);
      expect(stderr.trim()).to.equal(`Error: ${sentence}`);
    };

    it("refuses a key that is not a registered oracle signer", async () => {
      const key = nodeKey(5);
      await refuses(
        ["--deployment", path.join(cli.hre.config.paths.root, "deployments", "oracle-network.json")],
        { ORACLE_PRIVATE_KEY: key },
        `${new Wallet(key).address} is not a registered oracle signer of this deployment: governance must add it first.`,
      );
    });

    it("refuses a deployment record whose contracts are not on the chain", async () => {
      const stale = path.join(dir, "stale.json");
      const oracle = `0x${"77".repeat(20)}`;
      const addresses = { ...cli.deployment.addresses, attributionOracle: oracle };
      await writeFile(stale, JSON.stringify({ ...cli.deployment, addresses }));
      await refuses(
        ["--deployment", stale],
        { ORACLE_PRIVATE_KEY: nodeKey(ORACLE_ACCOUNTS[0]) },
        `There is no AttributionOracle at ${oracle} on this chain: the deployment record is stale (was the node restarted?).`,
      );
    });
  });

  describe("the output API", () => {
    let inferenceId: bigint;
    const text = "An answer that quotes nobody at all.";

    before(async () => {
      inferenceId = await pay("api", text);
    });

    it("refuses an output signed by anyone but the model's creator, with one sentence", async () => {
      const signature = await signInferenceOutput(
        outputDomain(cli.deployment.chainId, cli.deployment.addresses.inferenceRouter),
        { inferenceId, outputHash: outputHashOf(text) },
        cli.signer(PAYER),
      );
      const answer = await nodes[0]!.post("/outputs", { inferenceId: inferenceId.toString(), text, signature });
      expect(answer.status).to.equal(403);
      expect(answer.body.error).to.match(
        new RegExp(`^The output must be signed by ${accounts[CREATOR]}, the creator of model 1`),
      );
    });

    it("refuses a signature over another text", async () => {
      const signature = await signOutput(inferenceId, "Another text.");
      const answer = await nodes[0]!.post("/outputs", { inferenceId: inferenceId.toString(), text, signature });
      expect(answer.status).to.equal(403);
    });

    for (const [what, body, status, sentence] of [
      [
        "an unknown inference",
        { inferenceId: "12345", text: "x", signature: `0x${"11".repeat(65)}` },
        404,
        "Inference 12345 was never paid on this deployment.",
      ],
      [
        "a malformed signature",
        { inferenceId: "1", text: "x", signature: "0x123" },
        400,
        "signature must be the model creator's signature in 0x hex: 65 bytes from an account, at most 4096 from a contract.",
      ],
      [
        "a malformed inference id",
        { inferenceId: "twelve", text: "x", signature: "0x" },
        400,
        "inferenceId must be a whole number below 2^256 (decimal or 0x hex).",
      ],
      [
        "an empty text",
        { inferenceId: "1", text: "", signature: "0x" },
        400,
        "text must be the output text, not empty.",
      ],
      ["a body that is not an object", [1, 2], 400, "The body must be a JSON object {inferenceId, text, signature}."],
      ["a body that is not JSON", "{ not json", 400, "The body is not valid JSON."],
    ] as const) {
      it(`refuses ${what}`, async () => {
        const answer = await nodes[1]!.post("/outputs", body);
        expect(answer).to.deep.equal({ status, body: { error: sentence } });
      });
    }

    it("refuses another content type, another method and another path", async () => {
      expect(await nodes[1]!.post("/outputs", "x", "text/plain")).to.deep.equal({
        status: 415,
        body: { error: "The body must be JSON, sent with content-type application/json." },
      });
      const get = await fetch(`${nodes[1]!.url}/outputs`);
      expect(get.status).to.equal(405);
      expect(((await get.json()) as { error: string }).error).to.equal("/outputs takes POST requests only.");
      expect((await fetch(`${nodes[1]!.url}/nowhere`)).status).to.equal(404);
    });

    it("takes the creator's output once, and refuses another output for the same inference", async () => {
      const body = { inferenceId: inferenceId.toString(), text, signature: await signOutput(inferenceId, text) };
      for (const node of nodes) expect((await node.post("/outputs", body)).status).to.equal(202);
      expect((await nodes[0]!.post("/outputs", body)).status, "the same output again").to.equal(200);
      const other = "A different answer.";
      const answer = await nodes[0]!.post("/outputs", {
        inferenceId: inferenceId.toString(),
        text: other,
        signature: await signOutput(inferenceId, other),
      });
      expect(answer.status).to.equal(409);
      expect(answer.body.error).to.match(/already has another output .*; an output is never replaced\.$/);
    });

    it("refuses a peer proposal that is not from a signer, with one sentence", async () => {
      const answer = await nodes[2]!.post("/peer/proposals", { slot: 1, kind: "report" });
      expect(answer.status).to.equal(400);
      expect(answer.body.error).to.be.a("string");
    });
  });

  describe("settlement", () => {
    let mismatched: bigint;

    it(`settles ${INFERENCES} inferences, each exactly once, while one node is killed and restarted`, async () => {
      const post = async (node: OracleProcess, { id, text }: { id: bigint; text: string }) => {
        const answer = await node.post("/outputs", {
          inferenceId: id.toString(),
          text,
          signature: await signOutput(id, text),
        });
        expect([200, 202, 409], JSON.stringify(answer.body)).to.include(answer.status);
        if (id === mismatched) expect(answer.body.warning).to.match(/was paid for 1000 output tokens/);
        return answer;
      };
      // The serving operator posts each output to the nodes as soon as it is paid, while payments go on.
      // Two payers pay at once, each in turn.
      const payAndPost = async (from: number, to: number, targets: OracleProcess[]) => {
        const postings: Promise<unknown>[] = [];
        const fresh: { id: bigint; text: string }[] = [];
        const lane = async (payerIndex: number, parity: number) => {
          for (let i = from; i < to; i++) {
            if (i % 2 !== parity) continue;
            const text = outputText(i);
            // The first is paid for more output tokens than its text has: the nodes flag it.
            const id = await pay(`inference ${i}`, text, i === 0 ? 1000n : undefined, payerIndex);
            if (i === 0) mismatched = id;
            fresh.push({ id, text });
            postings.push(Promise.all(targets.map((node) => post(node, { id, text }))));
          }
        };
        await Promise.all([lane(PAYER, 0), lane(SECOND_PAYER, 1)]);
        await Promise.all(postings);
        return fresh;
      };
      const half = Math.floor(INFERENCES / 2);
      await payAndPost(0, half, nodes);
      // Node 2 dies without warning mid-run; the other two keep settling (2 of 3 is the threshold).
      await nodes[2]!.stop("SIGKILL");
      const missed = await payAndPost(half, INFERENCES, nodes.slice(0, 2));
      // It restarts on its database, takes the outputs it missed, and catches up.
      await nodes[2]!.start();
      await Promise.all(missed.map((p) => post(nodes[2]!, p)));

      await until("every inference to settle", async () => {
        const statuses = await Promise.all(paid.map(async (p) => (await cli.client(0).inference.find(p.id))?.status));
        return statuses.every((s) => s === "Settled");
      });
    });

    it("settled each with the weights of a direct engine run, once", async () => {
      const client = cli.client(0);
      const router = client.contracts.inferenceRouter;
      const texts = new Map<bigint, ContributionText>(
        Object.entries(CONTRIBUTIONS).map(([id, c]) => [
          BigInt(id),
          { text: c.text, contentHash: keccak256(toUtf8Bytes(c.text)), source: `${id}.txt` },
        ]),
      );
      const index = buildIndex((await client.attribution.corpus([1n], texts)).documents);
      const check = async ({ id, text }: { id: bigint; text: string }) => {
        const events = await router.queryFilter(router.filters.InferenceSettled(id), cli.deployment.deployBlock);
        expect(events, `inference ${id} settled once`).to.have.length(1);
        const direct = await client.attribution.attribute(attribute, index, id, text, { settled: true });
        const tx = await cli.provider.getTransaction(events[0]!.transactionHash);
        const call = router.interface.parseTransaction({ data: tx!.data });
        const reports = (call?.name === "settle" ? [call.args[0]] : [...call!.args[0]]) as {
          inferenceId: bigint;
          outputHash: string;
          indexCommitment: string;
          contributionIds: bigint[];
          weights: bigint[];
        }[];
        const report = reports.find((r) => r.inferenceId === id)!;
        const expected = [...direct.attribution.weights].sort((a, b) => (a.contributionId < b.contributionId ? -1 : 1));
        expect(report.outputHash).to.equal(direct.attribution.outputHash);
        expect(report.indexCommitment).to.equal(direct.attribution.indexCommitment);
        expect([...report.contributionIds]).to.deep.equal(expected.map((w) => w.contributionId));
        expect([...report.weights]).to.deep.equal(expected.map((w) => w.weight));
      };
      // Ten at a time: each reads the chain a few times.
      for (let i = 0; i < paid.length; i += 10) await Promise.all(paid.slice(i, i + 10).map(check));
      const quoting = paid.filter((p) => /as held before|note that|two rules/.test(p.text));
      expect(quoting.length).to.be.greaterThan(0);
    });

    it("shows what happened in /metrics and /health, and sent each settlement from one node", async () => {
      await until("every node to see every settlement confirmed", async () => {
        const all = await Promise.all(nodes.map((n) => n.metrics()));
        return all.every((f) => f.get("oracle_inferences_settled_total") === BigInt(paid.length));
      });
      const figures = await Promise.all(nodes.map((n) => n.metrics()));
      for (const f of figures) {
        expect(f.get("oracle_inferences_seen_total")).to.equal(BigInt(paid.length));
        expect(f.get("oracle_inferences_pending")).to.equal(0n);
        expect(f.get("oracle_token_mismatches_total")).to.equal(1n);
        expect(f.get("oracle_contributions_refused_total")).to.equal(0n);
        expect(f.get("oracle_disagreements_total")).to.equal(0n);
      }
      const sent = figures.reduce((sum, f) => sum + (f.get("oracle_settlements_sent_total") ?? 0n), 0n);
      expect(sent).to.be.greaterThan(0n);
      const gas = figures.reduce((sum, f) => sum + (f.get("oracle_gas_spent_wei_total") ?? 0n), 0n);
      expect(gas).to.be.greaterThan(0n);
      const health = (await (await fetch(`${nodes[0]!.url}/health`)).json()) as Record<string, unknown>;
      expect(health).to.include({ status: "ok", chainId: cli.deployment.chainId });
      // Every log line is one JSON object with a time, a level and a message.
      for (const node of nodes) {
        expect(node.logs.length).to.be.greaterThan(0);
        for (const entry of node.logs) expect(entry).to.include.keys("time", "level", "msg");
      }
    });

    it("refuses an output for a settled inference", async () => {
      const { id, text } = paid[paid.length - 1]!;
      const answer = await nodes[0]!.post("/outputs", {
        inferenceId: id.toString(),
        text: `${text} (again)`,
        signature: await signOutput(id, `${text} (again)`),
      });
      expect(answer.status).to.equal(409);
    });

    it("stops gracefully on SIGTERM", async () => {
      expect(await nodes[1]!.stop("SIGTERM")).to.equal(0);
      expect(nodes[1]!.logs.some((l) => l.msg === "oracle node stopped")).to.equal(true);
    });
  });

  describe("faults", () => {
    /** Posts each output, signed by the model's creator, to each of `targets`, which must take it (202). */
    async function postOutputs(outputs: readonly { id: bigint; text: string }[], targets: readonly OracleProcess[]) {
      for (const { id, text } of outputs) {
        for (const node of targets) {
          const answer = await node.post("/outputs", {
            inferenceId: id.toString(),
            text,
            signature: await signOutput(id, text),
          });
          expect(answer.status, JSON.stringify(answer.body)).to.equal(202);
        }
      }
    }

    /**
     * Pays `count` inferences with texts of `textOf`, posts each output to `targets`, waits for all to settle. With
     * `first`, it gets the outputs first, and the others only once it has attributed them all.
     */
    async function settleMore(
      label: string,
      count: number,
      textOf: (i: number) => string,
      targets: OracleProcess[],
      first?: OracleProcess,
    ) {
      const fresh: { id: bigint; text: string }[] = [];
      for (let i = 0; i < count; i++) {
        const text = textOf(i);
        fresh.push({ id: await pay(`${label} ${i}`, text), text });
      }
      const ordered = first === undefined ? [targets] : [[first], targets.filter((t) => t !== first)];
      for (const group of ordered) {
        await postOutputs(fresh, group);
        if (first !== undefined && group.length === 1 && group[0] === first) {
          await until(`${first.name} to attribute the ${label} outputs`, async () => {
            const found = await Promise.all(fresh.map(async (p) => (await fetch(`${first.url}/reports/${p.id}`)).ok));
            return found.every((ok) => ok);
          });
        }
      }
      await until(`the ${label} inferences to settle`, async () => {
        const statuses = await Promise.all(fresh.map(async (p) => (await cli.client(0).inference.find(p.id))?.status));
        return statuses.every((s) => s === "Settled");
      });
      return fresh;
    }

    it("settles without a node stopped for good: its leader slots pass to the others", async () => {
      expect(nodes[1]!.running).to.equal(false);
      await settleMore("leader gone", 5, (i) => outputText(i + 100), [nodes[0]!, nodes[2]!]);
    });

    it("a node holding a tampered text refuses it, never signs other weights, and says so; the others settle", async () => {
      const mirror = path.join(dir, "tampered");
      await mkdir(mirror);
      await writeFile(path.join(mirror, "1.txt"), `${CONTRIBUTIONS[1].text} Tampered with.`);
      const port = nodes[1]!.port;
      // The same operator's key, a fresh database and a local mirror of texts holding the tampered one.
      nodes[1] = new OracleProcess(
        "oracle 1 (tampered)",
        port,
        [...nodeArgs(1), ...(await databaseOf("node-1-tampered")), "--texts", mirror],
        nodeEnv(1),
      );
      await nodes[1].start();
      await until("the tampered text to be refused", async () => {
        return (await nodes[1]!.metrics()).get("oracle_contributions_refused_total") === 1n;
      });
      expect(nodes[1].logs.some((l) => l.level === "error" && l.contributionId === "1")).to.equal(true);
      // It has attributed every output before the others see them: each proposal of theirs reaches it ready to compare.
      const fresh = await settleMore("tampered", 6, (i) => outputText(5 * i), nodes, nodes[1]);
      await until("the tampered node to report its disagreement", async () => {
        return ((await nodes[1]!.metrics()).get("oracle_disagreements_total") ?? 0n) > 0n;
      });
      // Its own attribution names another index: the disagreement is explainable.
      const { id } = fresh[0]!;
      const settled = (await cli.client(0).inference.inference(id)).settlement!;
      const theirs = (await (await fetch(`${nodes[1].url}/reports/${id}`)).json()) as { indexCommitment: string };
      expect(theirs.indexCommitment).not.to.equal(settled.indexCommitment);
      for (const { id: settledId } of fresh) {
        const signers = await signersOf(settledId);
        expect(
          signers.map((s) => s.toLowerCase()),
          "the tampered node signed",
        ).not.to.include(oracleAddress(1).toLowerCase());
      }
    });

    it("survives the RPC node paused for several seconds, and settles what comes after", async () => {
      cli.signal("SIGSTOP");
      // The fault lasts this long; nothing is asserted on timing.
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      cli.signal("SIGCONT");
      await settleMore("after the pause", 3, (i) => outputText(i + 200), nodes);
      for (const node of nodes) expect(node.running, node.name).to.equal(true);
    });

    it("replaces a settlement stuck unmined with higher fees, same nonce: only one of them is ever mined", async () => {
      const fresh: { id: bigint; text: string }[] = [];
      for (let i = 0; i < 3; i++)
        fresh.push({ id: await pay(`stuck ${i}`, outputText(i + 300)), text: outputText(i + 300) });
      await cli.rpc("evm_mine");
      await until("every node to see the payments", async () => {
        const seen = await Promise.all(nodes.map(async (n) => (await n.metrics()).get("oracle_inferences_seen_total")));
        return seen.every((count) => count !== undefined && count >= BigInt(paid.length));
      });
      // Nothing is mined from now on: the settlement stays in the node's mempool.
      await cli.rpc("evm_setIntervalMining", [0]);
      await cli.rpc("evm_setAutomine", [false]);
      const mark = nodes.map((n) => n.logs.length);
      const since = (i: number) => nodes[i]!.logs.slice(mark[i]);
      try {
        await postOutputs(fresh, nodes);
        const replaced = await until("a pending settlement to be replaced", async () => {
          for (const i of nodes.keys()) {
            const line = since(i).find((l) => l.msg === "settlement not mined: replaced");
            if (line !== undefined) return { node: i, line };
          }
          return undefined;
        });
        const { line } = replaced;
        // A replacement must raise both fees by more than 10% to be accepted; the node raises them by 12.5%.
        const fee = (key: string) => BigInt(String(line[key]));
        expect(fee("maxFeePerGas") * 8n).to.be.at.least(fee("replacedMaxFeePerGas") * 9n);
        expect(fee("maxPriorityFeePerGas") * 8n).to.be.at.least(fee("replacedMaxPriorityFeePerGas") * 9n);
        const replacement = await cli.provider.getTransaction(String(line.tx));
        expect(replacement?.nonce).to.equal(Number(line.nonce));
        expect(replacement?.from).to.equal(oracleAddress(replaced.node));
        const router = cli.client(0).contracts.inferenceRouter;
        expect(router.interface.parseTransaction({ data: replacement!.data })?.name).to.match(/^settle(Batch)?$/);
        const metrics = await nodes[replaced.node]!.metrics();
        expect(metrics.get("oracle_settlements_replaced_total")).to.be.at.least(1n);
        expect(metrics.get("oracle_settlements_pending")).to.equal(1n);
      } finally {
        await cli.rpc("evm_setAutomine", [true]);
        await cli.rpc("evm_setIntervalMining", [1000]);
      }
      await until("the stuck inferences to settle", async () => {
        const statuses = await Promise.all(fresh.map(async (p) => (await cli.client(0).inference.find(p.id))?.status));
        return statuses.every((s) => s === "Settled");
      });
      // Of each nonce's transactions (a settlement and its replacements), exactly one was mined.
      for (const i of nodes.keys()) {
        const lines = since(i).filter((l) => l.msg === "settlement not mined: replaced");
        const byNonce = new Map<number, Set<string>>();
        for (const l of lines) {
          const same = byNonce.get(Number(l.nonce)) ?? new Set<string>();
          byNonce.set(Number(l.nonce), same.add(String(l.replaces)).add(String(l.tx)));
        }
        for (const [nonce, same] of byNonce) {
          const receipts = await Promise.all([...same].map((h) => cli.provider.getTransactionReceipt(h)));
          expect(
            receipts.filter((r) => r !== null),
            `${nodes[i]!.name}, nonce ${nonce}`,
          ).to.have.length(1);
        }
      }
    });

    it("warns of an inference whose output never arrived before its window closes", async () => {
      const requestId = requestIdOf("oracle-network forgotten")!;
      await payer().inference.pay(1n, 100n, 10n, { requestId });
      const forgotten = inferenceIdOf(accounts[PAYER]!, requestId);
      const window = await cli.client(0).contracts.inferenceRouter.attributionWindow();
      await cli.increaseTime(window - 1800n);
      await until("a node to warn of the missing output", async () =>
        nodes.some((n) =>
          n.logs.some(
            (l) =>
              l.msg === "no output yet for an inference whose window is closing" &&
              l.inferenceId === forgotten.toString(),
          ),
        ),
      );
      await until(
        "/metrics to count it",
        async () => ((await nodes[0]!.metrics()).get("oracle_outputs_missing") ?? 0n) >= 1n,
      );
    });

    it("balances the ledger to the wei, with nothing settled twice", async () => {
      const router = cli.client(0).contracts.inferenceRouter;
      const events = await router.queryFilter(router.filters.InferenceSettled(), cli.deployment.deployBlock);
      const ids = events.map((e) => e.args.inferenceId);
      expect(new Set(ids).size).to.equal(ids.length);
      expect(new Set(ids)).to.deep.equal(new Set(paid.map((p) => p.id)));
      const report = await cli.client(0).ledger.check();
      const broken = [...report.laws, ...report.fees].filter((c) => !c.holds);
      const show = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
      expect(broken, show(broken)).to.deep.equal([]);
      expect(report.fees, "every paid inference, and the forgotten one").to.have.length(paid.length + 1);
      expect(report.holds).to.equal(true);
    });
  });
});
