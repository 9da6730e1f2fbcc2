// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {StakedOpen} from "../../contracts/governance/StakedOpen.sol";
import {IGovernanceOwned, IProtocolAdmin} from "../../contracts/interfaces/IProtocolAdmin.sol";
import {IStakedOpen} from "../../contracts/interfaces/IStakedOpen.sol";
import {WAD} from "../../contracts/libraries/Constants.sol";

import {StakedOpenStorage} from "./invariant/StakedOpenStorage.sol";
import {Deployers} from "./utils/Deployers.sol";

/// @notice An ERC-20 with more than 2^96 wei in circulation, to reach gOPEN's uint96 bounds.
contract LargeSupplyToken is ERC20 {
    constructor() ERC20("Large", "LRG") {
        _mint(msg.sender, type(uint128).max);
    }
}

/// @notice An owner contract whose fallback answers every call with empty return data.
contract SilentOwner {
    fallback() external {}
}

/// @notice Unit and fuzz tests of StakedOpen (gOPEN) v2: staking, unstaking with cooldown, streamed rewards in
/// OPEN-wei × 1e18 (periods, roll-over, dust, just-in-time stakers), exact conservation, slashing, withdrawal
/// freezes, the guardian's pause and the vote surface.
contract StakedOpenTest is Deployers {
    uint256 internal constant USER_FUNDS = 10_000_000 ether;
    uint256 internal constant NOTIFIER_FUNDS = 100_000_000 ether;
    uint256 internal constant MIN_REWARDED_SUPPLY = 1e18;

    bytes32 internal constant DELEGATION_TYPEHASH = keccak256(
        "Delegation(address delegatee,uint256 nonce,uint256 expiry)"
    );

    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");
    address internal notifier = makeAddr("notifier");
    address internal stranger = makeAddr("stranger");

    /// @dev StakedOpen's deployment time; reward periods start there.
    uint256 internal deployedAt;

    function setUp() public {
        _deployToken();
        _deployStaking();
        deployedAt = block.timestamp;
        _fund(alice, USER_FUNDS, address(staked));
        _fund(bob, USER_FUNDS, address(staked));
        _fund(carol, USER_FUNDS, address(staked));
        _fund(notifier, NOTIFIER_FUNDS, address(staked));
    }

    // ----------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------

    function _stake(address account, uint256 amount) internal {
        vm.prank(account);
        staked.stake(amount);
    }

    function _unstake(address account, uint256 amount) internal {
        vm.prank(account);
        staked.requestUnstake(amount);
    }

    function _notify(uint256 amount) internal {
        vm.prank(notifier);
        staked.notifyReward(amount);
    }

    function _warp(uint256 seconds_) internal {
        vm.warp(block.timestamp + seconds_);
    }

    /// @dev Start of reward period `k` (period 0 starts at deployment).
    function _periodStart(uint256 k) internal view returns (uint256) {
        return deployedAt + k * REWARD_PERIOD;
    }

    /// @dev The rate at which `amount` notified during one period streams over the next (OPEN-wei × 1e18 / s).
    function _rate(uint256 amount) internal pure returns (uint256) {
        return (amount * WAD) / REWARD_PERIOD;
    }

    /// @dev What `streamed` (OPEN-wei × 1e18) credits to stakers holding `supply` in all: whole accumulator steps;
    /// the rest is the carry.
    function _credited(uint256 streamed, uint256 supply) internal pure returns (uint256) {
        return (streamed / supply) * supply;
    }

    function _actors() internal view returns (address[] memory actors) {
        actors = new address[](3);
        (actors[0], actors[1], actors[2]) = (alice, bob, carol);
    }

    /// @dev The exact conservation law (see StakedOpenStorage.checkLaw), asserted.
    function _assertConserved(address[] memory actors) internal {
        StakedOpenStorage.Law memory law = StakedOpenStorage.checkLaw(staked, open, deployedAt - 1, actors);
        assertEq(law.heldScaled, law.owedScaled, "OPEN held != stake + queued + rewards + carry + dust + stream");
        assertLe(law.rewardsNowScaled, law.rewardsAtLastScaled, "views created rewards since the last accrual");
        // Right after an accrual the difference is the stored carry itself; once time has passed, the carry of now.
        if (law.lastUpdate == block.timestamp) return;
        uint256 carryNow = law.rewardsAtLastScaled - law.rewardsNowScaled;
        if (law.supply < MIN_REWARDED_SUPPLY) assertEq(carryNow, 0, "carry with too little staked");
        else assertLt(carryNow, law.supply, "carry not below the supply");
    }

    // ----------------------------------------------------------------------------------------------
    // Constructor
    // ----------------------------------------------------------------------------------------------

    function test_constructor_setsParameters() public view {
        assertEq(staked.stakingToken(), address(open));
        assertEq(staked.owner(), governance);
        assertEq(staked.treasury(), treasury);
        assertEq(staked.guardian(), guardian);
        assertEq(staked.cooldown(), COOLDOWN);
        assertEq(staked.rewardPeriod(), REWARD_PERIOD);
        assertEq(staked.name(), "Staked Open");
        assertEq(staked.symbol(), "gOPEN");
        assertEq(staked.decimals(), 18);
        assertEq(staked.totalSupply(), 0);
        assertEq(staked.rewardPerToken(), 0);
        assertEq(staked.dustScaled(), 0);
        assertEq(staked.MIN_COOLDOWN(), 1 hours);
        assertEq(staked.MAX_COOLDOWN(), 90 days);
        assertEq(staked.MIN_REWARD_PERIOD(), 1 hours);
        assertEq(staked.MAX_REWARD_PERIOD(), 30 days);
        assertEq(staked.MAX_FREEZE(), 60 days);
        assertEq(staked.MIN_REWARDED_SUPPLY(), MIN_REWARDED_SUPPLY);
    }

    function test_constructor_startsTheFirstRewardPeriodAtDeployment() public view {
        (uint256 periodEnd, uint256 rate, uint256 queued) = staked.rewardStream();
        assertEq(periodEnd, deployedAt + REWARD_PERIOD);
        assertEq(rate, 0);
        assertEq(queued, 0);
    }

    function test_constructor_revertsOnZeroOpen() public {
        vm.expectRevert(IStakedOpen.StakedOpenZeroAddress.selector);
        new StakedOpen(IERC20(address(0)), _admin(), COOLDOWN, REWARD_PERIOD);
    }

    function test_constructor_revertsOnZeroTreasury() public {
        IProtocolAdmin.AdminConfig memory admin = _admin();
        admin.treasury = address(0);
        vm.expectRevert(IProtocolAdmin.ProtocolAdminZeroAddress.selector);
        new StakedOpen(IERC20(address(open)), admin, COOLDOWN, REWARD_PERIOD);
    }

    function test_constructor_revertsOnZeroGovernance() public {
        IProtocolAdmin.AdminConfig memory admin = _admin();
        admin.governance = address(0);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new StakedOpen(IERC20(address(open)), admin, COOLDOWN, REWARD_PERIOD);
    }

    function test_fuzz_constructor_revertsOnCooldownOutOfBounds(uint256 cooldown) public {
        vm.assume(cooldown < 1 hours || cooldown > 90 days);
        vm.expectRevert(
            abi.encodeWithSelector(IStakedOpen.StakedOpenCooldownOutOfBounds.selector, cooldown, 1 hours, 90 days)
        );
        new StakedOpen(IERC20(address(open)), _admin(), cooldown, REWARD_PERIOD);
    }

    function test_fuzz_constructor_revertsOnRewardPeriodOutOfBounds(uint256 period) public {
        vm.assume(period < 1 hours || period > 30 days);
        vm.expectRevert(
            abi.encodeWithSelector(IStakedOpen.StakedOpenRewardPeriodOutOfBounds.selector, period, 1 hours, 30 days)
        );
        new StakedOpen(IERC20(address(open)), _admin(), COOLDOWN, period);
    }

    function test_fuzz_constructor_acceptsRewardPeriodsWithinBounds(uint256 period) public {
        period = bound(period, 1 hours, 30 days);
        StakedOpen other = new StakedOpen(IERC20(address(open)), _admin(), COOLDOWN, period);
        assertEq(other.rewardPeriod(), period);
        (uint256 periodEnd, , ) = other.rewardStream();
        assertEq(periodEnd, block.timestamp + period);
    }

    function test_storageReader_matchesThePublicViews() public {
        _stake(alice, 3 ether);
        _notify(10 ether);
        _warp(REWARD_PERIOD + 7);
        _stake(bob, 1 ether); // accrues
        StakedOpenStorage.Stored memory s = StakedOpenStorage.read(staked, deployedAt - 1);
        (uint256 periodEnd, uint256 rate, uint256 queued) = staked.rewardStream();
        assertEq(s.lastUpdate, block.timestamp);
        assertEq(s.periodEnd, periodEnd);
        assertEq(s.rate, rate);
        assertEq(s.queued, queued);
        assertEq(s.rewardPerToken, staked.rewardPerToken());
        assertEq(s.dustScaled, staked.dustScaled());
        assertEq(s.totalSupply, 4 ether);
        // 7 seconds at 10 OPEN / day over 3 gOPEN: the carry is what 3e18 did not divide.
        assertEq(s.carry, (7 * _rate(10 ether)) % 3 ether);
    }

    // ----------------------------------------------------------------------------------------------
    // Staking
    // ----------------------------------------------------------------------------------------------

    function test_stake_mintsGOpenAndPullsOpen() public {
        vm.expectEmit(address(staked));
        emit IERC20.Transfer(address(0), alice, 100 ether);
        vm.expectEmit(address(staked));
        emit IStakedOpen.Staked(alice, 100 ether);
        _stake(alice, 100 ether);

        assertEq(staked.balanceOf(alice), 100 ether);
        assertEq(staked.totalSupply(), 100 ether);
        assertEq(open.balanceOf(address(staked)), 100 ether);
        assertEq(open.balanceOf(alice), USER_FUNDS - 100 ether);
    }

    function test_stake_revertsOnZeroAmount() public {
        vm.prank(alice);
        vm.expectRevert(IStakedOpen.StakedOpenZeroAmount.selector);
        staked.stake(0);
    }

    function test_stake_revertsWithoutAllowance() public {
        open.transfer(stranger, 1 ether);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(staked), 0, 1 ether)
        );
        staked.stake(1 ether);
    }

    function test_fuzz_stake_mintsExactAmount(uint256 first, uint256 second) public {
        first = bound(first, 1, USER_FUNDS / 2);
        second = bound(second, 1, USER_FUNDS / 2);
        _stake(alice, first);
        _warp(1);
        _stake(alice, second);
        _stake(bob, second);
        assertEq(staked.balanceOf(alice), first + second);
        assertEq(staked.balanceOf(bob), second);
        assertEq(staked.totalSupply(), first + 2 * second);
        assertEq(open.balanceOf(address(staked)), first + 2 * second);
    }

    function test_stake_revertsWithStakedOpenAmountTooLargePastUint96() public {
        LargeSupplyToken large = new LargeSupplyToken();
        StakedOpen big = new StakedOpen(IERC20(address(large)), _admin(), COOLDOWN, REWARD_PERIOD);
        large.approve(address(big), type(uint256).max);
        uint256 max96 = type(uint96).max;

        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenAmountTooLarge.selector, max96 + 1));
        big.stake(max96 + 1);

        big.stake(max96);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenAmountTooLarge.selector, 1));
        big.stake(1);

        // Another account would take the supply past 2^96 - 1.
        large.transfer(alice, 1);
        vm.startPrank(alice);
        large.approve(address(big), 1);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenAmountTooLarge.selector, 1));
        big.stake(1);
        vm.stopPrank();
    }

    function test_notifyReward_revertsWhenTheQueueWouldPassUint96() public {
        LargeSupplyToken large = new LargeSupplyToken();
        StakedOpen big = new StakedOpen(IERC20(address(large)), _admin(), COOLDOWN, REWARD_PERIOD);
        large.approve(address(big), type(uint256).max);
        uint256 amount = uint256(type(uint96).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 96, amount));
        big.notifyReward(amount);
    }

    // ----------------------------------------------------------------------------------------------
    // Pause (guardian): new stakes only
    // ----------------------------------------------------------------------------------------------

    function test_stake_revertsWhilePaused() public {
        vm.prank(guardian);
        staked.pause();
        vm.prank(alice);
        vm.expectRevert(IProtocolAdmin.ProtocolAdminPaused.selector);
        staked.stake(1 ether);
        vm.prank(alice);
        vm.expectRevert(IProtocolAdmin.ProtocolAdminPaused.selector);
        staked.stakeWithPermit(1 ether, block.timestamp, 0, bytes32(0), bytes32(0));
    }

    function test_pause_neverStopsUnstakeWithdrawClaimOrNotify() public {
        _stake(alice, 10 ether);
        _notify(1 ether);
        _warp(REWARD_PERIOD * 2);
        vm.prank(guardian);
        staked.pause();

        _unstake(alice, 10 ether);
        _warp(COOLDOWN);
        vm.prank(alice);
        assertEq(staked.withdraw(), 10 ether);
        vm.prank(alice);
        assertGt(staked.claimRewards(), 0);
        _notify(1 ether);
        staked.sweepDust();
    }

    function test_unpause_reopensStaking() public {
        vm.prank(guardian);
        staked.pause();
        vm.prank(governance);
        staked.unpause();
        _stake(alice, 1 ether);
        assertEq(staked.balanceOf(alice), 1 ether);
    }

    // ----------------------------------------------------------------------------------------------
    // Unstaking and withdrawal
    // ----------------------------------------------------------------------------------------------

    function test_requestUnstake_burnsAndQueues() public {
        _stake(alice, 100 ether);
        vm.expectEmit(address(staked));
        emit IStakedOpen.UnstakeRequested(alice, 40 ether, 40 ether, block.timestamp + COOLDOWN);
        _unstake(alice, 40 ether);
        assertEq(staked.balanceOf(alice), 60 ether);
        assertEq(staked.totalSupply(), 60 ether);
        IStakedOpen.PendingWithdrawal memory p = staked.pendingWithdrawal(alice);
        assertEq(p.amount, 40 ether);
        assertEq(p.releaseTime, block.timestamp + COOLDOWN);
        assertEq(p.frozenUntil, 0);
    }

    function test_requestUnstake_revertsOnZeroAndBeyondStake() public {
        _stake(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(IStakedOpen.StakedOpenZeroAmount.selector);
        staked.requestUnstake(0);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IStakedOpen.StakedOpenInsufficientStake.selector, alice, 1 ether, 1 ether + 1)
        );
        staked.requestUnstake(1 ether + 1);
    }

    function test_fuzz_requestUnstake_releasesAtTheLaterOfPreviousAndRestarted(
        uint256 gap,
        uint256 newCooldown
    ) public {
        gap = bound(gap, 0, 30 days);
        newCooldown = bound(newCooldown, 1 hours, 90 days);
        _stake(alice, 10 ether);
        _unstake(alice, 1 ether);
        uint256 first = block.timestamp + COOLDOWN;
        vm.prank(governance);
        staked.setCooldown(newCooldown);
        _warp(gap);
        _unstake(alice, 2 ether);
        uint256 restarted = block.timestamp + newCooldown;
        IStakedOpen.PendingWithdrawal memory p = staked.pendingWithdrawal(alice);
        assertEq(p.amount, 3 ether);
        assertEq(p.releaseTime, first > restarted ? first : restarted);
    }

    function test_withdraw_revertsBeforeTheReleaseTimeAndPaysAtIt() public {
        _stake(alice, 10 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenNothingToWithdraw.selector, alice));
        staked.withdraw();

        _unstake(alice, 4 ether);
        uint256 release = block.timestamp + COOLDOWN;
        vm.warp(release - 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenCooldownActive.selector, alice, release));
        staked.withdraw();

        vm.warp(release);
        vm.expectEmit(address(staked));
        emit IStakedOpen.Withdrawn(alice, 4 ether);
        vm.prank(alice);
        assertEq(staked.withdraw(), 4 ether);
        assertEq(open.balanceOf(alice), USER_FUNDS - 6 ether);
        assertEq(staked.pendingWithdrawal(alice).amount, 0);
        assertEq(staked.pendingWithdrawal(alice).releaseTime, 0);
    }

    // ----------------------------------------------------------------------------------------------
    // Rewards: streaming
    // ----------------------------------------------------------------------------------------------

    function test_notifyReward_pullsTheRewardAndEmitsItsStreamWindow() public {
        _stake(alice, 1 ether);
        _warp(100);
        vm.expectEmit(address(staked));
        emit IStakedOpen.RewardNotified(notifier, 5 ether, _periodStart(1), _periodStart(2));
        _notify(5 ether);
        assertEq(open.balanceOf(address(staked)), 6 ether);
        (uint256 periodEnd, uint256 rate, uint256 queued) = staked.rewardStream();
        assertEq(periodEnd, _periodStart(1));
        assertEq(rate, 0, "the current period is not changed by a notification");
        assertEq(queued, 5 ether);
    }

    function test_notifyReward_revertsOnZero() public {
        vm.prank(notifier);
        vm.expectRevert(IStakedOpen.StakedOpenZeroAmount.selector);
        staked.notifyReward(0);
    }

    function test_notifyReward_isOpenToAnyone() public {
        _stake(alice, 1 ether);
        open.transfer(stranger, 1 ether);
        vm.startPrank(stranger);
        open.approve(address(staked), 1 ether);
        staked.notifyReward(1 ether);
        vm.stopPrank();
        (, , uint256 queued) = staked.rewardStream();
        assertEq(queued, 1 ether);
    }

    function test_stream_paysNothingUntilTheNextPeriodThenStreamsLinearly() public {
        _stake(alice, 1 ether);
        _notify(86_400 ether); // 1 OPEN per second over the next day
        vm.warp(_periodStart(1) - 1);
        assertEq(staked.earnedScaled(alice), 0, "nothing streams in the period of the notification");
        vm.warp(_periodStart(1));

        vm.expectEmit(address(staked));
        emit IStakedOpen.RewardPeriodStarted(_periodStart(1), _periodStart(2), 86_400 ether, _rate(86_400 ether));
        _stake(bob, 1 ether); // rolls the period over, at its first second: nothing streamed yet
        assertEq(staked.earnedScaled(alice), 0);

        _warp(1_000);
        // 1,000 s × 1 OPEN/s shared by 2 gOPEN.
        assertEq(staked.earned(alice), 500 ether);
        assertEq(staked.earned(bob), 500 ether);

        vm.warp(_periodStart(2) + 5 days);
        assertEq(staked.earned(alice), 500 ether + 85_400 ether / 2);
        assertEq(staked.earned(alice) + staked.earned(bob), 86_400 ether);
        assertEq(staked.dustScaled(), 0, "86,400 OPEN divide a day evenly");
        _assertConserved(_actors());
    }

    function test_stream_queuesEveryNotificationOfAPeriodForTheNext() public {
        _stake(alice, 1 ether);
        _notify(1 ether);
        _warp(3 hours);
        _notify(2 ether);
        (, , uint256 queued) = staked.rewardStream();
        assertEq(queued, 3 ether);
        vm.warp(_periodStart(1));
        (uint256 periodEnd, uint256 rate, uint256 queuedAfter) = staked.rewardStream();
        assertEq(periodEnd, _periodStart(2));
        assertEq(rate, _rate(3 ether));
        assertEq(queuedAfter, 0);
        // A notification during period 1 streams in period 2, at its own rate.
        _notify(7 ether);
        vm.warp(_periodStart(2) + 10);
        (, uint256 rate2, ) = staked.rewardStream();
        assertEq(rate2, _rate(7 ether));
        assertEq(staked.earnedScaled(alice), _credited(_rate(3 ether) * REWARD_PERIOD + _rate(7 ether) * 10, 1 ether));
    }

    function test_stream_rollsOverIdlePeriods() public {
        _stake(alice, 1 ether);
        _notify(10 ether);
        // Nothing happens for five periods: period 1 streamed the 10 OPEN, periods 2–5 nothing.
        vm.warp(_periodStart(5) + 123);
        (uint256 periodEnd, uint256 rate, uint256 queued) = staked.rewardStream();
        assertEq(periodEnd, _periodStart(6));
        assertEq(rate, 0);
        assertEq(queued, 0);
        uint256 streamed = _rate(10 ether) * REWARD_PERIOD;
        assertEq(staked.earnedScaled(alice), _credited(streamed, 1 ether));
        assertEq(staked.dustScaled(), 10 ether * WAD - streamed, "the period's remainder is dust");

        // A notification now streams over period 6, from its start.
        vm.expectEmit(address(staked));
        emit IStakedOpen.RewardNotified(notifier, 4 ether, _periodStart(6), _periodStart(7));
        _notify(4 ether);
        vm.warp(_periodStart(6) + 60);
        assertEq(staked.earnedScaled(alice), _credited(streamed + _rate(4 ether) * 60, 1 ether));
        _assertConserved(_actors());
    }

    /// When a period and the one after it have both ended by the next accrual, the event of the period that
    /// streamed the queue must still carry its rate (it streamed at that rate; only the period after it is idle).
    function test_stream_rollOverPastTwoPeriodsEmitsTheRateTheQueueStreamedAt() public {
        _stake(alice, 1 ether);
        _notify(10 ether);
        vm.warp(_periodStart(3) + 1);
        vm.expectEmit(address(staked));
        emit IStakedOpen.RewardPeriodStarted(_periodStart(1), _periodStart(2), 10 ether, _rate(10 ether));
        _stake(bob, 1 ether);
    }

    function test_stream_goesToDustWhileNothingIsStaked() public {
        _notify(10 ether);
        vm.warp(_periodStart(2));
        assertEq(staked.dustScaled(), 10 ether * WAD, "the whole stream is dust");
        vm.expectEmit(address(staked));
        emit IStakedOpen.DustSwept(treasury, 10 ether);
        assertEq(staked.sweepDust(), 10 ether);
        assertEq(open.balanceOf(treasury), 10 ether);
        assertEq(staked.dustScaled(), 0);
        vm.expectRevert(IStakedOpen.StakedOpenNoDust.selector);
        staked.sweepDust();
    }

    function test_stream_goesToDustWhileLessThanMinRewardedSupplyIsStaked() public {
        _stake(alice, MIN_REWARDED_SUPPLY - 1);
        _notify(1 ether);
        vm.warp(_periodStart(1) + REWARD_PERIOD / 2);
        assertEq(staked.earnedScaled(alice), 0);
        _stake(bob, 1); // now exactly MIN_REWARDED_SUPPLY: the second half is shared
        vm.warp(_periodStart(2));
        uint256 half = _rate(1 ether) * (REWARD_PERIOD / 2);
        assertEq(staked.dustScaled(), 1 ether * WAD - 2 * half + half, "remainder + first half");
        assertEq(staked.earnedScaled(alice) + staked.earnedScaled(bob), _credited(half, MIN_REWARDED_SUPPLY));
        _assertConserved(_actors());
    }

    function test_stream_unstakingStopsRewardsAtOnce() public {
        _stake(alice, 1 ether);
        _stake(bob, 1 ether);
        _notify(86_400 ether);
        vm.warp(_periodStart(1) + 100);
        _unstake(alice, 1 ether);
        uint256 aliceEarned = staked.earnedScaled(alice);
        assertEq(aliceEarned, 50 ether * WAD);
        _warp(1_000);
        assertEq(staked.earnedScaled(alice), aliceEarned);
        assertEq(staked.earned(bob), 50 ether + 1_000 ether);
    }

    /// @dev The parameters of one just-in-time scenario (a struct: the fuzz test has too many for the stack).
    struct Jit {
        uint256 honestStake;
        uint256 jitStake;
        uint256 earlier;
        uint256 payment;
        uint256 enteredAt;
        uint256 leftAt;
    }

    /// Item 3: a just-in-time staker that brings 99% of the stake right before a notification and leaves some
    /// seconds later earns at most its time-weighted share of what streamed while it held the stake — and nothing
    /// of what it was timed around, which streams in the next period.
    function test_fuzz_jitStaker_earnsAtMostItsTimeWeightedShare(
        uint256 honestStake,
        uint256 earlier,
        uint256 payment,
        uint256 offset,
        uint256 hold
    ) public {
        Jit memory j;
        j.honestStake = bound(honestStake, 1 ether, 10_000 ether);
        j.jitStake = j.honestStake * 99; // 99% of the stake while it is in
        j.earlier = bound(earlier, 0, 1_000_000 ether);
        j.payment = bound(payment, 1, 1_000_000 ether);
        offset = bound(offset, 0, REWARD_PERIOD - 1);
        hold = bound(hold, 1, 2 * REWARD_PERIOD);

        _stake(alice, j.honestStake);
        if (j.earlier != 0) _notify(j.earlier); // streams over period 1
        vm.warp(_periodStart(1) + offset);

        // The snipe: stake, payment, and out `hold` seconds later.
        j.enteredAt = block.timestamp;
        _stake(bob, j.jitStake);
        _notify(j.payment);
        _warp(hold);
        _unstake(bob, j.jitStake);
        j.leftAt = block.timestamp;
        _assertJitBounded(j);

        // Everything else reaches the honest staker or the treasury.
        vm.warp(_periodStart(4));
        uint256 total = (j.earlier + j.payment) * WAD;
        uint256 owed = staked.earnedScaled(alice) + staked.earnedScaled(bob) + staked.dustScaled();
        assertLe(owed, total);
        assertLt(total - owed, j.honestStake + j.jitStake, "more than the carry went missing");
        _assertConserved(_actors());
    }

    function _assertJitBounded(Jit memory j) internal view {
        // What streamed while bob held: period 1 at the rate of `earlier`, period 2 at the rate of `payment`.
        uint256 streamedWhileHeld =
            _rate(j.earlier) * _overlap(j.enteredAt, j.leftAt, _periodStart(1), _periodStart(2)) +
                _rate(j.payment) * _overlap(j.enteredAt, j.leftAt, _periodStart(2), _periodStart(3));
        uint256 share = (streamedWhileHeld * j.jitStake) / (j.honestStake + j.jitStake);
        uint256 earned = staked.earnedScaled(bob);
        // The accumulator's carry (below the supply) is the only rounding: at most jitStake scaled units.
        assertLe(earned, share + j.jitStake, "JIT staker earned more than its time-weighted share");
        assertGe(earned + j.jitStake, share, "JIT staker earned less than its time-weighted share");
        // Out before the next period: nothing of the payment it was timed around.
        if (j.leftAt <= _periodStart(2)) {
            uint256 ofEarlier =
                (_rate(j.earlier) * (j.leftAt - j.enteredAt) * j.jitStake) / (j.honestStake + j.jitStake);
            assertLe(earned, ofEarlier + j.jitStake, "JIT staker earned part of the payment it sniped");
        }
    }

    function _overlap(uint256 a0, uint256 a1, uint256 b0, uint256 b1) internal pure returns (uint256) {
        uint256 start = a0 > b0 ? a0 : b0;
        uint256 end = a1 < b1 ? a1 : b1;
        return end > start ? end - start : 0;
    }

    /// Once every stream has ended and everyone claimed, claimed + swept + what is left below one wei per account
    /// (and the carry) is exactly what was notified.
    function test_fuzz_claimedPlusClaimablePlusSweptEqualsNotified(
        uint256 a,
        uint256 b,
        uint256 r1,
        uint256 r2,
        uint256 dt
    ) public {
        a = bound(a, 1, 1_000_000 ether);
        b = bound(b, 1, 1_000_000 ether);
        r1 = bound(r1, 1, 10_000_000 ether);
        r2 = bound(r2, 1, 10_000_000 ether);
        dt = bound(dt, 1, 3 * REWARD_PERIOD);

        _stake(alice, a);
        _notify(r1);
        _warp(dt);
        _stake(bob, b);
        _notify(r2);
        _warp(dt);
        _unstake(alice, a);
        vm.warp(block.timestamp + 4 * REWARD_PERIOD);

        uint256 claimed;
        address[] memory actors = _actors();
        for (uint256 i; i < actors.length; ++i) {
            if (staked.earned(actors[i]) == 0) continue;
            vm.prank(actors[i]);
            claimed += staked.claimRewards();
        }
        uint256 swept = staked.dustScaled() >= WAD ? staked.sweepDust() : 0;
        _assertConserved(actors);

        (uint256 periodEnd, uint256 rate, uint256 queued) = staked.rewardStream();
        assertGt(periodEnd, block.timestamp);
        assertEq(rate, 0, "streams ended");
        assertEq(queued, 0);
        // With nothing left to stream, what was notified is claimed, swept, claimable (sub-wei, or below one wei of
        // dust) or in the carry of now (a stream too small to divide by the supply waits there for the next one).
        StakedOpenStorage.Law memory law = StakedOpenStorage.checkLaw(staked, open, deployedAt - 1, actors);
        assertEq((claimed + swept) * WAD + law.rewardsAtLastScaled, (r1 + r2) * WAD, "claimed + claimable + swept");
        assertLt(staked.earnedScaled(alice), WAD);
        assertLt(staked.earnedScaled(bob), WAD);
        assertLt(staked.dustScaled(), WAD);
    }

    /// A random sequence of stakes, unstakes, notifications, claims, slashes, sweeps and warps keeps the exact
    /// conservation law after every step.
    function test_fuzz_conservationAfterEveryStep(uint256 seed) public {
        address[] memory actors = _actors();
        for (uint256 step; step < 24; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            address who = actors[r % 3];
            uint256 amount = 1 + ((r >> 8) % (10 ** ((r >> 80) % 25)));
            uint256 action = (r >> 160) % 7;
            if (action == 0) {
                _stake(who, amount);
            } else if (action == 1 && staked.balanceOf(who) != 0) {
                _unstake(who, 1 + (amount % staked.balanceOf(who)));
            } else if (action == 2) {
                _notify(amount);
            } else if (action == 3 && staked.earned(who) != 0) {
                vm.prank(who);
                staked.claimRewards();
            } else if (action == 4 && staked.balanceOf(who) + staked.pendingWithdrawal(who).amount != 0) {
                uint256 available = staked.balanceOf(who) + staked.pendingWithdrawal(who).amount;
                vm.prank(governance);
                staked.slash(who, 1 + (amount % available), "fuzz");
            } else if (action == 5 && staked.dustScaled() >= WAD) {
                staked.sweepDust();
            } else {
                _warp(1 + ((r >> 200) % (2 * REWARD_PERIOD)));
            }
            _assertConserved(actors);
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Claims
    // ----------------------------------------------------------------------------------------------

    function test_claimRewards_paysWholeWeiAndKeepsTheRemainder() public {
        _stake(alice, 3);
        _stake(bob, 1 ether);
        _notify(1 ether);
        vm.warp(_periodStart(2));
        uint256 scaled = staked.earnedScaled(bob);
        vm.expectEmit(address(staked));
        emit IStakedOpen.RewardClaimed(bob, bob, scaled / WAD);
        vm.prank(bob);
        assertEq(staked.claimRewards(), scaled / WAD);
        assertEq(staked.earnedScaled(bob), scaled % WAD);
    }

    function test_claimRewards_revertsWithNothingToClaim() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenNothingToClaim.selector, alice));
        staked.claimRewards();
    }

    function test_claimRewardsTo_paysTheRecipient() public {
        _stake(alice, 1 ether);
        _notify(1 ether);
        vm.warp(_periodStart(2));
        uint256 expected = staked.earned(alice);
        vm.expectEmit(address(staked));
        emit IStakedOpen.RewardClaimed(alice, carol, expected);
        vm.prank(alice);
        staked.claimRewardsTo(carol);
        assertEq(open.balanceOf(carol), USER_FUNDS + expected);
    }

    /// Item 8: OPEN sent to StakedOpen or to the token itself could never be spent.
    function test_claimRewardsTo_refusesRecipientsThatCannotSpend() public {
        _stake(alice, 1 ether);
        _notify(1 ether);
        vm.warp(_periodStart(2));
        vm.startPrank(alice);
        vm.expectRevert(IProtocolAdmin.ProtocolAdminZeroAddress.selector);
        staked.claimRewardsTo(address(0));
        vm.expectRevert(abi.encodeWithSelector(IProtocolAdmin.ProtocolAdminInvalidRecipient.selector, address(staked)));
        staked.claimRewardsTo(address(staked));
        vm.expectRevert(abi.encodeWithSelector(IProtocolAdmin.ProtocolAdminInvalidRecipient.selector, address(open)));
        staked.claimRewardsTo(address(open));
        vm.stopPrank();
    }

    // ----------------------------------------------------------------------------------------------
    // Slashing
    // ----------------------------------------------------------------------------------------------

    function test_slash_takesStakeFirstThenTheQueue() public {
        _stake(alice, 100 ether);
        _unstake(alice, 40 ether);
        vm.expectEmit(address(staked));
        emit IStakedOpen.Slashed(alice, 60 ether, 20 ether, "report #7");
        vm.prank(governance);
        staked.slash(alice, 80 ether, "report #7");
        assertEq(staked.balanceOf(alice), 0);
        assertEq(staked.pendingWithdrawal(alice).amount, 20 ether);
        assertEq(open.balanceOf(treasury), 80 ether);
    }

    function test_slash_revertsOnZeroBeyondAvailableAndForNonOwners() public {
        _stake(alice, 10 ether);
        _unstake(alice, 4 ether);
        vm.startPrank(governance);
        vm.expectRevert(IStakedOpen.StakedOpenZeroAmount.selector);
        staked.slash(alice, 0, "");
        vm.expectRevert(
            abi.encodeWithSelector(IStakedOpen.StakedOpenSlashExceedsBalance.selector, alice, 10 ether, 10 ether + 1)
        );
        staked.slash(alice, 10 ether + 1, "");
        vm.stopPrank();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        staked.slash(alice, 1, "");
    }

    function test_slash_ofTheWholeQueueClearsTheReleaseTimeButKeepsTheFreeze() public {
        _stake(alice, 10 ether);
        _unstake(alice, 10 ether);
        vm.startPrank(governance);
        staked.freezeWithdrawals(alice, block.timestamp + 20 days);
        staked.slash(alice, 10 ether, "all");
        vm.stopPrank();
        IStakedOpen.PendingWithdrawal memory p = staked.pendingWithdrawal(alice);
        assertEq(p.amount, 0);
        assertEq(p.releaseTime, 0);
        assertEq(p.frozenUntil, block.timestamp + 20 days);
    }

    function test_fuzz_slash_splitsBetweenStakeAndQueue(uint256 stake, uint256 unstake, uint256 amount) public {
        stake = bound(stake, 1, USER_FUNDS);
        unstake = bound(unstake, 0, stake);
        amount = bound(amount, 1, stake);
        _stake(alice, stake);
        if (unstake != 0) _unstake(alice, unstake);
        uint256 staked_ = stake - unstake;
        uint256 fromStake = amount < staked_ ? amount : staked_;
        vm.expectEmit(address(staked));
        emit IStakedOpen.Slashed(alice, fromStake, amount - fromStake, "fuzz");
        vm.prank(governance);
        staked.slash(alice, amount, "fuzz");
        assertEq(staked.balanceOf(alice), staked_ - fromStake);
        assertEq(staked.pendingWithdrawal(alice).amount, unstake - (amount - fromStake));
        assertEq(open.balanceOf(treasury), amount);
    }

    // ----------------------------------------------------------------------------------------------
    // Withdrawal freezes
    // ----------------------------------------------------------------------------------------------

    function test_freezeWithdrawals_byGovernanceBlocksWithdrawUntilTheFreezeEnds() public {
        _stake(alice, 10 ether);
        _unstake(alice, 10 ether);
        uint256 until = block.timestamp + COOLDOWN + 3 days;
        vm.expectEmit(address(staked));
        emit IStakedOpen.WithdrawalsFrozen(alice, until, governance);
        vm.prank(governance);
        staked.freezeWithdrawals(alice, until);

        vm.warp(until - 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenWithdrawalsFrozen.selector, alice, until));
        staked.withdraw();

        vm.warp(until);
        vm.prank(alice);
        assertEq(staked.withdraw(), 10 ether);
    }

    function test_freezeWithdrawals_reportsTheCooldownFirst() public {
        _stake(alice, 10 ether);
        _unstake(alice, 10 ether);
        uint256 release = block.timestamp + COOLDOWN;
        vm.prank(governance);
        staked.freezeWithdrawals(alice, block.timestamp + 30 days);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenCooldownActive.selector, alice, release));
        staked.withdraw();
    }

    function test_freezeWithdrawals_keepsStakeVotesRewardsAndUnstaking() public {
        _stake(alice, 10 ether);
        vm.prank(alice);
        staked.delegate(alice);
        vm.prank(governance);
        staked.freezeWithdrawals(alice, block.timestamp + 30 days);
        _notify(1 ether);
        vm.warp(_periodStart(2));
        assertEq(staked.getVotes(alice), 10 ether);
        assertGt(staked.earned(alice), 0);
        _unstake(alice, 5 ether);
        vm.prank(alice);
        staked.claimRewards();
        IStakedOpen.PendingWithdrawal memory p = staked.pendingWithdrawal(alice);
        assertEq(p.amount, 5 ether);
        assertEq(p.frozenUntil, deployedAt + 30 days, "a new request keeps the freeze");
    }

    function test_freezeWithdrawals_onlyExtends() public {
        uint256 until = block.timestamp + 10 days;
        vm.startPrank(governance);
        staked.freezeWithdrawals(alice, until);
        vm.recordLogs();
        staked.freezeWithdrawals(alice, until - 1);
        staked.freezeWithdrawals(alice, until);
        assertEq(vm.getRecordedLogs().length, 0, "an earlier or equal freeze is ignored silently");
        assertEq(staked.pendingWithdrawal(alice).frozenUntil, until);
        vm.expectEmit(address(staked));
        emit IStakedOpen.WithdrawalsFrozen(alice, until + 1, governance);
        staked.freezeWithdrawals(alice, until + 1);
        vm.stopPrank();
        assertEq(staked.pendingWithdrawal(alice).frozenUntil, until + 1);
    }

    function test_fuzz_freezeWithdrawals_isCappedAtMaxFreeze(uint256 until) public {
        until = bound(until, block.timestamp + 60 days, type(uint256).max);
        uint256 cap = block.timestamp + 60 days;
        vm.expectEmit(address(staked));
        emit IStakedOpen.WithdrawalsFrozen(alice, cap, governance);
        vm.prank(governance);
        staked.freezeWithdrawals(alice, until);
        assertEq(staked.pendingWithdrawal(alice).frozenUntil, cap);
    }

    function test_freezeWithdrawals_refusesAnyoneButGovernanceAndTimelockProposers() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenNotFreezer.selector, stranger));
        staked.freezeWithdrawals(alice, block.timestamp + 1 days);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenNotFreezer.selector, guardian));
        staked.freezeWithdrawals(alice, block.timestamp + 1 days);
    }

    function test_freezeWithdrawals_acceptsAProposerOfTheOwningTimelock() public {
        address proposer = makeAddr("governor");
        address[] memory proposers = new address[](1);
        proposers[0] = proposer;
        address[] memory executors = new address[](1);
        TimelockController timelock = new TimelockController(7 days, proposers, executors, address(0));
        IProtocolAdmin.AdminConfig memory admin = _admin();
        admin.governance = address(timelock);
        StakedOpen owned = _deployStaking(admin, COOLDOWN, REWARD_PERIOD);

        vm.expectEmit(address(owned));
        emit IStakedOpen.WithdrawalsFrozen(alice, block.timestamp + 16 days, proposer);
        vm.prank(proposer);
        owned.freezeWithdrawals(alice, block.timestamp + 16 days);

        // The canceller role alone (OZ grants it to proposers) or any other address does not suffice.
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenNotFreezer.selector, stranger));
        owned.freezeWithdrawals(alice, block.timestamp + 17 days);

        // Only the owner (the timelock) lifts it; the proposer cannot.
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, proposer));
        owned.unfreezeWithdrawals(alice);
    }

    function test_freezeWithdrawals_refusesWithNotFreezerWhenTheOwnerAnswersNothing() public {
        IProtocolAdmin.AdminConfig memory admin = _admin();
        admin.governance = address(new SilentOwner());
        StakedOpen owned = _deployStaking(admin, COOLDOWN, REWARD_PERIOD);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenNotFreezer.selector, stranger));
        owned.freezeWithdrawals(alice, block.timestamp + 1 days);
    }

    function test_unfreezeWithdrawals_byGovernanceReleasesAtOnce() public {
        _stake(alice, 10 ether);
        _unstake(alice, 10 ether);
        vm.prank(governance);
        staked.freezeWithdrawals(alice, block.timestamp + 30 days);
        _warp(COOLDOWN);
        vm.expectEmit(address(staked));
        emit IStakedOpen.WithdrawalsUnfrozen(alice);
        vm.prank(governance);
        staked.unfreezeWithdrawals(alice);
        assertEq(staked.pendingWithdrawal(alice).frozenUntil, 0);
        vm.prank(alice);
        assertEq(staked.withdraw(), 10 ether);
    }

    function test_unfreezeWithdrawals_revertsForNonOwners() public {
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, guardian));
        staked.unfreezeWithdrawals(alice);
    }

    // ----------------------------------------------------------------------------------------------
    // Governance parameters and ownership
    // ----------------------------------------------------------------------------------------------

    function test_setCooldown_boundsAndEvent() public {
        vm.startPrank(governance);
        vm.expectRevert(
            abi.encodeWithSelector(IStakedOpen.StakedOpenCooldownOutOfBounds.selector, 1 hours - 1, 1 hours, 90 days)
        );
        staked.setCooldown(1 hours - 1);
        vm.expectEmit(address(staked));
        emit IStakedOpen.CooldownUpdated(COOLDOWN, 14 days);
        staked.setCooldown(14 days);
        vm.stopPrank();
        assertEq(staked.cooldown(), 14 days);
    }

    function test_renounceOwnership_isDisabled() public {
        vm.prank(governance);
        vm.expectRevert(IGovernanceOwned.GovernanceRenounceDisabled.selector);
        staked.renounceOwnership();
    }

    function test_transferOwnership_isTwoStep() public {
        vm.prank(governance);
        staked.transferOwnership(alice);
        assertEq(staked.owner(), governance);
        assertEq(staked.pendingOwner(), alice);
        vm.prank(alice);
        staked.acceptOwnership();
        assertEq(staked.owner(), alice);
    }

    // ----------------------------------------------------------------------------------------------
    // Non-transferable ERC-20 surface and votes
    // ----------------------------------------------------------------------------------------------

    function test_transfers_revertWithNonTransferable() public {
        _stake(alice, 1 ether);
        vm.startPrank(alice);
        vm.expectRevert(IStakedOpen.StakedOpenNonTransferable.selector);
        staked.transfer(bob, 1);
        vm.expectRevert(IStakedOpen.StakedOpenNonTransferable.selector);
        staked.transferFrom(alice, bob, 1);
        vm.expectRevert(IStakedOpen.StakedOpenNonTransferable.selector);
        staked.approve(bob, 1);
        vm.stopPrank();
        assertEq(staked.allowance(alice, bob), 0);
    }

    function test_clock_isTimestamp() public {
        assertEq(staked.clock(), uint48(block.timestamp));
        assertEq(staked.CLOCK_MODE(), "mode=timestamp");
        _warp(1234);
        assertEq(staked.clock(), uint48(block.timestamp));
    }

    function test_getPastVotes_revertsForThePresentAndFuture() public {
        vm.expectRevert(
            abi.encodeWithSelector(IStakedOpen.StakedOpenFutureLookup.selector, block.timestamp, block.timestamp)
        );
        staked.getPastVotes(alice, block.timestamp);
        vm.expectRevert(
            abi.encodeWithSelector(IStakedOpen.StakedOpenFutureLookup.selector, block.timestamp + 1, block.timestamp)
        );
        staked.getPastTotalSupply(block.timestamp + 1);
    }

    function test_getPastVotes_isZeroBeforeDeployment() public {
        _warp(10);
        assertEq(staked.getPastVotes(alice, 0), 0);
        assertEq(staked.getPastTotalSupply(deployedAt - 1), 0);
    }

    function test_checkpoints_revertsOutOfRange() public {
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenCheckpointOutOfRange.selector, 0, 0));
        staked.checkpoints(alice, 0);
        vm.prank(alice);
        staked.delegate(alice);
        _stake(alice, 1 ether);
        _warp(1);
        _stake(alice, 1 ether);
        assertEq(staked.numCheckpoints(alice), 2);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenCheckpointOutOfRange.selector, 2, 2));
        staked.checkpoints(alice, 2);
    }

    function test_delegateBySig_delegatesForTheSigner() public {
        (address signer, uint256 key) = makeAddrAndKey("delegator");
        _fund(signer, 5 ether, address(staked));
        _stake(signer, 5 ether);
        uint256 expiry = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signDelegation(key, bob, 0, expiry);

        vm.expectEmit(address(staked));
        emit IVotes.DelegateChanged(signer, address(0), bob);
        vm.prank(stranger);
        staked.delegateBySig(bob, 0, expiry, v, r, s);
        assertEq(staked.delegates(signer), bob);
        assertEq(staked.getVotes(bob), 5 ether);
        assertEq(staked.nonces(signer), 1);

        vm.expectRevert(abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, signer, 1));
        staked.delegateBySig(bob, 0, expiry, v, r, s);

        vm.warp(expiry + 1);
        (v, r, s) = _signDelegation(key, carol, 1, expiry);
        vm.expectRevert(abi.encodeWithSelector(IVotes.VotesExpiredSignature.selector, expiry));
        staked.delegateBySig(carol, 1, expiry, v, r, s);
    }

    function _signDelegation(
        uint256 key,
        address delegatee,
        uint256 nonce,
        uint256 expiry
    ) internal view returns (uint8, bytes32, bytes32) {
        (, string memory name, string memory version, uint256 chainId, address verifying, , ) = staked.eip712Domain();
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256(bytes(name)),
                keccak256(bytes(version)),
                chainId,
                verifying
            )
        );
        bytes32 structHash = keccak256(abi.encode(DELEGATION_TYPEHASH, delegatee, nonce, expiry));
        return vm.sign(key, keccak256(abi.encodePacked("\x19\x01", domain, structHash)));
    }
}
