// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdInvariant} from "forge-std/StdInvariant.sol";

import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

import {IStakedOpen} from "../../../contracts/interfaces/IStakedOpen.sol";

import {Deployers} from "../utils/Deployers.sol";
import {ReferenceVotes} from "../utils/ReferenceVotes.sol";
import {StakedOpenVotesHandler} from "./StakedOpenVotesHandler.sol";

/// @notice Differential test of gOPEN's votes: StakedOpen keeps its own packed checkpoints (VoteHistory, one account
/// word), OpenZeppelin's ERC20Votes is the reference. After every step of a random sequence of stakes, unstakes,
/// slashes, delegations and warps, every query must agree: balances, supply, delegates, current votes, every
/// checkpoint, and getPastVotes and getPastTotalSupply at every past second in which something happened and the
/// second before it (votes only change in those seconds, so this covers every past timepoint).
contract StakedOpenVotesInvariantTest is StdInvariant, Deployers {
    ReferenceVotes internal oz;
    StakedOpenVotesHandler internal handler;

    function setUp() public {
        _deployToken();
        _deployStaking();
        oz = new ReferenceVotes();
        handler = new StakedOpenVotesHandler(staked, oz, governance);
        for (uint256 i; i < handler.actorCount(); ++i) _fund(handler.account(i), 100_000_000 ether, address(staked));
        // Stakes are as likely as warps; delegations, unstakes and slashes keep the checkpoints moving.
        bytes4[] memory selectors = new bytes4[](6);
        selectors[0] = StakedOpenVotesHandler.stake.selector;
        selectors[1] = StakedOpenVotesHandler.stake.selector;
        selectors[2] = StakedOpenVotesHandler.unstake.selector;
        selectors[3] = StakedOpenVotesHandler.slash.selector;
        selectors[4] = StakedOpenVotesHandler.delegate.selector;
        selectors[5] = StakedOpenVotesHandler.warp.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// @dev Every check re-reads the whole history, so its cost grows with the square of the depth: the depth stays at
    /// the default profile's in every profile (the deep one adds runs).
    /// hardhat-config: invariant.depth = 64
    function invariant_bothSidesAcceptedEveryOperation() public view {
        assertEq(handler.ghost_violation(), "", "an operation reverted on StakedOpen");
    }

    /// @dev Every check re-reads the whole history, so its cost grows with the square of the depth: the depth stays at
    /// the default profile's in every profile (the deep one adds runs).
    /// hardhat-config: invariant.depth = 64
    function invariant_currentStateMatchesOpenZeppelin() public view {
        assertEq(staked.totalSupply(), oz.totalSupply(), "totalSupply");
        for (uint256 i; i < handler.accountCount(); ++i) {
            address a = handler.account(i);
            assertEq(staked.balanceOf(a), oz.balanceOf(a), "balanceOf");
            assertEq(staked.delegates(a), oz.delegates(a), "delegates");
            assertEq(staked.getVotes(a), oz.getVotes(a), "getVotes");
            uint32 count = oz.numCheckpoints(a);
            assertEq(staked.numCheckpoints(a), count, "numCheckpoints");
            for (uint32 pos; pos < count; ++pos) {
                IStakedOpen.Checkpoint memory ours = staked.checkpoints(a, pos);
                Checkpoints.Checkpoint208 memory theirs = oz.checkpoints(a, pos);
                assertEq(ours.key, theirs._key, "checkpoint key");
                assertEq(ours.value, theirs._value, "checkpoint value");
            }
        }
        assertEq(staked.getVotes(address(0)), 0, "the zero address holds votes");
    }

    /// @dev Every check re-reads the whole history, so its cost grows with the square of the depth: the depth stays at
    /// the default profile's in every profile (the deep one adds runs).
    /// hardhat-config: invariant.depth = 64
    function invariant_everyPastTimepointMatchesOpenZeppelin() public view {
        uint256 n = handler.momentCount();
        for (uint256 m; m < n; ++m) {
            uint256 t = handler.moment(m);
            _comparePast(t - 1);
            if (t < block.timestamp) _comparePast(t);
        }
    }

    function _comparePast(uint256 timepoint) internal view {
        assertEq(staked.getPastTotalSupply(timepoint), oz.getPastTotalSupply(timepoint), "getPastTotalSupply");
        for (uint256 i; i < handler.accountCount(); ++i) {
            address a = handler.account(i);
            assertEq(staked.getPastVotes(a, timepoint), oz.getPastVotes(a, timepoint), "getPastVotes");
        }
    }
}
