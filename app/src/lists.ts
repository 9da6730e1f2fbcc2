/**
 * Every list the app shows, behind one interface: from the indexer when one is configured (indexer.ts), else read
 * from the chain through the SDK's client (its event scans and reads), so the app works before an indexer runs.
 */
import {
  isProtocolError,
  type ContributionSummary,
  type DatanetDetails,
  type EnumName,
  type FiledProposal,
  type InferenceStatus,
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

/** What one inference credited an account: its creator share, or a contribution's attributed share. */
export interface EarningRow {
  inferenceId: bigint;
  modelId: bigint;
  /** The contribution credited; undefined for the model creator's share. */
  contributionId?: bigint;
  amount: bigint;
}

/** One inference a payer paid for, with its status now. */
export interface InferenceRow {
  inferenceId: bigint;
  modelId: bigint;
  status: EnumName<typeof InferenceStatus>;
  fee: bigint;
}

export interface Lists {
  /** Where the lists come from, for the footer. */
  readonly source: string;
  datanets(): Promise<DatanetDetails[]>;
  contributions(datanetId: bigint): Promise<ContributionSummary[]>;
  models(): Promise<ModelRow[]>;
  proposals(): Promise<ProposalRow[]>;
  earnings(account: string): Promise<EarningRow[]>;
  /** The inferences `payer` paid for, newest first. */
  inferences(payer: string): Promise<InferenceRow[]>;
}

/** The lists, read from the chain through the SDK (event scans from the deployment block). */
export class ChainLists implements Lists {
  readonly source = "the chain (through the SDK)";

  constructor(private readonly client: ProtocolClient) {}

  async datanets(): Promise<DatanetDetails[]> {
    const count = await this.client.contracts.datanetRegistry.datanetCount();
    const ids = Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1));
    return Promise.all(ids.map((id) => this.client.datanets.datanet(id)));
  }

  contributions(datanetId: bigint): Promise<ContributionSummary[]> {
    return this.client.datanets.contributions(datanetId);
  }

  async models(): Promise<ModelRow[]> {
    const count = await this.client.contracts.modelRegistry.modelCount();
    const ids = Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1));
    return Promise.all(
      ids.map(async (id): Promise<ModelRow> => {
        const model = await this.client.models.model(id);
        const proposalId = await this.client.models.approvalProposalId(id);
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

  async proposals(): Promise<ProposalRow[]> {
    const filed = await this.client.governance.proposals();
    const rows = await Promise.all(
      filed.map(async (p) => ({ ...p, ...(await this.client.governance.proposal(p.proposalId)) })),
    );
    return rows.reverse();
  }

  async earnings(account: string): Promise<EarningRow[]> {
    const { datanetRegistry } = this.client.contracts;
    const me = account.toLowerCase();
    const contributors = new Map<bigint, string>();
    const creators = new Map<bigint, string>();
    const rows: EarningRow[] = [];
    for (const inferenceId of await this.client.inference.paidIds()) {
      const details = await this.client.inference.inference(inferenceId);
      if (!creators.has(details.modelId)) {
        creators.set(details.modelId, (await this.client.models.model(details.modelId)).creator.toLowerCase());
      }
      if (creators.get(details.modelId) === me && details.creatorShare > 0n) {
        rows.push({ inferenceId, modelId: details.modelId, amount: details.creatorShare });
      }
      const settlement = details.settlement;
      if (settlement === undefined) continue;
      for (const [i, contributionId] of settlement.contributionIds.entries()) {
        const amount = settlement.amounts[i] ?? 0n;
        if (amount === 0n) continue;
        if (!contributors.has(contributionId)) {
          contributors.set(contributionId, (await datanetRegistry.getContribution(contributionId)).contributor);
        }
        if (contributors.get(contributionId)?.toLowerCase() === me) {
          rows.push({ inferenceId, modelId: details.modelId, contributionId, amount });
        }
      }
    }
    return rows.reverse();
  }

  async inferences(payer: string): Promise<InferenceRow[]> {
    const rows: InferenceRow[] = [];
    for (const inferenceId of await this.client.inference.paidIds()) {
      const details = await this.client.inference.inference(inferenceId);
      if (details.payer.toLowerCase() !== payer.toLowerCase()) continue;
      rows.push({ inferenceId, modelId: details.modelId, status: details.status, fee: details.fee });
    }
    return rows.reverse();
  }
}
