import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { Wallet, id } from "ethers";

import type { Connection } from "../fixtures/protocol.js";

/**
 * A signer for `address` (typically a contract such as the timelock) that the local node accepts
 * transactions from, funded with ETH for gas.
 */
export async function impersonate(connection: Connection, address: string): Promise<HardhatEthersSigner> {
  const { ethers, networkHelpers } = connection;
  await networkHelpers.impersonateAccount(address);
  await networkHelpers.setBalance(address, 10n ** 20n);
  return ethers.getSigner(address);
}

/**
 * `count` wallets with keys derived from `label` (the same addresses on every run), not connected to any provider:
 * for signer sets larger than the node's accounts, such as an oracle of MAX_SIGNERS keys.
 */
export function deterministicWallets(label: string, count: number): Wallet[] {
  return Array.from({ length: count }, (_, i) => new Wallet(id(`${label} ${i}`)));
}

/**
 * Sends a transaction from `from` as the node's own account (impersonated, funded with ETH, no signature, no gas
 * estimate): the cheapest way to act as many distinct accounts in a test's setup. Returns the transaction hash;
 * with automine off it is mined by the next `evm_mine`.
 */
export async function sendAs(
  connection: Connection,
  from: string,
  to: string,
  data: string,
  gas: bigint = 1_000_000n,
): Promise<string> {
  const provider = connection.ethers.provider;
  return (await provider.send("eth_sendTransaction", [{ from, to, data, gas: `0x${gas.toString(16)}` }])) as string;
}
