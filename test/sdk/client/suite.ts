/**
 * Client fixtures: a deployed suite (deployProtocol, the Ignition module with the v2 ABI) and a protocol client
 * per actor, as a dapp makes them with `createClient`. `fundedSuite` is the bare suite with OPEN for alice, bob
 * and carol; `clientSuite` adds datanets, contributions in every state, Active models and a funded payer, for the
 * tests of the client, the SDK entry and the attribution engine on chain. The setup sends through the contracts;
 * every call a test then makes goes through the client (or, for the SDK entry, the package).
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { MaxUint256, id, keccak256, toUtf8Bytes } from "ethers";

import { createClient, type ProtocolClient } from "../../../sdk/client/index.js";
import type { DeploymentRecord } from "../../../sdk/core/deployments.js";
import { attributionDomain, signBatch, signReport, type AttributionReport } from "../../../sdk/core/eip712.js";
import { ProtocolError, type ErrorArgs, type ProtocolErrorCode } from "../../../sdk/core/errors.js";
import { inferenceIdOf } from "../../../sdk/core/inference.js";
import type { SignedAttribution } from "../../../sdk/core/signed.js";
import { deployProtocol, type Connection } from "../../fixtures/protocol.js";
import { impersonate } from "../../helpers/accounts.js";
import { defined } from "../../helpers/constants.js";

const OPEN = 10n ** 18n;

/** 0.06 OPEN per 1,000 input tokens and 0.2 OPEN per 1,000 output tokens: the whitepaper's example model. */
export const RATES = { inputRate: 6n * 10n ** 16n, outputRate: 2n * 10n ** 17n } as const;
/** 1% of the attribution weight scale (1e18 = 100%). */
export const PERCENT = 10n ** 16n;
/** A report deadline far in the future (the tests move time by weeks, never by millennia). */
export const FAR_DEADLINE = 2n ** 40n;
/** A commitment for reports written by hand in the tests (the engine gives real ones). */
export const TEST_INDEX = id("test attribution index");
/** Alice's stake, the only one in the suite. */
export const ALICE_STAKE = 100n * OPEN;
/** What the datanets' contributions post. */
export const DATANET_BOND = OPEN;
/** What `fundedSuite` gives alice, bob and carol. */
export const FUNDS = 50_000n * OPEN;

/** Contribution ids of the suite, by what they are. */
export const CONTRIBUTION = {
  /** Datanet 1, Accepted, by dave. */
  dave: 1n,
  /** Datanet 1, Accepted, by erin. */
  erin: 2n,
  /** Datanet 1, Accepted, by frank. */
  frank: 3n,
  /** Datanet 1, Accepted then Penalized, by heidi. */
  penalized: 4n,
  /** Datanet 1, Rejected, by heidi. */
  rejected: 5n,
  /** Datanet 1, still Pending, by dave. */
  pending: 6n,
  /** Datanet 2, Accepted, by erin. */
  otherDatanet: 7n,
} as const;

/** Model ids of the suite. */
export const MODEL = {
  /** Carol's model on datanet 1, at RATES: Active. */
  datanet1: 1n,
  /** Carol's model on datanet 2, at RATES: Active. */
  datanet2: 2n,
  /** Carol's model on datanet 1, only Proposed. */
  proposed: 3n,
} as const;

/** A deterministic request id for `label`. */
export function requestId(label: string): string {
  return id(`request:${label}`);
}

/** keccak256 of a label's UTF-8 bytes: a content hash. */
export function contentHash(label: string): string {
  return keccak256(toUtf8Bytes(label));
}

/** The protocol client of `deployment` on the test network, acting as `signer`. */
export function clientOf(conn: Connection, deployment: DeploymentRecord, signer: HardhatEthersSigner): ProtocolClient {
  return createClient({ deployment, provider: conn.ethers.provider, signer });
}

/**
 * The bare suite with FUNDS of OPEN for alice, bob and carol (nothing staked, no allowance), and
 * `client(signer)`, the protocol client acting as a signer.
 */
export async function fundedSuite(conn: Connection) {
  const protocol = await deployProtocol(conn);
  for (const account of [protocol.alice, protocol.bob, protocol.carol]) {
    await (await protocol.openToken.transfer(account, FUNDS)).wait();
  }
  const treasury = await protocol.timelock.getAddress();
  const governance = await impersonate(conn, treasury);
  const client = (s: HardhatEthersSigner): ProtocolClient => clientOf(conn, protocol.deployment, s);
  return { ...protocol, treasury, governance, client };
}

/**
 * The suite:
 * - datanets 1 and 2, owned and curated by bob, bond 1 OPEN; contributions as in CONTRIBUTION;
 * - carol's models as in MODEL;
 * - alice staked ALICE_STAKE and delegated to herself;
 * - `payer` funded with 1,000 OPEN and approving the router without limit;
 * - `governance`, a signer for the timelock (owner and treasury of everything); `domain`, the router's EIP-712
 *   domain; `client(signer)`, the protocol client acting as a signer; `pay(label)`, an inference paid by `payer`.
 */
