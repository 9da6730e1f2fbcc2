/**
 * The task layer's operations (tasks/lib) on the in-process network: each validates its input and
 * refuses a wrong amount, state or id with a UserError naming it, before any transaction is sent.
 */
import { expect } from "chai";
import { network } from "hardhat";
import hre from "hardhat";

import { UserError } from "../../tasks/lib/cli.js";
import { bindContracts, openProtocol, readDeployment, resolveSigner } from "../../tasks/lib/context.js";
import { deploySuite } from "../../tasks/lib/deploy.js";
import {
  buildAction,
  castVote,
  execute,
  findProposal,
  propose,
  proposalStatus,
  queue,
} from "../../tasks/lib/governance.js";
import {
  claimStakingRewards,
  delegate,
  freezeNote,
  readPosition,
  requestUnstake,
  stake,
  withdraw,
} from "../../tasks/lib/staking.js";
import { TEST_PARAMS, suiteParameters } from "../fixtures/protocol.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const OPEN = 10n ** 18n;

async function deployedSuite() {
  const record = await deploySuite(
    connection,
    suiteParameters((await ethers.getSigners()).slice(5, 8).map((s) => s.address)),
    { root: hre.config.paths.root },
  );
  const [deployer, alice, bob] = await ethers.getSigners();
  if (deployer === undefined || alice === undefined || bob === undefined) throw new Error("accounts");
  const foundation = bindContracts(connection, record, deployer);
  await (await foundation.openToken.transfer(alice.address, 50_000n * OPEN)).wait();
  await (await foundation.openToken.transfer(bob.address, 50_000n * OPEN)).wait();
  return {
    record,
    foundation,
    alice: bindContracts(connection, record, alice),
    bob: bindContracts(connection, record, bob),
  };
}

async function staked() {
  const suite = await deployedSuite();
  await stake(suite.alice, 20_000n * OPEN);
  await delegate(suite.alice, suite.alice.signer.address);
  await networkHelpers.mine();
  return suite;
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(UserError);
    return (error as UserError).message;
  }
  throw new Error("expected a UserError");
}

