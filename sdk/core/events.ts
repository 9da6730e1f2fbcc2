/**
 * Event queries, paged by block span: public RPCs commonly refuse a log query over too many blocks, so every
 * query from a deployment's first block is cut into spans.
 */
import type { BaseContract, ContractTransactionReceipt, Result } from "ethers";

/** Most blocks one log query spans by default. */
export const LOG_QUERY_SPAN = 10_000;

/**
 * Runs `query` over [fromBlock, latest] in spans of at most `span` blocks and concatenates the results in block
 * order.
 */
export async function queryInSpans<T>(
  provider: { getBlockNumber(): Promise<number> },
  fromBlock: number,
  query: (from: number, to: number) => Promise<T[]>,
  span: number = LOG_QUERY_SPAN,
): Promise<T[]> {
  if (!Number.isSafeInteger(span) || span < 1) throw new RangeError(`A log query span must be at least 1 block.`);
  const latest = await provider.getBlockNumber();
  const results: T[] = [];
  for (let from = fromBlock; from <= latest; from += span) {
    results.push(...(await query(from, Math.min(from + span - 1, latest))));
  }
  return results;
}

/** The arguments of every `eventName` that `contract` emitted in `receipt`, in log order. */
export async function receiptEvents(
  receipt: ContractTransactionReceipt | null,
  contract: BaseContract,
  eventName: string,
): Promise<Result[]> {
  if (receipt === null) throw new Error("The transaction has no receipt.");
  const address = (await contract.getAddress()).toLowerCase();
  const found: Result[] = [];
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== address) continue;
    const parsed = contract.interface.parseLog(log);
    if (parsed?.name === eventName) found.push(parsed.args);
  }
  return found;
}

/** The arguments of the first `eventName` that `contract` emitted in `receipt`. */
export async function eventArgs(
  receipt: ContractTransactionReceipt | null,
  contract: BaseContract,
  eventName: string,
): Promise<Result> {
  const [first] = await receiptEvents(receipt, contract, eventName);
  if (first === undefined) throw new Error(`The transaction did not emit ${eventName}.`);
  return first;
}
