// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {ERC20Wrapper} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Wrapper.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title ReferenceGOpen — benchmark only, never deployed to a public network
/// @notice The shape of OpenLedger's public GOPEN: OPEN wrapped 1:1 into an ERC20Votes token with permit and a
/// timestamp clock, with no cooldown and no reward accounting. The gas script measures it side by side with
/// StakedOpen so that the cost of cooldowns, slashing and rewards is shown under identical conditions.
contract ReferenceGOpen is ERC20, ERC20Permit, ERC20Votes, ERC20Wrapper {
    constructor(IERC20 open) ERC20("Reference GOPEN", "rGOPEN") ERC20Permit("Reference GOPEN") ERC20Wrapper(open) {}

    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    function decimals() public view override(ERC20, ERC20Wrapper) returns (uint8) {
        return super.decimals();
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}
