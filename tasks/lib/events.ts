import type { BaseContract, ContractTransactionReceipt, Result } from "ethers";

/** The arguments of the first `eventName` that `contract` emitted in `receipt`. */
export async function eventArgs(
  receipt: ContractTransactionReceipt | null,
  contract: BaseContract,
  eventName: string,
): Promise<Result> {
  if (receipt === null) throw new Error("The transaction has no receipt.");
  const address = (await contract.getAddress()).toLowerCase();
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== address) continue;
    const parsed = contract.interface.parseLog(log);
    if (parsed?.name === eventName) return parsed.args;
  }
  throw new Error(`The transaction did not emit ${eventName}.`);
}

/** Most blocks one log query spans: public RPCs commonly refuse wider ranges. */
export const LOG_QUERY_SPAN = 10_000;

/**
 * Runs `query` over [fromBlock, latest] in spans of at most LOG_QUERY_SPAN blocks and concatenates
 * the results in block order.
 */
export async function queryInSpans<T>(
  provider: { getBlockNumber(): Promise<number> },
  fromBlock: number,
  query: (from: number, to: number) => Promise<T[]>,
): Promise<T[]> {
  const latest = await provider.getBlockNumber();
  const results: T[] = [];
  for (let from = fromBlock; from <= latest; from += LOG_QUERY_SPAN) {
    results.push(...(await query(from, Math.min(from + LOG_QUERY_SPAN - 1, latest))));
  }
  return results;
}
