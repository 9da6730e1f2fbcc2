// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title OpenToken — OPEN, the protocol's fee and staking token
/// @notice A fixed supply of 1,000,000,000 OPEN (18 decimals) minted once, at deployment, to `recipient`.
/// There is no mint function; any holder may burn. Supports EIP-2612 permits.
contract OpenToken is ERC20, ERC20Permit, ERC20Burnable {
    /// @notice The whole supply, in OPEN-wei: 1,000,000,000 × 10^18.
    uint256 public constant INITIAL_SUPPLY = 1_000_000_000 ether;

    /// @param recipient Receives the whole supply (a treasury, a distributor or the deployer).
    constructor(address recipient) ERC20("Open", "OPEN") ERC20Permit("Open") {
        _mint(recipient, INITIAL_SUPPLY);
    }
}
