/**
 * Inference: quote from chain, pay (approving by allowance or permit), read an inference with its history,
 * expire one left unattributed, release the stakers' share, sweep what the treasury is owed.
 */
import { hexlify, randomBytes } from "ethers";

import { clientError } from "../core/client-errors.js";
import { InferenceStatus, ModelState, inferenceStatusName, modelStateName, type EnumName } from "../core/enums.js";
import { toProtocolError } from "../core/errors.js";
import { blocksAtTime, eventArgs, receiptEvents } from "../core/events.js";
import { quoteFee, type FeeQuote } from "../core/fees.js";
import { decodeCredits, inferenceIdOf } from "../core/inference.js";
import { UINT64_LIMIT, isBytes32 } from "../core/numbers.js";
import { signTokenPermit } from "../core/permit.js";
import type { ClientContext } from "./context.js";

/** One inference as the router stores it. */
export interface StoredInference {
  inferenceId: bigint;
  modelId: bigint;
  paidAt: bigint;
  /** On the router's active clock (see `activeTime`), not Unix time. */
  closesAt: bigint;
  status: EnumName<typeof InferenceStatus>;
  pool: bigint;
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

/** The token counts an inference was paid for. */
export interface PaidTokens {
  inputTokens: bigint;
  outputTokens: bigint;
}

/** One inference with its history: payment, window on the active clock, and settlement or expiry. */
export interface InferenceDetails extends StoredInference {
  payer: string;
  requestId: string;
  /** The token counts it was paid for; undefined when it was paid through another contract (see `paidTokens`). */
  tokens?: PaidTokens;
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

/** A fresh random request id (32 bytes of hex). */
export function newRequestId(): string {
  return hexlify(randomBytes(32));
}

export class Inference {
  constructor(private readonly ctx: ClientContext) {}

  /** The model's payment terms, refusing an unknown model or one that is not Active. */
  private async activeModel(modelId: bigint) {
    this.ctx.checkId(modelId, "model id");
    const registry = this.ctx.contracts.modelRegistry;
    if (modelId === 0n || modelId > (await registry.modelCount())) throw clientError("UnknownModel", { modelId });
    const terms = await registry.paymentTerms(modelId);
    if (terms.state !== ModelState.Active) {
      throw clientError("ModelNotActive", { modelId, state: modelStateName(terms.state) });
    }
    return terms;
  }

  /** The fee of an inference and its split, from the model's rates and the router's parameters now. */
  async quote(modelId: bigint, inputTokens: bigint, outputTokens: bigint): Promise<FeeQuote> {
    for (const [which, tokens] of [
      ["input", inputTokens],
      ["output", outputTokens],
    ] as const) {
      if (tokens < 0n || tokens >= UINT64_LIMIT) throw clientError("TokensOutOfRange", { which, tokens });
    }
    const terms = await this.activeModel(modelId);
    const p = await this.ctx.contracts.inferenceRouter.parameters();
    return quoteFee(
      inputTokens,
      outputTokens,
      { inputRate: terms.inputRate, outputRate: terms.outputRate },
      p.platformFee,
      { creatorBps: p.creatorBps, stakersBps: p.stakersBps, contributorsBps: p.contributorsBps },
    );
  }

  /** The inference `inferenceId` as stored, or undefined when the router has none. */
  async find(inferenceId: bigint): Promise<StoredInference | undefined> {
    this.ctx.checkId(inferenceId, "inference id");
    try {
      const i = await this.ctx.contracts.inferenceRouter.getInference(inferenceId);
      return {
        inferenceId,
        modelId: i.modelId,
        paidAt: i.paidAt,
        closesAt: i.closesAt,
        status: inferenceStatusName(i.status),
        pool: i.pool,
      };
    } catch (error) {
      if (toProtocolError(error)?.code === "InferenceRouterUnknownInference") return undefined;
      throw error;
    }
  }

  /** The inference `inferenceId`, refusing an unknown id. */
  async require(inferenceId: bigint): Promise<StoredInference> {
    const inference = await this.find(inferenceId);
    if (inference === undefined) throw clientError("UnknownInference", { inferenceId });
    return inference;
  }

