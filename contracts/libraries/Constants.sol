// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @dev 1e18: the fixed-point scale of reward-per-token and of attribution weights (1e18 = 100%).
uint256 constant WAD = 1e18;

/// @dev 10,000 basis points = 100%.
uint256 constant BPS = 10_000;
