/**
 * The protocol's conservation laws, in one place: every OPEN a contract holds is owed to someone, to the wei,
 * and every inference fee is split without a wei lost. Each law takes the figures it relates (read by the
 * client's `ledger` or by a test) and says whether they balance. The status, the demo and the tests all check
 * these functions, never a copy of them.
 */

/** 1e18: gOPEN keeps rewards in OPEN-wei × 1e18. */
const WAD = 10n ** 18n;

/** One law checked on one set of figures: what is held and what the law says must be held. */
export interface ConservationCheck {
  /** A short name of the law, e.g. "InferenceRouter". */
  law: string;
  /** The law in words. */
  statement: string;
  held: bigint;
  accounted: bigint;
  holds: boolean;
}

function check(law: string, statement: string, held: bigint, accounted: bigint): ConservationCheck {
  return { law, statement, held, accounted, holds: held === accounted };
}

/** The reward stream of gOPEN as `rewardStream()` reports it, and the time it was read at. */
export interface RewardStream {
  periodEnd: bigint;
  /** OPEN-wei × 1e18 per second. */
  ratePerSecond: bigint;
  /** OPEN-wei notified during the current period, streamed over the next one. */
  queued: bigint;
}

/** What gOPEN has still to stream from `now`, in OPEN-wei × 1e18. */
export function stillToStream(stream: RewardStream, now: bigint): bigint {
  const left = stream.periodEnd > now ? stream.periodEnd - now : 0n;
  return stream.ratePerSecond * left + stream.queued * WAD;
}

/** The figures of gOPEN's law (OPEN-wei unless said otherwise). */
export interface StakedOpenLedger {
  /** OPEN held by StakedOpen. */
  held: bigint;
  /** gOPEN supply: the active stake. */
  staked: bigint;
  /** Σ queued withdrawals of every account. */
  queued: bigint;
  /** Σ earnedScaled of every account (OPEN-wei × 1e18). */
  earnedScaled: bigint;
  /** The stream's undivided remainder (`rewardCarryScaled()`, OPEN-wei × 1e18). */
  carryScaled: bigint;
  /** Rounding dust not yet swept (`dustScaled()`, OPEN-wei × 1e18). */
  dustScaled: bigint;
  /** What is still to stream (`stillToStream`, OPEN-wei × 1e18). */
  toStreamScaled: bigint;
}

/**
 * gOPEN, exactly, in OPEN-wei × 1e18:
 *   OPEN held × 1e18 == (stake + queued) × 1e18 + Σ earnedScaled + carry + dust + still to stream
 */
export function stakedOpenLaw(l: StakedOpenLedger): ConservationCheck {
  return check(
    "StakedOpen",
    "StakedOpen's OPEN == stakes + queued withdrawals + unclaimed rewards + the stream's remainder + dust + still streaming",
    l.held * WAD,
    (l.staked + l.queued) * WAD + l.earnedScaled + l.carryScaled + l.dustScaled + l.toStreamScaled,
  );
}

/** DatanetRegistry: OPEN held == Σ bonds of Pending contributions + Σ refunds not yet claimed. */
export function datanetRegistryLaw(l: { held: bigint; pendingBonds: bigint; refunds: bigint }): ConservationCheck {
  return check(
    "DatanetRegistry",
    "DatanetRegistry's OPEN == bonds of pending contributions + refunds not yet claimed",
    l.held,
    l.pendingBonds + l.refunds,
  );
}

/** ModelRegistry: OPEN held == Σ bonds of Proposed models. */
export function modelRegistryLaw(l: { held: bigint; proposedBonds: bigint }): ConservationCheck {
  return check("ModelRegistry", "ModelRegistry's OPEN == bonds of proposed models", l.held, l.proposedBonds);
}

/** The parts of what the router holds (OPEN-wei). */
export interface RouterHoldings {
  /** Σ creditOf over every account: creator and contributor earnings not yet claimed. */
  credits: bigint;
  /** Σ pools of Pending inferences. */
  pendingPools: bigint;
  treasuryOwed: bigint;
  stakersOwed: bigint;
}

/** InferenceRouter: OPEN held == unclaimed credits + pending pools + owed to the treasury + stakers' share owed. */
export function routerLaw(l: RouterHoldings & { held: bigint }): ConservationCheck {
  return check(
    "InferenceRouter",
    "InferenceRouter's OPEN == unclaimed credits + pending pools + owed to the treasury + stakers' share owed",
    l.held,
    l.credits + l.pendingPools + l.treasuryOwed + l.stakersOwed,
  );
}

/** The router's unclaimed credits by its law, from what it holds and the other parts (no account list needed). */
export function unclaimedCredits(l: Omit<RouterHoldings, "credits"> & { held: bigint }): bigint {
  return l.held - l.pendingPools - l.treasuryOwed - l.stakersOwed;
}

/** The stakers' shares: every one paid is released to gOPEN or still owed by the router. */
export function stakersShareLaw(l: { paid: bigint; released: bigint; owed: bigint }): ConservationCheck {
  return check(
    "stakers' share",
    "stakers' shares paid == released to gOPEN + still owed, to the wei",
    l.paid,
    l.released + l.owed,
  );
}

/** One inference from payment to its end, from the router's events (OPEN-wei). */
export interface InferenceOutcome {
  inferenceId: bigint;
  fee: bigint;
  creatorShare: bigint;
  stakersShare: bigint;
  platformFee: bigint;
  /** Credited to contributors at settlement (0 if not settled). */
  credited: bigint;
  /** The pool's part sent to the treasury at settlement: dust, forfeits, shares under the threshold. */
  settledToTreasury: bigint;
  /** The pool sent to the treasury by expiry (0 if not expired). */
  expiredPool: bigint;
  /** Pending, Settled or Expired. */
  status: "Pending" | "Settled" | "Expired";
  /** The pool still pending (0 unless Pending). */
  pendingPool: bigint;
}

/** One inference's fee: fee == creator + stakers + contributors + treasury (+ the pool, while pending). */
export function feeLaw(o: InferenceOutcome): ConservationCheck {
  return check(
    `inference ${o.inferenceId}`,
    "the fee == creator + stakers + contributors + treasury (forfeits and dust included), to the wei",
    o.fee,
    o.creatorShare + o.stakersShare + o.credited + o.platformFee + o.settledToTreasury + o.expiredPool + o.pendingPool,
  );
}

/** The token: the balances of every holder add up to the supply. */
export function supplyLaw(l: { balances: bigint; supply: bigint }): ConservationCheck {
  return check("OpenToken", "OPEN held by the actors and contracts == total supply", l.balances, l.supply);
}
