/**
 * A local `hardhat node` as a child process, and the suite deployed to it by the `deploy` task: what `npm run app`
 * starts and stops. The CLI tests' harness (test/helpers/cli.ts) starts its nodes here too.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";

import type { HardhatUserConfig } from "hardhat/config";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";

import { parseDeploymentRecord, type DeploymentRecord } from "../../sdk/core/deployments.js";

const require = createRequire(import.meta.url);
/** Hardhat's command line, run with this process's Node: what `npx hardhat` runs, without npx. */
export const HARDHAT_CLI = path.join(path.dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");

/** `preferred` when nothing listens on it on 127.0.0.1, else a free port the system picks. */
export async function portOr(preferred: number): Promise<number> {
  const listen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.unref();
      server.once("error", () => resolve(undefined));
      server.listen(port, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address !== null ? address.port : undefined));
      });
    });
  const port = (await listen(preferred)) ?? (await listen(0));
  if (port === undefined) throw new Error("No free port on 127.0.0.1.");
  return port;
}

export interface LocalNode {
  url: string;
  port: number;
  process: ChildProcess;
  /** Stops the node (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `hardhat node` on 127.0.0.1:`port` (in `env`) and resolves once it serves JSON-RPC. */
export async function startHardhatNode(
  root: string,
  port: number,
  env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
): Promise<LocalNode> {
  const child = spawn(process.execPath, [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const collect = (d: Buffer) => {
      output += d.toString();
      if (output.includes("Started HTTP and WebSocket JSON-RPC server")) {
        child.stdout?.off("data", collect);
        resolve();
      }
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
    child.once("exit", (code) => reject(new Error(`hardhat node exited with ${code}:\n${output}`)));
  });
  // Its log of every request is not read: drain it so the pipe never fills.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * Deploys the suite to the node at `url` with ignition/parameters/localhost.json through the `deploy` task, as
 * network `network` (its record is written to deployments/<network>.json), and returns the record. The Ignition
 * journal is ignition/deployments/<deploymentId> (default: the task's, chain-<chain id>). What the task prints is
 * kept and shown only if it fails.
 */
export async function deployToNode(
  root: string,
  url: string,
  network = "localhost",
  deploymentId?: string,
): Promise<DeploymentRecord> {
  const { default: userConfig } = (await import("../../hardhat.config.js")) as { default: HardhatUserConfig };
  const config: HardhatUserConfig = {
    ...userConfig,
    networks: { ...userConfig.networks, [network]: { type: "http", chainType: "l1", url } },
  };
  const hre = await createHardhatRuntimeEnvironment(config, { network }, root);
  const printed: string[] = [];
  const { log, error } = console;
  console.log = (...parts: unknown[]) => void printed.push(parts.map(String).join(" "));
  console.error = console.log;
  let result: unknown;
  try {
    result = await hre.tasks.getTask("deploy").run({
      parameters: path.join(root, "ignition", "parameters", "localhost.json"),
      deploymentId,
      reset: true,
    });
  } finally {
    console.log = log;
    console.error = error;
  }
  if (typeof result === "object" && result !== null && "success" in result && result.success === false) {
    throw new Error(`The deploy task failed:\n${printed.join("\n")}`);
  }
  const file = path.join(root, "deployments", `${network}.json`);
  return parseDeploymentRecord(JSON.parse(await readFile(file, "utf8")), file);
}
