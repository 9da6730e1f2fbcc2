/**
 * The indexing functions: each event of the suite is written to `event_log`, and the events a dapp lists are
 * folded into the tables of ponder.schema.ts. Every event of every ABI gets a handler (the generic ones only log),
 * so the indexer serves the whole history even of events no table folds.
 */
import { ponder } from "ponder:registry";
import {
  type ClaimKind,
  account,
  claim,
  contribution,
  curator,
  datanet,
  datanetVersion,
  eventLog,
  inference,
  inferenceCredit,
  model,
  modelStateChange,
  proposal,
  queuedWithdrawal,
  reward,
  stake,
  timelockOperation,
  vote,
} from "ponder:schema";
import { replaceBigInts } from "ponder";

import { ABIS } from "../../../sdk/core/abis.js";
import { CONTRACT_NAMES } from "../../../sdk/core/deployments.js";
import { modelStateName, voteSupportName } from "../../../sdk/core/enums.js";
import { decodeCredits } from "../../../sdk/core/inference.js";
import { actionsOf, timelockOperationId } from "../../../sdk/core/proposals.js";

type Db = Parameters<Parameters<typeof ponder.on>[1]>[0]["context"]["db"];
type Hex = `0x${string}`;

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** What every log event carries, whichever contract and event it is. */
interface LoggedEvent {
  id: string;
  args: unknown;
  block: { number: bigint; timestamp: bigint };
  transaction: { hash: Hex };
  log: { logIndex: number };
}

/** Writes the `event_log` row of an event, from the name it is registered under (`contract:Event`). */
async function log(name: string, event: LoggedEvent, db: Db): Promise<void> {
  const [contractName = "", eventName = ""] = name.split(":");
  await db.insert(eventLog).values({
    id: event.id,
    contract: contractName,
    name: eventName,
    args: replaceBigInts(event.args, (v) => String(v)),
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    transactionHash: event.transaction.hash,
    logIndex: event.log.logIndex,
  });
}

const folded = new Set<string>();

/**
 * Registers `fold` for event `name` (typed by Ponder from the SDK's ABI); the event is logged to `event_log`
 * first.
 */
const on: typeof ponder.on = (name, fold) => {
  folded.add(name);
  ponder.on(name, async (args) => {
    await log(name, args.event as LoggedEvent, args.context.db);
    await fold(args);
  });
};

// --- Accounts: OPEN balances, inference credits, bond refunds --------------------------------------------------

const EMPTY_ACCOUNT = {
  balance: 0n,
  creditEarned: 0n,
  creditClaimed: 0n,
  credit: 0n,
  refundEarned: 0n,
  refundClaimed: 0n,
  refund: 0n,
} as const;

type AccountRow = typeof account.$inferSelect;

/** Applies `change` to `address`'s account row, creating it empty first. */
async function updateAccount(
  db: Db,
  address: Hex,
  change: (row: AccountRow) => Partial<Omit<AccountRow, "address">>,
): Promise<void> {
  await db
    .insert(account)
    .values({ address, ...EMPTY_ACCOUNT })
    .onConflictDoNothing();
  await db.update(account, { address }).set(change);
}

on("openToken:Transfer", async ({ event, context }) => {
  const { from, to, value } = event.args;
  if (from !== ZERO_ADDRESS) await updateAccount(context.db, from, (row) => ({ balance: row.balance - value }));
  if (to !== ZERO_ADDRESS) await updateAccount(context.db, to, (row) => ({ balance: row.balance + value }));
});

// --- Datanets and contributions ----------------------------------------------------------------------------------

on("datanetRegistry:DatanetCreated", async ({ event, context }) => {
  const { datanetId, owner, contributionBond, metadataURI } = event.args;
  await context.db.insert(datanet).values({
    id: datanetId,
    owner,
    metadataURI,
    contributionBond,
    open: true,
    createdAt: event.block.timestamp,
    contributionCount: 0n,
    acceptedCount: 0n,
    versionCount: 0n,
  });
  await context.db
    .insert(curator)
    .values({ datanetId, account: owner, isCurator: true, isOwner: true, updatedAt: event.block.timestamp });
});

on("datanetRegistry:DatanetOpenChanged", async ({ event, context }) => {
  await context.db.update(datanet, { id: event.args.datanetId }).set({ open: event.args.open });
});

