/**
 * The node's durable state, over the database of db.ts: every write is an idempotent upsert, so replaying a block
 * range or a request after a crash changes nothing. Ids and wei are decimal text; the callers see bigints.
 */
import type { SentTransaction } from "../../sdk/client/context.js";
import type { AttributionReport } from "../../sdk/core/eip712.js";
import type { Database, Sql } from "./db.js";

export type InferenceState = "pending" | "settled" | "expired";
export type ContributionState = "submitted" | "accepted" | "rejected" | "penalized";
/** none: not fetched yet (or the fetch failed and will be retried); verified: indexed; refused: hash mismatch. */
export type TextState = "none" | "verified" | "refused";

export interface StoredOutput {
  inferenceId: bigint;
  outputHash: string;
  text: string;
  signature: string;
  tokens: number;
  paidTokens: bigint | undefined;
  tokenMismatch: boolean;
  receivedAt: number;
}

/** The node's own attribution of an output: the report it would sign (without a deadline). */
export interface ComputedReport {
  inferenceId: bigint;
  outputHash: string;
  indexCommitment: string;
  contributionIds: bigint[];
  weights: bigint[];
}

export interface StoredContribution {
  id: bigint;
  datanetId: bigint;
  contentHash: string;
  uri: string;
  status: ContributionState;
  text: string | undefined;
  textStatus: TextState;
}

/** A contribution event of the registry, as the chain follower applies it. */
export type ContributionEvent =
  | { kind: "submitted"; id: bigint; datanetId: bigint; contentHash: string; uri: string }
  | { kind: "reviewed"; id: bigint; accepted: boolean }
  | { kind: "penalized"; id: bigint };

/** An inference event of the router. */
export type InferenceEvent =
  | { kind: "paid"; id: bigint; modelId: bigint; block: number; pool: bigint }
  | { kind: "settled"; id: bigint; tx: string }
  | { kind: "expired"; id: bigint };

export type ProposalStatus = "proposed" | "signed" | "sent" | "settled" | "failed";

export interface StoredProposal {
  id: string;
  leader: string;
  slot: number;
  kind: "report" | "batch";
  reports: AttributionReport[];
  status: ProposalStatus;
}

/** A transaction's fate: `replaced` when another of the node's transactions with its nonce was mined instead. */
export type TransactionStatus = "sent" | "mined" | "reverted" | "dropped" | "replaced";

/** What a settlement is (`settle`), or its replacement that only frees the nonce (`cancel`). */
export type TransactionKind = "settle" | "cancel";

/** What replacing a transaction takes (the same target and calldata, the same nonce, higher fees): the SDK's record. */
export type TransactionRequest = Omit<SentTransaction, "hash" | "nonce">;

export interface StoredTransaction {
  hash: string;
  proposalId: string;
  nonce: number;
  status: TransactionStatus;
  kind: TransactionKind;
  sentAt: number;
  /** Undefined for a transaction recorded before requests were kept. */
  request: TransactionRequest | undefined;
}

const requestJson = (r: TransactionRequest) =>
  JSON.stringify({
    to: r.to,
    data: r.data,
    gasLimit: r.gasLimit.toString(),
    maxFeePerGas: r.maxFeePerGas?.toString() ?? null,
    maxPriorityFeePerGas: r.maxPriorityFeePerGas?.toString() ?? null,
    gasPrice: r.gasPrice?.toString() ?? null,
  });

function requestOf(json: string | null): TransactionRequest | undefined {
  if (json === null) return undefined;
  const r = JSON.parse(json) as Record<string, string | null>;
  const big = (v: string | null | undefined) => (v === null || v === undefined ? null : BigInt(v));
  return {
    to: String(r.to),
    data: String(r.data),
    gasLimit: BigInt(String(r.gasLimit)),
    maxFeePerGas: big(r.maxFeePerGas),
    maxPriorityFeePerGas: big(r.maxPriorityFeePerGas),
    gasPrice: big(r.gasPrice),
  };
}

/** A pending inference's output, its model, and the node's report of it when it has one. */
export interface PendingOutput {
  output: StoredOutput;
  modelId: bigint;
  report: ComputedReport | undefined;
}

