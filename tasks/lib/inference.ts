import { hexlify, randomBytes } from "ethers";

import { quoteFee, type FeeQuote } from "../../sdk/core/fees.js";
import { decodeCredits, inferenceIdOf } from "../../sdk/core/inference.js";
import { UserError, decodeRevert, formatOpen } from "./cli.js";
import { checkRecipient, type ProtocolContext } from "./context.js";
import { eventArgs, queryInSpans } from "./events.js";
import { modelStateName } from "./models.js";
import { signOpenPermit } from "./permit.js";
import { inferenceStatusName } from "./states.js";

const ACTIVE = 5n;
const MAX_TOKENS = 2n ** 64n - 1n;

async function activeModel(ctx: ProtocolContext, modelId: bigint) {
  if (modelId === 0n || modelId > (await ctx.modelRegistry.modelCount())) {
    throw new UserError(`There is no model ${modelId}.`);
  }
  const terms = await ctx.modelRegistry.paymentTerms(modelId);
  if (terms.state !== ACTIVE) {
    throw new UserError(`Model ${modelId} is ${modelStateName(terms.state)}; only Active models take inference.`);
  }
  return terms;
}

function checkTokens(tokens: bigint, option: string): bigint {
  if (tokens > MAX_TOKENS) throw new UserError(`${option} must be below 2^64.`);
  return tokens;
}

/** The fee of an inference and its split, from the model's rates and the router's parameters. */
export async function quoteInference(
  ctx: ProtocolContext,
  modelId: bigint,
  inputTokens: bigint,
  outputTokens: bigint,
): Promise<FeeQuote> {
  const terms = await activeModel(ctx, modelId);
  const p = await ctx.inferenceRouter.parameters();
  return quoteFee(
    checkTokens(inputTokens, "--input-tokens"),
    checkTokens(outputTokens, "--output-tokens"),
    { inputRate: terms.inputRate, outputRate: terms.outputRate },
    p.platformFee,
    { creatorBps: p.creatorBps, stakersBps: p.stakersBps, contributorsBps: p.contributorsBps },
  );
}

/** A fresh random request id. */
export function newRequestId(): string {
  return hexlify(randomBytes(32));
}

/** One inference as the router stores it. */
export interface StoredInference {
  modelId: bigint;
  paidAt: bigint;
  /** On the router's active clock (see `activeTime`), not Unix time. */
  closesAt: bigint;
  status: bigint;
  pool: bigint;
}

/** The inference `inferenceId`, or undefined when the router has none. */
export async function findInference(ctx: ProtocolContext, inferenceId: bigint): Promise<StoredInference | undefined> {
  try {
    const i = await ctx.inferenceRouter.getInference(inferenceId);
    return { modelId: i.modelId, paidAt: i.paidAt, closesAt: i.closesAt, status: i.status, pool: i.pool };
  } catch (error) {
    if (decodeRevert(error)?.name === "InferenceRouterUnknownInference") return undefined;
    throw error;
  }
}

/** The inference `inferenceId`, refusing an unknown id with a sentence. */
export async function requireInference(ctx: ProtocolContext, inferenceId: bigint): Promise<StoredInference> {
  const inference = await findInference(ctx, inferenceId);
  if (inference === undefined) throw new UserError(`There is no inference ${inferenceId}.`);
  return inference;
}

/**
 * Pays for one inference. `maxFee` defaults to the quoted fee; when the allowance is short an EIP-2612
 * permit for `maxFee` is signed so approval and payment happen in one transaction. The inference id is
 * known before paying: it is derived from the payer and the request id.
 */
export async function payInference(
  ctx: ProtocolContext,
  modelId: bigint,
  inputTokens: bigint,
  outputTokens: bigint,
  options: { requestId?: string; maxFee?: bigint } = {},
): Promise<{ hash: string; inferenceId: bigint; requestId: string; quote: FeeQuote; maxFee: bigint }> {
  const { inferenceRouter, openToken, signer } = ctx;
  const quote = await quoteInference(ctx, modelId, inputTokens, outputTokens);
  const maxFee = options.maxFee ?? quote.fee;
  if (quote.fee > maxFee) {
    throw new UserError(`The fee is ${formatOpen(quote.fee)}, above --max-fee ${formatOpen(maxFee)}.`);
  }
  const requestId = options.requestId ?? newRequestId();
  const inferenceId = inferenceIdOf(signer.address, requestId);
  const existing = await findInference(ctx, inferenceId);
  if (existing !== undefined) {
    throw new UserError(
      `${signer.address} already paid request ${requestId}, as inference ${inferenceId} (${inferenceStatusName(existing.status)}); use a new --request-id.`,
    );
  }
  if (await inferenceRouter.paused()) {
    throw new UserError(
      "Inference payments are paused by the guardian (only governance unpauses); no attribution window runs out meanwhile.",
    );
  }
  const balance = await openToken.balanceOf(signer.address);
  if (balance < quote.fee) {
    throw new UserError(`${signer.address} holds ${formatOpen(balance)}, less than the ${formatOpen(quote.fee)} fee.`);
  }
  const router = await inferenceRouter.getAddress();
  let tx;
  if ((await openToken.allowance(signer.address, router)) >= maxFee) {
    tx = await inferenceRouter.payInference(modelId, inputTokens, outputTokens, requestId, maxFee);
  } else {
    const { deadline, v, r, s } = await signOpenPermit(ctx, router, maxFee);
    tx = await inferenceRouter.payInferenceWithPermit(
      modelId,
      inputTokens,
      outputTokens,
      requestId,
      maxFee,
      deadline,
      v,
      r,
      s,
    );
  }
  const args = await eventArgs(await tx.wait(), inferenceRouter, "InferencePaid");
  if (args.inferenceId !== inferenceId) {
    throw new Error(`The router paid inference ${String(args.inferenceId)}, not ${inferenceId} as derived.`);
  }
  return { hash: tx.hash, inferenceId, requestId, quote, maxFee };
}

