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

/**
 * The blocks mined at Unix time `timestamp`, at or after `fromBlock`: the range [from, to] (empty when to < from),
 * found by bisection over block timestamps, which never decrease. An event whose contract stored its block's
 * timestamp (an inference's `paidAt`) is then looked up in those blocks instead of every block since deployment.
 */
export async function blocksAtTime(
  provider: { getBlockNumber(): Promise<number>; getBlock(block: number): Promise<{ timestamp: number } | null> },
  timestamp: bigint,
  fromBlock: number,
): Promise<{ from: number; to: number }> {
  const latest = await provider.getBlockNumber();
  const time = async (block: number) => {
    const found = await provider.getBlock(block);
    if (found === null) throw new Error(`The network returned no block ${block}.`);
    return BigInt(found.timestamp);
  };
  // The first block in [fromBlock, latest + 1] whose timestamp passes `bound` (latest + 1 when none does).
  const first = async (passes: (t: bigint) => boolean) => {
    let lo = fromBlock;
    let hi = latest + 1;
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (passes(await time(mid))) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const from = await first((t) => t >= timestamp);
  const to = (await first((t) => t > timestamp)) - 1;
  return { from, to };
}