on("datanetRegistry:ContributionBondUpdated", async ({ event, context }) => {
  await context.db.update(datanet, { id: event.args.datanetId }).set({ contributionBond: event.args.newBond });
});

on("datanetRegistry:CuratorUpdated", async ({ event, context }) => {
  const { datanetId, curator: address, isCurator } = event.args;
  await context.db
    .insert(curator)
    .values({ datanetId, account: address, isCurator, isOwner: false, updatedAt: event.block.timestamp })
    .onConflictDoUpdate({ isCurator, updatedAt: event.block.timestamp });
});

on("datanetRegistry:ContributionSubmitted", async ({ event, context }) => {
  const { contributionId, datanetId, contributor, contentHash, uri, size, bond } = event.args;
  await context.db.insert(contribution).values({
    id: contributionId,
    datanetId,
    contributor,
    contentHash,
    uri,
    size,
    bond,
    status: "Pending",
    submittedAt: event.block.timestamp,
  });
  await context.db.update(datanet, { id: datanetId }).set((row) => ({ contributionCount: row.contributionCount + 1n }));
});

on("datanetRegistry:ContributionReviewed", async ({ event, context }) => {
  const { contributionId, datanetId, curator: by, accepted, bond } = event.args;
  await context.db.update(contribution, { id: contributionId }).set({
    status: accepted ? "Accepted" : "Rejected",
    reviewedBy: by,
    reviewedAt: event.block.timestamp,
  });
  if (!accepted) return;
  await context.db.update(datanet, { id: datanetId }).set((row) => ({ acceptedCount: row.acceptedCount + 1n }));
  const row = await context.db.find(contribution, { id: contributionId });
  if (row !== null && bond !== 0n) {
    await updateAccount(context.db, row.contributor, (a) => ({
      refundEarned: a.refundEarned + bond,
      refund: a.refund + bond,
    }));
  }
});

on("datanetRegistry:ContributionPenalized", async ({ event, context }) => {
  const { contributionId, by, reason } = event.args;
  await context.db
    .update(contribution, { id: contributionId })
    .set({ status: "Penalized", penalizedBy: by, penaltyReason: reason });
});

on("datanetRegistry:VersionPublished", async ({ event, context }) => {
  const { datanetId, version, merkleRoot, count, uri } = event.args;
  await context.db
    .insert(datanetVersion)
    .values({ datanetId, version, merkleRoot, count, uri, publishedAt: event.block.timestamp });
  await context.db.update(datanet, { id: datanetId }).set({ versionCount: version });
});

on("datanetRegistry:RefundClaimed", async ({ event, context }) => {
  const { account: holder, recipient, amount } = event.args;
  await insertClaim("refund", holder, recipient, amount, event, context.db);
  await updateAccount(context.db, holder, (a) => ({ refundClaimed: a.refundClaimed + amount, refund: 0n }));
});

// --- Models ------------------------------------------------------------------------------------------------------

on("modelRegistry:ModelProposed", async ({ event, context }) => {
  const { modelId, creator, datanetIds, inputRate, outputRate, bond, metadataURI } = event.args;
  await context.db.insert(model).values({
    id: modelId,
    creator,
    state: "Proposed",
    proposedAt: event.block.timestamp,
    bond,
    datanetIds: [...datanetIds],
    inputRate,
    outputRate,
    metadataURI,
    inferenceCount: 0n,
  });
});

on("modelRegistry:ModelStateChanged", async ({ event, context }) => {
  const { modelId, from, to } = event.args;
  await context.db.update(model, { id: modelId }).set({ state: modelStateName(to) });
  await context.db.insert(modelStateChange).values({
    id: event.id,
    modelId,
    from: modelStateName(from),
    to: modelStateName(to),
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    transactionHash: event.transaction.hash,
  });
});

on("modelRegistry:ProposalBondSettled", async ({ event, context }) => {
  await context.db.update(model, { id: event.args.modelId }).set({ bondSettledTo: event.args.to });
});

on("modelRegistry:ArtifactRegistered", async ({ event, context }) => {
  const { modelId, artifactHash, artifactURI, baseModelId } = event.args;
  await context.db.update(model, { id: modelId }).set({ artifactHash, artifactURI, baseModelId });
});

on("modelRegistry:RatesUpdated", async ({ event, context }) => {
  const { modelId, inputRate, outputRate } = event.args;
  await context.db.update(model, { id: modelId }).set({ inputRate, outputRate });
});

// --- Inferences, settlement, credits -------------------------------------------------------------------------------

