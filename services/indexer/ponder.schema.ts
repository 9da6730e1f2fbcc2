/**
 * The indexer's tables: what a dapp lists, each kept current by the events of src/index.ts. Names are singular
 * (GraphQL pluralises them: `datanet` → `datanets`). Amounts are OPEN-wei or gOPEN-wei (bigint), times Unix
 * seconds of the block (bigint), addresses and hashes lower-case hex. Status and state columns hold the SDK's
 * enum names (sdk/core/enums.ts): `ContributionStatus`, `ModelState`, `InferenceStatus`, `VoteSupport`.
 */
import { index, onchainTable, primaryKey, relations } from "ponder";

import type {
  ContributionStatusName,
  EnumName,
  InferenceStatusName,
  ModelState,
  ProposalStateName,
  VoteSupport,
} from "../../sdk/core/enums.js";

/** What a `claim` row claimed: inference credits, bond refunds or staking rewards. */
export type ClaimKind = "credit" | "refund" | "reward";

/**
 * What the last event did to a timelock operation: scheduled it (it waits, then is ready), executed it or
 * cancelled it (the timelock forgets a cancelled operation: `getOperationState` says Unset).
 */
export type OperationStatus = "Scheduled" | "Executed" | "Cancelled";

/** Every event of every contract of the suite, decoded: the raw history the other tables are folded from. */
export const eventLog = onchainTable(
  "event_log",
  (t) => ({
    /** Ponder's event id (block, transaction and log position): sorts in chain order. */
    id: t.text().primaryKey(),
    /** The contract's name in the deployment record (`datanetRegistry`, …). */
    contract: t.text().notNull(),
    /** The event's name in the ABI (`ContributionSubmitted`, …). */
    name: t.text().notNull(),
    /** The decoded arguments by name; bigints as decimal strings. */
    args: t.json().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
  }),
  (table) => ({ contractName: index().on(table.contract, table.name), block: index().on(table.blockNumber) }),
);

export const datanet = onchainTable("datanet", (t) => ({
  id: t.bigint().primaryKey(),
  owner: t.hex().notNull(),
  metadataURI: t.text().notNull(),
  contributionBond: t.bigint().notNull(),
  open: t.boolean().notNull(),
  createdAt: t.bigint().notNull(),
  contributionCount: t.bigint().notNull(),
  acceptedCount: t.bigint().notNull(),
  versionCount: t.bigint().notNull(),
}));

/** A datanet's curators, the owner included (`isOwner`); `isCurator` false once removed. */
export const curator = onchainTable(
  "curator",
  (t) => ({
    datanetId: t.bigint().notNull(),
    account: t.hex().notNull(),
    isCurator: t.boolean().notNull(),
    isOwner: t.boolean().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.datanetId, table.account] }) }),
);

export const datanetVersion = onchainTable(
  "datanet_version",
  (t) => ({
    datanetId: t.bigint().notNull(),
    version: t.bigint().notNull(),
    merkleRoot: t.hex().notNull(),
    count: t.bigint().notNull(),
    uri: t.text().notNull(),
    publishedAt: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.datanetId, table.version] }) }),
);

export const contribution = onchainTable(
  "contribution",
  (t) => ({
    id: t.bigint().primaryKey(),
    datanetId: t.bigint().notNull(),
    contributor: t.hex().notNull(),
    contentHash: t.hex().notNull(),
    /** Only in the ContributionSubmitted event: the chain does not store it. */
    uri: t.text().notNull(),
    size: t.bigint().notNull(),
    bond: t.bigint().notNull(),
    status: t.text().$type<ContributionStatusName>().notNull(),
    submittedAt: t.bigint().notNull(),
    reviewedBy: t.hex(),
    reviewedAt: t.bigint(),
    penalizedBy: t.hex(),
    penaltyReason: t.text(),
  }),
  (table) => ({ datanet: index().on(table.datanetId), contributor: index().on(table.contributor) }),
);

export const model = onchainTable(
  "model",
  (t) => ({
    id: t.bigint().primaryKey(),
    creator: t.hex().notNull(),
    state: t.text().$type<EnumName<typeof ModelState>>().notNull(),
    proposedAt: t.bigint().notNull(),
    bond: t.bigint().notNull(),
    /** Where the proposal bond went (the creator on approval, the treasury on rejection), once settled. */
    bondSettledTo: t.hex(),
    datanetIds: t.bigint().array().notNull(),
    inputRate: t.bigint().notNull(),
    outputRate: t.bigint().notNull(),
    metadataURI: t.text().notNull(),
    artifactHash: t.hex(),
    artifactURI: t.text(),
    baseModelId: t.bigint(),
    inferenceCount: t.bigint().notNull(),
  }),
  (table) => ({ creator: index().on(table.creator) }),
);

