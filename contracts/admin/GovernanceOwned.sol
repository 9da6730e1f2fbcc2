// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

import {IGovernanceOwned} from "../interfaces/IProtocolAdmin.sol";

/// @title GovernanceOwned — two-step ownership by governance that can never be renounced
/// @notice See IGovernanceOwned.
abstract contract GovernanceOwned is IGovernanceOwned, Ownable2Step {
    /// @param governance The first owner: the ProtocolTimelock.
    constructor(address governance) Ownable(governance) {}

    /// @notice Disabled: the protocol's parameters must always have an owner.
    function renounceOwnership() public view override onlyOwner {
        revert GovernanceRenounceDisabled();
    }
}
