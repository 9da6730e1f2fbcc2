/**
 * Every list the app shows, read through the SDK's client: from the indexer when the client was made with one
 * (`indexer` in its options, see wallet.ts), which reads the chain itself for a list the indexer cannot answer
 * for the latest block; else from the chain (event scans and reads), so the app works before an indexer runs.
 * What depends on the clock (a proposal's state, its quorum) is asked of the governor for each row. Lists are
 * newest first where the SDK gives them oldest first.
 */
import {
  isProtocolError,
  type ContributionSummary,
  type DatanetDetails,
  type Earning,
  type EnumName,
  type FiledProposal,
  type InferencePayment,
  type ModelDetails,
  type ProposalState,
  type ProposalStatus,
  type ProtocolClient,
} from "../../sdk/index.js";

/** A model with the state of the governor proposal that approves it (undefined when none was filed). */
export interface ModelRow extends ModelDetails {
  approval?: { proposalId: bigint; state: EnumName<typeof ProposalState> };
}

/** A proposal as filed, with its state and tallies now. */
export type ProposalRow = FiledProposal & ProposalStatus;

export class Lists {
  /** Where the lists come from, for the footer. */
  readonly source: string;

  constructor(private readonly client: ProtocolClient) {
    const indexer = client.context.indexer;
    this.source =
      indexer === undefined ? "the chain (through the SDK)" : `the indexer at ${indexer.url} (the chain when it lags)`;
  }

  datanets(): Promise<DatanetDetails[]> {
    return this.client.datanets.list();
  }

  contributions(datanetId: bigint): Promise<ContributionSummary[]> {
    return this.client.datanets.contributions(datanetId);
  }

  async models(): Promise<ModelRow[]> {
    return Promise.all(
      (await this.client.models.list()).map(async (model): Promise<ModelRow> => {
        const proposalId = await this.client.models.approvalProposalId(model.modelId);
        try {
          const { state } = await this.client.governance.proposal(proposalId);
          return { ...model, approval: { proposalId, state } };
        } catch (error) {
          if (isProtocolError(error, "UnknownProposal")) return model;
          throw error;
        }
      }),
    );
  }

  /** Newest first. */
  async proposals(): Promise<ProposalRow[]> {
    const filed = await this.client.governance.proposals();
    const rows = await Promise.all(
      filed.map(async (p) => ({ ...p, ...(await this.client.governance.proposal(p.proposalId)) })),
    );
    return rows.reverse();
  }

  /** What each inference credited `account`, newest first. */
  async earnings(account: string): Promise<Earning[]> {
    return (await this.client.rewards.earnings(account)).reverse();
  }

  /** The inferences `payer` paid for, newest first. */
  async inferences(payer: string): Promise<InferencePayment[]> {
    return (await this.client.ledger.payments(payer)).reverse();
  }
}
