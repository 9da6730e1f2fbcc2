/**
 * The indexer against a real node: the suite deployed to a `hardhat node` child process, a long scripted sequence
 * through the SDK client (datanets, curators, versions, contributions accepted, rejected and penalized, models
 * through their lifecycle by governance votes, inferences paid, settled with a forfeit and expired, claims of
 * credits, refunds and staking rewards, stakes, delegations, unstakes and withdrawals, timelock operations executed,
 * cancelled and left queued), the indexer as a real child process (npm run indexer's launcher), and then its tables
 * compared with the chain row by row, read through the SDK and the contracts' views. Half the sequence happens
 * before the indexer starts (its backfill), half while it runs (its live sync). Then a reorg: evm_snapshot,
 * transactions the indexer sees, evm_revert, other transactions on a longer chain; the indexer must forget the
 * orphaned rows and match the new chain.
 */
import path from "node:path";

import { expect } from "chai";
import { JsonRpcProvider, ZeroAddress, ZeroHash, id, keccak256, toUtf8Bytes, type Log } from "ethers";

import { createClient, type ProtocolClient } from "../../sdk/client/index.js";
import { CONTRACT_NAMES } from "../../sdk/core/deployments.js";
import { contributionStatusName, modelStateName, proposalStateName } from "../../sdk/core/enums.js";
import { requestIdOf } from "../../sdk/core/inference.js";
import { CliNode, ROOT } from "../helpers/cli.js";
import { OPEN, OUTPUT, PAYER, clientOf, nodeWallet, setUpInferenceWorld } from "../helpers/cli-inference.js";
import { IndexerProcess } from "../helpers/indexer.js";
import { INDEXER_VARIABLE } from "../../tasks/lib/context.js";

const NETWORK = "indexer-test";

/** GraphQL's rendering of a column: bigints as decimal strings, hex lower-case, null for none. */
const n = (value: bigint | number): string => String(value);
const hex = (value: string): string => value.toLowerCase();

type Row = Record<string, unknown>;

