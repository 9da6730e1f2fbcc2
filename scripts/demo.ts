/**
 * `npm run demo`: the protocol's lifecycle on the in-process Hardhat network, printed step by step.
 *
 * Deploys the suite through the same Ignition module as production (with governance timings in
 * seconds), hands OPEN to named actors, stakes and delegates, carries a governance proposal through
 * vote, queue and execute (a slash that freezes the staker's withdrawals while it is pending), runs
 * datanets, a model and paid inferences whose signed attribution commits to the output and the index,
 * releases and streams the stakers' share, unstakes and withdraws, and ends with a ledger of where every
 * OPEN is and conservation checks that fail loudly if a wei is missing.
 */
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { network } from "hardhat";

import { keccak256, toUtf8Bytes } from "ethers";

import { attribute, buildIndex } from "../attribution/index.js";
import { createClient, type FiledProposal, type ProposalAction, type VoteChoice } from "../sdk/client/index.js";
import type { AttributionReport } from "../sdk/core/eip712.js";
import { modelStateName, proposalStateName } from "../sdk/core/enums.js";
import { toProtocolError } from "../sdk/core/errors.js";
import { formatDuration, formatOpen, formatTime } from "../sdk/core/format.js";
import { decodeCredits } from "../sdk/core/inference.js";
import { readWeightsFile, writeWeightsFile } from "../sdk/core/weights.js";
import { deploySuite, readParameters } from "../tasks/lib/deploy.js";
import { table } from "../tasks/lib/table.js";
import { passProposal as passFiledProposal } from "./lib/world.js";

const OPEN = 10n ** 18n;
const WAD = 10n ** 18n;
const root = path.resolve(import.meta.dirname, "..");

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const accounts = await ethers.getSigners();
const [deployer, alice, bob, carol, dave, erin, frank, grace] = accounts;
// ignition/parameters/localhost.json names accounts 17, 18 and 19 as the oracle signers (threshold 2).
const oracleOne = accounts[17];
const oracleThree = accounts[19];
if (!deployer || !alice || !bob || !carol || !dave || !erin || !frank || !grace || !oracleOne || !oracleThree) {
  throw new Error("The in-process network needs twenty accounts.");
}
const names = new Map<string, string>([
  [deployer.address, "Foundation (deployer)"],
  [alice.address, "Alice"],
  [bob.address, "Bob"],
  [carol.address, "Carol"],
  [dave.address, "Dave"],
  [erin.address, "Erin"],
  [frank.address, "Frank"],
  [grace.address, "Grace"],
]);
const who = (address: string) => names.get(address) ?? address;
/** Inference ids are keccak256 hashes: the demo shows their first and last digits. */
const short = (id: bigint) => `${String(id).slice(0, 6)}…${String(id).slice(-4)}`;
const hex = (hash: string) => `${hash.slice(0, 10)}…${hash.slice(-4)}`;
const now = async () => BigInt((await ethers.provider.getBlock("latest"))?.timestamp ?? 0);

/** The SDK's sentence for a refusal (a client check or a decoded revert); anything else is a bug of the demo. */
function refusal(error: unknown): string {
  const refused = toProtocolError(error);
  if (refused === undefined) throw error;
  return refused.message;
}

let stepNo = 0;
function step(title: string): void {
  stepNo += 1;
  console.log(`\n${stepNo}. ${title}`);
}
function say(text: string): void {
  console.log(`   ${text}`);
}

/** Files a proposal and prints its state. */
async function fileProposal(
  proposer: HardhatEthersSigner,
  actions: ProposalAction[],
  description: string,
): Promise<FiledProposal> {
  const filed = await as(proposer).governance.propose(actions, description);
  say(
    `${who(proposer.address)} files proposal ${filed.proposalId.toString().slice(0, 12)}…: ${proposalStateName(Number(await governor.state(filed.proposalId)))}`,
  );
  return filed;
}

