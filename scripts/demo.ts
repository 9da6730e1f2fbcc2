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

import { keccak256, toUtf8Bytes } from "ethers";

import { contributionProof } from "../sdk/merkle.js";
import { describeError, formatDuration, formatOpen, proposalStateName } from "../tasks/lib/cli.js";
import { bindContracts, type ProtocolContext } from "../tasks/lib/context.js";
import { deploySuite, readParameters } from "../tasks/lib/deploy.js";
import { contribute, createDatanet, publishVersion, review, setCurator } from "../tasks/lib/datanets.js";
import {
  buildAction,
  castVote,
  execute,
  propose,
  queue,
  type ProposalAction,
  type VoteChoice,
} from "../tasks/lib/governance.js";
import { TOKENIZER, buildIndex, weightsJson } from "../attribution/index.js";
import type { AttributionReport } from "../sdk/eip712.js";
import { expireInference, parseWeightsFile, pushAttribution, signAttribution } from "../tasks/lib/attribution.js";
import { attributeInference, registeredDocuments } from "../tasks/lib/engine.js";
import { claimCredits, payInference } from "../tasks/lib/inference.js";
import { activateModel, modelStateName, proposeModel, registerArtifact } from "../tasks/lib/models.js";
import { claimStakingRewards, delegate, requestUnstake, stake, withdraw } from "../tasks/lib/staking.js";
import { table } from "../tasks/lib/table.js";

const OPEN = 10n ** 18n;
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

let stepNo = 0;
function step(title: string): void {
  stepNo += 1;
  console.log(`\n${stepNo}. ${title}`);
}
function say(text: string): void {
  console.log(`   ${text}`);
}

/** Carries a proposal through vote, queue and execute, printing each state. */
async function passProposal(
  proposer: HardhatEthersSigner,
  actions: ProposalAction[],
  description: string,
  votes: [HardhatEthersSigner, VoteChoice][],
): Promise<void> {
  const filed = await propose(as(proposer), actions, description);
  say(
    `${who(proposer.address)} files proposal ${filed.proposalId.toString().slice(0, 12)}…: ${proposalStateName(Number(await governor.state(filed.proposalId)))}`,
  );
  await networkHelpers.time.increaseTo(filed.voteStart + 1n);
  for (const [signer, choice] of votes) {
    const { weight } = await castVote(as(signer), filed.proposalId, choice);
    say(`${who(signer.address)} votes ${choice} with ${formatOpen(weight, "votes")}`);
  }
  const tally = await governor.proposalVotes(filed.proposalId);
  await networkHelpers.time.increaseTo(filed.voteEnd + 1n);
  say(
    `voting closed (for ${formatOpen(tally.forVotes, "votes")}, against ${formatOpen(tally.againstVotes, "votes")}, abstain ${formatOpen(tally.abstainVotes, "votes")}): ` +
      proposalStateName(Number(await governor.state(filed.proposalId))),
  );
  const { eta } = await queue(foundation, filed.proposalId);
  say(`queued in the timelock until ${formatDuration(await timelock.getMinDelay())} have passed`);
  await networkHelpers.time.increaseTo(eta);
  await execute(foundation, filed.proposalId);
  say(`executed: ${proposalStateName(Number(await governor.state(filed.proposalId)))}`);
}

