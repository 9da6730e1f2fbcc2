/**
 * Datanets: create, curators, contribute (a hash and size, or the bytes), review, penalize, publish and verify
 * versions, refunds, close and reopen, change the bond, and the reads behind them.
 */
import { keccak256 } from "ethers";

import { clientError } from "../core/client-errors.js";
import type { DatanetRegistry } from "../core/contracts.js";
import { ContributionStatus, contributionStatusName, type ContributionStatusName } from "../core/enums.js";
import { eventArgs } from "../core/events.js";
import { buildContributionTree, contributionProof, type ContributionTree } from "../core/merkle.js";
import { UINT64_LIMIT, idsUpTo, isBytes32 } from "../core/numbers.js";
import { signTokenPermit } from "../core/permit.js";
import type { ClientContext } from "./context.js";

/** What a contribution registers: its content hash and size, or its bytes (hashed with keccak256 here). */
export type ContributionContent = { contentHash: string; size: bigint } | { bytes: Uint8Array };

/** One contribution, as a datanet lists it. */
export interface ContributionSummary {
  id: bigint;
  datanetId: bigint;
  contributor: string;
  status: ContributionStatusName;
  bond: bigint;
  size: bigint;
  uri: string;
  contentHash: string;
}

/** One published version of a datanet. */
export interface DatanetVersion {
  version: bigint;
  merkleRoot: string;
  count: bigint;
  uri: string;
  publishedAt: bigint;
}

/** A datanet with its curators and versions. */
export interface DatanetDetails {
  datanetId: bigint;
  owner: string;
  metadataURI: string;
  open: boolean;
  createdAt: bigint;
  bond: bigint;
  contributionCount: bigint;
  acceptedCount: bigint;
  /** The owner first, then the curators it added and has not removed. */
  curators: string[];
  versions: DatanetVersion[];
}

export class Datanets {
  constructor(private readonly ctx: ClientContext) {}

  private async requireDatanet(datanetId: bigint) {
    this.ctx.checkId(datanetId, "datanet id");
    if (!(await this.ctx.contracts.datanetRegistry.datanetExists(datanetId))) {
      throw clientError("UnknownDatanet", { datanetId });
    }
    return this.ctx.contracts.datanetRegistry.getDatanet(datanetId);
  }

  private async requireContribution(contributionId: bigint) {
    this.ctx.checkId(contributionId, "contribution id");
    const registry = this.ctx.contracts.datanetRegistry;
    if (contributionId === 0n || contributionId > (await registry.contributionCount())) {
      throw clientError("UnknownContribution", { contributionId });
    }
    return registry.getContribution(contributionId);
  }

  private async requireOwner(datanetId: bigint, action: string) {
    const d = await this.requireDatanet(datanetId);
    const account = await this.ctx.account();
    if (d.owner !== account) throw clientError("NotDatanetOwner", { datanetId, owner: d.owner, action });
    return d;
  }

  private async requireCurator(datanetId: bigint, penalizing = false): Promise<string> {
    const account = await this.ctx.account();
    if (!(await this.ctx.contracts.datanetRegistry.isCurator(datanetId, account))) {
      throw clientError(penalizing ? "NotCuratorToPenalize" : "NotCurator", { account, datanetId });
    }
    return account;
  }

  private async checkBond(bond: bigint): Promise<void> {
    const [min, max] = await this.ctx.contracts.datanetRegistry.bondBounds();
    if (bond < min || bond > max) throw clientError("BondOutOfBounds", { bond, min, max });
  }

  /** Creates a datanet owned (and curated) by the signer; each contribution will post `bond` OPEN-wei. */
  async create(metadataURI: string, bond: bigint): Promise<{ hash: string; datanetId: bigint }> {
    await this.ctx.account();
    await this.checkBond(bond);
    const registry = this.ctx.contracts.datanetRegistry;
    const { hash, receipt } = await this.ctx.send(() => registry.createDatanet(metadataURI, bond));
    const args = await eventArgs(receipt, registry, "DatanetCreated");
    return { hash, datanetId: args.datanetId as bigint };
  }