/** Carries a filed proposal through vote, queue and execute, printing each state (scripts/lib/world.ts). */
async function passProposal(filed: FiledProposal, votes: [HardhatEthersSigner, VoteChoice][]): Promise<void> {
  await passFiledProposal(
    foundation,
    filed,
    votes.map(([signer, choice]) => [as(signer), choice, who(signer.address)] as const),
    (timestamp) => networkHelpers.time.increaseTo(timestamp),
    say,
  );
}

// ------------------------------------------------------------------------------------------------
step("Deploy the suite with Ignition (ignition/modules/Protocol.ts, parameters ignition/parameters/localhost.json)");
const parameters = await readParameters(path.join(root, "ignition", "parameters", "localhost.json"));
const deployment = await deploySuite(connection, parameters, { root });
// One protocol client, the SDK's, acting as each actor in turn.
const foundation = createClient({ deployment, provider: ethers.provider, signer: deployer });
const as = (signer: HardhatEthersSigner) => foundation.connect(signer);
const { openToken, stakedOpen, governor, timelock, datanetRegistry, modelRegistry, inferenceRouter } =
  foundation.contracts;
const timelockAddress = await timelock.getAddress();
const stakedAddress = await stakedOpen.getAddress();
names.set(timelockAddress, "Treasury (timelock)");
names.set(stakedAddress, "StakedOpen (gOPEN)");
const datanetRegistryAddress = await datanetRegistry.getAddress();
const modelRegistryAddress = await modelRegistry.getAddress();
names.set(datanetRegistryAddress, "DatanetRegistry");
names.set(modelRegistryAddress, "ModelRegistry");
const routerAddress = await inferenceRouter.getAddress();
names.set(routerAddress, "InferenceRouter");
for (const [name, address] of Object.entries(deployment.addresses)) say(`${name.padEnd(15)} ${address}`);
const rewardPeriod = await stakedOpen.rewardPeriod();
say(
  `governor: voting delay ${formatDuration(await governor.votingDelay())}, period ${formatDuration(await governor.votingPeriod())}, ` +
    `threshold ${formatOpen(await governor.proposalThreshold(), "gOPEN")}, quorum ${await governor["quorumNumerator()"]()}%; ` +
    `timelock delay ${formatDuration(await timelock.getMinDelay())}; unstake cooldown ${formatDuration(await stakedOpen.cooldown())}; ` +
    `staking rewards stream over ${formatDuration(rewardPeriod)} periods`,
);

// ------------------------------------------------------------------------------------------------
step("Hand out OPEN");
for (const [signer, amount] of [
  [alice, 60_000n],
  [bob, 40_000n],
  [carol, 25_000n],
  [dave, 500n],
  [erin, 500n],
  [frank, 2_000n],
  [grace, 100n],
] as const) {
  await (await openToken.transfer(signer.address, amount * OPEN)).wait();
  say(`${who(signer.address).padEnd(6)} receives ${formatOpen(amount * OPEN)}`);
}

// ------------------------------------------------------------------------------------------------
step("Stake OPEN for gOPEN and delegate the votes");
const s1 = await as(alice).staking.stake(50_000n * OPEN);
say(`Alice stakes ${formatOpen(50_000n * OPEN)}${s1.usedPermit ? " with an EIP-2612 permit (one transaction)" : ""}`);
await (await openToken.connect(bob).approve(stakedAddress, 30_000n * OPEN)).wait();
await as(bob).staking.stake(30_000n * OPEN);
say(`Bob approves and stakes ${formatOpen(30_000n * OPEN)}`);
await as(carol).staking.stake(20_000n * OPEN);
say(`Carol stakes ${formatOpen(20_000n * OPEN)}`);
await as(alice).staking.delegate(alice.address);
await as(bob).staking.delegate(bob.address);
await as(carol).staking.delegate(alice.address);
say("Alice and Bob delegate to themselves; Carol delegates her votes to Alice");
const carolExit = await as(carol).staking.requestUnstake(5_000n * OPEN);
say(
  `Carol burns ${formatOpen(5_000n * OPEN, "gOPEN")} at once: ${formatOpen(carolExit.queued)} is queued, released at ${formatTime(carolExit.releaseTime)} (after the cooldown)`,
);
await networkHelpers.time.increaseTo(carolExit.releaseTime);
say(
  `votes: Alice ${formatOpen(await stakedOpen.getVotes(alice.address), "votes")}, Bob ${formatOpen(await stakedOpen.getVotes(bob.address), "votes")}, ` +
    `Carol ${formatOpen(await stakedOpen.getVotes(carol.address), "votes")} (gOPEN is non-transferable; votes follow delegation)`,
);

