import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { TypedDataDomain } from "ethers";

import { sortBySigner, type SignerSignature } from "../../sdk/core/eip712.js";
import * as permit from "../../sdk/core/permit.js";
import type { DelegationMessage, Eip712Token, PermitMessage, SplitSignature } from "../../sdk/core/permit.js";

// The EIP-712 types and signing live in the SDK; these wrappers only take the token instead of its domain.
export { DELEGATION_TYPES, PERMIT_TYPES } from "../../sdk/core/permit.js";
export type { DelegationMessage, Eip712Token, PermitMessage, SplitSignature } from "../../sdk/core/permit.js";

/** The EIP-712 domain as the contract itself reports it (ERC-5267 `eip712Domain()`). */
export function domainOf(token: Eip712Token): Promise<TypedDataDomain> {
  return permit.tokenDomain(token);
}

/** Signs an EIP-2612 permit with `signer` for `message` (the owner in the message may differ from the signer). */
export async function signPermit(
  token: Eip712Token,
  signer: HardhatEthersSigner,
  message: PermitMessage,
): Promise<SplitSignature> {
  return permit.signPermit(signer, await domainOf(token), message);
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

/** Signs an ERC-5805 delegation (`delegateBySig`) with `signer`. */
export async function signDelegation(
  token: Eip712Token,
  signer: HardhatEthersSigner,
  message: DelegationMessage,
): Promise<SplitSignature> {
  return permit.signDelegation(signer, await domainOf(token), message);
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