on("inferenceRouter:InferencePaid", async ({ event, context }) => {
  const { inferenceId, modelId, payer, requestId, fee, creatorShare, stakersShare, pool, platformFee } = event.args;
  await context.db.insert(inference).values({
    id: inferenceId,
    modelId,
    payer,
    requestId,
    fee,
    creatorShare,
    stakersShare,
    pool,
    platformFee,
    status: "Pending",
    paidAt: event.block.timestamp,
    paidOrder: event.id,
  });
  const paid = await context.db
    .update(model, { id: modelId })
    .set((row) => ({ inferenceCount: row.inferenceCount + 1n }));
  if (creatorShare !== 0n) {
    await updateAccount(context.db, paid.creator, (a) => ({
      creditEarned: a.creditEarned + creatorShare,
      credit: a.credit + creatorShare,
    }));
  }
});

/** The contributor of contribution `id` (every contribution a report names was indexed when submitted). */
async function contributorOf(db: Db, id: bigint): Promise<Hex> {
  const row = await db.find(contribution, { id });
  if (row === null) throw new Error(`Contribution ${id} was credited before it was indexed.`);
  return row.contributor;
}

// Emitted during a settlement, before its InferenceSettled.
on("inferenceRouter:ContributionForfeited", async ({ event, context }) => {
  const { inferenceId, contributionId, amount } = event.args;
  const contributor = await contributorOf(context.db, contributionId);
  await context.db
    .insert(inferenceCredit)
    .values({ inferenceId, contributionId, contributor, amount: 0n, forfeited: amount })
    .onConflictDoUpdate({ forfeited: amount });
});

on("inferenceRouter:InferenceSettled", async ({ event, context }) => {
  const { inferenceId, outputHash, indexCommitment, toTreasury, credits } = event.args;
  await context.db.update(inference, { id: inferenceId }).set({
    status: "Settled",
    settledAt: event.block.timestamp,
    outputHash,
    indexCommitment,
    toTreasury,
  });
  for (const { contributionId, amount } of decodeCredits(credits)) {
    const contributor = await contributorOf(context.db, contributionId);
    await context.db
      .insert(inferenceCredit)
      .values({ inferenceId, contributionId, contributor, amount, forfeited: 0n })
      .onConflictDoUpdate({ amount });
    if (amount !== 0n) {
      await updateAccount(context.db, contributor, (a) => ({
        creditEarned: a.creditEarned + amount,
        credit: a.credit + amount,
      }));
    }
  }
});

on("inferenceRouter:InferenceExpired", async ({ event, context }) => {
  await context.db
    .update(inference, { id: event.args.inferenceId })
    .set({ status: "Expired", settledAt: event.block.timestamp, toTreasury: event.args.pool });
});

on("inferenceRouter:Claimed", async ({ event, context }) => {
  const { account: holder, recipient, amount } = event.args;
  await insertClaim("credit", holder, recipient, amount, event, context.db);
  await updateAccount(context.db, holder, (a) => ({ creditClaimed: a.creditClaimed + amount, credit: 0n }));
});

/** A `claim` row: what `holder` claimed of one kind, paid to `recipient`. */
async function insertClaim(
  kind: ClaimKind,
  holder: Hex,
  recipient: Hex,
  amount: bigint,
  event: { id: string; block: { number: bigint; timestamp: bigint }; transaction: { hash: Hex } },
  db: Db,
): Promise<void> {
  await db.insert(claim).values({
    id: event.id,
    kind,
    account: holder,
    recipient,
    amount,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
    transactionHash: event.transaction.hash,
  });
}

// --- Staking: gOPEN, votes, queued withdrawals, rewards ------------------------------------------------------------

const EMPTY_STAKE = {
  staked: 0n,
  votes: 0n,
  totalStaked: 0n,
  totalWithdrawn: 0n,
  totalSlashed: 0n,
  rewardsClaimed: 0n,
} as const;

type StakeRow = typeof stake.$inferSelect;

async function updateStake(
  db: Db,
  address: Hex,
  change: (row: StakeRow) => Partial<Omit<StakeRow, "account">>,
): Promise<void> {
  await db
    .insert(stake)
    .values({ account: address, ...EMPTY_STAKE })
    .onConflictDoNothing();
  await db.update(stake, { account: address }).set(change);
}

type QueueRow = typeof queuedWithdrawal.$inferSelect;