describe("task operations", () => {
  describe("deploySuite", () => {
    it("returns a record with the chain id, a deploy block and the four addresses", async () => {
      const { record } = await networkHelpers.loadFixture(deployedSuite);
      expect(record.chainId).to.equal(31337);
      expect(record.deployBlock).to.equal(1);
      for (const address of Object.values(record.addresses)) {
        expect(await ethers.provider.getCode(address)).to.not.equal("0x");
      }
      expect(record.parameters.Governance?.votingDelay).to.equal(String(TEST_PARAMS.votingDelay));
    });
  });

  describe("openProtocol and readDeployment", () => {
    it("refuses the in-process network, which forgets everything when the command ends", async () => {
      expect(await rejection(openProtocol(hre))).to.match(/lives only inside one command/);
    });

    it("names the missing deployment file and the command that writes it", async () => {
      expect(await rejection(readDeployment(hre.config.paths.root, "nowhere"))).to.equal(
        'There is no deployment for network "nowhere" (deployments/nowhere.json); run `npx hardhat deploy --network nowhere` first.',
      );
    });

    it("resolves --from by index and by address, and refuses unknown ones", async () => {
      const [, second] = await ethers.getSigners();
      expect((await resolveSigner(connection, "1")).address).to.equal(second?.address);
      expect((await resolveSigner(connection, second?.address.toLowerCase() ?? "")).address).to.equal(second?.address);
      expect(await rejection(resolveSigner(connection, "500"))).to.match(/^--from 500 is out of range/);
      expect(await rejection(resolveSigner(connection, "0x000000000000000000000000000000000000dEaD"))).to.match(
        /is not an account this network can sign for/,
      );
    });
  });

  describe("staking", () => {
    it("stakes with a permit when there is no allowance, and with stake() when there is", async () => {
      const { alice } = await networkHelpers.loadFixture(deployedSuite);
      expect((await stake(alice, 1_000n * OPEN)).usedPermit).to.equal(true);
      await (await alice.openToken.approve(await alice.stakedOpen.getAddress(), 500n * OPEN)).wait();
      expect((await stake(alice, 500n * OPEN)).usedPermit).to.equal(false);
      expect(await alice.stakedOpen.balanceOf(alice.signer.address)).to.equal(1_500n * OPEN);
    });

    it("refuses to stake more OPEN than the account holds", async () => {
      const { alice } = await networkHelpers.loadFixture(deployedSuite);
      expect(await rejection(stake(alice, 50_001n * OPEN))).to.equal(
        `${alice.signer.address} holds 50,000 OPEN, less than the 50,001 OPEN to stake.`,
      );
    });

    it("refuses to unstake more than the stake", async () => {
      const { alice } = await networkHelpers.loadFixture(staked);
      expect(await rejection(requestUnstake(alice, 20_001n * OPEN))).to.match(/less than the 20,001 gOPEN to unstake/);
    });

    it("refuses to withdraw with nothing queued, then before the release time, then withdraws", async () => {
      const { alice } = await networkHelpers.loadFixture(staked);
      expect(await rejection(withdraw(alice))).to.match(/has no queued withdrawal/);
      const { releaseTime } = await requestUnstake(alice, 100n * OPEN);
      expect(await rejection(withdraw(alice))).to.match(/is released at .*; try again after that\.$/);
      await networkHelpers.time.increaseTo(releaseTime);
      expect((await withdraw(alice)).amount).to.equal(100n * OPEN);
    });

    it("refuses to withdraw while a slash proposal freezes the withdrawal, saying until when", async () => {
      const { alice, bob } = await networkHelpers.loadFixture(staked);
      await stake(bob, 1_000n * OPEN);
      const { releaseTime } = await requestUnstake(bob, 500n * OPEN);
      await networkHelpers.time.increaseTo(releaseTime);
      const slash = await buildAction(alice, "stakedOpen", "slash", JSON.stringify([bob.signer.address, "1", "test"]));
      await propose(alice, [slash], "Slash Bob 1 wei");
      const position = await readPosition(bob, bob.signer.address);
      expect(position.frozenUntil).to.be.greaterThan(releaseTime);
      expect(await rejection(withdraw(bob))).to.equal(freezeNote(bob.signer.address, position.frozenUntil));
      expect(freezeNote(bob.signer.address, position.frozenUntil)).to.match(
        /^The withdrawals of 0x[0-9a-fA-F]{40} are frozen until .* by a proposal to slash it: its queued OPEN stays slashable until governance decides/,
      );
      await networkHelpers.time.increaseTo(position.frozenUntil);
      expect((await withdraw(bob)).amount).to.equal(500n * OPEN);
    });

    it("refuses to stake while the contract is paused, and to send rewards to a protocol contract", async () => {
      const { alice, record } = await networkHelpers.loadFixture(staked);
      await networkHelpers.impersonateAccount(record.addresses.timelock);
      await networkHelpers.setBalance(record.addresses.timelock, 10n ** 20n);
      const governance = await ethers.getSigner(record.addresses.timelock);
      await (await alice.stakedOpen.connect(governance).pause()).wait();
      expect(await rejection(stake(alice, OPEN))).to.match(/^Staking is paused by the guardian/);
      await (await alice.stakedOpen.connect(governance).unpause()).wait();

      // Rewards notified now stream over the next reward period: two periods later they are all earned.
      const [deployer] = await ethers.getSigners();
      if (deployer === undefined) throw new Error("accounts");
      const funder = bindContracts(connection, record, deployer);
      await (await funder.openToken.approve(record.addresses.stakedOpen, 100n * OPEN)).wait();
      await (await funder.stakedOpen.notifyReward(100n * OPEN)).wait();
      await networkHelpers.time.increase(2n * TEST_PARAMS.rewardPeriod);
      expect(await rejection(claimStakingRewards(alice, record.addresses.inferenceRouter))).to.equal(
        `--to ${record.addresses.inferenceRouter} is the protocol's inferenceRouter contract: OPEN sent there would be locked; send it to an account.`,
      );
      const { amount } = await claimStakingRewards(alice);
      expect(100n * OPEN - amount).to.be.lessThan(10n ** 6n); // all of it, but for the rounding dust
    });

    it("refuses to claim when there is nothing to claim", async () => {
      const { alice } = await networkHelpers.loadFixture(staked);
      expect(await rejection(claimStakingRewards(alice))).to.equal(
        `${alice.signer.address} has no staking rewards to claim yet.`,
      );
    });

    it("reads a position", async () => {
      const { alice } = await networkHelpers.loadFixture(staked);
      const position = await readPosition(alice, alice.signer.address);
      expect(position.staked).to.equal(20_000n * OPEN);
      expect(position.votes).to.equal(20_000n * OPEN);
      expect(position.open).to.equal(30_000n * OPEN);
    });
  });

  describe("governance", () => {
    it("refuses an unknown contract, function, malformed or mismatched arguments", async () => {
      const { alice } = await networkHelpers.loadFixture(staked);
      expect(await rejection(buildAction(alice, "router", "x", "[]"))).to.equal(
        '--contract must be one of openToken, timelock, stakedOpen, governor, datanetRegistry, modelRegistry, attributionOracle, inferenceRouter, not "router".',
      );
      expect(await rejection(buildAction(alice, "stakedOpen", "setCooldwn", "[1]"))).to.match(
        /^stakedOpen has no function "setCooldwn"; it has .*setCooldown/,
      );
      expect(await rejection(buildAction(alice, "stakedOpen", "setCooldown", "[1"))).to.match(/must be a JSON array/);
      expect(await rejection(buildAction(alice, "stakedOpen", "setCooldown", "[1, 2]"))).to.equal(
        "stakedOpen.setCooldown takes 1 argument(s) (setCooldown(uint256)), but --args has 2.",
      );
      expect(await rejection(buildAction(alice, "stakedOpen", "setTreasury", '["nope"]'))).to.match(
        /^--args do not fit setTreasury\(address\)/,
      );
    });

    it("refuses to propose below the threshold and an empty description", async () => {
      const { alice, bob } = await networkHelpers.loadFixture(staked);
      const action = await buildAction(alice, "stakedOpen", "setCooldown", "[1209600]");
      expect(await rejection(propose(bob, [action], "x"))).to.match(/below the proposal threshold of 10,000 votes/);
      expect(await rejection(propose(alice, [action], "  "))).to.match(/--description must not be empty/);
    });

    it("carries a proposal through vote, queue and execute, refusing each step out of order", async () => {
      const { alice, bob } = await networkHelpers.loadFixture(staked);
      const action = await buildAction(alice, "stakedOpen", "setCooldown", "[1209600]");
      const filed = await propose(alice, [action], "Cooldown 14 days");
      expect(await rejection(propose(alice, [action], "Cooldown 14 days"))).to.match(
        /identical proposal already exists/,
      );
      expect(await rejection(castVote(alice, filed.proposalId, "for"))).to.match(/opens after/);
      expect(await rejection(queue(alice, filed.proposalId))).to.match(
        /is Pending; it can be queued only when Succeeded/,
      );

      await networkHelpers.time.increaseTo(filed.voteStart + 1n);
      expect(await rejection(castVote(alice, filed.proposalId, "maybe"))).to.match(/--support must be for, against/);
      expect((await castVote(alice, filed.proposalId, "for", "longer is safer")).weight).to.equal(20_000n * OPEN);
      expect(await rejection(castVote(alice, filed.proposalId, "for"))).to.match(/has already voted/);
      expect((await castVote(bob, filed.proposalId, "against")).weight).to.equal(0n);

      await networkHelpers.time.increaseTo(filed.voteEnd + 1n);
      expect(await rejection(execute(alice, filed.proposalId))).to.match(/it can be executed only when Queued/);
      const { eta } = await queue(alice, filed.proposalId);
      expect(await rejection(execute(alice, filed.proposalId))).to.match(/after the timelock delay/);
      await networkHelpers.time.increaseTo(eta);
      await execute(bob, filed.proposalId);

      expect(await alice.stakedOpen.cooldown()).to.equal(1_209_600n);
      const status = await proposalStatus(alice, filed.proposalId);
      expect(status.state).to.equal("Executed");
      expect(status.forVotes).to.equal(20_000n * OPEN);
      expect(status.quorum).to.equal(1_000n * OPEN); // 5% of the 20,000 gOPEN supply at the snapshot
      expect((await findProposal(alice, filed.proposalId)).description).to.equal("Cooldown 14 days");
    });

    it("refuses an unknown proposal id", async () => {
      const { alice } = await networkHelpers.loadFixture(staked);
      expect(await rejection(proposalStatus(alice, 7n))).to.equal("There is no proposal 7 on this governor.");
    });
  });
});
