import { Wallet, type Signer } from "ethers";
import { configVariable } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { UserError } from "./cli.js";
import { resolveSigner, type Connection } from "./context.js";

/**
 * Reads a secret from a Hardhat configuration variable: an environment variable of that name, or the
 * keystore (`npx hardhat keystore set NAME`).
 */
export async function readConfigVariable(hre: HardhatRuntimeEnvironment, name: string): Promise<string> {
  const fromEnv = process.env[name];
  if (fromEnv !== undefined) return fromEnv;
  const unset = () =>
    new UserError(
      `The configuration variable ${name} is not set: export it or store it with \`npx hardhat keystore set ${name}\`.`,
    );
  try {
    return await hre.hooks.runHandlerChain("configurationVariables", "fetchValue", [configVariable(name)], () =>
      Promise.reject(unset()),
    );
  } catch (error) {
    // The keystore plugin refuses a key it does not hold with its own error (HHE50002) instead of passing on.
    if (error instanceof Error && /not found in the .*keystore/i.test(error.message)) throw unset();
    throw error;
  }
}

/**
 * Oracle signers from `--signers` (indices or addresses of the network's accounts) and `--keys`
 * (names of configuration variables holding private keys).
 */
export async function resolveOracleSigners(
  hre: HardhatRuntimeEnvironment,
  connection: Connection,
  accounts: string,
  keys: string,
): Promise<Signer[]> {
  const signers: Signer[] = [];
  for (const part of accounts
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")) {
    signers.push(await resolveSigner(connection, part, "--signers"));
  }
  for (const name of keys
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")) {
    const key = (await readConfigVariable(hre, name)).trim();
    try {
      signers.push(new Wallet(key.startsWith("0x") ? key : `0x${key}`));
    } catch {
      throw new UserError(`The configuration variable ${name} does not hold a private key (32 bytes of hex).`);
    }
  }
  return signers;
}