export async function clientSuite(conn: Connection) {
  const protocol = await deployProtocol(conn);
  const { openToken, datanetRegistry, modelRegistry, stakedOpen, inferenceRouter, timelock, alice, bob, carol } =
    protocol;
  const extra = protocol.others.slice(4);
  const signer = (i: number, what: string) => defined(extra[i], what);
  const payer = signer(0, "payer");
  const dave = signer(1, "dave");
  const erin = signer(2, "erin");
  const frank = signer(3, "frank");
  const heidi = signer(4, "heidi");
  const stranger = signer(5, "stranger");
  const treasury = await timelock.getAddress();
  const governance = await impersonate(conn, treasury);

  for (const contributor of [dave, erin, frank, heidi]) {
    await openToken.transfer(contributor, 1_000n * OPEN);
    await openToken.connect(contributor).approve(datanetRegistry, MaxUint256);
  }
  await openToken.transfer(carol, 10_000n * OPEN);
  await openToken.connect(carol).approve(modelRegistry, MaxUint256);
  await openToken.transfer(alice, ALICE_STAKE);
  await openToken.connect(alice).approve(stakedOpen, MaxUint256);
  await stakedOpen.connect(alice).stake(ALICE_STAKE);
  await stakedOpen.connect(alice).delegate(alice);
  await openToken.transfer(payer, 1_000n * OPEN);
  await openToken.connect(payer).approve(inferenceRouter, MaxUint256);

  const datanets = datanetRegistry.connect(bob);
  await datanets.createDatanet("ipfs://datanet-1/medical.json", DATANET_BOND);
  await datanets.createDatanet("ipfs://datanet-2/legal.json", DATANET_BOND);
  const contributions: [HardhatEthersSigner, bigint, string][] = [
    [dave, 1n, "dave 1"],
    [erin, 1n, "erin 1"],
    [frank, 1n, "frank 1"],
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
    [CONTRIBUTION.dave, CONTRIBUTION.erin, CONTRIBUTION.frank, CONTRIBUTION.penalized],
    [true, true, true, true],
  );
  await datanets.review(CONTRIBUTION.rejected, false);
  await datanets.review(CONTRIBUTION.otherDatanet, true);
  await datanets.penalize(CONTRIBUTION.penalized, "adversarial content");

  const models = modelRegistry.connect(carol);
  const bond = await modelRegistry.proposalBond();
  await models.proposeModel("ipfs://model/med-8b.json", [1n], RATES, bond);
  await models.proposeModel("ipfs://model/legal-8b.json", [2n], RATES, bond);
  await models.proposeModel("ipfs://model/med-70b.json", [1n], RATES, bond);
  for (const modelId of [MODEL.datanet1, MODEL.datanet2]) {
    await modelRegistry.connect(governance).approveModel(modelId);
    await models.registerArtifact(modelId, contentHash(`weights ${modelId}`), `ipfs://weights/${modelId}`, 0n);
    await models.activateModel(modelId);
  }

  const chainId = (await conn.ethers.provider.getNetwork()).chainId;
  const domain = attributionDomain(chainId, await inferenceRouter.getAddress());
  const client = (s: HardhatEthersSigner): ProtocolClient => clientOf(conn, protocol.deployment, s);
  /** Pays inference `label` of `modelId` as `payer` (2,000 in, 1,000 out tokens); returns its id. */
  const pay = async (label: string, modelId: bigint = MODEL.datanet1): Promise<bigint> => {
    await inferenceRouter.connect(payer).payInference(modelId, 2_000n, 1_000n, requestId(label), MaxUint256);
    return inferenceIdOf(payer.address, requestId(label));
  };
  /**
   * `reports` signed by `signers` for the suite's router without any of the client's checks: what the client's
   * `attribution.sign` refuses to sign, to test what `attribution.push` refuses on its own.
   */
  const signUnchecked = async (
    reports: AttributionReport[],
    signers: HardhatEthersSigner[],
  ): Promise<SignedAttribution> => {
    const [single] = reports;
    const kind = reports.length === 1 ? "report" : "batch";
    const signatures =
      kind === "report" && single !== undefined
        ? await signReport(domain, single, signers)
        : await signBatch(domain, reports, signers);
    return {
      kind,
      router: protocol.deployment.addresses.inferenceRouter,
      chainId: Number(chainId),
      reports,
      signatures,
    };
  };
  return {
    ...protocol,
    payer,
    dave,
    erin,
    frank,
    heidi,
    stranger,
    treasury,
    governance,
    chainId,
    domain,
    client,
    pay,
    signUnchecked,
  };
}

export type ClientSuite = Awaited<ReturnType<typeof clientSuite>>;

/** An attribution report naming TEST_INDEX and the hash of `output`, with a far deadline unless one is given. */
export function report(
  inferenceId: bigint,
  contributionIds: bigint[],
  weights: bigint[],
  options: { output?: string; deadline?: bigint } = {},
): AttributionReport {
  return {
    inferenceId,
    outputHash: contentHash(options.output ?? `output of ${inferenceId}`),
    indexCommitment: TEST_INDEX,
    contributionIds,
    weights,
    deadline: options.deadline ?? FAR_DEADLINE,
  };
}

/**
 * The ProtocolError that `action` (a promise, or a function that throws or returns one) is refused with, checked
 * to carry `code` and, when given, at least `args`. Fails the test if it succeeds or throws anything else.
 */
export async function refusal(
  action: Promise<unknown> | (() => unknown),
  code?: ProtocolErrorCode,
  args?: ErrorArgs,
): Promise<ProtocolError> {
  let error: unknown;
  let threw = false;
  try {
    await (typeof action === "function" ? action() : action);
  } catch (e) {
    error = e;
    threw = true;
  }
  if (!threw) throw new Error(`expected a ProtocolError${code === undefined ? "" : ` ${code}`}, but it succeeded`);
  if (!(error instanceof ProtocolError)) throw error;
  if (code !== undefined) expect(error.code, error.message).to.equal(code);
  if (args !== undefined) expect(error.args, error.message).to.deep.include(args);
  return error;
}
