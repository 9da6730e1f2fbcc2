import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";

import { isAddress } from "ethers";

import ProtocolModule from "../../ignition/modules/Protocol.js";
import type { DeploymentRecord } from "../../sdk/core/deployments.js";
import { UserError } from "./cli.js";
import { type Connection, LOCAL_CHAIN_IDS, deploymentFile, isInProcess } from "./context.js";

/** Ignition module parameters: module id → parameter name → value. */
export type ModuleParameters = Record<string, Record<string, unknown>>;

/**
 * Reads an Ignition parameters file. As in Ignition's own CLI, a string of digits ending in "n"
 * ("10000000000000000000000n") is a bigint.
 */
export async function readParameters(file: string): Promise<ModuleParameters> {
  if (!existsSync(file)) throw new UserError(`The parameters file ${file} does not exist.`);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch {
    throw new UserError(`The parameters file ${file} is not valid JSON.`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new UserError(`The parameters file ${file} must hold an object of module ids.`);
  }
  const result: ModuleParameters = {};
  for (const [moduleId, values] of Object.entries(json)) {
    if (typeof values !== "object" || values === null || Array.isArray(values)) {
      throw new UserError(`In ${file}, "${moduleId}" must map parameter names to values.`);
    }
    result[moduleId] = Object.fromEntries(
      Object.entries(values as Record<string, unknown>).map(([name, value]) => [
        name,
        typeof value === "string" && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value,
      ]),
    );
  }
  return result;
}

/** `ignition/parameters/<network>.json` when it exists. */
export function defaultParametersFile(root: string, network: string): string | undefined {
  const file = path.join(root, "ignition", "parameters", `${network}.json`);
  return existsSync(file) ? file : undefined;
}

function stringify(parameters: ModuleParameters): Record<string, Record<string, string>> {
  return Object.fromEntries(
    Object.entries(parameters).map(([id, values]) => [
      id,
      Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])),
    ]),
  );
}

/** Chain ids of local development nodes, whose state is lost when the node restarts. */
const DEV_CHAIN_IDS = new Set([31337n, 1337n]);

/**
 * Makes sure an existing Ignition journal still describes this chain. A local node that restarted has
 * lost the contracts the journal recorded: its journal is discarded (dev chains) or the user is told
 * to pass --reset (other chains, where that would be surprising).
 */
async function checkJournal(
  connection: Connection,
  journalDir: string,
  chainId: bigint,
  reset: boolean,
): Promise<void> {
  if (!existsSync(journalDir)) return;
  if (reset) {
    await rm(journalDir, { recursive: true, force: true });
    console.log(`Discarded the previous Ignition journal ${journalDir} (--reset).`);
    return;
  }
  const addressesFile = path.join(journalDir, "deployed_addresses.json");
  if (!existsSync(addressesFile)) return;
  const recorded = Object.values(JSON.parse(await readFile(addressesFile, "utf8")) as Record<string, string>);
  const missing = [];
  for (const address of recorded) {
    if ((await connection.ethers.provider.getCode(address)) === "0x") missing.push(address);
  }
  if (missing.length === 0) return;
  if (DEV_CHAIN_IDS.has(chainId)) {
    await rm(journalDir, { recursive: true, force: true });
    console.log("The local node no longer has the previous deployment (it was restarted): deploying afresh.");
    return;
  }
  throw new UserError(
    `The Ignition journal ${journalDir} records contracts that chain ${chainId} does not have (${missing[0]}); pass --reset to deploy afresh.`,
  );
}

/** A public chain is deployed only with a parameters file: its oracle signers and guardian are the operator's. */
export function requireParametersFile(network: string, chainId: number, file: string | undefined): void {
  if (file !== undefined || LOCAL_CHAIN_IDS.has(chainId)) return;
  throw new UserError(
    `Network "${network}" (chain ${chainId}) has no parameters file: copy ` +
      `ignition/parameters/testnet.example.json to ignition/parameters/${network}.json, ` +
      `set its oracle signers and guardian, and deploy again.`,
  );
}

/** Parameters that hold one address (the zero address allowed: no guardian). */
const ADDRESS_PARAMETERS: readonly [string, string][] = [
  ["Governance", "tokenRecipient"],
  ["Governance", "guardian"],
  ["Registries", "guardian"],
  ["Inference", "guardian"],
];

/** Durations in seconds the contracts bound, checked before anything is deployed: [module, name, min, max]. */
const DURATION_PARAMETERS: readonly [string, string, bigint, bigint][] = [
  // StakedOpen.MIN_REWARD_PERIOD and MAX_REWARD_PERIOD: fixed at deployment.
  ["Governance", "rewardPeriod", 3_600n, 30n * 86_400n],
  // StakedOpen.MIN_COOLDOWN and MAX_COOLDOWN.
  ["Governance", "unstakeCooldown", 3_600n, 90n * 86_400n],
  // InferenceRouter.MIN_ATTRIBUTION_WINDOW and MAX_ATTRIBUTION_WINDOW.
  ["Inference", "attributionWindow", 3_600n, 90n * 86_400n],
];

