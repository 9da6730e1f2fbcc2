/**
 * `npm run gas`: gas used by every user-facing entry point, measured from transaction receipts on the in-process
 * network (deterministic: the same code gives the same numbers), once on an L1 chain and once on a simulated OP
 * Stack chain (`chainType: "op"`), where each receipt also carries the L1 data fee the rollup charges.
 *
 * Every staking step is measured twice under identical conditions: on StakedOpen and on ReferenceGOpen
 * (contracts/mocks), a plain 1:1 ERC20Wrapper + ERC20Votes + permit with a timestamp clock, the shape of OpenLedger's
 * public GOPEN. Each figure is the mean over several fresh accounts doing the same step in the same situation.
 *
 * Modes (GAS_MODE):
 *   print     (default) the tables, with each target and whether it is met;
 *   snapshot  also writes gas-snapshot.json (every row) and the README tables between the gas markers;
 *   check     compares every row with the committed gas-snapshot.json and fails when one grew by more than 1% or the
 *             rows differ: a change that costs gas must update the snapshot in the same commit (CI runs it); it also
 *             fails when a row whose target is a hard limit (the largest accepted batches) is over it, since the tests
 *             that assert those bounds skip under coverage.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { Wallet, id, toBeHex, zeroPadValue, type ContractTransactionResponse, type Signer } from "ethers";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

import { connectProtocol } from "../sdk/core/contracts.js";
import { attributionDomain, signBatch, signReport, type AttributionReport } from "../sdk/core/eip712.js";
import { deploySuite, readParameters } from "../tasks/lib/deploy.js";
import { table } from "../tasks/lib/table.js";
import { writeReadmeBlocks } from "./lib/readme.js";

/** Both chains are driven only through the chain-agnostic API (ethers, network helpers, Ignition). */
type Connection = NetworkConnection;

const OPEN = 10n ** 18n;
const ACCOUNTS = 5;
const root = path.resolve(import.meta.dirname, "..");
const SNAPSHOT_FILE = path.join(root, "gas-snapshot.json");
/** A row may grow by this fraction before `gas:check` fails. */
const TOLERANCE = 0.01;
/** EIP-7825's per-transaction gas cap, which Hardhat 3 enforces. */
const TX_GAS_CAP = 16_777_216n;

/** One measured step: gas used, and on the OP Stack chain the L1 gas and fee its calldata costs. */
interface Sample {
  gas: bigint;
  l1GasUsed: bigint;
  l1Fee: bigint;
}

/** What the issue asks of a row (gas on the L1 chain, mean of the samples). */
interface Target {
  max: bigint | "reference";
  /** For "reference": the reference row whose figure is the limit. */
  reference?: string;
  /**
   * A limit the code must stay under, not a goal: the largest batch a contract accepts must fit under the transaction
   * gas cap with a margin, or that batch can never be sent. `gas:check` fails when such a row is over it.
   */
  hard?: true;
}

const TARGETS: Record<string, Target> = {
  "stake: top-up, delegated, steady state": { max: "reference" },
  "unstake: requestUnstake (delegated)": { max: "reference", reference: "unstake: withdrawTo (reference)" },
  payInference: { max: 95_000n },
  "settle: 5 contributions, k = 3, credit slots exist": { max: 120_000n },
  "settleBatch: 100 × 5 contributions, k = 3, per inference": { max: 25_000n },
  "settleBatch: largest accepted, all cold, all new credit slots": { max: (TX_GAS_CAP * 9n) / 10n, hard: true },
  "reviewBatch: largest accepted, worst case": { max: (TX_GAS_CAP * 9n) / 10n, hard: true },
  "claim (contributor)": { max: 40_000n },
};

// ------------------------------------------------------------------------------------------------
// Measuring
// ------------------------------------------------------------------------------------------------

type Row = { section: string; label: string; ours?: Sample[]; reference?: Sample[]; note: string; divisor: bigint };

class Recorder {
  readonly rows = new Map<string, Row>();

  constructor(private readonly connection: Connection) {}

