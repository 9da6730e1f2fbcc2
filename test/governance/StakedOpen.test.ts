import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { type ContractTransactionResponse, MaxUint256, ZeroAddress } from "ethers";
import { network } from "hardhat";

import { TEST_PARAMS, deployProtocol, type Connection } from "../fixtures/protocol.js";
import { StakedOpen__factory, type StakedOpen } from "../../types/ethers-contracts/index.js";
import { impersonate } from "../helpers/accounts.js";
import { clockBaseOf, expectOpenConserved } from "../helpers/conservation.js";
import { DAY, HOUR, WAD, WEEK, defined, open } from "../helpers/constants.js";
import { Roles } from "../helpers/governance.js";
import { StreamingRewardModel } from "../helpers/rewardModel.js";
import { shouldBehaveLikeGovernanceOnly } from "../helpers/shouldBehaveLikeGovernanceOnly.js";
import { signDelegation, signOwnPermit } from "../helpers/signatures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const MIN_COOLDOWN = HOUR;
const MAX_COOLDOWN = 90n * DAY;
const MIN_REWARD_PERIOD = HOUR;
const MAX_REWARD_PERIOD = 30n * DAY;
const MAX_FREEZE = 60n * DAY;
const MIN_REWARDED_SUPPLY = WAD;
const COOLDOWN = TEST_PARAMS.unstakeCooldown;
const PERIOD = TEST_PARAMS.rewardPeriod;
const FUNDS = open(1_000_000n);
const ALICE_STAKE = open(100n);
const BOB_STAKE = open(300n);

/**
 * The deployed protocol plus: alice, bob, carol and `notifier` (who stands for the router: anyone may
 * notify rewards) funded with OPEN and approved for StakedOpen; `dave` funded but with no allowance (for
 * permits); `governance`, a signer for the timelock (StakedOpen's owner and treasury); the deployment
 * time, from which reward periods of one day start.
 */
async function stakedOpenFixture(conn: Connection) {
  const protocol = await deployProtocol(conn);
  const { openToken, stakedOpen, timelock, alice, bob, carol, others } = protocol;
  const notifier = defined(others[4], "notifier signer");
  const dave = defined(others[5], "dave signer");
  const treasury = await timelock.getAddress();
  const governance = await impersonate(conn, treasury);
  for (const account of [alice, bob, carol, notifier, dave]) await openToken.transfer(account, FUNDS);
  for (const account of [alice, bob, carol, notifier]) {
    await openToken.connect(account).approve(stakedOpen, MaxUint256);
  }
  const deployedAt = (await clockBaseOf(stakedOpen)) + 1n;
  return { ...protocol, notifier, dave, governance, treasury, deployedAt };
}

/** stakedOpenFixture with alice staking 100 OPEN and bob 300 OPEN, both delegated to themselves. */
async function stakedFixture(conn: Connection) {
  const f = await stakedOpenFixture(conn);
  await f.stakedOpen.connect(f.alice).stake(ALICE_STAKE);
  await f.stakedOpen.connect(f.alice).delegate(f.alice);
  await f.stakedOpen.connect(f.bob).stake(BOB_STAKE);
  await f.stakedOpen.connect(f.bob).delegate(f.bob);
  return f;
}

/** Fixes the timestamp of the next block `offset` seconds after the latest one and returns it. */
async function pinNextTimestamp(offset = 10n): Promise<bigint> {
  const timestamp = BigInt(await time.latest()) + offset;
  await time.setNextBlockTimestamp(timestamp);
  return timestamp;
}

async function latest(): Promise<bigint> {
  return BigInt(await time.latest());
}

/** The Unix time of the block that mined `tx`. */
async function minedAt(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction not mined");
  return BigInt((await receipt.getBlock()).timestamp);
}

/** Start of reward period `k` of a deployment made at `deployedAt`. */
function periodStart(deployedAt: bigint, k: bigint): bigint {
  return deployedAt + k * PERIOD;
}

/** OPEN-wei × 1e18 per second at which `amount` notified during one period streams over the next. */
function rateOf(amount: bigint): bigint {
  return (amount * WAD) / PERIOD;
}

/** What `streamed` (OPEN-wei × 1e18) credits to stakers holding `supply`: whole accumulator steps. */
function credited(streamed: bigint, supply: bigint): bigint {
  return (streamed / supply) * supply;
}