/** What a settlement paid for one inference, from its InferenceSettled and ContributionForfeited events. */
export interface Settlement {
  outputHash: string;
  indexCommitment: string;
  contributionIds: bigint[];
  /** OPEN-wei credited to each contribution (0 under the threshold or forfeited). */
  amounts: bigint[];
  /** Contributions penalized since they were accepted, with the share each forfeited to the treasury. */
  forfeited: { contributionId: bigint; amount: bigint }[];
  toTreasury: bigint;
  transaction: string;
}

/** One inference with its history: payment, window on the active clock, and settlement or expiry. */
export interface InferenceDetails extends StoredInference {
  inferenceId: bigint;
  payer: string;
  requestId: string;
  fee: bigint;
  creatorShare: bigint;
  stakersShare: bigint;
  platformFee: bigint;
  /** The router's active clock now, and whether it stands still (paused). */
  activeTime: bigint;
  paused: boolean;
  /** Unix time the window closes if the router is not paused (again) before. */
  closingTime: bigint;
  /** Active seconds left in the window (0 once closed). */
  remaining: bigint;
  settlement?: Settlement;
  expiredPool?: bigint;
}

/** Reads an inference and its events. */
export async function readInference(ctx: ProtocolContext, inferenceId: bigint): Promise<InferenceDetails> {
  const stored = await requireInference(ctx, inferenceId);
  const router = ctx.inferenceRouter;
  const provider = ctx.connection.ethers.provider;
  const since = ctx.deployment.deployBlock;
  const [paid] = await queryInSpans(provider, since, (a, b) =>
    router.queryFilter(router.filters.InferencePaid(inferenceId), a, b),
  );
  if (paid === undefined) {
    throw new UserError(
      `Inference ${inferenceId} exists but its InferencePaid event was not found after block ${since}.`,
    );
  }
  const [activeTime, paused, closingTime] = await Promise.all([
    router.activeTime(),
    router.paused(),
    router.closingTime(inferenceId),
  ]);
  const details: InferenceDetails = {
    ...stored,
    inferenceId,
    payer: paid.args.payer,
    requestId: paid.args.requestId,
    fee: paid.args.fee,
    creatorShare: paid.args.creatorShare,
    stakersShare: paid.args.stakersShare,
    platformFee: paid.args.platformFee,
    activeTime,
    paused,
    closingTime,
    remaining: stored.closesAt > activeTime ? stored.closesAt - activeTime : 0n,
  };
  if (inferenceStatusName(stored.status) === "Settled") {
    const [settled] = await queryInSpans(provider, since, (a, b) =>
      router.queryFilter(router.filters.InferenceSettled(inferenceId), a, b),
    );
    const forfeits = await queryInSpans(provider, since, (a, b) =>
      router.queryFilter(router.filters.ContributionForfeited(inferenceId), a, b),
    );
    if (settled !== undefined) {
      const credits = decodeCredits(settled.args.credits);
      details.settlement = {
        outputHash: settled.args.outputHash,
        indexCommitment: settled.args.indexCommitment,
        contributionIds: credits.map((c) => c.contributionId),
        amounts: credits.map((c) => c.amount),
        forfeited: forfeits.map((e) => ({ contributionId: e.args.contributionId, amount: e.args.amount })),
        toTreasury: settled.args.toTreasury,
        transaction: settled.transactionHash,
      };
    }
  }
  if (inferenceStatusName(stored.status) === "Expired") details.expiredPool = stored.pool;
  return details;
}

/**
 * Sends the stakers' shares the router holds to gOPEN, which streams them to stakers over its next reward
 * period. Anyone may do it; it is never paused.
 */
export async function releaseStakerRewards(
  ctx: ProtocolContext,
): Promise<{ hash: string; amount: bigint; streamStart: bigint; streamEnd: bigint; staked: bigint }> {
  const { inferenceRouter, stakedOpen } = ctx;
  const amount = await inferenceRouter.stakersOwed();
  if (amount === 0n) {
    throw new UserError(
      "No stakers' share is waiting to be released: it accrues with every paid inference (see status).",
    );
  }
  const tx = await inferenceRouter.releaseStakerRewards();
  const args = await eventArgs(await tx.wait(), stakedOpen, "RewardNotified");
  return {
    hash: tx.hash,
    amount,
    streamStart: args.streamStart as bigint,
    streamEnd: args.streamEnd as bigint,
    staked: await stakedOpen.totalSupply(),
  };
}

/** What `account` can claim across the protocol. */
export async function readRewards(ctx: ProtocolContext, account: string) {
  const [credits, staking, refunds] = await Promise.all([
    ctx.inferenceRouter.creditOf(account),
    ctx.stakedOpen.earned(account),
    ctx.datanetRegistry.refundOf(account),
  ]);
  return { credits, staking, refunds };
}

/** Claims the account's router credits (creator and contributor earnings). */
export async function claimCredits(
  ctx: ProtocolContext,
  recipient?: string,
): Promise<{ hash: string; amount: bigint }> {
  const amount = await ctx.inferenceRouter.creditOf(ctx.signer.address);
  if (amount === 0n) throw new UserError(`${ctx.signer.address} has no inference earnings to claim.`);
  if (recipient !== undefined) checkRecipient(ctx, recipient);
  const tx =
    recipient === undefined || recipient === ctx.signer.address
      ? await ctx.inferenceRouter.claim()
      : await ctx.inferenceRouter.claimTo(recipient);
  await tx.wait();
  return { hash: tx.hash, amount };
}
