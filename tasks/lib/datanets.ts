import { readFile, stat } from "node:fs/promises";

import { keccak256 } from "ethers";

import { buildContributionTree, type ContributionTree } from "../../sdk/core/merkle.js";
import { UserError, formatOpen } from "./cli.js";
import { checkRecipient, type ProtocolContext } from "./context.js";
import { eventArgs, queryInSpans } from "./events.js";
import { signOpenPermit } from "./permit.js";
import { contributionStatusName } from "./states.js";

export { CONTRIBUTION_STATUSES, contributionStatusName } from "./states.js";
const STATUS = { None: 0n, Pending: 1n, Accepted: 2n } as const;

/** keccak256 and size of a file's bytes: a contribution's content hash. */
export async function hashFile(path: string): Promise<{ contentHash: string; size: bigint }> {
  let bytes: Buffer;
  try {
    if (!(await stat(path)).isFile()) throw new Error();
    bytes = await readFile(path);
  } catch {
    throw new UserError(`--file ${path} is not a readable file.`);
  }
  return { contentHash: keccak256(bytes), size: BigInt(bytes.length) };
}

async function requireDatanet(ctx: ProtocolContext, datanetId: bigint) {
  if (!(await ctx.datanetRegistry.datanetExists(datanetId))) {
    throw new UserError(`There is no datanet ${datanetId}.`);
  }
  return ctx.datanetRegistry.getDatanet(datanetId);
}

async function requireContribution(ctx: ProtocolContext, contributionId: bigint) {
  if (contributionId === 0n || contributionId > (await ctx.datanetRegistry.contributionCount())) {
    throw new UserError(`There is no contribution ${contributionId}.`);
  }
  return ctx.datanetRegistry.getContribution(contributionId);
}

/** Creates a datanet owned by the signer. */
export async function createDatanet(
  ctx: ProtocolContext,
  metadataURI: string,
  bond: bigint,
): Promise<{ hash: string; datanetId: bigint }> {
  const [min, max] = await ctx.datanetRegistry.bondBounds();
  if (bond < min || bond > max) {
    throw new UserError(
      `--bond ${formatOpen(bond)} is outside the allowed range ${formatOpen(min)} to ${formatOpen(max)}.`,
    );
  }
  const tx = await ctx.datanetRegistry.createDatanet(metadataURI, bond);
  const args = await eventArgs(await tx.wait(), ctx.datanetRegistry, "DatanetCreated");
  return { hash: tx.hash, datanetId: args.datanetId as bigint };
}

/** Adds or removes a curator of a datanet the signer owns. */
export async function setCurator(
  ctx: ProtocolContext,
  datanetId: bigint,
  account: string,
  isCurator: boolean,
): Promise<{ hash: string }> {
  const d = await requireDatanet(ctx, datanetId);
  if (d.owner !== ctx.signer.address) {
    throw new UserError(`Only the owner of datanet ${datanetId} (${d.owner}) can change its curators.`);
  }
  if (account === d.owner) throw new UserError(`The owner of datanet ${datanetId} is always a curator.`);
  const tx = await ctx.datanetRegistry.setCurator(datanetId, account, isCurator);
  await tx.wait();
  return { hash: tx.hash };
}

/**
 * Submits a contribution with its bond, capped by `maxBond` (default: the datanet's bond now, so a bond the
 * owner raises before the transaction lands is refused, not pulled). Uses the existing allowance when it
 * covers the bond, otherwise signs an EIP-2612 permit for `maxBond` so the bond is approved in the same
 * transaction.
 */