/**
 * Checks the parameters before anything is sent: every address parameter is an address, the bounded
 * durations are whole seconds within the contracts' bounds (a constructor revert would leave a partial
 * deployment), and the one parameter without a default, the attribution oracle's signers, is a non-empty
 * list of distinct non-zero addresses with a threshold (default 1) between 1 and their number.
 */
export function checkDeployParameters(parameters: ModuleParameters): void {
  for (const [moduleId, name] of ADDRESS_PARAMETERS) {
    const value = parameters[moduleId]?.[name];
    if (value !== undefined && (typeof value !== "string" || !isAddress(value))) {
      throw new UserError(`${moduleId}.${name} is ${JSON.stringify(value)}, which is not an address.`);
    }
  }
  for (const [moduleId, name, min, max] of DURATION_PARAMETERS) {
    const value = parameters[moduleId]?.[name];
    if (value === undefined) continue;
    const seconds =
      typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value)) ? BigInt(value) : -1n;
    if (seconds < min || seconds > max) {
      throw new UserError(
        `${moduleId}.${name} must be a whole number of seconds from ${min} to ${max}, not ${JSON.stringify(typeof value === "bigint" ? String(value) : value)}.`,
      );
    }
  }
  const inference = parameters["Inference"] ?? {};
  const signers = inference["oracleSigners"];
  if (!Array.isArray(signers) || signers.length === 0) {
    throw new UserError(
      "The parameters must set Inference.oracleSigners, the addresses of the attribution oracle's signers " +
        "(see ignition/parameters/testnet.example.json).",
    );
  }
  for (const signer of signers) {
    if (typeof signer !== "string" || !isAddress(signer) || BigInt(signer) === 0n) {
      throw new UserError(`Inference.oracleSigners holds ${JSON.stringify(signer)}, which is not a signer's address.`);
    }
  }
  if (new Set(signers.map((a: string) => a.toLowerCase())).size !== signers.length) {
    throw new UserError("Inference.oracleSigners names the same address twice.");
  }
  const threshold = inference["oracleThreshold"] ?? 1;
  const k = typeof threshold === "bigint" || typeof threshold === "number" ? BigInt(threshold) : -1n;
  if (k < 1n || k > BigInt(signers.length)) {
    throw new UserError(
      `Inference.oracleThreshold must be between 1 and the ${signers.length} oracle signer(s), not ${String(threshold)}.`,
    );
  }
}

/**
 * Deploys (or, on a persistent network, resumes deploying) the whole suite through the Protocol
 * Ignition module and returns its deployment record. On a persistent network Ignition journals
 * every step under ignition/deployments/chain-<id>/, so a re-run deploys only what is missing.
 */
export async function deploySuite(
  connection: Connection,
  parameters: ModuleParameters,
  options: { root: string; displayUi?: boolean; reset?: boolean; deploymentId?: string },
): Promise<DeploymentRecord> {
  const { ethers, ignition, networkName } = connection;
  checkDeployParameters(parameters);
  const { chainId } = await ethers.provider.getNetwork();
  const deploymentId = options.deploymentId ?? `chain-${chainId}`;
  if (!isInProcess(connection)) {
    await checkJournal(
      connection,
      path.join(options.root, "ignition", "deployments", deploymentId),
      chainId,
      options.reset ?? false,
    );
  }

  // A lower bound for event queries: the previous record's block when resuming, else the next block.
  let deployBlock = (await ethers.provider.getBlockNumber()) + 1;
  const previousFile = deploymentFile(options.root, networkName);
  if (!isInProcess(connection) && existsSync(previousFile)) {
    const previous = JSON.parse(await readFile(previousFile, "utf8")) as { chainId?: unknown; deployBlock?: unknown };
    if (previous.chainId === Number(chainId) && typeof previous.deployBlock === "number") {
      deployBlock = Math.min(deployBlock, previous.deployBlock);
    }
  }

  const deployed = await ignition.deploy(ProtocolModule, {
    parameters: parameters as never,
    displayUi: options.displayUi ?? false,
    deploymentId,
  });

  return {
    network: networkName,
    chainId: Number(chainId),
    deployBlock,
    deployedAt: new Date().toISOString(),
    addresses: {
      openToken: await deployed.openToken.getAddress(),
      timelock: await deployed.timelock.getAddress(),
      stakedOpen: await deployed.stakedOpen.getAddress(),
      governor: await deployed.governor.getAddress(),
      datanetRegistry: await deployed.datanetRegistry.getAddress(),
      modelRegistry: await deployed.modelRegistry.getAddress(),
      attributionOracle: await deployed.attributionOracle.getAddress(),
      inferenceRouter: await deployed.inferenceRouter.getAddress(),
    },
    parameters: stringify(parameters),
  };
}
