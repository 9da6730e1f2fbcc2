/**
 * EIP-2612 permits and ERC-5805 delegations by signature, for OPEN and gOPEN: the typed-data definitions
 * and the signers. The domain is always read from the token itself (ERC-5267 `eip712Domain()`).
 */
import { Signature, type AddressLike, type Signer, type TypedDataDomain, type TypedDataField } from "ethers";

/** What the signers need from a token: its ERC-5267 domain and its nonces (OPEN and gOPEN have both). */
export interface Eip712Token {
  eip712Domain(): Promise<{ name: string; version: string; chainId: bigint; verifyingContract: string }>;
  nonces(owner: AddressLike): Promise<bigint>;
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

/** An EIP-2612 permit: `owner` lets `spender` pull `value` until `deadline` (Unix seconds). */
export interface PermitMessage {
  owner: string;
  spender: string;
  value: bigint;
  nonce: bigint;
  deadline: bigint;
}

/** An ERC-5805 delegation by signature. */
export interface DelegationMessage {
  delegatee: string;
  nonce: bigint;
  expiry: bigint;
}

/** How long a permit signed by the client stays valid, in seconds of chain time. */
export const PERMIT_LIFETIME = 3_600n;

/** The token's EIP-712 domain, as the token reports it. */
export async function tokenDomain(token: Eip712Token): Promise<TypedDataDomain> {
  const domain = await token.eip712Domain();
  return {
    name: domain.name,
    version: domain.version,
    chainId: domain.chainId,
    verifyingContract: domain.verifyingContract,
  };
}

function split(signature: string): SplitSignature {
  const { v, r, s } = Signature.from(signature);
  return { signature, v, r, s };
}

/** Signs `message` as an EIP-2612 permit of the token whose domain is `domain`. */
export async function signPermit(
  signer: Signer,
  domain: TypedDataDomain,
  message: PermitMessage,
): Promise<SplitSignature> {
  return split(await signer.signTypedData(domain, PERMIT_TYPES, message));
}

/** Signs `message` as an ERC-5805 delegation of the token whose domain is `domain`. */
export async function signDelegation(
  signer: Signer,
  domain: TypedDataDomain,
  message: DelegationMessage,
): Promise<SplitSignature> {
  return split(await signer.signTypedData(domain, DELEGATION_TYPES, message));
}

/**
 * Signs a permit letting `spender` pull `value` of `token` from `signer`, with the owner's current nonce and a
 * deadline `lifetime` seconds after `now` (chain time).
 */
export async function signTokenPermit(
  token: Eip712Token,
  signer: Signer,
  spender: string,
  value: bigint,
  now: bigint,
  lifetime: bigint = PERMIT_LIFETIME,
): Promise<{ message: PermitMessage } & SplitSignature> {
  const owner = await signer.getAddress();
  const message: PermitMessage = { owner, spender, value, nonce: await token.nonces(owner), deadline: now + lifetime };
  return { message, ...(await signPermit(signer, await tokenDomain(token), message)) };
}