// ------------------------------------------------------------------------------------------------
step("Governance: Alice proposes a 14-day cooldown and a slash of Carol; the slash freezes Carol's withdrawals");
const description =
  "Raise the unstake cooldown to 14 days; slash Carol 1,000 OPEN for signing a falsified attribution report";
const slashAmount = 1_000n * OPEN;
const actions = [
  foundation.governance.buildAction("stakedOpen", "setCooldown", [14 * 24 * 3600]),
  foundation.governance.buildAction("stakedOpen", "slash", [
    carol.address,
    slashAmount,
    "signed a falsified attribution report",
  ]),
];
const slashProposal = await fileProposal(alice, actions, description);
say(
  `the governor freezes Carol's withdrawals until ${formatTime((await stakedOpen.pendingWithdrawal(carol.address)).frozenUntil)} ` +
    "(end of the vote + timelock delay + 1 day): a slash cannot be outrun",
);
try {
  await as(carol).staking.withdraw();
  throw new Error("A frozen withdrawal went through.");
} catch (error) {
  say(
    `Carol's cooldown is over and she tries to withdraw her ${formatOpen(carolExit.queued)}: refused — ${refusal(error)}`,
  );
}
await passProposal(slashProposal, [
  [alice, "for"],
  [bob, "against"],
]);
say(`StakedOpen.cooldown() is now ${formatDuration(await stakedOpen.cooldown())}`);
const carolQueued = await stakedOpen.pendingWithdrawal(carol.address);
say(
  `Carol was slashed ${formatOpen(slashAmount)} (from her stake first): her stake is ${formatOpen(await stakedOpen.balanceOf(carol.address), "gOPEN")}, ` +
    `${formatOpen(carolQueued.amount)} still queued and frozen until ${formatTime(carolQueued.frozenUntil)}; the treasury holds ${formatOpen(await openToken.balanceOf(timelockAddress))}`,
);

