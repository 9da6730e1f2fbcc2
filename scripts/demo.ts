/**
 * `npm run demo`: the protocol's lifecycle on a local chain, printed step by step.
 *
 * Starts `hardhat node` on 127.0.0.1 (a free port) and deploys the suite to it with the `deploy` task, through the
 * same Ignition module as production (with governance timings in seconds); hands OPEN to named actors, stakes and
 * delegates, carries a governance proposal through vote, queue and execute (a slash that freezes the staker's
 * withdrawals while it is pending), runs datanets and a model. Three oracle nodes (`npx hardhat oracle start`
 * processes, 2 of 3 signatures to settle) then attribute the paid inferences on their own: the model's creator
 * posts each output to them, and they index the datanet, attribute, co-sign and settle. The stakers' share is
 * released and streamed, stakes are withdrawn, and the run ends with a ledger of where every OPEN is and
 * conservation checks that fail loudly if a wei is missing. Every process it starts is stopped at the end, on an
 * error and on Ctrl-C.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";

import { JsonRpcProvider, Wallet, keccak256, toUtf8Bytes } from "ethers";

import { attribute, buildIndex } from "../attribution/index.js";
import { createClient, type FiledProposal, type ProposalAction, type VoteChoice } from "../sdk/client/index.js";
import { outputDomain, outputHashOf, signInferenceOutput } from "../sdk/core/eip712.js";
import { modelStateName, proposalStateName } from "../sdk/core/enums.js";
import { toProtocolError } from "../sdk/core/errors.js";
import { formatDuration, formatOpen, formatTime } from "../sdk/core/format.js";
import { decodeCredits } from "../sdk/core/inference.js";
import { readParameters } from "../tasks/lib/deploy.js";
import { table } from "../tasks/lib/table.js";
import { deployToNode, portOr, startHardhatNode, type LocalNode } from "./lib/local-node.js";
import { startOracleNetwork, until, type OracleNetwork, type OracleProcess } from "./lib/oracle-nodes.js";
import { nodeClock, nodeKey, passProposal as passFiledProposal } from "./lib/world.js";

const OPEN = 10n ** 18n;
const WAD = 10n ** 18n;
const root = path.resolve(import.meta.dirname, "..");
/** The network of hardhat.config.ts the demo's chain is reached as (its URL in DEMO_RPC_URL), and its deployment. */
const NETWORK = "demo";
/** The accounts of `hardhat node` (Hardhat's default mnemonic). */
const NODE_ACCOUNTS = 20;
/** The depth at which the oracle nodes act on an event (their default, against reorgs). */
const CONFIRMATIONS = 2;

// What the demo starts: `shutDown` stops it at the end, on an error and on Ctrl-C.
let chain: LocalNode | undefined;
let provider: JsonRpcProvider | undefined;
let gateway: Server | undefined;
let oracles: OracleNetwork | undefined;
let oraclesStarting: Promise<OracleNetwork> | undefined;
let dataDir: string | undefined;
let stopping: Promise<void> | undefined;

