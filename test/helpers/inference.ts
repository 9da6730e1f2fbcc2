import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { MaxUint256, id, keccak256, toUtf8Bytes, type TypedDataDomain } from "ethers";

import { attributionDomain, type AttributionReport } from "../../sdk/core/eip712.js";
import { CREDIT_AMOUNT_BITS, decodeCredits, inferenceIdOf, type SettledCredit } from "../../sdk/core/inference.js";
import { deployProtocol, type Connection } from "../fixtures/protocol.js";
import type { DatanetRegistry, InferenceRouter, ModelRegistry, OpenToken } from "../../types/ethers-contracts/index.js";

import { impersonate } from "./accounts.js";
import { defined, open } from "./constants.js";
import { contentHash } from "./registries.js";

/** IInferenceRouter.InferenceStatus. */
export const InferenceStatus = {
  None: 0n,
  Pending: 1n,
  Settled: 2n,
  Expired: 3n,
} as const;

/** 0.06 OPEN per 1,000 input tokens and 0.2 OPEN per 1,000 output tokens: the whitepaper's example model. */
export const INPUT_RATE = 6n * 10n ** 16n;
export const OUTPUT_RATE = 2n * 10n ** 17n;
export const RATES = { inputRate: INPUT_RATE, outputRate: OUTPUT_RATE } as const;

/** 1% of the attribution weight scale (1e18 = 100%). */
export const PERCENT = 10n ** 16n;

/** Contribution ids of inferenceFixture, by what they are. */
export const CONTRIBUTION = {
  /** Datanet 1, Accepted, by dave. */
  dave: 1n,
  /** Datanet 1, Accepted, by erin. */
  erin: 2n,
  /** Datanet 1, Accepted, by frank. */
  frank: 3n,
  /** Datanet 1, Accepted, by grace. */
  grace: 4n,
  /** Datanet 1, Accepted then Penalized, by heidi: its share of any report is forfeited. */
  penalized: 5n,
  /** Datanet 1, Rejected, by heidi: never accepted, a report naming it is invalid. */
  rejected: 6n,
  /** Datanet 1, still Pending, by dave: never accepted, a report naming it is invalid. */
  pending: 7n,
  /** Datanet 2, Accepted, by erin. */
  otherDatanet: 8n,
} as const;

/** Model ids of inferenceFixture. */
export const MODEL = {
  /** Carol's model on datanet 1 only, at RATES: Active. */
  datanet1: 1n,
  /** Carol's model on datanet 2 only, at RATES: Active. */
  datanet2: 2n,
  /** Carol's model on datanet 1, only Proposed. */
  proposed: 3n,
} as const;

/** A report deadline far in the future (the tests move time by weeks, never by millennia). */
export const FAR_DEADLINE = 2n ** 40n;

/** The attribution index the hand-written reports of the tests claim to be computed on. */
export const TEST_INDEX_COMMITMENT = id("test attribution index");

// The SDK is the one home of inference ids and of the packed credits' layout: the tests use it, so that every router
// test also checks the SDK against the contract.
export { CREDIT_AMOUNT_BITS, decodeCredits, inferenceIdOf };

/** A deterministic, non-zero request id for `label`. */
export function requestId(label: string): string {
  return id(`request:${label}`);
}

/** keccak256 of an output text's UTF-8 bytes, as a report's outputHash. */
export function outputHashOf(text: string): string {
  return keccak256(toUtf8Bytes(text));
}

/** The output hash the tests' reports carry for inference `inferenceId` unless they name one. */
export function testOutputHash(inferenceId: bigint): string {
  return outputHashOf(`output of inference ${inferenceId}`);
}

/** What a report commits to besides its weights. */
export interface ReportCommitments {
  outputHash?: string;
  indexCommitment?: string;
}

/**
 * An attribution report with a far deadline unless one is given, committing to testOutputHash(inferenceId) and
 * TEST_INDEX_COMMITMENT unless other commitments are given.
 */
export function report(
  inferenceId: bigint,
  contributionIds: bigint[],
  weights: bigint[],
  deadline: bigint = FAR_DEADLINE,
  commitments: ReportCommitments = {},
): AttributionReport {
  return {
    inferenceId,
    outputHash: commitments.outputHash ?? testOutputHash(inferenceId),
    indexCommitment: commitments.indexCommitment ?? TEST_INDEX_COMMITMENT,
    contributionIds,
    weights,
    deadline,
  };
}