  /** Sends `tx`, records its receipt under `label` (as ours or the reference) and returns it. */
  async record(
    section: string,
    label: string,
    tx: Promise<ContractTransactionResponse>,
    options: { reference?: boolean; note?: string; divisor?: bigint } = {},
  ): Promise<Sample> {
    const sent = await tx;
    await sent.wait();
    // The raw receipt: ethers drops the OP Stack fields.
    const receipt = (await this.connection.ethers.provider.send("eth_getTransactionReceipt", [sent.hash])) as Record<
      string,
      string | undefined
    >;
    const sample: Sample = {
      gas: BigInt(receipt["gasUsed"] ?? 0),
      l1GasUsed: BigInt(receipt["l1GasUsed"] ?? 0),
      l1Fee: BigInt(receipt["l1Fee"] ?? 0),
    };
    const row = this.rows.get(label) ?? { section, label, note: options.note ?? "", divisor: options.divisor ?? 1n };
    const key = options.reference === true ? "reference" : "ours";
    (row[key] ??= []).push(sample);
    if (options.note !== undefined) row.note = options.note;
    this.rows.set(label, row);
    return sample;
  }
}

const mean = (samples: Sample[] | undefined, pick: (s: Sample) => bigint, divisor = 1n) =>
  samples === undefined || samples.length === 0
    ? undefined
    : samples.reduce((a, s) => a + pick(s), 0n) / BigInt(samples.length) / divisor;