// ------------------------------------------------------------------------------------------------
step("Deploy the suite with Ignition (ignition/modules/Protocol.ts, parameters ignition/parameters/localhost.json)");
const parameters = await readParameters(path.join(root, "ignition", "parameters", "localhost.json"));
const deployment = await deploySuite(connection, parameters, { root });
const as = (signer: HardhatEthersSigner): ProtocolContext => bindContracts(connection, deployment, signer);
const foundation = as(deployer);
const { openToken, stakedOpen, governor, timelock, datanetRegistry, modelRegistry, inferenceRouter } = foundation;
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
say(
  `governor: voting delay ${formatDuration(await governor.votingDelay())}, period ${formatDuration(await governor.votingPeriod())}, ` +
    `threshold ${formatOpen(await governor.proposalThreshold(), "gOPEN")}, quorum ${await governor["quorumNumerator()"]()}%; ` +
    `timelock delay ${formatDuration(await timelock.getMinDelay())}; unstake cooldown ${formatDuration(await stakedOpen.cooldown())}`,
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
await passProposal(alice, actions, description, [
  [alice, "for"],
  [bob, "against"],
]);
say(
  `StakedOpen.cooldown() is now ${formatDuration(await stakedOpen.cooldown())}; foundation is a reward notifier: ${await stakedOpen.isRewardNotifier(deployer.address)}`,
);
say(
  `Carol was slashed ${formatOpen(slashAmount)}: her stake is ${formatOpen(await stakedOpen.balanceOf(carol.address), "gOPEN")}, ` +
    `the treasury holds ${formatOpen(await openToken.balanceOf(timelockAddress))}`,
);

// ------------------------------------------------------------------------------------------------
step("Datanets: Carol creates a legal-precedents datanet; Dave and Erin contribute with a 10 OPEN bond");
const { datanetId } = await createDatanet(as(carol), "ipfs://demo/legal-precedents.json", 10n * OPEN);
await setCurator(as(carol), datanetId, bob.address, true);
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
  const { contributionId, usedPermit } = await contribute(
    as(signer),
    datanetId,
    keccak256(bytes),
    `ipfs://demo/${keccak256(bytes).slice(2, 10)}`,
    BigInt(bytes.length),
  );
  contributionIds.push(contributionId);
  say(
    `${who(signer.address).padEnd(4)} contributes #${contributionId} (${bytes.length} bytes${usedPermit ? ", bond approved by permit" : ""}): "${text.length > 48 ? `${text.slice(0, 48)}…` : text}"`,
  );
}
const duplicate = toUtf8Bytes(documents[0]![1]);
try {
  await contribute(as(erin), datanetId, keccak256(duplicate), "ipfs://demo/copy", BigInt(duplicate.length));
  throw new Error("A duplicate contribution was accepted.");
} catch (error) {
  say(`Erin resubmits Dave's first document: refused — ${describeError(error)}`);
}
const spam = contributionIds[3]!;
const reviewed = await review(
  as(bob),
  contributionIds.filter((id) => id !== spam),
  [spam],
);
say(
  `Bob reviews the batch: ${reviewed.accepted} accepted (bonds refundable), #${spam} rejected (${formatOpen(reviewed.slashed)} bond to the treasury)`,
);
for (const signer of [dave, erin]) {
  const refund = await datanetRegistry.refundOf(signer.address);
  await (await datanetRegistry.connect(signer).claimRefund()).wait();
  say(`${who(signer.address)} claims ${formatOpen(refund)} of refunded bonds`);
}
const published = await publishVersion(as(carol), datanetId, (v) => `ipfs://demo/legal-precedents/v${v}.json`);
say(
  `Carol publishes version ${published.version}: ${published.count} accepted contributions, Merkle root ${published.root.slice(0, 18)}…`,
);
const proven = contributionIds[1]!;
const included = await datanetRegistry.verifyInclusion(
  datanetId,
  published.version,
  proven,
  contributionProof(published.tree, proven) ?? [],
);
say(`anyone can prove on-chain that #${proven} is in version ${published.version}: verifyInclusion → ${included}`);

