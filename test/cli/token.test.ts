/** `npx hardhat token …` against a real node: balances and transfers, and the refusals that send nothing. */
import { expect } from "chai";
import { ZeroAddress } from "ethers";

import { CliNode } from "../helpers/cli.js";

const ACCOUNT_1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

describe("CLI: token", function () {
  this.timeout(120_000);
  let cli: CliNode;

  before(async () => {
    cli = await CliNode.start("cli-token");
  });
  after(async () => {
    await cli?.stop();
  });

  it("transfers OPEN to an account named by its index, and shows its balance by index", async () => {
    const sent = await cli.run(["token", "transfer"], { to: "1", amount: "12.5" });
    expect(sent.ok, sent.output).to.equal(true);
    expect(sent.output).to.match(new RegExp(`^Sent 12\\.5 OPEN from 0x[0-9a-fA-F]{40} to ${ACCOUNT_1} \\(tx 0x`));
    const shown = await cli.run(["token", "balance"], { account: "1" });
    expect(shown.output).to.contain(ACCOUNT_1).and.contain("OPEN   12.5 OPEN");
    const byAddress = await cli.run(["token", "balance"], { account: ACCOUNT_1.toLowerCase(), from: "2" });
    expect(byAddress.output).to.contain("OPEN   12.5 OPEN");
  });

  for (const [what, args, sentence] of [
    ["the zero address", { to: ZeroAddress, amount: "1" }, "The recipient must not be the zero address."],
    ["an account index out of range", { to: "99", amount: "1" }, "The recipient 99 is out of range"],
    ["a malformed address", { to: "0x1234", amount: "1" }, "The recipient must be an address"],
    ["an amount that is not a number", { to: "1", amount: "ten" }, "The amount must be a positive number of OPEN"],
    ["a zero amount", { to: "1", amount: "0" }, "The amount must be greater than zero."],
    ["more than 18 decimals", { to: "1", amount: "0.0000000000000000001" }, "The amount has more than 18 decimals"],
    ["more than the balance", { to: "0", amount: "1", from: "3" }, "less than the 1 OPEN"],
    ["a --from it cannot sign for", { to: "1", amount: "1", from: ACCOUNT_1.replace("7099", "7098") }, "--from"],
  ] as const) {
    it(`refuses ${what} with one sentence and sends nothing`, async () => {
      const before = await cli.block();
      const result = await cli.run(["token", "transfer"], args);
      expect(result.ok, result.output).to.equal(false);
      expect(result.errors).to.contain(sentence);
      expect(result.errors.split("\n")).to.have.length(1);
      expect(await cli.sentSince(before)).to.equal(false);
    });
  }
});
