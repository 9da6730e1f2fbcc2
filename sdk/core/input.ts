/**
 * What a person types into a dapp, read with the client's refusals: amounts ("100", "12.5") into OPEN-wei, and
 * addresses into their checksummed form.
 */
import { getAddress, isAddress, parseUnits } from "ethers";

import { clientError } from "./client-errors.js";
import { OPEN_DECIMALS } from "./format.js";

/**
 * Reads `text` as an amount of OPEN (or gOPEN) with up to 18 decimals into wei. Refuses anything that is not a
 * plain non-negative decimal number (InvalidAmount), more decimals than OPEN has (TooManyDecimals) and, unless
 * `allowZero`, zero (ZeroAmount). `what` names the amount in the sentence ("the amount to stake").
 */
export function parseOpen(text: string, what = "the amount", allowZero = false): bigint {
  const trimmed = text.trim();
  if (!/^\d+(\.\d+)?$/.test(trimmed)) throw clientError("InvalidAmount", { what, text });
  const [, fraction = ""] = trimmed.split(".");
  if (fraction.length > OPEN_DECIMALS) {
    throw clientError("TooManyDecimals", { what, text, decimals: BigInt(OPEN_DECIMALS) });
  }
  const amount = parseUnits(trimmed, OPEN_DECIMALS);
  if (amount === 0n && !allowZero) throw clientError("ZeroAmount", { what });
  return amount;
}

/** Reads `text` as an address (checksummed on return); refuses anything else with InvalidAddress. */
export function parseAddress(text: string, what = "the address"): string {
  const trimmed = text.trim();
  if (!isAddress(trimmed)) throw clientError("InvalidAddress", { what, text });
  return getAddress(trimmed);
}
