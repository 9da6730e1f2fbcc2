// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";

import {StakedOpen} from "../../contracts/governance/StakedOpen.sol";
import {IStakedOpen} from "../../contracts/interfaces/IStakedOpen.sol";
import {OpenToken} from "../../contracts/token/OpenToken.sol";
import {WAD} from "../../contracts/libraries/Constants.sol";

/// @notice Unit and fuzz tests of StakedOpen (gOPEN): staking, unstaking with cooldown, reward accounting
/// in OPEN-wei × 1e18, slashing, dust and governance parameters.
contract StakedOpenTest is Test {
    uint48 internal constant COOLDOWN = 7 days;
    uint256 internal constant USER_FUNDS = 10_000_000 ether;
    uint256 internal constant NOTIFIER_FUNDS = 100_000_000 ether;

    bytes32 internal constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );

    OpenToken internal open;
    StakedOpen internal staked;

    address internal governance = makeAddr("governance");
    address internal treasury = makeAddr("treasury");
    address internal notifier = makeAddr("notifier");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");
    address internal stranger = makeAddr("stranger");

    function setUp() public {
        vm.warp(1_700_000_000);
        open = new OpenToken(address(this));
        staked = new StakedOpen(IERC20(address(open)), governance, treasury, COOLDOWN);

        vm.prank(governance);
        staked.setRewardNotifier(notifier, true);

        address[4] memory funded = [alice, bob, carol, notifier];
        for (uint256 i; i < funded.length; ++i) {
            open.transfer(funded[i], funded[i] == notifier ? NOTIFIER_FUNDS : USER_FUNDS);
            vm.prank(funded[i]);
            open.approve(address(staked), type(uint256).max);
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------

    function _stake(address account, uint256 amount) internal {
        vm.prank(account);
        staked.stake(amount);
    }

    function _notify(uint256 amount) internal {
        vm.prank(notifier);
        staked.notifyReward(amount);
    }

    function _unstake(address account, uint256 amount) internal {
        vm.prank(account);
        staked.requestUnstake(amount);
    }

    // ----------------------------------------------------------------------------------------------
    // Constructor and metadata
    // ----------------------------------------------------------------------------------------------

    function test_constructor_setsParameters() public view {
        assertEq(staked.stakingToken(), address(open));
        assertEq(staked.owner(), governance);
        assertEq(staked.treasury(), treasury);
        assertEq(staked.cooldown(), COOLDOWN);
        assertEq(staked.name(), "Staked Open");
        assertEq(staked.symbol(), "gOPEN");
        assertEq(staked.decimals(), 18);
        assertEq(staked.totalSupply(), 0);
        assertEq(staked.rewardPerToken(), 0);
        assertEq(staked.dustScaled(), 0);
        assertEq(staked.totalQueued(), 0);
        assertTrue(staked.isRewardNotifier(notifier));
        assertFalse(staked.isRewardNotifier(stranger));
        assertEq(staked.MIN_COOLDOWN(), 1 hours);
        assertEq(staked.MAX_COOLDOWN(), 90 days);
    }

    function test_constructor_revertsOnZeroOpen() public {
        vm.expectRevert(IStakedOpen.StakedOpenZeroAddress.selector);
        new StakedOpen(IERC20(address(0)), governance, treasury, COOLDOWN);
    }

    function test_constructor_revertsOnZeroTreasury() public {
        vm.expectRevert(IStakedOpen.StakedOpenZeroAddress.selector);
        new StakedOpen(IERC20(address(open)), governance, address(0), COOLDOWN);
    }

    function test_constructor_revertsOnZeroGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new StakedOpen(IERC20(address(open)), address(0), treasury, COOLDOWN);
    }

    function test_fuzz_constructor_revertsOnCooldownOutOfBounds(uint48 cooldown) public {
        vm.assume(cooldown < 1 hours || cooldown > 90 days);
        vm.expectRevert(
            abi.encodeWithSelector(IStakedOpen.StakedOpenCooldownOutOfBounds.selector, cooldown, 1 hours, 90 days)
        );
        new StakedOpen(IERC20(address(open)), governance, treasury, cooldown);
    }

    function test_clock_isTimestamp() public {
        assertEq(staked.clock(), uint48(block.timestamp));
        assertEq(staked.CLOCK_MODE(), "mode=timestamp");
        vm.warp(block.timestamp + 1234);
        assertEq(staked.clock(), uint48(block.timestamp));
    }

    // ----------------------------------------------------------------------------------------------
    // Staking
    // ----------------------------------------------------------------------------------------------

    function test_stake_mintsGOpenAndPullsOpen() public {
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

    function test_stake_revertsBeyondBalance() public {
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, USER_FUNDS, USER_FUNDS + 1)
        );
        staked.stake(USER_FUNDS + 1);
    }

    function test_fuzz_stake_mintsExactAmount(uint256 first, uint256 second) public {
        first = bound(first, 1, USER_FUNDS / 2);
        second = bound(second, 1, USER_FUNDS / 2);

        _stake(alice, first);
        _stake(alice, second);
        _stake(bob, second);

        assertEq(staked.balanceOf(alice), first + second);
        assertEq(staked.balanceOf(bob), second);
        assertEq(staked.totalSupply(), first + 2 * second);
        assertEq(open.balanceOf(address(staked)), first + 2 * second);
        assertEq(open.balanceOf(alice), USER_FUNDS - first - second);
    }

    function test_stakeWithPermit_stakesWithSignedPermit() public {
        (address signer, uint256 key) = makeAddrAndKey("permitSigner");
        open.transfer(signer, 50 ether);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(key, signer, 50 ether, deadline);

        vm.prank(signer);
        staked.stakeWithPermit(50 ether, deadline, v, r, s);

        assertEq(staked.balanceOf(signer), 50 ether);
        assertEq(open.balanceOf(signer), 0);
        assertEq(open.nonces(signer), 1);
    }

    function test_stakeWithPermit_ignoresFrontRunPermit() public {
        (address signer, uint256 key) = makeAddrAndKey("permitSigner");
        open.transfer(signer, 50 ether);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(key, signer, 50 ether, deadline);

        // Someone submits the permit first: the nonce is used, the allowance is in place.
        open.permit(signer, address(staked), 50 ether, deadline, v, r, s);

        vm.prank(signer);
        staked.stakeWithPermit(50 ether, deadline, v, r, s);
        assertEq(staked.balanceOf(signer), 50 ether);
    }

    function test_stakeWithPermit_revertsWhenPermitInvalidAndNoAllowance() public {
        (address signer, uint256 key) = makeAddrAndKey("permitSigner");
        open.transfer(signer, 50 ether);
        uint256 deadline = block.timestamp + 1 hours;
        // Signed for a smaller value: the permit fails, and there is no allowance.
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(key, signer, 49 ether, deadline);

        vm.prank(signer);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(staked), 0, 50 ether)
        );
        staked.stakeWithPermit(50 ether, deadline, v, r, s);
    }

    function _signPermit(
        uint256 key,
        address owner,
        uint256 value,
        uint256 deadline
    ) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        bytes32 structHash = keccak256(
            abi.encode(PERMIT_TYPEHASH, owner, address(staked), value, open.nonces(owner), deadline)
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", open.DOMAIN_SEPARATOR(), structHash));
        (v, r, s) = vm.sign(key, digest);
    }

    // ----------------------------------------------------------------------------------------------
    // Non-transferability
    // ----------------------------------------------------------------------------------------------

    function test_transfer_revertsNonTransferable() public {
        _stake(alice, 10 ether);
        vm.prank(alice);
        vm.expectRevert(IStakedOpen.StakedOpenNonTransferable.selector);
        staked.transfer(bob, 1 ether);
    }

    function test_transferFrom_revertsNonTransferable() public {
        _stake(alice, 10 ether);
        vm.prank(bob);
        vm.expectRevert(IStakedOpen.StakedOpenNonTransferable.selector);
        staked.transferFrom(alice, bob, 1 ether);
    }

    function test_approve_revertsNonTransferable() public {
        _stake(alice, 10 ether);
        vm.prank(alice);
        vm.expectRevert(IStakedOpen.StakedOpenNonTransferable.selector);
        staked.approve(bob, 10 ether);
        assertEq(staked.allowance(alice, bob), 0);
    }

    function test_permit_revertsNonTransferable() public {
        (address signer, uint256 key) = makeAddrAndKey("permitSigner");
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(PERMIT_TYPEHASH, signer, bob, 1 ether, staked.nonces(signer), deadline)
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", staked.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);

        vm.expectRevert(IStakedOpen.StakedOpenNonTransferable.selector);
        staked.permit(signer, bob, 1 ether, deadline, v, r, s);
        assertEq(staked.allowance(signer, bob), 0);
        assertEq(staked.nonces(signer), 0);
    }

    function test_delegateBySig_delegates() public {
        (address signer, uint256 key) = makeAddrAndKey("delegator");
        open.transfer(signer, 5 ether);
        vm.startPrank(signer);
        open.approve(address(staked), 5 ether);
        staked.stake(5 ether);
        vm.stopPrank();

        uint256 expiry = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Delegation(address delegatee,uint256 nonce,uint256 expiry)"),
                carol,
                staked.nonces(signer),
                expiry
            )
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", staked.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);

        vm.prank(stranger);
        staked.delegateBySig(carol, 0, expiry, v, r, s);
        assertEq(staked.delegates(signer), carol);
        assertEq(staked.getVotes(carol), 5 ether);
        assertEq(staked.nonces(signer), 1);
    }

    // ----------------------------------------------------------------------------------------------
    // Unstaking and withdrawal
    // ----------------------------------------------------------------------------------------------

    function test_requestUnstake_burnsAndQueues() public {
        _stake(alice, 100 ether);
        uint48 release = uint48(block.timestamp) + COOLDOWN;

        vm.expectEmit(address(staked));
        emit IStakedOpen.UnstakeRequested(alice, 40 ether, 40 ether, release);
        _unstake(alice, 40 ether);

        assertEq(staked.balanceOf(alice), 60 ether);
        assertEq(staked.totalSupply(), 60 ether);
        assertEq(staked.totalQueued(), 40 ether);
        IStakedOpen.PendingWithdrawal memory p = staked.pendingWithdrawal(alice);
        assertEq(p.amount, 40 ether);
        assertEq(p.releaseTime, release);
        // The OPEN stays in the contract until withdrawn.
        assertEq(open.balanceOf(address(staked)), 100 ether);
    }

    function test_requestUnstake_revertsOnZeroAmount() public {
        _stake(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(IStakedOpen.StakedOpenZeroAmount.selector);
        staked.requestUnstake(0);
    }

    function test_fuzz_requestUnstake_revertsOnInsufficientStake(uint256 stakeAmount, uint256 request) public {
        stakeAmount = bound(stakeAmount, 0, USER_FUNDS);
        request = bound(request, stakeAmount + 1, type(uint128).max);
        if (stakeAmount != 0) _stake(alice, stakeAmount);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IStakedOpen.StakedOpenInsufficientStake.selector, alice, stakeAmount, request)
        );
        staked.requestUnstake(request);
    }

    function test_requestUnstake_addsToQueueAndRestartsCooldown() public {
        _stake(alice, 100 ether);
        _unstake(alice, 10 ether);
        vm.warp(block.timestamp + COOLDOWN - 1);
        uint48 release = uint48(block.timestamp) + COOLDOWN;

        vm.expectEmit(address(staked));
        emit IStakedOpen.UnstakeRequested(alice, 5 ether, 15 ether, release);
        _unstake(alice, 5 ether);

        IStakedOpen.PendingWithdrawal memory p = staked.pendingWithdrawal(alice);
        assertEq(p.amount, 15 ether);
        assertEq(p.releaseTime, release);
        assertEq(staked.totalQueued(), 15 ether);

        // The first request's original release time has passed, but the whole queue waits again.
        vm.warp(block.timestamp + 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenCooldownActive.selector, alice, release));
        staked.withdraw();
    }

    function test_fuzz_requestUnstake_burnsExactAmount(uint256 stakeAmount, uint256 unstakeAmount) public {
        stakeAmount = bound(stakeAmount, 1, USER_FUNDS);
        unstakeAmount = bound(unstakeAmount, 1, stakeAmount);
        _stake(alice, stakeAmount);
        _unstake(alice, unstakeAmount);

        assertEq(staked.balanceOf(alice), stakeAmount - unstakeAmount);
        assertEq(staked.totalSupply(), stakeAmount - unstakeAmount);
        assertEq(staked.totalQueued(), unstakeAmount);
        assertEq(staked.pendingWithdrawal(alice).amount, unstakeAmount);
        assertEq(open.balanceOf(address(staked)), stakeAmount);
    }

    function test_withdraw_revertsWhenNothingQueued() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenNothingToWithdraw.selector, alice));
        staked.withdraw();
    }

    function test_withdraw_revertsBeforeCooldownAndSucceedsAtReleaseTime() public {
        _stake(alice, 100 ether);
        _unstake(alice, 30 ether);
        uint48 release = uint48(block.timestamp) + COOLDOWN;

        vm.warp(release - 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenCooldownActive.selector, alice, release));
        staked.withdraw();

        vm.warp(release);
        vm.expectEmit(address(staked));
        emit IStakedOpen.Withdrawn(alice, 30 ether);
        vm.prank(alice);
        assertEq(staked.withdraw(), 30 ether);

        assertEq(open.balanceOf(alice), USER_FUNDS - 70 ether);
        assertEq(staked.totalQueued(), 0);
        IStakedOpen.PendingWithdrawal memory p = staked.pendingWithdrawal(alice);
        assertEq(p.amount, 0);
        assertEq(p.releaseTime, 0);

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenNothingToWithdraw.selector, alice));
        staked.withdraw();
    }

    function test_fuzz_withdraw_beforeAndAfterCooldown(
        uint256 stakeAmount,
        uint256 unstakeAmount,
        uint256 elapsed
    ) public {
        stakeAmount = bound(stakeAmount, 1, USER_FUNDS);
        unstakeAmount = bound(unstakeAmount, 1, stakeAmount);
        elapsed = bound(elapsed, 0, 2 * uint256(COOLDOWN));
        _stake(alice, stakeAmount);
        _unstake(alice, unstakeAmount);
        uint48 release = uint48(block.timestamp) + COOLDOWN;

        vm.warp(block.timestamp + elapsed);
        vm.prank(alice);
        if (elapsed < COOLDOWN) {
            vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenCooldownActive.selector, alice, release));
            staked.withdraw();
            assertEq(staked.totalQueued(), unstakeAmount);
        } else {
            assertEq(staked.withdraw(), unstakeAmount);
            assertEq(open.balanceOf(alice), USER_FUNDS - stakeAmount + unstakeAmount);
            assertEq(open.balanceOf(address(staked)), stakeAmount - unstakeAmount);
            assertEq(staked.totalQueued(), 0);
        }
    }

    function test_withdraw_keepsReleaseTimeAfterCooldownChange() public {
        _stake(alice, 10 ether);
        _unstake(alice, 10 ether);
        uint48 release = uint48(block.timestamp) + COOLDOWN;

        vm.prank(governance);
        staked.setCooldown(1 hours);
        assertEq(staked.pendingWithdrawal(alice).releaseTime, release);

        vm.warp(block.timestamp + 1 hours);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenCooldownActive.selector, alice, release));
        staked.withdraw();

        // A later request uses the new cooldown.
        _stake(bob, 1 ether);
        _unstake(bob, 1 ether);
        assertEq(staked.pendingWithdrawal(bob).releaseTime, uint48(block.timestamp) + 1 hours);
    }

    function test_requestUnstake_shorterCooldownNeverReleasesQueueEarlier() public {
        _stake(alice, 10 ether);
        _unstake(alice, 4 ether);
        uint48 release = uint48(block.timestamp) + COOLDOWN;

        vm.prank(governance);
        staked.setCooldown(1 hours);
        vm.warp(block.timestamp + 1 days);

        // now + 1 hour is earlier than the queue's release time: the queue keeps its release time.
        vm.expectEmit(address(staked));
        emit IStakedOpen.UnstakeRequested(alice, 1 ether, 5 ether, release);
        _unstake(alice, 1 ether);
        assertEq(staked.pendingWithdrawal(alice).releaseTime, release);

        vm.warp(release - 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenCooldownActive.selector, alice, release));
        staked.withdraw();
        vm.warp(release);
        vm.prank(alice);
        assertEq(staked.withdraw(), 5 ether);
    }

    /// Documents current behaviour (see the report): a queue slashed to zero keeps its release time, and a later
    /// request takes max(that stale release time, now + cooldown), so after the cooldown is shortened fresh
    /// OPEN waits for the release time of OPEN that no longer exists.
    function test_slash_emptyingTheQueueDeletesItsReleaseTime() public {
        vm.prank(governance);
        staked.setCooldown(90 days);
        _stake(alice, 10 ether);
        _unstake(alice, 4 ether);

        vm.startPrank(governance);
        staked.slash(alice, 10 ether, "fraud"); // 6 from stake, 4 from the queue: nothing left
        staked.setCooldown(1 hours);
        vm.stopPrank();
        IStakedOpen.PendingWithdrawal memory p = staked.pendingWithdrawal(alice);
        assertEq(p.amount, 0);
        assertEq(p.releaseTime, 0);

        // A later request gets the current cooldown, not the release time of OPEN that no longer exists.
        _stake(alice, 1 ether);
        _unstake(alice, 1 ether);
        assertEq(staked.pendingWithdrawal(alice).releaseTime, block.timestamp + 1 hours);
    }

    /// The whole queue is released at max(previous release time, now + cooldown).
    function test_fuzz_requestUnstake_releaseTimeIsMaxOfPreviousAndRestart(
        uint48 firstCooldown,
        uint48 secondCooldown,
        uint256 elapsed
    ) public {
        firstCooldown = uint48(bound(firstCooldown, 1 hours, 90 days));
        secondCooldown = uint48(bound(secondCooldown, 1 hours, 90 days));
        elapsed = bound(elapsed, 0, 100 days);

        vm.prank(governance);
        staked.setCooldown(firstCooldown);
        _stake(alice, 10 ether);
        _unstake(alice, 3 ether);
        uint256 firstRelease = block.timestamp + firstCooldown;

        vm.prank(governance);
        staked.setCooldown(secondCooldown);
        vm.warp(block.timestamp + elapsed);
        _unstake(alice, 2 ether);

        uint256 restarted = block.timestamp + secondCooldown;
        uint256 expected = firstRelease > restarted ? firstRelease : restarted;
        IStakedOpen.PendingWithdrawal memory p = staked.pendingWithdrawal(alice);
        assertEq(p.amount, 5 ether);
        assertEq(p.releaseTime, expected);
        assertGe(p.releaseTime, firstRelease);
    }

    // ----------------------------------------------------------------------------------------------
    // Rewards
    // ----------------------------------------------------------------------------------------------

    function test_notifyReward_revertsForUnauthorisedCaller() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenUnauthorizedNotifier.selector, stranger));
        staked.notifyReward(1 ether);
    }

    function test_notifyReward_revertsOnZeroAmount() public {
        vm.prank(notifier);
        vm.expectRevert(IStakedOpen.StakedOpenZeroAmount.selector);
        staked.notifyReward(0);
    }

    function test_notifyReward_forwardsToTreasuryWhenNothingStaked() public {
        vm.expectEmit(address(staked));
        emit IStakedOpen.RewardForwardedToTreasury(notifier, 5 ether);
        _notify(5 ether);

        assertEq(open.balanceOf(treasury), 5 ether);
        assertEq(open.balanceOf(address(staked)), 0);
        assertEq(staked.rewardPerToken(), 0);
        assertEq(staked.dustScaled(), 0);
    }

    function test_notifyReward_forwardsToTreasuryWhenEveryoneUnstaked() public {
        _stake(alice, 10 ether);
        _unstake(alice, 10 ether);
        _notify(3 ether);
        assertEq(open.balanceOf(treasury), 3 ether);
        assertEq(staked.earnedScaled(alice), 0);
    }

    function test_notifyReward_updatesAccumulatorAndDust() public {
        _stake(alice, 1);
        _stake(bob, 2);
        uint256 expectedRpt = uint256(1e18) / 3; // 333333333333333333

        vm.expectEmit(address(staked));
        emit IStakedOpen.RewardNotified(notifier, 1, expectedRpt);
        _notify(1);

        assertEq(staked.rewardPerToken(), expectedRpt);
        assertEq(staked.dustScaled(), 1); // 1e18 − 3 × 333333333333333333
        assertEq(staked.earnedScaled(alice), expectedRpt);
        assertEq(staked.earnedScaled(bob), 2 * expectedRpt);
        assertEq(staked.earned(alice), 0);
        assertEq(open.balanceOf(address(staked)), 4);
    }

    function test_notifyReward_revokedNotifierReverts() public {
        vm.expectEmit(address(staked));
        emit IStakedOpen.RewardNotifierUpdated(notifier, false);
        vm.prank(governance);
        staked.setRewardNotifier(notifier, false);
        assertFalse(staked.isRewardNotifier(notifier));

        vm.prank(notifier);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenUnauthorizedNotifier.selector, notifier));
        staked.notifyReward(1 ether);
    }

    /// Every staker's earnedScaled is balance × Δ rewardPerToken exactly, and earned + dust == notified (scaled).
    function test_fuzz_notifyReward_distributesExactly(uint256 a, uint256 b, uint256 c, uint256 reward) public {
        a = bound(a, 1, USER_FUNDS);
        b = bound(b, 1, USER_FUNDS);
        c = bound(c, 0, USER_FUNDS);
        reward = bound(reward, 1, NOTIFIER_FUNDS);
        _stake(alice, a);
        _stake(bob, b);
        if (c != 0) _stake(carol, c);

        uint256 rptBefore = staked.rewardPerToken();
        _notify(reward);
        uint256 delta = staked.rewardPerToken() - rptBefore;

        assertEq(delta, (reward * WAD) / (a + b + c));
        assertEq(staked.earnedScaled(alice), a * delta);
        assertEq(staked.earnedScaled(bob), b * delta);
        assertEq(staked.earnedScaled(carol), c * delta);
        assertEq(staked.earned(alice), (a * delta) / WAD);
        assertEq(
            staked.earnedScaled(alice) + staked.earnedScaled(bob) + staked.earnedScaled(carol) + staked.dustScaled(),
            reward * WAD
        );
        assertLt(staked.dustScaled(), a + b + c);
        assertEq(open.balanceOf(address(staked)), a + b + c + reward);
    }

    /// Stake changes between notifications: each account keeps exactly what accrued on its balance of the time.
    function test_fuzz_notifyReward_exactAcrossStakeChanges(
        uint256 a,
        uint256 b,
        uint256 unstakeA,
        uint256[3] memory rewards
    ) public {
        a = bound(a, 1, USER_FUNDS);
        b = bound(b, 1, USER_FUNDS);
        unstakeA = bound(unstakeA, 1, a);
        for (uint256 i; i < 3; ++i) rewards[i] = bound(rewards[i], 1, NOTIFIER_FUNDS / 3);

        _stake(alice, a);
        uint256 r0 = staked.rewardPerToken();
        _notify(rewards[0]); // alice alone
        uint256 r1 = staked.rewardPerToken();
        _stake(bob, b);
        _notify(rewards[1]); // alice a, bob b
        uint256 r2 = staked.rewardPerToken();
        _unstake(alice, unstakeA);
        _notify(rewards[2]); // alice a − unstakeA, bob b
        uint256 r3 = staked.rewardPerToken();

        uint256 expectedAlice = a * (r1 - r0) + a * (r2 - r1) + (a - unstakeA) * (r3 - r2);
        uint256 expectedBob = b * (r3 - r1);
        assertEq(staked.earnedScaled(alice), expectedAlice);
        assertEq(staked.earnedScaled(bob), expectedBob);
        assertEq(expectedAlice + expectedBob + staked.dustScaled(), (rewards[0] + rewards[1] + rewards[2]) * WAD);
    }

    /// Documents current behaviour (see the report): rewards are credited at once, not streamed, so an account
    /// that stakes just before a notification earns its full pro-rata share and can claim it in the same block;
    /// only its principal waits for the cooldown.
    function test_notifyReward_justInTimeStakerEarnsFullShare() public {
        _stake(alice, 100 ether);
        vm.warp(block.timestamp + 30 days);

        _stake(bob, 100 ether); // right before the notification
        _notify(10 ether);
        _unstake(bob, 100 ether);
        vm.prank(bob);
        assertEq(staked.claimRewards(), 5 ether);
        assertEq(staked.earned(alice), 5 ether);
    }

    function test_claimRewards_revertsWhenNothingToClaim() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenNothingToClaim.selector, alice));
        staked.claimRewards();
    }

    function test_claimRewards_revertsOnSubWeiOnly() public {
        _stake(alice, 1);
        _stake(bob, 2);
        _notify(1); // alice: 0.333… wei
        assertGt(staked.earnedScaled(alice), 0);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenNothingToClaim.selector, alice));
        staked.claimRewards();
    }

    function test_claimRewards_leavesSubWeiRemainder() public {
        _stake(alice, 1);
        _stake(bob, 2);
        _notify(1);
        _notify(10);
        // rewardPerToken = 1e18/3 + 10e18/3 (each rounded down) = 333333333333333333 + 3333333333333333333
        uint256 rpt = 333_333_333_333_333_333 + 3_333_333_333_333_333_333;
        assertEq(staked.rewardPerToken(), rpt);
        assertEq(staked.earnedScaled(alice), rpt);
        assertEq(staked.earned(alice), 3);
        assertEq(staked.dustScaled(), 2);

        vm.expectEmit(address(staked));
        emit IStakedOpen.RewardClaimed(alice, alice, 3);
        vm.prank(alice);
        assertEq(staked.claimRewards(), 3);

        assertEq(staked.earnedScaled(alice), rpt - 3 * WAD); // 0.666… wei stays with alice
        assertEq(staked.earned(alice), 0);
        assertEq(open.balanceOf(alice), USER_FUNDS - 1 + 3);

        // The remainder keeps growing with later rewards and is eventually paid.
        _notify(2); // alice: + 0.666… wei
        assertEq(staked.earned(alice), 1);
        vm.prank(alice);
        assertEq(staked.claimRewards(), 1);
    }

    function test_fuzz_claimRewards_paysWholeWeiAndKeepsRemainder(uint256 a, uint256 b, uint256 reward) public {
        a = bound(a, 1, USER_FUNDS);
        b = bound(b, 1, USER_FUNDS);
        reward = bound(reward, 1, NOTIFIER_FUNDS);
        _stake(alice, a);
        _stake(bob, b);
        _notify(reward);

        uint256 scaled = staked.earnedScaled(alice);
        uint256 balanceBefore = open.balanceOf(alice);
        vm.prank(alice);
        if (scaled < WAD) {
            vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenNothingToClaim.selector, alice));
            staked.claimRewards();
        } else {
            assertEq(staked.claimRewards(), scaled / WAD);
            assertEq(open.balanceOf(alice), balanceBefore + scaled / WAD);
            assertEq(staked.earnedScaled(alice), scaled % WAD);
            // Bob's share is untouched by alice's claim.
            assertEq(staked.earnedScaled(bob), b * staked.rewardPerToken());
        }
    }

    function test_claimRewardsTo_paysRecipient() public {
        _stake(alice, 10 ether);
        _notify(7 ether);

        vm.expectEmit(address(staked));
        emit IStakedOpen.RewardClaimed(alice, carol, 7 ether);
        vm.prank(alice);
        assertEq(staked.claimRewardsTo(carol), 7 ether);
        assertEq(open.balanceOf(carol), USER_FUNDS + 7 ether);
        assertEq(staked.earnedScaled(alice), 0);
    }

    function test_claimRewardsTo_revertsOnZeroRecipient() public {
        _stake(alice, 10 ether);
        _notify(7 ether);
        vm.prank(alice);
        vm.expectRevert(IStakedOpen.StakedOpenZeroAddress.selector);
        staked.claimRewardsTo(address(0));
    }

    function test_claimRewards_afterFullUnstakeKeepsAccruedRewards() public {
        _stake(alice, 10 ether);
        _stake(bob, 30 ether);
        _notify(4 ether);
        _unstake(alice, 10 ether);
        _notify(3 ether); // only bob now
        assertEq(staked.earned(alice), 1 ether);
        assertEq(staked.earned(bob), 6 ether);
        vm.prank(alice);
        assertEq(staked.claimRewards(), 1 ether);
    }

    function test_stake_doesNotEarnPastRewards() public {
        _stake(alice, 10 ether);
        _notify(5 ether);
        _stake(bob, 10 ether);
        assertEq(staked.earnedScaled(bob), 0);
        _notify(2 ether);
        assertEq(staked.earned(alice), 6 ether);
        assertEq(staked.earned(bob), 1 ether);
    }

    // ----------------------------------------------------------------------------------------------
    // Dust
    // ----------------------------------------------------------------------------------------------

    function test_sweepDust_revertsWhenNoWholeWei() public {
        vm.expectRevert(IStakedOpen.StakedOpenNoDust.selector);
        staked.sweepDust();

        _stake(alice, 1);
        _stake(bob, 2);
        _notify(1); // dust 1 (scaled)
        vm.expectRevert(IStakedOpen.StakedOpenNoDust.selector);
        staked.sweepDust();
    }

    function test_sweepDust_sendsWholeWeiToTreasury() public {
        _stake(alice, 3 ether);
        // 1 wei over 3e18 gOPEN: rewardPerToken grows by 0, the whole 1e18 scaled is dust.
        _notify(1);
        assertEq(staked.rewardPerToken(), 0);
        assertEq(staked.dustScaled(), WAD);

        vm.expectEmit(address(staked));
        emit IStakedOpen.DustSwept(treasury, 1);
        vm.prank(stranger);
        assertEq(staked.sweepDust(), 1);
        assertEq(open.balanceOf(treasury), 1);
        assertEq(staked.dustScaled(), 0);
        assertEq(open.balanceOf(address(staked)), 3 ether);
    }

    function test_fuzz_sweepDust_keepsSubWeiRemainder(uint256 supply, uint256[4] memory rewards) public {
        supply = bound(supply, 2 ether, USER_FUNDS);
        _stake(alice, supply);
        uint256 notified;
        for (uint256 i; i < 4; ++i) {
            rewards[i] = bound(rewards[i], 1, 1000);
            _notify(rewards[i]);
            notified += rewards[i];
        }
        uint256 dust = staked.dustScaled();
        assertEq(staked.earnedScaled(alice) + dust, notified * WAD);
        if (dust < WAD) {
            vm.expectRevert(IStakedOpen.StakedOpenNoDust.selector);
            staked.sweepDust();
        } else {
            assertEq(staked.sweepDust(), dust / WAD);
            assertEq(staked.dustScaled(), dust % WAD);
            assertEq(open.balanceOf(treasury), dust / WAD);
        }
        // Solvency: what stays covers stake + rewards + dust exactly.
        assertEq(
            open.balanceOf(address(staked)) * WAD,
            supply * WAD + staked.earnedScaled(alice) + staked.dustScaled()
        );
    }

    // ----------------------------------------------------------------------------------------------
    // Slashing
    // ----------------------------------------------------------------------------------------------

    function test_slash_revertsForNonOwner() public {
        _stake(alice, 10 ether);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        staked.slash(alice, 1 ether, "x");
    }

    function test_slash_revertsOnZeroAmount() public {
        _stake(alice, 10 ether);
        vm.prank(governance);
        vm.expectRevert(IStakedOpen.StakedOpenZeroAmount.selector);
        staked.slash(alice, 0, "x");
    }

    function test_fuzz_slash_revertsWhenExceedingStakeAndQueue(
        uint256 stakeAmount,
        uint256 queued,
        uint256 amount
    ) public {
        stakeAmount = bound(stakeAmount, 1, USER_FUNDS);
        queued = bound(queued, 0, stakeAmount);
        _stake(alice, stakeAmount);
        if (queued != 0) _unstake(alice, queued);
        amount = bound(amount, stakeAmount + 1, type(uint256).max - 1);

        vm.prank(governance);
        vm.expectRevert(
            abi.encodeWithSelector(IStakedOpen.StakedOpenSlashExceedsBalance.selector, alice, stakeAmount, amount)
        );
        staked.slash(alice, amount, "too much");
    }

    /// Slash takes from the stake first, then from the queue; the treasury receives exactly `amount`.
    function test_fuzz_slash_takesStakeThenQueue(
        uint256 stakeAmount,
        uint256 queued,
        uint256 amount,
        uint256 otherStake
    ) public {
        stakeAmount = bound(stakeAmount, 1, USER_FUNDS);
        queued = bound(queued, 0, stakeAmount);
        otherStake = bound(otherStake, 0, USER_FUNDS);
        _stake(alice, stakeAmount);
        if (otherStake != 0) _stake(bob, otherStake);
        if (queued != 0) _unstake(alice, queued);
        uint48 release = staked.pendingWithdrawal(alice).releaseTime;
        uint256 liveStake = stakeAmount - queued;
        amount = bound(amount, 1, stakeAmount);

        uint256 fromStake = amount < liveStake ? amount : liveStake;
        uint256 fromQueued = amount - fromStake;

        vm.expectEmit(address(staked));
        emit IStakedOpen.Slashed(alice, fromStake, fromQueued, "fraud");
        vm.prank(governance);
        staked.slash(alice, amount, "fraud");

        assertEq(open.balanceOf(treasury), amount);
        assertEq(staked.balanceOf(alice), liveStake - fromStake);
        assertEq(staked.totalSupply(), liveStake - fromStake + otherStake);
        assertEq(staked.pendingWithdrawal(alice).amount, queued - fromQueued);
        // A partly slashed queue keeps its release time; an emptied one is deleted.
        assertEq(staked.pendingWithdrawal(alice).releaseTime, fromQueued == queued && queued != 0 ? 0 : release);
        assertEq(staked.totalQueued(), queued - fromQueued);
        assertEq(open.balanceOf(address(staked)), stakeAmount + otherStake - amount);
    }

    function test_slash_settlesRewardsBeforeBurning() public {
        _stake(alice, 10 ether);
        _stake(bob, 10 ether);
        _notify(10 ether);
        vm.prank(governance);
        staked.slash(alice, 10 ether, "fraud");
        // Rewards accrued before the slash stay claimable.
        assertEq(staked.earned(alice), 5 ether);
        _notify(10 ether);
        assertEq(staked.earned(alice), 5 ether);
        assertEq(staked.earned(bob), 15 ether);
    }

    function test_slash_removesVotes() public {
        _stake(alice, 10 ether);
        vm.prank(alice);
        staked.delegate(alice);
        vm.prank(governance);
        staked.slash(alice, 4 ether, "fraud");
        assertEq(staked.getVotes(alice), 6 ether);
    }

    function test_slash_wholeQueueLeavesNothingToWithdraw() public {
        _stake(alice, 10 ether);
        _unstake(alice, 10 ether);
        vm.prank(governance);
        staked.slash(alice, 10 ether, "fraud");
        vm.warp(block.timestamp + COOLDOWN);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IStakedOpen.StakedOpenNothingToWithdraw.selector, alice));
        staked.withdraw();
    }

    function test_slash_goesToNewTreasury() public {
        address newTreasury = makeAddr("newTreasury");
        vm.expectEmit(address(staked));
        emit IStakedOpen.TreasuryUpdated(treasury, newTreasury);
        vm.prank(governance);
        staked.setTreasury(newTreasury);
        assertEq(staked.treasury(), newTreasury);

        _stake(alice, 10 ether);
        vm.prank(governance);
        staked.slash(alice, 2 ether, "fraud");
        assertEq(open.balanceOf(newTreasury), 2 ether);
        assertEq(open.balanceOf(treasury), 0);
    }

    // ----------------------------------------------------------------------------------------------
    // Governance parameters
    // ----------------------------------------------------------------------------------------------

    function test_fuzz_setCooldown_acceptsWithinBounds(uint48 newCooldown) public {
        newCooldown = uint48(bound(newCooldown, 1 hours, 90 days));
        vm.expectEmit(address(staked));
        emit IStakedOpen.CooldownUpdated(COOLDOWN, newCooldown);
        vm.prank(governance);
        staked.setCooldown(newCooldown);
        assertEq(staked.cooldown(), newCooldown);
    }

    function test_fuzz_setCooldown_revertsOutOfBounds(uint48 newCooldown) public {
        // Half the runs below the minimum, half above the maximum.
        if (newCooldown % 2 == 0) newCooldown = uint48(bound(newCooldown, 0, 1 hours - 1));
        else newCooldown = uint48(bound(newCooldown, 90 days + 1, type(uint48).max));
        vm.prank(governance);
        vm.expectRevert(
            abi.encodeWithSelector(IStakedOpen.StakedOpenCooldownOutOfBounds.selector, newCooldown, 1 hours, 90 days)
        );
        staked.setCooldown(newCooldown);
        assertEq(staked.cooldown(), COOLDOWN);
    }

    function test_setCooldown_acceptsExactBounds() public {
        vm.startPrank(governance);
        staked.setCooldown(1 hours);
        assertEq(staked.cooldown(), 1 hours);
        staked.setCooldown(90 days);
        assertEq(staked.cooldown(), 90 days);
        vm.stopPrank();
    }

    function test_setCooldown_revertsForNonOwner() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        staked.setCooldown(1 days);
    }

    function test_setTreasury_revertsOnZeroAddress() public {
        vm.prank(governance);
        vm.expectRevert(IStakedOpen.StakedOpenZeroAddress.selector);
        staked.setTreasury(address(0));
    }

    function test_setTreasury_revertsForNonOwner() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        staked.setTreasury(stranger);
    }

    function test_setRewardNotifier_revertsOnZeroAddress() public {
        vm.prank(governance);
        vm.expectRevert(IStakedOpen.StakedOpenZeroAddress.selector);
        staked.setRewardNotifier(address(0), true);
    }

    function test_setRewardNotifier_revertsForNonOwner() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        staked.setRewardNotifier(stranger, true);
    }

    function test_renounceOwnership_reverts() public {
        vm.prank(governance);
        vm.expectRevert(IStakedOpen.StakedOpenRenounceDisabled.selector);
        staked.renounceOwnership();

        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        staked.renounceOwnership();
        assertEq(staked.owner(), governance);
    }

    function test_transferOwnership_movesGovernanceAtOnce() public {
        address newGovernance = makeAddr("newGovernance");
        vm.prank(governance);
        staked.transferOwnership(newGovernance);
        assertEq(staked.owner(), newGovernance);

        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, governance));
        staked.setCooldown(1 days);
    }

    function test_transferOwnership_revertsOnZeroAddress() public {
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        staked.transferOwnership(address(0));
    }

    // ----------------------------------------------------------------------------------------------
    // Votes
    // ----------------------------------------------------------------------------------------------

    function test_delegate_activatesVotesAndUnstakeRemovesThem() public {
        _stake(alice, 100 ether);
        assertEq(staked.getVotes(alice), 0); // no delegation yet

        vm.prank(alice);
        staked.delegate(bob);
        assertEq(staked.getVotes(bob), 100 ether);
        uint256 t0 = block.timestamp;

        vm.warp(t0 + 10);
        _unstake(alice, 40 ether);
        assertEq(staked.getVotes(bob), 60 ether);

        vm.warp(t0 + 20);
        assertEq(staked.getPastVotes(bob, t0), 100 ether);
        assertEq(staked.getPastVotes(bob, t0 + 10), 60 ether);
        assertEq(staked.getPastTotalSupply(t0), 100 ether);
        assertEq(staked.getPastTotalSupply(t0 + 10), 60 ether);

        vm.expectRevert(
            abi.encodeWithSelector(Votes.ERC5805FutureLookup.selector, block.timestamp, uint48(block.timestamp))
        );
        staked.getPastVotes(bob, block.timestamp);
    }

    function test_fuzz_delegate_votesFollowStake(uint256 a, uint256 b, uint256 unstakeB) public {
        a = bound(a, 1, USER_FUNDS);
        b = bound(b, 1, USER_FUNDS);
        unstakeB = bound(unstakeB, 0, b);
        _stake(alice, a);
        _stake(bob, b);
        vm.prank(alice);
        staked.delegate(carol);
        vm.prank(bob);
        staked.delegate(carol);
        if (unstakeB != 0) _unstake(bob, unstakeB);
        assertEq(staked.getVotes(carol), a + b - unstakeB);
        assertLe(staked.getVotes(carol), staked.totalSupply());
    }
}