export async function contribute(
  ctx: ProtocolContext,
  datanetId: bigint,
  contentHash: string,
  uri: string,
  size: bigint,
  options: { maxBond?: bigint } = {},
): Promise<{ hash: string; contributionId: bigint; bond: bigint; maxBond: bigint; usedPermit: boolean }> {
  const { datanetRegistry, openToken, signer } = ctx;
  const d = await requireDatanet(ctx, datanetId);
  if (!d.open) throw new UserError(`Datanet ${datanetId} is closed to contributions.`);
  if (await datanetRegistry.paused()) {
    throw new UserError(
      "Contributions are paused by the guardian (only governance unpauses); reviews and refunds still work.",
    );
  }
  if (/^0x0{64}$/.test(contentHash)) throw new UserError("The content hash must not be zero.");
  const existing = await datanetRegistry.contributionByHash(datanetId, contentHash);
  if (existing !== 0n) {
    throw new UserError(
      `This content is already contribution ${existing} of datanet ${datanetId}: it would be redundant.`,
    );
  }
  const bond = d.contributionBond;
  const maxBond = options.maxBond ?? bond;
  if (bond > maxBond) {
    throw new UserError(
      `The bond of datanet ${datanetId} is ${formatOpen(bond)}, above --max-bond ${formatOpen(maxBond)}.`,
    );
  }
  const balance = await openToken.balanceOf(signer.address);
  if (balance < bond) {
    throw new UserError(
      `${signer.address} holds ${formatOpen(balance)}, less than the ${formatOpen(bond)} bond of datanet ${datanetId}.`,
    );
  }
  const registry = await datanetRegistry.getAddress();
  let tx;
  let usedPermit = false;
  if (bond === 0n || (await openToken.allowance(signer.address, registry)) >= bond) {
    tx = await datanetRegistry.contribute(datanetId, contentHash, uri, size, maxBond);
  } else {
    const { deadline, v, r, s } = await signOpenPermit(ctx, registry, maxBond);
    tx = await datanetRegistry.contributeWithPermit(datanetId, contentHash, uri, size, maxBond, deadline, v, r, s);
    usedPermit = true;
  }
  const args = await eventArgs(await tx.wait(), datanetRegistry, "ContributionSubmitted");
  return {
    hash: tx.hash,
    contributionId: args.contributionId as bigint,
    bond: args.bond as bigint,
    maxBond,
    usedPermit,
  };
}

/** Accepts and rejects pending contributions of one datanet: one id uses review, several use reviewBatch. */
export async function review(
  ctx: ProtocolContext,
  accepts: bigint[],
  rejects: bigint[],
): Promise<{ hash: string; datanetId: bigint; accepted: number; rejected: number; slashed: bigint }> {
  const decisions = [...accepts.map((id) => [id, true] as const), ...rejects.map((id) => [id, false] as const)];
  if (decisions.length === 0) throw new UserError("Give the contributions to review with --accept and/or --reject.");
  const max = await ctx.datanetRegistry.MAX_REVIEW_BATCH();
  if (BigInt(decisions.length) > max) {
    throw new UserError(`A review holds at most ${max} contributions, not ${decisions.length}; review them in parts.`);
  }
  const seen = new Set<bigint>();
  let datanetId: bigint | undefined;
  let slashed = 0n;
  for (const [id, accept] of decisions) {
    if (seen.has(id)) throw new UserError(`Contribution ${id} is listed twice.`);
    seen.add(id);
    const c = await requireContribution(ctx, id);
    if (c.status !== STATUS.Pending) {
      throw new UserError(
        `Contribution ${id} is ${contributionStatusName(c.status)}; only Pending contributions can be reviewed.`,
      );
    }
    datanetId ??= c.datanetId;
    if (c.datanetId !== datanetId) {
      throw new UserError(
        `Contribution ${id} is in datanet ${c.datanetId}, not ${datanetId}: review one datanet at a time.`,
      );
    }
    if (!accept) slashed += c.bond;
  }
  if (datanetId === undefined) throw new Error("unreachable");
  if (!(await ctx.datanetRegistry.isCurator(datanetId, ctx.signer.address))) {
    throw new UserError(`${ctx.signer.address} is not a curator of datanet ${datanetId}.`);
  }
  const tx =
    decisions.length === 1
      ? await ctx.datanetRegistry.review(decisions[0]![0], decisions[0]![1])
      : await ctx.datanetRegistry.reviewBatch(
          decisions.map(([id]) => id),
          decisions.map(([, accept]) => accept),
        );
  await tx.wait();
  return { hash: tx.hash, datanetId, accepted: accepts.length, rejected: rejects.length, slashed };
}