async function updateQueue(
  db: Db,
  address: Hex,
  change: (row: QueueRow) => Partial<Omit<QueueRow, "account">>,
): Promise<void> {
  await db
    .insert(queuedWithdrawal)
    .values({ account: address, amount: 0n, releaseTime: 0n, frozenUntil: 0n })
    .onConflictDoNothing();
  await db.update(queuedWithdrawal, { account: address }).set(change);
}

// gOPEN is minted by a stake and burnt by an unstake request or a slash; it is not transferable.
on("stakedOpen:Transfer", async ({ event, context }) => {
  const { from, to, value } = event.args;
  if (from !== ZERO_ADDRESS) await updateStake(context.db, from, (row) => ({ staked: row.staked - value }));
  if (to !== ZERO_ADDRESS) await updateStake(context.db, to, (row) => ({ staked: row.staked + value }));
});

on("stakedOpen:Staked", async ({ event, context }) => {
  const { account: staker, amount } = event.args;
  await updateStake(context.db, staker, (row) => ({ totalStaked: row.totalStaked + amount }));
});

on("stakedOpen:DelegateChanged", async ({ event, context }) => {
  await updateStake(context.db, event.args.delegator, () => ({ delegate: event.args.toDelegate }));
});

on("stakedOpen:DelegateVotesChanged", async ({ event, context }) => {
  await updateStake(context.db, event.args.delegate, () => ({ votes: event.args.newVotes }));
});

on("stakedOpen:UnstakeRequested", async ({ event, context }) => {
  const { account: staker, totalQueued, releaseTime } = event.args;
  await updateQueue(context.db, staker, () => ({ amount: totalQueued, releaseTime }));
});

// A withdrawal releases the whole queue and forgets it, freeze included.
on("stakedOpen:Withdrawn", async ({ event, context }) => {
  const { account: staker, amount } = event.args;
  await updateQueue(context.db, staker, () => ({ amount: 0n, releaseTime: 0n, frozenUntil: 0n }));
  await updateStake(context.db, staker, (row) => ({ totalWithdrawn: row.totalWithdrawn + amount }));
});

// A slash takes from the stake (burnt: see Transfer) and then from the queue; an emptied queue loses its release time.
on("stakedOpen:Slashed", async ({ event, context }) => {
  const { account: staker, fromStake, fromQueued } = event.args;
  await updateStake(context.db, staker, (row) => ({ totalSlashed: row.totalSlashed + fromStake + fromQueued }));
  if (fromQueued === 0n) return;
  await updateQueue(context.db, staker, (row) => {
    const amount = row.amount - fromQueued;
    return amount === 0n ? { amount, releaseTime: 0n } : { amount };
  });
});

on("stakedOpen:WithdrawalsFrozen", async ({ event, context }) => {
  const { account: staker, until } = event.args;
  await updateQueue(context.db, staker, (row) => (until > row.frozenUntil ? { frozenUntil: until } : {}));
});

on("stakedOpen:WithdrawalsUnfrozen", async ({ event, context }) => {
  await updateQueue(context.db, event.args.account, () => ({ frozenUntil: 0n }));
});

on("stakedOpen:RewardNotified", async ({ event, context }) => {
  const { notifier, amount, streamStart, streamEnd } = event.args;
  await context.db.insert(reward).values({
    id: event.id,
    notifier,
    amount,
    streamStart,
    streamEnd,
    blockNumber: event.block.number,
    timestamp: event.block.timestamp,
  });
});

on("stakedOpen:RewardClaimed", async ({ event, context }) => {
  const { account: staker, recipient, amount } = event.args;
  await insertClaim("reward", staker, recipient, amount, event, context.db);
  await updateStake(context.db, staker, (row) => ({ rewardsClaimed: row.rewardsClaimed + amount }));
});

// --- Governance ----------------------------------------------------------------------------------------------------

on("governor:ProposalCreated", async ({ event, context }) => {
  const { proposalId, proposer, targets, values, calldatas, voteStart, voteEnd, description } = event.args;
  await context.db.insert(proposal).values({
    id: proposalId,
    proposer,
    targets: [...targets],
    values: [...values],
    calldatas: [...calldatas],
    description,
    voteStart,
    voteEnd,
    status: "Pending",
    forVotes: 0n,
    againstVotes: 0n,
    abstainVotes: 0n,
    createdAt: event.block.timestamp,
  });
});