// ------------------------------------------------------------------------------------------------
step("Datanets: Carol creates a legal-precedents datanet; Dave and Erin contribute with a 10 OPEN bond");
const bond = 10n * OPEN;
const { datanetId } = await as(carol).datanets.create("ipfs://demo/legal-precedents.json", bond);
await as(carol).datanets.setCurator(datanetId, bob.address, true);
say(`datanet ${datanetId} created by Carol (owner and curator); Bob joins as curator`);
const documents: [HardhatEthersSigner, string][] = [
  [
    dave,
    "Smith v. Jones (2019): a contract signed under duress is voidable at the option of the coerced party, " +
      "who must act promptly once the pressure ends or be taken to have affirmed it.",
  ],
  [
    dave,
    "Doe v. Roe (2021): the limitation period for a latent injury starts when the claimant discovers the harm, " +
      "or could with reasonable diligence have discovered it, and not when the negligent act occurred.",
  ],
  [
    erin,
    "In re Acme (2020): as a company nears insolvency its directors owe their duties to the creditors as a whole, " +
      "and a payment that prefers one creditor over the others can be set aside by the liquidator.",
  ],
  [erin, "ALL CAPS SPAM: buy tokens now!!!"],
  [
    dave,
    "Park v. Lee (2022): an exchange of emails can satisfy the statutory writing requirement for a guarantee, " +
      "provided the guarantor's name typed at the foot of the message was meant as a signature.",
  ],
];
const contributionIds: bigint[] = [];
for (const [signer, text] of documents) {
  const bytes = toUtf8Bytes(text);
  const { contributionId, usedPermit } = await as(signer).datanets.contribute(
    datanetId,
    { bytes },
    `ipfs://demo/${keccak256(bytes).slice(2, 10)}`,
    { maxBond: bond },
  );
  contributionIds.push(contributionId);
  say(
    `${who(signer.address).padEnd(4)} contributes #${contributionId} (${bytes.length} bytes${usedPermit ? ", bond approved by permit" : ""}): "${text.length > 48 ? `${text.slice(0, 48)}…` : text}"`,
  );
}
say(`each bond was capped by the contributor's maxBond of ${formatOpen(bond)}`);
await as(carol).datanets.setBond(datanetId, 50n * OPEN);
const late = toUtf8Bytes(
  "Late filing: a notice served after the deadline is of no effect unless the court extends time.",
);
try {
  await as(erin).datanets.contribute(datanetId, { bytes: late }, "ipfs://demo/late", { maxBond: bond });
  throw new Error("A bond above maxBond was pulled.");
} catch (error) {
  say(`Carol raises the bond to 50 OPEN; Erin's next contribution, capped at 10 OPEN, is refused — ${refusal(error)}`);
}
await as(carol).datanets.setBond(datanetId, bond);
const duplicate = toUtf8Bytes(documents[0]![1]);
try {
  await as(erin).datanets.contribute(datanetId, { bytes: duplicate }, "ipfs://demo/copy");
  throw new Error("A duplicate contribution was accepted.");
} catch (error) {
  say(`Erin resubmits Dave's first document: refused — ${refusal(error)}`);
}
const spam = contributionIds[3]!;
const reviewed = await as(bob).datanets.review(
  contributionIds.filter((id) => id !== spam),
  [spam],
);
say(
  `Bob reviews the batch: ${reviewed.accepted} accepted (bonds refundable), #${spam} rejected (${formatOpen(reviewed.slashed)} bond to the treasury)`,
);
for (const signer of [dave, erin]) {
  const { amount } = await as(signer).datanets.claimRefund();
  say(`${who(signer.address)} claims ${formatOpen(amount)} of refunded bonds`);
}
const published = await as(carol).datanets.publishVersion(datanetId, (v) => `ipfs://demo/legal-precedents/v${v}.json`);
say(
  `Carol publishes version ${published.version}: ${published.count} accepted contributions, Merkle root ${published.root.slice(0, 18)}…`,
);
const proven = contributionIds[1]!;
const { proof } = await foundation.datanets.verifyInclusion(datanetId, published.version, proven, published.tree);
say(
  `anyone can prove on-chain that #${proven} is in version ${published.version} with a ${proof.length}-hash Merkle proof: verifyInclusion → true`,
);

// ------------------------------------------------------------------------------------------------
step("Models: Frank proposes a legal-assistant model trained on the datanet; governance approves it");
const proposed = await as(frank).models.propose(
  "ipfs://demo/legal-assistant.json",
  [datanetId],
  { inputRate: 6n * 10n ** 16n, outputRate: 2n * 10n ** 17n },
  { fileProposal: false },
);
say(
  `Frank proposes model ${proposed.modelId} (0.06 OPEN / 1k input, 0.2 OPEN / 1k output tokens), posting a ${formatOpen(proposed.bond)} bond ` +
    `(capped at ${formatOpen(proposed.maxBond)}): ${modelStateName((await modelRegistry.getModel(proposed.modelId)).state)}`,
);
const approval = foundation.models.approvalAction(proposed.modelId);
await passProposal(
  await fileProposal(alice, [approval], `Approve model #${proposed.modelId} (legal assistant) for inference`),
  [
    [alice, "for"],
    [bob, "for"],
  ],
);
say(
  `model ${proposed.modelId} is ${modelStateName((await modelRegistry.getModel(proposed.modelId)).state)}; Frank's bond is back: ${formatOpen(await openToken.balanceOf(frank.address))} in his wallet`,
);
await as(frank).models.registerArtifact(
  proposed.modelId,
  toUtf8Bytes("legal-assistant LoRA weights"),
  "ipfs://demo/legal-assistant.safetensors",
);
await as(frank).models.activate(proposed.modelId);
say(
  `Frank registers the trained weights and activates it: ${modelStateName((await modelRegistry.getModel(proposed.modelId)).state)}, ` +
    `trained on datanet(s) ${(await modelRegistry.modelDatanets(proposed.modelId)).join(", ")}`,
);