/** The whole measured sequence, on one chain. */
async function measure(connection: Connection): Promise<Recorder> {
  const { ethers, networkHelpers } = connection;
  const rec = new Recorder(connection);
  const [deployer] = await ethers.getSigners();
  if (deployer === undefined) throw new Error("No accounts.");

  const parameters = await readParameters(path.join(root, "ignition", "parameters", "localhost.json"));
  const deployment = await deploySuite(connection, parameters, { root });
  const {
    openToken,
    stakedOpen,
    governor,
    timelock,
    datanetRegistry,
    modelRegistry,
    attributionOracle,
    inferenceRouter,
  } = connectProtocol(deployment, deployer);
  const reference = await ethers.deployContract("ReferenceGOpen", [deployment.addresses.openToken]);

  await networkHelpers.impersonateAccount(deployment.addresses.timelock);
  await networkHelpers.setBalance(deployment.addresses.timelock, 10n ** 18n);
  const governance = await ethers.getSigner(deployment.addresses.timelock);

  const spenders = [stakedOpen, reference, datanetRegistry, modelRegistry, inferenceRouter];
  let made = 0;
  /** Fresh funded accounts with 100,000 OPEN and an allowance of 2^255 for every contract that pulls OPEN. */
  async function freshAccounts(n = ACCOUNTS): Promise<Signer[]> {
    const accounts: Signer[] = [];
    for (let i = 0; i < n; i++) {
      // Deterministic keys: the same addresses (so the same calldata costs) on every run.
      const wallet = new Wallet(id(`gas benchmark account ${made++}`), ethers.provider);
      await networkHelpers.setBalance(wallet.address, 10n ** 20n);
      await (await openToken.transfer(wallet.address, 100_000n * OPEN)).wait();
      for (const c of spenders)
        await (await openToken.connect(wallet).approve(await c.getAddress(), 2n ** 255n)).wait();
      accounts.push(wallet);
    }
    return accounts;
  }

  /** A new account holding exactly `amount` OPEN, approved for `spender`: for worst cases that need many. */
  async function oneShotContributor(label: string, spender: string, amount: bigint): Promise<Signer> {
    const wallet = new Wallet(id(`gas one-shot ${label}`), ethers.provider);
    await networkHelpers.setBalance(wallet.address, 10n ** 18n);
    await (await openToken.transfer(wallet.address, amount)).wait();
    await (await openToken.connect(wallet).approve(spender, amount)).wait();
    return wallet;
  }

  // ----------------------------------------------------------------------------------------------
  // Staking and governance
  // ----------------------------------------------------------------------------------------------
  const S = "staking";
  const STAKE = 20_000n * OPEN;
  const both = { ours: stakedOpen, ref: reference } as const;
  const deposit = (which: keyof typeof both, s: Signer) =>
    which === "ours" ? stakedOpen.connect(s).stake(STAKE) : reference.connect(s).depositFor(s, STAKE);
  const groups = {
    ours: { a: await freshAccounts(), b: await freshAccounts() },
    ref: { a: await freshAccounts(), b: await freshAccounts() },
  };
  // Rewards are flowing before these stakers arrive, as they will be on a live network.
  await (await openToken.approve(await stakedOpen.getAddress(), 2n ** 255n)).wait();
  await (await stakedOpen.notifyReward(1_000n * OPEN)).wait();
  const period = Number(await stakedOpen.rewardPeriod());

  for (const which of ["ours", "ref"] as const) {
    const c = both[which];
    const reference_ = which === "ref";
    const { a, b } = groups[which];
    // Group a: delegate to self first, then stake, so the stake moves votes (GOPEN's "deposit").
    for (const s of a) {
      await rec.record(S, "delegate to self (before staking)", c.connect(s).delegate(await s.getAddress()), {
        reference: reference_,
      });
    }
    for (const s of a)
      await rec.record(S, "stake: first, already delegated", deposit(which, s), { reference: reference_ });
    // Group b: stake first, then delegate, so the delegation moves the balance's votes.
    for (const s of b) await rec.record(S, "stake: first, not delegated", deposit(which, s), { reference: reference_ });
    for (const s of b) {
      await rec.record(S, "delegate to self (with stake)", c.connect(s).delegate(await s.getAddress()), {
        reference: reference_,
      });
    }
  }
  // The first reward period ends: its notification streams over the next one, and stakers accrue.
  await networkHelpers.time.increase(period);
  await rec.record(S, "notifyReward", stakedOpen.notifyReward(1_000n * OPEN), {
    note: "queued for the next reward period",
  });
  for (const which of ["ours", "ref"] as const) {
    for (const s of groups[which].a) {
      // The first settlement of an account with rewards writes its reward slot for the first time.
      await rec.record(S, "stake: top-up, delegated, first rewards", deposit(which, s), { reference: which === "ref" });
    }
  }
  await networkHelpers.time.increase(60);
  for (const which of ["ours", "ref"] as const) {
    for (const s of groups[which].a) {
      // Steady state: the reward slot already exists and is updated.
      await rec.record(S, "stake: top-up, delegated, steady state", deposit(which, s), { reference: which === "ref" });
    }
  }
  await networkHelpers.time.increase(60);
  for (const s of groups.ours.b) await rec.record(S, "claimRewards", stakedOpen.connect(s).claimRewards());

  // Unstaking: StakedOpen burns now and releases after the cooldown (two transactions); the reference unwraps at
  // once (one transaction).
  for (const s of groups.ours.a) {
    await rec.record(S, "unstake: requestUnstake (delegated)", stakedOpen.connect(s).requestUnstake(STAKE));
  }
  for (const s of groups.ref.a) {
    await rec.record(S, "unstake: withdrawTo (reference)", reference.connect(s).withdrawTo(s, STAKE), {
      reference: true,
    });
  }
  await networkHelpers.time.increase(Number(await stakedOpen.cooldown()));
  for (const s of groups.ours.a)
    await rec.record(S, "unstake: withdraw after cooldown", stakedOpen.connect(s).withdraw());

  // Governance: a one-call proposal, then votes; a slash proposal also freezes the staker's withdrawals.
  const proposers = groups.ours.b.slice(0, 3);
  let firstProposal: bigint | undefined;
  let n = 0;
  for (const s of proposers) {
    const calldata = stakedOpen.interface.encodeFunctionData("setCooldown", [8 * 86_400 + n]);
    const description = `Gas benchmark proposal ${n++}`;
    const target = await stakedOpen.getAddress();
    firstProposal ??= await governor.hashProposal([target], [0n], [calldata], id(description));
    await rec.record(
      S,
      "governor: propose (one call)",
      governor.connect(s).propose([target], [0n], [calldata], description),
    );
  }
  const slashed = await groups.ours.b[4]!.getAddress();
  const slashCall = stakedOpen.interface.encodeFunctionData("slash", [slashed, OPEN, "gas benchmark"]);
  await rec.record(
    S,
    "governor: propose a slash (freezes the staker)",
    governor.connect(proposers[0]!).propose([await stakedOpen.getAddress()], [0n], [slashCall], "Gas benchmark slash"),
  );
  await networkHelpers.time.increase(Number(await governor.votingDelay()) + 1);
  if (firstProposal === undefined) throw new Error("No proposal.");
  for (const s of groups.ours.b)
    await rec.record(S, "governor: castVote", governor.connect(s).castVote(firstProposal, 1));
  void timelock;

  // ----------------------------------------------------------------------------------------------
  // Datanets and models
  // ----------------------------------------------------------------------------------------------
  const R = "registries";
  const BOND = 10n * OPEN;
  await (await openToken.approve(await datanetRegistry.getAddress(), 2n ** 255n)).wait();
  await rec.record(R, "createDatanet", datanetRegistry.createDatanet("ipfs://gas/datanet.json", BOND));
  const datanetId = await datanetRegistry.datanetCount();

  // 10 contributors with 11 contributions each, as contributors recur in a real datanet.
  const contributors = await freshAccounts(10);
  let doc = 0;
  for (let round = 0; round < 11; round++) {
    for (const c of contributors) {
      await rec.record(
        R,
        round === 0 ? "contribute: first by the contributor" : "contribute: returning contributor",
        datanetRegistry
          .connect(c)
          .contribute(datanetId, id(`gas benchmark document ${doc++}`), "ipfs://gas/doc", 4_096n, BOND),
        { note: round === 0 ? "bond pulled by transferFrom" : "mean of 100" },
      );
    }
  }
  await rec.record(R, "review: single, accept", datanetRegistry.review(1n, true));
  await rec.record(R, "review: single, reject", datanetRegistry.review(2n, false), {
    note: "bond sent to the treasury",
  });
  const batchIds = Array.from({ length: 100 }, (_, i) => BigInt(i + 11));
  const batchAccepts = batchIds.map((_, i) => i % 10 !== 0);
  await rec.record(R, "reviewBatch of 100, per contribution", datanetRegistry.reviewBatch(batchIds, batchAccepts), {
    note: "10 rejected",
    divisor: 100n,
  });
  await rec.record(R, "claimRefund", datanetRegistry.connect(contributors[0]!).claimRefund(), {
    note: "all of one contributor's refunds at once",
  });
  await rec.record(
    R,
    "publishVersion",
    datanetRegistry.publishVersion(datanetId, id("gas root"), 91n, "ipfs://gas/v1.json"),
  );

  // The largest review batch the registry accepts, each contribution by a new contributor (cold slots), mixed.
  const maxReview = await datanetRegistry.MAX_REVIEW_BATCH();
  const worstDatanet = (await datanetRegistry.datanetCount()) + 1n;
  await (await datanetRegistry.createDatanet("ipfs://gas/worst.json", BOND)).wait();
  const worstIds: bigint[] = [];
  for (let i = 0n; i < maxReview; i++) {
    // A contributor per contribution: every accepted bond opens a new refund slot.
    const c = await oneShotContributor(`review ${i}`, await datanetRegistry.getAddress(), BOND);
    await (
      await datanetRegistry.connect(c).contribute(worstDatanet, id(`gas worst review ${i}`), "ipfs://gas/w", 1n, BOND)
    ).wait();
    worstIds.push(await datanetRegistry.contributionCount());
  }
  await rec.record(
    R,
    "reviewBatch: largest accepted, worst case",
    datanetRegistry.reviewBatch(
      worstIds,
      worstIds.map(() => true),
    ),
    { note: `${maxReview} accepted, each opening a new contributor's refund` },
  );

  await (await openToken.approve(await modelRegistry.getAddress(), 2n ** 255n)).wait();
  const rates = { inputRate: 6n * 10n ** 16n, outputRate: 2n * 10n ** 17n };
  const maxBond = await modelRegistry.proposalBond();
  await rec.record(
    R,
    "proposeModel (1 datanet)",
    modelRegistry.proposeModel("ipfs://gas/model.json", [datanetId], rates, maxBond),
  );
  for (let i = 0; i < 3; i++) await (await datanetRegistry.createDatanet(`ipfs://gas/extra-${i}.json`, BOND)).wait();
  const count = await datanetRegistry.datanetCount();
  const four = [datanetId, count - 2n, count - 1n, count];
  await rec.record(
    R,
    "proposeModel (4 datanets)",
    modelRegistry.proposeModel("ipfs://gas/model.json", four, rates, maxBond),
  );
  await rec.record(R, "approveModel (by the timelock)", modelRegistry.connect(governance).approveModel(1n), {
    note: "bond back to the creator",
  });
  await rec.record(
    R,
    "registerArtifact",
    modelRegistry.registerArtifact(1n, id("gas weights"), "ipfs://gas/weights.safetensors", 0n),
  );
  await rec.record(R, "activateModel", modelRegistry.activateModel(1n));

  // ----------------------------------------------------------------------------------------------
  // Inference, attribution and claims
  // ----------------------------------------------------------------------------------------------
  const I = "inference";
  const routerAddress = await inferenceRouter.getAddress();
  const domain = attributionDomain((await ethers.provider.getNetwork()).chainId, routerAddress);
  // Accepted contributions of the benchmark datanet: #1 and the batch's accepted ones (by the 10 contributors).
  const acceptedIds = [1n, ...batchIds.filter((_, i) => batchAccepts[i])];
  // Oracle signers: the three of the parameters file (accounts 17-19) and two more added by governance.
  const allAccounts = await ethers.getSigners();
  const oracleSigners = [17, 18, 19, 15, 16].map((i) => allAccounts[i]!);
  for (const extra of oracleSigners.slice(3))
    await (await attributionOracle.connect(governance).addSigner(extra.address)).wait();
  async function useThreshold(k: number) {
    if ((await attributionOracle.threshold()) !== BigInt(k)) {
      await (await attributionOracle.connect(governance).setThreshold(k)).wait();
    }
  }

  const payer = (await freshAccounts(1))[0]!;
  let requestNonce = 0;
  async function pay(record = false): Promise<bigint> {
    const requestId = id(`gas request ${requestNonce++}`);
    const tx = inferenceRouter.connect(payer).payInference(1n, 2_000n, 1_000n, requestId, OPEN);
    if (record) await rec.record(I, "payInference", tx, { note: "mean of 5; the stakers' share accrues" });
    else await (await tx).wait();
    return inferenceRouter.inferenceIdOf(await payer.getAddress(), requestId);
  }
  await pay(); // the creator's credit slot and the router's owed slot exist from here on
  for (let i = 0; i < 5; i++) await pay(true);

  const now = async () => BigInt((await ethers.provider.getBlock("latest"))?.timestamp ?? 0);
  const report = (inferenceId: bigint, ids: bigint[], deadline: bigint): AttributionReport => ({
    inferenceId,
    outputHash: id(`gas output ${inferenceId}`),
    indexCommitment: id("gas benchmark index"),
    contributionIds: ids,
    weights: ids.map(() => 10n ** 18n / BigInt(ids.length)),
    deadline,
  });

  // Credit every accepted contribution's contributor once, so the rows below find their credit slots in place.
  await useThreshold(1);
  for (let i = 0; i < acceptedIds.length; i += 50) {
    const r = report(await pay(), acceptedIds.slice(i, i + 50), (await now()) + 3_600n);
    await (await inferenceRouter.settle(r, await signReport(domain, r, oracleSigners.slice(0, 1)))).wait();
  }
  for (const k of [1, 3, 5]) {
    await useThreshold(k);
    for (const size of [1, 5, 10, 50]) {
      const r = report(await pay(), acceptedIds.slice(0, size), (await now()) + 3_600n);
      const label = `settle: ${size} contribution${size === 1 ? "" : "s"}, k = ${k}, credit slots exist`;
      await rec.record(I, label, inferenceRouter.settle(r, await signReport(domain, r, oracleSigners.slice(0, k))));
    }
  }
  // The same report, contributors credited for the first time: 5 fresh contributors.
  await useThreshold(3);
  {
    const fresh = await freshAccounts(5);
    const freshDatanet = (await datanetRegistry.datanetCount()) + 1n;
    await (await datanetRegistry.createDatanet("ipfs://gas/fresh.json", BOND)).wait();
    const ids: bigint[] = [];
    for (const [i, c] of fresh.entries()) {
      await (
        await datanetRegistry.connect(c).contribute(freshDatanet, id(`gas fresh ${i}`), "ipfs://gas/f", 1n, BOND)
      ).wait();
      ids.push(await datanetRegistry.contributionCount());
    }
    await (
      await datanetRegistry.reviewBatch(
        ids,
        ids.map(() => true),
      )
    ).wait();
    await (await modelRegistry.proposeModel("ipfs://gas/fresh-model.json", [freshDatanet], rates, maxBond)).wait();
    const freshModel = await modelRegistry.modelCount();
    await (await modelRegistry.connect(governance).approveModel(freshModel)).wait();
    await (await modelRegistry.registerArtifact(freshModel, id("gas fresh weights"), "ipfs://gas/fw", 0n)).wait();
    await (await modelRegistry.activateModel(freshModel)).wait();
    // The model's first settlement caches its datanets in the router; its one contribution earns nothing, so no
    // credit slot is written and the row below measures the contributors' first credits alone.
    {
      const requestId = id(`gas request ${requestNonce++}`);
      await (await inferenceRouter.connect(payer).payInference(freshModel, 2_000n, 1_000n, requestId, OPEN)).wait();
      const inferenceId = await inferenceRouter.inferenceIdOf(await payer.getAddress(), requestId);
      const first = { ...report(inferenceId, ids.slice(0, 1), (await now()) + 3_600n), weights: [0n] };
      await rec.record(
        I,
        "settle: a model's first settlement, 1 contribution earning nothing, k = 3",
        inferenceRouter.settle(first, await signReport(domain, first, oracleSigners.slice(0, 3))),
        { note: "caches the model's datanets in the router" },
      );
    }
    const requestId = id(`gas request ${requestNonce++}`);
    await (await inferenceRouter.connect(payer).payInference(freshModel, 2_000n, 1_000n, requestId, OPEN)).wait();
    const inferenceId = await inferenceRouter.inferenceIdOf(await payer.getAddress(), requestId);
    const r = report(inferenceId, ids, (await now()) + 3_600n);
    await rec.record(
      I,
      "settle: 5 contributions, k = 3, new credit slots",
      inferenceRouter.settle(r, await signReport(domain, r, oracleSigners.slice(0, 3))),
      { note: "each contributor's first credit" },
    );
  }

  // One epoch: 100 inferences, 5 contributions each drawn from 20 recurring contributions, k = 3.
  {
    const epoch: AttributionReport[] = [];
    const deadline = (await now()) + 3_600n;
    for (let i = 0; i < 100; i++) {
      const ids = Array.from({ length: 5 }, (_, j) => acceptedIds[(i + j * 4) % 20]!).sort((a, b) => (a < b ? -1 : 1));
      epoch.push(report(await pay(), ids, deadline));
    }
    await rec.record(
      I,
      "settleBatch: 100 × 5 contributions, k = 3, per inference",
      inferenceRouter.settleBatch(epoch, await signBatch(domain, epoch, oracleSigners.slice(0, 3))),
      { divisor: 100n, note: "20 recurring contributions of 10 contributors" },
    );
  }

  // The largest batch the router accepts, in the worst case: every report's inference and every contribution read
  // cold, every contributor credited for the first time, k = 5.
  {
    const maxReports = Number(await inferenceRouter.MAX_BATCH_REPORTS());
    const maxContributions = Number(await inferenceRouter.MAX_BATCH_CONTRIBUTIONS());
    const perReport = Math.floor(maxContributions / maxReports);
    const worstDatanetId = (await datanetRegistry.datanetCount()) + 1n;
    await (await datanetRegistry.createDatanet("ipfs://gas/worst-batch.json", BOND)).wait();
    const ids: bigint[] = [];
    for (let i = 0; i < maxReports * perReport; i++) {
      const c = await oneShotContributor(`batch ${i}`, await datanetRegistry.getAddress(), BOND);
      await (
        await datanetRegistry.connect(c).contribute(worstDatanetId, id(`gas worst ${i}`), "ipfs://gas/wb", 1n, BOND)
      ).wait();
      ids.push(await datanetRegistry.contributionCount());
    }
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      await (
        await datanetRegistry.reviewBatch(
          chunk,
          chunk.map(() => true),
        )
      ).wait();
    }
    await (await modelRegistry.proposeModel("ipfs://gas/worst-model.json", [worstDatanetId], rates, maxBond)).wait();
    const worstModel = await modelRegistry.modelCount();
    await (await modelRegistry.connect(governance).approveModel(worstModel)).wait();
    await (await modelRegistry.registerArtifact(worstModel, id("gas worst weights"), "ipfs://gas/ww", 0n)).wait();
    await (await modelRegistry.activateModel(worstModel)).wait();
    await useThreshold(5);
    const reports: AttributionReport[] = [];
    const deadline = (await now()) + 36_000n;
    for (let r = 0; r < maxReports; r++) {
      const requestId = id(`gas request ${requestNonce++}`);
      await (await inferenceRouter.connect(payer).payInference(worstModel, 2_000n, 1_000n, requestId, OPEN)).wait();
      const inferenceId = await inferenceRouter.inferenceIdOf(await payer.getAddress(), requestId);
      reports.push(report(inferenceId, ids.slice(r * perReport, (r + 1) * perReport), deadline));
    }
    await rec.record(
      I,
      "settleBatch: largest accepted, all cold, all new credit slots",
      inferenceRouter.settleBatch(reports, await signBatch(domain, reports, oracleSigners.slice(0, 5)), {
        gasLimit: TX_GAS_CAP,
      }),
      { note: `${maxReports} reports × ${perReport} contributions, k = 5; cap ${TX_GAS_CAP.toLocaleString("en-US")}` },
    );
  }

  const contributor = contributors[1]!;
  await rec.record(I, "claim (contributor)", inferenceRouter.connect(contributor).claim());
  await rec.record(I, "sweepToTreasury", inferenceRouter.sweepToTreasury());
  await rec.record(I, "releaseStakerRewards", inferenceRouter.releaseStakerRewards(), {
    note: "the stakers' shares so far, to gOPEN's next reward period",
  });
  return rec;
}

