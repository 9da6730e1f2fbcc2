/**
 * Whether `signer` signed `digest`, as the contracts decide it (OpenZeppelin's SignatureChecker): an ECDSA signature
 * that recovers to it, or, when `signer` is a contract (a multisig, a smart account, an EIP-7702 account), its
 * EIP-1271 `isValidSignature(digest, signature)` answering the magic value 0x1626ba7e.
 */
import { Interface, recoverAddress } from "ethers";

/** What isValidSignature returns for a valid signature: its own selector. */
export const ERC1271_MAGIC_VALUE = "0x1626ba7e";

const ERC1271 = new Interface(["function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)"]);

/** The reads it takes: an ethers provider has both. */
export interface CodeReader {
  getCode(address: string): Promise<string>;
  call(request: { to: string; data: string }): Promise<string>;
}

/** True when `signature` is `signer`'s over `digest`, by ECDSA or by EIP-1271; false for anything else. */
export async function isValidSignatureNow(
  provider: CodeReader,
  signer: string,
  digest: string,
  signature: string,
): Promise<boolean> {
  try {
    if (recoverAddress(digest, signature).toLowerCase() === signer.toLowerCase()) return true;
  } catch {
    // Not an ECDSA signature (a contract's own format): only EIP-1271 can accept it.
  }
  if ((await provider.getCode(signer)) === "0x") return false;
  try {
    const answer = await provider.call({
      to: signer,
      data: ERC1271.encodeFunctionData("isValidSignature", [digest, signature]),
    });
    return answer.length >= 10 && answer.slice(0, 10).toLowerCase() === ERC1271_MAGIC_VALUE;
  } catch {
    return false; // It reverted: not its signature.
  }
}
