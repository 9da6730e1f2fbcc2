/**
 * `npm run demo`: the protocol's lifecycle on the in-process Hardhat network, printed step by step.
 *
 * Deploys the suite through the same Ignition module as production (with governance timings in
 * seconds), hands OPEN to named actors, stakes and delegates, carries a governance proposal through
 * vote, queue and execute, distributes staking rewards, unstakes and withdraws, and ends with a
 * ledger of where every OPEN is and a conservation check that fails loudly if a wei is missing.
 */
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { network } from "hardhat";

import { formatDuration, formatOpen, proposalStateName } from "../tasks/lib/cli.js";
import { bindContracts, type ProtocolContext } from "../tasks/lib/context.js";
import { deploySuite, readParameters } from "../tasks/lib/deploy.js";
import { buildAction, castVote, execute, propose, queue } from "../tasks/lib/governance.js";
import { claimStakingRewards, delegate, requestUnstake, stake, withdraw } from "../tasks/lib/staking.js";
import { table } from "../tasks/lib/table.js";

const OPEN = 10n ** 18n;
const root = path.resolve(import.meta.dirname, "..");

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const [deployer, alice, bob, carol] = await ethers.getSigners();
if (deployer === undefined || alice === undefined || bob === undefined || carol === undefined) {
  throw new Error("The in-process network needs at least four accounts.");
}
const names = new Map<string, string>([
  [deployer.address, "Foundation (deployer)"],
  [alice.address, "Alice"],
  [bob.address, "Bob"],
  [carol.address, "Carol"],
]);
const who = (address: string) => names.get(address) ?? address;

let stepNo = 0;
function step(title: string): void {
  stepNo += 1;
  console.log(`\n${stepNo}. ${title}`);
}
function say(text: string): void {
  console.log(`   ${text}`);
}

// ------------------------------------------------------------------------------------------------
step("Deploy the suite with Ignition (ignition/modules/Protocol.ts, parameters ignition/parameters/localhost.json)");
const parameters = await readParameters(path.join(root, "ignition", "parameters", "localhost.json"));
const deployment = await deploySuite(connection, parameters, { root });
const as = (signer: HardhatEthersSigner): ProtocolContext => bindContracts(connection, deployment, signer);
const foundation = as(deployer);
const { openToken, stakedOpen, governor, timelock } = foundation;
const timelockAddress = await timelock.getAddress();
const stakedAddress = await stakedOpen.getAddress();
names.set(timelockAddress, "Treasury (timelock)");
names.set(stakedAddress, "StakedOpen (gOPEN)");
for (const [name, address] of Object.entries(deployment.addresses)) say(`${name.padEnd(11)} ${address}`);
say(
  `governor: voting delay ${formatDuration(await governor.votingDelay())}, period ${formatDuration(await governor.votingPeriod())}, ` +
    `threshold ${formatOpen(await governor.proposalThreshold(), "gOPEN")}, quorum ${await governor["quorumNumerator()"]()}% ; ` +
    `timelock delay ${formatDuration(await timelock.getMinDelay())}; unstake cooldown ${formatDuration(await stakedOpen.cooldown())}`,
);

// ------------------------------------------------------------------------------------------------
step("Hand out OPEN");
for (const [signer, amount] of [
  [alice, 60_000n],
  [bob, 40_000n],
  [carol, 25_000n],
] as const) {
  await (await openToken.transfer(signer.address, amount * OPEN)).wait();
  say(`${who(signer.address).padEnd(6)} receives ${formatOpen(amount * OPEN)}`);
}

// ------------------------------------------------------------------------------------------------
step("Stake OPEN for gOPEN and delegate the votes");
const s1 = await stake(as(alice), 50_000n * OPEN);
say(`Alice stakes ${formatOpen(50_000n * OPEN)}${s1.usedPermit ? " with an EIP-2612 permit (one transaction)" : ""}`);
await (await openToken.connect(bob).approve(stakedAddress, 30_000n * OPEN)).wait();
await stake(as(bob), 30_000n * OPEN);
say(`Bob approves and stakes ${formatOpen(30_000n * OPEN)}`);
await stake(as(carol), 20_000n * OPEN);
say(`Carol stakes ${formatOpen(20_000n * OPEN)}`);
await delegate(as(alice), alice.address);
await delegate(as(bob), bob.address);
await delegate(as(carol), alice.address);
say("Alice and Bob delegate to themselves; Carol delegates her votes to Alice");
await networkHelpers.mine();
say(
  `votes: Alice ${formatOpen(await stakedOpen.getVotes(alice.address), "votes")}, Bob ${formatOpen(await stakedOpen.getVotes(bob.address), "votes")}, ` +
    `Carol ${formatOpen(await stakedOpen.getVotes(carol.address), "votes")} (gOPEN is non-transferable; votes follow delegation)`,
);

// ------------------------------------------------------------------------------------------------
step("Governance: Alice proposes a 14-day cooldown, a reward notifier for the foundation, and a slash of Carol");
const description =
  "Raise the unstake cooldown to 14 days; let the foundation distribute staking rewards; " +
  "slash Carol 1,000 OPEN for signing a falsified attribution report";
