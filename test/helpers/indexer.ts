/**
 * The indexer under test as a real child process: `npm run indexer`'s launcher (services/indexer/start.ts), which
 * starts Ponder against a node and a deployment record, with PGlite in a fresh temporary folder (or the
 * PostgreSQL database of `env.DATABASE_URL`, its schemas reset). `caughtUp(block)`
 * waits until Ponder has indexed a block (`/ready` answers before recent blocks are indexed, so it compares
 * `/status` with the block asked for); `graphql` and `sql` query it over HTTP as a dapp does.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { ROOT, freePort } from "./cli.js";

const LAUNCHER = path.join(ROOT, "services", "indexer", "start.ts");

/** Thrown by a condition of `until` to stop waiting at once (e.g. the process waited on has exited). */
export class GaveUp extends Error {}

/**
 * Polls `condition` every `interval` ms until it holds or `timeout` ms pass; then fails with `what`. A condition
 * that throws is retried (a server not listening yet), unless it throws GaveUp.
 */
export async function until(
  what: string,
  condition: () => Promise<boolean>,
  { timeout = 60_000, interval = 250 } = {},
): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    let error: unknown;
    try {
      if (await condition()) return;
    } catch (e) {
      if (e instanceof GaveUp) throw e;
      error = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeout} ms waiting until ${what}${error ? `: ${String(error)}` : ""}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

export class IndexerProcess {
  private output = "";

  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly dataDir: string,
  ) {
    child.stdout?.on("data", (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (this.output += d.toString()));
  }

  /** Starts the launcher for `deploymentFile` on the node at `rpc`, and waits until its HTTP server answers. */
  static async start(deploymentFile: string, rpc: string, env: NodeJS.ProcessEnv = {}): Promise<IndexerProcess> {
    const port = await freePort();
    const dataDir = await mkdtemp(path.join(tmpdir(), "openledger-indexer-"));
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        LAUNCHER,
        "--deployment",
        deploymentFile,
        "--rpc",
        rpc,
        "--port",
        String(port),
        "--data-dir",
        dataDir,
        // A test's chain is new: in PostgreSQL, forget the cache of any chain indexed before.
        "--fresh",
        "--log-format",
        "json",
        "--log-level",
        "warn",
      ],
      { cwd: ROOT, env: { ...process.env, FORCE_COLOR: "0", DATABASE_URL: "", ...env } },
    );
    const indexer = new IndexerProcess(`http://127.0.0.1:${port}`, child, dataDir);
    await until(
      "the indexer answers /health",
      async () => {
        if (child.exitCode !== null) throw new GaveUp(`The indexer exited with ${child.exitCode}:\n${indexer.output}`);
        return (await fetch(`${indexer.url}/health`)).ok;
      },
      { timeout: 120_000 },
    );
    return indexer;
  }

  /** What the indexer printed so far (for a failing test's message). */
  get log(): string {
    return this.output;
  }

  /** The block Ponder has indexed up to, from `/status` (undefined before it has one). */
  async indexedBlock(): Promise<number | undefined> {
    const response = await fetch(`${this.url}/status`);
    if (!response.ok) return undefined;
    const status = (await response.json()) as Record<string, { block?: { number?: number } } | undefined>;
    const chain = Object.values(status)[0];
    return chain?.block?.number;
  }

  /** Waits until the indexer has indexed `block` and answers /ready. */
  async caughtUp(block: number, timeout = 60_000): Promise<void> {
    await until(
      `the indexer reaches block ${block}`,
      async () => {
        if (this.child.exitCode !== null) throw new GaveUp(`The indexer exited:\n${this.output}`);
        if (!(await fetch(`${this.url}/ready`)).ok) return false;
        return ((await this.indexedBlock()) ?? -1) >= block;
      },
      { timeout },
    );
  }

  /** A GraphQL query's `data`; fails on any GraphQL error. */
  async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(`${this.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors !== undefined || body.data === undefined) {
      throw new Error(`GraphQL failed: ${JSON.stringify(body.errors ?? body)}`);
    }
    return body.data;
  }

  /** Every row of a GraphQL list field (`datanets`, …), following the pages. */
  async all<T>(field: string, selection: string): Promise<T[]> {
    const rows: T[] = [];
    let after: string | null = null;
    for (;;) {
      const data: Record<string, { items: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }> =
        await this.graphql(
          `query ($after: String) { ${field}(limit: 1000, after: $after) { items { ${selection} } pageInfo { hasNextPage endCursor } } }`,
          { after },
        );
      const page = data[field];
      if (page === undefined) throw new Error(`No field ${field} in the GraphQL answer.`);
      rows.push(...page.items);
      if (!page.pageInfo.hasNextPage) return rows;
      after = page.pageInfo.endCursor;
    }
  }

  /** Read-only SQL over HTTP, the wire format of `@ponder/client` (superjson of `{ sql, params }`). */
  async sql(query: string, params: unknown[] = []): Promise<unknown> {
    const encoded = encodeURIComponent(JSON.stringify({ json: { sql: query, params } }));
    const response = await fetch(`${this.url}/sql/db?sql=${encoded}`);
    if (!response.ok) throw new Error(`SQL over HTTP failed (${response.status}): ${await response.text()}`);
    return response.json();
  }

  /** Resident memory of Ponder's process in bytes, from its Prometheus metrics. */
  async rss(): Promise<number | undefined> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    const match = /^process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(text);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  }

  /** Stops the indexer (SIGTERM to the launcher, which forwards it to Ponder) and removes its data folder. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once("exit", resolve));
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => this.child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