/** Each transition of a model's lifecycle, in chain order. */
export const modelStateChange = onchainTable(
  "model_state_change",
  (t) => ({
    id: t.text().primaryKey(),
    modelId: t.bigint().notNull(),
    from: t.text().$type<EnumName<typeof ModelState>>().notNull(),
    to: t.text().$type<EnumName<typeof ModelState>>().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ model: index().on(table.modelId) }),
);

export const inference = onchainTable(
  "inference",
  (t) => ({
    id: t.bigint().primaryKey(),
    modelId: t.bigint().notNull(),
    payer: t.hex().notNull(),
    requestId: t.hex().notNull(),
    fee: t.bigint().notNull(),
    creatorShare: t.bigint().notNull(),
    stakersShare: t.bigint().notNull(),
    /** The contributors' share, held until settlement or expiry. */
    pool: t.bigint().notNull(),
    platformFee: t.bigint().notNull(),
    status: t.text().$type<InferenceStatusName>().notNull(),
    paidAt: t.bigint().notNull(),
    /** Ponder's id of its InferencePaid event (block, transaction and log position): sorts in payment order. */
    paidOrder: t.text().notNull(),
    settledAt: t.bigint(),
    outputHash: t.hex(),
    indexCommitment: t.hex(),
    /** OPEN-wei of the pool that went to the treasury (settlement dust and forfeits, or the whole pool on expiry). */
    toTreasury: t.bigint(),
  }),
  (table) => ({
    model: index().on(table.modelId),
    payer: index().on(table.payer),
    paidOrder: index().on(table.paidOrder),
  }),
);

/** What a settlement credited each contribution it named (0 under the threshold or forfeited). */
export const inferenceCredit = onchainTable(
  "inference_credit",
  (t) => ({
    inferenceId: t.bigint().notNull(),
    contributionId: t.bigint().notNull(),
    contributor: t.hex().notNull(),
    amount: t.bigint().notNull(),
    /** OPEN-wei of its share forfeited to the treasury: it was penalized after the report was signed. */
    forfeited: t.bigint().notNull(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.inferenceId, table.contributionId] }),
    contributor: index().on(table.contributor),
  }),
);

/**
 * Per account: inference credits (creator shares and contribution credits) at the router, bond refunds at the
 * datanet registry, and what was claimed of each. `credit` and `refund` are what `creditOf` and `refundOf` say.
 */
export const account = onchainTable("account", (t) => ({
  address: t.hex().primaryKey(),
  /** OPEN balance. */
  balance: t.bigint().notNull(),
  creditEarned: t.bigint().notNull(),
  creditClaimed: t.bigint().notNull(),
  credit: t.bigint().notNull(),
  refundEarned: t.bigint().notNull(),
  refundClaimed: t.bigint().notNull(),
  refund: t.bigint().notNull(),
}));

/** Each claim: of inference credits (`credit`), bond refunds (`refund`) or staking rewards (`reward`). */
export const claim = onchainTable(
  "claim",
  (t) => ({
    id: t.text().primaryKey(),
    kind: t.text().$type<ClaimKind>().notNull(),
    account: t.hex().notNull(),
    recipient: t.hex().notNull(),
    amount: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ account: index().on(table.account) }),
);

/** A staker: gOPEN held, votes, delegate, and totals of what moved. */
export const stake = onchainTable("stake", (t) => ({
  account: t.hex().primaryKey(),
  /** gOPEN balance (OPEN staked and not unstaked or slashed). */
  staked: t.bigint().notNull(),
  delegate: t.hex(),
  /** Votes delegated to this account. */
  votes: t.bigint().notNull(),
  totalStaked: t.bigint().notNull(),
  totalWithdrawn: t.bigint().notNull(),
  totalSlashed: t.bigint().notNull(),
  rewardsClaimed: t.bigint().notNull(),
}));

/** An account's OPEN queued by unstake requests, as `pendingWithdrawal` says. */
export const queuedWithdrawal = onchainTable("queued_withdrawal", (t) => ({
  account: t.hex().primaryKey(),
  amount: t.bigint().notNull(),
  releaseTime: t.bigint().notNull(),
  frozenUntil: t.bigint().notNull(),
}));

/** OPEN given to stakers: each notification and the period it streams over. */
export const reward = onchainTable("reward", (t) => ({
  id: t.text().primaryKey(),
  notifier: t.hex().notNull(),
  amount: t.bigint().notNull(),
  streamStart: t.bigint().notNull(),
  streamEnd: t.bigint().notNull(),
  blockNumber: t.bigint().notNull(),
  timestamp: t.bigint().notNull(),
}));

/** What onchainTable gives a table's column builder. */
type ColumnBuilders = Parameters<Extract<Parameters<typeof onchainTable>[1], (...args: never[]) => unknown>>[0];

/** Calls through the timelock, as the governor and the timelock emit them: three arrays of one length. */
function callColumns(t: ColumnBuilders) {
  return {
    targets: t.hex().array().notNull(),
    values: t.bigint().array().notNull(),
    calldatas: t.hex().array().notNull(),
  };
}