/** Marks an accepted contribution adversarial. */
export async function penalize(
  ctx: ProtocolContext,
  contributionId: bigint,
  reason: string,
): Promise<{ hash: string }> {
  const c = await requireContribution(ctx, contributionId);
  if (c.status !== STATUS.Accepted) {
    throw new UserError(
      `Contribution ${contributionId} is ${contributionStatusName(c.status)}; only Accepted contributions can be penalized.`,
    );
  }
  if (!(await ctx.datanetRegistry.isCurator(c.datanetId, ctx.signer.address))) {
    throw new UserError(
      `${ctx.signer.address} is not a curator of datanet ${c.datanetId}; governance can penalize through a proposal.`,
    );
  }
  const tx = await ctx.datanetRegistry.penalize(contributionId, reason);
  await tx.wait();
  return { hash: tx.hash };
}

/** One contribution as contributionsByStatus lists it. */
export interface ContributionSummary {
  id: bigint;
  contributor: string;
  bond: bigint;
  size: bigint;
  uri: string;
  contentHash: string;
}

/** Contribution ids of a datanet by current status, found from its ContributionSubmitted events. */
export async function contributionsByStatus(
  ctx: ProtocolContext,
  datanetId: bigint,
): Promise<Map<string, ContributionSummary[]>> {
  const { datanetRegistry, deployment } = ctx;
  const events = await queryInSpans(ctx.connection.ethers.provider, deployment.deployBlock, (from, to) =>
    datanetRegistry.queryFilter(datanetRegistry.filters.ContributionSubmitted(undefined, datanetId), from, to),
  );
  const byStatus = new Map<string, ContributionSummary[]>();
  for (const e of events) {
    const c = await datanetRegistry.getContribution(e.args.contributionId);
    const name = contributionStatusName(c.status);
    const list = byStatus.get(name) ?? [];
    list.push({
      id: e.args.contributionId,
      contributor: c.contributor,
      bond: c.bond,
      size: c.size,
      uri: e.args.uri,
      contentHash: c.contentHash,
    });
    byStatus.set(name, list);
  }
  return byStatus;
}

/** Publishes a version over the datanet's currently accepted contributions (penalized ones left out). */
export async function publishVersion(
  ctx: ProtocolContext,
  datanetId: bigint,
  uri: (version: bigint) => string,
): Promise<{ hash: string; version: bigint; root: string; tree: ContributionTree; count: number }> {
  await requireDatanet(ctx, datanetId);
  if (!(await ctx.datanetRegistry.isCurator(datanetId, ctx.signer.address))) {
    throw new UserError(`${ctx.signer.address} is not a curator of datanet ${datanetId}.`);
  }
  const accepted = (await contributionsByStatus(ctx, datanetId)).get("Accepted") ?? [];
  if (accepted.length === 0) throw new UserError(`Datanet ${datanetId} has no accepted contributions to publish.`);
  const tree = buildContributionTree(accepted.map((c) => c.id));
  const nextVersion = (await ctx.datanetRegistry.getDatanet(datanetId)).versionCount + 1n;
  const tx = await ctx.datanetRegistry.publishVersion(datanetId, tree.root, accepted.length, uri(nextVersion));
  const args = await eventArgs(await tx.wait(), ctx.datanetRegistry, "VersionPublished");
  return { hash: tx.hash, version: args.version as bigint, root: tree.root, tree, count: accepted.length };
}

/** Claims the signer's refunded bonds, to `recipient` (default: the signer). */
export async function claimRefund(ctx: ProtocolContext, recipient?: string): Promise<{ hash: string; amount: bigint }> {
  const amount = await ctx.datanetRegistry.refundOf(ctx.signer.address);
  if (amount === 0n) throw new UserError(`${ctx.signer.address} has no refunded bonds to claim.`);
  if (recipient !== undefined) checkRecipient(ctx, recipient);
  const tx =
    recipient === undefined || recipient === ctx.signer.address
      ? await ctx.datanetRegistry.claimRefund()
      : await ctx.datanetRegistry.claimRefundTo(recipient);
  await tx.wait();
  return { hash: tx.hash, amount };
}
