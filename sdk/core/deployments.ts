/**
 * Deployment records: where the suite lives on one network. `deployments/<network>.json` holds one
 * record per network; tasks, scripts and dapps read addresses only from these records.
 */
import { KNOWN_DEPLOYMENTS } from "./known-deployments.js";

/** The contracts of the suite, by the name tasks and dapps use for them. */
export const CONTRACT_NAMES = [
  "openToken",
  "timelock",
  "stakedOpen",
  "governor",
  "datanetRegistry",
  "modelRegistry",
  "attributionOracle",
  "inferenceRouter",
] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

export interface DeploymentRecord {
  /** Hardhat network name the record was written for (e.g. "sepolia"). */
  network: string;
  chainId: number;
  /** Block of the first deployment transaction: the lower bound for event queries. */
  deployBlock: number;
  /** ISO-8601 time the record was written. */
  deployedAt: string;
  addresses: Record<ContractName, string>;
  /** Ignition module parameters used, as strings (bigints in decimal). */
  parameters: Record<string, Record<string, string>>;
}

/** A deployment record is missing or malformed. */
export class DeploymentError extends Error {
  override name = "DeploymentError";
}

/** No deployment is known for a chain. */
export class UnknownChainError extends DeploymentError {
  override name = "UnknownChainError";
  constructor(readonly chainId: number) {
    super(`No deployment of the protocol is known for chain id ${chainId}.`);
  }
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

function isRecordObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Validates an untrusted JSON value (a file's contents) as a deployment record. */
export function parseDeploymentRecord(value: unknown, source: string): DeploymentRecord {
  const fail = (what: string): never => {
    throw new DeploymentError(`${source} is not a valid deployment record: ${what}.`);
  };
  if (!isRecordObject(value)) return fail("it is not a JSON object");
  const { network, chainId, deployBlock, deployedAt, addresses, parameters } = value;
  if (typeof network !== "string") fail("`network` must be a string");
  if (typeof chainId !== "number" || !Number.isSafeInteger(chainId) || chainId <= 0) {
    fail("`chainId` must be a positive integer");
  }
  if (typeof deployBlock !== "number" || !Number.isSafeInteger(deployBlock) || deployBlock < 0) {
    fail("`deployBlock` must be a block number");
  }
  if (typeof deployedAt !== "string") fail("`deployedAt` must be a string");
  if (!isRecordObject(addresses)) return fail("`addresses` must be an object");
  const checked = {} as Record<ContractName, string>;
  for (const name of CONTRACT_NAMES) {
    const address = addresses[name];
    if (typeof address !== "string" || !ADDRESS.test(address)) fail(`\`addresses.${name}\` must be an address`);
    checked[name] = address as string;
  }
  const params: Record<string, Record<string, string>> = {};
  if (parameters !== undefined) {
    if (!isRecordObject(parameters)) return fail("`parameters` must be an object");
    for (const [module, values] of Object.entries(parameters)) {
      if (!isRecordObject(values)) return fail(`\`parameters.${module}\` must be an object`);
      params[module] = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)]));
    }
  }
  return {
    network: network as string,
    chainId: chainId as number,
    deployBlock: deployBlock as number,
    deployedAt: deployedAt as string,
    addresses: checked,
    parameters: params,
  };
}

const registered = new Map<number, DeploymentRecord>();

function chainKey(chainId: number | bigint): number {
  const key = Number(chainId);
  if (!Number.isSafeInteger(key) || key <= 0) throw new RangeError(`${chainId} is not a chain id.`);
  return key;
}

/**
 * Makes `record` the deployment `getDeployment` returns for its chain (e.g. a local node's
 * deployments/localhost.json, or your own testnet deployment). Validates it first.
 */
export function registerDeployment(record: DeploymentRecord): DeploymentRecord {
  const checked = parseDeploymentRecord(record, `The deployment record for chain ${String(record?.chainId)}`);
  registered.set(checked.chainId, checked);
  return checked;
}

/** The deployment of the suite on `chainId`: one registered by the dapp, else a known public one. */
export function getDeployment(chainId: number | bigint): DeploymentRecord {
  const key = chainKey(chainId);
  const record = registered.get(key) ?? KNOWN_DEPLOYMENTS.find((d) => d.chainId === key);
  if (record === undefined) throw new UnknownChainError(key);
  return record;
}

/** Chain ids `getDeployment` answers for. */
export function deployedChainIds(): number[] {
  return [...new Set([...KNOWN_DEPLOYMENTS.map((d) => d.chainId), ...registered.keys()])].sort((a, b) => a - b);
}
