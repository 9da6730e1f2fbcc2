import { expect } from "chai";
import { MaxUint256, ZeroAddress } from "ethers";
import { network } from "hardhat";

import { deployProtocol, type Connection } from "../fixtures/protocol.js";
import { StakedOpen__factory, type StakedOpen } from "../../types/ethers-contracts/index.js";
import { impersonate } from "../helpers/accounts.js";
import { expectOpenConserved } from "../helpers/conservation.js";
import { DAY, HOUR, WAD, WEEK, defined, open } from "../helpers/constants.js";
import { RewardModel } from "../helpers/rewardModel.js";
import { shouldBehaveLikeGovernanceOnly } from "../helpers/shouldBehaveLikeGovernanceOnly.js";
import { signDelegation, signOwnPermit } from "../helpers/signatures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const MIN_COOLDOWN = HOUR;
const MAX_COOLDOWN = 90n * DAY;
const INITIAL_COOLDOWN = WEEK;
const FUNDS = open(1_000_000n);
const ALICE_STAKE = open(100n);
const BOB_STAKE = open(300n);

/**
 * The deployed protocol plus: alice, bob, carol and the reward `router` funded with OPEN and approved
 * for StakedOpen; `dave` funded but with no allowance (for permits); the router authorised as notifier;
 * `governance`, a signer for the timelock (StakedOpen's owner and treasury).
 */
