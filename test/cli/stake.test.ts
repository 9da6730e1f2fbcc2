/**
 * `npx hardhat stake …` against a real node: deposit, delegate, position, claim, unstake, withdraw and sweep, and
 * every refusal of bad input with one sentence and nothing sent.
 */
import { expect } from "chai";
import { ZeroAddress, parseUnits } from "ethers";

import { formatOpen } from "../../sdk/core/format.js";
import { CliNode, type CliRun } from "../helpers/cli.js";

const ACCOUNT_1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const ACCOUNT_2 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const ACCOUNT_3 = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
const ACCOUNT_4 = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
const OPEN = (amount: string) => parseUnits(amount, 18);

describe("CLI: stake", function () {
  this.timeout(180_000);
  let cli: CliNode;

  before(async () => {
    cli = await CliNode.start("cli-stake");
  });
  after(async () => {
    await cli?.stop();
  });

  /** Runs a task that must fail: one sentence on stderr, exit 1, nothing sent. */
  async function refuses(id: string[], args: Record<string, unknown>, sentence: string | RegExp): Promise<CliRun> {
    const before = await cli.block();
    const result = await cli.run(id, args);
    expect(result.ok, result.output).to.equal(false);
    expect(result.errors.split("\n"), result.errors).to.have.length(1);
    if (typeof sentence === "string") expect(result.errors).to.equal(`Error: ${sentence}`);
    else expect(result.errors).to.match(sentence);
    expect(await cli.sentSince(before), "something was sent").to.equal(false);
    return result;
  }

  async function succeeds(id: string[], args: Record<string, unknown>): Promise<string> {
    const result = await cli.run(id, args);
    expect(result.ok, result.output).to.equal(true);
    expect(result.errors).to.equal("");
    return result.output;
  }

  const openOf = (account: string) => cli.client(0).contracts.openToken.balanceOf(account);

  describe("sweep", () => {
    it("refuses to sweep when not a whole wei of dust has gathered", async () => {
      await refuses(["stake", "sweep"], {}, "There is no whole wei of rounding dust to sweep.");
    });

    it("sweeps what streamed while nothing was staked to the treasury", async () => {
      // A reward notified while nobody stakes streams over the next period to nobody: it becomes dust.
      const { openToken, stakedOpen, timelock } = cli.client(0).contracts;
      await (await openToken.approve(await stakedOpen.getAddress(), OPEN("3600"))).wait();
      await (await stakedOpen.notifyReward(OPEN("3600"))).wait();
      await cli.increaseTime(3_601);
      await cli.increaseTime(10);
      const treasury = await timelock.getAddress();
      const before = await openOf(treasury);
      const output = await succeeds(["stake", "sweep"], { from: "2" });
      const swept = (await openOf(treasury)) - before;
      expect(swept > OPEN("10")).to.equal(true);
      expect(output).to.match(
        new RegExp(
          `^Swept ${formatOpen(swept).replace(/[.]/g, "\\.")} of rounding dust to the treasury ${treasury} \\(tx 0x`,
        ),
      );
    });
  });

  describe("deposit", () => {
    before(async () => {
      await cli.client(0).token.transfer(ACCOUNT_1, OPEN("30000"));
      await cli.client(0).token.transfer(ACCOUNT_3, OPEN("5000"));
    });

    it("stakes OPEN by permit and says how to delegate", async () => {
      const output = await succeeds(["stake", "deposit"], { amount: "20000", from: "1" });
      expect(output).to.match(
        new RegExp(
          `^Staked 20,000 OPEN for ${ACCOUNT_1} \\(approved by permit\\); it now holds 20,000 gOPEN \\(tx 0x[0-9a-f]{64}\\)\\.`,
        ),
      );
      expect(output).to.contain(
        `Votes count only once delegated: to vote yourself, run \`npx hardhat stake delegate ${ACCOUNT_1} --from ${ACCOUNT_1} --network cli-stake\`.`,
      );
      expect((await cli.client(1).staking.position()).staked).to.equal(OPEN("20000"));
    });

    it("stakes an amount with decimals", async () => {
      const output = await succeeds(["stake", "deposit"], { amount: "1000.5", from: "3" });
      expect(output).to.contain("Staked 1,000.5 OPEN").and.contain("it now holds 1,000.5 gOPEN");
    });

    for (const [what, amount, from, sentence] of [
      [
        "more than the balance",
        "10000.000000000000000001",
        "1",
        `${ACCOUNT_1} holds 10,000 OPEN, less than the 10,000.000000000000000001 OPEN to stake.`,
      ],
      ["an account with no OPEN", "1", "4", `${ACCOUNT_4} holds 0 OPEN, less than the 1 OPEN to stake.`],
      ["a zero amount", "0", "1", "The amount must be greater than zero."],
      [
        "an amount that is not a number",
        "ten",
        "1",
        'The amount must be a positive number of OPEN such as 100 or 12.5, not "ten".',
      ],
      [
        "more than 18 decimals",
        "1.0000000000000000001",
        "1",
        'The amount has more than 18 decimals: "1.0000000000000000001".',
      ],
    ] as const) {
      it(`refuses to deposit ${what}`, async () => {
        await refuses(["stake", "deposit"], { amount, from }, sentence);
      });
    }
  });

  describe("delegate", () => {
    it("delegates to the acting account itself, named by its index", async () => {
      const output = await succeeds(["stake", "delegate"], { to: "1", from: "1" });
      expect(output).to.match(
        new RegExp(`^${ACCOUNT_1} delegated its votes to itself, which now has 20,000 votes \\(tx 0x`),
      );
    });

    it("delegates to another account, named by its index", async () => {
      const output = await succeeds(["stake", "delegate"], { to: "2", from: "3" });
      expect(output).to.contain(`${ACCOUNT_3} delegated its votes to ${ACCOUNT_2}, which now has 1,000.5 votes`);
      expect(await cli.client(0).contracts.stakedOpen.delegates(ACCOUNT_3)).to.equal(ACCOUNT_2);
    });

    for (const [what, to, sentence] of [
      ["the zero address", ZeroAddress, "The delegatee must not be the zero address."],
      [
        "an account index out of range",
        "99",
        'The delegatee 99 is out of range: network "cli-stake" has 20 account(s).',
      ],
      [
        "a malformed address",
        "0x1234",
        'The delegatee must be an address (0x followed by 40 hex digits), not "0x1234".',
      ],
    ] as const) {
      it(`refuses to delegate to ${what}`, async () => {
        await refuses(["stake", "delegate"], { to, from: "1" }, sentence);
      });
    }
  });

  describe("position", () => {
    it("shows an account named by its index, by its address, or the acting account", async () => {
      for (const args of [{ account: "1" }, { account: ACCOUNT_1.toLowerCase() }, { from: "1" }]) {
        const output = await succeeds(["stake", "position"], args);
        expect(output.split("\n")[0]).to.equal(ACCOUNT_1);
        expect(output).to.match(/OPEN held\s+10,000 OPEN/);
        expect(output).to.match(/staked\s+20,000 gOPEN/);
        expect(output).to.match(/votes\s+20,000 votes \(delegates to itself\)/);
        expect(output).to.match(/queued withdrawal\s+0 OPEN \(cooldown 1h\)/);
      }
    });

    it("says when an account never delegated", async () => {
      const output = await succeeds(["stake", "position"], { account: "4" });
      expect(output).to.match(/votes\s+0 votes \(delegates to nobody: delegate to vote\)/);
    });

    it("refuses an account index out of range", async () => {
      await refuses(
        ["stake", "position"],
        { account: "20" },
        'The account 20 is out of range: network "cli-stake" has 20 account(s).',
      );
    });
  });

  describe("claim", () => {
    before(async () => {
      await cli.increaseTime(60); // the reward stream pays the stakers now
    });

    it("claims the acting account's rewards to itself", async () => {
      const before = await openOf(ACCOUNT_1);
      const output = await succeeds(["stake", "claim"], { from: "1" });
      const claimed = (await openOf(ACCOUNT_1)) - before;
      expect(claimed > 0n).to.equal(true);
      expect(output).to.match(
        new RegExp(
          `^Claimed ${formatOpen(claimed).replace(/[.]/g, "\\.")} of staking rewards to ${ACCOUNT_1} \\(tx 0x`,
        ),
      );
    });

    it("claims to another account named by its index", async () => {
      const before = await openOf(ACCOUNT_2);
      const output = await succeeds(["stake", "claim"], { to: "2", from: "3" });
      const claimed = (await openOf(ACCOUNT_2)) - before;
      expect(claimed > 0n).to.equal(true);
      expect(output).to.contain(`of staking rewards to ${ACCOUNT_2}`).and.contain(formatOpen(claimed));
    });

    it("refuses an account with no rewards", async () => {
      await refuses(["stake", "claim"], { from: "4" }, `${ACCOUNT_4} has no staking rewards to claim yet.`);
    });

    for (const [what, to, sentence] of [
      ["the zero address", ZeroAddress, "The recipient must not be the zero address."],
      [
        "an account index out of range",
        "20",
        'The recipient 20 is out of range: network "cli-stake" has 20 account(s).',
      ],
      ["a malformed address", "0xabc", 'The recipient must be an address (0x followed by 40 hex digits), not "0xabc".'],
    ] as const) {
      it(`refuses --to ${what}`, async () => {
        await refuses(["stake", "claim"], { to, from: "1" }, sentence);
      });
    }

    it("refuses --to a contract of the suite", async () => {
      const stakedOpen = cli.deployment.addresses.stakedOpen;
      await refuses(
        ["stake", "claim"],
        { to: stakedOpen, from: "1" },
        `${stakedOpen} is the protocol's stakedOpen contract: OPEN sent there would be locked; send it to an account.`,
      );
    });
  });

  describe("unstake and withdraw", () => {
    it("refuses to unstake more than the stake, or nothing", async () => {
      await refuses(
        ["stake", "unstake"],
        { amount: "20000.5", from: "1" },
        `${ACCOUNT_1} has 20,000 gOPEN staked, less than the 20,000.5 gOPEN to unstake.`,
      );
      await refuses(
        ["stake", "unstake"],
        { amount: "1", from: "4" },
        `${ACCOUNT_4} has 0 gOPEN staked, less than the 1 gOPEN to unstake.`,
      );
      await refuses(["stake", "unstake"], { amount: "0", from: "1" }, "The amount must be greater than zero.");
    });

    it("burns gOPEN and queues the OPEN for after the cooldown", async () => {
      const output = await succeeds(["stake", "unstake"], { amount: "500", from: "1" });
      const { releaseTime } = await cli.client(1).contracts.stakedOpen.pendingWithdrawal(ACCOUNT_1);
      expect(output).to.match(
        new RegExp(`^Burned 500 gOPEN of ${ACCOUNT_1}; 500 OPEN is queued and released at \\S+Z \\(tx 0x`),
      );
      expect(output).to.contain(new Date(Number(releaseTime) * 1000).toISOString().replace(".000Z", "Z"));
      await succeeds(["stake", "unstake"], { amount: "1000.5", from: "3" });
      expect((await cli.client(3).staking.position()).staked).to.equal(0n);
    });

    it("refuses to withdraw with nothing queued", async () => {
      await refuses(
        ["stake", "withdraw"],
        { from: "4" },
        `${ACCOUNT_4} has no queued withdrawal; request one with \`npx hardhat stake unstake <amount>\`.`,
      );
    });

    it("refuses to withdraw before the cooldown has passed", async () => {
      await refuses(
        ["stake", "withdraw"],
        { from: "1" },
        new RegExp(`^Error: The 500 OPEN queued by ${ACCOUNT_1} is released at \\S+Z; try again after that\\.$`),
      );
    });

    it("refuses to withdraw while a proposal to slash the staker freezes it, and withdraws after the cooldown", async () => {
      const governance = cli.client(1).governance;
      await governance.propose(
        [governance.buildAction("stakedOpen", "slash", [ACCOUNT_1, 1000n, "test"])],
        "Slash account 1",
      );
      await cli.increaseTime(3_601);
      await refuses(
        ["stake", "withdraw"],
        { from: "1" },
        new RegExp(`^Error: The withdrawals of ${ACCOUNT_1} are frozen until \\S+Z by a proposal to slash it: `),
      );
      expect(await succeeds(["stake", "position"], { account: "1" })).to.contain("by a proposal to slash it");

      const before = await openOf(ACCOUNT_3);
      const output = await succeeds(["stake", "withdraw"], { from: "3" });
      expect(output).to.match(new RegExp(`^Withdrew 1,000\\.5 OPEN to ${ACCOUNT_3} \\(tx 0x`));
      expect((await openOf(ACCOUNT_3)) - before).to.equal(OPEN("1000.5"));
    });
  });
});