/** JSON of reports with bigints as decimal strings, and back. */
export function reportsToJson(reports: readonly AttributionReport[]): string {
  return JSON.stringify(reports, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

export function reportsFromJson(text: string): AttributionReport[] {
  const raw = JSON.parse(text) as Record<string, unknown>[];
  return raw.map((r) => ({
    inferenceId: BigInt(r.inferenceId as string),
    outputHash: r.outputHash as string,
    indexCommitment: r.indexCommitment as string,
    contributionIds: (r.contributionIds as string[]).map(BigInt),
    weights: (r.weights as string[]).map(BigInt),
    deadline: BigInt(r.deadline as string),
  }));
}

const ids = (list: readonly bigint[]) => JSON.stringify(list.map(String));
const fromIds = (text: string) => (JSON.parse(text) as string[]).map(BigInt);

export class OracleStore {
  constructor(readonly db: Database) {}

  // Chain progress.

  async checkpoint(): Promise<number | undefined> {
    const [row] = await this.db.query<{ block: string | number }>(`SELECT block FROM checkpoint WHERE name = 'chain'`);
    return row === undefined ? undefined : Number(row.block);
  }

  /** Applies one confirmed block range's events and moves the checkpoint to `block`, atomically. */
  async applyRange(
    block: number,
    inferences: readonly InferenceEvent[],
    contributions: readonly ContributionEvent[],
  ): Promise<void> {
    const now = Date.now();
    await this.db.transaction(async (tx) => {
      for (const e of contributions) await applyContribution(tx, e);
      for (const e of inferences) await applyInference(tx, e, now);
      await tx.query(
        `INSERT INTO checkpoint (name, block) VALUES ('chain', $1)
         ON CONFLICT (name) DO UPDATE SET block = GREATEST(checkpoint.block, excluded.block)`,
        [block],
      );
    });
  }

  /** Marks an inference settled or expired as soon as the node learns it (from a receipt, before confirmation). */
  async setInferenceStatus(id: bigint, status: InferenceState, tx?: string): Promise<void> {
    await applyInference(
      this.db,
      status === "settled" ? { kind: "settled", id, tx: tx ?? "" } : { kind: "expired", id },
      Date.now(),
    );
  }

  async inferenceStatus(id: bigint): Promise<InferenceState | undefined> {
    const [row] = await this.db.query<{ status: InferenceState }>(`SELECT status FROM inferences WHERE id = $1`, [
      id.toString(),
    ]);
    return row?.status;
  }

  // Contributions.

  async contributionsToFetch(): Promise<StoredContribution[]> {
    return (
      await this.db.query<ContributionRow>(
        `SELECT * FROM contributions WHERE status = 'accepted' AND text_status = 'none' ORDER BY id::numeric`,
      )
    ).map(contributionOf);
  }

  async contribution(id: bigint): Promise<StoredContribution | undefined> {
    const [row] = await this.db.query<ContributionRow>(`SELECT * FROM contributions WHERE id = $1`, [id.toString()]);
    return row === undefined ? undefined : contributionOf(row);
  }

  /** Records a contribution's text, checked (`verified`) or refused for a hash mismatch, or a failed fetch. */
  async setContributionText(id: bigint, state: TextState, text: string | undefined, reason?: string): Promise<void> {
    await this.db.query(`UPDATE contributions SET text_status = $2, text = $3, reason = $4 WHERE id = $1`, [
      id.toString(),
      state,
      text ?? null,
      reason ?? null,
    ]);
  }

  /** The accepted contributions of `datanetIds` whose text is checked: what the node indexes for them. */
  async indexable(datanetIds: readonly bigint[]): Promise<StoredContribution[]> {
    if (datanetIds.length === 0) return [];
    return (
      await this.db.query<ContributionRow>(
        `SELECT * FROM contributions WHERE status = 'accepted' AND datanet_id = ANY($1::text[]) ORDER BY id::numeric`,
        [datanetIds.map(String)],
      )
    ).map(contributionOf);
  }

  // Outputs and reports.

  /** Stores an output unless one is stored already; returns the stored one. */
  async saveOutput(output: StoredOutput): Promise<StoredOutput> {
    await this.db.query(
      `INSERT INTO outputs (inference_id, output_hash, text, signature, tokens, paid_tokens, token_mismatch, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (inference_id) DO NOTHING`,
      [
        output.inferenceId.toString(),
        output.outputHash,
        output.text,
        output.signature,
        output.tokens,
        output.paidTokens?.toString() ?? null,
        output.tokenMismatch,
        output.receivedAt,
      ],
    );
    const stored = await this.output(output.inferenceId);
    if (stored === undefined) throw new Error(`The output of inference ${output.inferenceId} was not stored.`);
    return stored;
  }

  async output(inferenceId: bigint): Promise<StoredOutput | undefined> {
    const [row] = await this.db.query<OutputRow>(`SELECT * FROM outputs WHERE inference_id = $1`, [
      inferenceId.toString(),
    ]);
    return row === undefined ? undefined : outputOf(row);
  }

  /** Pending inferences (as far as the node knows) with an output, and their report if computed. */
  async pendingWithOutput(): Promise<PendingOutput[]> {
    const rows = await this.db.query<OutputRow & { model_id: string } & Partial<ReportRow>>(
      `SELECT o.*, i.model_id, r.index_commitment, r.contribution_ids, r.weights, r.refused
       FROM outputs o JOIN inferences i ON i.id = o.inference_id
       LEFT JOIN reports r ON r.inference_id = o.inference_id
       WHERE i.status = 'pending' ORDER BY o.received_at, o.inference_id`,
    );
    return rows.map((row) => ({
      output: outputOf(row),
      modelId: BigInt(row.model_id),
      report:
        row.index_commitment === undefined || row.index_commitment === null
          ? undefined
          : reportOf({ ...row, inference_id: row.inference_id } as ReportRow),
    }));
  }

  /** Pending inferences the node has no output for, oldest first. */
  async pendingWithoutOutput(limit: number): Promise<bigint[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT i.id FROM inferences i LEFT JOIN outputs o ON o.inference_id = i.id
       WHERE i.status = 'pending' AND o.inference_id IS NULL ORDER BY i.paid_block, i.id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => BigInt(r.id));
  }

  async saveReport(report: ComputedReport): Promise<void> {
    await this.db.query(
      `INSERT INTO reports (inference_id, output_hash, index_commitment, contribution_ids, weights, computed_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (inference_id) DO UPDATE SET output_hash = excluded.output_hash,
         index_commitment = excluded.index_commitment, contribution_ids = excluded.contribution_ids,
         weights = excluded.weights, computed_at = excluded.computed_at, refused = NULL`,
      [
        report.inferenceId.toString(),
        report.outputHash,
        report.indexCommitment,
        ids(report.contributionIds),
        ids(report.weights),
        Date.now(),
      ],
    );
  }

  async report(inferenceId: bigint): Promise<ComputedReport | undefined> {
    const [row] = await this.db.query<ReportRow>(`SELECT * FROM reports WHERE inference_id = $1`, [
      inferenceId.toString(),
    ]);
    return row === undefined ? undefined : reportOf(row);
  }

  /**
   * Reports ready to propose: pending, attributed, not refused by a failed settlement, not held by a live
   * proposal; oldest output first.
   */
  async ready(now: number, limit: number): Promise<(ComputedReport & { receivedAt: number })[]> {
    const rows = await this.db.query<ReportRow & { received_at: string }>(
      `SELECT r.*, o.received_at FROM reports r
       JOIN inferences i ON i.id = r.inference_id
       JOIN outputs o ON o.inference_id = r.inference_id
       LEFT JOIN locks l ON l.inference_id = r.inference_id
       WHERE i.status = 'pending' AND r.refused IS NULL AND (l.until IS NULL OR l.until < $1)
       ORDER BY o.received_at, r.inference_id LIMIT $2`,
      [now, limit],
    );
    return rows.map((row) => ({ ...reportOf(row), receivedAt: Number(row.received_at) }));
  }

  /** Marks a report refused by the router (the single report failed): not proposed again until recomputed. */
  async refuseReport(inferenceId: bigint, reason: string): Promise<void> {
    await this.db.query(`UPDATE reports SET refused = $2 WHERE inference_id = $1`, [inferenceId.toString(), reason]);
  }

  // Agreement.

  /**
   * Locks `inferenceIds` to proposal `proposalId` until `until` (ms), all or none: returns the ids held by another
   * live proposal (then nothing is locked).
   */
  async lock(inferenceIds: readonly bigint[], proposalId: string, until: number, now: number): Promise<bigint[]> {
    return this.db.transaction(async (tx) => {
      const held = await tx.query<{ inference_id: string }>(
        `SELECT inference_id FROM locks WHERE inference_id = ANY($1::text[]) AND proposal_id <> $2 AND until >= $3`,
        [inferenceIds.map(String), proposalId, now],
      );
      if (held.length > 0) return held.map((r) => BigInt(r.inference_id));
      for (const id of inferenceIds) {
        await tx.query(
          `INSERT INTO locks (inference_id, proposal_id, until) VALUES ($1, $2, $3)
           ON CONFLICT (inference_id) DO UPDATE SET proposal_id = excluded.proposal_id, until = excluded.until`,
          [id.toString(), proposalId, until],
        );
      }
      return [];
    });
  }

  async unlock(proposalId: string): Promise<void> {
    await this.db.query(`DELETE FROM locks WHERE proposal_id = $1`, [proposalId]);
  }

  async saveProposal(p: StoredProposal): Promise<void> {
    await this.db.query(
      `INSERT INTO proposals (id, leader, slot, kind, body, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO NOTHING`,
      [p.id, p.leader, p.slot, p.kind, reportsToJson(p.reports), p.status, Date.now()],
    );
  }

  async setProposalStatus(id: string, status: ProposalStatus, reason?: string): Promise<void> {
    await this.db.query(`UPDATE proposals SET status = $2, reason = $3 WHERE id = $1`, [id, status, reason ?? null]);
  }

  async proposal(id: string): Promise<StoredProposal | undefined> {
    const [row] = await this.db.query<{
      id: string;
      leader: string;
      slot: string;
      kind: string;
      body: string;
      status: string;
    }>(`SELECT * FROM proposals WHERE id = $1`, [id]);
    if (row === undefined) return undefined;
    return {
      id: row.id,
      leader: row.leader,
      slot: Number(row.slot),
      kind: row.kind as StoredProposal["kind"],
      reports: reportsFromJson(row.body),
      status: row.status as ProposalStatus,
    };
  }

  async saveSignature(proposalId: string, signer: string, signature: string): Promise<void> {
    await this.db.query(
      `INSERT INTO signatures (proposal_id, signer, signature) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [proposalId, signer, signature],
    );
  }

  async signatures(proposalId: string): Promise<{ signer: string; signature: string }[]> {
    return this.db.query(`SELECT signer, signature FROM signatures WHERE proposal_id = $1 ORDER BY signer`, [
      proposalId,
    ]);
  }

  // Transactions.

  /** Records a transaction the node accepted, before it is mined: it is then followed up, never sent again. */
  async recordTransaction(
    hash: string,
    proposalId: string,
    nonce: number,
    request: TransactionRequest,
    kind: TransactionKind = "settle",
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO transactions (hash, proposal_id, nonce, status, sent_at, request, kind)
       VALUES ($1, $2, $3, 'sent', $4, $5, $6) ON CONFLICT (hash) DO NOTHING`,
      [hash, proposalId, nonce, Date.now(), requestJson(request), kind],
    );
  }

  async finishTransaction(
    hash: string,
    status: Exclude<TransactionStatus, "sent">,
    outcome: { gasUsed?: bigint; gasCost?: bigint; error?: string } = {},
  ): Promise<void> {
    await this.db.query(
      `UPDATE transactions SET status = $2, gas_used = $3, gas_cost = $4, error = $5 WHERE hash = $1`,
      [hash, status, outcome.gasUsed?.toString() ?? null, outcome.gasCost?.toString() ?? null, outcome.error ?? null],
    );
  }

  /** Transactions sent and not known to be mined: after a restart, to be followed up, never sent again. */
  async unfinishedTransactions(): Promise<StoredTransaction[]> {
    const rows = await this.db.query<{
      hash: string;
      proposal_id: string;
      nonce: number;
      status: string;
      kind: string;
      sent_at: string | number;
      request: string | null;
    }>(
      `SELECT hash, proposal_id, nonce, status, kind, sent_at, request FROM transactions
       WHERE status = 'sent' ORDER BY nonce, sent_at`,
    );
    return rows.map((r) => ({
      hash: r.hash,
      proposalId: r.proposal_id,
      nonce: Number(r.nonce),
      status: r.status as TransactionStatus,
      kind: r.kind as TransactionKind,
      sentAt: Number(r.sent_at),
      request: requestOf(r.request),
    }));
  }

  // Counters and figures for /metrics.

  async increment(name: string, by: bigint | number = 1): Promise<void> {
    await this.db.query(
      `INSERT INTO counters (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value`,
      [name, by.toString()],
    );
  }

  async figures(): Promise<Record<string, bigint>> {
    const [inferences] = await this.db.query<Record<string, string | number>>(
      `SELECT count(*) AS seen,
         count(*) FILTER (WHERE status = 'settled') AS settled,
         count(*) FILTER (WHERE status = 'pending') AS pending,
         count(*) FILTER (WHERE status = 'expired') AS expired FROM inferences`,
    );
    const [outputs] = await this.db.query<Record<string, string | number>>(
      `SELECT count(*) AS outputs, count(*) FILTER (WHERE token_mismatch) AS token_mismatches FROM outputs`,
    );
    const [tx] = await this.db.query<Record<string, string | number | null>>(
      `SELECT count(*) AS transactions, coalesce(sum(gas_cost::numeric), 0)::text AS gas_cost,
         coalesce(sum(gas_used::numeric), 0)::text AS gas_used FROM transactions`,
    );
    const [texts] = await this.db.query<Record<string, string | number>>(
      `SELECT count(*) FILTER (WHERE text_status = 'verified') AS indexed,
         count(*) FILTER (WHERE text_status = 'refused') AS refused FROM contributions`,
    );
    const counters = await this.db.query<{ name: string; value: string | number }>(
      `SELECT name, value::text FROM counters`,
    );
    const figures: Record<string, bigint> = {};
    for (const row of [inferences, outputs, tx, texts]) {
      for (const [key, value] of Object.entries(row ?? {})) figures[key] = BigInt(String(value ?? 0));
    }
    for (const { name, value } of counters) figures[name] = BigInt(String(value));
    return figures;
  }
}

interface ContributionRow {
  id: string;
  datanet_id: string;
  content_hash: string;
  uri: string;
  status: string;
  text: string | null;
  text_status: string;
}

interface OutputRow {
  inference_id: string;
  output_hash: string;
  text: string;
  signature: string;
  tokens: number;
  paid_tokens: string | null;
  token_mismatch: boolean;
  received_at: string | number;
}

interface ReportRow {
  inference_id: string;
  output_hash: string;
  index_commitment: string;
  contribution_ids: string;
  weights: string;
  refused: string | null;
}

function contributionOf(row: ContributionRow): StoredContribution {
  return {
    id: BigInt(row.id),
    datanetId: BigInt(row.datanet_id),
    contentHash: row.content_hash,
    uri: row.uri,
    status: row.status as ContributionState,
    text: row.text ?? undefined,
    textStatus: row.text_status as TextState,
  };
}

function outputOf(row: OutputRow): StoredOutput {
  return {
    inferenceId: BigInt(row.inference_id),
    outputHash: row.output_hash,
    text: row.text,
    signature: row.signature,
    tokens: Number(row.tokens),
    paidTokens: row.paid_tokens === null ? undefined : BigInt(row.paid_tokens),
    tokenMismatch: row.token_mismatch,
    receivedAt: Number(row.received_at),
  };
}

function reportOf(row: ReportRow): ComputedReport {
  return {
    inferenceId: BigInt(row.inference_id),
    outputHash: row.output_hash,
    indexCommitment: row.index_commitment,
    contributionIds: fromIds(row.contribution_ids),
    weights: fromIds(row.weights),
  };
}

async function applyContribution(sql: Sql, e: ContributionEvent): Promise<void> {
  const id = e.id.toString();
  if (e.kind === "submitted") {
    await sql.query(
      `INSERT INTO contributions (id, datanet_id, content_hash, uri, status, text_status)
       VALUES ($1, $2, $3, $4, 'submitted', 'none') ON CONFLICT (id) DO NOTHING`,
      [id, e.datanetId.toString(), e.contentHash.toLowerCase(), e.uri],
    );
  } else if (e.kind === "reviewed") {
    // Only a submitted contribution is reviewed: replaying the event after a penalty must not undo it.
    await sql.query(`UPDATE contributions SET status = $2 WHERE id = $1 AND status = 'submitted'`, [
      id,
      e.accepted ? "accepted" : "rejected",
    ]);
  } else {
    await sql.query(`UPDATE contributions SET status = 'penalized' WHERE id = $1`, [id]);
  }
}

async function applyInference(sql: Sql, e: InferenceEvent, now: number): Promise<void> {
  const id = e.id.toString();
  if (e.kind === "paid") {
    await sql.query(
      `INSERT INTO inferences (id, model_id, paid_block, pool, status, updated_at) VALUES ($1, $2, $3, $4, 'pending', $5)
       ON CONFLICT (id) DO NOTHING`,
      [id, e.modelId.toString(), e.block, e.pool.toString(), now],
    );
  } else {
    // Settled and Expired are final: a status learned from a receipt is confirmed later by the event.
    await sql.query(
      `UPDATE inferences SET status = $2, settled_tx = coalesce(nullif($3, ''), settled_tx), updated_at = $4 WHERE id = $1`,
      [id, e.kind, e.kind === "settled" ? e.tx : "", now],
    );
  }
}
