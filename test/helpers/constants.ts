/** Shared amounts and durations for the behaviour tests. Every amount is a bigint in wei. */

/** 1e18: one whole token in wei, and the fixed-point scale of the reward accumulator. */
export const WAD = 10n ** 18n;

/** `n` whole OPEN (or gOPEN) in wei. */
export function open(n: bigint): bigint {
  return n * WAD;
}

export const HOUR = 60n * 60n;
export const DAY = 24n * HOUR;
export const WEEK = 7n * DAY;

/** The whole OPEN supply minted at deployment: 1,000,000,000 OPEN. */
export const OPEN_SUPPLY = open(1_000_000_000n);

/** Returns `value`, failing loudly when an indexed lookup (array, signer list) came back empty. */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

export const MINUTE = 60n;

/** EIP-7825's per-transaction gas cap, which Hardhat 3 enforces: every batch the router accepts must fit under it. */
export const TX_GAS_CAP = 16_777_216n;