  /** Adds (or, with `isCurator` false, removes) a curator of a datanet the signer owns. */
  async setCurator(datanetId: bigint, account: string, isCurator: boolean): Promise<{ hash: string }> {
    const d = await this.requireOwner(datanetId, "change its curators");
    if (BigInt(account) === 0n) throw clientError("ZeroAddress", { what: "the curator" });
    if (account.toLowerCase() === d.owner.toLowerCase()) throw clientError("OwnerIsCurator", { datanetId });
    const registry = this.ctx.contracts.datanetRegistry;
    const already = await registry.isCurator(datanetId, account);
    if (!isCurator && !already) throw clientError("NotACuratorToRemove", { account, datanetId });
    // Adding one twice would send a transaction that changes nothing and emits a misleading CuratorUpdated.
    if (isCurator && already) throw clientError("AlreadyACurator", { account, datanetId });
    const { hash } = await this.ctx.send(() => registry.setCurator(datanetId, account, isCurator));
    return { hash };
  }

  /** Closes a datanet the signer owns to new contributions (`open` false), or reopens it. */
  async setOpen(datanetId: bigint, open: boolean): Promise<{ hash: string }> {
    const d = await this.requireOwner(datanetId, open ? "reopen it" : "close it");
    if (d.open === open) throw clientError(open ? "DatanetAlreadyOpen" : "DatanetAlreadyClosed", { datanetId });
    const registry = this.ctx.contracts.datanetRegistry;
    const { hash } = await this.ctx.send(() => registry.setDatanetOpen(datanetId, open));
    return { hash };
  }

  /**
   * Changes the bond of a datanet the signer owns (refusing the bond it already has). Contributions already
   * submitted keep the bond they posted; contributors who capped theirs (`maxBond`) are never charged more than
   * they accepted.
   */
  async setBond(datanetId: bigint, bond: bigint): Promise<{ hash: string; previous: bigint }> {
    const d = await this.requireOwner(datanetId, "change its bond");
    if (d.contributionBond === bond) throw clientError("BondUnchanged", { datanetId, bond });
    await this.checkBond(bond);
    const registry = this.ctx.contracts.datanetRegistry;
    const { hash } = await this.ctx.send(() => registry.setContributionBond(datanetId, bond));
    return { hash, previous: d.contributionBond };
  }

