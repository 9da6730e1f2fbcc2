import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

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
