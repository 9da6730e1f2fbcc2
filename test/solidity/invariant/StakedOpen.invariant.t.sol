// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdInvariant} from "forge-std/StdInvariant.sol";

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {WAD} from "../../../contracts/libraries/Constants.sol";

import {Deployers} from "../utils/Deployers.sol";
import {StakedOpenHandler} from "./StakedOpenHandler.sol";
import {StakedOpenStorage} from "./StakedOpenStorage.sol";

/// @notice Invariants of StakedOpen under random sequences of stake, unstake, withdraw, claim, notify, slash,
/// sweep, delegate, cooldown changes, withdrawal freezes, guardian pauses and time warps (see StakedOpenHandler).
contract StakedOpenInvariantTest is StdInvariant, Deployers {
    StakedOpenHandler internal handler;
    address internal notifier = makeAddr("notifier");
    /// @dev StakedOpen's clock base: its deployment time minus one second.
    uint256 internal clockBase;

    function setUp() public {
        _deployToken();
        _deployStaking();
        clockBase = block.timestamp - 1;

        handler = new StakedOpenHandler(staked, open, governance, guardian, notifier);
        for (uint256 i; i < handler.actorCount(); ++i) _fund(handler.actor(i), handler.actorFunds(), address(staked));
        _fund(notifier, open.balanceOf(address(this)), address(staked));

        bytes4[] memory selectors = new bytes4[](15);
        selectors[0] = StakedOpenHandler.stake.selector;
        selectors[1] = StakedOpenHandler.stake.selector;
        selectors[2] = StakedOpenHandler.requestUnstake.selector;
        selectors[3] = StakedOpenHandler.withdraw.selector;
        selectors[4] = StakedOpenHandler.claimRewards.selector;
        selectors[5] = StakedOpenHandler.notifyReward.selector;
        selectors[6] = StakedOpenHandler.notifyReward.selector;
        selectors[7] = StakedOpenHandler.slash.selector;
        selectors[8] = StakedOpenHandler.sweepDust.selector;
        selectors[9] = StakedOpenHandler.delegate.selector;
        selectors[10] = StakedOpenHandler.setCooldown.selector;
        selectors[11] = StakedOpenHandler.freeze.selector;
        selectors[12] = StakedOpenHandler.unfreeze.selector;
        selectors[13] = StakedOpenHandler.togglePause.selector;
        selectors[14] = StakedOpenHandler.warp.selector;
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

    /// OPEN held × 1e18 == (stake + queued) × 1e18 + Σ earnedScaled + carry + dustScaled + still to stream, exactly;
    /// and the views of now differ from the last accrual only by a carry below the supply.
    function invariant_openHeldEqualsStakeQueuedRewardsDustAndStream() public {
        StakedOpenStorage.Law memory law = StakedOpenStorage.checkLaw(
            staked,
            IERC20(address(open)),
            clockBase,
            handler.actors()
        );
        assertEq(law.heldScaled, law.owedScaled, "OPEN held != stake + queued + rewards + carry + dust + stream");
        assertLe(law.rewardsNowScaled, law.rewardsAtLastScaled, "views created rewards since the last accrual");
        if (law.lastUpdate == block.timestamp) return;
        uint256 carryNow = law.rewardsAtLastScaled - law.rewardsNowScaled;
        if (law.supply < staked.MIN_REWARDED_SUPPLY()) assertEq(carryNow, 0, "carry with too little staked");
        else assertLt(carryNow, law.supply, "carry not below the supply");
    }

    /// notified × 1e18 == (claimed + swept) × 1e18 + Σ earnedScaled + carry + dustScaled + still to stream, exactly:
    /// once the streams end, rewards claimed + claimable + swept == notified (to the carry and sub-wei remainders).
    function invariant_rewardsConserved() public {
        StakedOpenStorage.Law memory law = StakedOpenStorage.checkLaw(
            staked,
            IERC20(address(open)),
            clockBase,
            handler.actors()
        );
        assertEq(
            handler.ghost_notified() * WAD,
            (handler.ghost_claimed() + handler.ghost_swept()) * WAD + law.rewardsAtLastScaled,
            "notified != claimed + swept + claimable + carry + dust + to stream"
        );
    }

    /// Σ pendingWithdrawal.amount == unstaked − withdrawn − slashed from the queue.
    function invariant_queuedEqualsGhosts() public view {
        uint256 sum;
        for (uint256 i; i < handler.actorCount(); ++i) sum += staked.pendingWithdrawal(handler.actor(i)).amount;
        assertEq(
            sum,
            handler.ghost_unstaked() - handler.ghost_withdrawn() - handler.ghost_slashedFromQueue(),
            "queued != unstaked - withdrawn - slashed from queue"
        );
    }

    /// No freeze reaches more than MAX_FREEZE past now.
    function invariant_freezesAreBounded() public view {
        for (uint256 i; i < handler.actorCount(); ++i) {
            assertLe(
                staked.pendingWithdrawal(handler.actor(i)).frozenUntil,
                block.timestamp + staked.MAX_FREEZE(),
                "freeze beyond MAX_FREEZE"
            );
        }
    }

    /// Every delegatee's votes are exactly the balances delegated to it.
    function invariant_votesEqualDelegatedBalances() public view {
        uint256 n = handler.actorCount();
        uint256 sumVotes;
        for (uint256 d; d < n; ++d) {
            address delegatee = handler.actor(d);
            uint256 votes = staked.getVotes(delegatee);
            sumVotes += votes;
            uint256 delegated;
            for (uint256 i; i < n; ++i) {
                if (handler.delegateeOf(i) == d) delegated += staked.balanceOf(handler.actor(i));
            }
            assertEq(votes, delegated, "votes != balances delegated to the delegatee");
            assertEq(staked.delegates(delegatee) == address(0), handler.delegateeOf(d) == type(uint256).max);
        }
        assertLe(sumVotes, staked.totalSupply(), "sum of votes > totalSupply");
        assertEq(staked.getVotes(address(0)), 0, "the zero address has votes");
    }

    /// The treasury received exactly slashed + swept.
    function invariant_treasuryReceivesSlashedAndSwept() public view {
        assertEq(
            open.balanceOf(treasury),
            handler.ghost_slashed() + handler.ghost_swept(),
            "treasury != slashed + swept"
        );
    }

    /// OPEN is conserved among the actors, the notifier, the treasury and StakedOpen.
    function invariant_openConserved() public view {
        uint256 sum = open.balanceOf(address(staked)) + open.balanceOf(treasury) + open.balanceOf(notifier);
        for (uint256 i; i < handler.actorCount(); ++i) sum += open.balanceOf(handler.actor(i));
        assertEq(sum, open.totalSupply(), "OPEN leaked");
    }

    /// The per-action checks in the handler (amounts paid, remainders kept, slash order, errors) all held.
    function invariant_handlerActionChecksHold() public view {
        assertEq(handler.ghost_violation(), "", "handler check failed");
    }
}