// ------------------------------------------------------------------------------------------------
// The OP Stack chain
// ------------------------------------------------------------------------------------------------

/** L1Block predeploy: its slot 3 packs the Ecotone fee scalars with the sequence number. */
const L1_BLOCK = "0x4200000000000000000000000000000000000015";
/** OP Mainnet's Ecotone scalars (Superchain Registry): the L1 data fee as OP Mainnet charges it. */
const BASE_FEE_SCALAR = 5_227n;
const BLOB_BASE_FEE_SCALAR = 1_014_213n;

/** An in-process OP Stack chain whose L1Block holds OP Mainnet's fee scalars (the simulator starts without them). */
async function opChain(): Promise<{ connection: Connection; l1BaseFee: bigint; blobBaseFee: bigint }> {
  const connection = (await network.create({ chainType: "op" })) as unknown as Connection;
  const provider = connection.ethers.provider;
  const read = async (slot: number) =>
    BigInt(await provider.send("eth_getStorageAt", [L1_BLOCK, toBeHex(slot), "latest"]));
  const sequence = (await read(3)) & ((1n << 64n) - 1n);
  // Solidity offsets in slot 3: sequenceNumber (bytes 0-7), blobBaseFeeScalar (8-11), baseFeeScalar (12-15).
  const packed = sequence | (BLOB_BASE_FEE_SCALAR << 64n) | (BASE_FEE_SCALAR << 96n);
  await provider.send("hardhat_setStorageAt", [L1_BLOCK, "0x3", zeroPadValue(toBeHex(packed), 32)]);
  return { connection, l1BaseFee: await read(1), blobBaseFee: await read(7) };
}

