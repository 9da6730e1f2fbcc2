/** Amounts as a person types them ("100", "12.5"), read into OPEN-wei with the client's refusals. */
import { parseUnits } from "ethers";

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
