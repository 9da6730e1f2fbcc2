/**
 * `npx hardhat rewards …` against a real node: what accounts can claim after a settled inference, the claims of
 * the creator's share and a contributor's credit (to itself and to another account), the release of the stakers'
 * share to gOPEN; and every refusal of bad input, each one sentence on stderr with nothing sent.
 */
import { expect } from "chai";
import { ZeroAddress, id, keccak256, toUtf8Bytes } from "ethers";

import { requestIdOf } from "../../sdk/core/inference.js";
import { CliNode, spawnCli } from "../helpers/cli.js";
import { OPEN, OUTPUT, PAYER, nodeWallet, setUpInferenceWorld } from "../helpers/cli-inference.js";

describe("CLI: rewards", function () {
  this.timeout(180_000);
  let cli: CliNode;
  let accounts: string[];

  before(async () => {
    cli = await CliNode.start("cli-rewards");
    accounts = await setUpInferenceWorld(cli);
    // One inference, attributed wholly to contribution 1 (account 2's) and settled by two oracle signers.
    const { inferenceId } = await cli
      .client(PAYER)
      .inference.pay(1n, 2000n, 1000n, { requestId: requestIdOf("rewards")! });
    const oracle = cli.client(0);
    const report = {
      inferenceId,
      outputHash: keccak256(toUtf8Bytes(OUTPUT)),
      indexCommitment: id("the rewards test's index"),
      contributionIds: [1n],
      weights: [OPEN("1")],
      deadline: (await oracle.context.now()) + 3600n,
    };
    const signed = await oracle.attribution.sign(
      [report],
      [17, 18].map((i) => nodeWallet(i, cli.provider)),
    );
    await oracle.attribution.push(signed);
  });
  after(async () => {
    await cli?.stop();
  });

  /** Runs a subtask that must succeed, returning what it printed. */
  async function ok(sub: string, args: Record<string, unknown>): Promise<string> {
    const result = await cli.run(["rewards", sub], args);
    expect(result.ok, result.output).to.equal(true);
    expect(result.errors).to.equal("");
    return result.output;
  }

  /** Runs a subtask that must refuse with one sentence containing `sentence`, having sent nothing. */
  async function refuses(sub: string, args: Record<string, unknown>, sentence: string): Promise<void> {
    const before = await cli.block();
    const result = await cli.run(["rewards", sub], args);
    expect(result.ok, result.output).to.equal(false);
    expect(result.errors.split("\n"), result.errors).to.have.length(1);
    expect(result.errors).to.contain(`Error: ${sentence}`);
    expect(await cli.sentSince(before), "something was sent").to.equal(false);
  }

  const openOf = (account: string) => cli.client(0).contracts.openToken.balanceOf(account);

  describe("show", () => {
    it("shows the contributor's credit and refunded bonds, by index, by address and as the acting account", async () => {
      for (const args of [{ account: "2" }, { account: accounts[2]!.toLowerCase() }, { from: "2" }]) {
        const output = await ok("show", args);
        expect(output.split("\n")[0]).to.equal(accounts[2]);
        expect(output).to.match(/inference earnings \(creator \+ data\)\s+0\.128 OPEN\s+npx hardhat rewards claim/);
        expect(output).to.match(/staking rewards\s+0 OPEN\s+npx hardhat stake claim/);
        // Account 2's two accepted contributions got their 10 OPEN bonds back (its pending one has not yet).
        expect(output).to.match(/refunded contribution bonds\s+20 OPEN\s+npx hardhat datanet refund/);
      }
    });

    it("shows the model creator's share", async () => {
      expect(await ok("show", { account: "1" })).to.match(/inference earnings \(creator \+ data\)\s+0\.128 OPEN/);
    });

    it("refuses a malformed account and an index out of range", async () => {
      await refuses("show", { account: "0x1234" }, "The account must be an address");
      await refuses("show", { account: "99" }, "The account 99 is out of range");
    });
  });

  describe("claim", () => {
    it("refuses the zero address as --to", async () => {
      await refuses("claim", { to: ZeroAddress, from: "2" }, "The recipient must not be the zero address.");
    });

    it("refuses an account index out of range, a malformed --to and a protocol contract", async () => {
      await refuses("claim", { to: "99", from: "2" }, "The recipient 99 is out of range");
      await refuses("claim", { to: "0x1234", from: "2" }, "The recipient must be an address");
      const router = cli.deployment.addresses.inferenceRouter;
      await refuses("claim", { to: router, from: "2" }, `${router} is the protocol's inferenceRouter contract`);
    });

    it("claims a contributor's credit to itself", async () => {
      const before = await openOf(accounts[2]!);
      const output = await ok("claim", { from: "2" });
      expect(output).to.match(
        new RegExp(`^Claimed 0\\.128 OPEN of inference earnings to ${accounts[2]} \\(tx 0x[0-9a-f]{64}\\)\\.$`),
      );
      expect((await openOf(accounts[2]!)) - before).to.equal(OPEN("0.128"));
    });

    it("claims the creator's share to another account, named by its index", async () => {
      const before = await openOf(accounts[3]!);
      const output = await ok("claim", { from: "1", to: "3" });
      expect(output).to.contain(`Claimed 0.128 OPEN of inference earnings to ${accounts[3]} (tx `);
      expect((await openOf(accounts[3]!)) - before).to.equal(OPEN("0.128"));
      expect((await cli.client(0).rewards.claimable(accounts[1]!)).credits).to.equal(0n);
    });

    it("refuses a claim with nothing to claim", async () => {
      await refuses("claim", { from: "2" }, `${accounts[2]} has no inference earnings to claim.`);
      await refuses("claim", { from: "5", to: "1" }, `${accounts[5]} has no inference earnings to claim.`);
    });
  });

  describe("release", () => {
    it("sends the stakers' share to gOPEN, which streams it over its next reward period", async () => {
      const { stakedOpen, inferenceRouter } = cli.client(0).contracts;
      const before = await openOf(cli.deployment.addresses.stakedOpen);
      const output = await ok("release", { from: "5" });
      expect(output).to.match(
        /^Released 0\.064 OPEN of stakers' shares to gOPEN \(tx 0x[0-9a-f]{64}\): it streams to stakers from \d{4}-/,
      );
      expect(output).not.to.contain("Nothing is staked now");
      expect((await openOf(await stakedOpen.getAddress())) - before).to.equal(OPEN("0.064"));
      expect(await inferenceRouter.stakersOwed()).to.equal(0n);
    });

    it("refuses when no stakers' share is waiting", async () => {
      await refuses(
        "release",
        {},
        "No stakers' share is waiting to be released: it accrues with every paid inference (`npx hardhat status` shows what the router owes).",
      );
    });
  });

  it("shows the group and a subtask's help on the real command line", async () => {
    const group = await spawnCli(["rewards", "--help"]);
    expect(group.code).to.equal(0);
    for (const sub of ["show", "claim", "release"]) expect(group.stdout).to.contain(`rewards ${sub}`);
    const claim = await spawnCli(["rewards", "claim", "--help"]);
    expect(claim.code).to.equal(0);
    expect(claim.stdout).to.contain("(e.g. npx hardhat rewards claim --to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    expect(claim.stdout).not.to.contain("(default: )");
  });
});