  /**
   * Pays for one inference. `maxFee` defaults to the quoted fee; when the allowance is short an EIP-2612 permit
   * for `maxFee` is signed, so approval and payment happen in one transaction. The inference id is known before
   * paying: it is derived from the payer and the request id (default: a random one).
   */
  async pay(
    modelId: bigint,
    inputTokens: bigint,
    outputTokens: bigint,
    options: { requestId?: string; maxFee?: bigint } = {},
  ): Promise<{
    hash: string;
    inferenceId: bigint;
    requestId: string;
    quote: FeeQuote;
    maxFee: bigint;
    usedPermit: boolean;
  }> {
    const { inferenceRouter, openToken } = this.ctx.contracts;
    const payer = await this.ctx.account();
    const requestId = options.requestId ?? newRequestId();
    if (!isBytes32(requestId)) throw clientError("InvalidRequestId", { requestId });
    const quote = await this.quote(modelId, inputTokens, outputTokens);
    const maxFee = options.maxFee ?? quote.fee;
    if (quote.fee > maxFee) throw clientError("FeeAboveMax", { fee: quote.fee, maxFee });
    const inferenceId = inferenceIdOf(payer, requestId);
    const existing = await this.find(inferenceId);
    if (existing !== undefined) {
      throw clientError("AlreadyPaid", { payer, requestId, inferenceId, status: existing.status });
    }
    if (await inferenceRouter.paused()) throw clientError("PaymentsPaused", {});
    const balance = await openToken.balanceOf(payer);
    if (balance < quote.fee) {
      throw clientError("InsufficientBalance", { account: payer, balance, needed: quote.fee, what: "fee" });
    }
    const router = this.ctx.address("inferenceRouter");
    let usedPermit = false;
    let sent;
    if ((await openToken.allowance(payer, router)) >= maxFee) {
      sent = await this.ctx.send(() =>
        inferenceRouter.payInference(modelId, inputTokens, outputTokens, requestId, maxFee),
      );
    } else {
      const permit = await signTokenPermit(openToken, this.ctx.requireSigner(), router, maxFee, await this.ctx.now());
      const { deadline } = permit.message;
      sent = await this.ctx.send(() =>
        inferenceRouter.payInferenceWithPermit(
          modelId,
          inputTokens,
          outputTokens,
          requestId,
          maxFee,
          deadline,
          permit.v,
          permit.r,
          permit.s,
        ),
      );
      usedPermit = true;
    }
    const args = await eventArgs(sent.receipt, inferenceRouter, "InferencePaid");
    if (args.inferenceId !== inferenceId) {
      throw new Error(`The router paid inference ${String(args.inferenceId)}, not ${inferenceId} as derived.`);
    }
    return { hash: sent.hash, inferenceId, requestId, quote, maxFee, usedPermit };
  }

  /**
   * The InferencePaid event of a known inference, paid at `paidAt`: looked up in the blocks of that second (found
   * by bisection, a few dozen block reads on any chain), and in every block since deployment only when the chain is
   * short or the event is not there.
   */
  private async paidEvent(inferenceId: bigint, paidAt: bigint) {
    const router = this.ctx.contracts.inferenceRouter;
    const query = (a: number, b: number) => router.queryFilter(router.filters.InferencePaid(inferenceId), a, b);
    const { deployBlock } = this.ctx.deployment;
    if ((await this.ctx.provider.getBlockNumber()) - deployBlock > 4 * this.ctx.logSpan) {
      const { from, to } = await blocksAtTime(this.ctx.provider, paidAt, deployBlock);
      const [found] = from <= to ? await query(from, to) : [];
      if (found !== undefined) return found;
    }
    const [paid] = await this.ctx.events(query);
    if (paid === undefined) {
      throw clientError("InferenceEventMissing", { inferenceId, fromBlock: BigInt(this.ctx.deployment.deployBlock) });
    }
    return paid;
  }

  /**
   * The token counts in the calldata of the transaction that emitted an InferencePaid event, when that
   * transaction called the router's payInference or payInferenceWithPermit itself for this payer and request.
   */
  private async tokensOf(paid: {
    transactionHash: string;
    args: { payer: string; requestId: string };
  }): Promise<PaidTokens | undefined> {
    const tx = await this.ctx.provider.getTransaction(paid.transactionHash);
    const router = this.ctx.address("inferenceRouter");
    if (tx === null || tx.to === null || tx.to.toLowerCase() !== router.toLowerCase()) return undefined;
    if (tx.from.toLowerCase() !== paid.args.payer.toLowerCase()) return undefined;
    let call;
    try {
      call = this.ctx.contracts.inferenceRouter.interface.parseTransaction({ data: tx.data, value: tx.value });
    } catch {
      return undefined;
    }
    if (call?.name !== "payInference" && call?.name !== "payInferenceWithPermit") return undefined;
    if (String(call.args.requestId).toLowerCase() !== paid.args.requestId.toLowerCase()) return undefined;
    return { inputTokens: call.args.inputTokens as bigint, outputTokens: call.args.outputTokens as bigint };
  }

  /**
   * The token counts inference `inferenceId` was paid for. The InferencePaid event carries none, so they are
   * decoded from the calldata of the transaction that paid it (payInference or payInferenceWithPermit); undefined
   * when it was paid through another contract (a wallet, a relayer), whose calldata is not the router's.
   */
  async paidTokens(inferenceId: bigint): Promise<PaidTokens | undefined> {
    const { paidAt } = await this.require(inferenceId);
    return this.tokensOf(await this.paidEvent(inferenceId, paidAt));
  }

