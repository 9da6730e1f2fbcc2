import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { Signature, type TypedDataDomain, type TypedDataField } from "ethers";

import { sortBySigner, type SignerSignature } from "../../sdk/core/eip712.js";

/** What the signing helpers need from a token: its ERC-5267 domain and its nonces. */
export interface Eip712Token {
  eip712Domain(): Promise<{ name: string; version: string; chainId: bigint; verifyingContract: string }>;
  nonces(owner: string): Promise<bigint>;
}

/** A signature split the way `permit`, `stakeWithPermit` and `delegateBySig` take it. */
export interface SplitSignature {
  signature: string;
  v: number;
  r: string;
  s: string;
}

export const PERMIT_TYPES: Record<string, TypedDataField[]> = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export const DELEGATION_TYPES: Record<string, TypedDataField[]> = {
  Delegation: [
    { name: "delegatee", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "expiry", type: "uint256" },
  ],
};

/** The EIP-712 domain as the contract itself reports it (ERC-5267 `eip712Domain()`). */
export async function domainOf(token: Eip712Token): Promise<TypedDataDomain> {
  const domain = await token.eip712Domain();
  return {
    name: domain.name,
    version: domain.version,
    chainId: domain.chainId,
    verifyingContract: domain.verifyingContract,
  };
}

export interface PermitMessage {
  owner: string;
  spender: string;
  value: bigint;
  nonce: bigint;
  deadline: bigint;
}

/** Signs an EIP-2612 permit with `signer` for `message` (the owner in the message may differ from the signer). */
export async function signPermit(
  token: Eip712Token,
  signer: HardhatEthersSigner,
  message: PermitMessage,
): Promise<SplitSignature> {
  const signature = await signer.signTypedData(await domainOf(token), PERMIT_TYPES, message);
  const { v, r, s } = Signature.from(signature);
  return { signature, v, r, s };
}

/** Builds the permit message for `owner` with its current nonce and signs it as `owner`. */
export async function signOwnPermit(
  token: Eip712Token,
  owner: HardhatEthersSigner,
  spender: string,
  value: bigint,
  deadline: bigint,
): Promise<{ message: PermitMessage } & SplitSignature> {
  const message: PermitMessage = {
    owner: owner.address,
    spender,
    value,
    nonce: await token.nonces(owner.address),
    deadline,
  };
  return { message, ...(await signPermit(token, owner, message)) };
}

export interface DelegationMessage {
  delegatee: string;
  nonce: bigint;
  expiry: bigint;
}

/** Signs an ERC-5805 delegation (`delegateBySig`) with `signer`. */
export async function signDelegation(
  token: Eip712Token,
  signer: HardhatEthersSigner,
  message: DelegationMessage,
): Promise<SplitSignature> {
  const signature = await signer.signTypedData(await domainOf(token), DELEGATION_TYPES, message);
  const { v, r, s } = Signature.from(signature);
  return { signature, v, r, s };
}

/** What signDigest needs from a key: ethers' Wallet has it. */
export interface DigestSigner {
  address: string;
  signingKey: { sign(digest: string): { serialized: string } };
}

/**
 * Signatures of an EIP-712 `digest` (from sdk/eip712.ts: reportDigest or batchDigest) by each of `signers`, sorted
 * by signer address as the oracle requires: one hash for any number of keys, where signTypedData would re-encode
 * the typed data once per key.
 */
export function signDigest(digest: string, signers: readonly DigestSigner[]): SignerSignature[] {
  return sortBySigner(signers.map((s) => ({ signer: s.address, signature: s.signingKey.sign(digest).serialized })));
}
