/**
 * `npm run gas`: gas used by the staking and governance entry points, measured from transaction
 * receipts on the in-process network (deterministic: same code, same numbers). Each figure is the
 * mean over several fresh accounts doing the same step in the same situation.
 *
 * Every staking step is measured twice under identical conditions: on StakedOpen and on
 * ReferenceGOpen (contracts/mocks), a plain 1:1 ERC20Wrapper + ERC20Votes + permit with a timestamp
 * clock, the shape of OpenLedger's public GOPEN. The difference is the price of cooldowns,
 * slashing and reward accounting. OpenLedger's published GOPEN averages are shown for reference.
 *
 * `npm run gas:readme` also writes the table into README.md between the gas markers.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { Wallet, id, type ContractTransactionResponse, type Signer } from "ethers";
import { network } from "hardhat";

import { attributionDomain, signBatch, signReport } from "../sdk/eip712.js";
import { bindContracts } from "../tasks/lib/context.js";
import { deploySuite, readParameters } from "../tasks/lib/deploy.js";
import { buildAction } from "../tasks/lib/governance.js";
import { table } from "../tasks/lib/table.js";

const OPEN = 10n ** 18n;
const ACCOUNTS = 5;
const root = path.resolve(import.meta.dirname, "..");

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const [deployer] = await ethers.getSigners();
if (deployer === undefined) throw new Error("No accounts.");

const parameters = await readParameters(path.join(root, "ignition", "parameters", "localhost.json"));
const deployment = await deploySuite(connection, parameters, { root });
const ctx = bindContracts(connection, deployment, deployer);
const { openToken, stakedOpen, governor } = ctx;
const reference = await ethers.deployContract("ReferenceGOpen", [deployment.addresses.openToken]);
const contracts = { ours: stakedOpen, ref: reference } as const;
type Which = keyof typeof contracts;

/** Fresh funded accounts holding 100,000 OPEN with an unlimited allowance for both staking contracts. */
let accountsMade = 0;
async function freshAccounts(n = ACCOUNTS): Promise<Signer[]> {
  const accounts: Signer[] = [];
  for (let i = 0; i < n; i++) {
    // Deterministic keys: the same addresses (and so the same calldata costs) on every run.
    const wallet = new Wallet(id(`gas benchmark account ${accountsMade++}`), ethers.provider);
    await networkHelpers.setBalance(wallet.address, 10n ** 20n);
    await (await openToken.transfer(wallet.address, 100_000n * OPEN)).wait();
    for (const c of Object.values(contracts)) {
      await (await openToken.connect(wallet).approve(await c.getAddress(), 2n ** 255n)).wait();
    }
    accounts.push(wallet);
  }
  return accounts;
}

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("No receipt.");
  return receipt.gasUsed;
}

const samples = new Map<string, Partial<Record<Which, bigint[]>>>();
async function measure(label: string, which: Which, accounts: Signer[], step: (s: Signer) => Promise<bigint>) {
  const row = samples.get(label) ?? {};
  const list = row[which] ?? [];
  for (const account of accounts) list.push(await step(account));
  row[which] = list;
  samples.set(label, row);
}
const mean = (xs: bigint[] | undefined) =>
  xs === undefined || xs.length === 0 ? undefined : xs.reduce((a, b) => a + b, 0n) / BigInt(xs.length);

// The deployer plays the inference router: an authorised reward notifier (granted as the timelock would).
await networkHelpers.impersonateAccount(deployment.addresses.timelock);
await networkHelpers.setBalance(deployment.addresses.timelock, 10n ** 18n);
const timelockSigner = await ethers.getSigner(deployment.addresses.timelock);
await (await stakedOpen.connect(timelockSigner).setRewardNotifier(deployer.address, true)).wait();
await (await openToken.approve(await stakedOpen.getAddress(), 2n ** 255n)).wait();

const STAKE = 20_000n * OPEN;
const deposit = (which: Which, s: Signer) =>
  which === "ours" ? stakedOpen.connect(s).stake(STAKE) : reference.connect(s).depositFor(s, STAKE);

const groups: Record<Which, { a: Signer[]; b: Signer[] }> = {
  ours: { a: await freshAccounts(), b: await freshAccounts() },
  ref: { a: await freshAccounts(), b: await freshAccounts() },
};
// Rewards are flowing before these stakers arrive, as they will be on a live network.
await (await stakedOpen.notifyReward(1_000n * OPEN)).wait();

