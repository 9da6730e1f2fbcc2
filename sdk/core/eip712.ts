/**
 * The one home of the attribution report's EIP-712 definitions: the domain name and version, the
 * type definitions, and the signing and verifying helpers. Contract tests, the oracle tasks and
 * dapps all import this module; a test checks that its type hashes equal the router's constants and
 * that its domain equals the router's `eip712Domain()`.
 *
 * The verifying contract is the InferenceRouter: a report signed for one router on one chain can
 * never be settled by another deployment or on another chain.
 */
import {
  TypedDataEncoder,
  id,
  keccak256,
  toUtf8Bytes,
  verifyTypedData,
  type Signer,
  type TypedDataDomain,
  type TypedDataField,
} from "ethers";

/** EIP-712 domain name and version of the InferenceRouter. */
export const ATTRIBUTION_DOMAIN_NAME = "OpenLedger InferenceRouter";
export const ATTRIBUTION_DOMAIN_VERSION = "2";

/** 1e18 = 100% influence. */
export const WEIGHT_SCALE = 10n ** 18n;

/** One signed attribution: the influence of contributions on one inference's output. */
export interface AttributionReport {
  inferenceId: bigint;
  /** keccak256 of the output text's UTF-8 bytes: what was attributed. */
  outputHash: string;
  /** The identifier of the attribution index the weights were computed on (see the attribution engine). */
  indexCommitment: string;
  contributionIds: bigint[];
  /** Influence of each contribution, 1e18 = 100%; the sum is at most 1e18. */
  weights: bigint[];
  /** Unix time (seconds) after which the report can no longer be settled. */
  deadline: bigint;
}

/** keccak256 of an output text's UTF-8 bytes: the `outputHash` a report names for that output. */
export function outputHashOf(text: string): string {
  return keccak256(toUtf8Bytes(text));
}

export const ATTRIBUTION_REPORT_TYPES: Record<string, TypedDataField[]> = {
  AttributionReport: [
    { name: "inferenceId", type: "uint256" },
    { name: "outputHash", type: "bytes32" },
    { name: "indexCommitment", type: "bytes32" },
    { name: "contributionIds", type: "uint256[]" },
    { name: "weights", type: "uint256[]" },
    { name: "deadline", type: "uint256" },
  ],
};

export const ATTRIBUTION_BATCH_TYPES: Record<string, TypedDataField[]> = {
  AttributionBatch: [{ name: "reports", type: "AttributionReport[]" }],
  ...ATTRIBUTION_REPORT_TYPES,
};

/** The router's domain: chain id and address bind every signature to one deployment. */
export function attributionDomain(chainId: bigint | number, router: string): TypedDataDomain {
  return {
    name: ATTRIBUTION_DOMAIN_NAME,
    version: ATTRIBUTION_DOMAIN_VERSION,
    chainId,
    verifyingContract: router,
  };
}

/** keccak256 of the EIP-712 type strings, as the router's REPORT_TYPEHASH and BATCH_TYPEHASH. */
export const ATTRIBUTION_REPORT_TYPEHASH = id(
  TypedDataEncoder.from(ATTRIBUTION_REPORT_TYPES).encodeType("AttributionReport"),
);
export const ATTRIBUTION_BATCH_TYPEHASH = id(
  TypedDataEncoder.from(ATTRIBUTION_BATCH_TYPES).encodeType("AttributionBatch"),
);

/** A signature with its signer, as the router takes them (sorted by signer address). */
export interface SignerSignature {
  signer: string;
  signature: string;
}

/** The digest signed for one report. */
export function reportDigest(domain: TypedDataDomain, report: AttributionReport): string {
  return TypedDataEncoder.hash(domain, ATTRIBUTION_REPORT_TYPES, report);
}

/** The digest signed for a batch of reports. */
export function batchDigest(domain: TypedDataDomain, reports: AttributionReport[]): string {
  return TypedDataEncoder.hash(domain, ATTRIBUTION_BATCH_TYPES, { reports });
}

