/** The protocol at a glance: parameters and the totals that move. */
import { unclaimedCredits } from "../core/conservation.js";
import type { ModelState, EnumName } from "../core/enums.js";
import type { ClientContext } from "./context.js";
import type { Models } from "./models.js";

/** One datanet as the status shows it. */
export interface DatanetSummary {
  id: bigint;
  owner: string;
  open: boolean;
  contributions: bigint;
  accepted: bigint;
  versions: bigint;
  bond: bigint;
}

/** The pause of one contract: whether it is paused, its active clock and the seconds of past pauses. */
export interface PauseState {
  paused: boolean;
  activeTime: bigint;
  pausedSeconds: bigint;
}

/** The protocol at a glance. Amounts are OPEN-wei. */
export interface ProtocolStatus {
  network: string;
  chainId: number;
  deployBlock: number;
  block: number;
  /** Unix time of the latest block. */
  time: bigint;
  token: { totalSupply: bigint; treasury: string; treasuryBalance: bigint };
  staking: {
    totalStaked: bigint;
    /** OPEN queued for withdrawal, over every account that ever requested an unstake. */
    totalQueued: bigint;
    /** Accounts whose withdrawals a pending slash proposal freezes now. */
    frozen: string[];
    cooldown: bigint;
    rewardPeriod: bigint;
    /** The period streaming now: its end (Unix time), its rate (OPEN-wei per second × 1e18) and what was notified
     * during it, which streams over the next one. */
    stream: { periodEnd: bigint; ratePerSecond: bigint; queued: bigint };
    /** Rounding dust and stream seconds nobody was staked for, OPEN-wei × 1e18 (sweepDust sends whole wei). */
    dustScaled: bigint;
  };
  governance: {
    votingDelay: bigint;
    votingPeriod: bigint;
    quorumPercent: bigint;
    proposalThreshold: bigint;
    timelockDelay: bigint;
  };
  /** The guardian's pause of each contract that has one. */
  pauses: {
    stakedOpen: PauseState;
    datanetRegistry: PauseState;
    modelRegistry: PauseState;
    inferenceRouter: PauseState;
  };
  datanets: { count: bigint; contributions: bigint; list: DatanetSummary[] };
  models: { count: bigint; byState: Map<EnumName<typeof ModelState>, bigint> };
  inference: {
    /** Inferences paid since the deployment (InferencePaid events). */
    count: bigint;
    paused: boolean;
    platformFee: bigint;
    split: { creatorBps: bigint; stakersBps: bigint; contributorsBps: bigint };
    attributionThreshold: bigint;
    attributionWindow: bigint;
    oracle: { signers: bigint; threshold: bigint };
    /** OPEN held by the router == unclaimedCredits + pendingPools + treasuryOwed + stakersOwed. */
    routerBalance: bigint;
    /** Pending inferences; `expirable` ones have their window closed on the router's active clock. */
    pending: { count: number; pools: bigint; expirable: number; expirablePools: bigint };
    treasuryOwed: bigint;
    /** Stakers' shares of paid fees not yet released to gOPEN (releaseStakerRewards). */
    stakersOwed: bigint;
    unclaimedCredits: bigint;
  };
}

interface Pausable {
  paused(): Promise<boolean>;
  activeTime(): Promise<bigint>;
  pausedSeconds(): Promise<bigint>;
}

async function pauseState(contract: Pausable): Promise<PauseState> {
  const [paused, activeTime, pausedSeconds] = await Promise.all([
    contract.paused(),
    contract.activeTime(),
    contract.pausedSeconds(),
  ]);
  return { paused, activeTime, pausedSeconds };
}

/**
 * Reads the protocol's state. Pending pools come from the router's events since the deploy block (paid minus
 * settled and expired), checked against `getInference`; queued withdrawals from the accounts that requested an
 * unstake; unclaimed credits are what the router holds beyond pending pools and what it owes the treasury and the
 * stakers, by the router's conservation law.
 */
