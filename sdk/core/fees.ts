/**
 * The inference fee and its split, mirroring contracts/libraries/FeeMath.sol to the wei (and
 * property-tested against the router's `quote`).
 *
 *   modelFee = (inputTokens × inputRate + outputTokens × outputRate) / 1000      (rounded down)
 *   fee      = modelFee + platformFee
 *   creator  = modelFee × creatorBps / 10,000   (rounded down)
 *   stakers  = modelFee × stakersBps / 10,000   (rounded down)
 *   pool     = modelFee − creator − stakers     (the contributors' pool takes the remainder)
 */

export const BPS = 10_000n;
export const TOKENS_PER_RATE = 1_000n;

export interface Rates {
  /** OPEN-wei per 1,000 input tokens. */
  inputRate: bigint;
  /** OPEN-wei per 1,000 output tokens. */
  outputRate: bigint;
}

export interface FeeSplit {
  creatorBps: bigint;
  stakersBps: bigint;
  contributorsBps: bigint;
}

export interface FeeQuote {
  fee: bigint;
  modelFee: bigint;
  platformFee: bigint;
  creatorShare: bigint;
  stakersShare: bigint;
  pool: bigint;
}

/** The fee of one inference and how it splits, exactly as the router computes it. */
export function quoteFee(
  inputTokens: bigint,
  outputTokens: bigint,
  rates: Rates,
  platformFee: bigint,
  split: FeeSplit,
): FeeQuote {
  if (inputTokens < 0n || outputTokens < 0n) throw new RangeError("Token counts must not be negative.");
  const modelFee = (inputTokens * rates.inputRate + outputTokens * rates.outputRate) / TOKENS_PER_RATE;
  const creatorShare = (modelFee * split.creatorBps) / BPS;
  const stakersShare = (modelFee * split.stakersBps) / BPS;
  return {
    fee: modelFee + platformFee,
    modelFee,
    platformFee,
    creatorShare,
    stakersShare,
    pool: modelFee - creatorShare - stakersShare,
  };
}

/**
 * How a settled pool is shared: weights under `threshold` earn nothing, the others share the pool in
 * proportion (rounded down), and the rest goes to the treasury, exactly as the router settles. A
 * contribution marked in `forfeited` (penalized after the report was signed) keeps its place in the
 * proportion, but its share goes to the treasury instead of its contributor.
 */
export function sharePool(
  pool: bigint,
  weights: bigint[],
  threshold: bigint,
  forfeited: readonly boolean[] = [],
): { amounts: bigint[]; forfeited: bigint[]; toTreasury: bigint } {
  const earns = (w: bigint) => w >= threshold && w !== 0n;
  const earning = weights.reduce((sum, w) => (earns(w) ? sum + w : sum), 0n);
  const shares = weights.map((w) => (earning !== 0n && earns(w) ? (pool * w) / earning : 0n));
  const amounts = shares.map((share, i) => (forfeited[i] === true ? 0n : share));
  const lost = shares.map((share, i) => (forfeited[i] === true ? share : 0n));
  return { amounts, forfeited: lost, toTreasury: pool - amounts.reduce((a, b) => a + b, 0n) };
}
