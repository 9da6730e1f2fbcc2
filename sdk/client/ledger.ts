/**
 * Reads the figures the conservation laws relate (sdk/core/conservation.ts) from the contracts and their events,
 * and checks every law: where each OPEN is, to the wei. The readers take only the contracts they need, so a test
 * can check one contract's law after each step; `Ledger.check()` checks them all for a deployment.
 */
import type { BlockTag, ContractRunner } from "ethers";

import {
  datanetRegistryLaw,
  feeLaw,
  modelRegistryLaw,
  routerLaw,
  stakedOpenLaw,
  stakersShareLaw,
  stillToStream,
  supplyLaw,
  type ConservationCheck,
  type InferenceOutcome,
  type RouterHoldings,
  type StakedOpenLedger,
} from "../core/conservation.js";
import type { DatanetRegistry, InferenceRouter, ModelRegistry, OpenToken, StakedOpen } from "../core/contracts.js";
import { ContributionStatus, InferenceStatus, ModelState, inferenceStatusName, type EnumName } from "../core/enums.js";
import { queryInSpans } from "../core/events.js";
import { decodeCredits } from "../core/inference.js";
import type { ClientContext } from "./context.js";

/** Where event queries start and how many blocks each spans. */
export interface EventRange {
  fromBlock?: number;
  span?: number;
}

function providerOf(runner: ContractRunner | null) {
  const provider = runner?.provider;
  if (provider === null || provider === undefined) throw new Error("The contract is not connected to a provider.");
  return provider;
}

/** gOPEN's figures at `blockTag` (default latest), over `accounts`: every account that ever staked or queued. */
export async function readStakedOpenLedger(
  openToken: OpenToken,
  stakedOpen: StakedOpen,
  accounts: readonly string[],
  blockTag: BlockTag = "latest",
): Promise<StakedOpenLedger> {
  const block = await providerOf(stakedOpen.runner).getBlock(blockTag);
  if (block === null) throw new Error(`The network has no block ${String(blockTag)}.`);
  const at = { blockTag };
  let queued = 0n;
  let earnedScaled = 0n;
  for (const account of new Set(accounts)) {
    queued += (await stakedOpen.pendingWithdrawal(account, at)).amount;
    earnedScaled += await stakedOpen.earnedScaled(account, at);
  }
  const [periodEnd, ratePerSecond, queuedRewards] = await stakedOpen.rewardStream(at);
  return {
    held: await openToken.balanceOf(await stakedOpen.getAddress(), at),
    staked: await stakedOpen.totalSupply(at),
    queued,
    earnedScaled,
    carryScaled: await stakedOpen.rewardCarryScaled(at),
    dustScaled: await stakedOpen.dustScaled(at),
    toStreamScaled: stillToStream({ periodEnd, ratePerSecond, queued: queuedRewards }, BigInt(block.timestamp)),
  };
}

/** Every account that ever staked or requested an unstake, from gOPEN's events. */
export async function stakerAccounts(stakedOpen: StakedOpen, range: EventRange = {}): Promise<string[]> {
  const provider = providerOf(stakedOpen.runner);
  const from = range.fromBlock ?? 0;
  const staked = await queryInSpans(
    provider,
    from,
    (a, b) => stakedOpen.queryFilter(stakedOpen.filters.Staked(), a, b),
    range.span,
  );
  const requested = await queryInSpans(
    provider,
    from,
    (a, b) => stakedOpen.queryFilter(stakedOpen.filters.UnstakeRequested(), a, b),
    range.span,
  );
  return [...new Set([...staked, ...requested].map((e) => e.args.account))];
}

/** DatanetRegistry's figures: it walks every contribution, so it needs no list of accounts. */
export async function readDatanetLedger(
  openToken: OpenToken,
  registry: DatanetRegistry,
): Promise<{ held: bigint; pendingBonds: bigint; refunds: bigint }> {
  const count = await registry.contributionCount();
  let pendingBonds = 0n;
  const contributors = new Set<string>();
  for (let id = 1n; id <= count; id++) {
    const c = await registry.getContribution(id);
    contributors.add(c.contributor);
    if (c.status === ContributionStatus.Pending) pendingBonds += c.bond;
  }
  let refunds = 0n;
  for (const contributor of contributors) refunds += await registry.refundOf(contributor);
  return { held: await openToken.balanceOf(await registry.getAddress()), pendingBonds, refunds };
}

