/**
 * Oracle nodes as the operator runs them: `npx hardhat oracle start` child processes, each with its key in the
 * ORACLE_PRIVATE_KEY configuration variable (an environment variable here) and its own PGlite folder. Their JSON
 * log lines are kept; `/health`, `/metrics` and `/outputs` are reached over HTTP.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

import { ROOT } from "./cli.js";

const require = createRequire(import.meta.url);
const HARDHAT_CLI = path.join(path.dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");

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

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly args: readonly string[],
    private readonly env: NodeJS.ProcessEnv,
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
    const child = spawn(process.execPath, [HARDHAT_CLI, "oracle", "start", ...this.args], { cwd: ROOT, env });
    this.child = child;
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

  /** Sends `signal` and waits for the process to exit; returns its exit code. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    const child = this.child;
    if (child === undefined || !this.running) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill(signal);
    return exited;
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