// ------------------------------------------------------------------------------------------------
// Report
// ------------------------------------------------------------------------------------------------

const fmt = (x: bigint | undefined) => (x === undefined ? "" : x.toLocaleString("en-US"));
const gwei = (wei: bigint | undefined) => (wei === undefined ? "" : `${(Number(wei) / 1e9).toFixed(1)}`);

interface Line {
  section: string;
  label: string;
  gas: bigint;
  reference?: bigint;
  target?: bigint;
  met?: boolean;
  /** The target is a hard limit (see Target.hard). */
  hard?: boolean;
  opGas?: bigint;
  opL1Gas?: bigint;
  opL1Fee?: bigint;
  note: string;
}

function lines(l1: Recorder, op: Recorder): Line[] {
  const out: Line[] = [];
  for (const row of l1.rows.values()) {
    const gas = mean(row.ours, (s) => s.gas, row.divisor);
    const referenceGas = mean(row.reference, (s) => s.gas, row.divisor);
    const opRow = op.rows.get(row.label);
    const line: Line = {
      section: row.section,
      label: row.label,
      gas: gas ?? referenceGas ?? 0n,
      note: row.note,
    };
    if (gas !== undefined && referenceGas !== undefined) line.reference = referenceGas;
    if (gas !== undefined) {
      line.opGas = mean(opRow?.ours, (s) => s.gas, row.divisor);
      line.opL1Gas = mean(opRow?.ours, (s) => s.l1GasUsed, row.divisor);
      line.opL1Fee = mean(opRow?.ours, (s) => s.l1Fee, row.divisor);
    } else {
      line.opGas = mean(opRow?.reference, (s) => s.gas, row.divisor);
    }
    const target = TARGETS[row.label];
    if (target !== undefined) {
      const limit =
        target.max === "reference"
          ? target.reference !== undefined
            ? mean(l1.rows.get(target.reference)?.reference, (s) => s.gas)
            : referenceGas
          : target.max;
      if (limit !== undefined) {
        line.target = limit;
        line.met = line.gas <= limit;
        if (target.hard === true) line.hard = true;
      }
    }
    out.push(line);
  }
  return out;
}