describe("StakedOpen", () => {
  describe("constructor", () => {
    /** The admin roles of a fresh deployment: governance and treasury the timelock, the fixture's guardian. */
    async function deployArgs() {
      const f = await networkHelpers.loadFixture(stakedOpenFixture);
      const admin = { governance: f.treasury, treasury: f.treasury, guardian: f.guardian.address };
      return { ...f, admin, factory: new StakedOpen__factory(f.deployer) };
    }

    it("reverts with StakedOpenZeroAddress when OPEN is the zero address", async () => {
      const { factory, admin } = await deployArgs();
      await expect(factory.deploy(ZeroAddress, admin, WEEK, DAY)).to.be.revertedWithCustomError(
        factory,
        "StakedOpenZeroAddress",
      );
    });

    it("reverts with ProtocolAdminZeroAddress when the treasury is the zero address", async () => {
      const { factory, admin, openToken } = await deployArgs();
      await expect(
        factory.deploy(openToken, { ...admin, treasury: ZeroAddress }, WEEK, DAY),
      ).to.be.revertedWithCustomError(factory, "ProtocolAdminZeroAddress");
    });

    it("reverts with OwnableInvalidOwner when governance is the zero address", async () => {
      const { factory, admin, openToken } = await deployArgs();
      await expect(factory.deploy(openToken, { ...admin, governance: ZeroAddress }, WEEK, DAY))
        .to.be.revertedWithCustomError(factory, "OwnableInvalidOwner")
        .withArgs(ZeroAddress);
    });

    it("reverts with StakedOpenCooldownOutOfBounds when the initial cooldown is out of bounds", async () => {
      const { factory, admin, openToken } = await deployArgs();
      await expect(factory.deploy(openToken, admin, MIN_COOLDOWN - 1n, DAY))
        .to.be.revertedWithCustomError(factory, "StakedOpenCooldownOutOfBounds")
        .withArgs(MIN_COOLDOWN - 1n, MIN_COOLDOWN, MAX_COOLDOWN);
    });

    it("reverts with StakedOpenRewardPeriodOutOfBounds below MIN_REWARD_PERIOD and above MAX_REWARD_PERIOD", async () => {
      const { factory, admin, openToken } = await deployArgs();
      await expect(factory.deploy(openToken, admin, WEEK, MIN_REWARD_PERIOD - 1n))
        .to.be.revertedWithCustomError(factory, "StakedOpenRewardPeriodOutOfBounds")
        .withArgs(MIN_REWARD_PERIOD - 1n, MIN_REWARD_PERIOD, MAX_REWARD_PERIOD);
      await expect(factory.deploy(openToken, admin, WEEK, MAX_REWARD_PERIOD + 1n))
        .to.be.revertedWithCustomError(factory, "StakedOpenRewardPeriodOutOfBounds")
        .withArgs(MAX_REWARD_PERIOD + 1n, MIN_REWARD_PERIOD, MAX_REWARD_PERIOD);
    });

    it("emits OwnershipTransferred, TreasuryUpdated, GuardianUpdated and CooldownUpdated from their zero values", async () => {
      const { factory, admin, openToken, treasury, guardian } = await deployArgs();
      const contract = await factory.deploy(openToken, admin, WEEK, DAY);
      const deployment = contract.deploymentTransaction();
      await expect(deployment).to.emit(contract, "OwnershipTransferred").withArgs(ZeroAddress, treasury);
      await expect(deployment).to.emit(contract, "TreasuryUpdated").withArgs(ZeroAddress, treasury);
      await expect(deployment).to.emit(contract, "GuardianUpdated").withArgs(ZeroAddress, guardian.address);
      await expect(deployment).to.emit(contract, "CooldownUpdated").withArgs(0n, WEEK);
    });
  });

  describe("initial state", () => {
    it("is the gOPEN token: Staked Open, 18 decimals, nothing minted", async () => {
      const { stakedOpen } = await networkHelpers.loadFixture(stakedOpenFixture);
      expect(await stakedOpen.name()).to.equal("Staked Open");
      expect(await stakedOpen.symbol()).to.equal("gOPEN");
      expect(await stakedOpen.decimals()).to.equal(18n);
      expect(await stakedOpen.totalSupply()).to.equal(0n);
    });

    it("stakes OPEN, is owned by the timelock from construction, pays the timelock as treasury", async () => {
      const { stakedOpen, openToken, treasury, guardian } = await networkHelpers.loadFixture(stakedOpenFixture);
      expect(await stakedOpen.stakingToken()).to.equal(await openToken.getAddress());
      expect(await stakedOpen.owner()).to.equal(treasury);
      expect(await stakedOpen.pendingOwner()).to.equal(ZeroAddress);
      expect(await stakedOpen.treasury()).to.equal(treasury);
      expect(await stakedOpen.guardian()).to.equal(guardian.address);
      expect(await stakedOpen.paused()).to.equal(false);
    });

    it("has the deployment cooldown, reward period and their bounds", async () => {
      const { stakedOpen } = await networkHelpers.loadFixture(stakedOpenFixture);
      expect(await stakedOpen.cooldown()).to.equal(COOLDOWN);
      expect(await stakedOpen.rewardPeriod()).to.equal(PERIOD);
      expect(await stakedOpen.MIN_COOLDOWN()).to.equal(MIN_COOLDOWN);
      expect(await stakedOpen.MAX_COOLDOWN()).to.equal(MAX_COOLDOWN);
      expect(await stakedOpen.MIN_REWARD_PERIOD()).to.equal(MIN_REWARD_PERIOD);
      expect(await stakedOpen.MAX_REWARD_PERIOD()).to.equal(MAX_REWARD_PERIOD);
      expect(await stakedOpen.MAX_FREEZE()).to.equal(MAX_FREEZE);
      expect(await stakedOpen.MIN_REWARDED_SUPPLY()).to.equal(MIN_REWARDED_SUPPLY);
    });

    it("starts the first reward period at deployment, with nothing streaming or queued", async () => {
      const { stakedOpen, deployedAt } = await networkHelpers.loadFixture(stakedOpenFixture);
      const [periodEnd, ratePerSecond, queued] = await stakedOpen.rewardStream();
      expect(periodEnd).to.equal(periodStart(deployedAt, 1n));
      expect(ratePerSecond).to.equal(0n);
      expect(queued).to.equal(0n);
    });

    it("starts with empty reward, dust and queue accounting", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedOpenFixture);
      expect(await stakedOpen.rewardPerToken()).to.equal(0n);
      expect(await stakedOpen.dustScaled()).to.equal(0n);
      expect(await stakedOpen.earnedScaled(alice)).to.equal(0n);
      const pending = await stakedOpen.pendingWithdrawal(alice);
      expect(pending.amount).to.equal(0n);
      expect(pending.releaseTime).to.equal(0n);
      expect(pending.frozenUntil).to.equal(0n);
    });
  });

  describe("stake", () => {
    it("reverts with StakedOpenZeroAmount when staking zero", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(alice).stake(0n)).to.be.revertedWithCustomError(
        stakedOpen,
        "StakedOpenZeroAmount",
      );
    });

    it("pulls the OPEN from the staker into StakedOpen", async () => {
      const { stakedOpen, openToken, alice } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(alice).stake(ALICE_STAKE)).to.changeTokenBalances(
        ethers,
        openToken,
        [alice, stakedOpen],
        [-ALICE_STAKE, ALICE_STAKE],
      );
    });

    it("mints gOPEN 1:1 and adds to an existing stake", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(alice).stake(ALICE_STAKE);
      await expect(stakedOpen.connect(alice).stake(1n)).to.changeTokenBalances(ethers, stakedOpen, [alice], [1n]);
      expect(await stakedOpen.balanceOf(alice)).to.equal(ALICE_STAKE + 1n);
      expect(await stakedOpen.totalSupply()).to.equal(ALICE_STAKE + 1n);
    });

    it("emits Staked and a mint Transfer", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedOpenFixture);
      const tx = stakedOpen.connect(alice).stake(ALICE_STAKE);
      await expect(tx).to.emit(stakedOpen, "Staked").withArgs(alice.address, ALICE_STAKE);
      await expect(tx).to.emit(stakedOpen, "Transfer").withArgs(ZeroAddress, alice.address, ALICE_STAKE);
    });

    it("reverts with OPEN's ERC20InsufficientAllowance when StakedOpen is not approved", async () => {
      const { stakedOpen, openToken, dave } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(dave).stake(ALICE_STAKE))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientAllowance")
        .withArgs(await stakedOpen.getAddress(), 0n, ALICE_STAKE);
    });

    it("reverts with OPEN's ERC20InsufficientBalance when staking more than the OPEN held", async () => {
      const { stakedOpen, openToken, alice } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(alice).stake(FUNDS + 1n))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientBalance")
        .withArgs(alice.address, FUNDS, FUNDS + 1n);
    });

    it("gives no votes until the staker delegates", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(alice).stake(ALICE_STAKE);
      expect(await stakedOpen.delegates(alice)).to.equal(ZeroAddress);
      expect(await stakedOpen.getVotes(alice)).to.equal(0n);
    });

    it("adds to the votes of the staker's delegate and emits DelegateVotesChanged", async () => {
      const { stakedOpen, alice, bob } = await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(alice).delegate(bob);
      await expect(stakedOpen.connect(alice).stake(ALICE_STAKE))
        .to.emit(stakedOpen, "DelegateVotesChanged")
        .withArgs(bob.address, 0n, ALICE_STAKE);
      expect(await stakedOpen.getVotes(bob)).to.equal(ALICE_STAKE);
    });
  });

  describe("stakeWithPermit", () => {
    it("stakes without a prior approval using the caller's permit", async () => {
      const { stakedOpen, openToken, dave } = await networkHelpers.loadFixture(stakedOpenFixture);
      const deadline = (await latest()) + HOUR;
      const { v, r, s } = await signOwnPermit(openToken, dave, await stakedOpen.getAddress(), ALICE_STAKE, deadline);
      await expect(stakedOpen.connect(dave).stakeWithPermit(ALICE_STAKE, deadline, v, r, s)).to.changeTokenBalances(
        ethers,
        openToken,
        [dave, stakedOpen],
        [-ALICE_STAKE, ALICE_STAKE],
      );
      expect(await stakedOpen.balanceOf(dave)).to.equal(ALICE_STAKE);
    });

    it("emits Staked, consumes the permit nonce and leaves no allowance", async () => {
      const { stakedOpen, openToken, dave } = await networkHelpers.loadFixture(stakedOpenFixture);
      const deadline = (await latest()) + HOUR;
      const { v, r, s } = await signOwnPermit(openToken, dave, await stakedOpen.getAddress(), ALICE_STAKE, deadline);
      await expect(stakedOpen.connect(dave).stakeWithPermit(ALICE_STAKE, deadline, v, r, s))
        .to.emit(stakedOpen, "Staked")
        .withArgs(dave.address, ALICE_STAKE);
      expect(await openToken.nonces(dave)).to.equal(1n);
      expect(await openToken.allowance(dave, stakedOpen)).to.equal(0n);
    });

    it("tolerates a front-run permit when the allowance it set is in place", async () => {
      const { stakedOpen, openToken, dave, bob } = await networkHelpers.loadFixture(stakedOpenFixture);
      const deadline = (await latest()) + HOUR;
      const { v, r, s } = await signOwnPermit(openToken, dave, await stakedOpen.getAddress(), ALICE_STAKE, deadline);
      // Bob copies the signature from the mempool and submits the permit first.
      await openToken.connect(bob).permit(dave, stakedOpen, ALICE_STAKE, deadline, v, r, s);
      await expect(stakedOpen.connect(dave).stakeWithPermit(ALICE_STAKE, deadline, v, r, s))
        .to.emit(stakedOpen, "Staked")
        .withArgs(dave.address, ALICE_STAKE);
      expect(await stakedOpen.balanceOf(dave)).to.equal(ALICE_STAKE);
    });

    it("reverts with OPEN's ERC20InsufficientAllowance when the permit expired and nothing is approved", async () => {
      const { stakedOpen, openToken, dave } = await networkHelpers.loadFixture(stakedOpenFixture);
      const deadline = (await latest()) + HOUR;
      const { v, r, s } = await signOwnPermit(openToken, dave, await stakedOpen.getAddress(), ALICE_STAKE, deadline);
      await time.increaseTo(deadline + 1n);
      await expect(stakedOpen.connect(dave).stakeWithPermit(ALICE_STAKE, deadline, v, r, s))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientAllowance")
        .withArgs(await stakedOpen.getAddress(), 0n, ALICE_STAKE);
    });

    it("reverts with StakedOpenZeroAmount when staking zero", async () => {
      const { stakedOpen, openToken, dave } = await networkHelpers.loadFixture(stakedOpenFixture);
      const deadline = (await latest()) + HOUR;
      const { v, r, s } = await signOwnPermit(openToken, dave, await stakedOpen.getAddress(), 0n, deadline);
      await expect(stakedOpen.connect(dave).stakeWithPermit(0n, deadline, v, r, s)).to.be.revertedWithCustomError(
        stakedOpen,
        "StakedOpenZeroAmount",
      );
    });
  });

  describe("requestUnstake", () => {
    it("reverts with StakedOpenZeroAmount when unstaking zero", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(alice).requestUnstake(0n)).to.be.revertedWithCustomError(
        stakedOpen,
        "StakedOpenZeroAmount",
      );
    });

    it("reverts with StakedOpenInsufficientStake when unstaking more than the stake", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(alice).requestUnstake(ALICE_STAKE + 1n))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenInsufficientStake")
        .withArgs(alice.address, ALICE_STAKE, ALICE_STAKE + 1n);
    });

    it("reverts with StakedOpenInsufficientStake when the caller never staked", async () => {
      const { stakedOpen, carol } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(carol).requestUnstake(1n))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenInsufficientStake")
        .withArgs(carol.address, 0n, 1n);
    });

    it("burns the gOPEN at once, emits a burn Transfer and keeps the OPEN in StakedOpen", async () => {
      const { stakedOpen, openToken, alice } = await networkHelpers.loadFixture(stakedFixture);
      const tx = stakedOpen.connect(alice).requestUnstake(open(40n));
      await expect(tx).to.changeTokenBalances(ethers, stakedOpen, [alice], [-open(40n)]);
      await expect(tx).to.changeTokenBalances(ethers, openToken, [alice, stakedOpen], [0n, 0n]);
      await expect(tx).to.emit(stakedOpen, "Transfer").withArgs(alice.address, ZeroAddress, open(40n));
      expect(await stakedOpen.totalSupply()).to.equal(ALICE_STAKE + BOB_STAKE - open(40n));
    });

    it("queues the amount for release after the cooldown and emits UnstakeRequested", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      const requestedAt = await pinNextTimestamp();
      await expect(stakedOpen.connect(alice).requestUnstake(open(40n)))
        .to.emit(stakedOpen, "UnstakeRequested")
        .withArgs(alice.address, open(40n), open(40n), requestedAt + COOLDOWN);
      const pending = await stakedOpen.pendingWithdrawal(alice);
      expect(pending.amount).to.equal(open(40n));
      expect(pending.releaseTime).to.equal(requestedAt + COOLDOWN);
    });

    it("drops the delegate's votes at once", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(alice).requestUnstake(open(40n)))
        .to.emit(stakedOpen, "DelegateVotesChanged")
        .withArgs(alice.address, ALICE_STAKE, ALICE_STAKE - open(40n));
      expect(await stakedOpen.getVotes(alice)).to.equal(ALICE_STAKE - open(40n));
    });

    it("adds a second request to the queue and restarts the cooldown of the whole queue", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(alice).requestUnstake(open(10n));
      const secondAt = await pinNextTimestamp(DAY);
      await expect(stakedOpen.connect(alice).requestUnstake(open(15n)))
        .to.emit(stakedOpen, "UnstakeRequested")
        .withArgs(alice.address, open(15n), open(25n), secondAt + COOLDOWN);
      const pending = await stakedOpen.pendingWithdrawal(alice);
      expect(pending.amount).to.equal(open(25n));
      expect(pending.releaseTime).to.equal(secondAt + COOLDOWN);
    });

    it("stops the unstaked amount from earning while keeping what it earned", async () => {
      const { stakedOpen, alice, bob, notifier, deployedAt } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(notifier).notifyReward(open(86_400n)); // 1 OPEN per second over period 1
      await time.setNextBlockTimestamp(periodStart(deployedAt, 1n) + 100n);
      await stakedOpen.connect(alice).requestUnstake(ALICE_STAKE); // 100 s at 1/4 of 1 OPEN/s
      expect(await stakedOpen.earnedScaled(alice)).to.equal(open(25n) * WAD);
      await time.increase(1_000n);
      expect(await stakedOpen.earnedScaled(alice)).to.equal(open(25n) * WAD);
      // Bob: 3/4 of the first 100 s, then all of 1,000 s, less what 300 gOPEN-wei cannot divide (the carry).
      const rate = rateOf(open(86_400n));
      const perToken = (rate * 100n) / (ALICE_STAKE + BOB_STAKE) + (rate * 1_000n) / BOB_STAKE;
      expect(await stakedOpen.earnedScaled(bob)).to.equal(BOB_STAKE * perToken);
      expect(open(1_075n) - (await stakedOpen.earned(bob)) < BOB_STAKE / WAD).to.equal(true);
    });
  });

  describe("withdraw", () => {
    it("reverts with StakedOpenNothingToWithdraw when nothing is queued", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(alice).withdraw())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenNothingToWithdraw")
        .withArgs(alice.address);
    });

    it("reverts with StakedOpenCooldownActive one second before the release time", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      const requestedAt = await pinNextTimestamp();
      await stakedOpen.connect(alice).requestUnstake(open(40n));
      const releaseTime = requestedAt + COOLDOWN;
      await time.setNextBlockTimestamp(releaseTime - 1n);
      await expect(stakedOpen.connect(alice).withdraw())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenCooldownActive")
        .withArgs(alice.address, releaseTime);
    });

    it("releases the queue at exactly the release time and emits Withdrawn", async () => {
      const { stakedOpen, openToken, alice } = await networkHelpers.loadFixture(stakedFixture);
      const requestedAt = await pinNextTimestamp();
      await stakedOpen.connect(alice).requestUnstake(open(40n));
      await time.setNextBlockTimestamp(requestedAt + COOLDOWN);
      const tx = stakedOpen.connect(alice).withdraw();
      await expect(tx).to.changeTokenBalances(ethers, openToken, [alice, stakedOpen], [open(40n), -open(40n)]);
      await expect(tx).to.emit(stakedOpen, "Withdrawn").withArgs(alice.address, open(40n));
    });

    it("sends the whole queue of several requests and clears it", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(alice).requestUnstake(open(10n));
      await stakedOpen.connect(alice).requestUnstake(open(15n));
      await time.increase(COOLDOWN);
      expect(await stakedOpen.connect(alice).withdraw.staticCall()).to.equal(open(25n));
      await stakedOpen.connect(alice).withdraw();
      const pending = await stakedOpen.pendingWithdrawal(alice);
      expect(pending.amount).to.equal(0n);
      expect(pending.releaseTime).to.equal(0n);
      await expect(stakedOpen.connect(alice).withdraw())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenNothingToWithdraw")
        .withArgs(alice.address);
    });

    it("does not touch the remaining stake or votes", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(alice).requestUnstake(open(10n));
      await time.increase(COOLDOWN);
      await stakedOpen.connect(alice).withdraw();
      expect(await stakedOpen.balanceOf(alice)).to.equal(ALICE_STAKE - open(10n));
      expect(await stakedOpen.getVotes(alice)).to.equal(ALICE_STAKE - open(10n));
    });
  });

  describe("withdrawal freezes", () => {
    /** stakedFixture with alice's whole stake queued, and a signer for the governor (the timelock's proposer). */
    async function queuedForFreezeFixture(conn: Connection) {
      const f = await stakedFixture(conn);
      const requestedAt = await minedAt(f.stakedOpen.connect(f.alice).requestUnstake(ALICE_STAKE));
      const governorSigner = await impersonate(conn, await f.governor.getAddress());
      return { ...f, releaseTime: requestedAt + COOLDOWN, governorSigner };
    }

    it("lets the governor freeze as a proposer of the owning timelock and emits WithdrawalsFrozen", async () => {
      const { stakedOpen, timelock, governor, governorSigner, alice } =
        await networkHelpers.loadFixture(queuedForFreezeFixture);
      expect(await timelock.hasRole(Roles.PROPOSER, governor)).to.equal(true);
      const until = (await latest()) + 16n * DAY;
      await expect(stakedOpen.connect(governorSigner).freezeWithdrawals(alice, until))
        .to.emit(stakedOpen, "WithdrawalsFrozen")
        .withArgs(alice.address, until, await governor.getAddress());
      expect((await stakedOpen.pendingWithdrawal(alice)).frozenUntil).to.equal(until);
    });

    it("lets governance freeze", async () => {
      const { stakedOpen, governance, treasury, alice } = await networkHelpers.loadFixture(queuedForFreezeFixture);
      const until = (await latest()) + 10n * DAY;
      await expect(stakedOpen.connect(governance).freezeWithdrawals(alice, until))
        .to.emit(stakedOpen, "WithdrawalsFrozen")
        .withArgs(alice.address, until, treasury);
    });

    it("reverts with StakedOpenNotFreezer for anyone else, the guardian included", async () => {
      const { stakedOpen, alice, bob, guardian, deployer } = await networkHelpers.loadFixture(queuedForFreezeFixture);
      const until = (await latest()) + DAY;
      for (const caller of [bob, guardian, deployer]) {
        await expect(stakedOpen.connect(caller).freezeWithdrawals(alice, until))
          .to.be.revertedWithCustomError(stakedOpen, "StakedOpenNotFreezer")
          .withArgs(caller.address);
      }
    });

    it("makes withdraw revert with StakedOpenWithdrawalsFrozen after the cooldown, until the freeze ends", async () => {
      const { stakedOpen, openToken, governorSigner, alice, releaseTime } =
        await networkHelpers.loadFixture(queuedForFreezeFixture);
      const until = releaseTime + 2n * DAY;
      await stakedOpen.connect(governorSigner).freezeWithdrawals(alice, until);
      await time.setNextBlockTimestamp(releaseTime);
      await expect(stakedOpen.connect(alice).withdraw())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenWithdrawalsFrozen")
        .withArgs(alice.address, until);
      await time.setNextBlockTimestamp(until - 1n);
      await expect(stakedOpen.connect(alice).withdraw())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenWithdrawalsFrozen")
        .withArgs(alice.address, until);
      await time.setNextBlockTimestamp(until);
      await expect(stakedOpen.connect(alice).withdraw()).to.changeTokenBalances(
        ethers,
        openToken,
        [alice],
        [ALICE_STAKE],
      );
    });

    it("only ever extends a freeze: an earlier or equal end changes nothing and emits nothing", async () => {
      const { stakedOpen, governorSigner, alice } = await networkHelpers.loadFixture(queuedForFreezeFixture);
      const until = (await latest()) + 10n * DAY;
      await stakedOpen.connect(governorSigner).freezeWithdrawals(alice, until);
      await expect(stakedOpen.connect(governorSigner).freezeWithdrawals(alice, until - 1n)).to.not.emit(
        stakedOpen,
        "WithdrawalsFrozen",
      );
      await expect(stakedOpen.connect(governorSigner).freezeWithdrawals(alice, until)).to.not.emit(
        stakedOpen,
        "WithdrawalsFrozen",
      );
      expect((await stakedOpen.pendingWithdrawal(alice)).frozenUntil).to.equal(until);
      await expect(stakedOpen.connect(governorSigner).freezeWithdrawals(alice, until + DAY))
        .to.emit(stakedOpen, "WithdrawalsFrozen")
        .withArgs(alice.address, until + DAY, await governorSigner.getAddress());
    });

    it("caps a freeze at MAX_FREEZE (60 days) from when it is placed", async () => {
      const { stakedOpen, governorSigner, alice } = await networkHelpers.loadFixture(queuedForFreezeFixture);
      const placedAt = await pinNextTimestamp();
      await expect(stakedOpen.connect(governorSigner).freezeWithdrawals(alice, placedAt + 365n * DAY))
        .to.emit(stakedOpen, "WithdrawalsFrozen")
        .withArgs(alice.address, placedAt + MAX_FREEZE, await governorSigner.getAddress());
      expect((await stakedOpen.pendingWithdrawal(alice)).frozenUntil).to.equal(placedAt + MAX_FREEZE);
    });

    it("keeps stake, votes and rewards of a frozen account, and lets it request more unstakes", async () => {
      const { stakedOpen, governorSigner, bob, notifier } = await networkHelpers.loadFixture(queuedForFreezeFixture);
      const until = (await latest()) + 30n * DAY;
      await stakedOpen.connect(governorSigner).freezeWithdrawals(bob, until);
      await stakedOpen.connect(notifier).notifyReward(open(10n));
      await time.increase(2n * PERIOD);
      expect(await stakedOpen.getVotes(bob)).to.equal(BOB_STAKE);
      await stakedOpen.connect(bob).requestUnstake(open(1n));
      const pending = await stakedOpen.pendingWithdrawal(bob);
      expect(pending.amount).to.equal(open(1n));
      expect(pending.frozenUntil).to.equal(until);
      await expect(stakedOpen.connect(bob).claimRewards()).to.emit(stakedOpen, "RewardClaimed");
    });

    it("lets governance lift a freeze with unfreezeWithdrawals and emits WithdrawalsUnfrozen", async () => {
      const { stakedOpen, openToken, governance, governorSigner, alice, releaseTime } =
        await networkHelpers.loadFixture(queuedForFreezeFixture);
      await stakedOpen.connect(governorSigner).freezeWithdrawals(alice, releaseTime + 30n * DAY);
      await time.increaseTo(releaseTime);
      await expect(stakedOpen.connect(governance).unfreezeWithdrawals(alice))
        .to.emit(stakedOpen, "WithdrawalsUnfrozen")
        .withArgs(alice.address);
      expect((await stakedOpen.pendingWithdrawal(alice)).frozenUntil).to.equal(0n);
      await expect(stakedOpen.connect(alice).withdraw()).to.changeTokenBalances(
        ethers,
        openToken,
        [alice],
        [ALICE_STAKE],
      );
    });

    it("reverts unfreezeWithdrawals by the governor with OwnableUnauthorizedAccount: only governance lifts", async () => {
      const { stakedOpen, governorSigner, alice } = await networkHelpers.loadFixture(queuedForFreezeFixture);
      await expect(stakedOpen.connect(governorSigner).unfreezeWithdrawals(alice))
        .to.be.revertedWithCustomError(stakedOpen, "OwnableUnauthorizedAccount")
        .withArgs(await governorSigner.getAddress());
    });
  });

  describe("non-transferability", () => {
    it("reverts transfer, also of zero, with StakedOpenNonTransferable", async () => {
      const { stakedOpen, alice, carol } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(alice).transfer(carol, 1n)).to.be.revertedWithCustomError(
        stakedOpen,
        "StakedOpenNonTransferable",
      );
      await expect(stakedOpen.connect(alice).transfer(carol, 0n)).to.be.revertedWithCustomError(
        stakedOpen,
        "StakedOpenNonTransferable",
      );
    });

    it("reverts transferFrom with StakedOpenNonTransferable", async () => {
      const { stakedOpen, alice, carol } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(carol).transferFrom(alice, carol, 1n)).to.be.revertedWithCustomError(
        stakedOpen,
        "StakedOpenNonTransferable",
      );
    });

    it("reverts approve with StakedOpenNonTransferable: gOPEN has no allowances", async () => {
      const { stakedOpen, alice, carol } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(alice).approve(carol, ALICE_STAKE)).to.be.revertedWithCustomError(
        stakedOpen,
        "StakedOpenNonTransferable",
      );
      expect(await stakedOpen.allowance(alice, carol)).to.equal(0n);
    });
  });

  describe("votes and clock", () => {
    it("uses a timestamp clock: CLOCK_MODE is mode=timestamp and clock() the block time", async () => {
      const { stakedOpen } = await networkHelpers.loadFixture(stakedOpenFixture);
      expect(await stakedOpen.CLOCK_MODE()).to.equal("mode=timestamp");
      await time.increase(12_345n);
      expect(await stakedOpen.clock()).to.equal(await latest());
    });

    it("activates the votes on delegation to self and emits DelegateChanged and DelegateVotesChanged", async () => {
      const { stakedOpen, carol } = await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(carol).stake(open(5n));
      const tx = stakedOpen.connect(carol).delegate(carol);
      await expect(tx).to.emit(stakedOpen, "DelegateChanged").withArgs(carol.address, ZeroAddress, carol.address);
      await expect(tx).to.emit(stakedOpen, "DelegateVotesChanged").withArgs(carol.address, 0n, open(5n));
      expect(await stakedOpen.getVotes(carol)).to.equal(open(5n));
    });

    it("moves the votes when delegating to another account, and away on delegating to nobody", async () => {
      const { stakedOpen, alice, bob } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(alice).delegate(bob);
      expect(await stakedOpen.delegates(alice)).to.equal(bob.address);
      expect(await stakedOpen.getVotes(alice)).to.equal(0n);
      expect(await stakedOpen.getVotes(bob)).to.equal(ALICE_STAKE + BOB_STAKE);
      await expect(stakedOpen.connect(alice).delegate(ZeroAddress))
        .to.emit(stakedOpen, "DelegateVotesChanged")
        .withArgs(bob.address, ALICE_STAKE + BOB_STAKE, BOB_STAKE);
      expect(await stakedOpen.getVotes(ZeroAddress)).to.equal(0n);
    });

    it("keys checkpoints by block timestamp and counts them", async () => {
      const { stakedOpen, carol } = await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(carol).delegate(carol);
      const stakedAt = await pinNextTimestamp(1_000n);
      await stakedOpen.connect(carol).stake(open(5n));
      const toppedUpAt = await pinNextTimestamp(1_000n);
      await stakedOpen.connect(carol).stake(open(2n));
      expect(await stakedOpen.numCheckpoints(carol)).to.equal(2n);
      const first = await stakedOpen.checkpoints(carol, 0n);
      expect(first.key).to.equal(stakedAt);
      expect(first.value).to.equal(open(5n));
      const second = await stakedOpen.checkpoints(carol, 1n);
      expect(second.key).to.equal(toppedUpAt);
      expect(second.value).to.equal(open(7n));
    });

    it("reverts checkpoints past the last with StakedOpenCheckpointOutOfRange", async () => {
      const { stakedOpen, alice, carol } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.checkpoints(carol, 0n))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenCheckpointOutOfRange")
        .withArgs(0n, 0n);
      const count = await stakedOpen.numCheckpoints(alice);
      await expect(stakedOpen.checkpoints(alice, count))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenCheckpointOutOfRange")
        .withArgs(count, count);
    });

    it("answers getPastVotes and getPastTotalSupply by timestamp", async () => {
      const { stakedOpen, carol } = await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(carol).delegate(carol);
      const t1 = await pinNextTimestamp(100n);
      await stakedOpen.connect(carol).stake(open(5n));
      const t2 = await pinNextTimestamp(100n);
      await stakedOpen.connect(carol).stake(open(7n));
      const t3 = await pinNextTimestamp(100n);
      await stakedOpen.connect(carol).requestUnstake(open(2n));
      await time.increase(100n);

      expect(await stakedOpen.getPastVotes(carol, t1 - 1n)).to.equal(0n);
      expect(await stakedOpen.getPastVotes(carol, t1)).to.equal(open(5n));
      expect(await stakedOpen.getPastVotes(carol, t2 - 1n)).to.equal(open(5n));
      expect(await stakedOpen.getPastVotes(carol, t2)).to.equal(open(12n));
      expect(await stakedOpen.getPastVotes(carol, t3)).to.equal(open(10n));
      expect(await stakedOpen.getPastTotalSupply(t1 - 1n)).to.equal(0n);
      expect(await stakedOpen.getPastTotalSupply(t2)).to.equal(open(12n));
      expect(await stakedOpen.getPastTotalSupply(t3)).to.equal(open(10n));
    });

    it("reverts getPastVotes and getPastTotalSupply with StakedOpenFutureLookup for a timepoint not yet past", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      const now = await latest();
      await expect(stakedOpen.getPastVotes(alice, now))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenFutureLookup")
        .withArgs(now, now);
      await expect(stakedOpen.getPastTotalSupply(now + 1_000n))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenFutureLookup")
        .withArgs(now + 1_000n, now);
    });

    it("delegates by signature (delegateBySig), submitted by anyone", async () => {
      const { stakedOpen, alice, bob, carol } = await networkHelpers.loadFixture(stakedFixture);
      const expiry = (await latest()) + HOUR;
      const nonce = await stakedOpen.nonces(alice);
      const { v, r, s } = await signDelegation(stakedOpen, alice, { delegatee: carol.address, nonce, expiry });
      await expect(stakedOpen.connect(bob).delegateBySig(carol, nonce, expiry, v, r, s))
        .to.emit(stakedOpen, "DelegateChanged")
        .withArgs(alice.address, alice.address, carol.address);
      expect(await stakedOpen.delegates(alice)).to.equal(carol.address);
      expect(await stakedOpen.getVotes(carol)).to.equal(ALICE_STAKE);
      expect(await stakedOpen.nonces(alice)).to.equal(nonce + 1n);
    });

    it("reverts delegateBySig with VotesExpiredSignature after the expiry", async () => {
      const { stakedOpen, alice, carol } = await networkHelpers.loadFixture(stakedFixture);
      const expiry = (await latest()) + HOUR;
      const { v, r, s } = await signDelegation(stakedOpen, alice, { delegatee: carol.address, nonce: 0n, expiry });
      await time.setNextBlockTimestamp(expiry + 1n);
      await expect(stakedOpen.delegateBySig(carol, 0n, expiry, v, r, s))
        .to.be.revertedWithCustomError(stakedOpen, "VotesExpiredSignature")
        .withArgs(expiry);
    });

    it("reverts a replayed delegateBySig with InvalidAccountNonce", async () => {
      const { stakedOpen, alice, carol } = await networkHelpers.loadFixture(stakedFixture);
      const expiry = (await latest()) + HOUR;
      const { v, r, s } = await signDelegation(stakedOpen, alice, { delegatee: carol.address, nonce: 0n, expiry });
      await stakedOpen.delegateBySig(carol, 0n, expiry, v, r, s);
      await expect(stakedOpen.delegateBySig(carol, 0n, expiry, v, r, s))
        .to.be.revertedWithCustomError(stakedOpen, "InvalidAccountNonce")
        .withArgs(alice.address, 1n);
    });
  });

  describe("notifyReward", () => {
    it("reverts with StakedOpenZeroAmount when notifying zero", async () => {
      const { stakedOpen, notifier } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(notifier).notifyReward(0n)).to.be.revertedWithCustomError(
        stakedOpen,
        "StakedOpenZeroAmount",
      );
    });

    it("reverts with OPEN's ERC20InsufficientAllowance when the notifier did not approve", async () => {
      const { stakedOpen, openToken, dave } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(dave).notifyReward(open(1n)))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientAllowance")
        .withArgs(await stakedOpen.getAddress(), 0n, open(1n));
    });

    it("lets anyone notify: pulls the OPEN and emits RewardNotified with the period it streams over", async () => {
      const { stakedOpen, openToken, carol, deployedAt } = await networkHelpers.loadFixture(stakedFixture);
      const tx = stakedOpen.connect(carol).notifyReward(open(40n));
      await expect(tx)
        .to.emit(stakedOpen, "RewardNotified")
        .withArgs(carol.address, open(40n), periodStart(deployedAt, 1n), periodStart(deployedAt, 2n));
      await expect(tx).to.changeTokenBalances(ethers, openToken, [carol, stakedOpen], [-open(40n), open(40n)]);
    });

    it("queues the reward without changing the current period, the accumulator or anyone's earnings", async () => {
      const { stakedOpen, alice, notifier, deployedAt } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(notifier).notifyReward(open(8_640n));
      await time.increaseTo(periodStart(deployedAt, 1n) + 10n);
      const [endBefore, rateBefore] = await stakedOpen.rewardStream();
      await time.setNextBlockTimestamp(periodStart(deployedAt, 1n) + 20n);
      await stakedOpen.connect(notifier).notifyReward(open(1_000n));
      const [endAfter, rateAfter, queued] = await stakedOpen.rewardStream();
      expect([endAfter, rateAfter]).to.deep.equal([endBefore, rateBefore]);
      expect(queued).to.equal(open(1_000n));
      // 20 s of 0.1 OPEN/s, alice's quarter: the new reward adds nothing yet.
      expect(await stakedOpen.earned(alice)).to.equal(open(1n) / 2n);
    });

    it("adds every notification of a period to one queue that streams at one rate over the next", async () => {
      const { stakedOpen, notifier, deployedAt } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(notifier).notifyReward(open(1n));
      await stakedOpen.connect(notifier).notifyReward(open(2n));
      expect((await stakedOpen.rewardStream())[2]).to.equal(open(3n));
      await time.increaseTo(periodStart(deployedAt, 1n));
      const [periodEnd, ratePerSecond, queued] = await stakedOpen.rewardStream();
      expect(periodEnd).to.equal(periodStart(deployedAt, 2n));
      expect(ratePerSecond).to.equal(rateOf(open(3n)));
      expect(queued).to.equal(0n);
    });
  });

  describe("reward stream", () => {
    it("pays nothing during the period of the notification, then streams linearly over the next", async () => {
      const { stakedOpen, alice, bob, notifier, deployedAt } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(notifier).notifyReward(open(86_400n)); // 1 OPEN per second over period 1
      await time.increaseTo(periodStart(deployedAt, 1n) - 1n);
      expect(await stakedOpen.earnedScaled(alice)).to.equal(0n);
      await time.increaseTo(periodStart(deployedAt, 1n) + 1_000n);
      expect(await stakedOpen.earned(alice)).to.equal(open(250n));
      expect(await stakedOpen.earned(bob)).to.equal(open(750n));
      await time.increaseTo(periodStart(deployedAt, 2n) + DAY);
      expect(await stakedOpen.earned(alice)).to.equal(open(21_600n));
      expect(await stakedOpen.earned(bob)).to.equal(open(64_800n));
      expect(await stakedOpen.dustScaled()).to.equal(0n);
    });

    it("emits RewardPeriodStarted at the first accrual of the new period", async () => {
      const { stakedOpen, carol, notifier, deployedAt } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(notifier).notifyReward(open(10n));
      await time.setNextBlockTimestamp(periodStart(deployedAt, 1n) + 5n);
      await expect(stakedOpen.connect(carol).stake(open(1n)))
        .to.emit(stakedOpen, "RewardPeriodStarted")
        .withArgs(periodStart(deployedAt, 1n), periodStart(deployedAt, 2n), open(10n), rateOf(open(10n)));
    });

    it("emits RewardPeriodStarted with the queue's rate when that period has ended too by the next accrual", async () => {
      const { stakedOpen, carol, notifier, deployedAt } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(notifier).notifyReward(open(10n));
      await time.setNextBlockTimestamp(periodStart(deployedAt, 3n) + 5n);
      await expect(stakedOpen.connect(carol).stake(open(1n)))
        .to.emit(stakedOpen, "RewardPeriodStarted")
        .withArgs(periodStart(deployedAt, 1n), periodStart(deployedAt, 2n), open(10n), rateOf(open(10n)));
    });

    it("rolls over idle periods: a later notification streams over the period after its own", async () => {
      const { stakedOpen, alice, notifier, deployedAt } = await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(alice).stake(open(1n));
      await stakedOpen.connect(notifier).notifyReward(open(10n));
      await time.increaseTo(periodStart(deployedAt, 5n) + 123n);
      const [periodEnd, ratePerSecond, queued] = await stakedOpen.rewardStream();
      expect(periodEnd).to.equal(periodStart(deployedAt, 6n));
      expect(ratePerSecond).to.equal(0n);
      expect(queued).to.equal(0n);
      const streamed = rateOf(open(10n)) * PERIOD;
      expect(await stakedOpen.earnedScaled(alice)).to.equal(credited(streamed, open(1n)));
      expect(await stakedOpen.dustScaled()).to.equal(open(10n) * WAD - streamed);

      await expect(stakedOpen.connect(notifier).notifyReward(open(4n)))
        .to.emit(stakedOpen, "RewardNotified")
        .withArgs(notifier.address, open(4n), periodStart(deployedAt, 6n), periodStart(deployedAt, 7n));
      await time.increaseTo(periodStart(deployedAt, 6n) + 60n);
      expect(await stakedOpen.earnedScaled(alice)).to.equal(credited(streamed + rateOf(open(4n)) * 60n, open(1n)));
    });

    it("makes the stream dust while nothing is staked", async () => {
      const { stakedOpen, openToken, notifier, carol, treasury, deployedAt } =
        await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(notifier).notifyReward(open(5n));
      await time.increaseTo(periodStart(deployedAt, 2n));
      expect(await stakedOpen.dustScaled()).to.equal(open(5n) * WAD);
      await expect(stakedOpen.connect(carol).sweepDust()).to.changeTokenBalances(
        ethers,
        openToken,
        [treasury, stakedOpen],
        [open(5n), -open(5n)],
      );
    });

    it("makes the stream dust while less than MIN_REWARDED_SUPPLY is staked, and shares it from then on", async () => {
      const { stakedOpen, alice, bob, notifier, deployedAt } = await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(alice).stake(MIN_REWARDED_SUPPLY - 1n);
      await stakedOpen.connect(notifier).notifyReward(open(1n));
      await time.setNextBlockTimestamp(periodStart(deployedAt, 1n) + PERIOD / 2n);
      await stakedOpen.connect(bob).stake(1n);
      expect(await stakedOpen.earnedScaled(alice)).to.equal(0n);
      await time.increaseTo(periodStart(deployedAt, 2n));
      const half = rateOf(open(1n)) * (PERIOD / 2n);
      const remainder = open(1n) * WAD - 2n * half;
      expect(await stakedOpen.dustScaled()).to.equal(remainder + half);
      const shared = (await stakedOpen.earnedScaled(alice)) + (await stakedOpen.earnedScaled(bob));
      expect(shared).to.equal(credited(half, MIN_REWARDED_SUPPLY));
    });

    it("matches an independent model through stakes, unstakes, notifications and claims over several periods", async () => {
      const { stakedOpen, openToken, alice, bob, carol, notifier, deployedAt } =
        await networkHelpers.loadFixture(stakedOpenFixture);
      const model = new StreamingRewardModel(deployedAt, PERIOD);
      const actors = [alice, bob, carol];
      const check = async (step: string) => {
        const now = await latest();
        for (const actor of actors) {
          expect(await stakedOpen.earnedScaled(actor), `${step}: earnedScaled`).to.equal(
            model.earnedScaled(now, actor.address),
          );
        }
        expect(await stakedOpen.rewardPerToken(), `${step}: rewardPerToken`).to.equal(model.rewardPerToken);
        expect(await stakedOpen.dustScaled(), `${step}: dustScaled`).to.equal(model.dustScaled(now));
        const [periodEnd, ratePerSecond, queued] = await stakedOpen.rewardStream();
        expect({ periodEnd, ratePerSecond, queued }, `${step}: rewardStream`).to.deep.equal(model.stream(now));
        await expectOpenConserved(openToken, stakedOpen, actors);
      };
      const stake = async (who: HardhatEthersSigner, amount: bigint) =>
        model.stake(await minedAt(stakedOpen.connect(who).stake(amount)), who.address, amount);
      const unstake = async (who: HardhatEthersSigner, amount: bigint) =>
        model.unstake(await minedAt(stakedOpen.connect(who).requestUnstake(amount)), who.address, amount);
      const notify = async (amount: bigint) =>
        model.notify(await minedAt(stakedOpen.connect(notifier).notifyReward(amount)), amount);

      await stake(alice, open(100n) + 1n);
      await notify(open(3n) + 2n);
      await check("a first reward queued");
      await time.increaseTo(periodStart(deployedAt, 1n) + 777n);
      await stake(bob, open(33n) + 7n);
      await stake(carol, 13n);
      await notify(999_999_999_999n);
      await check("three stakers during period 1");
      await time.increase(5n * HOUR);
      await unstake(alice, open(50n));
      await notify(open(7n) + 11n);
      await check("after an unstake");
      await time.increaseTo(periodStart(deployedAt, 3n) + 3n);
      const claimAt = await minedAt(stakedOpen.connect(bob).claimRewards());
      model.claim(claimAt, bob.address);
      await check("after a claim two periods later");
      await time.increaseTo(periodStart(deployedAt, 6n));
      await check("after the streams ended");
    });
  });

  describe("just-in-time staker (issue 10, item 3)", () => {
    /**
     * alice alone holds 1,000 gOPEN from period 0; 864 OPEN notified then stream over period 1 at
     * 0.01 OPEN/s. Mid-period 1, bob brings 99,000 gOPEN (99% of the stake) the second before a
     * payment of 8,640 OPEN is released to stakers, and leaves `hold` seconds later.
     */
    async function jitFixture(conn: Connection) {
      const f = await stakedOpenFixture(conn);
      const aliceStakedAt = await minedAt(f.stakedOpen.connect(f.alice).stake(open(1_000n)));
      const notifiedAt = await minedAt(f.stakedOpen.connect(f.notifier).notifyReward(open(864n)));
      return { ...f, aliceStakedAt, notifiedAt };
    }

    /** A fresh model of the fixture's history (loadFixture hands every test the same objects). */
    function jitModel(f: Awaited<ReturnType<typeof jitFixture>>): StreamingRewardModel {
      const model = new StreamingRewardModel(f.deployedAt, PERIOD);
      model.stake(f.aliceStakedAt, f.alice.address, open(1_000n));
      model.notify(f.notifiedAt, open(864n));
      return model;
    }

    async function snipe(f: Awaited<ReturnType<typeof jitFixture>>, model: StreamingRewardModel, hold: bigint) {
      const { stakedOpen, bob, notifier } = f;
      await time.setNextBlockTimestamp(periodStart(f.deployedAt, 1n) + HOUR);
      const enteredAt = await minedAt(stakedOpen.connect(bob).stake(open(99_000n)));
      model.stake(enteredAt, bob.address, open(99_000n));
      model.notify(await minedAt(stakedOpen.connect(notifier).notifyReward(open(8_640n))), open(8_640n));
      await time.setNextBlockTimestamp(enteredAt + hold);
      const leftAt = await minedAt(stakedOpen.connect(bob).requestUnstake(open(99_000n)));
      model.unstake(leftAt, bob.address, open(99_000n));
      return { enteredAt, leftAt };
    }

    it("earns only the seconds it held, at the rate already streaming: nothing of the payment it timed", async () => {
      const f = await networkHelpers.loadFixture(jitFixture);
      const model = jitModel(f);
      const { enteredAt, leftAt } = await snipe(f, model, 2n);
      // Its time-weighted share: 99% of 2 s at 0.01 OPEN/s = 0.0198 OPEN, not 99% of 8,640 OPEN.
      const share = (rateOf(open(864n)) * (leftAt - enteredAt) * 99n) / 100n;
      const earned = await f.stakedOpen.earnedScaled(f.bob);
      expect(earned <= share, "JIT staker earned more than its time-weighted share").to.equal(true);
      expect(earned).to.equal(model.earnedScaled(await latest(), f.bob.address));
      expect(await f.stakedOpen.earned(f.bob)).to.equal(open(198n) / 10_000n);
    });

    it("can claim at once only that share; the honest staker receives the payment as it streams", async () => {
      const f = await networkHelpers.loadFixture(jitFixture);
      const model = jitModel(f);
      await snipe(f, model, 2n);
      await expect(f.stakedOpen.connect(f.bob).claimRewards())
        .to.emit(f.stakedOpen, "RewardClaimed")
        .withArgs(f.bob.address, f.bob.address, open(198n) / 10_000n);
      await time.increaseTo(periodStart(f.deployedAt, 3n));
      const aliceEarned = await f.stakedOpen.earned(f.alice);
      // Everything but the sniper's 0.0198 OPEN and the rounding of the rates (below 1e-14 OPEN).
      expect(open(864n + 8_640n) - open(198n) / 10_000n - aliceEarned < 10n ** 4n).to.equal(true);
      expect(await f.stakedOpen.earnedScaled(f.alice)).to.equal(model.earnedScaled(await latest(), f.alice.address));
    });

    it("earns its time-weighted share when it stays into the period that streams the payment, and no more", async () => {
      const f = await networkHelpers.loadFixture(jitFixture);
      const model = jitModel(f);
      const hold = PERIOD; // out one hour into period 2
      const { enteredAt, leftAt } = await snipe(f, model, hold);
      const inPeriod1 = periodStart(f.deployedAt, 2n) - enteredAt;
      const inPeriod2 = leftAt - periodStart(f.deployedAt, 2n);
      const share = ((rateOf(open(864n)) * inPeriod1 + rateOf(open(8_640n)) * inPeriod2) * 99n) / 100n;
      const earned = await f.stakedOpen.earnedScaled(f.bob);
      expect(earned <= share).to.equal(true);
      expect(share - earned < open(99_000n), "short of its share by more than the carry").to.equal(true);
      expect(earned).to.equal(model.earnedScaled(await latest(), f.bob.address));
      await expectOpenConserved(f.openToken, f.stakedOpen, [f.alice, f.bob]);
    });
  });

  describe("claimRewards", () => {
    /** alice 1 OPEN + 1 wei and bob 2 OPEN staked, 10 OPEN streamed over period 1: sub-wei remainders. */
    async function subWeiRewardsFixture(conn: Connection) {
      const f = await stakedOpenFixture(conn);
      await f.stakedOpen.connect(f.alice).stake(open(1n) + 1n);
      await f.stakedOpen.connect(f.bob).stake(open(2n));
      await f.stakedOpen.connect(f.notifier).notifyReward(open(10n));
      await conn.networkHelpers.time.increaseTo(periodStart(f.deployedAt, 2n));
      return f;
    }

    it("reverts with StakedOpenNothingToClaim when nothing was earned", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(alice).claimRewards())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenNothingToClaim")
        .withArgs(alice.address);
    });

    it("reverts with StakedOpenNothingToClaim when less than one wei was earned", async () => {
      const { stakedOpen, alice, bob, notifier, deployedAt } = await networkHelpers.loadFixture(stakedOpenFixture);
      // 2 wei over 1.1 gOPEN: one accumulator step, worth 0.1 wei to alice's 0.1 gOPEN.
      await stakedOpen.connect(alice).stake(open(1n) / 10n);
      await stakedOpen.connect(bob).stake(open(1n));
      await stakedOpen.connect(notifier).notifyReward(2n);
      await time.increaseTo(periodStart(deployedAt, 2n));
      const scaled = await stakedOpen.earnedScaled(alice);
      expect(scaled > 0n && scaled < WAD).to.equal(true);
      await expect(stakedOpen.connect(alice).claimRewards())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenNothingToClaim")
        .withArgs(alice.address);
    });

    it("pays the whole wei earned to the caller and emits RewardClaimed", async () => {
      const { stakedOpen, openToken, alice } = await networkHelpers.loadFixture(subWeiRewardsFixture);
      const expected = (await stakedOpen.earnedScaled(alice)) / WAD; // the stream is over: it no longer grows
      expect(expected > 0n).to.equal(true);
      const tx = stakedOpen.connect(alice).claimRewards();
      await expect(tx).to.changeTokenBalances(ethers, openToken, [alice, stakedOpen], [expected, -expected]);
      await expect(tx).to.emit(stakedOpen, "RewardClaimed").withArgs(alice.address, alice.address, expected);
    });

    it("keeps the sub-wei remainder with the account", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(subWeiRewardsFixture);
      const scaled = await stakedOpen.earnedScaled(alice);
      expect(scaled % WAD).to.not.equal(0n);
      await stakedOpen.connect(alice).claimRewards();
      expect(await stakedOpen.earnedScaled(alice)).to.equal(scaled % WAD);
      expect(await stakedOpen.earned(alice)).to.equal(0n);
      await expect(stakedOpen.connect(alice).claimRewards())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenNothingToClaim")
        .withArgs(alice.address);
    });

    it("still pays rewards earned before a full unstake and withdrawal", async () => {
      const { stakedOpen, openToken, alice, notifier, deployedAt } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(notifier).notifyReward(open(86_400n));
      await time.setNextBlockTimestamp(periodStart(deployedAt, 1n) + 40n);
      await stakedOpen.connect(alice).requestUnstake(ALICE_STAKE); // 40 s × 1 OPEN/s × 1/4
      await time.increase(COOLDOWN);
      await stakedOpen.connect(alice).withdraw();
      await expect(stakedOpen.connect(alice).claimRewards()).to.changeTokenBalances(
        ethers,
        openToken,
        [alice],
        [open(10n)],
      );
    });

    it("is never paused", async () => {
      const { stakedOpen, alice, guardian } = await networkHelpers.loadFixture(subWeiRewardsFixture);
      await stakedOpen.connect(guardian).pause();
      await expect(stakedOpen.connect(alice).claimRewards()).to.emit(stakedOpen, "RewardClaimed");
    });
  });

  describe("claimRewardsTo", () => {
    /** stakedFixture with 40 OPEN streamed over period 1: alice has 10 OPEN (less the carry) to claim. */
    async function earnedFixture(conn: Connection) {
      const f = await stakedFixture(conn);
      await f.stakedOpen.connect(f.notifier).notifyReward(open(40n));
      await conn.networkHelpers.time.increaseTo(periodStart(f.deployedAt, 2n));
      return f;
    }

    it("pays the caller's rewards to the recipient and emits RewardClaimed with both", async () => {
      const { stakedOpen, openToken, alice, carol } = await networkHelpers.loadFixture(earnedFixture);
      const expected = await stakedOpen.earned(alice);
      expect(open(10n) - expected <= ALICE_STAKE / WAD, "short by more than one accumulator step").to.equal(true);
      const tx = stakedOpen.connect(alice).claimRewardsTo(carol);
      await expect(tx).to.changeTokenBalances(ethers, openToken, [alice, carol, stakedOpen], [0n, expected, -expected]);
      await expect(tx).to.emit(stakedOpen, "RewardClaimed").withArgs(alice.address, carol.address, expected);
    });

    it("reverts with ProtocolAdminZeroAddress when the recipient is the zero address", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(earnedFixture);
      await expect(stakedOpen.connect(alice).claimRewardsTo(ZeroAddress)).to.be.revertedWithCustomError(
        stakedOpen,
        "ProtocolAdminZeroAddress",
      );
    });

    it("reverts with ProtocolAdminInvalidRecipient for StakedOpen itself, where the OPEN would be locked (item 8)", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(earnedFixture);
      await expect(stakedOpen.connect(alice).claimRewardsTo(stakedOpen))
        .to.be.revertedWithCustomError(stakedOpen, "ProtocolAdminInvalidRecipient")
        .withArgs(await stakedOpen.getAddress());
    });

    it("reverts with ProtocolAdminInvalidRecipient for the OPEN token, whose balance nobody controls (item 8)", async () => {
      const { stakedOpen, openToken, alice } = await networkHelpers.loadFixture(earnedFixture);
      await expect(stakedOpen.connect(alice).claimRewardsTo(openToken))
        .to.be.revertedWithCustomError(stakedOpen, "ProtocolAdminInvalidRecipient")
        .withArgs(await openToken.getAddress());
    });

    it("reverts with StakedOpenNothingToClaim when nothing was earned", async () => {
      const { stakedOpen, carol, alice } = await networkHelpers.loadFixture(earnedFixture);
      await expect(stakedOpen.connect(carol).claimRewardsTo(alice))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenNothingToClaim")
        .withArgs(carol.address);
    });
  });

  describe("sweepDust", () => {
    /**
     * 5 OPEN notified in period 0 with nothing staked; alice stakes 7 OPEN + 3 wei half way through
     * period 1: the first half of the stream is dust, the second half hers.
     */
    async function dustFixture(conn: Connection) {
      const f = await stakedOpenFixture(conn);
      await f.stakedOpen.connect(f.notifier).notifyReward(open(5n));
      await conn.networkHelpers.time.setNextBlockTimestamp(periodStart(f.deployedAt, 1n) + PERIOD / 2n);
      await f.stakedOpen.connect(f.alice).stake(open(7n) + 3n);
      await conn.networkHelpers.time.increaseTo(periodStart(f.deployedAt, 2n));
      return f;
    }

    it("reverts with StakedOpenNoDust when there is no whole wei of dust", async () => {
      const { stakedOpen, bob } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(bob).sweepDust()).to.be.revertedWithCustomError(stakedOpen, "StakedOpenNoDust");
    });

    it("holds the stream of the seconds nothing was staked and the remainder of the period's rate, exactly", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(dustFixture);
      const total = open(5n) * WAD;
      const rate = total / PERIOD;
      const half = rate * (PERIOD / 2n);
      expect(await stakedOpen.dustScaled()).to.equal(total - rate * PERIOD + half);
      expect(await stakedOpen.earnedScaled(alice)).to.equal(credited(half, open(7n) + 3n));
    });

    it("lets anyone send the whole wei of dust to the treasury, keeping the sub-wei remainder, and emits DustSwept", async () => {
      const { stakedOpen, openToken, bob, notifier, treasury, deployedAt } =
        await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(notifier).notifyReward(open(2n) + 1n); // nothing staked: all of it is dust
      await time.increaseTo(periodStart(deployedAt, 2n));
      const dust = await stakedOpen.dustScaled();
      const tx = stakedOpen.connect(bob).sweepDust();
      await expect(tx).to.changeTokenBalances(ethers, openToken, [treasury, stakedOpen], [dust / WAD, -(dust / WAD)]);
      await expect(tx)
        .to.emit(stakedOpen, "DustSwept")
        .withArgs(treasury, dust / WAD);
      expect(await stakedOpen.dustScaled()).to.equal(dust % WAD);
    });

    it("sends the dust to the current treasury", async () => {
      const { stakedOpen, openToken, bob, carol, governance, notifier, deployedAt } =
        await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(notifier).notifyReward(open(2n));
      await time.increaseTo(periodStart(deployedAt, 2n));
      await stakedOpen.connect(governance).setTreasury(carol);
      await expect(stakedOpen.connect(bob).sweepDust()).to.changeTokenBalances(ethers, openToken, [carol], [open(2n)]);
    });

    it("leaves the stakers' rewards intact and OPEN conserved", async () => {
      const { stakedOpen, openToken, alice, bob } = await networkHelpers.loadFixture(dustFixture);
      const before = await stakedOpen.earnedScaled(alice);
      await stakedOpen.connect(bob).sweepDust();
      expect(await stakedOpen.earnedScaled(alice)).to.equal(before);
      await expectOpenConserved(openToken, stakedOpen, [alice]);
    });
  });

  describe("slash", () => {
    /** stakedFixture with alice unstaking 40 of her 100 OPEN: 60 staked, 40 queued. */
    async function queuedFixture(conn: Connection) {
      const f = await stakedFixture(conn);
      const requestedAt = await minedAt(f.stakedOpen.connect(f.alice).requestUnstake(open(40n)));
      return { ...f, releaseTime: requestedAt + COOLDOWN };
    }

    it("reverts with StakedOpenZeroAmount when slashing zero", async () => {
      const { stakedOpen, alice, governance } = await networkHelpers.loadFixture(queuedFixture);
      await expect(stakedOpen.connect(governance).slash(alice, 0n, "zero")).to.be.revertedWithCustomError(
        stakedOpen,
        "StakedOpenZeroAmount",
      );
    });

    it("reverts with StakedOpenSlashExceedsBalance when the amount exceeds stake plus queue", async () => {
      const { stakedOpen, alice, carol, governance } = await networkHelpers.loadFixture(queuedFixture);
      await expect(stakedOpen.connect(governance).slash(alice, ALICE_STAKE + 1n, "too much"))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenSlashExceedsBalance")
        .withArgs(alice.address, ALICE_STAKE, ALICE_STAKE + 1n);
      await expect(stakedOpen.connect(governance).slash(carol, 1n, "nothing"))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenSlashExceedsBalance")
        .withArgs(carol.address, 0n, 1n);
    });

    it("takes from the stake only while the stake covers the amount, keeping the queue", async () => {
      const { stakedOpen, alice, governance, releaseTime } = await networkHelpers.loadFixture(queuedFixture);
      await expect(stakedOpen.connect(governance).slash(alice, open(60n), "stake only"))
        .to.emit(stakedOpen, "Slashed")
        .withArgs(alice.address, open(60n), 0n, "stake only");
      expect(await stakedOpen.balanceOf(alice)).to.equal(0n);
      const pending = await stakedOpen.pendingWithdrawal(alice);
      expect(pending.amount).to.equal(open(40n));
      expect(pending.releaseTime).to.equal(releaseTime);
    });

    it("takes the stake first, then the queued withdrawal, sends it to the treasury and emits Slashed with the reason", async () => {
      const { stakedOpen, openToken, alice, governance, treasury, releaseTime } =
        await networkHelpers.loadFixture(queuedFixture);
      const tx = stakedOpen.connect(governance).slash(alice, open(80n), "falsified attribution report #7");
      await expect(tx)
        .to.emit(stakedOpen, "Slashed")
        .withArgs(alice.address, open(60n), open(20n), "falsified attribution report #7");
      await expect(tx).to.changeTokenBalances(ethers, openToken, [treasury, stakedOpen], [open(80n), -open(80n)]);
      const pending = await stakedOpen.pendingWithdrawal(alice);
      expect(pending.amount).to.equal(open(20n));
      expect(pending.releaseTime).to.equal(releaseTime);
    });

    it("drops the slashed account's votes", async () => {
      const { stakedOpen, alice, governance } = await networkHelpers.loadFixture(queuedFixture);
      await expect(stakedOpen.connect(governance).slash(alice, open(25n), "votes"))
        .to.emit(stakedOpen, "DelegateVotesChanged")
        .withArgs(alice.address, open(60n), open(35n));
    });

    it("settles the account's rewards before burning its stake", async () => {
      const { stakedOpen, alice, governance, notifier, deployedAt } = await networkHelpers.loadFixture(queuedFixture);
      await stakedOpen.connect(notifier).notifyReward(open(86_400n)); // 1 OPEN/s over period 1, 360 gOPEN staked
      await time.setNextBlockTimestamp(periodStart(deployedAt, 1n) + 36n);
      await stakedOpen.connect(governance).slash(alice, open(60n), "after reward");
      const earned = await stakedOpen.earnedScaled(alice);
      expect(earned).to.equal(open(6n) * WAD); // 36 s × 60/360
      await time.increase(HOUR);
      expect(await stakedOpen.earnedScaled(alice)).to.equal(earned);
    });

    it("leaves nothing to withdraw once the whole queue was slashed; a freeze stays", async () => {
      const { stakedOpen, alice, governance } = await networkHelpers.loadFixture(queuedFixture);
      const until = (await latest()) + 20n * DAY;
      await stakedOpen.connect(governance).freezeWithdrawals(alice, until);
      await stakedOpen.connect(governance).slash(alice, ALICE_STAKE, "everything");
      const pending = await stakedOpen.pendingWithdrawal(alice);
      expect([pending.amount, pending.releaseTime, pending.frozenUntil]).to.deep.equal([0n, 0n, until]);
      await time.increase(COOLDOWN);
      await expect(stakedOpen.connect(alice).withdraw())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenNothingToWithdraw")
        .withArgs(alice.address);
    });
  });

  describe("guardian pause", () => {
    it("lets the guardian pause new stakes and emits Paused", async () => {
      const { stakedOpen, guardian } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(guardian).pause()).to.emit(stakedOpen, "Paused").withArgs(guardian.address);
      expect(await stakedOpen.paused()).to.equal(true);
    });

    it("reverts stake and stakeWithPermit with ProtocolAdminPaused while paused", async () => {
      const { stakedOpen, openToken, alice, dave, guardian } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(guardian).pause();
      await expect(stakedOpen.connect(alice).stake(1n)).to.be.revertedWithCustomError(
        stakedOpen,
        "ProtocolAdminPaused",
      );
      const deadline = (await latest()) + HOUR;
      const { v, r, s } = await signOwnPermit(openToken, dave, await stakedOpen.getAddress(), 1n, deadline);
      await expect(stakedOpen.connect(dave).stakeWithPermit(1n, deadline, v, r, s)).to.be.revertedWithCustomError(
        stakedOpen,
        "ProtocolAdminPaused",
      );
    });

    it("never stops unstaking, withdrawing, claiming, notifying or sweeping", async () => {
      const { stakedOpen, alice, bob, notifier, guardian, deployedAt } =
        await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(notifier).notifyReward(open(40n));
      await time.increaseTo(periodStart(deployedAt, 2n));
      await stakedOpen.connect(guardian).pause();
      await expect(stakedOpen.connect(alice).requestUnstake(ALICE_STAKE)).to.emit(stakedOpen, "UnstakeRequested");
      await expect(stakedOpen.connect(bob).claimRewards()).to.emit(stakedOpen, "RewardClaimed");
      await expect(stakedOpen.connect(notifier).notifyReward(open(1n))).to.emit(stakedOpen, "RewardNotified");
      await time.increase(COOLDOWN);
      await expect(stakedOpen.connect(alice).withdraw()).to.emit(stakedOpen, "Withdrawn");
    });

    it("reverts pause by anyone but the guardian and governance with ProtocolAdminNotGuardian", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(alice).pause())
        .to.be.revertedWithCustomError(stakedOpen, "ProtocolAdminNotGuardian")
        .withArgs(alice.address);
    });

    it("reverts a second pause with ProtocolAdminPaused and an unpause while running with ProtocolAdminNotPaused", async () => {
      const { stakedOpen, guardian, governance } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(governance).unpause()).to.be.revertedWithCustomError(
        stakedOpen,
        "ProtocolAdminNotPaused",
      );
      await stakedOpen.connect(guardian).pause();
      await expect(stakedOpen.connect(governance).pause()).to.be.revertedWithCustomError(
        stakedOpen,
        "ProtocolAdminPaused",
      );
    });

    it("lets only governance unpause, emitting Unpaused with the pause's length", async () => {
      const { stakedOpen, alice, guardian, governance, treasury } = await networkHelpers.loadFixture(stakedFixture);
      const pausedAt = await minedAt(stakedOpen.connect(guardian).pause());
      await expect(stakedOpen.connect(guardian).unpause())
        .to.be.revertedWithCustomError(stakedOpen, "OwnableUnauthorizedAccount")
        .withArgs(guardian.address);
      await time.setNextBlockTimestamp(pausedAt + HOUR);
      await expect(stakedOpen.connect(governance).unpause()).to.emit(stakedOpen, "Unpaused").withArgs(treasury, HOUR);
      await expect(stakedOpen.connect(alice).stake(1n)).to.emit(stakedOpen, "Staked");
    });
  });

  describe("access control", () => {
    shouldBehaveLikeGovernanceOnly<StakedOpen>(async () => {
      const f = await networkHelpers.loadFixture(stakedFixture);
      return { contract: f.stakedOpen, callers: [f.deployer, f.alice, f.notifier, f.guardian] };
    }, [
      { name: "slash", call: (c, caller) => c.connect(caller).slash(caller.address, 1n, "self") },
      { name: "setCooldown", call: (c, caller) => c.connect(caller).setCooldown(DAY) },
      { name: "setTreasury", call: (c, caller) => c.connect(caller).setTreasury(caller.address) },
      { name: "setGuardian", call: (c, caller) => c.connect(caller).setGuardian(caller.address) },
      { name: "unfreezeWithdrawals", call: (c, caller) => c.connect(caller).unfreezeWithdrawals(caller.address) },
      { name: "transferOwnership", call: (c, caller) => c.connect(caller).transferOwnership(caller.address) },
      { name: "renounceOwnership", call: (c, caller) => c.connect(caller).renounceOwnership() },
    ]);
  });

  describe("setCooldown", () => {
    it("reverts with StakedOpenCooldownOutOfBounds below MIN_COOLDOWN and above MAX_COOLDOWN", async () => {
      const { stakedOpen, governance } = await networkHelpers.loadFixture(stakedOpenFixture);
      for (const cooldown of [0n, MIN_COOLDOWN - 1n, MAX_COOLDOWN + 1n]) {
        await expect(stakedOpen.connect(governance).setCooldown(cooldown))
          .to.be.revertedWithCustomError(stakedOpen, "StakedOpenCooldownOutOfBounds")
          .withArgs(cooldown, MIN_COOLDOWN, MAX_COOLDOWN);
      }
    });

    it("accepts the bounds and emits CooldownUpdated with the old and new values", async () => {
      const { stakedOpen, governance } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(governance).setCooldown(MIN_COOLDOWN))
        .to.emit(stakedOpen, "CooldownUpdated")
        .withArgs(COOLDOWN, MIN_COOLDOWN);
      await expect(stakedOpen.connect(governance).setCooldown(MAX_COOLDOWN))
        .to.emit(stakedOpen, "CooldownUpdated")
        .withArgs(MIN_COOLDOWN, MAX_COOLDOWN);
      expect(await stakedOpen.cooldown()).to.equal(MAX_COOLDOWN);
    });

    it("never releases an earlier queue sooner when a new request follows a shortened cooldown", async () => {
      const { stakedOpen, alice, governance } = await networkHelpers.loadFixture(stakedFixture);
      const firstAt = await minedAt(stakedOpen.connect(alice).requestUnstake(open(10n)));
      await stakedOpen.connect(governance).setCooldown(HOUR);
      await expect(stakedOpen.connect(alice).requestUnstake(1n))
        .to.emit(stakedOpen, "UnstakeRequested")
        .withArgs(alice.address, 1n, open(10n) + 1n, firstAt + COOLDOWN);
    });
  });

  describe("treasury, guardian and ownership", () => {
    it("reverts setTreasury to the zero address with ProtocolAdminZeroAddress", async () => {
      const { stakedOpen, governance } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(governance).setTreasury(ZeroAddress)).to.be.revertedWithCustomError(
        stakedOpen,
        "ProtocolAdminZeroAddress",
      );
    });

    it("sets the treasury, emits TreasuryUpdated and sends later slashes there", async () => {
      const { stakedOpen, openToken, alice, carol, governance, treasury } =
        await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(governance).setTreasury(carol))
        .to.emit(stakedOpen, "TreasuryUpdated")
        .withArgs(treasury, carol.address);
      await expect(stakedOpen.connect(governance).slash(alice, open(1n), "new treasury")).to.changeTokenBalances(
        ethers,
        openToken,
        [carol, treasury],
        [open(1n), 0n],
      );
    });

    it("sets the guardian (zero disables it) and emits GuardianUpdated", async () => {
      const { stakedOpen, governance, guardian, carol } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(governance).setGuardian(carol))
        .to.emit(stakedOpen, "GuardianUpdated")
        .withArgs(guardian.address, carol.address);
      await expect(stakedOpen.connect(guardian).pause())
        .to.be.revertedWithCustomError(stakedOpen, "ProtocolAdminNotGuardian")
        .withArgs(guardian.address);
      await stakedOpen.connect(governance).setGuardian(ZeroAddress);
      expect(await stakedOpen.guardian()).to.equal(ZeroAddress);
    });

    it("reverts renounceOwnership by governance with GovernanceRenounceDisabled", async () => {
      const { stakedOpen, governance, treasury } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(governance).renounceOwnership()).to.be.revertedWithCustomError(
        stakedOpen,
        "GovernanceRenounceDisabled",
      );
      expect(await stakedOpen.owner()).to.equal(treasury);
    });

    it("transfers ownership in two steps: OwnershipTransferStarted, then acceptOwnership by the new owner", async () => {
      const { stakedOpen, governance, treasury, carol } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(governance).transferOwnership(carol))
        .to.emit(stakedOpen, "OwnershipTransferStarted")
        .withArgs(treasury, carol.address);
      expect(await stakedOpen.owner()).to.equal(treasury);
      await expect(stakedOpen.connect(carol).acceptOwnership())
        .to.emit(stakedOpen, "OwnershipTransferred")
        .withArgs(treasury, carol.address);
      await expect(stakedOpen.connect(governance).setCooldown(HOUR))
        .to.be.revertedWithCustomError(stakedOpen, "OwnableUnauthorizedAccount")
        .withArgs(treasury);
    });

    it("reverts acceptOwnership by anyone but the pending owner with OwnableUnauthorizedAccount", async () => {
      const { stakedOpen, governance, carol, bob } = await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(governance).transferOwnership(carol);
      await expect(stakedOpen.connect(bob).acceptOwnership())
        .to.be.revertedWithCustomError(stakedOpen, "OwnableUnauthorizedAccount")
        .withArgs(bob.address);
    });
  });

  describe("conservation of OPEN", () => {
    it("holds exactly after every step of a lifecycle with stakes, rewards, unstakes, slashes, claims, sweeps and withdrawals", async () => {
      const { stakedOpen, openToken, alice, bob, carol, dave, notifier, governance, deployedAt } =
        await networkHelpers.loadFixture(stakedOpenFixture);
      const actors = [alice, bob, carol, dave];
      const model = new StreamingRewardModel(deployedAt, PERIOD);
      const check = async (step: string) => {
        await expectOpenConserved(openToken, stakedOpen, actors);
        const now = await latest();
        for (const actor of actors) {
          expect(await stakedOpen.earnedScaled(actor), `${step}: earnedScaled`).to.equal(
            model.earnedScaled(now, actor.address),
          );
        }
        expect(await stakedOpen.dustScaled(), `${step}: dustScaled`).to.equal(model.dustScaled(now));
      };

      model.notify(await minedAt(stakedOpen.connect(notifier).notifyReward(open(3n) + 2n)), open(3n) + 2n);
      await check("first reward queued, nothing staked");

      // The first 1,234 s of period 1 stream to nobody: dust.
      await time.setNextBlockTimestamp(periodStart(deployedAt, 1n) + 1_234n);
      model.stake(await minedAt(stakedOpen.connect(alice).stake(open(100n) + 1n)), alice.address, open(100n) + 1n);
      model.stake(await minedAt(stakedOpen.connect(bob).stake(open(33n) + 7n)), bob.address, open(33n) + 7n);
      model.stake(await minedAt(stakedOpen.connect(carol).stake(13n)), carol.address, 13n);
      model.notify(await minedAt(stakedOpen.connect(notifier).notifyReward(999_999_999_999n)), 999_999_999_999n);
      await check("three stakers while the first reward streams");

      model.unstake(await minedAt(stakedOpen.connect(alice).requestUnstake(open(50n))), alice.address, open(50n));
      await time.increaseTo(periodStart(deployedAt, 2n) + 99n);
      model.notify(await minedAt(stakedOpen.connect(notifier).notifyReward(open(7n) + 11n)), open(7n) + 11n);
      await check("after an unstake, in the next period");

      // The slash takes alice's whole stake, then 10 OPEN − 1 wei from her queue.
      model.unstake(
        await minedAt(stakedOpen.connect(governance).slash(alice, open(60n), "lifecycle")),
        alice.address,
        open(50n) + 1n,
      );
      await check("after a slash");

      model.claim(await minedAt(stakedOpen.connect(bob).claimRewards()), bob.address);
      model.claim(await minedAt(stakedOpen.connect(alice).claimRewardsTo(dave)), alice.address);
      await check("after claims");

      await time.increaseTo(periodStart(deployedAt, 4n));
      model.sweep(await minedAt(stakedOpen.connect(carol).sweepDust()));
      await check("after a sweep, the streams over");

      await time.increase(COOLDOWN);
      await stakedOpen.connect(alice).withdraw();
      await check("after a withdrawal");
      expect(await stakedOpen.totalSupply()).to.equal(model.totalStaked);
    });
  });
});
