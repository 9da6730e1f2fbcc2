/**
 * The lists from the indexer (services/indexer, Ponder; GraphQL over HTTP, see its README): one query per list,
 * rows shaped as the SDK's types. What depends on the clock (a proposal's state, its quorum) is still asked of the
 * governor through the SDK. Before each list it waits (briefly) for the indexer to reach the chain's latest block,
 * so a page refreshed after a transaction shows it; an indexer that is behind, down or refusing the query is
 * bypassed for that list, which is then read from the chain (ChainLists).
 */
import { ZeroHash, getAddress } from "ethers";

import {
  contributionStatusName,
  inferenceStatusName,
  isProtocolError,
  modelStateName,
  ContributionStatus,
  InferenceStatus,
  ModelState,
  type ContributionStatusName,
  type ContributionSummary,
  type DatanetDetails,
  type ModelStateName,
  type ProtocolClient,
} from "../../sdk/index.js";
import {
  ChainLists,
  type EarningRow,
  type InferenceRow,
  type Lists,
  type ModelRow,
  type ProposalRow,
} from "./lists.js";

type Row = Record<string, unknown>;
interface Page<T = Row> {
  items: T[];
}

/** The indexer's largest page (Ponder's); lists are read page after page. */
const LIMIT = 1000;
const CATCH_UP_MS = 8_000;

const big = (value: unknown): bigint => BigInt(value as string);
const text = (value: unknown): string => String(value ?? "");
/** Addresses checksummed, as the chain reads give them. */
const address = (value: unknown): string => getAddress(text(value));

/** A status or state name as the indexer stores it, checked against the SDK's enum. */
function contributionStatus(name: unknown): ContributionStatusName {
  const known = Object.keys(ContributionStatus).includes(String(name));
  return (known ? name : contributionStatusName(-1)) as ContributionStatusName;
}
function inferenceStatus(name: unknown): InferenceRow["status"] {
  return Object.keys(InferenceStatus).includes(String(name))
    ? (name as InferenceRow["status"])
    : inferenceStatusName(-1);
}
function modelState(name: unknown): ModelStateName {
  const known = Object.keys(ModelState).includes(String(name));
  return (known ? name : modelStateName(-1)) as ModelStateName;
}

export class IndexerLists implements Lists {
  readonly source: string;
  /** How many lists were read from the chain because the indexer lagged, was down or refused the query. */
  fallbacks = 0;
  private readonly chain: ChainLists;

  constructor(
    private readonly url: string,
    private readonly client: ProtocolClient,
  ) {
    this.source = `the indexer at ${url} (the chain when it lags)`;
    this.chain = new ChainLists(client);
  }

  /** Runs a GraphQL query; values from outside the app (an account, an id) go in `variables`, never in the text. */
  private async query<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(new URL("graphql", this.url.endsWith("/") ? this.url : `${this.url}/`), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (!response.ok || body.errors !== undefined || body.data === undefined) {
      throw new Error(`The indexer refused the query: ${body.errors?.[0]?.message ?? response.status}.`);
    }
    return body.data;
  }

  /**
   * Every row of the list field `field` with `args`, page after page. `variables` maps each `$name` the arguments
   * use to its GraphQL type and value.
   */
  private async all(
    field: string,
    args: string,
    selection: string,
    variables: Record<string, [type: string, value: string | string[]]> = {},
  ): Promise<Row[]> {
    const declared = Object.entries(variables).map(([name, [type]]) => `, $${name}: ${type}`);
    const values = Object.fromEntries(Object.entries(variables).map(([name, [, v]]) => [name, v]));
    const rows: Row[] = [];
    let after: string | undefined;
    for (;;) {
      const data = await this.query<Record<string, Page & { pageInfo: { hasNextPage: boolean; endCursor: string } }>>(
        `query ($after: String${declared.join("")}) {
          ${field}(${args}, limit: ${LIMIT}, after: $after) {
            items { ${selection} } pageInfo { hasNextPage endCursor } } }`,
        { ...values, ...(after === undefined ? {} : { after }) },
      );
      const page = data[field];
      if (page === undefined) throw new Error(`The indexer has no list ${field}.`);
      rows.push(...page.items);
      if (!page.pageInfo.hasNextPage) return rows;
      after = page.pageInfo.endCursor;
    }
  }

