/**
 * How amounts, durations and times read in the protocol's sentences: the errors of the core and the client,
 * the CLI and the demo all format with these.
 */
import { formatUnits } from "ethers";

/** OPEN and gOPEN both have 18 decimals. */
export const OPEN_DECIMALS = 18;

/** Formats OPEN-wei as "1,234.5 OPEN" (or another symbol: "gOPEN", "votes"). */
export function formatOpen(amount: bigint, symbol = "OPEN"): string {
  const negative = amount < 0n;
  const [whole = "0", fraction] = formatUnits(negative ? -amount : amount, OPEN_DECIMALS).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const trimmed = fraction === undefined || /^0*$/.test(fraction) ? "" : `.${fraction.replace(/0+$/, "")}`;
  return `${negative ? "-" : ""}${grouped}${trimmed} ${symbol}`;
}

/** Formats a duration in seconds as "7d", "1h 30m", "45s". */
export function formatDuration(seconds: bigint | number): string {
  let rest = BigInt(seconds);
  if (rest === 0n) return "0s";
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86_400n],
    ["h", 3_600n],
    ["m", 60n],
    ["s", 1n],
  ] as const) {
    if (rest >= size) {
      parts.push(`${rest / size}${unit}`);
      rest %= size;
    }
  }
  return parts.join(" ");
}

/** Formats a Unix time in seconds as an ISO-8601 UTC string. */
export function formatTime(seconds: bigint | number): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}