// ------------------------------------------------------------------------------------------------
step("Inference: Grace pays for four inferences; the oracle attributes them (2 of 3 signers)");
const modelId = proposed.modelId;
const requests: [bigint, bigint][] = [
  [2_000n, 1_000n], // the whitepaper's example
  [1_200n, 800n],
  [3_000n, 400n],
  [600n, 200n],
];
const inferences: bigint[] = [];
for (const [input, output] of requests) {
  const paid = await as(grace).inference.pay(modelId, input, output);
  inferences.push(paid.inferenceId);
  say(
    `inference ${short(paid.inferenceId)} (= keccak256(Grace, request ${paid.requestId.slice(0, 8)}…)): ${input} in + ${output} out tokens → ${formatOpen(paid.quote.fee)}: ` +
      `creator ${formatOpen(paid.quote.creatorShare)}, stakers ${formatOpen(paid.quote.stakersShare)}, data pool ${formatOpen(paid.quote.pool)}, platform ${formatOpen(paid.quote.platformFee)}`,
  );
}
say(`the stakers' shares wait in the router: ${formatOpen(await inferenceRouter.stakersOwed())} owed to gOPEN`);
// The Proof-of-Attribution engine: index the accepted texts (each checked against its on-chain content
// hash), then attribute each model output to the contributions it reproduces.
const texts = new Map(
  documents.map(([, text], i) => [
    contributionIds[i]!,
    {
      contributionId: contributionIds[i]!,
      text,
      contentHash: keccak256(toUtf8Bytes(text)),
      source: `document ${i + 1}`,
    },
  ]),
);
const indexed = await foundation.attribution.corpus([datanetId], texts);
const attributionIndex = buildIndex(indexed.documents);
say(
  `the oracle indexes the ${attributionIndex.contributionIds.length} accepted texts of datanet ${datanetId} ` +
    "in a suffix array (the spam is not accepted, so not indexed)",
);
const outputs = [
  // The model's answers: each reuses passages of the precedents it was trained on.
  "Under Smith v. Jones, a contract signed under duress is voidable at the option of the coerced party, who must act " +
    "promptly. For a hidden injury, the limitation period for a latent injury starts when the claimant discovers the harm.",
  "Yes: an exchange of emails can satisfy the statutory writing requirement for a guarantee, provided the guarantor's name " +
    "typed at the foot of the message was meant as a signature. Keep the thread.",
  "Near insolvency the directors owe their duties to the creditors as a whole, and a payment that prefers one creditor " +
    "over the others can be set aside by the liquidator. A guarantee given by email can satisfy the statutory writing requirement for a guarantee.",
];
const reports: AttributionReport[] = [];
const signedAt = await now();
for (const [k, output] of outputs.entries()) {
  const inferenceId = inferences[k]!;
  const { attribution } = await foundation.attribution.attribute(attribute, attributionIndex, inferenceId, output);
  if (k === 0) {
    say(
      `each report names the output's keccak256 and the index commitment ${hex(attribution.indexCommitment)} ` +
        "(the contributions indexed, their content hashes and the engine's parameters)",
    );
  }
  // The weights file the oracle signs, written and read by the SDK as attribution compute and :sign do.
  const [report] = readWeightsFile(JSON.parse(writeWeightsFile(inferenceId, attribution)), "the engine", signedAt);
  reports.push(report!);
  const shares = attribution.scores
    .map(
      (s) =>
        `#${s.contributionId} ${(Number(s.weight / 10n ** 12n) / 1e4).toFixed(2)}% (${s.spans} span${s.spans === 1 ? "" : "s"})`,
    )
    .join(", ");
  say(
    `inference ${short(inferenceId)}: ${attribution.matchedWords} of ${attribution.outputWords} output words found in the datanet → ${shares}`,
  );
}
const oracle = [oracleOne, oracleThree];
const [single, ...batch] = reports as [AttributionReport, ...AttributionReport[]];
const settledSingle = await foundation.attribution.push(await foundation.attribution.sign([single], oracle));
const [singleEvent] = await inferenceRouter.queryFilter(inferenceRouter.filters.InferenceSettled(single.inferenceId));
say(
  `inference ${short(single.inferenceId)} (the whitepaper's 0.128 OPEN pool) settled alone: ` +
    decodeCredits(singleEvent!.args.credits)
      .map((c) => `#${c.contributionId} earns ${formatOpen(c.amount)}`)
      .join(", ") +
    `; ${formatOpen(settledSingle.settled[0]!.toTreasury)} of rounding dust to the treasury`,
);
say(
  `InferenceSettled commits to output ${hex(singleEvent!.args.outputHash)} (keccak256 of the answer: ${singleEvent!.args.outputHash === keccak256(toUtf8Bytes(outputs[0]!))}) ` +
    `and index ${hex(singleEvent!.args.indexCommitment)}: anyone with the texts can recompute the weights`,
);
const signedBatch = await foundation.attribution.sign(batch, oracle);
const adversarial = contributionIds[2]!;
await as(carol).datanets.penalize(adversarial, "copied from a paywalled commentary");
say(
  `the oracle signs inferences ${batch.map((r) => short(r.inferenceId)).join(" and ")} as one batch; before it lands Carol penalizes #${adversarial} (Erin's, found copied)`,
);
const settledBatch = await foundation.attribution.push(signedBatch);
for (const s of settledBatch.settled) {
  const lost = s.forfeited.map(
    (f) => `#${f.contributionId} forfeits its ${formatOpen(f.amount)} share to the treasury`,
  );
  say(
    `inference ${short(s.inferenceId)} settles: ${formatOpen(s.credited)} credited${lost.length > 0 ? `; ${lost.join(", ")}` : ""} (${formatOpen(s.toTreasury)} to the treasury in all)`,
  );
}
say("one penalized contribution no longer holds the batch hostage: the rest of the report and of the batch settle");
await networkHelpers.time.increase(Number(await inferenceRouter.attributionWindow()) + 1);
const expired = await foundation.inference.expire(inferences[3]!);
say(
  `nobody attributed inference ${short(inferences[3]!)} within ${formatDuration(await inferenceRouter.attributionWindow())}: anyone expires it and its ${formatOpen(expired.pool)} pool goes to the treasury`,
);
for (const signer of [frank, dave, erin]) {
  if ((await inferenceRouter.creditOf(signer.address)) === 0n) {
    say(`${who(signer.address).padEnd(5)} has no inference earnings: her only attributed contribution was penalized`);
    continue;
  }
  const { amount } = await as(signer).rewards.claim();
  say(`${who(signer.address).padEnd(5)} claims ${formatOpen(amount)} of inference earnings`);
}
const { amount: swept } = await foundation.inference.sweepToTreasury();
say(
  `platform fees, the expired pool, the forfeited share and rounding dust (${formatOpen(swept)}) are swept to the treasury`,
);

