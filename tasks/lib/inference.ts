import { hexlify, randomBytes } from "ethers";

import { quoteFee, type FeeQuote } from "../../sdk/fees.js";
import { UserError, formatOpen } from "./cli.js";
import type { ProtocolContext } from "./context.js";
import { eventArgs } from "./events.js";
import { modelStateName } from "./models.js";
import { signOpenPermit } from "./permit.js";

const ACTIVE = 5n;
const MAX_TOKENS = 2n ** 64n - 1n;

async function activeModel(ctx: ProtocolContext, modelId: bigint) {
  if (modelId === 0n || modelId > (await ctx.modelRegistry.modelCount())) {
    throw new UserError(`There is no model ${modelId}.`);
  }
  const terms = await ctx.modelRegistry.inferenceTerms(modelId);
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
  const { inferenceRouter } = ctx;
  const [platformFee, split] = await Promise.all([inferenceRouter.platformFee(), inferenceRouter.feeSplit()]);
  return quoteFee(
    checkTokens(inputTokens, "--input-tokens"),
    checkTokens(outputTokens, "--output-tokens"),
    { inputRate: terms.inputRate, outputRate: terms.outputRate },
    platformFee,
    { creatorBps: split.creatorBps, stakersBps: split.stakersBps, contributorsBps: split.contributorsBps },
  );
}

/** A fresh random request id. */
export function newRequestId(): string {
  return hexlify(randomBytes(32));
}

/**
 * Pays for one inference. `maxFee` defaults to the quoted fee; when the allowance is short an EIP-2612
 * permit for `maxFee` is signed so approval and payment happen in one transaction.
 */
export async function payInference(
  ctx: ProtocolContext,
  modelId: bigint,
  inputTokens: bigint,
  outputTokens: bigint,
  options: { requestId?: string; maxFee?: bigint } = {},
): Promise<{ hash: string; inferenceId: bigint; requestId: string; quote: FeeQuote }> {
  const { inferenceRouter, openToken, signer } = ctx;
  const quote = await quoteInference(ctx, modelId, inputTokens, outputTokens);
  const maxFee = options.maxFee ?? quote.fee;
  if (quote.fee > maxFee) {
    throw new UserError(`The fee is ${formatOpen(quote.fee)}, above --max-fee ${formatOpen(maxFee)}.`);
  }
  const requestId = options.requestId ?? newRequestId();
  const existing = await inferenceRouter.inferenceByRequest(requestId);
  if (existing !== 0n) throw new UserError(`Request ${requestId} was already paid as inference ${existing}.`);
  if (await inferenceRouter.paused()) throw new UserError("Inference payments are paused by the guardian.");
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
  return { hash: tx.hash, inferenceId: args.inferenceId as bigint, requestId, quote };
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
  const tx =
    recipient === undefined || recipient === ctx.signer.address
      ? await ctx.inferenceRouter.claim()
      : await ctx.inferenceRouter.claimTo(recipient);
  await tx.wait();
  return { hash: tx.hash, amount };
}