// ------------------------------------------------------------------------------------------------
step("Models: Frank proposes a legal-assistant model trained on the datanet; governance approves it");
const proposed = await proposeModel(
  as(frank),
  "ipfs://demo/legal-assistant.json",
  [datanetId],
  { inputRate: 6n * 10n ** 16n, outputRate: 2n * 10n ** 17n },
  { skipProposal: true },
);
say(
  `Frank proposes model ${proposed.modelId} (0.06 OPEN / 1k input, 0.2 OPEN / 1k output tokens), posting a ${formatOpen(proposed.bond)} bond: ${modelStateName((await modelRegistry.getModel(proposed.modelId)).state)}`,
);
const approval = await buildAction(
  foundation,
  "modelRegistry",
  "approveModel",
  JSON.stringify([proposed.modelId.toString()]),
);
await passProposal(alice, [approval], `Approve model #${proposed.modelId} (legal assistant) for inference`, [
  [alice, "for"],
  [bob, "for"],
]);
say(
  `model ${proposed.modelId} is ${modelStateName((await modelRegistry.getModel(proposed.modelId)).state)}; Frank's bond is back: ${formatOpen(await openToken.balanceOf(frank.address))} in his wallet`,
);
await registerArtifact(
  as(frank),
  proposed.modelId,
  keccak256(toUtf8Bytes("legal-assistant LoRA weights")),
  "ipfs://demo/legal-assistant.safetensors",
  0n,
);
await activateModel(as(frank), proposed.modelId);
const terms = await modelRegistry.inferenceTerms(proposed.modelId);
say(
  `Frank registers the trained weights and activates it: ${modelStateName(terms.state)}, trained on datanet(s) ${terms.datanetIds.join(", ")}`,
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
const feeOf = new Map<bigint, bigint>();
for (const [input, output] of requests) {
  const paid = await payInference(as(grace), modelId, input, output);
  inferences.push(paid.inferenceId);
  feeOf.set(paid.inferenceId, paid.quote.fee);
  say(
    `inference ${paid.inferenceId}: ${input} in + ${output} out tokens → ${formatOpen(paid.quote.fee)}: creator ${formatOpen(paid.quote.creatorShare)}, ` +
      `stakers ${formatOpen(paid.quote.stakersShare)}, data pool ${formatOpen(paid.quote.pool)}, platform ${formatOpen(paid.quote.platformFee)}`,
  );
}
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
const indexed = await registeredDocuments(foundation, [datanetId], texts);
const attributionIndex = buildIndex(indexed.documents);
say(
  `the oracle indexes the ${attributionIndex.contributionIds.length} accepted texts of datanet ${datanetId} ` +
    `(${attributionIndex.tokenCount} ${TOKENIZER} tokens, suffix array; the spam is not accepted, so not indexed)`,
);
const outputs = [
  // The model's answers: each reuses passages of the precedents it was trained on.
  "Under Smith v. Jones, a contract signed under duress is voidable at the option of the coerced party, who must act " +
    "promptly. For a hidden injury, the limitation period for a latent injury starts when the claimant discovers the harm.",
  "Yes: an exchange of emails can satisfy the statutory writing requirement for a guarantee, provided the guarantor's name " +
    "typed at the foot of the message was meant as a signature. Keep the thread.",
  "Near insolvency the directors owe their duties to the creditors as a whole, and a payment that prefers one creditor " +
    "over the others can be set aside by the liquidator. Take advice early.",
];
const reports: AttributionReport[] = [];
const block = await ethers.provider.getBlock("latest");
const deadline = BigInt(block?.timestamp ?? 0) + 86_400n;
for (const [k, output] of outputs.entries()) {
  const inferenceId = inferences[k]!;
  const { attribution } = await attributeInference(foundation, attributionIndex, inferenceId, output);
  const [report] = parseWeightsFile(
    JSON.parse(weightsJson(inferenceId, attribution)),
    "the engine",
    deadline - 86_400n,
  );
  reports.push(report!);
  const shares = attribution.scores
    .map(
      (s) =>
        `#${s.contributionId} ${(Number(s.weight / 10n ** 12n) / 1e4).toFixed(2)}% (${s.spans} span${s.spans === 1 ? "" : "s"})`,
    )
    .join(", ");
  say(
    `inference ${inferenceId}: ${attribution.matchedTokens} of ${attribution.outputTokens} output tokens found in the datanet → ${shares}`,
  );
}
const oracle = [oracleOne, oracleThree];
const [single, ...batch] = reports as [AttributionReport, ...AttributionReport[]];
const settledSingle = await pushAttribution(foundation, await signAttribution(foundation, [single], oracle));
const [singleEvent] = await inferenceRouter.queryFilter(inferenceRouter.filters.InferenceSettled(single.inferenceId));
say(
  `inference ${single.inferenceId} (the whitepaper's 0.128 OPEN pool) settled alone: ` +
    single.contributionIds.map((id, i) => `#${id} earns ${formatOpen(singleEvent!.args.amounts[i]!)}`).join(", ") +
    `; ${formatOpen(settledSingle.settled[0]!.toTreasury)} of rounding dust to the treasury`,
);
const settledBatch = await pushAttribution(foundation, await signAttribution(foundation, batch, oracle));
say(
  `inferences ${batch.map((r) => r.inferenceId).join(" and ")} settled in one batch under one pair of signatures ` +
    `(${settledBatch.settled.map((x) => formatOpen(x.credited)).join(", ")} credited; the unattributed remainder is shared pro rata)`,
);
await networkHelpers.time.increase(Number(await inferenceRouter.attributionWindow()) + 1);
const expired = await expireInference(foundation, inferences[3]!);
say(
  `nobody attributed inference ${inferences[3]} within ${formatDuration(await inferenceRouter.attributionWindow())}: anyone expires it and its ${formatOpen(expired.pool)} pool goes to the treasury`,
);
for (const signer of [frank, dave, erin]) {
  const { amount } = await claimCredits(as(signer));
  say(`${who(signer.address).padEnd(5)} claims ${formatOpen(amount)} of inference earnings`);
}
const swept = await inferenceRouter.treasuryOwed();
await (await inferenceRouter.sweepToTreasury()).wait();
say(`platform fees, the expired pool and rounding dust (${formatOpen(swept)}) are swept to the treasury`);

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
let pendingBonds = 0n;
for (let id = 1n; id <= (await datanetRegistry.contributionCount()); id++) {
  const c = await datanetRegistry.getContribution(id);
  if (c.status === 1n) pendingBonds += c.bond;
}
let refundsOwed = 0n;
for (const holder of holders) refundsOwed += await datanetRegistry.refundOf(holder);
let proposedBonds = 0n;
for (let id = 1n; id <= (await modelRegistry.modelCount()); id++) {
  const m = await modelRegistry.getModel(id);
  if (m.state === 1n) proposedBonds += m.bond;
}
checks.push(
  [
    "DatanetRegistry's OPEN == bonds of pending contributions + refunds not yet claimed",
    (await openToken.balanceOf(datanetRegistryAddress)) === pendingBonds + refundsOwed,
  ],
  [
    "ModelRegistry's OPEN == bonds of proposed models",
    (await openToken.balanceOf(modelRegistryAddress)) === proposedBonds,
  ],
);
let credits = 0n;
for (const holder of holders) credits += await inferenceRouter.creditOf(holder);
let pendingPools = 0n;
for (let id = 1n; id <= (await inferenceRouter.inferenceCount()); id++) {
  const inference = await inferenceRouter.getInference(id);
  if (inference.status === 1n) pendingPools += inference.pool;
}
checks.push([
  "InferenceRouter's OPEN == unclaimed credits + pending pools + owed to the treasury",
  (await openToken.balanceOf(routerAddress)) === credits + pendingPools + (await inferenceRouter.treasuryOwed()),
]);
const paidEvents = await inferenceRouter.queryFilter(inferenceRouter.filters.InferencePaid());
const settledEvents = await inferenceRouter.queryFilter(inferenceRouter.filters.InferenceSettled());
const expiredEvents = await inferenceRouter.queryFilter(inferenceRouter.filters.InferenceExpired());
let everyFee = paidEvents.length > 0;
for (const paid of paidEvents) {
  const { inferenceId, fee, creatorShare, stakersShare, platformFee } = paid.args;
  const settledEvent = settledEvents.find((e) => e.args.inferenceId === inferenceId);
  const expiredEvent = expiredEvents.find((e) => e.args.inferenceId === inferenceId);
  if (settledEvent === undefined && expiredEvent === undefined) {
    everyFee = false; // every inference of the demo ends settled or expired
    continue;
  }
  const contributors = settledEvent ? settledEvent.args.amounts.reduce((a, b) => a + b, 0n) : 0n;
  const treasuryPart =
    platformFee + (settledEvent ? settledEvent.args.toTreasury : 0n) + (expiredEvent ? expiredEvent.args.pool : 0n);
  if (creatorShare + stakersShare + contributors + treasuryPart !== fee) everyFee = false;
}
checks.push([
  `each inference's fee == creator + stakers + contributors + treasury, to the wei (${paidEvents.length} inferences)`,
  everyFee,
]);
for (const [label, ok] of checks) say(`${ok ? "ok  " : "FAIL"} ${label}`);
if (checks.some(([, ok]) => !ok)) {
  console.error("\nConservation check failed: some OPEN is unaccounted for.");
  process.exitCode = 1;
} else {
  console.log("\nEvery wei is accounted for.");
}
