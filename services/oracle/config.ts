/**
 * The node's settings: each from an option of `npx hardhat oracle start`, else its environment variable, else the
 * default below. The signer key is never a setting: the start task reads it from a Hardhat configuration variable
 * (environment or keystore) and hands it over in memory.
 *
 * | setting          | option              | environment              | default                          |
 * | ---------------- | ------------------- | ------------------------ | -------------------------------- |
 * | HTTP port        | --port              | ORACLE_PORT              | 8600                             |
 * | HTTP host        | --host              | ORACLE_HOST              | 127.0.0.1                        |
 * | peers            | --peers             | ORACLE_PEERS             | none (comma-separated base URLs) |
 * | database         | --database          | DATABASE_URL             | PGlite in --data-dir             |
 * | data folder      | --data-dir          | ORACLE_DATA_DIR          | .oracle/<network>-<signer>       |
 * | confirmations    | --confirmations     | ORACLE_CONFIRMATIONS     | 2                                |
 * | max batch delay  | --max-batch-delay   | ORACLE_MAX_BATCH_DELAY   | 2000 ms                          |
 * | largest batch    | --max-batch         | ORACLE_MAX_BATCH         | the router's limit               |
 * | leader slot      | --slot              | ORACLE_SLOT              | 3000 ms                          |
 * | poll interval    | --poll              | ORACLE_POLL              | 500 ms                           |
 * | report deadline  | --deadline          | ORACLE_DEADLINE          | 3600 s                           |
 * | replace after    | --replace-after     | ORACLE_REPLACE_AFTER     | 60000 ms                         |
 * | signer contract  | --signer-contract   | ORACLE_SIGNER_CONTRACT   | none (the key's account signs)   |
 * | IPFS gateway     | --ipfs-gateway      | ORACLE_IPFS_GATEWAY      | https://ipfs.io                  |
 * | text mirror      | --texts             | ORACLE_TEXTS             | none                             |
 * | log level        | --log-level         | ORACLE_LOG_LEVEL         | info                             |
 */
import { getAddress, isAddress } from "ethers";

import { isLogLevel, type LogLevel } from "./log.js";

export interface OracleConfig {
  port: number;
  host: string;
  /** Base URLs of the other nodes (http://host:port). */
  peers: string[];
  /** A postgres:// URL, "memory://" or a PGlite folder. */
  database: string;
  confirmations: number;
  /** Longest a ready report waits for a fuller batch (ms). */
  maxBatchDelayMs: number;
  /** Most reports per batch (the router's limits apply too); 0 = the router's. */
  maxBatch: number;
  /** Each leader's turn (ms); a leader that does not settle in its turn is replaced by the next. */
  slotMs: number;
  pollMs: number;
  /** A report's deadline: this many seconds after the block time it is proposed at. */
  deadlineSeconds: number;
  /** A settlement not mined this long (ms) is sent again with the same nonce and higher fees. */
  replaceAfterMs: number;
  /**
   * The registered oracle signer when it is a contract (EIP-1271, e.g. a multisig or smart account) that accepts
   * the key's ECDSA signatures of a digest as its own; undefined when the key's account is the signer.
   */
  signerContract: string | undefined;
  ipfsGateway: string;
  textsMirror: string | undefined;
  logLevel: LogLevel;
}

/** A setting with a bad value: its one sentence. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The raw settings, as text (an option's value or an environment variable's). */
export type RawConfig = Partial<Record<keyof OracleConfig | "dataDir", string | undefined>>;

/** The environment variable of each setting. */
export const ENVIRONMENT: Record<keyof RawConfig, string> = {
  port: "ORACLE_PORT",
  host: "ORACLE_HOST",
  peers: "ORACLE_PEERS",
  database: "DATABASE_URL",
  dataDir: "ORACLE_DATA_DIR",
  confirmations: "ORACLE_CONFIRMATIONS",
  maxBatchDelayMs: "ORACLE_MAX_BATCH_DELAY",
  maxBatch: "ORACLE_MAX_BATCH",
  slotMs: "ORACLE_SLOT",
  pollMs: "ORACLE_POLL",
  deadlineSeconds: "ORACLE_DEADLINE",
  replaceAfterMs: "ORACLE_REPLACE_AFTER",
  signerContract: "ORACLE_SIGNER_CONTRACT",
  ipfsGateway: "ORACLE_IPFS_GATEWAY",
  textsMirror: "ORACLE_TEXTS",
  logLevel: "ORACLE_LOG_LEVEL",
};

function whole(value: string, what: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
    throw new ConfigError(`${what} must be a whole number from ${min} to ${max}, not "${value}".`);
  }
  return Number(value);
}

/**
 * The settings from `options` (option values, undefined when not given), falling back to `env`. `defaultDataDir`
 * is the PGlite folder when neither a database URL nor a data folder is given.
 */
export function resolveConfig(options: RawConfig, env: NodeJS.ProcessEnv, defaultDataDir: string): OracleConfig {
  const get = (key: keyof RawConfig): string | undefined => {
    const value = options[key] ?? env[ENVIRONMENT[key]];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const number = (key: keyof RawConfig, what: string, fallback: number, min: number, max: number) => {
    const value = get(key);
    return value === undefined ? fallback : whole(value, what, min, max);
  };
  const peers = (get("peers") ?? "")
    .split(",")
    .map((p) => p.trim().replace(/\/+$/, ""))
    .filter((p) => p !== "");
  for (const peer of peers) {
    if (!/^https?:\/\/[^/\s]+$/.test(peer)) {
      throw new ConfigError(`A peer must be a base URL such as http://10.0.0.2:8600, not "${peer}".`);
    }
  }
  const logLevel = get("logLevel") ?? "info";
  if (!isLogLevel(logLevel))
    throw new ConfigError(`The log level must be debug, info, warn or error, not "${logLevel}".`);
  const gateway = get("ipfsGateway") ?? "https://ipfs.io";
  if (!/^https?:\/\//.test(gateway))
    throw new ConfigError(`The IPFS gateway must be an http(s) URL, not "${gateway}".`);
  const signerContract = get("signerContract");
  if (signerContract !== undefined && !isAddress(signerContract)) {
    throw new ConfigError(`The signer contract must be an address (0x and 40 hex digits), not "${signerContract}".`);
  }
  return {
    port: number("port", "The HTTP port", 8600, 0, 65535),
    host: get("host") ?? "127.0.0.1",
    peers,
    database: get("database") ?? get("dataDir") ?? defaultDataDir,
    confirmations: number("confirmations", "The confirmation depth", 2, 0, 1000),
    maxBatchDelayMs: number("maxBatchDelayMs", "The maximum batch delay (ms)", 2000, 0, 3_600_000),
    maxBatch: number("maxBatch", "The largest batch", 0, 0, 100_000),
    slotMs: number("slotMs", "The leader slot (ms)", 3000, 200, 3_600_000),
    pollMs: number("pollMs", "The poll interval (ms)", 500, 50, 600_000),
    deadlineSeconds: number("deadlineSeconds", "The report deadline (s)", 3600, 60, 30 * 86_400),
    replaceAfterMs: number(
      "replaceAfterMs",
      "The time before a pending settlement is replaced (ms)",
      60_000,
      1000,
      3_600_000,
    ),
    ipfsGateway: gateway,
    textsMirror: get("textsMirror"),
    signerContract: signerContract === undefined ? undefined : getAddress(signerContract),
    logLevel,
  };
}