/** Addresses ascending by value, as the oracle orders signers. */
export function sortAddresses(addresses: readonly string[]): string[] {
  return [...addresses].sort((a, b) => {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Orders signatures by signer address, ascending, as the oracle requires. */
export function sortBySigner(signatures: SignerSignature[]): SignerSignature[] {
  return [...signatures].sort((a, b) => {
    const x = BigInt(a.signer);
    const y = BigInt(b.signer);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Signs one report with each signer; returns the signatures sorted by signer. */
export async function signReport(
  domain: TypedDataDomain,
  report: AttributionReport,
  signers: Signer[],
): Promise<SignerSignature[]> {
  const signatures = await Promise.all(
    signers.map(async (s) => ({
      signer: await s.getAddress(),
      signature: await s.signTypedData(domain, ATTRIBUTION_REPORT_TYPES, report),
    })),
  );
  return sortBySigner(signatures);
}

/** Signs a batch of reports with each signer; returns the signatures sorted by signer. */
export async function signBatch(
  domain: TypedDataDomain,
  reports: AttributionReport[],
  signers: Signer[],
): Promise<SignerSignature[]> {
  const signatures = await Promise.all(
    signers.map(async (s) => ({
      signer: await s.getAddress(),
      signature: await s.signTypedData(domain, ATTRIBUTION_BATCH_TYPES, { reports }),
    })),
  );
  return sortBySigner(signatures);
}

/** The address that signed `report` (for EOA signatures). */
export function recoverReportSigner(domain: TypedDataDomain, report: AttributionReport, signature: string): string {
  return verifyTypedData(domain, ATTRIBUTION_REPORT_TYPES, report, signature);
}

/** The address that signed a batch of `reports` (for EOA signatures). */
export function recoverBatchSigner(domain: TypedDataDomain, reports: AttributionReport[], signature: string): string {
  return verifyTypedData(domain, ATTRIBUTION_BATCH_TYPES, { reports }, signature);
}

/**
 * The output authentication: the model creator's signature over one inference's output, as an oracle node takes
 * it from the model's serving operator. Its own domain name (never a valid attribution signature), bound like the
 * reports to one chain and one router, so an output signed for one deployment is worth nothing on another.
 */
export const OUTPUT_DOMAIN_NAME = "OpenLedger Inference Output";
export const OUTPUT_DOMAIN_VERSION = "1";

/** One inference's output, by the keccak256 of its UTF-8 text (`outputHashOf`). */
export interface InferenceOutput {
  inferenceId: bigint;
  outputHash: string;
}

export const INFERENCE_OUTPUT_TYPES: Record<string, TypedDataField[]> = {
  InferenceOutput: [
    { name: "inferenceId", type: "uint256" },
    { name: "outputHash", type: "bytes32" },
  ],
};

/** The output authentication's domain for the router `router` on chain `chainId`. */
export function outputDomain(chainId: bigint | number, router: string): TypedDataDomain {
  return { name: OUTPUT_DOMAIN_NAME, version: OUTPUT_DOMAIN_VERSION, chainId, verifyingContract: router };
}

/** Signs an inference's output as its model's creator. */
export function signInferenceOutput(domain: TypedDataDomain, output: InferenceOutput, signer: Signer): Promise<string> {
  return signer.signTypedData(domain, INFERENCE_OUTPUT_TYPES, output);
}

/** The digest a model creator signs for an inference's output (checked with isValidSignatureNow for contracts). */
export function outputDigest(domain: TypedDataDomain, output: InferenceOutput): string {
  return TypedDataEncoder.hash(domain, INFERENCE_OUTPUT_TYPES, output);
}

/** The address that signed an inference's output (for EOA signatures); throws on a malformed signature. */
export function recoverInferenceOutputSigner(
  domain: TypedDataDomain,
  output: InferenceOutput,
  signature: string,
): string {
  return verifyTypedData(domain, INFERENCE_OUTPUT_TYPES, output, signature);
}