async function castVote(
  db: Db,
  args: { voter: Hex; proposalId: bigint; support: number; weight: bigint; reason: string },
  timestamp: bigint,
): Promise<void> {
  const { voter, proposalId, support, weight, reason } = args;
  const name = voteSupportName(support);
  await db.insert(vote).values({ proposalId, voter, support: name, weight, reason, timestamp });
  await db.update(proposal, { id: proposalId }).set((row) => {
    switch (name) {
      case "For":
        return { forVotes: row.forVotes + weight };
      case "Against":
        return { againstVotes: row.againstVotes + weight };
      case "Abstain":
        return { abstainVotes: row.abstainVotes + weight };
      default:
        return {};
    }
  });
}

on("governor:VoteCast", async ({ event, context }) => {
  await castVote(context.db, event.args, event.block.timestamp);
});

on("governor:VoteCastWithParams", async ({ event, context }) => {
  await castVote(context.db, event.args, event.block.timestamp);
});

// After the timelock's CallScheduled events of the same transaction: the operation they scheduled is this one's.
on("governor:ProposalQueued", async ({ event, context }) => {
  const { proposalId } = event.args;
  const queued = await context.db
    .update(proposal, { id: proposalId })
    .set({ status: "Queued", eta: event.args.etaSeconds });
  const actions = actionsOf(queued.targets, queued.values, queued.calldatas);
  const operationId = timelockOperationId(event.log.address, actions, queued.description) as Hex;
  await context.db.update(timelockOperation, { id: operationId }).set({ proposalId });
});

on("governor:ProposalExecuted", async ({ event, context }) => {
  await context.db.update(proposal, { id: event.args.proposalId }).set({ status: "Executed" });
});

on("governor:ProposalCanceled", async ({ event, context }) => {
  await context.db.update(proposal, { id: event.args.proposalId }).set({ status: "Canceled" });
});

// --- Timelock operations -------------------------------------------------------------------------------------------

const ZERO_HASH: Hex = `0x${"0".repeat(64)}`;

// One CallScheduled per call, index 0 first; an operation cancelled may be scheduled again (its row starts over).
on("timelock:CallScheduled", async ({ event, context }) => {
  const { id, index: position, target, value, data, predecessor, delay } = event.args;
  if (position === 0n) {
    const scheduled: Omit<typeof timelockOperation.$inferInsert, "id"> = {
      targets: [target],
      values: [value],
      calldatas: [data],
      predecessor,
      salt: ZERO_HASH,
      delay,
      scheduledAt: event.block.timestamp,
      readyAt: event.block.timestamp + delay,
      status: "Scheduled",
      proposalId: null,
      executedAt: null,
      cancelledAt: null,
      scheduledOrder: event.id,
    };
    await context.db
      .insert(timelockOperation)
      .values({ id, ...scheduled })
      .onConflictDoUpdate(scheduled);
    return;
  }
  await context.db.update(timelockOperation, { id }).set((row) => ({
    targets: [...row.targets, target],
    values: [...row.values, value],
    calldatas: [...row.calldatas, data],
  }));
});

// Emitted after the CallScheduled events, only for a salt other than zero.
on("timelock:CallSalt", async ({ event, context }) => {
  await context.db.update(timelockOperation, { id: event.args.id }).set({ salt: event.args.salt });
});

on("timelock:CallExecuted", async ({ event, context }) => {
  await context.db
    .update(timelockOperation, { id: event.args.id })
    .set({ status: "Executed", executedAt: event.block.timestamp });
});

// A queued proposal whose operation is cancelled is Canceled (the governor's state says so; it emits nothing).
on("timelock:Cancelled", async ({ event, context }) => {
  const cancelled = await context.db
    .update(timelockOperation, { id: event.args.id })
    .set({ status: "Cancelled", cancelledAt: event.block.timestamp });
  if (cancelled.proposalId !== null) {
    await context.db.update(proposal, { id: cancelled.proposalId }).set({ status: "Canceled" });
  }
});

// --- Every other event: logged only ----------------------------------------------------------------------------------

for (const contractName of CONTRACT_NAMES) {
  for (const item of ABIS[contractName]) {
    if (item.type !== "event") continue;
    const name = `${contractName}:${item.name}` as Parameters<typeof ponder.on>[0];
    if (folded.has(name)) continue;
    ponder.on(name, async ({ event, context }) => log(name, event as LoggedEvent, context.db));
  }
}