const slashAmount = 1_000n * OPEN;
const actions = [
  await buildAction(foundation, "stakedOpen", "setCooldown", JSON.stringify([14 * 24 * 3600])),
  await buildAction(foundation, "stakedOpen", "setRewardNotifier", JSON.stringify([deployer.address, true])),
  await buildAction(
    foundation,
    "stakedOpen",
    "slash",
    JSON.stringify([carol.address, slashAmount.toString(), "signed a falsified attribution report"]),
  ),
];
const filed = await propose(as(alice), actions, description);
say(
  `proposal ${filed.proposalId.toString().slice(0, 12)}… filed: ${proposalStateName(Number(await governor.state(filed.proposalId)))}`,
);
await networkHelpers.time.increaseTo(filed.voteStart + 1n);
const votes = [
  [alice, "for"],
  [bob, "against"],
] as const;
for (const [signer, choice] of votes) {
  const { weight } = await castVote(as(signer), filed.proposalId, choice);
  say(`${who(signer.address)} votes ${choice} with ${formatOpen(weight, "votes")}`);
}
const tally = await governor.proposalVotes(filed.proposalId);
say(
  `tally: for ${formatOpen(tally.forVotes, "votes")}, against ${formatOpen(tally.againstVotes, "votes")}, abstain ${formatOpen(tally.abstainVotes, "votes")}`,
);
await networkHelpers.time.increaseTo(filed.voteEnd + 1n);
say(`voting closed: ${proposalStateName(Number(await governor.state(filed.proposalId)))}`);
const { eta } = await queue(foundation, filed.proposalId);
say(
  `queued in the timelock: ${proposalStateName(Number(await governor.state(filed.proposalId)))} until its delay passes`,
);
await networkHelpers.time.increaseTo(eta);
await execute(foundation, filed.proposalId);
say(`executed: ${proposalStateName(Number(await governor.state(filed.proposalId)))}`);
say(
  `StakedOpen.cooldown() is now ${formatDuration(await stakedOpen.cooldown())}; foundation is a reward notifier: ${await stakedOpen.isRewardNotifier(deployer.address)}`,
);
say(
  `Carol was slashed ${formatOpen(slashAmount)}: her stake is ${formatOpen(await stakedOpen.balanceOf(carol.address), "gOPEN")}, ` +
    `the treasury holds ${formatOpen(await openToken.balanceOf(timelockAddress))}`,
);

// ------------------------------------------------------------------------------------------------
step("Staking rewards: the foundation notifies 1,000 OPEN, shared pro rata to stake (99,000 gOPEN)");
const reward = 1_000n * OPEN;
await (await openToken.approve(stakedAddress, reward)).wait();
await (await stakedOpen.notifyReward(reward)).wait();
for (const signer of [alice, bob, carol]) {
  say(`${who(signer.address).padEnd(6)} earned ${formatOpen(await stakedOpen.earned(signer.address))}`);
}
for (const signer of [alice, carol]) {
  const { amount } = await claimStakingRewards(as(signer));
  say(`${who(signer.address)} claims ${formatOpen(amount)}`);
}
const dust = (await stakedOpen.dustScaled()) / OPEN;
await (await stakedOpen.sweepDust()).wait();
say(`1,000 OPEN ÷ 99,000 gOPEN does not divide exactly: ${dust} wei of rounding dust is swept to the treasury`);

// ------------------------------------------------------------------------------------------------
step("Unstake: Bob burns 10,000 gOPEN now and withdraws the OPEN after the cooldown");
const unstaked = await requestUnstake(as(bob), 10_000n * OPEN);
say(
  `Bob's votes drop to ${formatOpen(await stakedOpen.getVotes(bob.address), "votes")} at once; ${formatOpen(unstaked.queued)} queued`,
);
await networkHelpers.time.increaseTo(unstaked.releaseTime);
const withdrawn = await withdraw(as(bob));
say(`after ${formatDuration(await stakedOpen.cooldown())} Bob withdraws ${formatOpen(withdrawn.amount)}`);

// ------------------------------------------------------------------------------------------------
step("Ledger: where every OPEN is");
const holders = [deployer.address, alice.address, bob.address, carol.address, timelockAddress, stakedAddress];
const rows: string[][] = [];
let total = 0n;
for (const holder of holders) {
  const balance = await openToken.balanceOf(holder);
  total += balance;
  rows.push([
    who(holder),
    formatOpen(balance),
    formatOpen(await stakedOpen.balanceOf(holder), "gOPEN"),
    formatOpen(await stakedOpen.earned(holder)),
  ]);
}
rows.push(["Total", formatOpen(total), formatOpen(await stakedOpen.totalSupply(), "gOPEN"), ""]);
console.log("\n" + table(["holder", "OPEN", "staked", "rewards to claim"], rows).replace(/^/gm, "   "));

const supply = await openToken.totalSupply();
const stakedHeld = await openToken.balanceOf(stakedAddress);
let earnedScaled = 0n;
for (const holder of holders) earnedScaled += await stakedOpen.earnedScaled(holder);
const owedScaled =
  ((await stakedOpen.totalSupply()) + (await stakedOpen.totalQueued())) * OPEN +
  earnedScaled +
  (await stakedOpen.dustScaled());

console.log("\n   Conservation checks");
const checks: [string, boolean][] = [
  [`OPEN held by the actors and contracts == total supply (${formatOpen(supply)})`, total === supply],
  [
    "StakedOpen's OPEN == stakes + queued withdrawals + unclaimed rewards + dust (exact, in wei × 1e18)",
    stakedHeld * OPEN === owedScaled,
  ],
];
for (const [label, ok] of checks) say(`${ok ? "ok  " : "FAIL"} ${label}`);
if (checks.some(([, ok]) => !ok)) {
  console.error("\nConservation check failed: some OPEN is unaccounted for.");
  process.exitCode = 1;
} else {
  console.log("\nEvery wei is accounted for.");
}
