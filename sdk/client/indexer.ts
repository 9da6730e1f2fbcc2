/**
 * Lists read from the protocol's indexer (services/indexer, over GraphQL) instead of scanning events from the
 * deployment's first block. A client made with `indexer: url` asks it for every list it has: datanets with their
 * curators and versions, a datanet's contributions, models, the governor's proposals, what inferences credited an
 * account, what a payer paid for, the timelock's operations, and the lists `status()` needs. It reads the chain as before whenever the
 * indexer cannot answer for the latest block: unreachable, failing, or not yet at the block the provider is at
 * (after waiting `catchUpMs` for it). Whatever the indexer says is what the chain's events say, in the same order;
 * only the speed differs.
 */
import { ZeroHash, getAddress, type Provider } from "ethers";

import type { ContributionStatusName, InferenceStatusName, ModelStateName } from "../core/enums.js";
import { actionsOf } from "../core/proposals.js";
import type { ContributionSummary, DatanetDetails, DatanetVersion } from "./datanets.js";
import type { ScheduledOperation } from "./governance.js";
import type { InferencePayment } from "./ledger.js";
import type { ModelDetails } from "./models.js";
import type { Earning } from "./rewards.js";

/** How long one request to the indexer may take before the chain is read instead. */
export const INDEXER_TIMEOUT_MS = 5_000;

/** The indexer's largest page (Ponder's): lists are read page after page. */
const PAGE_LIMIT = 1000;

/** How often a list waiting for the indexer to catch up asks it again. */
const CATCH_UP_POLL_MS = 250;

/** Where the indexer is, and how a client treats one that lags. */
export interface IndexerOptions {
  /** Its base URL, e.g. http://127.0.0.1:42069. */
  url: string;
  /**
   * How long a list waits for the indexer to index the provider's latest block before reading the chain
   * (default 0: it does not wait). A dapp that lists right after a transaction waits a moment instead of scanning.
   */
  catchUpMs?: number;
  /** Told, in a sentence, each time a list is read from the chain because the indexer lagged, was down or refused. */
  onFallback?: (reason: string) => void;
}

