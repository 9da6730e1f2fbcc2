/**
 * The world the inference, attribution and rewards CLI tests run in, set up through the SDK client on a
 * `CliNode`: two datanets of account 1 with contributions in every state, its model 1 on datanet 1 approved by
 * governance and Active, its model 2 only Proposed, and a funded payer. Oracle signers are the node's accounts 17,
 * 18 and 19, as ignition/parameters/localhost.json registers them (threshold 2).
 */
import { HDNodeWallet, parseUnits, toUtf8Bytes, type Provider } from "ethers";

import { createClient, type ProtocolClient } from "../../sdk/client/index.js";
import type { CliNode } from "./cli.js";

export const OPEN = (amount: string) => parseUnits(amount, 18);

/** `hardhat node`'s mnemonic: its accounts, from which the oracle signers' keys derive. */
const MNEMONIC = "test test test test test test test test test test test junk";

/** The private key of the node's account `index`. */
export function nodeKey(index: number): string {
  return HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`).privateKey;
}

/** The node's account `index` as a wallet on `provider`. */
export function nodeWallet(index: number, provider: Provider): HDNodeWallet {
  return HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`).connect(provider);
}

/** The node's accounts that are oracle signers. */
export const ORACLE_ACCOUNTS = [17, 18, 19] as const;

/** The contributions of the world, by id: their datanet, contributor (account index), text and fate. */
export const CONTRIBUTIONS = {
  1: {
    datanet: 1n,
    account: 2,
    text: "Precedent 1: a contract signed under duress is voidable at the option of the coerced party, who must act promptly.",
  },
  2: {
    datanet: 1n,
    account: 3,
    text: "Precedent 2: the limitation period for a latent injury starts when the claimant discovers the harm.",
  },
  /** Accepted, then penalized. */
  3: {
    datanet: 1n,
    account: 2,
    text: "Precedent 3: an exchange of emails can satisfy the statutory writing requirement for a guarantee if the name was meant as a signature.",
  },
  /** Rejected. */
  4: { datanet: 1n, account: 3, text: "Spam: buy cheap followers now, limited offer, click the link below." },
  /** Still Pending. */
  5: {
    datanet: 1n,
    account: 2,
    text: "Precedent 4: a promise without consideration binds only when it is made by deed.",
  },
  /** Accepted in datanet 2, which model 1 is not trained on. */
  6: {
    datanet: 2n,
    account: 3,
    text: "Dosage note: paracetamol for adults is at most four grams in twenty-four hours.",
  },
} as const;

/** An output that quotes contribution 1. */
export const OUTPUT =
  "As held before, a contract signed under duress is voidable at the option of the coerced party, who must act promptly.";

/** Model 1 (Active, on datanet 1) and model 2 (only Proposed). */
export const MODEL = { active: 1n, proposed: 2n } as const;

/** The payer of the tests' inferences. */
export const PAYER = 4;

/**
 * Sets up the world; returns the node's accounts 0–5 by index. `uriOf` gives each contribution's URI (default
 * ipfs://content/<id>; the oracle tests register URIs their nodes can fetch).
 */
export async function setUpInferenceWorld(
  cli: CliNode,
  uriOf: (id: string) => string = (id) => `ipfs://content/${id}`,
): Promise<string[]> {
  const accounts = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => cli.signer(i).getAddress()));
  const foundation = cli.client(0);
  await foundation.token.transfer(accounts[1]!, OPEN("30000"));
  for (const i of [2, 3, PAYER]) await foundation.token.transfer(accounts[i]!, OPEN("1000"));

  const owner = cli.client(1);
  await owner.datanets.create("ipfs://legal-precedents.json", OPEN("10"));
  await owner.datanets.create("ipfs://medical-notes.json", OPEN("10"));
  for (const [id, c] of Object.entries(CONTRIBUTIONS)) {
    await cli.client(c.account).datanets.contribute(c.datanet, { bytes: toUtf8Bytes(c.text) }, uriOf(id));
  }
  await owner.datanets.review([1n, 2n, 3n], [4n]);
  await owner.datanets.review([6n], []);
  await owner.datanets.penalize(3n, "copied from a paywalled commentary");

  await owner.staking.stake(OPEN("20000"));
  await owner.staking.delegate(accounts[1]!);
  await cli.increaseTime(1);
  const rates = { inputRate: OPEN("0.06"), outputRate: OPEN("0.2") };
  const { proposal } = await owner.models.propose("ipfs://legal-8b.json", [1n], rates);
  await owner.models.propose("ipfs://legal-70b.json", [1n], rates, { fileProposal: false });
  const proposalId = proposal!.proposalId;
  await cli.increaseTime(61);
  await owner.governance.castVote(proposalId, "for");
  await cli.increaseTime(601);
  await owner.governance.queue(proposalId);
  await cli.increaseTime(121);
  await owner.governance.execute(proposalId);
  await owner.models.registerArtifact(MODEL.active, `0x${"ab".repeat(32)}`, "ipfs://weights/legal-8b");
  await owner.models.activate(MODEL.active);
  return accounts;
}

/** An SDK client acting as the node's account `index` (any of its 20), for what the harness's `client` cannot. */
export function clientOf(cli: CliNode, index: number): ProtocolClient {
  return createClient({ deployment: cli.deployment, provider: cli.provider, signer: nodeWallet(index, cli.provider) });
}
