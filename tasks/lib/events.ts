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