/** A GraphQL list page, as the indexer serves every table. */
interface Page<T> {
  items: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A GraphQL variable: its type and its value (bigints as decimal strings, addresses as hex). */
type Variable = [type: string, value: string | string[]];

/** A proposal as the indexer lists it (FiledProposal's fields). */
export interface IndexedProposal {
  proposalId: bigint;
  proposer: string;
  actions: { target: string; value: bigint; calldata: string }[];
  description: string;
  voteStart: bigint;
  voteEnd: bigint;
}

/** Calls as the proposal and timelock_operation tables hold them: three arrays of one length. */
interface CallsRow {
  targets: string[];
  values: string[];
  calldatas: string[];
}
const CALLS_FIELDS = "targets values calldatas";

interface CuratorRow {
  account: string;
  isOwner: boolean;
}
interface VersionRow {
  version: string;
  merkleRoot: string;
  count: string;
  uri: string;
  publishedAt: string;
}
const VERSION_FIELDS = "version merkleRoot count uri publishedAt";
const CURATORS_ORDER = `orderBy: "updatedAt", orderDirection: "asc"`;
const VERSIONS_ORDER = `orderBy: "version", orderDirection: "asc"`;

/** A datanet's curators as the chain's CuratorUpdated events leave them: the owner first, then in order added. */
function curatorList(rows: CuratorRow[]): string[] {
  return [...rows.filter((r) => r.isOwner), ...rows.filter((r) => !r.isOwner)].map((r) => getAddress(r.account));
}

function toVersion(row: VersionRow): DatanetVersion {
  return {
    version: BigInt(row.version),
    merkleRoot: row.merkleRoot,
    count: BigInt(row.count),
    uri: row.uri,
    publishedAt: BigInt(row.publishedAt),
  };
}

/** The message of a failure, for a sentence. */
function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class IndexerReader {
  readonly url: string;
  private readonly base: string;

  constructor(
    readonly options: IndexerOptions,
    private readonly provider: Provider,
  ) {
    this.url = options.url;
    this.base = options.url.replace(/\/$/, "");
  }

  /** GraphQL `data`; throws a sentence when the indexer does not answer it. */
  private async graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await fetch(`${this.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(INDEXER_TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: { message?: string }[] };
    if (!response.ok || body.errors !== undefined || body.data === undefined) {
      throw new Error(`it refused the query (${body.errors?.[0]?.message ?? `HTTP ${response.status}`})`);
    }
    return body.data;
  }

  /** The block the indexer has indexed up to (its `/status`), or undefined while it has none. */
  private async indexedBlock(): Promise<number | undefined> {
    const response = await fetch(`${this.base}/status`, { signal: AbortSignal.timeout(INDEXER_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`its /status answered HTTP ${response.status}`);
    const status = (await response.json()) as Record<string, { block?: { number?: number } } | undefined>;
    return Object.values(status)[0]?.block?.number;
  }

  /**
   * Undefined when the indexer has indexed the provider's latest block (waiting up to `catchUpMs` for it), else
   * why not.
   */
  private async lag(): Promise<string | undefined> {
    const deadline = Date.now() + (this.options.catchUpMs ?? 0);
    try {
      const latest = await this.provider.getBlockNumber();
      for (;;) {
        const indexed = await this.indexedBlock();
        if (indexed !== undefined && indexed >= latest) return undefined;
        if (Date.now() >= deadline) return `it has indexed block ${indexed ?? "none"} of ${latest}`;
        await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
      }
    } catch (error) {
      return `it did not answer (${reasonOf(error)})`;
    }
  }

  /** True when the indexer has indexed the provider's latest block (after waiting up to `catchUpMs`). */
  async current(): Promise<boolean> {
    return (await this.lag()) === undefined;
  }

  /**
   * Every row of a list field with `args`, following its pages; throws when any page fails. `variables` are
   * those the arguments name as `$name`.
   */
  private async all<T>(
    field: string,
    args: string,
    selection: string,
    variables: Record<string, Variable> = {},
  ): Promise<T[]> {
    const declared = Object.entries(variables).map(([name, [type]]) => `, $${name}: ${type}`);
    const values = Object.fromEntries(Object.entries(variables).map(([name, [, value]]) => [name, value]));
    const rows: T[] = [];
    let after: string | null = null;
    for (;;) {
      const data: Record<string, Page<T> | undefined> = await this.graphql(
        `query ($after: String${declared.join("")}) {
          ${field}(${[args, `limit: ${PAGE_LIMIT}`, "after: $after"].filter((a) => a !== "").join(", ")}) {
            items { ${selection} } pageInfo { hasNextPage endCursor } }
        }`,
        { ...values, after },
      );
      const page = data[field];
      if (page === undefined) throw new Error(`it has no list ${field}`);
      rows.push(...page.items);
      if (!page.pageInfo.hasNextPage) return rows;
      after = page.pageInfo.endCursor;
    }
  }

  /** `list()` when the indexer is current and answers it; else undefined, and `onFallback` is told why. */
  private async answer<T>(what: string, list: () => Promise<T>): Promise<T | undefined> {
    let reason = await this.lag();
    if (reason === undefined) {
      try {
        return await list();
      } catch (error) {
        reason = reasonOf(error);
      }
    }
    this.options.onFallback?.(`Read ${what} from the chain instead of the indexer at ${this.url}: ${reason}.`);
    return undefined;
  }

  /** Every datanet in id order, with its curators and versions, as `Datanets.datanet` gives each. */
  datanets(): Promise<DatanetDetails[] | undefined> {
    type Row = {
      id: string;
      owner: string;
      metadataURI: string;
      contributionBond: string;
      open: boolean;
      createdAt: string;
      contributionCount: string;
      acceptedCount: string;
      curators: Page<CuratorRow>;
      versions: Page<VersionRow>;
    };
    return this.answer("the datanets", async () => {
      const rows = await this.all<Row>(
        "datanets",
        `orderBy: "id", orderDirection: "asc"`,
        `id owner metadataURI contributionBond open createdAt contributionCount acceptedCount
         curators(where: { isCurator: true }, ${CURATORS_ORDER}, limit: ${PAGE_LIMIT}) {
           items { account isOwner } pageInfo { hasNextPage endCursor } }
         versions(${VERSIONS_ORDER}, limit: ${PAGE_LIMIT}) {
           items { ${VERSION_FIELDS} } pageInfo { hasNextPage endCursor } }`,
      );
      return Promise.all(
        rows.map(async (d): Promise<DatanetDetails> => {
          const datanetId = BigInt(d.id);
          // A datanet with more curators or versions than one page holds: read them page after page.
          const curators = d.curators.pageInfo.hasNextPage ? await this.curatorRows(datanetId) : d.curators.items;
          const versions = d.versions.pageInfo.hasNextPage ? await this.versionRows(datanetId) : d.versions.items;
          return {
            datanetId,
            owner: getAddress(d.owner),
            metadataURI: d.metadataURI,
            open: d.open,
            createdAt: BigInt(d.createdAt),
            bond: BigInt(d.contributionBond),
            contributionCount: BigInt(d.contributionCount),
            acceptedCount: BigInt(d.acceptedCount),
            curators: curatorList(curators),
            versions: versions.map(toVersion),
          };
        }),
      );
    });
  }

  private curatorRows(datanetId: bigint): Promise<CuratorRow[]> {
    return this.all<CuratorRow>(
      "curators",
      `where: { datanetId: $datanet, isCurator: true }, ${CURATORS_ORDER}`,
      "account isOwner",
      { datanet: ["BigInt!", String(datanetId)] },
    );
  }

  private versionRows(datanetId: bigint): Promise<VersionRow[]> {
    return this.all<VersionRow>(
      "datanetVersions",
      `where: { datanetId: $datanet }, ${VERSIONS_ORDER}`,
      VERSION_FIELDS,
      {
        datanet: ["BigInt!", String(datanetId)],
      },
    );
  }

  /** A datanet's contributions in id order, as `Datanets.contributions` gives them. */
  contributions(datanetId: bigint): Promise<ContributionSummary[] | undefined> {
    type Row = { id: string; contributor: string; status: string; bond: string; size: string; uri: string };
    return this.answer(`the contributions to datanet ${datanetId}`, async () => {
      const rows = await this.all<Row & { contentHash: string }>(
        "contributions",
        `where: { datanetId: $datanet }, orderBy: "id", orderDirection: "asc"`,
        "id contributor status bond size uri contentHash",
        { datanet: ["BigInt!", String(datanetId)] },
      );
      return rows.map((r) => ({
        id: BigInt(r.id),
        datanetId,
        contributor: getAddress(r.contributor),
        status: r.status as ContributionStatusName,
        bond: BigInt(r.bond),
        size: BigInt(r.size),
        uri: r.uri,
        contentHash: r.contentHash,
      }));
    });
  }

  /** A datanet's curators: the owner first, then the others in the order they were last added. */
  curators(datanetId: bigint): Promise<string[] | undefined> {
    return this.answer(`the curators of datanet ${datanetId}`, async () =>
      curatorList(await this.curatorRows(datanetId)),
    );
  }

  /** Every model in id order, as `Models.model` gives each. */
  models(): Promise<ModelDetails[] | undefined> {
    type Row = {
      id: string;
      creator: string;
      state: string;
      metadataURI: string;
      datanetIds: string[];
      inputRate: string;
      outputRate: string;
      bond: string;
      proposedAt: string;
      artifactHash: string | null;
      artifactURI: string | null;
      baseModelId: string | null;
    };
    return this.answer("the models", async () => {
      const rows = await this.all<Row>(
        "models",
        `orderBy: "id", orderDirection: "asc"`,
        `id creator state metadataURI datanetIds inputRate outputRate bond proposedAt artifactHash artifactURI
         baseModelId`,
      );
      return rows.map((m) => ({
        modelId: BigInt(m.id),
        creator: getAddress(m.creator),
        state: m.state as ModelStateName,
        metadataURI: m.metadataURI,
        datanetIds: m.datanetIds.map(BigInt),
        rates: { inputRate: BigInt(m.inputRate), outputRate: BigInt(m.outputRate) },
        bond: BigInt(m.bond),
        proposedAt: BigInt(m.proposedAt),
        // Null until the artifact is registered; the registry reads zero and "" then.
        artifactHash: m.artifactHash ?? ZeroHash,
        artifactURI: m.artifactURI ?? "",
        baseModelId: BigInt(m.baseModelId ?? 0),
      }));
    });
  }

  /** Every proposal filed on the governor, oldest first. */
  proposals(): Promise<IndexedProposal[] | undefined> {
    type Row = CallsRow & {
      id: string;
      proposer: string;
      description: string;
      voteStart: string;
      voteEnd: string;
    };
    return this.answer("the proposals", async () => {
      const rows = await this.all<Row>(
        "proposals",
        `orderBy: "createdAt", orderDirection: "asc"`,
        `id proposer ${CALLS_FIELDS} description voteStart voteEnd`,
      );
      return rows.map((r) => ({
        proposalId: BigInt(r.id),
        proposer: getAddress(r.proposer),
        actions: actionsOf(r.targets, r.values, r.calldatas),
        description: r.description,
        voteStart: BigInt(r.voteStart),
        voteEnd: BigInt(r.voteEnd),
      }));
    });
  }

  /** Every operation scheduled on the timelock, in scheduling order (without its state now: the timelock's). */
  operations(): Promise<ScheduledOperation[] | undefined> {
    type Row = CallsRow & {
      id: string;
      predecessor: string;
      salt: string;
      delay: string;
      scheduledAt: string;
      readyAt: string;
      proposalId: string | null;
    };
    return this.answer("the timelock's operations", async () => {
      const rows = await this.all<Row>(
        "timelockOperations",
        `orderBy: "scheduledOrder", orderDirection: "asc"`,
        `id ${CALLS_FIELDS} predecessor salt delay scheduledAt readyAt proposalId`,
      );
      return rows.map((r) => ({
        operationId: r.id,
        calls: actionsOf(r.targets, r.values, r.calldatas),
        predecessor: r.predecessor,
        salt: r.salt,
        delay: BigInt(r.delay),
        scheduledAt: BigInt(r.scheduledAt),
        readyAt: BigInt(r.readyAt),
        ...(r.proposalId === null ? {} : { proposalId: BigInt(r.proposalId) }),
      }));
    });
  }

  /** What inferences credited `account`, as `Rewards.earnings` orders it. */
  earnings(account: string): Promise<Earning[] | undefined> {
    type Credit = {
      contributionId: string;
      amount: string;
      inference: { id: string; modelId: string; paidOrder: string };
    };
    type Share = { id: string; modelId: string; paidOrder: string; creatorShare: string };
    const me: Variable = ["String!", account.toLowerCase()];
    return this.answer(`the earnings of ${account}`, async () => {
      const credited = await this.all<Credit>(
        "inferenceCredits",
        `where: { contributor: $me, amount_gt: "0" }`,
        "contributionId amount inference { id modelId paidOrder }",
        { me },
      );
      const created = (await this.all<{ id: string }>("models", "where: { creator: $me }", "id", { me })).map(
        (m) => m.id,
      );
      const shares =
        created.length === 0
          ? []
          : await this.all<Share>(
              "inferences",
              `where: { modelId_in: $models, creatorShare_gt: "0" }`,
              "id modelId paidOrder creatorShare",
              { models: ["[BigInt!]", created] },
            );
      const rows: (Earning & { paidOrder: string })[] = [
        ...shares.map((s) => ({
          inferenceId: BigInt(s.id),
          modelId: BigInt(s.modelId),
          amount: BigInt(s.creatorShare),
          paidOrder: s.paidOrder,
        })),
        ...credited.map((c) => ({
          inferenceId: BigInt(c.inference.id),
          modelId: BigInt(c.inference.modelId),
          contributionId: BigInt(c.contributionId),
          amount: BigInt(c.amount),
          paidOrder: c.inference.paidOrder,
        })),
      ];
      // Payment order; within one inference the creator's share, then the contributions by id.
      const rank = (r: Earning) => (r.contributionId === undefined ? -1n : r.contributionId);
      rows.sort((a, b) =>
        a.paidOrder !== b.paidOrder ? (a.paidOrder < b.paidOrder ? -1 : 1) : rank(a) < rank(b) ? -1 : 1,
      );
      return rows.map(({ paidOrder: _, ...earning }) => earning);
    });
  }

  /** The inferences `payer` paid for, in payment order, as `Ledger.payments` gives them. */
  payments(payer: string): Promise<InferencePayment[] | undefined> {
    type Row = { id: string; modelId: string; status: string; fee: string };
    return this.answer(`the inferences ${payer} paid for`, async () => {
      const rows = await this.all<Row>(
        "inferences",
        `where: { payer: $payer }, orderBy: "paidOrder", orderDirection: "asc"`,
        "id modelId status fee",
        { payer: ["String!", payer.toLowerCase()] },
      );
      return rows.map((r) => ({
        inferenceId: BigInt(r.id),
        modelId: BigInt(r.modelId),
        status: r.status as InferenceStatusName,
        fee: BigInt(r.fee),
      }));
    });
  }

  /**
   * What `status()` otherwise scans events for: every account with a queued withdrawal or a freeze (ever), and
   * the inferences paid, with the ids of those still Pending.
   */
  statusLists(): Promise<{ queueAccounts: string[]; paid: bigint; pendingIds: bigint[] } | undefined> {
    return this.answer("the queues and pending inferences", async () => {
      const queues = await this.all<{ account: string }>("queuedWithdrawals", `orderBy: "account"`, "account");
      const pending = await this.all<{ id: string }>(
        "inferences",
        `where: { status: "Pending" }, orderBy: "paidOrder"`,
        "id",
      );
      const counted = await this.graphql<{ inferences: { totalCount: number } }>(
        "query { inferences { totalCount } }",
        {},
      );
      return {
        queueAccounts: queues.map((r) => getAddress(r.account)),
        paid: BigInt(counted.inferences.totalCount),
        pendingIds: pending.map((r) => BigInt(r.id)),
      };
    });
  }
}
