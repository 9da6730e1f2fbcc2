import { expect } from "chai";
import { network } from "hardhat";
import { deployProtocol } from "./fixtures/protocol.js";

const connection = await network.create();
describe("smoke", () => {
  it("deploys", async () => {
    const f = await deployProtocol(connection);
    expect(await f.openToken.totalSupply()).to.equal(10n ** 27n);
    expect(await f.stakedOpen.owner()).to.equal(await f.timelock.getAddress());
  });
});