  /**
   * Submits a contribution with its bond, capped by `maxBond` (default: the datanet's bond now, so a bond the
   * owner raises before the transaction lands is refused, not pulled). Uses the existing allowance when it covers
   * the bond, otherwise signs an EIP-2612 permit for `maxBond` so the bond is approved in the same transaction.
   */
  async contribute(
    datanetId: bigint,
    content: ContributionContent,
    uri: string,
    options: { maxBond?: bigint } = {},
  ): Promise<{
    hash: string;
    contributionId: bigint;
    contentHash: string;
    size: bigint;
    bond: bigint;
    maxBond: bigint;
    usedPermit: boolean;
  }> {
    const { datanetRegistry, openToken } = this.ctx.contracts;
    const account = await this.ctx.account();
    const { contentHash, size } =
      "bytes" in content
        ? { contentHash: keccak256(content.bytes), size: BigInt(content.bytes.length) }
        : { contentHash: content.contentHash.toLowerCase(), size: content.size };
    if ("bytes" in content && content.bytes.length === 0) throw clientError("EmptyContent", {});
    if (!isBytes32(contentHash)) throw clientError("InvalidContentHash", { contentHash });
    if (size < 0n || size >= UINT64_LIMIT) throw clientError("SizeOutOfRange", { size });
    const d = await this.requireDatanet(datanetId);
    if (!d.open) throw clientError("DatanetClosed", { datanetId });
    if (await datanetRegistry.paused()) throw clientError("ContributionsPaused", {});
    if (BigInt(contentHash) === 0n) throw clientError("ZeroContentHash", {});
    const existing = await datanetRegistry.contributionByHash(datanetId, contentHash);
    if (existing !== 0n) throw clientError("RedundantContribution", { datanetId, contributionId: existing });
    const bond = d.contributionBond;
    const maxBond = options.maxBond ?? bond;
    if (bond > maxBond) throw clientError("DatanetBondAboveMax", { datanetId, bond, maxBond });
    const balance = await openToken.balanceOf(account);
    if (balance < bond) {
      throw clientError("InsufficientBalance", {
        account,
        balance,
        needed: bond,
        what: `bond of datanet ${datanetId}`,
      });
    }
    const registry = this.ctx.address("datanetRegistry");
    let usedPermit = false;
    let sent;
    if (bond === 0n || (await openToken.allowance(account, registry)) >= bond) {
      sent = await this.ctx.send(() => datanetRegistry.contribute(datanetId, contentHash, uri, size, maxBond));
    } else {
      const permit = await signTokenPermit(
        openToken,
        this.ctx.requireSigner(),
        registry,
        maxBond,
        await this.ctx.now(),
      );
      const { deadline } = permit.message;
      sent = await this.ctx.send(() =>
        datanetRegistry.contributeWithPermit(
          datanetId,
          contentHash,
          uri,
          size,
          maxBond,
          deadline,
          permit.v,
          permit.r,
          permit.s,
        ),
      );
      usedPermit = true;
    }
    const args = await eventArgs(sent.receipt, datanetRegistry, "ContributionSubmitted");
    return {
      hash: sent.hash,
      contributionId: args.contributionId as bigint,
      contentHash,
      size,
      bond: args.bond as bigint,
      maxBond,
      usedPermit,
    };
  }

  /** Accepts and rejects pending contributions of one datanet: one id uses review, several use reviewBatch. */
  async review(
    accepts: readonly bigint[],
    rejects: readonly bigint[],
  ): Promise<{ hash: string; datanetId: bigint; accepted: number; rejected: number; slashed: bigint }> {
    const registry = this.ctx.contracts.datanetRegistry;
    await this.ctx.account();
    const decisions = [...accepts.map((id) => [id, true] as const), ...rejects.map((id) => [id, false] as const)];
    if (decisions.length === 0) throw clientError("NothingToReview", {});
    const max = await registry.MAX_REVIEW_BATCH();
    if (BigInt(decisions.length) > max) {
      throw clientError("ReviewTooLarge", { count: BigInt(decisions.length), max });
    }
    const seen = new Set<bigint>();
    let datanetId: bigint | undefined;
    let slashed = 0n;
    for (const [id, accept] of decisions) {
      if (seen.has(id)) throw clientError("ListedTwice", { contributionId: id });
      seen.add(id);
      const c = await this.requireContribution(id);
      if (c.status !== ContributionStatus.Pending) {
        throw clientError("WrongContributionStatus", {
          contributionId: id,
          status: contributionStatusName(c.status),
          required: "Pending",
          action: "reviewed",
        });
      }
      datanetId ??= c.datanetId;
      if (c.datanetId !== datanetId) {
        throw clientError("MixedDatanets", { contributionId: id, datanetId: c.datanetId, expected: datanetId });
      }
      if (!accept) slashed += c.bond;
    }
    if (datanetId === undefined) throw new Error("unreachable: a review names at least one contribution");
    const reviewed = datanetId;
    await this.requireCurator(reviewed);
    const [first] = decisions;
    const { hash } = await this.ctx.send(() =>
      decisions.length === 1 && first !== undefined
        ? registry.review(first[0], first[1])
        : registry.reviewBatch(
            decisions.map(([id]) => id),
            decisions.map(([, accept]) => accept),
          ),
    );
    return { hash, datanetId: reviewed, accepted: accepts.length, rejected: rejects.length, slashed };
  }

