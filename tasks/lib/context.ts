import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import { parseDeploymentRecord, type DeploymentRecord } from "../../sdk/deployments.js";
import {
  AttributionOracle__factory,
  DatanetRegistry__factory,
  InferenceRouter__factory,
  ModelRegistry__factory,
  OpenToken__factory,
  ProtocolGovernor__factory,
  ProtocolTimelock__factory,
  StakedOpen__factory,
  type AttributionOracle,
  type DatanetRegistry,
  type InferenceRouter,
  type ModelRegistry,
  type OpenToken,
  type ProtocolGovernor,
  type ProtocolTimelock,
  type StakedOpen,
} from "../../types/ethers-contracts/index.js";
import { UserError, parseAddress } from "./cli.js";

export type Connection = NetworkConnection;

/** Everything a task needs: the network, the acting account and the suite's typed contracts. */
export interface ProtocolContext {
  connection: Connection;
  deployment: DeploymentRecord;
  signer: HardhatEthersSigner;
  openToken: OpenToken;
  stakedOpen: StakedOpen;
  governor: ProtocolGovernor;
  timelock: ProtocolTimelock;
  datanetRegistry: DatanetRegistry;
  modelRegistry: ModelRegistry;
  attributionOracle: AttributionOracle;
  inferenceRouter: InferenceRouter;
}

export function deploymentFile(root: string, network: string): string {
  return path.join(root, "deployments", `${network}.json`);
}

/** True for Hardhat's in-process simulated network, whose state ends with the process. */
export function isInProcess(connection: Connection): boolean {
  return connection.networkConfig.type === "edr-simulated";
}

export async function readDeployment(root: string, network: string): Promise<DeploymentRecord> {
  const file = deploymentFile(root, network);
  if (!existsSync(file)) {
    throw new UserError(
      `There is no deployment for network "${network}" (${path.relative(root, file)}); run \`npx hardhat deploy --network ${network}\` first.`,
    );
  }
  try {
    const json: unknown = JSON.parse(await readFile(file, "utf8"));
    return parseDeploymentRecord(json, path.relative(root, file));
  } catch (error) {
    const reason = error instanceof SyntaxError ? "it is not valid JSON" : (error as Error).message.replace(/\.$/, "");
    throw new UserError(
      `${reason}; redeploy with \`npx hardhat deploy --network ${network}\`.`.replace(
        /^it/,
        `${path.relative(root, file)}: it`,
      ),
    );
  }
}

export async function writeDeployment(root: string, record: DeploymentRecord): Promise<string> {
  const file = deploymentFile(root, record.network);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(record, null, 2) + "\n");
  return file;
}

/** Picks the acting account: `from` is an index into the network's accounts or one of their addresses. */
export async function resolveSigner(connection: Connection, from: string): Promise<HardhatEthersSigner> {
  const signers = await connection.ethers.getSigners();
  if (signers.length === 0) {
    throw new UserError(
      `Network "${connection.networkName}" has no accounts configured; set its private key variable.`,
    );
  }
  const text = from.trim();
  if (text === "") return signers[0] as HardhatEthersSigner;
  if (/^\d+$/.test(text)) {
    const signer = signers[Number(text)];
    if (signer === undefined) {
      throw new UserError(
        `--from ${text} is out of range: network "${connection.networkName}" has ${signers.length} account(s).`,
      );
    }
    return signer;
  }
  const address = parseAddress(text, "--from");
  const signer = signers.find((s) => s.address === address);
  if (signer === undefined) {
    throw new UserError(`--from ${address} is not an account this network can sign for.`);
  }
  return signer;
}

/** Binds the typed contracts of a deployment to a signer. */
export function bindContracts(
  connection: Connection,
  deployment: DeploymentRecord,
  signer: HardhatEthersSigner,
): ProtocolContext {
  const { addresses } = deployment;
  return {
    connection,
    deployment,
    signer,
    openToken: OpenToken__factory.connect(addresses.openToken, signer),
    stakedOpen: StakedOpen__factory.connect(addresses.stakedOpen, signer),
    governor: ProtocolGovernor__factory.connect(addresses.governor, signer),
    timelock: ProtocolTimelock__factory.connect(addresses.timelock, signer),
    datanetRegistry: DatanetRegistry__factory.connect(addresses.datanetRegistry, signer),
    modelRegistry: ModelRegistry__factory.connect(addresses.modelRegistry, signer),
    attributionOracle: AttributionOracle__factory.connect(addresses.attributionOracle, signer),
    inferenceRouter: InferenceRouter__factory.connect(addresses.inferenceRouter, signer),
  };
}

/**
 * Opens the selected network (`--network`), loads `deployments/<network>.json`, checks that it
 * matches the chain and that the contracts exist, and binds them to the `--from` account.
 */
export async function openProtocol(hre: HardhatRuntimeEnvironment, from = ""): Promise<ProtocolContext> {
  const connection = await hre.network.create();
  if (isInProcess(connection)) {
    throw new UserError(
      `Network "${connection.networkName}" lives only inside one command; start \`npx hardhat node --hostname 127.0.0.1\`, deploy with \`npx hardhat deploy --network localhost\`, and pass --network localhost.`,
    );
  }
  const deployment = await readDeployment(hre.config.paths.root, connection.networkName);
  const { chainId } = await connection.ethers.provider.getNetwork();
  if (chainId !== BigInt(deployment.chainId)) {
    throw new UserError(
      `deployments/${connection.networkName}.json is for chain ${deployment.chainId} but the network answers chain ${chainId}; redeploy or fix the RPC URL.`,
    );
  }
  const code = await connection.ethers.provider.getCode(deployment.addresses.openToken);
  if (code === "0x") {
    throw new UserError(
      `No contract is deployed at ${deployment.addresses.openToken} on "${connection.networkName}" (was the node restarted?); run \`npx hardhat deploy --network ${connection.networkName}\` again.`,
    );
  }
  const signer = await resolveSigner(connection, from);
  return bindContracts(connection, deployment, signer);
}