/** Rows sorted by the given key columns, for an order-free comparison. */
function sorted<T extends Row>(rows: T[], ...keys: string[]): T[] {
  const key = (row: Row) => keys.map((k) => String(row[k]).padStart(80, "0")).join("|");
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** A provider that cannot query logs: only the indexer can list. */
class NoLogs extends JsonRpcProvider {
  override getLogs(): never {
    throw new Error("this provider serves no logs");
  }
}

describe("Indexer: tables match the chain, across a reorg", function () {
  this.timeout(240_000);
  let cli: CliNode;
  let indexer: IndexerProcess | undefined;
  let accounts: string[];
  let chain: ProtocolClient;
  const figures: string[] = [];

  /** An SDK client acting as the node's account `index`. */
  const as = (index: number) => clientOf(cli, index);

  /** Waits until the indexer has indexed the node's latest block. */
  async function caughtUp(): Promise<number> {
    const head = await cli.block();
    await indexer!.caughtUp(head);
    return head;
  }

  /** Settles `inferenceId` with `contributionIds` at `weights`, signed by two of the oracle's signers. */
  async function settle(inferenceId: bigint, contributionIds: bigint[], weights: bigint[], before?: () => unknown) {
    const oracle = cli.client(0);
    const signed = await oracle.attribution.sign(
      [
        {
          inferenceId,
          outputHash: keccak256(toUtf8Bytes(OUTPUT)),
          indexCommitment: id("the indexer test's index"),
          contributionIds,
          weights,
          deadline: (await oracle.context.now()) + 3600n,
        },
      ],
      [17, 18].map((i) => nodeWallet(i, cli.provider)),
    );
    await before?.();
    await oracle.attribution.push(signed);
  }

  before(async () => {
    cli = await CliNode.start(NETWORK);
    chain = cli.client(0);
    // The first half of the sequence, indexed by the backfill.
    accounts = await setUpInferenceWorld(cli);
    const backfilled = await cli.block();
    const started = Date.now();
    // PGlite, or PostgreSQL when INDEXER_TEST_DATABASE_URL names a database the test may reset.
    const databaseUrl = process.env.INDEXER_TEST_DATABASE_URL ?? "";
    indexer = await IndexerProcess.start(path.join(ROOT, "deployments", `${NETWORK}.json`), cli.url, {
      DATABASE_URL: databaseUrl,
    });
    if (databaseUrl !== "") figures.push("on PostgreSQL");
    await indexer.caughtUp(backfilled, 120_000);
    figures.push(`backfill of ${backfilled} blocks: ${((Date.now() - started) / 1000).toFixed(1)} s from spawn`);
  });

  after(async () => {
    const rss = await indexer?.rss().catch(() => undefined);
    if (rss !== undefined) figures.push(`Ponder RSS ${(rss / 2 ** 20).toFixed(0)} MB`);
    if (figures.length > 0) console.log(`      indexer: ${figures.join("; ")}`);
    await indexer?.stop();
    await cli?.stop();
  });

  it("follows a long sequence live", async () => {
    const owner = as(1);
    const curator = accounts[5]!;
    // Curators, openness, bonds, a contribution reviewed by a curator, a version.
    await owner.datanets.setCurator(1n, curator, true);
    await owner.datanets.setCurator(2n, curator, true);
    await owner.datanets.setCurator(2n, curator, false);
    await owner.datanets.setOpen(2n, false);
    await owner.datanets.setBond(1n, OPEN("12"));
    const text = "Precedent 5: silence is not acceptance of an offer, unless the parties agreed it would be.";
    const { contributionId } = await as(2).datanets.contribute(1n, { bytes: toUtf8Bytes(text) }, "ipfs://content/7");
    await as(5).datanets.review([contributionId], []);
    await owner.datanets.publishVersion(1n, (v) => `ipfs://legal-precedents/v${v}.json`);

    // Inferences: one settled, one settled with a forfeit, one expired.
    const payer = as(PAYER);
    const requestIds = ["a", "b", "c"].map((label) => requestIdOf(`indexer ${label}`)!);
    const paid = [];
    for (const requestId of requestIds)
      paid.push((await payer.inference.pay(1n, 2000n, 1000n, { requestId })).inferenceId);
    await settle(paid[0]!, [1n, 2n], [OPEN("0.6"), OPEN("0.4")]);
    const lastLive = await caughtUp();
    const seenAt = Date.now();
    await settle(paid[1]!, [1n, contributionId], [OPEN("0.5"), OPEN("0.5")], () =>
      as(5).datanets.penalize(contributionId, "a copy of precedent 1"),
    );
    await caughtUp();
    figures.push(
      `a live settlement indexed in ${((Date.now() - seenAt) / 1000).toFixed(1)} s (from block ${lastLive})`,
    );

    // Staker rewards, stakes and delegations, claims of credits and refunds.
    await chain.inference.releaseStakerRewards();
    await as(0).staking.stake(OPEN("15000"));
    await as(0).staking.delegate(accounts[0]!);
    await as(0).token.transfer(curator, OPEN("100"));
    await as(5).staking.stake(OPEN("100"));
    await as(5).staking.delegate(accounts[1]!);
    await as(2).rewards.claim();
    await as(3).rewards.claim(accounts[5]);
    await owner.rewards.claim();
    await as(2).datanets.claimRefund();
    await as(3).datanets.claimRefund(accounts[0]);
    await owner.staking.requestUnstake(OPEN("1000"));
    await cli.increaseTime(2 * 3600 + 1);
    await owner.staking.withdraw();
    await owner.staking.claimRewards();
    await owner.staking.requestUnstake(OPEN("500"));

    // Model 2 approved by a vote (for and abstain), queued and executed.
    const { proposalId } = await owner.governance.propose([owner.models.approvalAction(2n)], "Approve model 2");
    await cli.increaseTime(61);
    await owner.governance.castVote(proposalId, "for", "trained on our precedents");
    await as(0).governance.castVote(proposalId, "abstain");
    await cli.increaseTime(601);
    await owner.governance.queue(proposalId);
    await cli.increaseTime(121);
    await owner.governance.execute(proposalId);

    // Three proposals queued together: the first grants account 1 the timelock's canceller role, which then
    // cancels the second; the third stays queued.
    const { timelock } = chain.contracts;
    const pay = (amount: string) => owner.governance.buildAction("openToken", "transfer", [curator, OPEN(amount)]);
    const filed = [
      await owner.governance.propose(
        [owner.governance.buildAction("timelock", "grantRole", [await timelock.CANCELLER_ROLE(), accounts[1]])],
        "Let account 1 cancel timelock operations",
      ),
      await owner.governance.propose([pay("1")], "Pay the curator 1 OPEN (cancelled once queued)"),
      await owner.governance.propose([pay("2"), pay("3")], "Pay the curator 5 OPEN (left queued)"),
    ];
    await cli.increaseTime(61);
    for (const { proposalId: filedId } of filed) {
      await owner.governance.castVote(filedId, "for");
      await as(0).governance.castVote(filedId, "for");
    }
    await cli.increaseTime(601);
    const queued = [];
    for (const { proposalId: filedId } of filed) queued.push(await owner.governance.queue(filedId));
    await cli.increaseTime(121);
    await owner.governance.execute(filed[0]!.proposalId);
    const receipt = await cli.provider.getTransactionReceipt(queued[1]!.hash);
    const [doomed] = receipt!.logs.flatMap((l) => timelock.interface.parseLog(l) ?? []);
    expect(doomed?.name).to.equal("CallScheduled");
    await (await as(1).contracts.timelock.cancel(doomed!.args.id as string)).wait();

    // The third inference's window closes: anyone expires it.
    await cli.increaseTime(7 * 24 * 3600 + 1);
    await chain.inference.expire(paid[2]!);

    await caughtUp();
    await compareWithChain();
  });

  it("forgets what a reorg removed and indexes the new chain", async () => {
    const forkPoint = await cli.block();
    const snapshot = await cli.rpc<string>("evm_snapshot");
    const orphanText = "Orphan: this contribution exists only on the chain the reorg removes.";
    const orphan = await as(3).datanets.contribute(1n, { bytes: toUtf8Bytes(orphanText) }, "ipfs://content/orphan");
    await as(1).datanets.review([orphan.contributionId], []);
    const { inferenceId: orphanInference } = await as(PAYER).inference.pay(1n, 100n, 100n, {
      requestId: requestIdOf("indexer orphan")!,
    });
    const oldHead = await caughtUp();
    const seen = await indexer!.graphql<{ contribution: { uri: string } | null; inference: { id: string } | null }>(
      `query ($c: BigInt!, $i: BigInt!) { contribution(id: $c) { uri } inference(id: $i) { id } }`,
      { c: n(orphan.contributionId), i: n(orphanInference) },
    );
    expect(seen.contribution?.uri).to.equal("ipfs://content/orphan");
    expect(seen.inference?.id).to.equal(n(orphanInference));

    expect(await cli.rpc<boolean>("evm_revert", [snapshot])).to.equal(true);
    const forkText = "Precedent 6: a counter-offer rejects the original offer, which cannot then be accepted.";
    const fork = await as(2).datanets.contribute(1n, { bytes: toUtf8Bytes(forkText) }, "ipfs://content/fork");
    expect(fork.contributionId).to.equal(orphan.contributionId);
    await as(1).datanets.review([], [fork.contributionId]);
    // A longer chain than the one it replaces, one block at a time (hardhat_mine stalls Ponder's live sync).
    while ((await cli.block()) <= oldHead + 2) await cli.rpc("evm_mine");
    const revertedAt = Date.now();
    await caughtUp();
    figures.push(
      `a reorg ${oldHead - forkPoint} blocks deep settled in ${((Date.now() - revertedAt) / 1000).toFixed(1)} s`,
    );

    const after = await indexer!.graphql<{
      contribution: { uri: string; contributor: string; status: string } | null;
      inference: { id: string } | null;
    }>(
      `query ($c: BigInt!, $i: BigInt!) { contribution(id: $c) { uri contributor status } inference(id: $i) { id } }`,
      {
        c: n(fork.contributionId),
        i: n(orphanInference),
      },
    );
    expect(after.inference).to.equal(null);
    expect(after.contribution).to.deep.equal({
      uri: "ipfs://content/fork",
      contributor: hex(accounts[2]!),
      status: contributionStatusName(3n),
    });
    await compareWithChain();
  });

  it("serves the SDK's and the CLI's lists, which read the chain without it", async () => {
    await caughtUp();
    const noLogs = new NoLogs(cli.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    const indexed = createClient({ deployment: cli.deployment, provider: noLogs, indexer: indexer!.url });
    const unreachable = createClient({
      deployment: cli.deployment,
      provider: cli.provider,
      indexer: "http://127.0.0.1:1",
    });
    try {
      for (const reader of [indexed, unreachable]) {
        for (const datanetId of [1n, 2n]) {
          expect(await reader.datanets.contributions(datanetId)).to.deep.equal(
            await chain.datanets.contributions(datanetId),
          );
          expect(await reader.datanets.datanet(datanetId)).to.deep.equal(await chain.datanets.datanet(datanetId));
        }
        expect(await reader.governance.proposals()).to.deep.equal(await chain.governance.proposals());
        expect(await reader.status()).to.deep.equal(await chain.status());
      }
      // Behind the chain, the indexer is not asked: the chain's logs are.
      await cli.rpc("evm_mine");
      const failure = await indexed.governance.proposals().then(
        () => "listed",
        (error: unknown) => String(error),
      );
      expect(failure).to.contain("this provider serves no logs");
    } finally {
      noLogs.destroy();
    }

    await caughtUp();
    const views: [string | string[], Record<string, unknown>][] = [
      [["gov", "list"], {}],
      [["datanet", "show"], { datanet: 1n }],
      ["status", {}],
    ];
    for (const [task, args] of views) {
      const fromChain = await cli.run(task, args);
      process.env[INDEXER_VARIABLE] = indexer!.url;
      try {
        const fromIndexer = await cli.run(task, args);
        expect(fromIndexer).to.deep.equal(fromChain);
        expect(fromChain.ok, fromChain.output).to.equal(true);
        process.env[INDEXER_VARIABLE] = "localhost:42069";
        const refused = await cli.run(task, args);
        expect(refused.ok).to.equal(false);
        expect(refused.errors).to.equal(
          `Error: ${INDEXER_VARIABLE} must be the indexer's http(s) URL, not "localhost:42069".`,
        );
      } finally {
        delete process.env[INDEXER_VARIABLE];
      }
    }
  });

  it("lists datanets, models, timelock operations, earnings and payments through the SDK as the chain does", async () => {
    await caughtUp();
    const noLogs = new NoLogs(cli.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
    const fallbacks: string[] = [];
    const indexed = createClient({
      deployment: cli.deployment,
      provider: noLogs,
      indexer: { url: indexer!.url, onFallback: (reason) => fallbacks.push(reason) },
    });
    const missed: string[] = [];
    const unreachable = createClient({
      deployment: cli.deployment,
      provider: cli.provider,
      indexer: { url: "http://127.0.0.1:1", onFallback: (reason) => missed.push(reason) },
    });
    const c = chain.contracts;
    const { deployBlock } = cli.deployment;
    try {
      const datanets = await chain.datanets.list();
      expect(datanets.map((d) => d.datanetId)).to.deep.equal([1n, 2n]);
      for (const d of datanets) expect(d).to.deep.equal(await chain.datanets.datanet(d.datanetId));
      const models = await chain.models.list();
      expect(models.map((m) => m.modelId)).to.deep.equal(
        Array.from({ length: Number(await c.modelRegistry.modelCount()) }, (_, i) => BigInt(i + 1)),
      );
      for (const m of models) expect(m).to.deep.equal(await chain.models.model(m.modelId));

      // Earnings: every account's, summing to what it was credited (what it can claim plus what it claimed).
      const claimed = await c.inferenceRouter.queryFilter(c.inferenceRouter.filters.Claimed(), deployBlock);
      const earnings = new Map<string, Awaited<ReturnType<ProtocolClient["rewards"]["earnings"]>>>();
      for (const account of accounts) {
        const rows = await chain.rewards.earnings(account);
        earnings.set(account, rows);
        const claims = claimed.filter((e) => e.args.account === account).reduce((sum, e) => sum + e.args.amount, 0n);
        expect(
          rows.reduce((sum, r) => sum + r.amount, 0n),
          account,
        ).to.equal((await c.inferenceRouter.creditOf(account)) + claims);
        expect(rows.every((r) => r.amount > 0n)).to.equal(true);
      }
      const all = [...earnings.values()].flat();
      expect(
        all.some((r) => r.contributionId === undefined),
        "a creator's share",
      ).to.equal(true);
      expect(
        all.some((r) => r.contributionId !== undefined),
        "a contribution's credit",
      ).to.equal(true);

      // Payments: the payer's, in payment order, with their status now.
      const paid = await c.inferenceRouter.queryFilter(c.inferenceRouter.filters.InferencePaid(), deployBlock);
      const payments = await chain.ledger.payments(accounts[PAYER]!);
      expect(payments.map((p) => p.inferenceId)).to.deep.equal(
        paid.filter((e) => e.args.payer === accounts[PAYER]).map((e) => e.args.inferenceId),
      );
      expect(payments.map((p) => p.status)).to.include.members(["Settled", "Expired"]);
      expect(await chain.ledger.payments(accounts[1]!)).to.deep.equal([]);

      for (const reader of [indexed, unreachable]) {
        expect(await reader.datanets.list()).to.deep.equal(datanets);
        expect(await reader.models.list()).to.deep.equal(models);
        expect(await reader.governance.operations()).to.deep.equal(await chain.governance.operations());
        for (const account of accounts) {
          expect(await reader.rewards.earnings(account), account).to.deep.equal(earnings.get(account));
          expect(await reader.ledger.payments(account), account).to.deep.equal(await chain.ledger.payments(account));
        }
      }
      expect(fallbacks, "lists the indexer did not answer").to.deep.equal([]);
      expect(missed).to.have.length(3 + 2 * accounts.length);
      expect(missed[0]).to.match(
        /^Read the datanets from the chain instead of the indexer at http:\/\/127\.0\.0\.1:1: it did not answer \(.+\)\.$/,
      );

      // Behind the chain by a block, a client that may wait for the indexer lists from it once it catches up.
      await cli.rpc("evm_mine");
      const patient = createClient({
        deployment: cli.deployment,
        provider: noLogs,
        indexer: { url: indexer!.url, catchUpMs: 30_000, onFallback: (reason) => fallbacks.push(reason) },
      });
      expect(await patient.rewards.earnings(accounts[2]!)).to.deep.equal(earnings.get(accounts[2]!));
      expect(fallbacks).to.deep.equal([]);
    } finally {
      noLogs.destroy();
    }
  });

  /** Every table of the indexer against the chain, row by row. */
  async function compareWithChain(): Promise<void> {
    const c = chain.contracts;
    const ix = indexer!;
    const { deployBlock, addresses } = cli.deployment;
    const head = await cli.block();

    // event_log: exactly the logs of the suite's contracts, named as their ABI names them.
    const logs: Log[] = await cli.provider.getLogs({
      address: CONTRACT_NAMES.map((name) => addresses[name]),
      fromBlock: deployBlock,
      toBlock: head,
    });
    const byAddress = new Map(CONTRACT_NAMES.map((name) => [hex(addresses[name]), name] as const));
    const expectedLog = logs.map((log) => {
      const contract = byAddress.get(hex(log.address))!;
      return {
        contract,
        name: c[contract].interface.parseLog(log)?.name ?? "?",
        blockNumber: n(log.blockNumber),
        logIndex: log.index,
        transactionHash: hex(log.transactionHash),
      };
    });
    const indexedLog = await ix.all<Row>("eventLogs", "contract name blockNumber logIndex transactionHash");
    expect(sorted(indexedLog, "blockNumber", "logIndex")).to.deep.equal(sorted(expectedLog, "blockNumber", "logIndex"));

    // Datanets, their curators and versions.
    const datanetCount = await c.datanetRegistry.datanetCount();
    const expectedDatanets: Row[] = [];
    const expectedVersions: Row[] = [];
    for (let datanetId = 1n; datanetId <= datanetCount; datanetId++) {
      const d = await c.datanetRegistry.getDatanet(datanetId);
      expectedDatanets.push({
        id: n(datanetId),
        owner: hex(d.owner),
        metadataURI: d.metadataURI,
        contributionBond: n(d.contributionBond),
        open: d.open,
        createdAt: n(d.createdAt),
        contributionCount: n(d.contributionCount),
        acceptedCount: n(d.acceptedCount),
        versionCount: n(d.versionCount),
      });
      for (let version = 1n; version <= d.versionCount; version++) {
        const v = await c.datanetRegistry.getVersion(datanetId, version);
        expectedVersions.push({
          datanetId: n(datanetId),
          version: n(version),
          merkleRoot: hex(v.merkleRoot),
          count: n(v.count),
          uri: v.uri,
          publishedAt: n(v.publishedAt),
        });
      }
    }
    const datanets = await ix.all<Row>(
      "datanets",
      "id owner metadataURI contributionBond open createdAt contributionCount acceptedCount versionCount",
    );
    expect(sorted(datanets, "id")).to.deep.equal(expectedDatanets);
    expect(expectedVersions).to.have.length.greaterThan(0);
    expect(
      sorted(
        await ix.all<Row>("datanetVersions", "datanetId version merkleRoot count uri publishedAt"),
        "datanetId",
        "version",
      ),
    ).to.deep.equal(expectedVersions);
    const curators = await ix.all<{ datanetId: string; account: string; isCurator: boolean }>(
      "curators",
      "datanetId account isCurator",
    );
    expect(curators.filter((r) => r.isCurator)).to.have.length(3);
    for (const row of curators) {
      expect(await c.datanetRegistry.isCurator(row.datanetId, row.account), JSON.stringify(row)).to.equal(
        row.isCurator,
      );
    }

    // Contributions, over SQL over HTTP (the URI is only in the events: checked against the chain's logs).
    const contributionCount = await c.datanetRegistry.contributionCount();
    const submitted = await c.datanetRegistry.queryFilter(
      c.datanetRegistry.filters.ContributionSubmitted(),
      deployBlock,
    );
    const uris = new Map(submitted.map((e) => [e.args.contributionId, e.args.uri]));
    const expectedContributions: Row[] = [];
    for (let cid = 1n; cid <= contributionCount; cid++) {
      const x = await c.datanetRegistry.getContribution(cid);
      expectedContributions.push({
        id: n(cid),
        datanet_id: n(x.datanetId),
        contributor: hex(x.contributor),
        content_hash: hex(x.contentHash),
        uri: uris.get(cid),
        size: n(x.size),
        bond: n(x.bond),
        status: contributionStatusName(x.status),
        submitted_at: n(x.submittedAt),
      });
    }
    const { rows } = (await ix.sql(
      "select id, datanet_id, contributor, content_hash, uri, size, bond, status, submitted_at from contribution order by id",
    )) as { rows: Row[] };
    expect(rows).to.deep.equal(expectedContributions);

    // Models and their state history.
    const modelCount = await c.modelRegistry.modelCount();
    const expectedModels: Row[] = [];
    for (let modelId = 1n; modelId <= modelCount; modelId++) {
      const m = await c.modelRegistry.getModel(modelId);
      expectedModels.push({
        id: n(modelId),
        creator: hex(m.creator),
        state: modelStateName(m.state),
        proposedAt: n(m.proposedAt),
        bond: n(m.bond),
        datanetIds: m.datanetIds.map(n),
        inputRate: n(m.rates.inputRate),
        outputRate: n(m.rates.outputRate),
        metadataURI: m.metadataURI,
        artifactHash: m.artifactHash === ZeroHash ? null : hex(m.artifactHash),
        artifactURI: m.artifactHash === ZeroHash ? null : m.artifactURI,
        baseModelId: m.artifactHash === ZeroHash ? null : n(m.baseModelId),
      });
    }
    const models = await ix.all<Row>(
      "models",
      "id creator state proposedAt bond datanetIds inputRate outputRate metadataURI artifactHash artifactURI baseModelId",
    );
    expect(sorted(models, "id")).to.deep.equal(expectedModels);
    const changes = await c.modelRegistry.queryFilter(c.modelRegistry.filters.ModelStateChanged(), deployBlock);
    expect(
      sorted(
        await ix.all<Row>("modelStateChanges", "modelId from to blockNumber transactionHash"),
        "blockNumber",
        "modelId",
      ),
    ).to.deep.equal(
      sorted(
        changes.map((e) => ({
          modelId: n(e.args.modelId),
          from: modelStateName(e.args.from),
          to: modelStateName(e.args.to),
          blockNumber: n(e.blockNumber),
          transactionHash: hex(e.transactionHash),
        })),
        "blockNumber",
        "modelId",
      ),
    );

    // Inferences with their split and settlement, and what each contribution was credited.
    const expectedInferences: Row[] = [];
    const expectedCredits: Row[] = [];
    for (const inferenceId of await chain.inference.paidIds()) {
      const x = await chain.inference.inference(inferenceId);
      const s = x.settlement;
      expectedInferences.push({
        id: n(inferenceId),
        modelId: n(x.modelId),
        payer: hex(x.payer),
        requestId: hex(x.requestId),
        fee: n(x.fee),
        creatorShare: n(x.creatorShare),
        stakersShare: n(x.stakersShare),
        pool: n(x.pool),
        platformFee: n(x.platformFee),
        status: x.status,
        paidAt: n(x.paidAt),
        outputHash: s === undefined ? null : hex(s.outputHash),
        indexCommitment: s === undefined ? null : hex(s.indexCommitment),
        toTreasury: s !== undefined ? n(s.toTreasury) : x.expiredPool !== undefined ? n(x.expiredPool) : null,
      });
      for (const [i, contributionId] of (s?.contributionIds ?? []).entries()) {
        const forfeit = s?.forfeited.find((f) => f.contributionId === contributionId);
        expectedCredits.push({
          inferenceId: n(inferenceId),
          contributionId: n(contributionId),
          contributor: hex((await c.datanetRegistry.getContribution(contributionId)).contributor),
          amount: n(s?.amounts[i] ?? 0n),
          forfeited: n(forfeit?.amount ?? 0n),
        });
      }
    }
    expect(expectedInferences.map((r) => r.status)).to.include.members(["Settled", "Expired"]);
    expect(expectedCredits.filter((r) => r.forfeited !== "0")).to.have.length(1);
    const inferences = await ix.all<Row>(
      "inferences",
      "id modelId payer requestId fee creatorShare stakersShare pool platformFee status paidAt outputHash indexCommitment toTreasury",
    );
    expect(sorted(inferences, "id")).to.deep.equal(sorted(expectedInferences, "id"));
    expect(
      sorted(
        await ix.all<Row>("inferenceCredits", "inferenceId contributionId contributor amount forfeited"),
        "inferenceId",
        "contributionId",
      ),
    ).to.deep.equal(sorted(expectedCredits, "inferenceId", "contributionId"));

    // Accounts: OPEN balance, credits and refunds owed; stakes, votes, delegates and queued withdrawals.
    const indexedAccounts = await ix.all<Row & { address: string }>("accounts", "address balance credit refund");
    expect(indexedAccounts.length).to.be.greaterThan(8);
    for (const row of indexedAccounts) {
      expect(row, row.address).to.deep.equal({
        address: row.address,
        balance: n(await c.openToken.balanceOf(row.address)),
        credit: n(await c.inferenceRouter.creditOf(row.address)),
        refund: n(await c.datanetRegistry.refundOf(row.address)),
      });
    }
    for (const address of accounts) expect(indexedAccounts.map((r) => r.address)).to.include(hex(address));
    const stakes = await ix.all<Row & { account: string }>("stakes", "account staked votes delegate");
    expect(stakes.length).to.be.greaterThanOrEqual(3);
    for (const row of stakes) {
      const delegate = await c.stakedOpen.delegates(row.account);
      expect(row, row.account).to.deep.equal({
        account: row.account,
        staked: n(await c.stakedOpen.balanceOf(row.account)),
        votes: n(await c.stakedOpen.getVotes(row.account)),
        delegate: delegate === ZeroAddress ? null : hex(delegate),
      });
    }
    const queues = await ix.all<Row & { account: string }>(
      "queuedWithdrawals",
      "account amount releaseTime frozenUntil",
    );
    expect(queues.some((q) => q.amount !== "0")).to.equal(true);
    for (const row of queues) {
      const p = await c.stakedOpen.pendingWithdrawal(row.account);
      expect(row, row.account).to.deep.equal({
        account: row.account,
        amount: n(p.amount),
        releaseTime: n(p.releaseTime),
        frozenUntil: n(p.frozenUntil),
      });
    }

    // Claims and rewards, against the chain's events.
    const claimed = [
      ...(await c.inferenceRouter.queryFilter(c.inferenceRouter.filters.Claimed(), deployBlock)).map((e) => ({
        kind: "credit",
        e,
      })),
      ...(await c.datanetRegistry.queryFilter(c.datanetRegistry.filters.RefundClaimed(), deployBlock)).map((e) => ({
        kind: "refund",
        e,
      })),
      ...(await c.stakedOpen.queryFilter(c.stakedOpen.filters.RewardClaimed(), deployBlock)).map((e) => ({
        kind: "reward",
        e,
      })),
    ];
    expect(new Set(claimed.map((x) => x.kind)).size).to.equal(3);
    expect(
      sorted(await ix.all<Row>("claims", "kind account recipient amount transactionHash"), "transactionHash", "kind"),
    ).to.deep.equal(
      sorted(
        claimed.map(({ kind, e }) => ({
          kind,
          account: hex(e.args.account),
          recipient: hex(e.args.recipient),
          amount: n(e.args.amount),
          transactionHash: hex(e.transactionHash),
        })),
        "transactionHash",
        "kind",
      ),
    );
    const notified = await c.stakedOpen.queryFilter(c.stakedOpen.filters.RewardNotified(), deployBlock);
    expect(notified).to.have.length.greaterThan(0);
    expect(
      sorted(await ix.all<Row>("rewards", "notifier amount streamStart streamEnd blockNumber"), "blockNumber"),
    ).to.deep.equal(
      notified.map((e) => ({
        notifier: hex(e.args.notifier),
        amount: n(e.args.amount),
        streamStart: n(e.args.streamStart),
        streamEnd: n(e.args.streamEnd),
        blockNumber: n(e.blockNumber),
      })),
    );

    // Proposals (the SDK's list, from the chain) with their tallies and votes.
    const filed = await chain.governance.proposals();
    expect(filed).to.have.length(5);
    const proposals = await ix.all<Row & { id: string; status: string }>(
      "proposals",
      "id proposer targets values calldatas description voteStart voteEnd status eta forVotes againstVotes abstainVotes",
    );
    const expectedProposals: Row[] = [];
    for (const p of filed) {
      const [against, forVotes, abstain] = await c.governor.proposalVotes(p.proposalId);
      const eta = await c.governor.proposalEta(p.proposalId);
      const lastEventState = ["Queued", "Executed", "Canceled"].includes(p.state) ? p.state : proposalStateName(0n);
      expectedProposals.push({
        id: n(p.proposalId),
        proposer: hex(p.proposer),
        targets: p.actions.map((x) => hex(x.target)),
        values: p.actions.map((x) => n(x.value)),
        calldatas: p.actions.map((x) => hex(x.calldata)),
        description: p.description,
        voteStart: n(p.voteStart),
        voteEnd: n(p.voteEnd),
        status: lastEventState,
        eta: eta === 0n ? null : n(eta),
        forVotes: n(forVotes),
        againstVotes: n(against),
        abstainVotes: n(abstain),
      });
    }
    expect(sorted(proposals, "id")).to.deep.equal(sorted(expectedProposals, "id"));
    const votes = await ix.all<{ proposalId: string; voter: string; support: string }>(
      "votes",
      "proposalId voter support",
    );
    expect(votes).to.have.length(9);
    for (const v of votes) expect(await c.governor.hasVoted(v.proposalId, v.voter)).to.equal(true);

    // Timelock operations (the SDK's list, from the chain), checked against the timelock's views: the id hashes
    // the calls, predecessor and salt; the timestamp is the ready time while pending, 1 once done, 0 if cancelled.
    const operations = await chain.governance.operations();
    // Model 1's and model 2's approvals, the grant, the cancelled payment, the queued one.
    expect(operations.map((o) => o.state)).to.deep.equal(["Done", "Done", "Done", "Cancelled", "Ready"]);
    const status = { Done: "Executed", Cancelled: "Cancelled", Ready: "Scheduled", Waiting: "Scheduled" } as const;
    const expectedOperations: Row[] = [];
    for (const o of operations) {
      const targets = o.calls.map((x) => x.target);
      const values = o.calls.map((x) => x.value);
      const calldatas = o.calls.map((x) => x.calldata);
      expect(await c.timelock.hashOperationBatch(targets, values, calldatas, o.predecessor, o.salt)).to.equal(
        o.operationId,
      );
      expect(await c.timelock.getTimestamp(o.operationId)).to.equal(
        o.state === "Done" ? 1n : o.state === "Cancelled" ? 0n : o.readyAt,
      );
      expectedOperations.push({
        id: hex(o.operationId),
        targets: targets.map(hex),
        values: values.map(n),
        calldatas: calldatas.map(hex),
        predecessor: hex(o.predecessor),
        salt: hex(o.salt),
        delay: n(o.delay),
        scheduledAt: n(o.scheduledAt),
        readyAt: n(o.readyAt),
        proposalId: o.proposalId === undefined ? null : n(o.proposalId),
        status: o.state.startsWith("unknown") ? o.state : status[o.state as keyof typeof status],
      });
    }
    // Each queued proposal scheduled its actions, once (the cancelled one's included: the governor says Canceled).
    const queuedOnce = filed.filter((x) => ["Queued", "Executed", "Canceled"].includes(x.state));
    expect(queuedOnce).to.have.length(5);
    for (const p of queuedOnce) {
      const scheduled = operations.filter((o) => o.proposalId === p.proposalId);
      expect(scheduled.map((o) => o.calls)).to.deep.equal([p.actions]);
    }
    expect(
      sorted(
        await ix.all<Row>(
          "timelockOperations",
          "id targets values calldatas predecessor salt delay scheduledAt readyAt proposalId status",
        ),
        "id",
      ),
    ).to.deep.equal(sorted(expectedOperations, "id"));
  }
});