/** ModelRegistry's figures: it walks every model. */
export async function readModelLedger(
  openToken: OpenToken,
  registry: ModelRegistry,
): Promise<{ held: bigint; proposedBonds: bigint }> {
  const count = await registry.modelCount();
  let proposedBonds = 0n;
  for (let id = 1n; id <= count; id++) {
    const m = await registry.getModel(id);
    if (m.state === ModelState.Proposed) proposedBonds += m.bond;
  }
  return { held: await openToken.balanceOf(await registry.getAddress()), proposedBonds };
}

/** The router's contracts. */
export interface RouterContracts {
  openToken: OpenToken;
  inferenceRouter: InferenceRouter;
  modelRegistry: ModelRegistry;
  datanetRegistry: DatanetRegistry;
}

/**
 * What the router holds, by part. Every inference comes from the InferencePaid events, and every account that
 * may hold credits is the creator of a paid model or the contributor of a contribution named in an
 * InferenceSettled event, so nothing is passed in.
 */
export async function readRouterLedger(
  c: RouterContracts,
  range: EventRange = {},
): Promise<RouterHoldings & { held: bigint }> {
  const router = c.inferenceRouter;
  const provider = providerOf(router.runner);
  const from = range.fromBlock ?? 0;
  const paid = await queryInSpans(
    provider,
    from,
    (a, b) => router.queryFilter(router.filters.InferencePaid(), a, b),
    range.span,
  );
  const settled = await queryInSpans(
    provider,
    from,
    (a, b) => router.queryFilter(router.filters.InferenceSettled(), a, b),
    range.span,
  );
  const accounts = new Set<string>();
  let pendingPools = 0n;
  for (const event of paid) {
    const inference = await router.getInference(event.args.inferenceId);
    if (inference.status === InferenceStatus.Pending) pendingPools += inference.pool;
    accounts.add((await c.modelRegistry.getModel(event.args.modelId)).creator);
  }
  for (const event of settled) {
    for (const { contributionId } of decodeCredits(event.args.credits)) {
      accounts.add((await c.datanetRegistry.getContribution(contributionId)).contributor);
    }
  }
  let credits = 0n;
  for (const account of accounts) credits += await router.creditOf(account);
  return {
    held: await c.openToken.balanceOf(await router.getAddress()),
    credits,
    pendingPools,
    treasuryOwed: await router.treasuryOwed(),
    stakersOwed: await router.stakersOwed(),
  };
}

/** Each paid inference from payment to its end (or its pending pool), from the router's events. */
export async function readInferenceOutcomes(
  router: InferenceRouter,
  range: EventRange = {},
): Promise<InferenceOutcome[]> {
  const provider = providerOf(router.runner);
  const from = range.fromBlock ?? 0;
  const query = <T>(q: (a: number, b: number) => Promise<T[]>) => queryInSpans(provider, from, q, range.span);
  const paid = await query((a, b) => router.queryFilter(router.filters.InferencePaid(), a, b));
  const settled = await query((a, b) => router.queryFilter(router.filters.InferenceSettled(), a, b));
  const expired = await query((a, b) => router.queryFilter(router.filters.InferenceExpired(), a, b));
  const outcomes: InferenceOutcome[] = [];
  for (const e of paid) {
    const { inferenceId, fee, creatorShare, stakersShare, platformFee } = e.args;
    const s = settled.find((x) => x.args.inferenceId === inferenceId);
    const x = expired.find((y) => y.args.inferenceId === inferenceId);
    const stored = await router.getInference(inferenceId);
    const status = inferenceStatusName(stored.status);
    outcomes.push({
      inferenceId,
      fee,
      creatorShare,
      stakersShare,
      platformFee,
      credited: s === undefined ? 0n : decodeCredits(s.args.credits).reduce((sum, credit) => sum + credit.amount, 0n),
      settledToTreasury: s?.args.toTreasury ?? 0n,
      expiredPool: x?.args.pool ?? 0n,
      status: status === "Settled" || status === "Expired" ? status : "Pending",
      pendingPool: status === "Pending" ? stored.pool : 0n,
    });
  }
  return outcomes;
}