  /** True once the indexer has indexed the chain's latest block (waiting up to CATCH_UP_MS). */
  private async caughtUp(): Promise<boolean> {
    const deadline = Date.now() + CATCH_UP_MS;
    const target = await this.client.context.provider.getBlockNumber();
    for (;;) {
      try {
        const status = (await (await fetch(new URL("status", `${this.url.replace(/\/$/, "")}/`))).json()) as Record<
          string,
          { block?: { number?: number } }
        >;
        const indexed = Object.values(status).map((chain) => chain.block?.number ?? -1);
        if (indexed.some((n) => n >= target)) return true;
      } catch {
        return false;
      }
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** `fromIndexer()` when the indexer is caught up and answers, else `fromChain()`. */
  private async either<T>(fromIndexer: () => Promise<T>, fromChain: () => Promise<T>): Promise<T> {
    if (!(await this.caughtUp())) {
      console.warn("Reading from the chain instead of the indexer: it is behind the chain or down.");
      this.fallbacks += 1;
      return fromChain();
    }
    try {
      return await fromIndexer();
    } catch (error) {
      console.warn("Reading from the chain instead of the indexer:", error);
      this.fallbacks += 1;
      return fromChain();
    }
  }

  datanets(): Promise<DatanetDetails[]> {
    return this.either(
      async () => {
        const datanets = await this.all(
          "datanets",
          `orderBy: "id", orderDirection: "asc"`,
          `id owner metadataURI contributionBond open createdAt contributionCount acceptedCount
           curators(limit: ${LIMIT}) { items { account isCurator isOwner } }
           versions(orderBy: "version", orderDirection: "asc", limit: ${LIMIT}) {
             items { version merkleRoot count uri publishedAt } }`,
        );
        return datanets.map((d): DatanetDetails => {
          const curators = (d.curators as Page).items;
          const owner = address(d.owner);
          return {
            datanetId: big(d.id),
            owner,
            metadataURI: text(d.metadataURI),
            open: d.open === true,
            createdAt: big(d.createdAt),
            bond: big(d.contributionBond),
            contributionCount: big(d.contributionCount),
            acceptedCount: big(d.acceptedCount),
            curators: [
              owner,
              ...curators
                .filter((c) => c.isCurator === true && address(c.account) !== owner)
                .map((c) => address(c.account)),
            ],
            versions: (d.versions as Page).items.map((v) => ({
              version: big(v.version),
              merkleRoot: text(v.merkleRoot),
              count: big(v.count),
              uri: text(v.uri),
              publishedAt: big(v.publishedAt),
            })),
          };
        });
      },
      () => this.chain.datanets(),
    );
  }

  contributions(datanetId: bigint): Promise<ContributionSummary[]> {
    return this.either(
      async () => {
        const contributions = await this.all(
          "contributions",
          `where: { datanetId: $datanetId }, orderBy: "id", orderDirection: "asc"`,
          "id datanetId contributor status bond size uri contentHash",
          { datanetId: ["BigInt", String(datanetId)] },
        );
        return contributions.map((c) => ({
          id: big(c.id),
          datanetId: big(c.datanetId),
          contributor: address(c.contributor),
          status: contributionStatus(c.status),
          bond: big(c.bond),
          size: big(c.size),
          uri: text(c.uri),
          contentHash: text(c.contentHash),
        }));
      },
      () => this.chain.contributions(datanetId),
    );
  }

  models(): Promise<ModelRow[]> {
    return this.either(
      async () => {
        const models = await this.all(
          "models",
          `orderBy: "id", orderDirection: "asc"`,
          `id creator state metadataURI datanetIds inputRate outputRate bond proposedAt artifactHash artifactURI
           baseModelId`,
        );
        return Promise.all(
          models.map(async (m): Promise<ModelRow> => {
            const modelId = big(m.id);
            const row: ModelRow = {
              modelId,
              creator: address(m.creator),
              state: modelState(m.state),
              metadataURI: text(m.metadataURI),
              datanetIds: (m.datanetIds as unknown[]).map(big),
              rates: { inputRate: big(m.inputRate), outputRate: big(m.outputRate) },
              bond: big(m.bond),
              proposedAt: big(m.proposedAt),
              // Null until the artifact is registered; the registry reads zero and "" then.
              artifactHash: m.artifactHash === null ? ZeroHash : text(m.artifactHash),
              artifactURI: text(m.artifactURI),
              baseModelId: m.baseModelId === null ? 0n : big(m.baseModelId),
            };
            // The approval proposal's state depends on the clock: the governor says it.
            const proposalId = await this.client.models.approvalProposalId(modelId);
            try {
              return {
                ...row,
                approval: { proposalId, state: (await this.client.governance.proposal(proposalId)).state },
              };
            } catch (error) {
              if (isProtocolError(error, "UnknownProposal")) return row;
              throw error;
            }
          }),
        );
      },
      () => this.chain.models(),
    );
  }

  proposals(): Promise<ProposalRow[]> {
    return this.either(
      async () => {
        const proposals = await this.all(
          "proposals",
          `orderBy: "createdAt", orderDirection: "desc"`,
          "id proposer targets values calldatas description voteStart voteEnd",
        );
        return Promise.all(
          proposals.map(async (p): Promise<ProposalRow> => {
            const targets = p.targets as string[];
            const values = p.values as string[];
            const calldatas = p.calldatas as string[];
            // State, tallies and quorum from the governor: states such as Active and Succeeded follow the clock.
            const status = await this.client.governance.proposal(big(p.id));
            return {
              proposer: address(p.proposer),
              description: text(p.description),
              actions: targets.map((target, i) => ({
                target: address(target),
                value: big(values[i]),
                calldata: calldatas[i] ?? "0x",
              })),
              ...status,
            };
          }),
        );
      },
      () => this.chain.proposals(),
    );
  }

  earnings(account: string): Promise<EarningRow[]> {
    return this.either(
      async () => {
        const me: [string, string] = ["String", account.toLowerCase()];
        const credited = await this.all(
          "inferenceCredits",
          `where: { contributor: $me, amount_gt: "0" }`,
          "inferenceId contributionId amount",
          { me },
        );
        const modelOf = new Map<string, bigint>();
        const ids = [...new Set(credited.map((c) => text(c.inferenceId)))];
        if (ids.length > 0) {
          const paid = await this.all("inferences", "where: { id_in: $ids }", "id modelId", { ids: ["[BigInt]", ids] });
          for (const i of paid) modelOf.set(text(i.id), big(i.modelId));
        }
        const rows: EarningRow[] = credited.map((c) => ({
          inferenceId: big(c.inferenceId),
          modelId: modelOf.get(text(c.inferenceId)) ?? 0n,
          contributionId: big(c.contributionId),
          amount: big(c.amount),
        }));
        // The creator's share of every inference of the account's models.
        const created = (await this.all("models", "where: { creator: $me }", "id", { me })).map((m) => text(m.id));
        if (created.length > 0) {
          const shares = await this.all(
            "inferences",
            `where: { modelId_in: $models, creatorShare_gt: "0" }`,
            "id modelId creatorShare",
            { models: ["[BigInt]", created] },
          );
          for (const i of shares) {
            rows.push({ inferenceId: big(i.id), modelId: big(i.modelId), amount: big(i.creatorShare) });
          }
        }
        return rows;
      },
      () => this.chain.earnings(account),
    );
  }

  inferences(payer: string): Promise<InferenceRow[]> {
    return this.either(
      async () => {
        const inferences = await this.all(
          "inferences",
          `where: { payer: $payer }, orderBy: "paidAt", orderDirection: "desc"`,
          "id modelId status fee",
          { payer: ["String", payer.toLowerCase()] },
        );
        return inferences.map((i) => ({
          inferenceId: big(i.id),
          modelId: big(i.modelId),
          status: inferenceStatus(i.status),
          fee: big(i.fee),
        }));
      },
      () => this.chain.inferences(payer),
    );
  }
}
