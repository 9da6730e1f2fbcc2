/**
 * What a dapp checks before it sends anything: an amount or an address as a person typed it (sdk/core/input.ts), and that the
 * wallet is on the deployment's chain (`client.checkNetwork`). Each refusal is a ProtocolError with its sentence.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { createClient } from "../../../sdk/client/index.js";
import { parseAddress, parseOpen } from "../../../sdk/core/input.js";
import { CONTRACT_NAMES, type ContractName, type DeploymentRecord } from "../../../sdk/core/deployments.js";
import { refusal } from "../client/suite.js";

describe("dapp checks", () => {
  it("reads typed amounts into wei, exactly", () => {
    expect(parseOpen("100")).to.equal(100n * 10n ** 18n);
    expect(parseOpen(" 12.5 ")).to.equal(125n * 10n ** 17n);
    expect(parseOpen("0.000000000000000001")).to.equal(1n);
    expect(parseOpen("0", "the fee", true)).to.equal(0n);
  });

  it("refuses text that is not an amount, too many decimals and zero, in one sentence each", async () => {
    const invalid = await refusal(() => parseOpen("12,5", "the amount to stake"), "InvalidAmount");
    expect(invalid.message).to.equal('The amount to stake must be a number of OPEN such as 100 or 12.5, not "12,5".');
    for (const text of ["", "-1", "1e3", "0x10", "1."]) await refusal(() => parseOpen(text), "InvalidAmount");
    const decimals = await refusal(() => parseOpen("1.0000000000000000001"), "TooManyDecimals");
    expect(decimals.message).to.equal('The amount has more than 18 decimals: "1.0000000000000000001".');
    const zero = await refusal(() => parseOpen("0.0", "the amount to stake"), "ZeroAmount");
    expect(zero.message).to.equal("The amount to stake must be greater than zero.");
  });

  it("reads typed addresses in checksum form, and refuses anything else in one sentence", async () => {
    const address = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    expect(parseAddress(` ${address.toLowerCase()} `)).to.equal(address);
    const invalid = await refusal(() => parseAddress("0x7099", "the delegatee"), "InvalidAddress");
    expect(invalid.message).to.equal('The delegatee must be an address (0x and 40 hex digits), not "0x7099".');
    await refusal(() => parseAddress(address.replace("C8", "c8")), "InvalidAddress"); // a wrong checksum
  });

  it("refuses a provider on another chain than the deployment, and accepts the right one", async () => {
    const { ethers } = await network.create();
    const { chainId } = await ethers.provider.getNetwork();
    const addresses = Object.fromEntries(CONTRACT_NAMES.map((name) => [name, ethers.ZeroAddress])) as Record<
      ContractName,
      string
    >;
    const record = (id: number): DeploymentRecord => ({
      network: "test",
      chainId: id,
      deployBlock: 0,
      deployedAt: new Date(0).toISOString(),
      addresses,
      parameters: {},
    });
    await createClient({ deployment: record(Number(chainId)), provider: ethers.provider }).checkNetwork();
    const wrong = await refusal(
      createClient({ deployment: record(11_155_111), provider: ethers.provider }).checkNetwork(),
      "WrongNetwork",
      { chainId, expectedChainId: 11_155_111n },
    );
    expect(wrong.message).to.equal(
      `The wallet is on chain ${chainId}, but this deployment of the protocol is on chain 11155111: switch the wallet to chain 11155111.`,
    );
  });
});
