import type { ProtocolContext } from "./context.js";
import { queryInSpans } from "./events.js";
import { MODEL_STATES, modelStateName } from "./states.js";

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

/** The protocol at a glance: parameters and the totals that move. Amounts are OPEN-wei. */
export interface ProtocolStatus {
  network: string;
  chainId: number;
  deployBlock: number;
  block: number;
  token: { totalSupply: bigint; treasury: string; treasuryBalance: bigint };
  staking: { totalStaked: bigint; totalQueued: bigint; cooldown: bigint; routerIsNotifier: boolean };
  governance: {
    votingDelay: bigint;
    votingPeriod: bigint;
    quorumPercent: bigint;
    proposalThreshold: bigint;
    timelockDelay: bigint;
  };
  datanets: { count: bigint; contributions: bigint; list: DatanetSummary[] };
  models: { count: bigint; byState: Map<string, bigint> };
  inference: {
    count: bigint;
    paused: boolean;
    platformFee: bigint;
    split: { creatorBps: bigint; stakersBps: bigint; contributorsBps: bigint };
    attributionThreshold: bigint;
    attributionWindow: bigint;
    oracle: { signers: bigint; threshold: bigint };
    /** OPEN held by the router == unclaimedCredits + pendingPools + treasuryOwed. */
    routerBalance: bigint;
    pending: { count: number; pools: bigint; expirable: number; expirablePools: bigint };
    treasuryOwed: bigint;
    unclaimedCredits: bigint;
  };
}

/**
 * Reads the protocol's state. Pending pools come from the router's events since the deploy block
 * (paid minus settled and expired), checked against `getInference`; unclaimed credits are what the
 * router holds beyond pending pools and the treasury's due, by the router's accounting invariant.
 */
export async function readStatus(ctx: ProtocolContext): Promise<ProtocolStatus> {
  const { deployment, openToken, stakedOpen, governor, timelock, datanetRegistry, modelRegistry } = ctx;
  const { attributionOracle, inferenceRouter } = ctx;
  const provider = ctx.connection.ethers.provider;
  const latest = await provider.getBlock("latest");
  if (latest === null) throw new Error("The network returned no latest block.");
  const routerAddress = await inferenceRouter.getAddress();
  const treasury = await inferenceRouter.treasury();

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

  const modelCount = await modelRegistry.modelCount();
  const byState = new Map<string, bigint>(MODEL_STATES.slice(1).map((name) => [name, 0n]));
  for (let id = 1n; id <= modelCount; id++) {
    const name = modelStateName((await modelRegistry.getModel(id)).state);
    byState.set(name, (byState.get(name) ?? 0n) + 1n);
  }

  // Pools of inferences paid and neither settled nor expired.
  const router = inferenceRouter;
  const since = deployment.deployBlock;
  const paid = await queryInSpans(provider, since, (a, b) => router.queryFilter(router.filters.InferencePaid(), a, b));
  const settled = await queryInSpans(provider, since, (a, b) =>
    router.queryFilter(router.filters.InferenceSettled(), a, b),
  );
  const expired = await queryInSpans(provider, since, (a, b) =>
    router.queryFilter(router.filters.InferenceExpired(), a, b),
  );
  const closed = new Set([...settled, ...expired].map((e) => e.args.inferenceId));
  const pending = { count: 0, pools: 0n, expirable: 0, expirablePools: 0n };
  for (const e of paid) {
    if (closed.has(e.args.inferenceId)) continue;
    const inference = await inferenceRouter.getInference(e.args.inferenceId);
    pending.count += 1;
    pending.pools += inference.pool;
    if (BigInt(latest.timestamp) > inference.closesAt) {
      pending.expirable += 1;
      pending.expirablePools += inference.pool;
    }
  }

  const split = await inferenceRouter.feeSplit();
  const routerBalance = await openToken.balanceOf(routerAddress);
  const treasuryOwed = await inferenceRouter.treasuryOwed();
  return {
    network: deployment.network,
    chainId: deployment.chainId,
    deployBlock: deployment.deployBlock,
    block: latest.number,
    token: {
      totalSupply: await openToken.totalSupply(),
      treasury,
      treasuryBalance: await openToken.balanceOf(treasury),
    },
    staking: {
      totalStaked: await stakedOpen.totalSupply(),
      totalQueued: await stakedOpen.totalQueued(),
      cooldown: await stakedOpen.cooldown(),
      routerIsNotifier: await stakedOpen.isRewardNotifier(routerAddress),
    },
    governance: {
      votingDelay: await governor.votingDelay(),
      votingPeriod: await governor.votingPeriod(),
      quorumPercent: await governor["quorumNumerator()"](),
      proposalThreshold: await governor.proposalThreshold(),
      timelockDelay: await timelock.getMinDelay(),
    },
    datanets: { count: datanetCount, contributions: await datanetRegistry.contributionCount(), list },
    models: { count: modelCount, byState },
    inference: {
      count: await inferenceRouter.inferenceCount(),
      paused: await inferenceRouter.paused(),
      platformFee: await inferenceRouter.platformFee(),
      split: { creatorBps: split.creatorBps, stakersBps: split.stakersBps, contributorsBps: split.contributorsBps },
      attributionThreshold: await inferenceRouter.attributionThreshold(),
      attributionWindow: await inferenceRouter.attributionWindow(),
      oracle: { signers: await attributionOracle.signerCount(), threshold: await attributionOracle.threshold() },
      routerBalance,
      pending,
      treasuryOwed,
      unclaimedCredits: routerBalance - pending.pools - treasuryOwed,
    },
  };
}
