/**
 * The small world the demo, `npm run app` and the browser tests start from, built through the SDK's client only:
 * OPEN handed to named actors, stakes and delegations, a datanet with accepted and pending contributions, a model
 * approved by governance and Active. `passProposal` carries a proposal through vote, queue and execute.
 *
 * Time moves through the `increaseTo` callback: Hardhat's network helpers in process, `evm_setNextBlockTimestamp`
 * on a node (see `nodeClock`).
 */
import { HDNodeWallet, toUtf8Bytes, type JsonRpcProvider } from "ethers";

import {
  approvalDescription,
  type FiledProposal,
  type ProtocolClient,
  type VoteChoice,
} from "../../sdk/client/index.js";
import { formatDuration, formatOpen } from "../../sdk/core/format.js";
import { proposalStateName } from "../../sdk/core/enums.js";

const OPEN = 10n ** 18n;

/** Hardhat's default mnemonic: the accounts of `hardhat node` and of the in-process network. */
export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/** The private key of the node's account `index`. */
export function nodeKey(index: number): string {
  return HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`).privateKey;
}

/** The actors of the world, by their account index (17–19 are the oracle signers of the localhost parameters). */
export const ACTORS = {
  foundation: 0,
  alice: 1,
  bob: 2,
  carol: 3,
  dave: 4,
  erin: 5,
  frank: 6,
  grace: 7,
  heidi: 8,
  oracleOne: 17,
  oracleThree: 19,
} as const;
export type Actor = keyof typeof ACTORS;

/** What each actor is given, in OPEN. */
export const HAND_OUT: readonly (readonly [Actor, bigint])[] = [
  ["alice", 60_000n],
  ["bob", 40_000n],
  ["carol", 25_000n],
  ["dave", 500n],
  ["erin", 500n],
  ["frank", 2_000n],
  ["grace", 100n],
  ["heidi", 20_000n],
];

/** Moves the chain's clock to `timestamp` (seconds) and mines a block there. */
export type IncreaseTo = (timestamp: bigint) => Promise<void>;

/** `IncreaseTo` on a JSON-RPC node (hardhat node). */
export function nodeClock(provider: JsonRpcProvider): IncreaseTo {
  return async (timestamp) => {
    const latest = await provider.getBlock("latest");
    if (latest !== null && BigInt(latest.timestamp) >= timestamp) return;
    await provider.send("evm_setNextBlockTimestamp", [Number(timestamp)]);
    await provider.send("evm_mine", []);
  };
}

/** Hands out OPEN from the foundation (the deployer) to each actor. */
export async function handOut(
  foundation: ProtocolClient,
  address: (actor: Actor) => string,
  say: (text: string, actor: Actor, amount: bigint) => void = () => undefined,
): Promise<void> {
  for (const [actor, amount] of HAND_OUT) {
    await foundation.token.transfer(address(actor), amount * OPEN);
    say(`${actor} receives ${formatOpen(amount * OPEN)}`, actor, amount * OPEN);
  }
}

/**
 * Carries a filed proposal through the vote (each voter with its choice), queue and execute, moving the clock past
 * the voting delay, the voting period and the timelock delay. `say` hears each step in a sentence.
 */
export async function passProposal(
  foundation: ProtocolClient,
  filed: FiledProposal,
  votes: readonly (readonly [ProtocolClient, VoteChoice, string])[],
  increaseTo: IncreaseTo,
  say: (text: string) => void = () => undefined,
): Promise<void> {
  const { governor, timelock } = foundation.contracts;
  const state = async () => proposalStateName(await governor.state(filed.proposalId));
  await increaseTo(filed.voteStart + 1n);
  for (const [voter, choice, name] of votes) {
    const { weight } = await voter.governance.castVote(filed.proposalId, choice);
    say(`${name} votes ${choice} with ${formatOpen(weight, "votes")}`);
  }
  const tally = await governor.proposalVotes(filed.proposalId);
  await increaseTo(filed.voteEnd + 1n);
  say(
    `voting closed (for ${formatOpen(tally.forVotes, "votes")}, against ${formatOpen(tally.againstVotes, "votes")}, abstain ${formatOpen(tally.abstainVotes, "votes")}): ` +
      (await state()),
  );
  const { eta } = await foundation.governance.queue(filed.proposalId);
  say(`queued in the timelock until ${formatDuration(await timelock.getMinDelay())} have passed`);
  await increaseTo(eta);
  await foundation.governance.execute(filed.proposalId);
  say(`executed: ${await state()}`);
}

/** The texts the world's contributors contribute (the first two accepted, the third pending review). */
export const WORLD_DOCUMENTS: readonly (readonly [Actor, string])[] = [
  [
    "dave",
    "Smith v. Jones (2019): a contract signed under duress is voidable at the option of the coerced party, " +
      "who must act promptly once the pressure ends or be taken to have affirmed it.",
  ],
  [
    "erin",
    "Park v. Lee (2022): an exchange of emails can satisfy the statutory writing requirement for a guarantee, " +
      "provided the guarantor's name typed at the foot of the message was meant as a signature.",
  ],
  ["erin", "In re Acme (2020): near insolvency the directors owe their duties to the creditors as a whole."],
];

/** What `seedWorld` made. */
export interface World {
  datanetId: bigint;
  modelId: bigint;
  /** The contributions of WORLD_DOCUMENTS, in order: accepted, accepted, pending. */
  contributionIds: bigint[];
}

/**
 * Seeds the world on a freshly deployed suite: OPEN for every actor; Alice and Bob stake and delegate to
 * themselves; Carol creates a datanet (10 OPEN bond) and accepts two of three contributions; Frank proposes a
 * model on it, governance approves it (Alice and Bob vote for), Frank registers its weights and activates it.
 */
export async function seedWorld(
  client: (actor: Actor) => ProtocolClient,
  address: (actor: Actor) => string,
  increaseTo: IncreaseTo,
  say: (text: string) => void = () => undefined,
): Promise<World> {
  const foundation = client("foundation");
  await handOut(foundation, address, (text) => say(text));
  for (const [actor, amount] of [
    ["alice", 50_000n],
    ["bob", 30_000n],
  ] as const) {
    await client(actor).staking.stake(amount * OPEN);
    await client(actor).staking.delegate(address(actor));
    say(`${actor} stakes ${formatOpen(amount * OPEN)} and delegates to herself or himself`);
  }
  const { datanetId } = await client("carol").datanets.create("ipfs://demo/legal-precedents.json", 10n * OPEN);
  say(`carol creates datanet ${datanetId}`);
  const contributionIds: bigint[] = [];
  for (const [actor, text] of WORLD_DOCUMENTS) {
    const bytes = toUtf8Bytes(text);
    const { contributionId } = await client(actor).datanets.contribute(
      datanetId,
      { bytes },
      `ipfs://demo/${contributionIds.length + 1}`,
    );
    contributionIds.push(contributionId);
  }
  await client("carol").datanets.review(contributionIds.slice(0, 2), []);
  say(`dave and erin contribute; carol accepts #${contributionIds[0]} and #${contributionIds[1]}`);
  const modelURI = "ipfs://demo/legal-assistant.json";
  const proposed = await client("frank").models.propose(
    modelURI,
    [datanetId],
    { inputRate: 6n * 10n ** 16n, outputRate: 2n * 10n ** 17n },
    { fileProposal: false },
  );
  const approval = await client("alice").governance.propose(
    [foundation.models.approvalAction(proposed.modelId)],
    approvalDescription(proposed.modelId, modelURI),
  );
  await passProposal(
    foundation,
    approval,
    [
      [client("alice"), "for", "alice"],
      [client("bob"), "for", "bob"],
    ],
    increaseTo,
    say,
  );
  await client("frank").models.registerArtifact(
    proposed.modelId,
    toUtf8Bytes("legal-assistant LoRA weights"),
    "ipfs://demo/legal-assistant.safetensors",
  );
  await client("frank").models.activate(proposed.modelId);
  say(`frank's model ${proposed.modelId} is approved by governance and Active`);
  return { datanetId, modelId: proposed.modelId, contributionIds };
}