for (const which of ["ours", "ref"] as const) {
  const c = contracts[which];
  const { a, b } = groups[which];
  // Group a: delegate to self first, then stake, so the stake moves votes (GOPEN's "deposit").
  await measure("delegate to self (before staking)", which, a, async (s) =>
    gasOf(c.connect(s).delegate(await s.getAddress())),
  );
  await measure("stake (first, already delegated)", which, a, (s) => gasOf(deposit(which, s)));
  // Group b: stake first, then delegate, so the delegation moves the balance's votes.
  await measure("stake (first, not delegated)", which, b, (s) => gasOf(deposit(which, s)));
  await measure("delegate to self (with stake)", which, b, async (s) =>
    gasOf(c.connect(s).delegate(await s.getAddress())),
  );
}

await measure("notifyReward (router push)", "ours", [deployer, deployer, deployer], () =>
  gasOf(stakedOpen.notifyReward(1_000n * OPEN)),
);
await networkHelpers.mine();
for (const which of ["ours", "ref"] as const) {
  // The first settlement of an account with rewards writes its two reward slots for the first time.
  await measure("stake (top-up, delegated, first rewards)", which, groups[which].a, (s) => gasOf(deposit(which, s)));
}
await (await stakedOpen.notifyReward(1_000n * OPEN)).wait();
await networkHelpers.mine();
for (const which of ["ours", "ref"] as const) {
  // Steady state: the reward slots already exist and are updated.
  await measure("stake (top-up, delegated, steady state)", which, groups[which].a, (s) => gasOf(deposit(which, s)));
}
await measure("claimRewards", "ours", groups.ours.b, (s) => gasOf(stakedOpen.connect(s).claimRewards()));

// Unstaking: StakedOpen burns now and releases after the cooldown (two transactions); the
// reference unwraps at once (one transaction).
await measure("unstake: requestUnstake (delegated)", "ours", groups.ours.a, (s) =>
  gasOf(stakedOpen.connect(s).requestUnstake(STAKE)),
);
await networkHelpers.time.increase(Number(await stakedOpen.cooldown()));
await measure("unstake: withdraw after cooldown", "ours", groups.ours.a, (s) =>
  gasOf(stakedOpen.connect(s).withdraw()),
);
await measure("unstake: withdrawTo (reference, delegated)", "ref", groups.ref.a, (s) =>
  gasOf(reference.connect(s).withdrawTo(s, STAKE)),
);

// Governance: a one-call proposal, then votes.
const proposers = groups.ours.b.slice(0, 3);
let firstProposal: bigint | undefined;
let n = 0;
await measure("governor: propose (one call)", "ours", proposers, async (s) => {
  const action = await buildAction(ctx, "stakedOpen", "setCooldown", `[${8 * 86_400 + n}]`);
  const description = `Gas benchmark proposal ${n++}`;
  firstProposal ??= await governor.hashProposal([action.target], [0n], [action.calldata], ethers.id(description));
  return gasOf(governor.connect(s).propose([action.target], [0n], [action.calldata], description));
});
await networkHelpers.time.increase(Number(await governor.votingDelay()) + 1);
const proposalId = firstProposal;
if (proposalId === undefined) throw new Error("No proposal.");
await measure("governor: castVote", "ours", groups.ours.b, (s) => gasOf(governor.connect(s).castVote(proposalId, 1)));

// OpenLedger's published GOPEN averages (deposit, withdraw, delegate; no reward accounting).
const PUBLISHED: Record<string, bigint> = {
  "stake (first, already delegated)": 102_600n,
  "delegate to self (with stake)": 90_400n,
  "unstake: withdrawTo (reference, delegated)": 74_400n,
};

const fmt = (x: bigint | undefined) => (x === undefined ? "" : x.toLocaleString("en-US"));
const rows = [...samples.entries()].map(([label, row]) => {
  const ours = mean(row.ours);
  const ref = mean(row.ref);
  const overhead =
    ours !== undefined && ref !== undefined ? `${ours >= ref ? "+" : ""}${(ours - ref).toLocaleString("en-US")}` : "";
  return [label, fmt(ours), fmt(ref), overhead, fmt(PUBLISHED[label])];
});
const header = ["step", "StakedOpen", "reference GOPEN", "difference", "OpenLedger GOPEN (published)"];
const solc = (await import("solc/package.json", { with: { type: "json" } })).default.version;
console.log(
  `\nStaking and governance: gas per step, mean over fresh accounts (solc ${solc}, optimizer 200 runs, in-process L1)\n`,
);
console.log(table(header, rows));

// ------------------------------------------------------------------------------------------------
// Datanets and models
// ------------------------------------------------------------------------------------------------
const { datanetRegistry, modelRegistry } = ctx;
const registryAddress = await datanetRegistry.getAddress();
const registryRows: string[][] = [];
const record = (label: string, gas: bigint, note = "") => registryRows.push([label, fmt(gas), note]);
const BOND = 10n * OPEN;
const datanetReceipt = await (await datanetRegistry.createDatanet("ipfs://gas/datanet.json", BOND)).wait();
record("createDatanet", datanetReceipt?.gasUsed ?? 0n);
const datanetId = await datanetRegistry.datanetCount();

