import { readFile } from "node:fs/promises";
import path from "node:path";

import { Wallet } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseDeploymentRecord } from "../../sdk/core/deployments.js";
import { ConfigError, RequestError, resolveConfig, runOracle } from "../../services/oracle/index.js";
import { UserError, optional, runTask } from "../lib/cli.js";
import { isInProcess, readDeployment } from "../lib/context.js";
import { readConfigVariable } from "../lib/keys.js";

interface Args {
  key: string | undefined;
  port: string | undefined;
  host: string | undefined;
  peers: string | undefined;
  database: string | undefined;
  dataDir: string | undefined;
  confirmations: string | undefined;
  maxBatchDelay: string | undefined;
  maxBatch: string | undefined;
  slot: string | undefined;
  poll: string | undefined;
  deadline: string | undefined;
  replaceAfter: string | undefined;
  signerContract: string | undefined;
  ipfsGateway: string | undefined;
  texts: string | undefined;
  deployment: string | undefined;
  logLevel: string | undefined;
}

/** The configuration variable an oracle node's key is read from unless --key names another. */
export const DEFAULT_KEY_VARIABLE = "ORACLE_PRIVATE_KEY";

export default async function startAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const connection = await hre.network.create();
    if (isInProcess(connection) || connection.networkConfig.type !== "http") {
      throw new UserError(
        `An oracle node follows a real chain: start \`npx hardhat node --hostname 127.0.0.1\`, deploy, and pass --network localhost (not "${connection.networkName}").`,
      );
    }
    const rpcUrl = await connection.networkConfig.url.getUrl();
    const root = hre.config.paths.root;
    let deployment;
    if (args.deployment !== undefined) {
      const file = path.resolve(args.deployment);
      try {
        deployment = parseDeploymentRecord(JSON.parse(await readFile(file, "utf8")), path.relative(root, file));
      } catch (error) {
        throw new UserError(`--deployment ${args.deployment}: ${(error as Error).message}`);
      }
    } else {
      deployment = await readDeployment(root, connection.networkName);
    }
    const variable = optional(args.key) ?? DEFAULT_KEY_VARIABLE;
    const key = (await readConfigVariable(hre, variable)).trim();
    let signer: string;
    try {
      signer = new Wallet(key.startsWith("0x") ? key : `0x${key}`).address;
    } catch {
      throw new UserError(`The configuration variable ${variable} does not hold a private key (32 bytes of hex).`);
    }
    let config;
    try {
      config = resolveConfig(
        {
          port: args.port,
          host: args.host,
          peers: args.peers,
          database: args.database,
          dataDir: args.dataDir,
          confirmations: args.confirmations,
          maxBatchDelayMs: args.maxBatchDelay,
          maxBatch: args.maxBatch,
          slotMs: args.slot,
          pollMs: args.poll,
          deadlineSeconds: args.deadline,
          replaceAfterMs: args.replaceAfter,
          signerContract: args.signerContract,
          ipfsGateway: args.ipfsGateway,
          textsMirror: args.texts,
          logLevel: args.logLevel,
        },
        process.env,
        path.join(root, ".oracle", `${connection.networkName}-${signer.toLowerCase()}`),
      );
    } catch (error) {
      if (error instanceof ConfigError) throw new UserError(error.message);
      throw error;
    }
    try {
      await runOracle({ config, rpcUrl, deployment, privateKey: key });
    } catch (error) {
      if (error instanceof RequestError) throw new UserError(error.message);
      throw error;
    }
  });
}