// ------------------------------------------------------------------------------------------------
step("Staking rewards: the stakers' share is released to gOPEN and streamed over a reward period");
const released = await foundation.inference.releaseStakerRewards();
say(
  `anyone releases the router's ${formatOpen(released.amount)} of stakers' shares: it streams from ${formatTime(released.streamStart)} to ${formatTime(released.streamEnd)}`,
);
const topUp = 1_000n * OPEN;
await (await openToken.approve(stakedAddress, topUp)).wait();
await (await stakedOpen.notifyReward(topUp)).wait();
const [, , queuedRewards] = await stakedOpen.rewardStream();
say(
  `the foundation adds ${formatOpen(topUp)} with notifyReward (anyone may): ${formatOpen(queuedRewards)} queued for that period`,
);
const streamStart = released.streamStart;
const streamEnd = released.streamEnd;
await networkHelpers.time.increaseTo(streamStart + rewardPeriod / 2n);
await as(frank).staking.stake(1_000n * OPEN);
say(
  `halfway through the stream Frank stakes ${formatOpen(1_000n * OPEN)}: he earns only for the seconds he holds it, not a share of what was paid before`,
);
await networkHelpers.time.increaseTo(streamEnd);
say(`the period is over and the whole ${formatOpen(queuedRewards)} has streamed; earned, pro rata to stake × time:`);
for (const signer of [alice, bob, carol, frank]) {
  say(
    `  ${who(signer.address).padEnd(6)} ${formatOpen(await stakedOpen.balanceOf(signer.address), "gOPEN").padStart(12)}  earned ${formatOpen(await stakedOpen.earned(signer.address))}`,
  );
}
for (const signer of [alice, carol, frank]) {
  const { amount } = await as(signer).staking.claimRewards();
  say(`${who(signer.address)} claims ${formatOpen(amount)}`);
}
const dust = (await stakedOpen.dustScaled()) / WAD;
if (dust > 0n) {
  await foundation.staking.sweepDust();
  say(
    `a period's rewards ÷ its seconds and the stream ÷ the stake do not divide exactly: ${dust} wei of dust swept to the treasury`,
  );
}

