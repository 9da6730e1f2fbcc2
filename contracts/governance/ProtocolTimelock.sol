// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title ProtocolTimelock — executes what ProtocolGovernor decides, after a delay; holds the treasury
/// @notice The timelock owns every protocol parameter and receives every fee, slash and dust amount that
/// belongs to the protocol. Its proposer and canceller is the governor; anyone may execute a ready operation.
contract ProtocolTimelock is TimelockController {
    /// @param minDelay Seconds between queueing and executing an operation (1 week on public networks).
    /// @param proposers Accounts allowed to schedule and cancel (the governor, once deployed).
    /// @param executors Accounts allowed to execute; `address(0)` lets anyone execute.
    /// @param admin Optional bootstrap admin that wires the roles and then renounces; zero for none.
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {}
}