/** The stakers' shares paid, released to gOPEN and still owed by the router. */
export async function readStakersShare(
  router: InferenceRouter,
  range: EventRange = {},
): Promise<{ paid: bigint; released: bigint; owed: bigint }> {
  const provider = providerOf(router.runner);
  const from = range.fromBlock ?? 0;
  const paid = await queryInSpans(
    provider,
    from,
    (a, b) => router.queryFilter(router.filters.InferencePaid(), a, b),
    range.span,
  );
  const released = await queryInSpans(
    provider,
    from,
    (a, b) => router.queryFilter(router.filters.StakerRewardsReleased(), a, b),
    range.span,
  );
  return {
    paid: paid.reduce((sum, e) => sum + e.args.stakersShare, 0n),
    released: released.reduce((sum, e) => sum + e.args.amount, 0n),
    owed: await router.stakersOwed(),
  };
}

/** Σ balances of every address that ever received OPEN (its Transfer events), and the supply. */
export async function readSupply(
  openToken: OpenToken,
  range: EventRange = {},
): Promise<{ balances: bigint; supply: bigint }> {
  const provider = providerOf(openToken.runner);
  const transfers = await queryInSpans(
    provider,
    range.fromBlock ?? 0,
    (a, b) => openToken.queryFilter(openToken.filters.Transfer(), a, b),
    range.span,
  );
  let balances = 0n;
  for (const holder of new Set(transfers.map((e) => e.args.to))) balances += await openToken.balanceOf(holder);
  return { balances, supply: await openToken.totalSupply() };
}

/** Every law checked on one deployment, and whether all hold. */
export interface ConservationReport {
  /** The token's supply, gOPEN, the registries, the router, the stakers' share. */
  laws: ConservationCheck[];
  /** One check per paid inference: its fee split to the wei. */
  fees: ConservationCheck[];
  holds: boolean;
}

/** One inference a payer paid for, with its status now. */
export interface InferencePayment {
  inferenceId: bigint;
  modelId: bigint;
  status: EnumName<typeof InferenceStatus>;
  /** OPEN-wei paid. */
  fee: bigint;
}

export class Ledger {
  constructor(private readonly ctx: ClientContext) {}

  private get range(): EventRange {
    return { fromBlock: this.ctx.deployment.deployBlock, span: this.ctx.logSpan };
  }

  /** What the router holds, by part. */
  router(): Promise<RouterHoldings & { held: bigint }> {
    return readRouterLedger(this.ctx.contracts, this.range);
  }

  /** Each paid inference's outcome. */
  inferences(): Promise<InferenceOutcome[]> {
    return readInferenceOutcomes(this.ctx.contracts.inferenceRouter, this.range);
  }

  /**
   * The inferences `payer` paid for, in payment order, with their status now: from the router's InferencePaid
   * events, or the client's indexer.
   */
  async payments(payer: string): Promise<InferencePayment[]> {
    const indexed = await this.ctx.indexer?.payments(payer);
    if (indexed !== undefined) return indexed;
    const router = this.ctx.contracts.inferenceRouter;
    const paid = await this.ctx.events((a, b) =>
      router.queryFilter(router.filters.InferencePaid(undefined, undefined, payer), a, b),
    );
    return Promise.all(
      paid.map(async ({ args: { inferenceId, modelId, fee } }) => ({
        inferenceId,
        modelId,
        status: inferenceStatusName((await router.getInference(inferenceId)).status),
        fee,
      })),
    );
  }

  /** Checks every conservation law on this deployment. */
  async check(): Promise<ConservationReport> {
    const { openToken, stakedOpen, datanetRegistry, modelRegistry, inferenceRouter } = this.ctx.contracts;
    const stakers = await stakerAccounts(stakedOpen, this.range);
    const laws = [
      supplyLaw(await readSupply(openToken, this.range)),
      stakedOpenLaw(await readStakedOpenLedger(openToken, stakedOpen, stakers)),
      datanetRegistryLaw(await readDatanetLedger(openToken, datanetRegistry)),
      modelRegistryLaw(await readModelLedger(openToken, modelRegistry)),
      routerLaw(await this.router()),
      stakersShareLaw(await readStakersShare(inferenceRouter, this.range)),
    ];
    const fees = (await this.inferences()).map(feeLaw);
    return { laws, fees, holds: [...laws, ...fees].every((c) => c.holds) };
  }
}
