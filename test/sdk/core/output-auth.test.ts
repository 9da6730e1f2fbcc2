/**
 * The output authentication's EIP-712 type: a model creator's signature over (chain, router, inference id, output
 * hash) recovers to the creator, and to someone else for any other chain, router, inference or text; it is never
 * an attribution report's signature.
 */
import { expect } from "chai";
import { Wallet } from "ethers";

import {
  ATTRIBUTION_DOMAIN_NAME,
  attributionDomain,
  outputDomain,
  outputHashOf,
  recoverInferenceOutputSigner,
  signInferenceOutput,
} from "../../../sdk/core/eip712.js";

const ROUTER = "0x00000000000000000000000000000000000000aa";
const OTHER_ROUTER = "0x00000000000000000000000000000000000000bb";

describe("SDK core: output authentication (EIP-712 InferenceOutput)", () => {
  const creator = Wallet.createRandom();
  const output = { inferenceId: 2n ** 200n + 1n, outputHash: outputHashOf("The answer, as served.") };

  it("recovers the creator from its signature over the output", async () => {
    const signature = await signInferenceOutput(outputDomain(31337, ROUTER), output, creator);
    expect(recoverInferenceOutputSigner(outputDomain(31337n, ROUTER), output, signature)).to.equal(creator.address);
  });

  it("binds the chain, the router, the inference and the text", async () => {
    const signature = await signInferenceOutput(outputDomain(31337, ROUTER), output, creator);
    for (const [domain, signed] of [
      [outputDomain(1, ROUTER), output],
      [outputDomain(31337, OTHER_ROUTER), output],
      [outputDomain(31337, ROUTER), { ...output, inferenceId: 1n }],
      [outputDomain(31337, ROUTER), { ...output, outputHash: outputHashOf("Another answer.") }],
    ] as const) {
      expect(recoverInferenceOutputSigner(domain, signed, signature)).not.to.equal(creator.address);
    }
  });

  it("has a domain of its own, never the attribution report's", () => {
    expect(outputDomain(31337, ROUTER).name).not.to.equal(ATTRIBUTION_DOMAIN_NAME);
    expect(outputDomain(31337, ROUTER).name).not.to.equal(attributionDomain(31337, ROUTER).name);
  });

  it("refuses a malformed signature", () => {
    expect(() => recoverInferenceOutputSigner(outputDomain(31337, ROUTER), output, "0x1234")).to.throw();
  });
});