  /** An inference and its history, from the router and its events. */
  async inference(inferenceId: bigint): Promise<InferenceDetails> {
    const stored = await this.require(inferenceId);
    const router = this.ctx.contracts.inferenceRouter;
    const paid = await this.paidEvent(inferenceId, stored.paidAt);
    const [activeTime, paused, closingTime, tokens] = await Promise.all([
      router.activeTime(),
      router.paused(),
      router.closingTime(inferenceId),
      this.tokensOf(paid),
    ]);
    const details: InferenceDetails = {
      ...stored,
      payer: paid.args.payer,
      requestId: paid.args.requestId,
      ...(tokens === undefined ? {} : { tokens }),
      fee: paid.args.fee,
      creatorShare: paid.args.creatorShare,
      stakersShare: paid.args.stakersShare,
      platformFee: paid.args.platformFee,
      activeTime,
      paused,
      closingTime,
      remaining: stored.closesAt > activeTime ? stored.closesAt - activeTime : 0n,
    };
    if (stored.status === "Settled") {
      const [settled] = await this.ctx.events((a, b) =>
        router.queryFilter(router.filters.InferenceSettled(inferenceId), a, b),
      );
      const forfeits = await this.ctx.events((a, b) =>
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
    if (stored.status === "Expired") details.expiredPool = stored.pool;
    return details;
  }

  /**
   * Sends the pool of an inference nobody settled in time to the treasury (anyone may). The window is measured on
   * the router's active clock, which stands still while the router is paused: a pause never makes a window close,
   * and only an inference whose window closed before the pause can expire during it.
   */
  async expire(inferenceId: bigint): Promise<{ hash: string; pool: bigint }> {
    const router = this.ctx.contracts.inferenceRouter;
    const inference = await this.require(inferenceId);
    if (inference.status !== "Pending") {
      throw clientError("InferenceNotPending", { inferenceId, status: inference.status });
    }
    const [activeTime, paused] = await Promise.all([router.activeTime(), router.paused()]);
    if (activeTime <= inference.closesAt) {
      if (paused)
        throw clientError("WindowOpenWhilePaused", { inferenceId, remaining: inference.closesAt - activeTime });
      throw clientError("WindowOpen", { inferenceId, closingTime: await router.closingTime(inferenceId) });
    }
    const { hash } = await this.ctx.send(() => router.expire(inferenceId));
    return { hash, pool: inference.pool };
  }

  /**
   * Sends the stakers' shares the router holds to gOPEN, which streams them to stakers over its next reward
   * period. Anyone may do it; it is never paused.
   */
  async releaseStakerRewards(): Promise<{
    hash: string;
    amount: bigint;
    streamStart: bigint;
    streamEnd: bigint;
    staked: bigint;
  }> {
    const { inferenceRouter, stakedOpen } = this.ctx.contracts;
    const amount = await inferenceRouter.stakersOwed();
    if (amount === 0n) throw clientError("NoStakersShare", {});
    const { hash, receipt } = await this.ctx.send(() => inferenceRouter.releaseStakerRewards());
    const args = await eventArgs(receipt, stakedOpen, "RewardNotified");
    return {
      hash,
      amount,
      streamStart: args.streamStart as bigint,
      streamEnd: args.streamEnd as bigint,
      staked: await stakedOpen.totalSupply(),
    };
  }

  /**
   * Sends what the treasury is owed (platform fees, expired pools, forfeited shares, dust) to it; anyone may.
   * Refuses with NothingOwedToTreasury when nothing is owed.
   */
  async sweepToTreasury(): Promise<{ hash: string; amount: bigint; treasury: string }> {
    const router = this.ctx.contracts.inferenceRouter;
    await this.ctx.account();
    const owed = await router.treasuryOwed();
    if (owed === 0n) throw clientError("NothingOwedToTreasury", {});
    const { hash, receipt } = await this.ctx.send(() => router.sweepToTreasury());
    const [swept] = await receiptEvents(receipt, router, "TreasurySwept");
    return {
      hash,
      amount: (swept?.amount as bigint | undefined) ?? owed,
      treasury: (swept?.treasury as string | undefined) ?? (await router.treasury()),
    };
  }

  /** The ids of every inference paid on this deployment, in payment order. */
  async paidIds(): Promise<bigint[]> {
    const router = this.ctx.contracts.inferenceRouter;
    const paid = await this.ctx.events((a, b) => router.queryFilter(router.filters.InferencePaid(), a, b));
    return paid.map((e) => e.args.inferenceId);
  }
}