const HEADER = ["step", "gas", "reference", "target", "", "OP L2 gas", "OP L1 gas", "OP L1 fee (gwei)", "note"];
const ALIGN: ("l" | "r")[] = ["l", "r", "r", "r", "l", "r", "r", "r", "l"];
const cells = (l: Line) => [
  l.label,
  fmt(l.gas),
  fmt(l.reference),
  l.target === undefined ? "" : `≤ ${fmt(l.target)}`,
  l.met === undefined ? "" : l.met ? "met" : "missed",
  fmt(l.opGas),
  fmt(l.opL1Gas),
  gwei(l.opL1Fee),
  l.note,
];

function markdown(rows: Line[]): string {
  return [
    `| ${HEADER.map((h) => (h === "" ? "met" : h)).join(" | ")} |`,
    `| ${ALIGN.map((a) => (a === "l" ? "---" : "---:")).join(" | ")} |`,
    ...rows.map((l) => `| ${cells(l).join(" | ")} |`),
  ].join("\n");
}

type Snapshot = Record<string, { gas: string; opGas?: string; opL1Gas?: string }>;

function snapshotOf(rows: Line[]): Snapshot {
  return Object.fromEntries(
    rows.map((l) => [
      l.label,
      {
        gas: l.gas.toString(),
        ...(l.opGas === undefined ? {} : { opGas: l.opGas.toString() }),
        ...(l.opL1Gas === undefined ? {} : { opL1Gas: l.opL1Gas.toString() }),
      },
    ]),
  );
}

