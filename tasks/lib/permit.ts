import { Signature } from "ethers";

import type { ProtocolContext } from "./context.js";

/** EIP-2612 Permit type of OPEN. */
const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** How long a permit signed by the CLI stays valid, in seconds. */
const PERMIT_LIFETIME = 3_600n;

/**
 * Signs an EIP-2612 permit letting `spender` pull `value` OPEN-wei from the signer, valid for an hour
 * of chain time. The domain is read from the token itself.
 */
export async function signOpenPermit(
  ctx: ProtocolContext,
  spender: string,
  value: bigint,
): Promise<{ deadline: bigint; v: number; r: string; s: string }> {
  const { openToken, signer } = ctx;
  const block = await ctx.connection.ethers.provider.getBlock("latest");
  if (block === null) throw new Error("The node returned no latest block.");
  const deadline = BigInt(block.timestamp) + PERMIT_LIFETIME;
  const domain = await openToken.eip712Domain();
  const signature = Signature.from(
    await signer.signTypedData(
      {
        name: domain.name,
        version: domain.version,
        chainId: domain.chainId,
        verifyingContract: domain.verifyingContract,
      },
      PERMIT_TYPES,
      { owner: signer.address, spender, value, nonce: await openToken.nonces(signer.address), deadline },
    ),
  );
  return { deadline, v: signature.v, r: signature.r, s: signature.s };
}
