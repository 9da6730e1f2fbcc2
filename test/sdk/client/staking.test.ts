/**
 * The client's staking (sdk/client/staking.ts) on the in-process network: stake by allowance or permit,
 * unstake, withdraw after the cooldown and never while a slash proposal freezes it, claim rewards, read a
 * position. Each wrong amount, state or recipient is refused with a ProtocolError before anything is sent.
 */
import { expect } from "chai";
import { network } from "hardhat";

import { freezeNote } from "../../../sdk/core/client-errors.js";
import { TEST_PARAMS, type Connection } from "../../fixtures/protocol.js";
import { FUNDS, fundedSuite, refusal } from "./suite.js";

const connection = await network.create();
const { networkHelpers } = connection;
const OPEN = 10n ** 18n;

async function funded(conn: Connection) {
  return fundedSuite(conn);
}

/** Alice staked 20,000 OPEN and delegated to herself, a block ago (so her votes count). */
async function staked(conn: Connection) {
  const suite = await fundedSuite(conn);
  const alice = suite.client(suite.alice);
  await alice.staking.stake(20_000n * OPEN);
  await alice.staking.delegate(suite.alice.address);
  await networkHelpers.mine();
  return suite;
}

describe("client staking", () => {
  it("stakes with a permit when there is no allowance, and with stake() when there is", async () => {
    const f = await networkHelpers.loadFixture(funded);
    const alice = f.client(f.alice);
    const first = await alice.staking.stake(1_000n * OPEN);
    expect(first).to.include({ usedPermit: true, staked: 1_000n * OPEN, delegated: false });
    await (await alice.contracts.openToken.approve(f.deployment.addresses.stakedOpen, 500n * OPEN)).wait();
    expect((await alice.staking.stake(500n * OPEN)).usedPermit).to.equal(false);
    expect(await f.stakedOpen.balanceOf(f.alice)).to.equal(1_500n * OPEN);
  });

  it("refuses to stake nothing, or more OPEN than the account holds", async () => {
    const f = await networkHelpers.loadFixture(funded);
    const alice = f.client(f.alice);
    await refusal(alice.staking.stake(0n), "ZeroAmount");
    const e = await refusal(alice.staking.stake(FUNDS + OPEN), "InsufficientBalance", {
      account: f.alice.address,
      balance: FUNDS,
      needed: FUNDS + OPEN,
    });
    expect(e.message).to.equal(`${f.alice.address} holds 50,000 OPEN, less than the 50,001 OPEN to stake.`);
    expect(e.reverted).to.equal(false);
  });

  it("refuses to unstake more than the stake", async () => {
    const f = await networkHelpers.loadFixture(staked);
    const e = await refusal(f.client(f.alice).staking.requestUnstake(20_001n * OPEN), "InsufficientStake", {
      staked: 20_000n * OPEN,
      amount: 20_001n * OPEN,
    });
    expect(e.message).to.match(/less than the 20,001 gOPEN to unstake/);
  });

  it("refuses to withdraw with nothing queued, then before the release time, then withdraws", async () => {
    const f = await networkHelpers.loadFixture(staked);
    const alice = f.client(f.alice);
    await refusal(alice.staking.withdraw(), "NothingQueued", { account: f.alice.address });
    const { releaseTime } = await alice.staking.requestUnstake(100n * OPEN);
    const early = await refusal(alice.staking.withdraw(), "CooldownActive", { amount: 100n * OPEN, releaseTime });
    expect(early.message).to.match(/is released at .*; try again after that\.$/);
    await networkHelpers.time.increaseTo(releaseTime);
    expect((await alice.staking.withdraw()).amount).to.equal(100n * OPEN);
  });

  it("refuses to withdraw while a slash proposal freezes the withdrawal, saying until when", async () => {
    const f = await networkHelpers.loadFixture(staked);
    const alice = f.client(f.alice);
    const bob = f.client(f.bob);
    await bob.staking.stake(1_000n * OPEN);
    const { releaseTime } = await bob.staking.requestUnstake(500n * OPEN);
    await networkHelpers.time.increaseTo(releaseTime);
    const slash = alice.governance.buildAction("stakedOpen", "slash", [f.bob.address, "1", "test"]);
    await alice.governance.propose([slash], "Slash Bob 1 wei");
    const position = await bob.staking.position();
    expect(position.frozenUntil).to.be.greaterThan(releaseTime);
    expect(position.frozen).to.equal(true);
    const e = await refusal(bob.staking.withdraw(), "WithdrawalsFrozen", {
      account: f.bob.address,
      until: position.frozenUntil,
    });
    expect(e.message).to.equal(freezeNote(f.bob.address, position.frozenUntil));
    expect(freezeNote(f.bob.address, position.frozenUntil)).to.match(
      /^The withdrawals of 0x[0-9a-fA-F]{40} are frozen until .* by a proposal to slash it: its queued OPEN stays slashable until governance decides/,
    );
    await networkHelpers.time.increaseTo(position.frozenUntil);
    expect((await bob.staking.withdraw()).amount).to.equal(500n * OPEN);
  });

  it("refuses to stake while the contract is paused, and to send rewards to a protocol contract", async () => {
    const f = await networkHelpers.loadFixture(staked);
    const alice = f.client(f.alice);
    await (await f.stakedOpen.connect(f.governance).pause()).wait();
    const paused = await refusal(alice.staking.stake(OPEN), "StakingPaused");
    expect(paused.message).to.match(/^Staking is paused by the guardian/);
    await (await f.stakedOpen.connect(f.governance).unpause()).wait();

    // Rewards notified now stream over the next reward period: two periods later they are all earned.
    const funder = f.client(f.deployer);
    await (await funder.contracts.openToken.approve(f.deployment.addresses.stakedOpen, 100n * OPEN)).wait();
    await (await funder.contracts.stakedOpen.notifyReward(100n * OPEN)).wait();
    await networkHelpers.time.increase(2n * TEST_PARAMS.rewardPeriod);
    const router = f.deployment.addresses.inferenceRouter;
    const locked = await refusal(alice.staking.claimRewards(router), "RecipientIsProtocolContract", {
      recipient: router,
      contract: "inferenceRouter",
    });
    expect(locked.message).to.equal(
      `${router} is the protocol's inferenceRouter contract: OPEN sent there would be locked; send it to an account.`,
    );
    await refusal(alice.staking.claimRewards("0x0000000000000000000000000000000000000000"), "ZeroAddress");
    const { amount, recipient } = await alice.staking.claimRewards();
    expect(recipient).to.equal(f.alice.address);
    expect(100n * OPEN - amount).to.be.lessThan(10n ** 6n); // all of it, but for the rounding dust
  });

  it("refuses to claim when there is nothing to claim", async () => {
    const f = await networkHelpers.loadFixture(staked);
    const e = await refusal(f.client(f.alice).staking.claimRewards(), "NoStakingRewards", {
      account: f.alice.address,
    });
    expect(e.message).to.equal(`${f.alice.address} has no staking rewards to claim yet.`);
  });

  it("reads a position, of the signer or of any account", async () => {
    const f = await networkHelpers.loadFixture(staked);
    const position = await f.client(f.alice).staking.position();
    expect(position).to.include({
      account: f.alice.address,
      staked: 20_000n * OPEN,
      votes: 20_000n * OPEN,
      open: 30_000n * OPEN,
      delegatee: f.alice.address,
      frozen: false,
    });
    expect(position.cooldown).to.equal(TEST_PARAMS.unstakeCooldown);
    expect(await f.client(f.bob).staking.position(f.alice.address)).to.deep.equal(position);
  });
});