/** Stops the oracle nodes, the texts' gateway and the chain, and removes the files that name the chain. */
function shutDown(): Promise<void> {
  stopping ??= (async () => {
    const network = oracles ?? (await oraclesStarting?.catch(() => undefined));
    const codes = (await network?.stop().catch(() => undefined)) ?? [];
    if (codes.length > 0) say(`the ${codes.length} oracle nodes stop on SIGTERM (exit codes ${codes.join(", ")})`);
    await new Promise<void>((resolve) => (gateway === undefined ? resolve() : gateway.close(() => resolve())));
    provider?.destroy();
    await chain?.stop().catch(() => undefined);
    // The chain is gone with the node: its deployment record and Ignition journal would only mislead.
    await rm(path.join(root, "deployments", `${NETWORK}.json`), { force: true });
    await rm(path.join(root, "ignition", "deployments", NETWORK), { recursive: true, force: true });
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  })();
  return stopping;
}
for (const [signal, code] of [
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const) {
  process.once(signal, () => void shutDown().finally(() => process.exit(code)));
}

const names = new Map<string, string>();
const who = (address: string) => names.get(address) ?? address;
/** Inference ids are keccak256 hashes: the demo shows their first and last digits. */
const short = (id: bigint) => `${String(id).slice(0, 6)}…${String(id).slice(-4)}`;
const hex = (hash: string) => `${hash.slice(0, 10)}…${hash.slice(-4)}`;
/** The URI a contribution is registered with: its text on IPFS (served here by the demo's gateway). */
const uriOf = (bytes: Uint8Array) => `ipfs://demo/${keccak256(bytes).slice(2, 10)}`;
/** What the demo's IPFS gateway serves: each contributed text at /ipfs/<the part of its URI after ipfs://>. */
const gatewayFiles = new Map<string, Uint8Array>();

interface Weight {
  contributionId: bigint;
  weight: bigint;
}
/** Weights as the demo prints them: each contribution's share, in percent. */
const weightsText = (weights: readonly Weight[]) =>
  sortWeights(weights)
    .map((w) => `#${w.contributionId} ${(Number(w.weight / 10n ** 12n) / 1e4).toFixed(2)}%`)
    .join(", ");
/** Weights exactly, to compare two attributions. */
const weightsKey = (weights: readonly Weight[]) =>
  sortWeights(weights)
    .map((w) => `${w.contributionId}:${w.weight}`)
    .join(",");
const sortWeights = (weights: readonly Weight[]) =>
  [...weights].sort((a, b) => (a.contributionId < b.contributionId ? -1 : 1));

/** An inference's settlement as the chain records it. */
interface Settlement {
  hash: string;
  block: number;
  /** Who sent the transaction, and which router call it was. */
  from: string;
  call: string;
  /** Reports in that call, and the oracle signers whose signatures it carried. */
  reports: number;
  signers: string[];
  weights: Weight[];
  credits: { contributionId: bigint; amount: bigint }[];
  forfeited: { contributionId: bigint; amount: bigint }[];
  toTreasury: bigint;
  outputHash: string;
  indexCommitment: string;
}

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

try {
  // ------------------------------------------------------------------------------------------------
  step(
    "Deploy the suite with Ignition to a local hardhat node (ignition/modules/Protocol.ts, parameters ignition/parameters/localhost.json)",
  );
  chain = await startHardhatNode(root, await portOr(0));
  const deployment = await deployToNode(root, chain.url, NETWORK, NETWORK);
  const rpc = new JsonRpcProvider(chain.url, deployment.chainId, { staticNetwork: true, cacheTimeout: -1 });
  provider = rpc;
  say(`hardhat node on ${chain.url} (chain ${deployment.chainId}); the deploy task wrote deployments/${NETWORK}.json`);
  const accounts = Array.from({ length: NODE_ACCOUNTS }, (_, i) => new Wallet(nodeKey(i), rpc));
  const [deployer, alice, bob, carol, dave, erin, frank, grace] = accounts;
  if (!deployer || !alice || !bob || !carol || !dave || !erin || !frank || !grace) {
    throw new Error("hardhat node has fewer accounts than the demo's actors.");
  }
  for (const [signer, name] of [
    [deployer, "Foundation (deployer)"],
    [alice, "Alice"],
    [bob, "Bob"],
    [carol, "Carol"],
    [dave, "Dave"],
    [erin, "Erin"],
    [frank, "Frank"],
    [grace, "Grace"],
  ] as const) {
    names.set(signer.address, name);
  }
  const parameters = await readParameters(path.join(root, "ignition", "parameters", "localhost.json"));
  // The oracle signers the parameters name, found among the node's accounts (17, 18 and 19): one node each.
  const oracleSigners = parameters.Inference?.oracleSigners;
  if (!Array.isArray(oracleSigners)) throw new Error("localhost.json names no Inference.oracleSigners.");
  const oracleAccounts = oracleSigners.map((signer) => {
    const index = accounts.findIndex((a) => a.address.toLowerCase() === String(signer).toLowerCase());
    if (index < 0) throw new Error(`The oracle signer ${String(signer)} is not an account of hardhat node.`);
    return index;
  });
  oracleAccounts.forEach((index, i) => names.set(accounts[index]!.address, `oracle node ${i + 1}`));
  // One protocol client, the SDK's, acting as each actor in turn.
  const foundation = createClient({ deployment, provider: rpc, signer: deployer });
  const as = (signer: Wallet) => foundation.connect(signer);
  const increaseTo = nodeClock(rpc);
  const { openToken, stakedOpen, governor, timelock, datanetRegistry, modelRegistry, inferenceRouter } =
    foundation.contracts;

  /** Files a proposal and prints its state. */
  const fileProposal = async (
    proposer: Wallet,
    actions: ProposalAction[],
    description: string,
  ): Promise<FiledProposal> => {
    const filed = await as(proposer).governance.propose(actions, description);
    say(
      `${who(proposer.address)} files proposal ${filed.proposalId.toString().slice(0, 12)}…: ${proposalStateName(Number(await governor.state(filed.proposalId)))}`,
    );
    return filed;
  };

  /** Carries a filed proposal through vote, queue and execute, printing each state (scripts/lib/world.ts). */
  const passProposal = (filed: FiledProposal, votes: [Wallet, VoteChoice][]): Promise<void> =>
    passFiledProposal(
      foundation,
      filed,
      votes.map(([signer, choice]) => [as(signer), choice, who(signer.address)] as const),
      increaseTo,
      say,
    );

  /** Inference `id`'s settlement, read from the chain: its event, the transaction and the call that carried it. */
  const settlementOf = async (id: bigint): Promise<Settlement | undefined> => {
    const router = inferenceRouter;
    const [event] = await router.queryFilter(router.filters.InferenceSettled(id), deployment.deployBlock);
    if (event === undefined) return undefined;
    const tx = await rpc.getTransaction(event.transactionHash);
    const call = tx === null ? null : router.interface.parseTransaction({ data: tx.data });
    if (tx === null || call === null) throw new Error(`Inference ${id} was not settled by a call to the router.`);
    const reports = (call.name === "settle" ? [call.args[0]] : [...call.args[0]]) as {
      inferenceId: bigint;
      contributionIds: bigint[];
      weights: bigint[];
    }[];
    const report = reports.find((r) => r.inferenceId === id);
    if (report === undefined) throw new Error(`The settlement of inference ${id} carries no report of it.`);
    const forfeits = await router.queryFilter(
      router.filters.ContributionForfeited(id),
      event.blockNumber,
      event.blockNumber,
    );
    return {
      hash: event.transactionHash,
      block: event.blockNumber,
      from: tx.from,
      call: call.name,
      reports: reports.length,
      signers: [...(call.args[1] as { signer: string }[])].map((s) => s.signer),
      weights: report.contributionIds.map((contributionId, i) => ({ contributionId, weight: report.weights[i]! })),
      credits: decodeCredits(event.args.credits),
      forfeited: forfeits.map((f) => ({ contributionId: f.args.contributionId, amount: f.args.amount })),
      toTreasury: event.args.toTreasury,
      outputHash: event.args.outputHash,
      indexCommitment: event.args.indexCommitment,
    };
  };

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
  for (const [name, address] of Object.entries(deployment.addresses)) say(`${name.padEnd(17)} ${address}`);
  // The oracle nodes start now, in the background: they follow the chain from the deploy block (step 7 shows them).
  // The contribution texts are at their ipfs:// URIs; the nodes fetch them through an IPFS HTTP gateway, here one
  // the demo serves on 127.0.0.1 with the bytes contributed (a node checks each against its content hash on chain).
  const served = createServer((req, res) => {
    const bytes = gatewayFiles.get(req.url ?? "");
    if (bytes === undefined) res.writeHead(404).end();
    else res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end(bytes);
  });
  gateway = served;
  const gatewayPort = await portOr(0);
  await new Promise<void>((resolve) => served.listen(gatewayPort, "127.0.0.1", resolve));
  dataDir = await mkdtemp(path.join(tmpdir(), "openledger-demo-oracles-"));
  const nodeOptions = [
    "--ipfs-gateway",
    `http://127.0.0.1:${gatewayPort}`,
    "--confirmations",
    String(CONFIRMATIONS),
    "--max-batch-delay",
    "4000",
    "--poll",
    "200",
  ];
  const startedAt = Date.now();
  let startedIn: number | undefined;
  oraclesStarting = startOracleNetwork({
    network: NETWORK,
    env: { DEMO_RPC_URL: chain.url },
    deployment: path.join(root, "deployments", `${NETWORK}.json`),
    keys: oracleAccounts.map((index) => nodeKey(index)),
    dataDir,
    options: nodeOptions,
  }).then((network) => {
    startedIn = Date.now() - startedAt;
    return network;
  });
  // Its failure is thrown where the demo waits for it (step 7), or ignored if the demo failed first.
  oraclesStarting.catch(() => undefined);
  say(`three oracle nodes start in the background, one process each (step 7)`);
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
  await increaseTo(carolExit.releaseTime);
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
  const documents: [Wallet, string][] = [
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
    gatewayFiles.set(`/ipfs/${uriOf(bytes).slice("ipfs://".length)}`, bytes);
    const { contributionId, usedPermit } = await as(signer).datanets.contribute(datanetId, { bytes }, uriOf(bytes), {
      maxBond: bond,
    });
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
    say(
      `Carol raises the bond to 50 OPEN; Erin's next contribution, capped at 10 OPEN, is refused — ${refusal(error)}`,
    );
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
  const published = await as(carol).datanets.publishVersion(
    datanetId,
    (v) => `ipfs://demo/legal-precedents/v${v}.json`,
  );
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
  step("Oracle network: three oracle nodes, each its own process, key and database (2 of 3 signatures settle)");
  oracles = await oraclesStarting;
  const nodes = oracles.nodes;
  const nodeName = (address: string) => who(address).replace(/^oracle /, "");
  say(
    `each runs \`npx hardhat oracle start --network ${NETWORK} --port <its port> --peers <the other two> --data-dir <its own PGlite folder> ` +
      `${nodeOptions.join(" ")}\` with its signer's key in ORACLE_PRIVATE_KEY (never in a file or an argument):`,
  );
  for (const [i, node] of nodes.entries()) {
    const signer = accounts[oracleAccounts[i]!]!.address;
    say(`  ${node.name}: account ${oracleAccounts[i]} (${signer}), ${node.url}`);
  }
  const oracleThreshold = await foundation.contracts.attributionOracle.threshold();
  const signerCount = (await foundation.attribution.signers()).length;
  const acceptedTexts = (await foundation.datanets.contributionsByStatus(datanetId)).get("Accepted")?.length ?? 0;
  await until("every node to index the datanet's accepted texts", async () =>
    (await Promise.all(nodes.map((n) => n.metrics()))).every(
      (f) => f.get("oracle_contributions_indexed") === BigInt(acceptedTexts),
    ),
  );
  say(
    `all three answer /health (${((startedIn ?? 0) / 1000).toFixed(1)} s after they were started); the AttributionOracle settles with ${oracleThreshold} of its ${signerCount} signers. ` +
      `Each node has followed the chain, fetched the ${acceptedTexts} accepted texts through the gateway, checked them and indexed them (the rejected spam is not fetched)`,
  );

  // ------------------------------------------------------------------------------------------------
  step(
    "Inference: Grace pays for four inferences; Frank, the model's creator and serving operator, posts three outputs",
  );
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
  /** Mines `count` empty blocks: this chain mines only when a transaction comes, and the nodes wait for depth. */
  const mine = async (count: number) => {
    for (let i = 0; i < count; i++) await rpc.send("evm_mine", []);
  };
  /** Waits until every node's /metrics shows `figure` at `value`. */
  const everyNode = (what: string, figure: string, value: bigint) =>
    until(what, async () => (await Promise.all(nodes.map((n) => n.metrics()))).every((f) => f.get(figure) === value));
  await mine(CONFIRMATIONS);
  await everyNode("every node to see the payments", "oracle_inferences_seen_total", BigInt(inferences.length));
  say(
    `this chain mines a block only when a transaction comes: ${CONFIRMATIONS} empty blocks put the payments ${CONFIRMATIONS} deep, ` +
      "the depth the nodes wait for against reorgs; every node has now seen the four payments",
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
  // What anyone with the texts computes: the engine run directly on the datanet's accepted texts, each checked against
  // its on-chain content hash. The nodes' settled weights are checked against it at the end.
  const texts = new Map(
    documents.map(([, text], i) => [
      contributionIds[i]!,
      { text, contentHash: keccak256(toUtf8Bytes(text)), source: `document ${i + 1}` },
    ]),
  );
  const attributionIndex = buildIndex((await foundation.attribution.corpus([datanetId], texts)).documents);
  const expected = new Map<bigint, string>();
  for (const [k, output] of outputs.entries()) {
    const { attribution } = await foundation.attribution.attribute(attribute, attributionIndex, inferences[k]!, output);
    expected.set(inferences[k]!, weightsKey(attribution.weights));
  }
  const domain = outputDomain(deployment.chainId, deployment.addresses.inferenceRouter);
  /** Frank signs output `k` (EIP-712 InferenceOutput) and POSTs it to every node's /outputs. */
  const postOutput = async (k: number, signer: Wallet = frank, to: readonly OracleProcess[] = nodes) => {
    const inferenceId = inferences[k]!;
    const text = outputs[k]!;
    const signature = await signInferenceOutput(domain, { inferenceId, outputHash: outputHashOf(text) }, signer);
    return Promise.all(
      to.map((node) => node.post("/outputs", { inferenceId: inferenceId.toString(), text, signature })),
    );
  };
  /** Throws unless every node took the output (202). */
  const accepted = (k: number, answers: Awaited<ReturnType<typeof postOutput>>) => {
    for (const answer of answers) {
      if (answer.status !== 202) {
        throw new Error(`A node refused output ${k + 1}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
    }
    return answers[0]!.body;
  };
  /** Waits for inference `id` to settle, then reads its settlement from the chain. */
  const settled = (id: bigint) => until(`inference ${short(id)} to settle`, () => settlementOf(id), 120_000, 200);
  /** How a settlement reached the chain: who sent which call, with whose signatures. */
  const sentBy = (s: Settlement) =>
    `${who(s.from)} sent ${s.call}(${s.reports === 1 ? "one report" : `a batch of ${s.reports} reports`}) in block ${s.block}, ` +
    `signed by ${s.signers.map(nodeName).join(" and ")}`;

  const first = accepted(0, await postOutput(0));
  say(
    `Frank signs the first answer (EIP-712 InferenceOutput: chain, router, inference id, keccak256 of the text) and POSTs ` +
      `it to each node's /outputs: 202 from all three` +
      (first.warning === undefined
        ? ""
        : ` (each flags its ${String(first.tokens)} tokens against the ${String(first.paidOutputTokens)} paid: the demo's answers are abridged)`),
  );
  const single = await settled(inferences[0]!);
  say(
    `no other output comes within 4 s (--max-batch-delay), so the nodes settle it alone: ${sentBy(single)}. ` +
      `Weights ${weightsText(single.weights)}`,
  );
  say(
    `inference ${short(inferences[0]!)} (the whitepaper's 0.128 OPEN pool) is settled: ` +
      single.credits.map((c) => `#${c.contributionId} earns ${formatOpen(c.amount)}`).join(", ") +
      `; ${formatOpen(single.toTreasury)} of rounding dust to the treasury`,
  );
  say(
    `InferenceSettled commits to output ${hex(single.outputHash)} (keccak256 of the answer: ${single.outputHash === outputHashOf(outputs[0]!)}) ` +
      `and index ${hex(single.indexCommitment)} (the contributions indexed, their content hashes, the engine's parameters): anyone with the texts can recompute the weights`,
  );
  await mine(CONFIRMATIONS);
  await everyNode("every node to see the settlement", "oracle_inferences_settled_total", 1n);
  say(`${CONFIRMATIONS} more blocks, and every node has seen it settled: none will propose it again`);

  const forged = (await postOutput(1, grace, nodes.slice(0, 1)))[0]!;
  // The node names addresses; the demo adds whose they are.
  const named = String(forged.body.error).replace(/0x[0-9a-fA-F]{40}/g, (a) => `${a.slice(0, 8)}… (${who(a)})`);
  say(
    `Grace posts an answer for her second inference, signed by herself, to oracle node 1: ${forged.status} — ${named}`,
  );
  const [second, third] = await Promise.all([postOutput(1), postOutput(2)]);
  accepted(1, second!);
  accepted(2, third!);
  await until(
    "every node to attribute the two outputs",
    async () => {
      const found = await Promise.all(
        nodes.flatMap((n) => [1, 2].map(async (k) => (await fetch(`${n.url}/reports/${inferences[k]}`)).ok)),
      );
      return found.every((ok) => ok);
    },
    60_000,
    50,
  );
  say(
    "Frank posts the next two answers together; each node attributes both at once (GET /reports/<id> shows its weights) " +
      "and the leader of the moment waits up to 4 s for a fuller batch",
  );
  const adversarial = contributionIds[2]!;
  const { hash: penaltyHash } = await as(carol).datanets.penalize(adversarial, "copied from a paywalled commentary");
  const penaltyBlock = (await rpc.getTransactionReceipt(penaltyHash))?.blockNumber ?? 0;
  say(
    `meanwhile Carol penalizes #${adversarial} (Erin's, found copied) in block ${penaltyBlock}: the nodes act on events ${CONFIRMATIONS} blocks deep, ` +
      "so the reports they computed and are signing still name it",
  );
  const batch = [await settled(inferences[1]!), await settled(inferences[2]!)];
  for (const s of batch.filter((s, k) => batch.findIndex((t) => t.hash === s.hash) === k)) say(sentBy(s));
  for (const [k, s] of batch.entries()) {
    const credited = s.credits.reduce((sum, c) => sum + c.amount, 0n);
    const lost = s.forfeited.map(
      (f) => `#${f.contributionId} forfeits its ${formatOpen(f.amount)} share to the treasury`,
    );
    say(
      `inference ${short(inferences[k + 1]!)} settles with weights ${weightsText(s.weights)}: ${formatOpen(credited)} credited` +
        `${lost.length > 0 ? `; ${lost.join(", ")}` : ""} (${formatOpen(s.toTreasury)} to the treasury in all)`,
    );
  }
  if (batch.some((s) => s.forfeited.length > 0)) {
    say(
      "the router checks each contribution's standing when it settles: one penalized contribution does not hold the batch hostage, " +
        "its share is forfeited and the rest of the report and of the batch settle",
    );
  } else {
    say(
      `the nodes settled before Carol's penalty landed (block ${penaltyBlock}): #${adversarial} was paid for these answers`,
    );
  }

  const forgotten = inferences[3]!;
  const closes = await inferenceRouter.closingTime(forgotten);
  await increaseTo(closes - 3600n);
  const warning = await until(
    "a node to warn of the missing output",
    async () => {
      for (const node of nodes) {
        const line = node.logs.find(
          (l) =>
            l.msg === "no output yet for an inference whose window is closing" &&
            l.inferenceId === forgotten.toString(),
        );
        if (line !== undefined) return { node, line };
      }
      return undefined;
    },
    60_000,
  );
  say(
    `Frank never posts the fourth answer. An hour before its window closes, ${warning.node.name} logs ` +
      `{"level":"${String(warning.line.level)}","msg":"${String(warning.line.msg)}","closesAt":"${String(warning.line.closesAt)}"}`,
  );
  await increaseTo(closes + 1n);
  const expired = await foundation.inference.expire(forgotten);
  say(
    `nobody attributed inference ${short(forgotten)} within ${formatDuration(await inferenceRouter.attributionWindow())}: anyone expires it and its ${formatOpen(expired.pool)} pool goes to the treasury`,
  );
  const figures = await Promise.all(nodes.map((n) => n.metrics()));
  say(
    "the nodes' /metrics: " +
      figures
        .map((f, i) => `${nodes[i]!.name} sent ${f.get("oracle_settlements_sent_total") ?? 0n} settlement(s)`)
        .join(", ") +
      `; disagreements ${figures.map((f) => f.get("oracle_disagreements_total") ?? 0n).join(", ")}`,
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
  // Each settled report against the direct engine run: the nodes computed what anyone with the texts computes.
  const sameWeights = [single, ...batch].map((s, k) => weightsKey(s.weights) === expected.get(inferences[k]!));

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
  await increaseTo(streamStart + rewardPeriod / 2n);
  await as(frank).staking.stake(1_000n * OPEN);
  say(
    `halfway through the stream Frank stakes ${formatOpen(1_000n * OPEN)}: he earns only for the seconds he holds it, not a share of what was paid before`,
  );
  await increaseTo(streamEnd);
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
  await increaseTo(unstaked.releaseTime);
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
  const agreeing = sameWeights.filter(Boolean).length;
  say(
    `${agreeing === sameWeights.length ? "ok  " : "FAIL"} the weights the oracle nodes settled == a direct engine run over the same texts ` +
      `(${agreeing} of ${sameWeights.length} reports)`,
  );
  if (!ledger.holds || total !== supply || agreeing !== sameWeights.length) {
    console.error("\nA check failed: some OPEN is unaccounted for, or the nodes settled other weights.");
    process.exitCode = 1;
  } else {
    console.log("\nEvery wei is accounted for.");
  }
} finally {
  await shutDown();
}
