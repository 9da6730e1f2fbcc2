// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

import {IStakedOpen} from "../interfaces/IStakedOpen.sol";

/// @title ProtocolGovernor — gOPEN holders decide; the timelock executes
/// @notice OpenZeppelin Governor voting with gOPEN (timestamp clock, so delays and periods are in seconds):
/// simple for/against/abstain counting, quorum as a fraction of the gOPEN supply, execution through
/// ProtocolTimelock. Tally-compatible. Its own settings change only through its own proposals.
///
/// A proposal that slashes a staker (`StakedOpen.slash(account, …)`) freezes that staker's withdrawals as soon as it
/// is created, until the end of its vote plus the timelock delay plus SLASH_FREEZE_GRACE, and again when it is queued,
/// until its execution time plus SLASH_FREEZE_GRACE: a staker who sees the proposal cannot unstake and withdraw
/// before governance decides (see IStakedOpen). The governor may do so as a proposer of the timelock that owns gOPEN.
contract ProtocolGovernor is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl
{
    /// @notice How long a slash's freeze outlasts the earliest moment the slash can execute, in seconds: time for
    /// someone to queue and execute it.
    uint256 public constant SLASH_FREEZE_GRACE = 1 days;

    /// @param token gOPEN (StakedOpen): ERC-5805 votes with a timestamp clock.
    /// @param timelock ProtocolTimelock, which executes proposals and holds the treasury.
    /// @param initialVotingDelay Seconds between proposing and the start of voting (1 day on public networks).
    /// @param initialVotingPeriod Seconds voting stays open (1 week on public networks).
    /// @param initialProposalThreshold gOPEN-wei of votes needed to propose (10,000 gOPEN on public networks).
    /// @param quorumPercent Percent of the gOPEN supply that must vote for or abstain (5).
    constructor(
        IVotes token,
        TimelockController timelock,
        uint48 initialVotingDelay,
        uint32 initialVotingPeriod,
        uint256 initialProposalThreshold,
        uint256 quorumPercent
    )
        Governor("ProtocolGovernor")
        GovernorSettings(initialVotingDelay, initialVotingPeriod, initialProposalThreshold)
        GovernorVotes(token)
        GovernorVotesQuorumFraction(quorumPercent)
        GovernorTimelockControl(timelock)
    {}

    /// @dev Creates the proposal, then freezes the withdrawals of every staker it slashes until the vote is over and
    /// the timelock delay has passed.
    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal override returns (uint256 proposalId) {
        proposalId = super._propose(targets, values, calldatas, description, proposer);
        _freezeSlashed(targets, calldatas, proposalDeadline(proposalId) + timelockDelay() + SLASH_FREEZE_GRACE);
    }

    /// @notice The timelock's current delay: how long a queued proposal waits before it can execute, in seconds.
    function timelockDelay() public view returns (uint256) {
        return TimelockController(payable(timelock())).getMinDelay();
    }

    /// @dev Freezes, until `until`, the withdrawals of each account a call of the proposal slashes on gOPEN.
    function _freezeSlashed(address[] memory targets, bytes[] memory calldatas, uint256 until) private {
        address stakedOpen = address(token());
        for (uint256 i; i < targets.length; ++i) {
            bytes memory data = calldatas[i];
            if (targets[i] != stakedOpen || data.length < 36) continue;
            bytes4 selector;
            address account;
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                // data: length word, then the 4-byte selector and the first argument (the slashed account).
                selector := mload(add(data, 32))
                account := and(mload(add(data, 36)), 0xffffffffffffffffffffffffffffffffffffffff)
            }
            if (selector == IStakedOpen.slash.selector) IStakedOpen(stakedOpen).freezeWithdrawals(account, until);
        }
    }

    // The overrides below resolve Solidity's multiple inheritance; _queueOperations also refreshes slash freezes.

    /// @inheritdoc Governor
    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    /// @inheritdoc Governor
    function proposalNeedsQueuing(
        uint256 proposalId
    ) public view override(Governor, GovernorTimelockControl) returns (bool) {
        return super.proposalNeedsQueuing(proposalId);
    }

    /// @inheritdoc Governor
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48 eta) {
        eta = super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
        _freezeSlashed(targets, calldatas, eta + SLASH_FREEZE_GRACE);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