/** One entry of InferenceSettled's `credits`: a contribution and the OPEN-wei credited for it. */
export type Credit = SettledCredit;

/** AttributionRules.packCredit: `contributionId << 96 | amount` (the encoder the SDK does not need). */
export function packCredit(contributionId: bigint, amount: bigint): bigint {
  if (amount >> CREDIT_AMOUNT_BITS !== 0n) throw new Error(`amount ${amount} does not fit ${CREDIT_AMOUNT_BITS} bits`);
  return (contributionId << CREDIT_AMOUNT_BITS) | amount;
}

/** The packed credits of a report: one per contribution, in the report's order. */
export function packCredits(contributionIds: readonly bigint[], amounts: readonly bigint[]): bigint[] {
  if (contributionIds.length !== amounts.length) throw new Error("one amount per contribution");
  return contributionIds.map((contributionId, i) => packCredit(contributionId, defined(amounts[i], "amount")));
}

/** A fixture contributor's funds and a datanet's bond, in OPEN-wei. */
const CONTRIBUTOR_FUNDS = open(1_000n);
const CREATOR_FUNDS = open(10_000n);
const PAYER_FUNDS = open(1_000n);
export const DATANET_BOND = open(1n);
/** Alice's stake, the only one in inferenceFixture. */
export const ALICE_STAKE = open(100n);

/**
 * The deployed protocol plus everything an inference needs:
 *
 * - datanets 1 and 2, both owned (and curated) by bob, bond 1 OPEN;
 * - contributions (see CONTRIBUTION): 1..4 accepted in datanet 1 (dave, erin, frank, grace), 5 accepted then
 *   penalized and 6 rejected (heidi), 7 pending (dave), 8 accepted in datanet 2 (erin);
 * - carol's models (see MODEL): 1 on datanet 1 and 2 on datanet 2, both at RATES, approved by governance,
 *   artifact registered and Active; 3 only Proposed;
 * - alice staked 100 OPEN in StakedOpen and delegated to herself (the only staker);
 * - `payer` funded with 1,000 OPEN and approving the router without limit; `permitPayer` funded, no allowance;
 * - `stranger`, unfunded; `governance`, a signer for the timelock (owner and treasury of everything);
 * - `domain`, the router's EIP-712 domain, built by the SDK.
 */
