import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";

import type { Connection } from "../fixtures/protocol.js";

/** The transaction fields a front-running test sets itself, so that nothing is estimated against a pending block. */
export interface TxFees {
  gasLimit: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

const GWEI = 10n ** 9n;
const GAS_LIMIT = 1_000_000n;
const MAX_FEE = 100n * GWEI;

/**
 * Front-running, literally: `victim` is sent first, then `frontRunner` with a higher priority fee, and both are
 * mined in one block with `frontRunner` first (the block orders by tip). Automining is off only for the two sends.
 * Returns both transactions (either may have reverted: assert with the chai matchers, which read the receipt).
 */
export async function frontRun(
  connection: Connection,
  victim: (fees: TxFees) => Promise<ContractTransactionResponse>,
  frontRunner: (fees: TxFees) => Promise<ContractTransactionResponse>,
): Promise<{ victimTx: ContractTransactionResponse; frontTx: ContractTransactionResponse }> {
  const { provider, networkHelpers } = connection;
  await provider.request({ method: "evm_setAutomine", params: [false] });
  let victimTx: ContractTransactionResponse;
  let frontTx: ContractTransactionResponse;
  try {
    victimTx = await victim({ gasLimit: GAS_LIMIT, maxFeePerGas: MAX_FEE, maxPriorityFeePerGas: GWEI });
    frontTx = await frontRunner({ gasLimit: GAS_LIMIT, maxFeePerGas: MAX_FEE, maxPriorityFeePerGas: 10n * GWEI });
    await networkHelpers.mine();
  } finally {
    await provider.request({ method: "evm_setAutomine", params: [true] });
  }
  const [victimReceipt, frontReceipt] = await Promise.all([
    provider.request({ method: "eth_getTransactionReceipt", params: [victimTx.hash] }),
    provider.request({ method: "eth_getTransactionReceipt", params: [frontTx.hash] }),
  ]);
  const { blockNumber: victimBlock, transactionIndex: victimIndex } = receiptPosition(victimReceipt);
  const { blockNumber: frontBlock, transactionIndex: frontIndex } = receiptPosition(frontReceipt);
  expect(frontBlock, "both transactions in one block").to.equal(victimBlock);
  expect(frontIndex < victimIndex, "the front-runner is mined first").to.equal(true);
  return { victimTx, frontTx };
}

function receiptPosition(receipt: unknown): { blockNumber: bigint; transactionIndex: bigint } {
  if (typeof receipt !== "object" || receipt === null) throw new Error("transaction not mined");
  const { blockNumber, transactionIndex } = receipt as Record<string, unknown>;
  if (typeof blockNumber !== "string" || typeof transactionIndex !== "string") throw new Error("malformed receipt");
  return { blockNumber: BigInt(blockNumber), transactionIndex: BigInt(transactionIndex) };
}