  /** Marks an accepted contribution adversarial: it is excluded from all later attribution. */
  async penalize(contributionId: bigint, reason: string): Promise<{ hash: string }> {
    const c = await this.requireContribution(contributionId);
    if (c.status !== ContributionStatus.Accepted) {
      throw clientError("WrongContributionStatus", {
        contributionId,
        status: contributionStatusName(c.status),
        required: "Accepted",
        action: "penalized",
      });
    }
    await this.requireCurator(c.datanetId, true);
    const registry = this.ctx.contracts.datanetRegistry;
    const { hash } = await this.ctx.send(() => registry.penalize(contributionId, reason));
    return { hash };
  }

  /**
   * The contributions of a datanet, in id order, found from its ContributionSubmitted events (or the client's
   * indexer).
   */
  async contributions(datanetId: bigint): Promise<ContributionSummary[]> {
    await this.requireDatanet(datanetId);
    const indexed = await this.ctx.indexer?.contributions(datanetId);
    if (indexed !== undefined) return indexed;
    const registry = this.ctx.contracts.datanetRegistry;
    const events = await this.ctx.events((from, to) =>
      registry.queryFilter(registry.filters.ContributionSubmitted(undefined, datanetId), from, to),
    );
    const list: ContributionSummary[] = [];
    for (const e of events) {
      const c = await registry.getContribution(e.args.contributionId);
      list.push({
        id: e.args.contributionId,
        datanetId,
        contributor: c.contributor,
        status: contributionStatusName(c.status) as ContributionStatusName,
        bond: c.bond,
        size: c.size,
        uri: e.args.uri,
        contentHash: c.contentHash,
      });
    }
    return list.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /** The contributions of a datanet grouped by their current status. */
  async contributionsByStatus(datanetId: bigint): Promise<Map<ContributionStatusName, ContributionSummary[]>> {
    const byStatus = new Map<ContributionStatusName, ContributionSummary[]>();
    for (const c of await this.contributions(datanetId)) {
      const list = byStatus.get(c.status) ?? [];
      list.push(c);
      byStatus.set(c.status, list);
    }
    return byStatus;
  }

  /** A datanet, its curators (from its CuratorUpdated events, or the client's indexer) and its published versions. */
  async datanet(datanetId: bigint): Promise<DatanetDetails> {
    const d = await this.requireDatanet(datanetId);
    return this.details(datanetId, d, await this.ctx.indexer?.curators(datanetId));
  }

  /** Every datanet in id order, each as `datanet` gives it (from the client's indexer when it answers). */
  async list(): Promise<DatanetDetails[]> {
    const indexed = await this.ctx.indexer?.datanets();
    if (indexed !== undefined) return indexed;
    const registry = this.ctx.contracts.datanetRegistry;
    return Promise.all(
      idsUpTo(await registry.datanetCount()).map(async (id) => this.details(id, await registry.getDatanet(id))),
    );
  }

  /** A datanet's details from its stored record `d`, its curators read from its events unless `indexed`. */
  private async details(
    datanetId: bigint,
    d: Awaited<ReturnType<DatanetRegistry["getDatanet"]>>,
    indexed?: string[],
  ): Promise<DatanetDetails> {
    const registry = this.ctx.contracts.datanetRegistry;
    // The indexer lists the owner too: none at all means it could not answer.
    const curators = new Set<string>(indexed);
    if (curators.size === 0) {
      const events = await this.ctx.events((from, to) =>
        registry.queryFilter(registry.filters.CuratorUpdated(datanetId), from, to),
      );
      curators.add(d.owner);
      for (const e of events) {
        if (e.args.isCurator) curators.add(e.args.curator);
        else curators.delete(e.args.curator);
      }
    }
    const versions: DatanetVersion[] = [];
    for (let v = 1n; v <= d.versionCount; v++) {
      const version = await registry.getVersion(datanetId, v);
      versions.push({
        version: v,
        merkleRoot: version.merkleRoot,
        count: version.count,
        uri: version.uri,
        publishedAt: version.publishedAt,
      });
    }
    return {
      datanetId,
      owner: d.owner,
      metadataURI: d.metadataURI,
      open: d.open,
      createdAt: d.createdAt,
      bond: d.contributionBond,
      contributionCount: d.contributionCount,
      acceptedCount: d.acceptedCount,
      curators: [...curators],
      versions,
    };
  }

  /**
   * Publishes a version over the datanet's currently accepted contributions (penalized ones left out). `uri` is
   * where the tree will be served, or a function of the new version number.
   */
  async publishVersion(
    datanetId: bigint,
    uri: string | ((version: bigint) => string),
  ): Promise<{ hash: string; version: bigint; root: string; tree: ContributionTree; count: number }> {
    const d = await this.requireDatanet(datanetId);
    await this.requireCurator(datanetId);
    const accepted = (await this.contributionsByStatus(datanetId)).get("Accepted") ?? [];
    if (accepted.length === 0) throw clientError("NothingToPublish", { datanetId });
    const tree = buildContributionTree(accepted.map((c) => c.id));
    const next = d.versionCount + 1n;
    const registry = this.ctx.contracts.datanetRegistry;
    const { hash, receipt } = await this.ctx.send(() =>
      registry.publishVersion(datanetId, tree.root, accepted.length, typeof uri === "string" ? uri : uri(next)),
    );
    const args = await eventArgs(receipt, registry, "VersionPublished");
    return { hash, version: args.version as bigint, root: tree.root, tree, count: accepted.length };
  }

  /**
   * Proves on-chain that `contributionId` is in version `version` of the datanet, with that version's `tree` (as
   * `publishVersion` returned it), or a function that loads it from where it is served (called once the version
   * is known to exist). Returns the proof the registry accepted.
   */
  async verifyInclusion(
    datanetId: bigint,
    version: bigint,
    contributionId: bigint,
    treeOrLoader: ContributionTree | (() => Promise<ContributionTree>),
  ): Promise<{ proof: string[] }> {
    const d = await this.requireDatanet(datanetId);
    this.ctx.checkId(version, "version number");
    this.ctx.checkId(contributionId, "contribution id");
    if (version === 0n || version > d.versionCount) {
      throw clientError("UnknownVersion", { datanetId, version, versions: d.versionCount });
    }
    const registry = this.ctx.contracts.datanetRegistry;
    const onChain = await registry.getVersion(datanetId, version);
    const tree = typeof treeOrLoader === "function" ? await treeOrLoader() : treeOrLoader;
    if (tree.root !== onChain.merkleRoot) {
      throw clientError("TreeRootMismatch", { root: tree.root, published: onChain.merkleRoot });
    }
    const proof = contributionProof(tree, contributionId);
    if (proof === undefined) throw clientError("NotInVersion", { contributionId, datanetId, version });
    if (!(await registry.verifyInclusion(datanetId, version, contributionId, proof))) {
      throw clientError("ProofRejected", { contributionId });
    }
    return { proof };
  }

  /** Claims the signer's refunded bonds, to `recipient` (default: the signer). */
  async claimRefund(recipient?: string): Promise<{ hash: string; amount: bigint; recipient: string }> {
    const registry = this.ctx.contracts.datanetRegistry;
    const account = await this.ctx.account();
    if (recipient !== undefined) this.ctx.checkRecipient(recipient);
    const amount = await registry.refundOf(account);
    if (amount === 0n) throw clientError("NoRefunds", { account });
    const to = recipient ?? account;
    const { hash } = await this.ctx.send(() => (to === account ? registry.claimRefund() : registry.claimRefundTo(to)));
    return { hash, amount, recipient: to };
  }
}