export async function inferenceFixture(conn: Connection) {
  const protocol = await deployProtocol(conn);
  const { openToken, datanetRegistry, modelRegistry, stakedOpen, inferenceRouter, timelock, alice, bob, carol } =
    protocol;
  const extra = protocol.others.slice(4);
  const signer = (i: number, what: string) => defined(extra[i], what);
  const payer = signer(0, "payer");
  const dave = signer(1, "dave");
  const erin = signer(2, "erin");
  const frank = signer(3, "frank");
  const grace = signer(4, "grace");
  const heidi = signer(5, "heidi");
  const permitPayer = signer(6, "permitPayer");
  const stranger = signer(7, "stranger");
  const treasury = await timelock.getAddress();
  const governance = await impersonate(conn, treasury);

  for (const contributor of [dave, erin, frank, grace, heidi]) {
    await openToken.transfer(contributor, CONTRIBUTOR_FUNDS);
    await openToken.connect(contributor).approve(datanetRegistry, MaxUint256);
  }
  await openToken.transfer(carol, CREATOR_FUNDS);
  await openToken.connect(carol).approve(modelRegistry, MaxUint256);
  await openToken.transfer(alice, ALICE_STAKE);
  await openToken.connect(alice).approve(stakedOpen, MaxUint256);
  await stakedOpen.connect(alice).stake(ALICE_STAKE);
  await stakedOpen.connect(alice).delegate(alice);
  for (const account of [payer, permitPayer]) await openToken.transfer(account, PAYER_FUNDS);
  await openToken.connect(payer).approve(inferenceRouter, MaxUint256);

  // Datanets and contributions.
  const datanets = datanetRegistry.connect(bob);
  await datanets.createDatanet("ipfs://datanet-1/medical.json", DATANET_BOND);
  await datanets.createDatanet("ipfs://datanet-2/legal.json", DATANET_BOND);
  const contributions: [HardhatEthersSigner, bigint, string][] = [
    [dave, 1n, "dave 1"],
    [erin, 1n, "erin 1"],
    [frank, 1n, "frank 1"],
    [grace, 1n, "grace 1"],
    [heidi, 1n, "heidi adversarial"],
    [heidi, 1n, "heidi spam"],
    [dave, 1n, "dave pending"],
    [erin, 2n, "erin legal"],
  ];
  for (const [contributor, datanetId, label] of contributions) {
    await datanetRegistry
      .connect(contributor)
      .contribute(datanetId, contentHash(label), `ipfs://content/${label}`, 1_024n, DATANET_BOND);
  }
  await datanets.reviewBatch(
    [CONTRIBUTION.dave, CONTRIBUTION.erin, CONTRIBUTION.frank, CONTRIBUTION.grace, CONTRIBUTION.penalized],
    [true, true, true, true, true],
  );
  await datanets.review(CONTRIBUTION.rejected, false);
  await datanets.review(CONTRIBUTION.otherDatanet, true);
  await datanets.penalize(CONTRIBUTION.penalized, "adversarial content");

  // Models.
  const models = modelRegistry.connect(carol);
  const proposalBond = await modelRegistry.proposalBond();
  await models.proposeModel("ipfs://model/med-8b.json", [1n], RATES, proposalBond);
  await models.proposeModel("ipfs://model/legal-8b.json", [2n], RATES, proposalBond);
  await models.proposeModel("ipfs://model/med-70b.json", [1n], RATES, proposalBond);
  for (const modelId of [MODEL.datanet1, MODEL.datanet2]) {
    await modelRegistry.connect(governance).approveModel(modelId);
    await models.registerArtifact(modelId, contentHash(`weights ${modelId}`), `ipfs://weights/${modelId}`, 0n);
    await models.activateModel(modelId);
  }

  const chainId = (await conn.ethers.provider.getNetwork()).chainId;
  const domain: TypedDataDomain = attributionDomain(chainId, await inferenceRouter.getAddress());
  return {
    ...protocol,
    payer,
    permitPayer,
    dave,
    erin,
    frank,
    grace,
    heidi,
    stranger,
    treasury,
    governance,
    chainId,
    domain,
  };
}

export type InferenceFixture = Awaited<ReturnType<typeof inferenceFixture>>;

/** What expectRouterConserved reads. */
export interface RouterLedger {
  openToken: OpenToken;
  inferenceRouter: InferenceRouter;
  modelRegistry: ModelRegistry;
  datanetRegistry: DatanetRegistry;
}

/** What the router holds, by part, as expectRouterConserved adds it up (OPEN-wei). */
export interface RouterHoldings {
  credits: bigint;
  pendingPools: bigint;
  treasuryOwed: bigint;
  stakersOwed: bigint;
}

/**
 * InferenceRouter's OPEN conservation law, exact to the wei:
 *
 *   OPEN held by the router == Σ creditOf(accounts) + Σ pools of Pending inferences + treasuryOwed + stakersOwed
 *
 * Nothing is passed in: every inference comes from the InferencePaid events, and every account that may hold
 * credits is the creator of a paid model or the contributor of a contribution named in an InferenceSettled event.
 * Returns the parts.
 */
export async function expectRouterConserved(f: RouterLedger): Promise<RouterHoldings> {
  const router = f.inferenceRouter;
  const paid = await router.queryFilter(router.filters.InferencePaid());
  const settled = await router.queryFilter(router.filters.InferenceSettled());
  const accounts = new Set<string>();
  let pendingPools = 0n;
  for (const event of paid) {
    const inference = await router.getInference(event.args.inferenceId);
    if (inference.status === InferenceStatus.Pending) pendingPools += inference.pool;
    accounts.add((await f.modelRegistry.getModel(event.args.modelId)).creator);
  }
  for (const event of settled) {
    for (const { contributionId } of decodeCredits(event.args.credits)) {
      accounts.add((await f.datanetRegistry.getContribution(contributionId)).contributor);
    }
  }
  let credits = 0n;
  for (const account of accounts) credits += await router.creditOf(account);
  const holdings: RouterHoldings = {
    credits,
    pendingPools,
    treasuryOwed: await router.treasuryOwed(),
    stakersOwed: await router.stakersOwed(),
  };
  expect(await f.openToken.balanceOf(router), "OPEN held by the router").to.equal(
    holdings.credits + holdings.pendingPools + holdings.treasuryOwed + holdings.stakersOwed,
  );
  return holdings;
}