export async function readStatus(ctx: ClientContext, models: Models): Promise<ProtocolStatus> {
  const { deployment } = ctx;
  const { openToken, stakedOpen, governor, timelock, datanetRegistry, modelRegistry, attributionOracle } =
    ctx.contracts;
  const router = ctx.contracts.inferenceRouter;
  const latest = await ctx.provider.getBlock("latest");
  if (latest === null) throw new Error("The network returned no latest block.");
  const now = BigInt(latest.timestamp);
  const treasury = await router.treasury();

  const datanetCount = await datanetRegistry.datanetCount();
  const list: DatanetSummary[] = [];
  for (let id = 1n; id <= datanetCount; id++) {
    const d = await datanetRegistry.getDatanet(id);
    list.push({
      id,
      owner: d.owner,
      open: d.open,
      contributions: d.contributionCount,
      accepted: d.acceptedCount,
      versions: d.versionCount,
      bond: d.contributionBond,
    });
  }

  // Queued withdrawals and freezes, over every account that ever requested an unstake or was frozen (in address
  // order); pools of inferences paid and neither settled nor expired. From the indexer when it is current.
  const indexed = await ctx.indexer?.statusLists();
  let queueAccounts: string[];
  let paidCount: bigint;
  let pendingIds: bigint[];
  if (indexed !== undefined) {
    ({ queueAccounts, paid: paidCount, pendingIds } = indexed);
  } else {
    const requested = await ctx.events((a, b) => stakedOpen.queryFilter(stakedOpen.filters.UnstakeRequested(), a, b));
    const frozenEvents = await ctx.events((a, b) =>
      stakedOpen.queryFilter(stakedOpen.filters.WithdrawalsFrozen(), a, b),
    );
    queueAccounts = [...new Set([...requested, ...frozenEvents].map((e) => e.args.account))];
    const paid = await ctx.events((a, b) => router.queryFilter(router.filters.InferencePaid(), a, b));
    const settled = await ctx.events((a, b) => router.queryFilter(router.filters.InferenceSettled(), a, b));
    const expired = await ctx.events((a, b) => router.queryFilter(router.filters.InferenceExpired(), a, b));
    const closed = new Set([...settled, ...expired].map((e) => e.args.inferenceId));
    paidCount = BigInt(paid.length);
    pendingIds = paid.map((e) => e.args.inferenceId).filter((id) => !closed.has(id));
  }
  queueAccounts.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  let totalQueued = 0n;
  const frozen: string[] = [];
  for (const account of queueAccounts) {
    const pending = await stakedOpen.pendingWithdrawal(account);
    totalQueued += pending.amount;
    if (pending.frozenUntil > now) frozen.push(account);
  }
  const stream = await stakedOpen.rewardStream();

  const routerPause = await pauseState(router);
  const pending = { count: 0, pools: 0n, expirable: 0, expirablePools: 0n };
  for (const inferenceId of pendingIds) {
    const inference = await router.getInference(inferenceId);
    pending.count += 1;
    pending.pools += inference.pool;
    if (routerPause.activeTime > inference.closesAt) {
      pending.expirable += 1;
      pending.expirablePools += inference.pool;
    }
  }

  const p = await router.parameters();
  const routerBalance = await openToken.balanceOf(ctx.address("inferenceRouter"));
  const [treasuryOwed, stakersOwed] = await Promise.all([router.treasuryOwed(), router.stakersOwed()]);
  return {
    network: deployment.network,
    chainId: deployment.chainId,
    deployBlock: deployment.deployBlock,
    block: latest.number,
    time: now,
    token: {
      totalSupply: await openToken.totalSupply(),
      treasury,
      treasuryBalance: await openToken.balanceOf(treasury),
    },
    staking: {
      totalStaked: await stakedOpen.totalSupply(),
      totalQueued,
      frozen,
      cooldown: await stakedOpen.cooldown(),
      rewardPeriod: await stakedOpen.rewardPeriod(),
      stream: { periodEnd: stream.periodEnd, ratePerSecond: stream.ratePerSecond, queued: stream.queued },
      dustScaled: await stakedOpen.dustScaled(),
    },
    governance: {
      votingDelay: await governor.votingDelay(),
      votingPeriod: await governor.votingPeriod(),
      quorumPercent: await governor["quorumNumerator()"](),
      proposalThreshold: await governor.proposalThreshold(),
      timelockDelay: await timelock.getMinDelay(),
    },
    pauses: {
      stakedOpen: await pauseState(stakedOpen),
      datanetRegistry: await pauseState(datanetRegistry),
      modelRegistry: await pauseState(modelRegistry),
      inferenceRouter: routerPause,
    },
    datanets: { count: datanetCount, contributions: await datanetRegistry.contributionCount(), list },
    models: await models.countByState(),
    inference: {
      count: paidCount,
      paused: routerPause.paused,
      platformFee: p.platformFee,
      split: { creatorBps: p.creatorBps, stakersBps: p.stakersBps, contributorsBps: p.contributorsBps },
      attributionThreshold: p.attributionThreshold,
      attributionWindow: p.attributionWindow,
      oracle: { signers: await attributionOracle.signerCount(), threshold: await attributionOracle.threshold() },
      routerBalance,
      pending,
      treasuryOwed,
      stakersOwed,
      unclaimedCredits: unclaimedCredits({
        held: routerBalance,
        pendingPools: pending.pools,
        treasuryOwed,
        stakersOwed,
      }),
    },
  };
}