/** Sentences naming every row that grew by more than the tolerance, or that is new or gone. */
function compare(committed: Snapshot, measured: Snapshot): string[] {
  const problems: string[] = [];
  for (const [label, row] of Object.entries(measured)) {
    const before = committed[label];
    if (before === undefined) {
      problems.push(`"${label}" is not in gas-snapshot.json: run \`npm run gas:snapshot\` and commit it.`);
      continue;
    }
    // The L1 data fee depends on how the calldata compresses, which moves with the timestamps it carries (report
    // deadlines follow the clock): it is reported, not checked.
    for (const key of ["gas", "opGas"] as const) {
      const now = row[key];
      const then = before[key];
      if (now === undefined || then === undefined) continue;
      if (Number(now) > Number(then) * (1 + TOLERANCE)) {
        problems.push(
          `"${label}" ${key} grew from ${Number(then).toLocaleString("en-US")} to ${Number(now).toLocaleString("en-US")} ` +
            `(more than ${TOLERANCE * 100}%): update gas-snapshot.json in the same commit if the cost is intended.`,
        );
      }
    }
  }
  for (const label of Object.keys(committed)) {
    if (!(label in measured)) problems.push(`"${label}" is in gas-snapshot.json but was not measured.`);
  }
  return problems;
}

const mode = process.env.GAS_MODE ?? "print";
if (!["print", "snapshot", "check"].includes(mode))
  throw new Error(`GAS_MODE must be print, snapshot or check, not ${mode}.`);

