// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

import {StakedOpen} from "../../../contracts/governance/StakedOpen.sol";

import {ReferenceVotes} from "../utils/ReferenceVotes.sol";

/// @notice Drives StakedOpen and OpenZeppelin's ERC20Votes (ReferenceVotes) through the same operations: a stake
/// mints, an unstake burns, a slash burns what it takes from the stake (the queued part carries no votes), and
/// delegations (to an actor, to an outsider or to nobody) are mirrored. Several operations often share a second,
/// which exercises checkpoints updated in place. It records every second in which something happened, so that the
/// suite can compare every past timepoint at which a vote could have changed.
contract StakedOpenVotesHandler is CommonBase, StdCheats, StdUtils {
    uint256 internal constant ACTOR_COUNT = 4;

    StakedOpen public immutable staked;
    ReferenceVotes public immutable oz;
    address public immutable governance;

    /// The actors, then an outsider that never stakes but may be delegated to.
    address[ACTOR_COUNT + 1] internal _accounts;
    uint256[] internal _moments;
    /// An operation that succeeded on one side reverted on the other.
    string public ghost_violation;

    /// @dev The suite funds the actors (see actorCount) and approves StakedOpen for them.
    constructor(StakedOpen staked_, ReferenceVotes oz_, address governance_) {
        staked = staked_;
        oz = oz_;
        governance = governance_;
        for (uint256 i; i < ACTOR_COUNT; ++i) _accounts[i] = makeAddr(string.concat("votesActor", vm.toString(i)));
        _accounts[ACTOR_COUNT] = makeAddr("outsider");
        _moments.push(block.timestamp);
    }

    // ----------------------------------------------------------------------------------------------
    // Views for the suite
    // ----------------------------------------------------------------------------------------------

    function actorCount() external pure returns (uint256) {
        return ACTOR_COUNT;
    }

    function accountCount() external pure returns (uint256) {
        return ACTOR_COUNT + 1;
    }

    function account(uint256 i) external view returns (address) {
        return _accounts[i];
    }

    function momentCount() external view returns (uint256) {
        return _moments.length;
    }

    function moment(uint256 i) external view returns (uint256) {
        return _moments[i];
    }

    // ----------------------------------------------------------------------------------------------
    // Actions
    // ----------------------------------------------------------------------------------------------

    function stake(uint256 actorSeed, uint256 amount) external {
        address a = _accounts[actorSeed % ACTOR_COUNT];
        amount = _amount(amount, 1_000_000 ether);
        vm.prank(a);
        try staked.stake(amount) {} catch {
            return _violate("stake reverted");
        }
        oz.mint(a, amount);
        _record();
    }

    function unstake(uint256 actorSeed, uint256 amount) external {
        address a = _accounts[actorSeed % ACTOR_COUNT];
        uint256 balance = staked.balanceOf(a);
        if (balance == 0) return;
        amount = _amount(amount, balance);
        vm.prank(a);
        try staked.requestUnstake(amount) {} catch {
            return _violate("requestUnstake reverted");
        }
        oz.burn(a, amount);
        _record();
    }

    function slash(uint256 actorSeed, uint256 amount) external {
        address a = _accounts[actorSeed % ACTOR_COUNT];
        uint256 balance = staked.balanceOf(a);
        uint256 available = balance + staked.pendingWithdrawal(a).amount;
        if (available == 0) return;
        amount = _amount(amount, available);
        vm.prank(governance);
        try staked.slash(a, amount, "differential") {} catch {
            return _violate("slash reverted");
        }
        uint256 fromStake = amount < balance ? amount : balance;
        if (fromStake != 0) oz.burn(a, fromStake);
        _record();
    }

    /// @param delegateeSeed Chooses an actor (itself included), the outsider, or nobody (address(0)).
    function delegate(uint256 actorSeed, uint256 delegateeSeed) external {
        address a = _accounts[actorSeed % ACTOR_COUNT];
        uint256 choice = delegateeSeed % (ACTOR_COUNT + 2);
        address delegatee = choice == ACTOR_COUNT + 1 ? address(0) : _accounts[choice];
        vm.prank(a);
        try staked.delegate(delegatee) {} catch {
            return _violate("delegate reverted");
        }
        oz.delegateFor(a, delegatee);
        _record();
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 3 days));
    }

    // ----------------------------------------------------------------------------------------------
    // Internal
    // ----------------------------------------------------------------------------------------------

    function _record() internal {
        if (_moments[_moments.length - 1] != block.timestamp) _moments.push(block.timestamp);
    }

    /// @dev An amount in [1, max], spread over every order of magnitude.
    function _amount(uint256 seed, uint256 max) internal pure returns (uint256) {
        uint256 cap = 10 ** (seed % 25);
        return _bound(seed >> 8, 1, cap < max ? cap : max);
    }

    function _violate(string memory reason) internal {
        if (bytes(ghost_violation).length == 0) ghost_violation = reason;
    }
}
