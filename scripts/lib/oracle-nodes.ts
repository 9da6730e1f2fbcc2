/**
 * Oracle nodes as an operator runs them: `npx hardhat oracle start` child processes, each with its key in the
 * ORACLE_PRIVATE_KEY configuration variable (an environment variable here) and its own PGlite folder. Their JSON
 * log lines are kept; `/health`, `/metrics` and `/outputs` are reached over HTTP. `startOracleNetwork` starts a
 * network of them, each naming the others as peers: what `npm run demo` runs, and the oracle tests' harness
 * (test/helpers/oracle.ts) starts its processes here too.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

import { HARDHAT_CLI, portOr } from "./local-node.js";

/** The repository: the folder the processes run in unless told otherwise. */
const REPOSITORY = path.resolve(import.meta.dirname, "..", "..");

/** Polls `condition` every `everyMs` until it holds, failing with `what` after `timeoutMs`. */
export async function until<T>(
  what: string,
  condition: () => Promise<T | undefined | false>,
  timeoutMs = 180_000,
  everyMs = 250,
): Promise<T> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`Timed out waiting for ${what}${last === undefined ? "" : `: ${String(last)}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export class OracleProcess {
  /** Every JSON log line the process printed, parsed; other output is in `text`. */
  readonly logs: Record<string, unknown>[] = [];
  text = "";
  private child: ChildProcess | undefined;
  /** Signals the child if this process exits first (an error, Ctrl-C): no node outlives its launcher. */
  private readonly orphanGuard = () => this.child?.kill("SIGTERM");

  /**
   * `args` are the options of `oracle start`; `env` is added to this process's environment (the key, the RPC URL
   * of the network named in `args`). The process runs in `root`, the repository unless told otherwise.
   */
  constructor(
    readonly name: string,
    readonly port: number,
    readonly args: readonly string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly root: string = REPOSITORY,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process (again, after a stop) and waits until /health answers. */
  async start(): Promise<void> {
    const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", ...this.env };
    delete env.CI;
    const child = spawn(process.execPath, [HARDHAT_CLI, "oracle", "start", ...this.args], { cwd: this.root, env });
    this.child = child;
    process.on("exit", this.orphanGuard);
    child.once("exit", () => process.off("exit", this.orphanGuard));
    let pending = "";
    const take = (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        this.text += line + "\n";
        try {
          this.logs.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // Not a log line (Hardhat's own output).
        }
      }
    };
    child.stdout?.on("data", take);
    child.stderr?.on("data", take);
    await until(
      `${this.name} to answer /health`,
      async () => {
        if (!this.running) throw new Error(`${this.name} exited:\n${this.text}`);
        const response = await fetch(`${this.url}/health`);
        return response.ok;
      },
      180_000,
      300,
    );
  }

  /**
   * Sends `signal` and waits for the process to exit; returns its exit code. With `graceMs`, a process still
   * running after that long is killed (SIGKILL).
   */
  async stop(signal: NodeJS.Signals = "SIGTERM", graceMs?: number): Promise<number | null> {
    const child = this.child;
    if (child === undefined || !this.running) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill(signal);
    if (graceMs === undefined) return exited;
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  async metrics(): Promise<Map<string, bigint>> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    const figures = new Map<string, bigint>();
    for (const line of text.split("\n")) {
      const match = /^(\w+) (\d+)$/.exec(line);
      if (match !== null) figures.set(match[1]!, BigInt(match[2]!));
    }
    return figures;
  }

  /** POSTs a JSON body (or raw text) to `route`; returns the status and parsed answer. */
  async post(
    route: string,
    body: unknown,
    contentType = "application/json",
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${this.url}${route}`, {
      method: "POST",
      headers: { "content-type": contentType },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
}

export interface OracleNetworkOptions {
  /** The Hardhat network the nodes follow (an http network of hardhat.config.ts). */
  network: string;
  /** Added to every node's environment: what points `network` at the chain (e.g. its RPC URL variable). */
  env?: NodeJS.ProcessEnv;
  /** The deployment record the nodes serve. */
  deployment: string;
  /** Each node's signer key, handed to it in ORACLE_PRIVATE_KEY: one node per key. */
  keys: readonly string[];
  /** A folder: node i keeps its PGlite database in <dataDir>/node-<i+1>. */
  dataDir: string;
  /** Options given to every node (e.g. ["--max-batch-delay", "4000"]). */
  options?: readonly string[];
  /** The folder the processes run in (default: the repository). */
  root?: string;
}

export interface OracleNetwork {
  nodes: OracleProcess[];
  /** Stops every node (SIGTERM, SIGKILL after 20 s) and resolves with their exit codes. */
  stop(): Promise<(number | null)[]>;
}

/**
 * Starts one node per key, each on a free port of 127.0.0.1 with the others as its peers, and resolves once all
 * answer /health. If one fails to start, those started are stopped and the failure is thrown.
 */
export async function startOracleNetwork(options: OracleNetworkOptions): Promise<OracleNetwork> {
  const ports: number[] = [];
  for (const _key of options.keys) {
    let port = await portOr(0);
    while (ports.includes(port)) port = await portOr(0);
    ports.push(port);
  }
  const nodes = options.keys.map((key, i) => {
    const peers = ports.filter((_, j) => j !== i).map((p) => `http://127.0.0.1:${p}`);
    const args = [
      "--network",
      options.network,
      "--deployment",
      options.deployment,
      "--port",
      String(ports[i]),
      ...(peers.length === 0 ? [] : ["--peers", peers.join(",")]),
      "--data-dir",
      path.join(options.dataDir, `node-${i + 1}`),
      ...(options.options ?? []),
    ];
    return new OracleProcess(
      `oracle node ${i + 1}`,
      ports[i]!,
      args,
      { ...options.env, ORACLE_PRIVATE_KEY: key },
      options.root,
    );
  });
  const stop = () => Promise.all(nodes.map((n) => n.stop("SIGTERM", 20_000)));
  const started = await Promise.allSettled(nodes.map((n) => n.start()));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed !== undefined) {
    await stop();
    throw failed.reason;
  }
  return { nodes, stop };
}
