/**
 * The CLI under test, two ways:
 *
 * - `CliNode`: a real `hardhat node` child process on a free port, the suite deployed to it by the `deploy` task,
 *   and a Hardhat runtime whose network `cli` points at it. `run(["datanet", "create"], {...})` runs a task the way
 *   the CLI does once Hardhat has parsed the command line (values already typed), capturing what it prints, and
 *   tells whether it failed. `sent()` says whether anything reached the chain since a block, so a test can check
 *   that bad input sends nothing. Fast enough to test every refusal.
 * - `spawnCli(...)`: the real `npx hardhat …` process, for what only the command line shows (Hardhat's own parsing,
 *   `--help`, exit codes).
 */
import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";

import { JsonRpcProvider, Wallet, type Signer } from "ethers";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import type { HardhatUserConfig } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { startHardhatNode, type LocalNode } from "../../scripts/lib/local-node.js";
import { createClient, type ProtocolClient } from "../../sdk/client/index.js";
import { parseDeploymentRecord, type DeploymentRecord } from "../../sdk/core/deployments.js";
import { readFile } from "node:fs/promises";

const require = createRequire(import.meta.url);
export const ROOT = path.resolve(import.meta.dirname, "..", "..");
const HARDHAT_CLI = path.join(path.dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");

/** The mnemonic accounts of `hardhat node` (Hardhat's default test mnemonic), by index. */
const NODE_KEYS = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
] as const;

/** What one task run printed and whether it succeeded. */
export interface CliRun {
  ok: boolean;
  /** stdout and stderr, in order, as one text. */
  output: string;
  /** What went to stderr alone (the one sentence of a refusal). */
  errors: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject()));
    });
  });
}

/** Environment for a child Hardhat process: no colours, no CI stack traces. */
function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", ...extra };
  delete env.CI;
  return env;
}

/** Runs `npx hardhat …args` as a child process in the repository. */
export function spawnCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [HARDHAT_CLI, ...args], { cwd: ROOT, env: childEnv(env) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export class CliNode {
  private constructor(
    readonly network: string,
    readonly url: string,
    readonly hre: HardhatRuntimeEnvironment,
    readonly provider: JsonRpcProvider,
    private readonly node: LocalNode,
    readonly deployment: DeploymentRecord,
  ) {}

  /**
   * Starts a node, deploys the suite with ignition/parameters/localhost.json through the `deploy` task, and
   * returns the harness. `network` names the network, its deployment file and its Ignition journal: each test
   * file takes its own, and `stop()` removes them.
   */
  static async start(network: string): Promise<CliNode> {
    const node = await startHardhatNode(ROOT, await freePort(), childEnv());
    const { url } = node;
    const { default: userConfig } = (await import("../../hardhat.config.js")) as { default: HardhatUserConfig };
    const config: HardhatUserConfig = {
      ...userConfig,
      networks: { ...userConfig.networks, [network]: { type: "http", chainType: "l1", url } },
    };
    const hre = await createHardhatRuntimeEnvironment(config, { network }, ROOT);
    const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    const harness = new CliNode(network, url, hre, provider, node, undefined as never);
    await CliNode.clean(network);
    const deployed = await harness.run("deploy", {
      parameters: path.join(ROOT, "ignition", "parameters", "localhost.json"),
      deploymentId: network,
      reset: true,
    });
    if (!deployed.ok) throw new Error(`deploy failed:\n${deployed.output}`);
    const record = parseDeploymentRecord(
      JSON.parse(await readFile(path.join(ROOT, "deployments", `${network}.json`), "utf8")),
      network,
    );
    return new CliNode(network, url, hre, provider, node, record);
  }

  private static async clean(network: string): Promise<void> {
    await rm(path.join(ROOT, "deployments", `${network}.json`), { force: true });
    await rm(path.join(ROOT, "deployments", network), { recursive: true, force: true });
    await rm(path.join(ROOT, "ignition", "deployments", network), { recursive: true, force: true });
  }

  /** Stops the node and removes the network's deployment file, folder and Ignition journal. */
  async stop(): Promise<void> {
    this.provider.destroy();
    await this.node.stop();
    await CliNode.clean(this.network);
  }

  /**
   * Runs a task with typed values, as the CLI does after parsing, and captures its output. A task that fails
   * returns `ok: false` (the CLI's exit 1); a task that throws is a bug and throws here too.
   */
  async run(id: string | string[], args: Record<string, unknown> = {}): Promise<CliRun> {
    const lines: string[] = [];
    const errors: string[] = [];
    const { log, error } = console;
    const format = (parts: unknown[]) => parts.map((p) => (typeof p === "string" ? p : String(p))).join(" ");
    console.log = (...parts: unknown[]) => void lines.push(format(parts));
    console.error = (...parts: unknown[]) => {
      const text = format(parts);
      lines.push(text);
      errors.push(text);
    };
    try {
      const result: unknown = await this.hre.tasks.getTask(id).run(args);
      const failed = typeof result === "object" && result !== null && "success" in result && result.success === false;
      return { ok: !failed, output: lines.join("\n"), errors: errors.join("\n") };
    } finally {
      console.log = log;
      console.error = error;
    }
  }

  /** Sends `signal` to the node's process: SIGSTOP and SIGCONT pause and resume the RPC endpoint. */
  signal(signal: NodeJS.Signals): void {
    this.node.process.kill(signal);
  }

  /** The latest block number. */
  async block(): Promise<number> {
    return this.provider.getBlockNumber();
  }

  /** True when a block was mined since `block` (the node automines: every transaction mines one). */
  async sentSince(block: number): Promise<boolean> {
    return (await this.block()) !== block;
  }

  /** Raw JSON-RPC, e.g. `rpc("evm_increaseTime", [3600])`. */
  rpc<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    return this.provider.send(method, params) as Promise<T>;
  }

  /** Moves the node's clock forward and mines a block. */
  async increaseTime(seconds: number | bigint): Promise<void> {
    await this.rpc("evm_increaseTime", [Number(seconds)]);
    await this.rpc("evm_mine");
  }

  /** The signer of the node's account `index` (0–5). */
  signer(index: number): Signer {
    const key = NODE_KEYS[index];
    if (key === undefined) throw new Error(`The harness knows accounts 0 to ${NODE_KEYS.length - 1}.`);
    return new Wallet(key, this.provider);
  }

  /** An SDK client on the deployment, acting as account `index`: to set up the world a task is run in. */
  client(index: number): ProtocolClient {
    return createClient({ deployment: this.deployment, provider: this.provider, signer: this.signer(index) });
  }
}