const l1 = await measure(await network.create());
const op = await opChain();
const opRecorder = await measure(op.connection);
const rows = lines(l1, opRecorder);

const solc = (await import("solc/package.json", { with: { type: "json" } })).default.version;
const titles: Record<string, string> = {
  staking: "Staking and governance (reference: ReferenceGOpen, the shape of OpenLedger's GOPEN, same conditions)",
  registries: "Datanets and models",
  inference: "Inference, attribution and claims",
};
console.log(
  `\nGas per step (solc ${solc}; router, oracle and datanet registry with 1,000,000 optimizer runs, the rest 200; ` +
    `in-process L1 and OP Stack, ` +
    `OP L1 fee at ${gwei(op.l1BaseFee)} gwei L1 base fee, ${gwei(op.blobBaseFee)} gwei blob base fee, OP Mainnet scalars)`,
);
for (const section of Object.keys(titles)) {
  const sectionRows = rows.filter((l) => l.section === section);
  console.log(`\n${titles[section]}\n`);
  console.log(table(HEADER, sectionRows.map(cells), ALIGN));
}
const missed = rows.filter((l) => l.met === false);
console.log(
  `\n${rows.filter((l) => l.met !== undefined).length - missed.length} of ${rows.filter((l) => l.met !== undefined).length} targets met` +
    (missed.length === 0 ? "." : `; missed: ${missed.map((l) => l.label).join("; ")}.`),
);

const measured = snapshotOf(rows);
if (mode === "snapshot") {
  await writeFile(SNAPSHOT_FILE, JSON.stringify(measured, null, 2) + "\n");
  await writeReadmeBlocks(
    Object.fromEntries(
      Object.keys(titles).map((section) => [`gas-${section}`, markdown(rows.filter((l) => l.section === section))]),
    ),
  );
  console.log("\nWrote gas-snapshot.json and the README tables.");
} else if (mode === "check") {
  const committed = JSON.parse(await readFile(SNAPSHOT_FILE, "utf8")) as Snapshot;
  const problems = compare(committed, measured);
  // Gas-bound tests skip under coverage (instrumentation adds gas), so CI enforces the hard limits here.
  for (const l of rows.filter((row) => row.hard === true && row.met === false)) {
    problems.push(
      `"${l.label}" uses ${fmt(l.gas)} gas, over its hard limit of ${fmt(l.target)}: ` +
        `the largest accepted batch must fit under the ${fmt(TX_GAS_CAP)} transaction cap with its margin.`,
    );
  }
  if (problems.length !== 0) {
    console.error(`\nThe gas snapshot check failed:\n${problems.map((p) => `- ${p}`).join("\n")}`);
    process.exitCode = 1;
  } else {
    console.log(`\nEvery row is within ${TOLERANCE * 100}% of gas-snapshot.json.`);
  }
}
