/**
 * Lists read from the protocol's indexer (services/indexer, over GraphQL) instead of scanning events from the
 * deployment's first block. A client made with `indexer: url` asks it for a datanet's contributions and curators,
 * the governor's proposals and the lists `status()` needs, and reads the chain as before whenever the indexer cannot
 * answer for the latest block: unreachable, failing, or not yet at the block the provider is at. Whatever the
 * indexer says is what the chain's events say; only the speed differs.
 */
import { getAddress, type Provider } from "ethers";

import type { ContributionStatusName } from "../core/enums.js";
import type { ContributionSummary } from "./datanets.js";

/** How long one request to the indexer may take before the chain is read instead. */
export const INDEXER_TIMEOUT_MS = 5_000;

/** A GraphQL list page, as the indexer serves every table. */
interface Page<T> {
  items: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A proposal as the indexer lists it (FiledProposal's fields). */
export interface IndexedProposal {
  proposalId: bigint;
  proposer: string;
  actions: { target: string; value: bigint; calldata: string }[];
  description: string;
  voteStart: bigint;
  voteEnd: bigint;
}

export class IndexerReader {
  constructor(
    readonly url: string,
    private readonly provider: Provider,
  ) {}

  /** GraphQL `data`, or undefined when the indexer does not answer it. */
  private async graphql<T>(query: string, variables: Record<string, unknown>): Promise<T | undefined> {
    try {
      const response = await fetch(`${this.url.replace(/\/$/, "")}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(INDEXER_TIMEOUT_MS),
      });
      if (!response.ok) return undefined;
      const body = (await response.json()) as { data?: T; errors?: unknown };
      return body.errors === undefined ? body.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** True when the indexer has indexed the provider's latest block (its `/status`). */
  async current(): Promise<boolean> {
    try {
      const [response, latest] = await Promise.all([
        fetch(`${this.url.replace(/\/$/, "")}/status`, { signal: AbortSignal.timeout(INDEXER_TIMEOUT_MS) }),
        this.provider.getBlockNumber(),
      ]);
      if (!response.ok) return false;
      const status = (await response.json()) as Record<string, { block?: { number?: number } } | undefined>;
      const indexed = Object.values(status)[0]?.block?.number;
      return indexed !== undefined && indexed >= latest;
    } catch {
      return false;
    }
  }

  /**
   * Every row of a list field with `args`, following its pages; undefined when any page fails. `variables` are
   * bigints (as decimal strings) the arguments name as `$name`.
   */
  private async all<T>(field: string, args: string, selection: string, variables = {}): Promise<T[] | undefined> {
    const rows: T[] = [];
    let after: string | null = null;
    for (;;) {
      const data: Record<string, Page<T>> | undefined = await this.graphql(
        `query ($after: String${Object.keys(variables)
          .map((k) => `, $${k}: BigInt!`)
          .join("")}) {
          ${field}(${args}, limit: 1000, after: $after) { items { ${selection} } pageInfo { hasNextPage endCursor } }
        }`,
        { ...variables, after },
      );
      const page: Page<T> | undefined = data?.[field];
      if (page === undefined) return undefined;
      rows.push(...page.items);
      if (!page.pageInfo.hasNextPage) return rows;
      after = page.pageInfo.endCursor;
    }
  }

  /** `list` when the indexer is current and answers it, else undefined. */
  private async whenCurrent<T>(list: () => Promise<T | undefined>): Promise<T | undefined> {
    if (!(await this.current())) return undefined;
    return list();
  }

  /** A datanet's contributions in id order, as `Datanets.contributions` gives them. */
  contributions(datanetId: bigint): Promise<ContributionSummary[] | undefined> {
    type Row = { id: string; contributor: string; status: string; bond: string; size: string; uri: string };
    return this.whenCurrent(async () => {
      const rows = await this.all<Row & { contentHash: string }>(
        "contributions",
        `where: { datanetId: $datanet }, orderBy: "id", orderDirection: "asc"`,
        "id contributor status bond size uri contentHash",
        { datanet: String(datanetId) },
      );
      return rows?.map((r) => ({
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
    type Row = { account: string; isOwner: boolean };
    return this.whenCurrent(async () => {
      const rows = await this.all<Row>(
        "curators",
        `where: { datanetId: $datanet, isCurator: true }, orderBy: "updatedAt", orderDirection: "asc"`,
        "account isOwner",
        { datanet: String(datanetId) },
      );
      if (rows === undefined) return undefined;
      return [...rows.filter((r) => r.isOwner), ...rows.filter((r) => !r.isOwner)].map((r) => getAddress(r.account));
    });
  }

  /** Every proposal filed on the governor, oldest first. */
  proposals(): Promise<IndexedProposal[] | undefined> {
    type Row = {
      id: string;
      proposer: string;
      targets: string[];
      values: string[];
      calldatas: string[];
      description: string;
      voteStart: string;
      voteEnd: string;
    };
    return this.whenCurrent(async () => {
      const rows = await this.all<Row>(
        "proposals",
        `orderBy: "createdAt", orderDirection: "asc"`,
        "id proposer targets values calldatas description voteStart voteEnd",
      );
      return rows?.map((r) => ({
        proposalId: BigInt(r.id),
        proposer: getAddress(r.proposer),
        actions: r.targets.map((target, i) => ({
          target: getAddress(target),
          value: BigInt(r.values[i] ?? 0),
          calldata: r.calldatas[i] ?? "0x",
        })),
        description: r.description,
        voteStart: BigInt(r.voteStart),
        voteEnd: BigInt(r.voteEnd),
      }));
    });
  }

  /**
   * What `status()` otherwise scans events for: every account with a queued withdrawal or a freeze (ever), and
   * the inferences paid, with the ids of those still Pending.
   */
  statusLists(): Promise<{ queueAccounts: string[]; paid: bigint; pendingIds: bigint[] } | undefined> {
    return this.whenCurrent(async () => {
      const queues = await this.all<{ account: string }>("queuedWithdrawals", `orderBy: "account"`, "account");
      const pending = await this.all<{ id: string }>("inferences", `where: { status: "Pending" }, orderBy: "id"`, "id");
      const counted = await this.graphql<{ inferences: { totalCount: number } }>(
        "query { inferences { totalCount } }",
        {},
      );
      if (queues === undefined || pending === undefined || counted === undefined) return undefined;
      return {
        queueAccounts: queues.map((r) => getAddress(r.account)),
        paid: BigInt(counted.inferences.totalCount),
        pendingIds: pending.map((r) => BigInt(r.id)),
      };
    });
  }
}
