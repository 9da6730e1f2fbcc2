// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {StdInvariant} from "forge-std/StdInvariant.sol";

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {StakedOpen} from "../../../contracts/governance/StakedOpen.sol";
import {OpenToken} from "../../../contracts/token/OpenToken.sol";
import {WAD} from "../../../contracts/libraries/Constants.sol";

import {StakedOpenHandler} from "./StakedOpenHandler.sol";

/// @notice Invariants of StakedOpen under random sequences of stake, unstake, withdraw, claim, notify,
/// slash, sweep, delegate, cooldown changes and time warps (see StakedOpenHandler).
contract StakedOpenInvariantTest is StdInvariant, Test {
    OpenToken internal open;
    StakedOpen internal staked;
    StakedOpenHandler internal handler;

    address internal governance = makeAddr("governance");
    address internal treasury = makeAddr("treasury");
    address internal notifier = makeAddr("notifier");

    function setUp() public {
        vm.warp(1_700_000_000);
        open = new OpenToken(address(this));
        staked = new StakedOpen(IERC20(address(open)), governance, treasury, 7 days);
        vm.prank(governance);
        staked.setRewardNotifier(notifier, true);

        handler = new StakedOpenHandler(staked, open, governance, treasury, notifier);
        open.transfer(address(handler), open.balanceOf(address(this)));
        handler.fund();

        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = StakedOpenHandler.stake.selector;
        selectors[1] = StakedOpenHandler.requestUnstake.selector;
        selectors[2] = StakedOpenHandler.withdraw.selector;
        selectors[3] = StakedOpenHandler.claimRewards.selector;
        selectors[4] = StakedOpenHandler.notifyReward.selector;
        selectors[5] = StakedOpenHandler.slash.selector;
        selectors[6] = StakedOpenHandler.sweepDust.selector;
        selectors[7] = StakedOpenHandler.delegate.selector;
        selectors[8] = StakedOpenHandler.setCooldown.selector;
        selectors[9] = StakedOpenHandler.warp.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    // ----------------------------------------------------------------------------------------------
    // Invariants
    // ----------------------------------------------------------------------------------------------

    /// Σ gOPEN balances of the actors == gOPEN totalSupply == staked − unstaked − slashed from stake.
    function invariant_sumOfStakesEqualsSupply() public view {
        uint256 sum;
        for (uint256 i; i < handler.actorCount(); ++i) sum += staked.balanceOf(handler.actor(i));
        assertEq(sum, staked.totalSupply(), "sum of balances != totalSupply");
        uint256 slashedFromStake = handler.ghost_slashed() - handler.ghost_slashedFromQueue();
        assertEq(
            staked.totalSupply(),
            handler.ghost_staked() - handler.ghost_unstaked() - slashedFromStake,
            "totalSupply != staked - unstaked - slashed from stake"
        );
    }

    /// OPEN held × 1e18 == (stakes + queued) × 1e18 + Σ earnedScaled + dustScaled, exactly.
    function invariant_openHeldEqualsStakesQueuedRewardsAndDust() public view {
        uint256 rewards;
        for (uint256 i; i < handler.actorCount(); ++i) rewards += staked.earnedScaled(handler.actor(i));
        assertEq(
            open.balanceOf(address(staked)) * WAD,
            (staked.totalSupply() + staked.totalQueued()) * WAD + rewards + staked.dustScaled(),
            "OPEN held != stakes + queued + rewards + dust"
        );
    }

    /// notified × 1e18 == (claimed + swept) × 1e18 + Σ earnedScaled + dustScaled, exactly.
    function invariant_rewardsConserved() public view {
        uint256 rewards;
        for (uint256 i; i < handler.actorCount(); ++i) rewards += staked.earnedScaled(handler.actor(i));
        assertEq(
            handler.ghost_notified() * WAD,
            (handler.ghost_claimed() + handler.ghost_swept()) * WAD + rewards + staked.dustScaled(),
            "notified != claimed + swept + claimable + dust"
        );
    }

    /// totalQueued == Σ pendingWithdrawal.amount == unstaked − withdrawn − slashed from the queue.
    function invariant_totalQueuedEqualsSumOfPending() public view {
        uint256 sum;
        for (uint256 i; i < handler.actorCount(); ++i) sum += staked.pendingWithdrawal(handler.actor(i)).amount;
        assertEq(staked.totalQueued(), sum, "totalQueued != sum of pending");
        assertEq(
            staked.totalQueued(),
            handler.ghost_unstaked() - handler.ghost_withdrawn() - handler.ghost_slashedFromQueue(),
            "totalQueued != unstaked - withdrawn - slashed from queue"
        );
    }

    /// Votes never exceed stake, and every delegatee's votes are exactly the balances delegated to it.
    function invariant_votesNeverExceedStake() public view {
        uint256 n = handler.actorCount();
        uint256 supply = staked.totalSupply();
        uint256 sumVotes;
        for (uint256 d; d < n; ++d) {
            address delegatee = handler.actor(d);
            uint256 votes = staked.getVotes(delegatee);
            assertLe(votes, supply, "votes > totalSupply");
            sumVotes += votes;

            uint256 delegated;
            for (uint256 i; i < n; ++i) {
                if (handler.delegateeOf(i) == d) delegated += staked.balanceOf(handler.actor(i));
            }
            assertEq(votes, delegated, "votes != balances delegated to the delegatee");
            assertEq(staked.delegates(delegatee) == address(0), handler.delegateeOf(d) == type(uint256).max);
        }
        assertLe(sumVotes, supply, "sum of votes > totalSupply");
        assertEq(staked.getVotes(address(0)), 0, "the zero address has votes");
    }

    /// The treasury received exactly slashed + forwarded + swept.
    function invariant_treasuryReceivesSlashedForwardedAndSwept() public view {
        assertEq(
            open.balanceOf(treasury),
            handler.ghost_slashed() + handler.ghost_forwarded() + handler.ghost_swept(),
            "treasury != slashed + forwarded + swept"
        );
    }

    /// OPEN is conserved among the actors, the notifier, the treasury and StakedOpen.
    function invariant_openConserved() public view {
        uint256 sum = open.balanceOf(address(staked)) + open.balanceOf(treasury) + open.balanceOf(notifier);
        for (uint256 i; i < handler.actorCount(); ++i) sum += open.balanceOf(handler.actor(i));
        assertEq(sum, open.totalSupply(), "OPEN leaked");
    }

    /// The per-action checks in the handler (amounts paid, remainders kept, slash order) all held.
    function invariant_handlerActionChecksHold() public view {
        assertEq(handler.ghost_violation(), "", "handler check failed");
    }
}