async function stakedOpenFixture(conn: Connection) {
  const protocol = await deployProtocol(conn);
  const { openToken, stakedOpen, timelock, alice, bob, carol, others } = protocol;
  const router = defined(others[0], "router signer");
  const dave = defined(others[1], "dave signer");
  const treasury = await timelock.getAddress();
  const governance = await impersonate(conn, treasury);
  for (const account of [alice, bob, carol, router, dave]) await openToken.transfer(account, FUNDS);
  for (const account of [alice, bob, carol, router]) {
    await openToken.connect(account).approve(stakedOpen, MaxUint256);
  }
  await stakedOpen.connect(governance).setRewardNotifier(router, true);
  return { ...protocol, router, dave, governance, treasury };
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

describe("StakedOpen", () => {
  describe("constructor", () => {
    it("reverts with StakedOpenZeroAddress when OPEN is the zero address", async () => {
      const { deployer, treasury } = await networkHelpers.loadFixture(stakedOpenFixture);
      const factory = new StakedOpen__factory(deployer);
      await expect(factory.deploy(ZeroAddress, treasury, treasury, WEEK)).to.be.revertedWithCustomError(
        factory,
        "StakedOpenZeroAddress",
      );
    });

    it("reverts with StakedOpenZeroAddress when the treasury is the zero address", async () => {
      const { deployer, openToken, treasury } = await networkHelpers.loadFixture(stakedOpenFixture);
      const factory = new StakedOpen__factory(deployer);
      await expect(factory.deploy(openToken, treasury, ZeroAddress, WEEK)).to.be.revertedWithCustomError(
        factory,
        "StakedOpenZeroAddress",
      );
    });

    it("reverts with OwnableInvalidOwner when governance is the zero address", async () => {
      const { deployer, openToken, treasury } = await networkHelpers.loadFixture(stakedOpenFixture);
      const factory = new StakedOpen__factory(deployer);
      await expect(factory.deploy(openToken, ZeroAddress, treasury, WEEK))
        .to.be.revertedWithCustomError(factory, "OwnableInvalidOwner")
        .withArgs(ZeroAddress);
    });

    it("reverts with StakedOpenCooldownOutOfBounds when the initial cooldown is out of bounds", async () => {
      const { deployer, openToken, treasury } = await networkHelpers.loadFixture(stakedOpenFixture);
      const factory = new StakedOpen__factory(deployer);
      await expect(factory.deploy(openToken, treasury, treasury, MIN_COOLDOWN - 1n))
        .to.be.revertedWithCustomError(factory, "StakedOpenCooldownOutOfBounds")
        .withArgs(MIN_COOLDOWN - 1n, MIN_COOLDOWN, MAX_COOLDOWN);
    });

    it("emits TreasuryUpdated and CooldownUpdated from their zero values", async () => {
      const { deployer, openToken, treasury } = await networkHelpers.loadFixture(stakedOpenFixture);
      const contract = await new StakedOpen__factory(deployer).deploy(openToken, treasury, treasury, WEEK);
      const deployment = contract.deploymentTransaction();
      await expect(deployment).to.emit(contract, "TreasuryUpdated").withArgs(ZeroAddress, treasury);
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

    it("stakes OPEN, is owned by the timelock and sends to the timelock as treasury", async () => {
      const { stakedOpen, openToken, treasury } = await networkHelpers.loadFixture(stakedOpenFixture);
      expect(await stakedOpen.stakingToken()).to.equal(await openToken.getAddress());
      expect(await stakedOpen.owner()).to.equal(treasury);
      expect(await stakedOpen.treasury()).to.equal(treasury);
    });

    it("has the deployment cooldown and the cooldown bounds", async () => {
      const { stakedOpen } = await networkHelpers.loadFixture(stakedOpenFixture);
      expect(await stakedOpen.cooldown()).to.equal(INITIAL_COOLDOWN);
      expect(await stakedOpen.MIN_COOLDOWN()).to.equal(MIN_COOLDOWN);
      expect(await stakedOpen.MAX_COOLDOWN()).to.equal(MAX_COOLDOWN);
    });

    it("starts with empty reward, dust and queue accounting", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedOpenFixture);
      expect(await stakedOpen.rewardPerToken()).to.equal(0n);
      expect(await stakedOpen.dustScaled()).to.equal(0n);
      expect(await stakedOpen.totalQueued()).to.equal(0n);
      expect(await stakedOpen.earnedScaled(alice)).to.equal(0n);
      const pending = await stakedOpen.pendingWithdrawal(alice);
      expect(pending.amount).to.equal(0n);
      expect(pending.releaseTime).to.equal(0n);
    });

    it("authorises no reward notifier other than those governance added", async () => {
      const { stakedOpen, alice, router, deployer } = await networkHelpers.loadFixture(stakedOpenFixture);
      expect(await stakedOpen.isRewardNotifier(router)).to.equal(true);
      expect(await stakedOpen.isRewardNotifier(alice)).to.equal(false);
      expect(await stakedOpen.isRewardNotifier(deployer)).to.equal(false);
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

    it("adds to the votes of the staker's delegate", async () => {
      const { stakedOpen, alice, bob } = await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(alice).delegate(bob);
      await stakedOpen.connect(alice).stake(ALICE_STAKE);
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
      expect(await openToken.allowance(dave, stakedOpen)).to.equal(0n);
    });

    it("ignores an expired permit when an earlier approval covers the amount", async () => {
      const { stakedOpen, openToken, alice } = await networkHelpers.loadFixture(stakedOpenFixture);
      const deadline = (await latest()) - 1n;
      const { v, r, s } = await signOwnPermit(openToken, alice, await stakedOpen.getAddress(), ALICE_STAKE, deadline);
      await expect(stakedOpen.connect(alice).stakeWithPermit(ALICE_STAKE, deadline, v, r, s))
        .to.emit(stakedOpen, "Staked")
        .withArgs(alice.address, ALICE_STAKE);
      expect(await openToken.nonces(alice)).to.equal(0n);
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

    it("reverts with OPEN's ERC20InsufficientAllowance when the permit was signed by someone else", async () => {
      const { stakedOpen, openToken, dave, carol } = await networkHelpers.loadFixture(stakedOpenFixture);
      const deadline = (await latest()) + HOUR;
      // Carol signs a permit of her own; Dave cannot use it for himself.
      const { v, r, s } = await signOwnPermit(openToken, carol, await stakedOpen.getAddress(), ALICE_STAKE, deadline);
      await expect(stakedOpen.connect(dave).stakeWithPermit(ALICE_STAKE, deadline, v, r, s))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientAllowance")
        .withArgs(await stakedOpen.getAddress(), 0n, ALICE_STAKE);
    });

    it("reverts with OPEN's ERC20InsufficientAllowance when the permit covers less than the amount", async () => {
      const { stakedOpen, openToken, dave } = await networkHelpers.loadFixture(stakedOpenFixture);
      const deadline = (await latest()) + HOUR;
      const { v, r, s } = await signOwnPermit(openToken, dave, await stakedOpen.getAddress(), ALICE_STAKE, deadline);
      await openToken.connect(dave).permit(dave, stakedOpen, ALICE_STAKE, deadline, v, r, s);
      await expect(stakedOpen.connect(dave).stakeWithPermit(ALICE_STAKE + 1n, deadline, v, r, s))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientAllowance")
        .withArgs(await stakedOpen.getAddress(), ALICE_STAKE, ALICE_STAKE + 1n);
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

    it("burns the gOPEN at once and keeps the OPEN in StakedOpen", async () => {
      const { stakedOpen, openToken, alice } = await networkHelpers.loadFixture(stakedFixture);
      const tx = stakedOpen.connect(alice).requestUnstake(open(40n));
      await expect(tx).to.changeTokenBalances(ethers, stakedOpen, [alice], [-open(40n)]);
      await expect(tx).to.changeTokenBalances(ethers, openToken, [alice, stakedOpen], [0n, 0n]);
      expect(await stakedOpen.totalSupply()).to.equal(ALICE_STAKE + BOB_STAKE - open(40n));
    });

    it("emits a burn Transfer", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(alice).requestUnstake(open(40n)))
        .to.emit(stakedOpen, "Transfer")
        .withArgs(alice.address, ZeroAddress, open(40n));
    });

    it("queues the amount for release after the cooldown and emits UnstakeRequested", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      const requestedAt = await pinNextTimestamp();
      await expect(stakedOpen.connect(alice).requestUnstake(open(40n)))
        .to.emit(stakedOpen, "UnstakeRequested")
        .withArgs(alice.address, open(40n), open(40n), requestedAt + INITIAL_COOLDOWN);
      const pending = await stakedOpen.pendingWithdrawal(alice);
      expect(pending.amount).to.equal(open(40n));
      expect(pending.releaseTime).to.equal(requestedAt + INITIAL_COOLDOWN);
      expect(await stakedOpen.totalQueued()).to.equal(open(40n));
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
        .withArgs(alice.address, open(15n), open(25n), secondAt + INITIAL_COOLDOWN);
      const pending = await stakedOpen.pendingWithdrawal(alice);
      expect(pending.amount).to.equal(open(25n));
      expect(pending.releaseTime).to.equal(secondAt + INITIAL_COOLDOWN);
    });

    it("sums the queues of all accounts in totalQueued", async () => {
      const { stakedOpen, alice, bob } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(alice).requestUnstake(open(10n));
      await stakedOpen.connect(bob).requestUnstake(open(20n));
      await stakedOpen.connect(alice).requestUnstake(open(5n));
      expect(await stakedOpen.totalQueued()).to.equal(open(35n));
    });

    it("stops the unstaked amount from earning rewards while keeping what it earned", async () => {
      const { stakedOpen, alice, router } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(router).notifyReward(open(40n)); // 400 staked: 0.1 OPEN per gOPEN
      await stakedOpen.connect(alice).requestUnstake(ALICE_STAKE);
      await stakedOpen.connect(router).notifyReward(open(30n)); // bob alone: 0.1 OPEN per gOPEN
      expect(await stakedOpen.earnedScaled(alice)).to.equal(open(10n) * WAD);
      expect(await stakedOpen.earned(alice)).to.equal(open(10n));
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
      const releaseTime = requestedAt + INITIAL_COOLDOWN;
      await time.setNextBlockTimestamp(releaseTime - 1n);
      await expect(stakedOpen.connect(alice).withdraw())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenCooldownActive")
        .withArgs(alice.address, releaseTime);
    });

    it("releases the queue at exactly the release time", async () => {
      const { stakedOpen, openToken, alice } = await networkHelpers.loadFixture(stakedFixture);
      const requestedAt = await pinNextTimestamp();
      await stakedOpen.connect(alice).requestUnstake(open(40n));
      await time.setNextBlockTimestamp(requestedAt + INITIAL_COOLDOWN);
      await expect(stakedOpen.connect(alice).withdraw()).to.changeTokenBalances(
        ethers,
        openToken,
        [alice, stakedOpen],
        [open(40n), -open(40n)],
      );
    });

    it("sends the whole queue of several requests and emits Withdrawn", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(alice).requestUnstake(open(10n));
      await stakedOpen.connect(alice).requestUnstake(open(15n));
      await time.increase(INITIAL_COOLDOWN);
      expect(await stakedOpen.connect(alice).withdraw.staticCall()).to.equal(open(25n));
      await expect(stakedOpen.connect(alice).withdraw())
        .to.emit(stakedOpen, "Withdrawn")
        .withArgs(alice.address, open(25n));
    });

    it("clears the queue and lowers totalQueued", async () => {
      const { stakedOpen, alice, bob } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(alice).requestUnstake(open(10n));
      await stakedOpen.connect(bob).requestUnstake(open(20n));
      await time.increase(INITIAL_COOLDOWN);
      await stakedOpen.connect(alice).withdraw();
      const pending = await stakedOpen.pendingWithdrawal(alice);
      expect(pending.amount).to.equal(0n);
      expect(pending.releaseTime).to.equal(0n);
      expect(await stakedOpen.totalQueued()).to.equal(open(20n));
    });

    it("reverts with StakedOpenNothingToWithdraw on a second withdrawal", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(alice).requestUnstake(open(10n));
      await time.increase(INITIAL_COOLDOWN);
      await stakedOpen.connect(alice).withdraw();
      await expect(stakedOpen.connect(alice).withdraw())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenNothingToWithdraw")
        .withArgs(alice.address);
    });

    it("does not touch the remaining stake", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(alice).requestUnstake(open(10n));
      await time.increase(INITIAL_COOLDOWN);
      await stakedOpen.connect(alice).withdraw();
      expect(await stakedOpen.balanceOf(alice)).to.equal(ALICE_STAKE - open(10n));
      expect(await stakedOpen.getVotes(alice)).to.equal(ALICE_STAKE - open(10n));
    });
  });

  describe("non-transferability", () => {
    it("reverts transfer with StakedOpenNonTransferable", async () => {
      const { stakedOpen, alice, carol } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(alice).transfer(carol, 1n)).to.be.revertedWithCustomError(
        stakedOpen,
        "StakedOpenNonTransferable",
      );
    });

    it("reverts a zero-amount transfer with StakedOpenNonTransferable", async () => {
      const { stakedOpen, alice, carol } = await networkHelpers.loadFixture(stakedFixture);
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

    it("reverts a valid permit with StakedOpenNonTransferable", async () => {
      const { stakedOpen, alice, carol } = await networkHelpers.loadFixture(stakedFixture);
      const deadline = (await latest()) + HOUR;
      const { v, r, s } = await signOwnPermit(stakedOpen, alice, carol.address, ALICE_STAKE, deadline);
      await expect(
        stakedOpen.connect(carol).permit(alice, carol, ALICE_STAKE, deadline, v, r, s),
      ).to.be.revertedWithCustomError(stakedOpen, "StakedOpenNonTransferable");
      expect(await stakedOpen.allowance(alice, carol)).to.equal(0n);
    });
  });

  describe("votes and clock", () => {
    it("uses a timestamp clock: CLOCK_MODE is mode=timestamp", async () => {
      const { stakedOpen } = await networkHelpers.loadFixture(stakedOpenFixture);
      expect(await stakedOpen.CLOCK_MODE()).to.equal("mode=timestamp");
    });

    it("returns the block timestamp from clock()", async () => {
      const { stakedOpen } = await networkHelpers.loadFixture(stakedOpenFixture);
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

    it("moves the votes when delegating to another account", async () => {
      const { stakedOpen, alice, bob } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(alice).delegate(bob);
      expect(await stakedOpen.delegates(alice)).to.equal(bob.address);
      expect(await stakedOpen.getVotes(alice)).to.equal(0n);
      expect(await stakedOpen.getVotes(bob)).to.equal(ALICE_STAKE + BOB_STAKE);
    });

    it("keys checkpoints by block timestamp", async () => {
      const { stakedOpen, carol } = await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(carol).delegate(carol);
      const stakedAt = await pinNextTimestamp(1_000n);
      await stakedOpen.connect(carol).stake(open(5n));
      expect(await stakedOpen.numCheckpoints(carol)).to.equal(1n);
      const checkpoint = await stakedOpen.checkpoints(carol, 0n);
      expect(checkpoint._key).to.equal(stakedAt);
      expect(checkpoint._value).to.equal(open(5n));
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

    it("reverts getPastVotes with ERC5805FutureLookup for a timepoint not yet past", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      const now = await latest();
      await expect(stakedOpen.getPastVotes(alice, now + 1_000n))
        .to.be.revertedWithCustomError(stakedOpen, "ERC5805FutureLookup")
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
    it("reverts with StakedOpenUnauthorizedNotifier when the caller is not a notifier", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(alice).notifyReward(open(1n)))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenUnauthorizedNotifier")
        .withArgs(alice.address);
    });

    it("reverts with StakedOpenUnauthorizedNotifier even for governance when it is not a notifier", async () => {
      const { stakedOpen, governance } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(governance).notifyReward(open(1n)))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenUnauthorizedNotifier")
        .withArgs(governance.address);
    });

    it("reverts with StakedOpenZeroAmount when notifying zero", async () => {
      const { stakedOpen, router } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(router).notifyReward(0n)).to.be.revertedWithCustomError(
        stakedOpen,
        "StakedOpenZeroAmount",
      );
    });

    it("reverts with OPEN's ERC20InsufficientAllowance when the notifier did not approve", async () => {
      const { stakedOpen, openToken, router } = await networkHelpers.loadFixture(stakedFixture);
      await openToken.connect(router).approve(stakedOpen, 0n);
      await expect(stakedOpen.connect(router).notifyReward(open(1n)))
        .to.be.revertedWithCustomError(openToken, "ERC20InsufficientAllowance")
        .withArgs(await stakedOpen.getAddress(), 0n, open(1n));
    });

    it("forwards the reward to the treasury when nothing is staked", async () => {
      const { stakedOpen, openToken, router, treasury } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(router).notifyReward(open(5n))).to.changeTokenBalances(
        ethers,
        openToken,
        [router, treasury, stakedOpen],
        [-open(5n), open(5n), 0n],
      );
      expect(await stakedOpen.rewardPerToken()).to.equal(0n);
      expect(await stakedOpen.dustScaled()).to.equal(0n);
    });

    it("emits RewardForwardedToTreasury when nothing is staked", async () => {
      const { stakedOpen, router } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(router).notifyReward(open(5n)))
        .to.emit(stakedOpen, "RewardForwardedToTreasury")
        .withArgs(router.address, open(5n));
    });

    it("forwards the reward to the treasury when every stake is only queued for withdrawal", async () => {
      const { stakedOpen, openToken, alice, bob, router, treasury } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(alice).requestUnstake(ALICE_STAKE);
      await stakedOpen.connect(bob).requestUnstake(BOB_STAKE);
      await expect(stakedOpen.connect(router).notifyReward(open(5n))).to.changeTokenBalances(
        ethers,
        openToken,
        [treasury, stakedOpen],
        [open(5n), 0n],
      );
      expect(await stakedOpen.earnedScaled(alice)).to.equal(0n);
    });

    it("pulls the reward into StakedOpen and emits RewardNotified with the new accumulator", async () => {
      const { stakedOpen, openToken, router } = await networkHelpers.loadFixture(stakedFixture);
      const tx = stakedOpen.connect(router).notifyReward(open(40n));
      // 40 OPEN over 400 gOPEN: 0.1 OPEN per gOPEN, 1e17 in 1e18 fixed point.
      await expect(tx)
        .to.emit(stakedOpen, "RewardNotified")
        .withArgs(router.address, open(40n), 10n ** 17n);
      await expect(tx).to.changeTokenBalances(ethers, openToken, [router, stakedOpen], [-open(40n), open(40n)]);
      expect(await stakedOpen.rewardPerToken()).to.equal(10n ** 17n);
    });

    it("splits a divisible reward pro rata to the stakes, with no dust", async () => {
      const { stakedOpen, alice, bob, router } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(router).notifyReward(open(40n));
      expect(await stakedOpen.earned(alice)).to.equal(open(10n));
      expect(await stakedOpen.earned(bob)).to.equal(open(30n));
      expect(await stakedOpen.earnedScaled(alice)).to.equal(open(10n) * WAD);
      expect(await stakedOpen.earnedScaled(bob)).to.equal(open(30n) * WAD);
      expect(await stakedOpen.dustScaled()).to.equal(0n);
    });

    it("keeps the remainder of an indivisible reward as dust, exactly", async () => {
      const { stakedOpen, router } = await networkHelpers.loadFixture(stakedFixture);
      const reward = open(40n) + 7n; // 7 wei more than 400 gOPEN can take at whole accumulator steps
      await stakedOpen.connect(router).notifyReward(reward);
      const supply = ALICE_STAKE + BOB_STAKE;
      const increment = (reward * WAD) / supply;
      expect(increment).to.equal(10n ** 17n);
      expect(await stakedOpen.rewardPerToken()).to.equal(increment);
      expect(await stakedOpen.dustScaled()).to.equal(reward * WAD - increment * supply);
      expect(await stakedOpen.dustScaled()).to.equal(7n * WAD);
    });

    it("distributes pro rata across three stakers with different entry times, exact to the sub-wei", async () => {
      const { stakedOpen, openToken, alice, bob, carol, router } = await networkHelpers.loadFixture(stakedOpenFixture);
      const model = new RewardModel();
      const stake = async (signer: typeof alice, amount: bigint) => {
        await stakedOpen.connect(signer).stake(amount);
        model.stake(signer.address, amount);
      };
      const notify = async (amount: bigint) => {
        await stakedOpen.connect(router).notifyReward(amount);
        model.notify(amount);
      };

      await stake(alice, open(100n));
      await notify(open(10n)); // alice alone: all 10 OPEN
      expect(await stakedOpen.earnedScaled(alice)).to.equal(open(10n) * WAD);

      await time.increase(HOUR);
      await stake(bob, open(300n));
      await notify(open(40n) + 7n); // 100 : 300, plus 7 wei that no whole accumulator step can carry
      // Worked by hand: alice 10 + 10 OPEN, bob 30 OPEN, 7 wei of dust.
      expect(await stakedOpen.earnedScaled(alice)).to.equal(open(20n) * WAD);
      expect(await stakedOpen.earnedScaled(bob)).to.equal(open(30n) * WAD);
      expect(await stakedOpen.dustScaled()).to.equal(7n * WAD);

      await time.increase(HOUR);
      await stake(carol, open(50n) + 3n);
      await notify(open(1n) + 1n);
      await notify(12_345_678_901n);

      for (const account of [alice, bob, carol]) {
        expect(await stakedOpen.earnedScaled(account), `earnedScaled(${account.address})`).to.equal(
          model.earnedScaled(account.address),
        );
        expect(await stakedOpen.earned(account)).to.equal(model.earnedScaled(account.address) / WAD);
      }
      expect(await stakedOpen.rewardPerToken()).to.equal(model.rewardPerToken);
      expect(await stakedOpen.dustScaled()).to.equal(model.dustScaled);
      await expectOpenConserved(openToken, stakedOpen, [alice, bob, carol]);
    });
  });

  describe("claimRewards", () => {
    /** alice 1 OPEN + 1 wei and bob 2 OPEN staked, 10 OPEN notified: shares with sub-wei remainders. */
    async function subWeiRewardsFixture(conn: Connection) {
      const f = await stakedOpenFixture(conn);
      const model = new RewardModel();
      await f.stakedOpen.connect(f.alice).stake(open(1n) + 1n);
      model.stake(f.alice.address, open(1n) + 1n);
      await f.stakedOpen.connect(f.bob).stake(open(2n));
      model.stake(f.bob.address, open(2n));
      await f.stakedOpen.connect(f.router).notifyReward(open(10n));
      model.notify(open(10n));
      return { ...f, model };
    }

    it("reverts with StakedOpenNothingToClaim when nothing was earned", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(alice).claimRewards())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenNothingToClaim")
        .withArgs(alice.address);
    });

    it("reverts with StakedOpenNothingToClaim when less than one wei was earned", async () => {
      const { stakedOpen, alice, router } = await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(alice).stake(3n);
      await stakedOpen.connect(router).notifyReward(1n);
      const scaled = await stakedOpen.earnedScaled(alice);
      expect(scaled).to.equal(3n * (WAD / 3n));
      expect(scaled > 0n && scaled < WAD).to.equal(true);
      await expect(stakedOpen.connect(alice).claimRewards())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenNothingToClaim")
        .withArgs(alice.address);
    });

    it("pays the whole wei earned to the caller", async () => {
      const { stakedOpen, openToken, alice, model } = await networkHelpers.loadFixture(subWeiRewardsFixture);
      const expected = model.earnedScaled(alice.address) / WAD;
      expect(await stakedOpen.connect(alice).claimRewards.staticCall()).to.equal(expected);
      await expect(stakedOpen.connect(alice).claimRewards()).to.changeTokenBalances(
        ethers,
        openToken,
        [alice, stakedOpen],
        [expected, -expected],
      );
    });

    it("emits RewardClaimed with the caller as recipient", async () => {
      const { stakedOpen, alice, model } = await networkHelpers.loadFixture(subWeiRewardsFixture);
      await expect(stakedOpen.connect(alice).claimRewards())
        .to.emit(stakedOpen, "RewardClaimed")
        .withArgs(alice.address, alice.address, model.earnedScaled(alice.address) / WAD);
    });

    it("keeps the sub-wei remainder with the account", async () => {
      const { stakedOpen, alice, model } = await networkHelpers.loadFixture(subWeiRewardsFixture);
      const scaled = model.earnedScaled(alice.address);
      expect(scaled % WAD).to.not.equal(0n);
      await stakedOpen.connect(alice).claimRewards();
      expect(await stakedOpen.earnedScaled(alice)).to.equal(scaled % WAD);
      expect(await stakedOpen.earned(alice)).to.equal(0n);
      await expect(stakedOpen.connect(alice).claimRewards())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenNothingToClaim")
        .withArgs(alice.address);
    });

    it("adds later rewards to the kept remainder", async () => {
      const { stakedOpen, alice, router, model } = await networkHelpers.loadFixture(subWeiRewardsFixture);
      await stakedOpen.connect(alice).claimRewards();
      model.claim(alice.address);
      await stakedOpen.connect(router).notifyReward(open(3n) + 5n);
      model.notify(open(3n) + 5n);
      expect(await stakedOpen.earnedScaled(alice)).to.equal(model.earnedScaled(alice.address));
      await expect(stakedOpen.connect(alice).claimRewards())
        .to.emit(stakedOpen, "RewardClaimed")
        .withArgs(alice.address, alice.address, model.claim(alice.address));
      expect(await stakedOpen.earnedScaled(alice)).to.equal(model.earnedScaled(alice.address));
    });

    it("still pays rewards earned before a full unstake and withdrawal", async () => {
      const { stakedOpen, openToken, alice, router } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(router).notifyReward(open(40n));
      await stakedOpen.connect(alice).requestUnstake(ALICE_STAKE);
      await time.increase(INITIAL_COOLDOWN);
      await stakedOpen.connect(alice).withdraw();
      await expect(stakedOpen.connect(alice).claimRewards()).to.changeTokenBalances(
        ethers,
        openToken,
        [alice],
        [open(10n)],
      );
    });
  });

  describe("claimRewardsTo", () => {
    it("reverts with StakedOpenZeroAddress when the recipient is the zero address", async () => {
      const { stakedOpen, alice, router } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(router).notifyReward(open(40n));
      await expect(stakedOpen.connect(alice).claimRewardsTo(ZeroAddress)).to.be.revertedWithCustomError(
        stakedOpen,
        "StakedOpenZeroAddress",
      );
    });

    it("reverts with StakedOpenNothingToClaim when nothing was earned", async () => {
      const { stakedOpen, alice, carol } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(alice).claimRewardsTo(carol))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenNothingToClaim")
        .withArgs(alice.address);
    });

    it("pays the caller's rewards to the recipient", async () => {
      const { stakedOpen, openToken, alice, carol, router } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(router).notifyReward(open(40n));
      await expect(stakedOpen.connect(alice).claimRewardsTo(carol)).to.changeTokenBalances(
        ethers,
        openToken,
        [alice, carol, stakedOpen],
        [0n, open(10n), -open(10n)],
      );
      expect(await stakedOpen.earnedScaled(alice)).to.equal(0n);
    });

    it("emits RewardClaimed with the account and the recipient", async () => {
      const { stakedOpen, alice, carol, router } = await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(router).notifyReward(open(40n));
      await expect(stakedOpen.connect(alice).claimRewardsTo(carol))
        .to.emit(stakedOpen, "RewardClaimed")
        .withArgs(alice.address, carol.address, open(10n));
    });
  });

  describe("sweepDust", () => {
    /** 7 OPEN + 3 wei staked and 1000 wei notified: 5 whole wei of dust plus a sub-wei remainder. */
    async function dustFixture(conn: Connection) {
      const f = await stakedOpenFixture(conn);
      const model = new RewardModel();
      await f.stakedOpen.connect(f.alice).stake(open(7n) + 3n);
      model.stake(f.alice.address, open(7n) + 3n);
      await f.stakedOpen.connect(f.router).notifyReward(1_000n);
      model.notify(1_000n);
      return { ...f, model };
    }

    it("reverts with StakedOpenNoDust when there is no dust", async () => {
      const { stakedOpen, bob } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(bob).sweepDust()).to.be.revertedWithCustomError(stakedOpen, "StakedOpenNoDust");
    });

    it("reverts with StakedOpenNoDust when the dust is less than one wei", async () => {
      const { stakedOpen, alice, bob, router } = await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(alice).stake(3n);
      await stakedOpen.connect(router).notifyReward(1n);
      expect(await stakedOpen.dustScaled()).to.equal(WAD - 3n * (WAD / 3n));
      await expect(stakedOpen.connect(bob).sweepDust()).to.be.revertedWithCustomError(stakedOpen, "StakedOpenNoDust");
    });

    it("holds the exact dust of an indivisible notification", async () => {
      const { stakedOpen, model } = await networkHelpers.loadFixture(dustFixture);
      const supply = open(7n) + 3n;
      const increment = (1_000n * WAD) / supply;
      expect(increment).to.equal(142n);
      expect(await stakedOpen.dustScaled()).to.equal(1_000n * WAD - increment * supply);
      expect(model.dustScaled).to.equal(6n * WAD - 426n);
    });

    it("lets anyone send the whole wei of dust to the treasury", async () => {
      const { stakedOpen, openToken, bob, treasury } = await networkHelpers.loadFixture(dustFixture);
      expect(await stakedOpen.connect(bob).sweepDust.staticCall()).to.equal(5n);
      await expect(stakedOpen.connect(bob).sweepDust()).to.changeTokenBalances(
        ethers,
        openToken,
        [treasury, stakedOpen, bob],
        [5n, -5n, 0n],
      );
    });

    it("emits DustSwept with the treasury and the amount", async () => {
      const { stakedOpen, bob, treasury } = await networkHelpers.loadFixture(dustFixture);
      await expect(stakedOpen.connect(bob).sweepDust()).to.emit(stakedOpen, "DustSwept").withArgs(treasury, 5n);
    });

    it("keeps the sub-wei remainder of the dust", async () => {
      const { stakedOpen, bob } = await networkHelpers.loadFixture(dustFixture);
      await stakedOpen.connect(bob).sweepDust();
      expect(await stakedOpen.dustScaled()).to.equal(WAD - 426n);
      await expect(stakedOpen.connect(bob).sweepDust()).to.be.revertedWithCustomError(stakedOpen, "StakedOpenNoDust");
    });

    it("sends the dust to the current treasury", async () => {
      const { stakedOpen, openToken, bob, carol, governance } = await networkHelpers.loadFixture(dustFixture);
      await stakedOpen.connect(governance).setTreasury(carol);
      await expect(stakedOpen.connect(bob).sweepDust()).to.changeTokenBalances(ethers, openToken, [carol], [5n]);
    });

    it("leaves the stakers' rewards intact", async () => {
      const { stakedOpen, openToken, alice, bob, model } = await networkHelpers.loadFixture(dustFixture);
      await stakedOpen.connect(bob).sweepDust();
      expect(await stakedOpen.earnedScaled(alice)).to.equal(model.earnedScaled(alice.address));
      await expectOpenConserved(openToken, stakedOpen, [alice]);
    });
  });

  describe("slash", () => {
    /** stakedFixture with alice unstaking 40 of her 100 OPEN: 60 staked, 40 queued. */
    async function queuedFixture(conn: Connection) {
      const f = await stakedFixture(conn);
      const requestedAt = BigInt(await conn.networkHelpers.time.latest()) + 10n;
      await conn.networkHelpers.time.setNextBlockTimestamp(requestedAt);
      await f.stakedOpen.connect(f.alice).requestUnstake(open(40n));
      return { ...f, releaseTime: requestedAt + INITIAL_COOLDOWN };
    }

    it("reverts with StakedOpenZeroAmount when slashing zero", async () => {
      const { stakedOpen, alice, governance } = await networkHelpers.loadFixture(queuedFixture);
      await expect(stakedOpen.connect(governance).slash(alice, 0n, "zero")).to.be.revertedWithCustomError(
        stakedOpen,
        "StakedOpenZeroAmount",
      );
    });

    it("reverts with StakedOpenSlashExceedsBalance when the amount exceeds stake plus queue", async () => {
      const { stakedOpen, alice, governance } = await networkHelpers.loadFixture(queuedFixture);
      await expect(stakedOpen.connect(governance).slash(alice, ALICE_STAKE + 1n, "too much"))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenSlashExceedsBalance")
        .withArgs(alice.address, ALICE_STAKE, ALICE_STAKE + 1n);
    });

    it("reverts with StakedOpenSlashExceedsBalance for an account with nothing", async () => {
      const { stakedOpen, carol, governance } = await networkHelpers.loadFixture(queuedFixture);
      await expect(stakedOpen.connect(governance).slash(carol, 1n, "nothing"))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenSlashExceedsBalance")
        .withArgs(carol.address, 0n, 1n);
    });

    it("takes from the stake only while the stake covers the amount", async () => {
      const { stakedOpen, alice, governance, releaseTime } = await networkHelpers.loadFixture(queuedFixture);
      await expect(stakedOpen.connect(governance).slash(alice, open(60n), "stake only"))
        .to.emit(stakedOpen, "Slashed")
        .withArgs(alice.address, open(60n), 0n, "stake only");
      expect(await stakedOpen.balanceOf(alice)).to.equal(0n);
      const pending = await stakedOpen.pendingWithdrawal(alice);
      expect(pending.amount).to.equal(open(40n));
      expect(pending.releaseTime).to.equal(releaseTime);
    });

    it("takes the stake first, then the queued withdrawal, and emits Slashed with the reason", async () => {
      const { stakedOpen, alice, governance } = await networkHelpers.loadFixture(queuedFixture);
      await expect(stakedOpen.connect(governance).slash(alice, open(80n), "falsified attribution report #7"))
        .to.emit(stakedOpen, "Slashed")
        .withArgs(alice.address, open(60n), open(20n), "falsified attribution report #7");
    });

    it("burns the stake taken and shrinks the queue and totalQueued, keeping the release time", async () => {
      const { stakedOpen, alice, bob, governance, releaseTime } = await networkHelpers.loadFixture(queuedFixture);
      await stakedOpen.connect(bob).requestUnstake(open(1n));
      await stakedOpen.connect(governance).slash(alice, open(80n), "both");
      expect(await stakedOpen.balanceOf(alice)).to.equal(0n);
      expect(await stakedOpen.totalSupply()).to.equal(BOB_STAKE - open(1n));
      const pending = await stakedOpen.pendingWithdrawal(alice);
      expect(pending.amount).to.equal(open(20n));
      expect(pending.releaseTime).to.equal(releaseTime);
      expect(await stakedOpen.totalQueued()).to.equal(open(21n));
    });

    it("takes from the queued withdrawal alone when nothing is staked", async () => {
      const { stakedOpen, alice, governance } = await networkHelpers.loadFixture(queuedFixture);
      await stakedOpen.connect(alice).requestUnstake(open(60n));
      await expect(stakedOpen.connect(governance).slash(alice, open(30n), "queue"))
        .to.emit(stakedOpen, "Slashed")
        .withArgs(alice.address, 0n, open(30n), "queue");
      expect((await stakedOpen.pendingWithdrawal(alice)).amount).to.equal(open(70n));
    });

    it("sends the slashed OPEN to the treasury", async () => {
      const { stakedOpen, openToken, alice, governance, treasury } = await networkHelpers.loadFixture(queuedFixture);
      await expect(stakedOpen.connect(governance).slash(alice, open(80n), "both")).to.changeTokenBalances(
        ethers,
        openToken,
        [treasury, stakedOpen, alice],
        [open(80n), -open(80n), 0n],
      );
    });

    it("drops the slashed account's votes", async () => {
      const { stakedOpen, alice, governance } = await networkHelpers.loadFixture(queuedFixture);
      await expect(stakedOpen.connect(governance).slash(alice, open(25n), "votes"))
        .to.emit(stakedOpen, "DelegateVotesChanged")
        .withArgs(alice.address, open(60n), open(35n));
      expect(await stakedOpen.getVotes(alice)).to.equal(open(35n));
    });

    it("settles the account's rewards before burning its stake", async () => {
      const { stakedOpen, alice, governance, router } = await networkHelpers.loadFixture(queuedFixture);
      await stakedOpen.connect(router).notifyReward(open(36n)); // 360 gOPEN staked: 0.1 OPEN per gOPEN
      await stakedOpen.connect(governance).slash(alice, open(60n), "after reward");
      expect(await stakedOpen.earnedScaled(alice)).to.equal(open(6n) * WAD);
      await stakedOpen.connect(router).notifyReward(open(30n)); // bob alone now
      expect(await stakedOpen.earnedScaled(alice)).to.equal(open(6n) * WAD);
    });

    it("leaves nothing to withdraw once the whole queue was slashed", async () => {
      const { stakedOpen, alice, governance } = await networkHelpers.loadFixture(queuedFixture);
      await stakedOpen.connect(governance).slash(alice, ALICE_STAKE, "everything");
      await time.increase(INITIAL_COOLDOWN);
      await expect(stakedOpen.connect(alice).withdraw())
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenNothingToWithdraw")
        .withArgs(alice.address);
    });

    it("lets the account withdraw what remains of its queue", async () => {
      const { stakedOpen, openToken, alice, governance } = await networkHelpers.loadFixture(queuedFixture);
      await stakedOpen.connect(governance).slash(alice, open(70n), "partial queue");
      await time.increase(INITIAL_COOLDOWN);
      await expect(stakedOpen.connect(alice).withdraw()).to.changeTokenBalances(
        ethers,
        openToken,
        [alice],
        [open(30n)],
      );
      expect(await stakedOpen.totalQueued()).to.equal(0n);
    });
  });

  describe("access control", () => {
    shouldBehaveLikeGovernanceOnly<StakedOpen>(async () => {
      const f = await networkHelpers.loadFixture(stakedFixture);
      return { contract: f.stakedOpen, callers: [f.deployer, f.alice, f.router] };
    }, [
      { name: "slash", call: (c, caller) => c.connect(caller).slash(caller.address, 1n, "self") },
      { name: "setCooldown", call: (c, caller) => c.connect(caller).setCooldown(DAY) },
      { name: "setTreasury", call: (c, caller) => c.connect(caller).setTreasury(caller.address) },
      { name: "setRewardNotifier", call: (c, caller) => c.connect(caller).setRewardNotifier(caller.address, true) },
      { name: "transferOwnership", call: (c, caller) => c.connect(caller).transferOwnership(caller.address) },
      { name: "renounceOwnership", call: (c, caller) => c.connect(caller).renounceOwnership() },
    ]);
  });

  describe("setCooldown", () => {
    it("reverts with StakedOpenCooldownOutOfBounds below MIN_COOLDOWN", async () => {
      const { stakedOpen, governance } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(governance).setCooldown(MIN_COOLDOWN - 1n))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenCooldownOutOfBounds")
        .withArgs(MIN_COOLDOWN - 1n, MIN_COOLDOWN, MAX_COOLDOWN);
    });

    it("reverts with StakedOpenCooldownOutOfBounds for zero", async () => {
      const { stakedOpen, governance } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(governance).setCooldown(0n))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenCooldownOutOfBounds")
        .withArgs(0n, MIN_COOLDOWN, MAX_COOLDOWN);
    });

    it("reverts with StakedOpenCooldownOutOfBounds above MAX_COOLDOWN", async () => {
      const { stakedOpen, governance } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(governance).setCooldown(MAX_COOLDOWN + 1n))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenCooldownOutOfBounds")
        .withArgs(MAX_COOLDOWN + 1n, MIN_COOLDOWN, MAX_COOLDOWN);
    });

    it("accepts MIN_COOLDOWN and emits CooldownUpdated with the old and new values", async () => {
      const { stakedOpen, governance } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(governance).setCooldown(MIN_COOLDOWN))
        .to.emit(stakedOpen, "CooldownUpdated")
        .withArgs(INITIAL_COOLDOWN, MIN_COOLDOWN);
      expect(await stakedOpen.cooldown()).to.equal(MIN_COOLDOWN);
    });

    it("accepts MAX_COOLDOWN and emits CooldownUpdated with the old and new values", async () => {
      const { stakedOpen, governance } = await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(governance).setCooldown(MIN_COOLDOWN);
      await expect(stakedOpen.connect(governance).setCooldown(MAX_COOLDOWN))
        .to.emit(stakedOpen, "CooldownUpdated")
        .withArgs(MIN_COOLDOWN, MAX_COOLDOWN);
      expect(await stakedOpen.cooldown()).to.equal(MAX_COOLDOWN);
    });

    it("never releases an earlier queue sooner when a new request follows a shortened cooldown", async () => {
      const { stakedOpen, alice, governance } = await networkHelpers.loadFixture(stakedFixture);
      const firstAt = await pinNextTimestamp();
      await stakedOpen.connect(alice).requestUnstake(open(10n));
      await stakedOpen.connect(governance).setCooldown(HOUR);
      await expect(stakedOpen.connect(alice).requestUnstake(1n))
        .to.emit(stakedOpen, "UnstakeRequested")
        .withArgs(alice.address, 1n, open(10n) + 1n, firstAt + INITIAL_COOLDOWN);
      expect((await stakedOpen.pendingWithdrawal(alice)).releaseTime).to.equal(firstAt + INITIAL_COOLDOWN);
    });

    it("applies to later requests while a queued withdrawal keeps its release time", async () => {
      const { stakedOpen, alice, bob, governance } = await networkHelpers.loadFixture(stakedFixture);
      const aliceAt = await pinNextTimestamp();
      await stakedOpen.connect(alice).requestUnstake(open(10n));
      await stakedOpen.connect(governance).setCooldown(HOUR);
      const bobAt = await pinNextTimestamp();
      await stakedOpen.connect(bob).requestUnstake(open(10n));
      expect((await stakedOpen.pendingWithdrawal(alice)).releaseTime).to.equal(aliceAt + INITIAL_COOLDOWN);
      expect((await stakedOpen.pendingWithdrawal(bob)).releaseTime).to.equal(bobAt + HOUR);
    });
  });

  describe("setTreasury", () => {
    it("reverts with StakedOpenZeroAddress for the zero address", async () => {
      const { stakedOpen, governance } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(governance).setTreasury(ZeroAddress)).to.be.revertedWithCustomError(
        stakedOpen,
        "StakedOpenZeroAddress",
      );
    });

    it("sets the treasury and emits TreasuryUpdated with the old and new addresses", async () => {
      const { stakedOpen, governance, treasury, carol } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(governance).setTreasury(carol))
        .to.emit(stakedOpen, "TreasuryUpdated")
        .withArgs(treasury, carol.address);
      expect(await stakedOpen.treasury()).to.equal(carol.address);
    });

    it("sends later slashes to the new treasury", async () => {
      const { stakedOpen, openToken, alice, carol, governance, treasury } =
        await networkHelpers.loadFixture(stakedFixture);
      await stakedOpen.connect(governance).setTreasury(carol);
      await expect(stakedOpen.connect(governance).slash(alice, open(1n), "new treasury")).to.changeTokenBalances(
        ethers,
        openToken,
        [carol, treasury],
        [open(1n), 0n],
      );
    });

    it("sends later rewards notified while nothing is staked to the new treasury", async () => {
      const { stakedOpen, openToken, router, carol, governance } = await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(governance).setTreasury(carol);
      await expect(stakedOpen.connect(router).notifyReward(open(2n))).to.changeTokenBalances(
        ethers,
        openToken,
        [carol],
        [open(2n)],
      );
    });
  });

  describe("setRewardNotifier", () => {
    it("reverts with StakedOpenZeroAddress for the zero address", async () => {
      const { stakedOpen, governance } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(governance).setRewardNotifier(ZeroAddress, true)).to.be.revertedWithCustomError(
        stakedOpen,
        "StakedOpenZeroAddress",
      );
    });

    it("authorises a notifier and emits RewardNotifierUpdated(notifier, true)", async () => {
      const { stakedOpen, openToken, carol, governance } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(governance).setRewardNotifier(carol, true))
        .to.emit(stakedOpen, "RewardNotifierUpdated")
        .withArgs(carol.address, true);
      expect(await stakedOpen.isRewardNotifier(carol)).to.equal(true);
      await expect(stakedOpen.connect(carol).notifyReward(open(4n))).to.changeTokenBalances(
        ethers,
        openToken,
        [carol, stakedOpen],
        [-open(4n), open(4n)],
      );
    });

    it("revokes a notifier and emits RewardNotifierUpdated(notifier, false)", async () => {
      const { stakedOpen, router, governance } = await networkHelpers.loadFixture(stakedFixture);
      await expect(stakedOpen.connect(governance).setRewardNotifier(router, false))
        .to.emit(stakedOpen, "RewardNotifierUpdated")
        .withArgs(router.address, false);
      expect(await stakedOpen.isRewardNotifier(router)).to.equal(false);
      await expect(stakedOpen.connect(router).notifyReward(open(1n)))
        .to.be.revertedWithCustomError(stakedOpen, "StakedOpenUnauthorizedNotifier")
        .withArgs(router.address);
    });
  });

  describe("ownership", () => {
    it("reverts renounceOwnership by governance with StakedOpenRenounceDisabled", async () => {
      const { stakedOpen, governance, treasury } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(governance).renounceOwnership()).to.be.revertedWithCustomError(
        stakedOpen,
        "StakedOpenRenounceDisabled",
      );
      expect(await stakedOpen.owner()).to.equal(treasury);
    });

    it("transfers ownership in one step (the deployment wires the router first) and emits OwnershipTransferred", async () => {
      const { stakedOpen, governance, treasury, carol } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(governance).transferOwnership(carol))
        .to.emit(stakedOpen, "OwnershipTransferred")
        .withArgs(treasury, carol.address);
      expect(await stakedOpen.owner()).to.equal(carol.address);
    });

    it("reverts transferOwnership to the zero address with OwnableInvalidOwner", async () => {
      const { stakedOpen, governance } = await networkHelpers.loadFixture(stakedOpenFixture);
      await expect(stakedOpen.connect(governance).transferOwnership(ZeroAddress))
        .to.be.revertedWithCustomError(stakedOpen, "OwnableInvalidOwner")
        .withArgs(ZeroAddress);
    });

    it("moves every governance power to the new owner", async () => {
      const { stakedOpen, governance, treasury, carol } = await networkHelpers.loadFixture(stakedOpenFixture);
      await stakedOpen.connect(governance).transferOwnership(carol);
      await expect(stakedOpen.connect(carol).setCooldown(DAY))
        .to.emit(stakedOpen, "CooldownUpdated")
        .withArgs(INITIAL_COOLDOWN, DAY);
      await expect(stakedOpen.connect(governance).setCooldown(HOUR))
        .to.be.revertedWithCustomError(stakedOpen, "OwnableUnauthorizedAccount")
        .withArgs(treasury);
    });
  });

  describe("conservation of OPEN", () => {
    it("holds after every step of a lifecycle with stakes, rewards, unstakes, slashes, claims, sweeps and withdrawals", async () => {
      const { stakedOpen, openToken, alice, bob, carol, dave, router, governance } =
        await networkHelpers.loadFixture(stakedOpenFixture);
      const actors = [alice, bob, carol, dave];
      const model = new RewardModel();
      const check = async (step: string) => {
        await expectOpenConserved(openToken, stakedOpen, actors);
        for (const actor of actors) {
          expect(await stakedOpen.earnedScaled(actor), `${step}: earnedScaled`).to.equal(
            model.earnedScaled(actor.address),
          );
        }
        expect(await stakedOpen.dustScaled(), `${step}: dustScaled`).to.equal(model.dustScaled);
      };

      await stakedOpen.connect(alice).stake(open(100n) + 1n);
      model.stake(alice.address, open(100n) + 1n);
      await stakedOpen.connect(router).notifyReward(open(3n) + 2n);
      model.notify(open(3n) + 2n);
      await check("first reward");

      await stakedOpen.connect(bob).stake(open(33n) + 7n);
      model.stake(bob.address, open(33n) + 7n);
      await stakedOpen.connect(carol).stake(13n);
      model.stake(carol.address, 13n);
      await stakedOpen.connect(router).notifyReward(999_999_999_999n);
      model.notify(999_999_999_999n);
      await check("three stakers");

      await stakedOpen.connect(alice).requestUnstake(open(50n));
      model.unstake(alice.address, open(50n));
      await stakedOpen.connect(router).notifyReward(open(7n) + 11n);
      model.notify(open(7n) + 11n);
      await check("after an unstake");

      await stakedOpen.connect(governance).slash(alice, open(60n), "lifecycle");
      model.unstake(alice.address, open(50n) + 1n); // the whole stake, then 10 OPEN - 1 wei from the queue
      await stakedOpen.connect(router).notifyReward(123_456_789n);
      model.notify(123_456_789n);
      await check("after a slash");

      await stakedOpen.connect(bob).claimRewards();
      model.claim(bob.address);
      await stakedOpen.connect(alice).claimRewardsTo(dave);
      model.claim(alice.address);
      await check("after claims");

      await stakedOpen.connect(carol).sweepDust();
      model.sweep();
      await check("after a sweep");

      await time.increase(INITIAL_COOLDOWN);
      await stakedOpen.connect(alice).withdraw();
      await check("after a withdrawal");

      expect(await stakedOpen.totalQueued()).to.equal(0n);
      expect(await stakedOpen.totalSupply()).to.equal(model.totalStaked);
    });
  });
});