export const proposal = onchainTable(
  "proposal",
  (t) => ({
    id: t.bigint().primaryKey(),
    proposer: t.hex().notNull(),
    ...callColumns(t),
    description: t.text().notNull(),
    voteStart: t.bigint().notNull(),
    voteEnd: t.bigint().notNull(),
    /**
     * The last ProposalState an event set: Pending (created), Queued, Executed or Canceled (by the governor, or
     * its timelock operation cancelled). Active, Succeeded, Defeated and Expired follow from the clock and the
     * votes: `governor.state(id)` says which.
     */
    status: t.text().$type<Extract<ProposalStateName, "Pending" | "Queued" | "Executed" | "Canceled">>().notNull(),
    eta: t.bigint(),
    forVotes: t.bigint().notNull(),
    againstVotes: t.bigint().notNull(),
    abstainVotes: t.bigint().notNull(),
    createdAt: t.bigint().notNull(),
  }),
  (table) => ({ proposer: index().on(table.proposer) }),
);

/**
 * An operation scheduled on the timelock: the governor schedules one when it queues a proposal (its calls are the
 * proposal's actions). Waiting or Ready follows the clock: a Scheduled operation is Ready once `readyAt` has passed
 * (`getOperationState(id)` says which).
 */
export const timelockOperation = onchainTable(
  "timelock_operation",
  (t) => ({
    /** The timelock's operation id (`hashOperationBatch` of the calls, predecessor and salt). */
    id: t.hex().primaryKey(),
    ...callColumns(t),
    predecessor: t.hex().notNull(),
    salt: t.hex().notNull(),
    /** Seconds from scheduling to readiness. */
    delay: t.bigint().notNull(),
    scheduledAt: t.bigint().notNull(),
    /** Unix time from which it can be executed (`getTimestamp(id)` while it is pending). */
    readyAt: t.bigint().notNull(),
    status: t.text().$type<OperationStatus>().notNull(),
    /** The governor proposal that queued it, when one did. */
    proposalId: t.bigint(),
    executedAt: t.bigint(),
    cancelledAt: t.bigint(),
    /** Ponder's id of the CallScheduled event that (last) scheduled it: sorts in scheduling order. */
    scheduledOrder: t.text().notNull(),
  }),
  (table) => ({ status: index().on(table.status), scheduledOrder: index().on(table.scheduledOrder) }),
);

export const vote = onchainTable(
  "vote",
  (t) => ({
    proposalId: t.bigint().notNull(),
    voter: t.hex().notNull(),
    support: t.text().$type<EnumName<typeof VoteSupport>>().notNull(),
    weight: t.bigint().notNull(),
    reason: t.text().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.proposalId, table.voter] }) }),
);

export const datanetRelations = relations(datanet, ({ many }) => ({
  curators: many(curator),
  versions: many(datanetVersion),
  contributions: many(contribution),
}));
export const curatorRelations = relations(curator, ({ one }) => ({
  datanet: one(datanet, { fields: [curator.datanetId], references: [datanet.id] }),
}));
export const datanetVersionRelations = relations(datanetVersion, ({ one }) => ({
  datanet: one(datanet, { fields: [datanetVersion.datanetId], references: [datanet.id] }),
}));
export const contributionRelations = relations(contribution, ({ one, many }) => ({
  datanet: one(datanet, { fields: [contribution.datanetId], references: [datanet.id] }),
  credits: many(inferenceCredit),
}));
export const modelRelations = relations(model, ({ many }) => ({
  stateChanges: many(modelStateChange),
  inferences: many(inference),
}));
export const modelStateChangeRelations = relations(modelStateChange, ({ one }) => ({
  model: one(model, { fields: [modelStateChange.modelId], references: [model.id] }),
}));
export const inferenceRelations = relations(inference, ({ one, many }) => ({
  model: one(model, { fields: [inference.modelId], references: [model.id] }),
  credits: many(inferenceCredit),
}));
export const inferenceCreditRelations = relations(inferenceCredit, ({ one }) => ({
  inference: one(inference, { fields: [inferenceCredit.inferenceId], references: [inference.id] }),
  contribution: one(contribution, { fields: [inferenceCredit.contributionId], references: [contribution.id] }),
}));
export const accountRelations = relations(account, ({ many, one }) => ({
  claims: many(claim),
  stake: one(stake, { fields: [account.address], references: [stake.account] }),
  queuedWithdrawal: one(queuedWithdrawal, { fields: [account.address], references: [queuedWithdrawal.account] }),
}));
export const claimRelations = relations(claim, ({ one }) => ({
  holder: one(account, { fields: [claim.account], references: [account.address] }),
}));
export const proposalRelations = relations(proposal, ({ many }) => ({
  votes: many(vote),
}));
export const voteRelations = relations(vote, ({ one }) => ({
  proposal: one(proposal, { fields: [vote.proposalId], references: [proposal.id] }),
}));