// 10 contributors with 10 contributions each, as contributors recur in a real datanet.
const contributors = await freshAccounts(10);
for (const c of contributors) await (await openToken.connect(c).approve(registryAddress, 2n ** 255n)).wait();
const contributeGas: bigint[] = [];
let n2 = 0;
for (let round = 0; round < 11; round++) {
  for (const c of contributors) {
    const contentHash = id(`gas benchmark document ${n2++}`);
    contributeGas.push(
      await gasOf(datanetRegistry.connect(c).contribute(datanetId, contentHash, "ipfs://gas/doc", 4_096n)),
    );
  }
}
const firstRound = contributeGas.slice(0, contributors.length);
const laterRounds = contributeGas.slice(contributors.length);
record("contribute (first by the contributor)", mean(firstRound) ?? 0n, "bond pulled by transferFrom");
record("contribute (returning contributor)", mean(laterRounds) ?? 0n, "mean of 100");

// Single reviews of the first ten, then one batch of the next 100 (10% rejected).
record("review (single, accept)", await gasOf(datanetRegistry.review(1n, true)));
record("review (single, reject)", await gasOf(datanetRegistry.review(2n, false)), "bond sent to the treasury");
const batchIds = Array.from({ length: 100 }, (_, i) => BigInt(i + 11));
const batchAccepts = batchIds.map((_, i) => i % 10 !== 0);
const batchGas = await gasOf(datanetRegistry.reviewBatch(batchIds, batchAccepts));
record("reviewBatch of 100, per contribution", batchGas / 100n, `${fmt(batchGas)} in all; 10 rejected`);
record(
  "claimRefund",
  await gasOf(datanetRegistry.connect(contributors[0]!).claimRefund()),
  "all of one contributor's refunds at once",
);

const version = await gasOf(
  datanetRegistry.publishVersion(datanetId, id("gas benchmark root"), 91n, "ipfs://gas/tree-v1.json"),
);
record("publishVersion", version);

// Models: the proposal bond is pulled; governance decisions are timelock calls.
await (await openToken.approve(await modelRegistry.getAddress(), 2n ** 255n)).wait();
const rates = { inputRate: 6n * 10n ** 16n, outputRate: 2n * 10n ** 17n };
record(
  "proposeModel (1 datanet)",
  await gasOf(modelRegistry.proposeModel("ipfs://gas/model.json", [datanetId], rates)),
);
for (let i = 0; i < 3; i++) await (await datanetRegistry.createDatanet(`ipfs://gas/extra-${i}.json`, BOND)).wait();
const four = [datanetId, datanetId + 1n, datanetId + 2n, datanetId + 3n];
record("proposeModel (4 datanets)", await gasOf(modelRegistry.proposeModel("ipfs://gas/model.json", four, rates)));
record(
  "approveModel (by the timelock)",
  await gasOf(modelRegistry.connect(timelockSigner).approveModel(1n)),
  "bond back to the creator",
);
record(
  "registerArtifact",
  await gasOf(modelRegistry.registerArtifact(1n, id("gas benchmark weights"), "ipfs://gas/weights.safetensors", 0n)),
);
record("activateModel", await gasOf(modelRegistry.activateModel(1n)));

const registryHeader = ["step", "gas", "note"];
console.log(`\nDatanets and models: gas per step\n`);
console.log(table(registryHeader, registryRows, ["l", "r", "l"]));

// ------------------------------------------------------------------------------------------------
// Inference, attribution and claims
// ------------------------------------------------------------------------------------------------
const { inferenceRouter, attributionOracle } = ctx;
const routerAddress = await inferenceRouter.getAddress();
const inferenceRows: string[][] = [];
const recordInference = (label: string, gas: bigint, note = "") => inferenceRows.push([label, fmt(gas), note]);
const domain = attributionDomain((await ethers.provider.getNetwork()).chainId, routerAddress);

// Accepted contributions of the benchmark datanet: #1 and the batch's accepted ones.
const acceptedIds = [1n, ...batchIds.filter((_, i) => batchAccepts[i])];
// Oracle signers: the three of the parameters file (accounts 17-19) and two more added by governance.
const allAccounts = await ethers.getSigners();
const oracleSigners = [17, 18, 19, 15, 16].map((i) => allAccounts[i]!);
for (const extra of oracleSigners.slice(3)) {
  await (await attributionOracle.connect(timelockSigner).addSigner(extra.address)).wait();
}
async function useThreshold(k: number) {
  if ((await attributionOracle.threshold()) !== BigInt(k)) {
    await (await attributionOracle.connect(timelockSigner).setThreshold(k)).wait();
  }
}