// ------------------------------------------------------------------------------------------------
step("Unstake: Carol withdraws once her freeze is over; Bob burns 10,000 gOPEN and withdraws after the new cooldown");
const carolOut = await as(carol).staking.withdraw();
say(`the slash was decided and the freeze has ended: Carol withdraws ${formatOpen(carolOut.amount)}`);
const unstaked = await as(bob).staking.requestUnstake(10_000n * OPEN);
say(
  `Bob's votes drop to ${formatOpen(await stakedOpen.getVotes(bob.address), "votes")} at once; ${formatOpen(unstaked.queued)} queued until ${formatTime(unstaked.releaseTime)}`,
);
await networkHelpers.time.increaseTo(unstaked.releaseTime);
const withdrawn = await as(bob).staking.withdraw();
say(`after ${formatDuration(await stakedOpen.cooldown())} Bob withdraws ${formatOpen(withdrawn.amount)}`);

// ------------------------------------------------------------------------------------------------
step("Ledger: where every OPEN is");
const holders = [
  deployer.address,
  alice.address,
  bob.address,
  carol.address,
  dave.address,
  erin.address,
  frank.address,
  grace.address,
  timelockAddress,
  stakedAddress,
  datanetRegistryAddress,
  modelRegistryAddress,
  routerAddress,
];
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

// The conservation laws of sdk/core/conservation.ts, read from the chain by the client's ledger: the same checks
// the tests and `status` rely on.
const ledger = await foundation.ledger.check();
console.log("\n   Conservation checks");
for (const law of ledger.laws) say(`${law.holds ? "ok  " : "FAIL"} ${law.statement}`);
const supply = await openToken.totalSupply();
say(`${total === supply ? "ok  " : "FAIL"} the ledger above adds up to the total supply (${formatOpen(supply)})`);
const unbalanced = ledger.fees.filter((f) => !f.holds);
say(
  `${unbalanced.length === 0 ? "ok  " : "FAIL"} each inference's fee == creator + stakers + contributors + treasury ` +
    `(forfeits and dust included), to the wei (${ledger.fees.length} inferences)`,
);
if (!ledger.holds || total !== supply) {
  console.error("\nConservation check failed: some OPEN is unaccounted for.");
  process.exitCode = 1;
} else {
  console.log("\nEvery wei is accounted for.");
}
