/** The ranges of the contracts' integer types, checked before a value is sent. */

/** 2^256: ids (datanets, contributions, models, proposals, inferences) are uint256. */
export const UINT256_LIMIT = 2n ** 256n;

/** 2^64: token counts and contribution sizes are uint64. */
export const UINT64_LIMIT = 2n ** 64n;

/** True for a whole number a uint256 holds. */
export function isUint256(value: bigint): boolean {
  return value >= 0n && value < UINT256_LIMIT;
}

/** True for 32 bytes of hex: 0x and 64 hex digits. */
export function isBytes32(value: string): boolean {
  return /^0x[0-9a-fA-F]{64}$/.test(value);
}

/** The ids 1 to `count`, as a registry numbers what it holds. */
export function idsUpTo(count: bigint): bigint[] {
  return Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1));
}