const payer = (await freshAccounts(1))[0]!;
await (await openToken.connect(payer).approve(routerAddress, 2n ** 255n)).wait();
let requestNonce = 0;
async function pay(): Promise<{ inferenceId: bigint; gas: bigint }> {
  const tx = await inferenceRouter
    .connect(payer)
    .payInference(1n, 2_000n, 1_000n, id(`gas request ${requestNonce++}`), OPEN);
  const receipt = await tx.wait();
  const paid = receipt?.logs.map((l) => inferenceRouter.interface.parseLog(l)).find((l) => l?.name === "InferencePaid");
  return { inferenceId: paid?.args.inferenceId as bigint, gas: receipt?.gasUsed ?? 0n };
}
const payGas: bigint[] = [];
for (let i = 0; i < 5; i++) payGas.push((await pay()).gas);
recordInference("payInference", mean(payGas) ?? 0n, "mean of 5; includes pushing the stakers' share into StakedOpen");

const now = async () => BigInt((await ethers.provider.getBlock("latest"))?.timestamp ?? 0);
function evenReport(inferenceId: bigint, ids: bigint[], deadline: bigint) {
  const weight = 10n ** 18n / BigInt(ids.length);
  return { inferenceId, contributionIds: ids, weights: ids.map(() => weight), deadline };
}
for (const k of [1, 3, 5]) {
  await useThreshold(k);
  for (const n of [1, 10, 50]) {
    const { inferenceId } = await pay();
    const report = evenReport(inferenceId, acceptedIds.slice(0, n), (await now()) + 3_600n);
    const signatures = await signReport(domain, report, oracleSigners.slice(0, k));
    const gas = await gasOf(inferenceRouter.settle(report, signatures));
    recordInference(`settle: ${n} contribution${n === 1 ? "" : "s"}, k = ${k}`, gas);
  }
}

// One epoch: 100 inferences, 5 contributions each drawn from 20 recurring contributions, k = 3.
await useThreshold(3);
const epoch: ReturnType<typeof evenReport>[] = [];
const deadline = (await now()) + 3_600n;
for (let i = 0; i < 100; i++) {
  const { inferenceId } = await pay();
  const ids = Array.from({ length: 5 }, (_, j) => acceptedIds[(i + j * 4) % 20]!).sort((a, b) => (a < b ? -1 : 1));
  epoch.push(evenReport(inferenceId, ids, deadline));
}
const batchSignatures = await signBatch(domain, epoch, oracleSigners.slice(0, 3));
const epochGas = await gasOf(inferenceRouter.settleBatch(epoch, batchSignatures));
recordInference(
  "settleBatch: 100 × 5 contributions, k = 3, per inference",
  epochGas / 100n,
  `${fmt(epochGas)} in all; target < 30,000`,
);

const contributor = contributors[1]!;
recordInference(
  "claim (contributor)",
  await gasOf(inferenceRouter.connect(contributor).claim()),
  "target < 78,000 (Uniswap MerkleDistributor)",
);
recordInference("sweepToTreasury", await gasOf(inferenceRouter.sweepToTreasury()));

const inferenceHeader = ["step", "gas", "note"];
console.log(`\nInference, attribution and claims: gas per step\n`);
console.log(table(inferenceHeader, inferenceRows, ["l", "r", "l"]));

if (process.env.GAS_README === "1") {
  const readmePath = path.join(root, "README.md");
  const markdown = (head: string[], body: string[][], align: ("l" | "r")[]) =>
    [
      `| ${head.join(" | ")} |`,
      `| ${align.map((a) => (a === "l" ? "---" : "---:")).join(" | ")} |`,
      ...body.map((r) => `| ${r.join(" | ")} |`),
    ].join("\n");
  let readme = await readFile(readmePath, "utf8");
  for (const [marker, md] of [
    ["gas", markdown(header, rows, ["l", "r", "r", "r", "r"])],
    ["gas-registries", markdown(registryHeader, registryRows, ["l", "r", "l"])],
    ["gas-inference", markdown(inferenceHeader, inferenceRows, ["l", "r", "l"])],
  ] as const) {
    const pattern = new RegExp(`<!-- ${marker}:begin -->[\\s\\S]*?<!-- ${marker}:end -->`);
    if (!pattern.test(readme))
      throw new Error(`README.md has no <!-- ${marker}:begin --> … <!-- ${marker}:end --> markers.`);
    readme = readme.replace(pattern, `<!-- ${marker}:begin -->\n${md}\n<!-- ${marker}:end -->`);
  }
  // Keep README.md as Prettier formats it, so `npm run lint` stays green.
  const prettier = await import("prettier");
  const options = (await prettier.resolveConfig(readmePath)) ?? {};
  await writeFile(readmePath, await prettier.format(readme, { ...options, filepath: readmePath }));
  console.log("\nWrote the tables into README.md.");
}
