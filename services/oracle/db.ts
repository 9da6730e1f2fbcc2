/**
 * The oracle node's database: one small SQL layer over PostgreSQL, embedded (PGlite, a data folder per node) by
 * default or a real server when a `postgres://` URL is given (the `pg` package). Both speak the same SQL, so the
 * migrations and every query below run unchanged on either. Values that may exceed 2^53 (ids, wei) are stored as
 * decimal text; block numbers and times as bigint, read back through Number().
 */
import { mkdir } from "node:fs/promises";

/** One SQL connection (or transaction): parameterised queries returning rows, and plain scripts. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  exec(script: string): Promise<void>;
}

/** An open database: SQL, transactions, and closing it. */
export interface Database extends Sql {
  /** "pglite" or "postgres", for logs. */
  readonly kind: "pglite" | "postgres";
  transaction<T>(body: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Opens the database `location` names: a postgres:// or postgresql:// URL (a real server), "memory://" (PGlite in
 * memory, for tests), or a folder (PGlite on disk, created if missing). Applies the migrations.
 */
export async function openDatabase(location: string): Promise<Database> {
  const db = /^postgres(ql)?:\/\//.test(location) ? await openPostgres(location) : await openPglite(location);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

async function openPglite(location: string): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  if (location !== "memory://") await mkdir(location, { recursive: true });
  const pg = await PGlite.create(location === "memory://" ? undefined : location);
  const wrap = (q: Pick<typeof pg, "query" | "exec">): Sql => ({
    async query<T>(text: string, params: readonly unknown[] = []) {
      return (await q.query<T>(text, [...params])).rows;
    },
    async exec(script: string) {
      await q.exec(script);
    },
  });
  return {
    kind: "pglite",
    ...wrap(pg),
    transaction: (body) => pg.transaction((tx) => body(wrap(tx))),
    close: () => pg.close(),
  };
}

async function openPostgres(url: string): Promise<Database> {
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle client's connection error must not crash the node; the next query reports it.
  pool.on("error", () => undefined);
  const wrap = (q: { query: (text: string, params?: unknown[]) => Promise<{ rows: unknown[] }> }): Sql => ({
    async query<T>(text: string, params: readonly unknown[] = []) {
      return (await q.query(text, [...params])).rows as T[];
    },
    async exec(script: string) {
      // Without parameters pg uses the simple protocol, which runs a script of several statements.
      await q.query(script);
    },
  });
  return {
    kind: "postgres",
    ...wrap(pool),
    async transaction(body) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await body(wrap(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** The schema, one migration per entry, applied in order once each (recorded in schema_migrations). */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE checkpoint (
    name text PRIMARY KEY,
    block bigint NOT NULL
  );
  -- Inferences paid on the router, as the node saw them at its confirmation depth.
  CREATE TABLE inferences (
    id text PRIMARY KEY,
    model_id text NOT NULL,
    paid_block bigint NOT NULL,
    pool text NOT NULL,
    status text NOT NULL,
    settled_tx text,
    updated_at bigint NOT NULL
  );
  -- Output texts received from the model's serving operator, with the creator's signature.
  CREATE TABLE outputs (
    inference_id text PRIMARY KEY,
    output_hash text NOT NULL,
    text text NOT NULL,
    signature text NOT NULL,
    tokens integer NOT NULL,
    paid_tokens text,
    token_mismatch boolean NOT NULL,
    received_at bigint NOT NULL
  );
  -- The node's own attribution of each output.
  CREATE TABLE reports (
    inference_id text PRIMARY KEY,
    output_hash text NOT NULL,
    index_commitment text NOT NULL,
    contribution_ids text NOT NULL,
    weights text NOT NULL,
    computed_at bigint NOT NULL,
    refused text
  );
  -- Batches proposed by a leader (this node or a peer), keyed by their EIP-712 digest.
  CREATE TABLE proposals (
    id text PRIMARY KEY,
    leader text NOT NULL,
    slot bigint NOT NULL,
    kind text NOT NULL,
    body text NOT NULL,
    status text NOT NULL,
    reason text,
    created_at bigint NOT NULL
  );
  -- Which proposal holds an inference, and until when (ms): a node signs each inference into one live proposal.
  CREATE TABLE locks (
    inference_id text PRIMARY KEY,
    proposal_id text NOT NULL,
    until bigint NOT NULL
  );
  CREATE TABLE signatures (
    proposal_id text NOT NULL,
    signer text NOT NULL,
    signature text NOT NULL,
    PRIMARY KEY (proposal_id, signer)
  );
  CREATE TABLE transactions (
    hash text PRIMARY KEY,
    proposal_id text NOT NULL,
    nonce integer NOT NULL,
    status text NOT NULL,
    gas_used text,
    gas_cost text,
    error text,
    sent_at bigint NOT NULL
  );
  -- Contributions as the registry's events describe them, with their text once fetched and checked.
  CREATE TABLE contributions (
    id text PRIMARY KEY,
    datanet_id text NOT NULL,
    content_hash text NOT NULL,
    uri text NOT NULL,
    status text NOT NULL,
    text text,
    text_status text NOT NULL,
    reason text
  );
  CREATE TABLE counters (
    name text PRIMARY KEY,
    value numeric NOT NULL
  );
  `,
  // Settlement transactions keep what replacing them takes (same nonce, higher fees): target, calldata, gas, fees.
  `
  ALTER TABLE transactions ADD COLUMN request text;
  ALTER TABLE transactions ADD COLUMN kind text NOT NULL DEFAULT 'settle';
  CREATE INDEX transactions_by_nonce ON transactions (nonce);
  `,
];

async function migrate(db: Database): Promise<void> {
  await db.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)`,
  );
  const done = new Set(
    (await db.query<{ version: number }>(`SELECT version FROM schema_migrations`)).map((r) => Number(r.version)),
  );
  for (const [i, script] of MIGRATIONS.entries()) {
    const version = i + 1;
    if (done.has(version)) continue;
    await db.transaction(async (tx) => {
      await tx.exec(script);
      await tx.query(`INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`, [version, Date.now()]);
    });
  }
}
