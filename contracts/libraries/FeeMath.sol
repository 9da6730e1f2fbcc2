// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {BPS} from "./Constants.sol";

/// @title FeeMath — the inference fee and its split, rounding named in each function
/// @notice Mirrored exactly by sdk/fees.ts (and fuzz-compared with it).
library FeeMath {
    /// @dev Rates are per this many tokens.
    uint256 internal constant TOKENS_PER_RATE = 1_000;

    /// @notice modelFee = (inputTokens × inputRate + outputTokens × outputRate) / 1000, rounded down;
    /// fee = modelFee + platformFee.
    /// @dev No overflow: tokens are uint64 and rates at most MAX_RATE (1e21), so each product is below 2^134.
    function quoteDown(
        uint64 inputTokens,
        uint64 outputTokens,
        uint256 inputRate,
        uint256 outputRate,
        uint256 platformFee
    ) internal pure returns (uint256 modelFee, uint256 fee) {
        modelFee = (uint256(inputTokens) * inputRate + uint256(outputTokens) * outputRate) / TOKENS_PER_RATE;
        fee = modelFee + platformFee;
    }

    /// @notice Splits `modelFee` into the creator's and the stakers' shares (each rounded down) and the
    /// contributors' pool, which takes the remainder, so the three add up to `modelFee` exactly.
    function splitDown(
        uint256 modelFee,
        uint256 creatorBps,
        uint256 stakersBps
    ) internal pure returns (uint256 creatorShare, uint256 stakersShare, uint256 pool) {
        creatorShare = (modelFee * creatorBps) / BPS;
        stakersShare = (modelFee * stakersBps) / BPS;
        pool = modelFee - creatorShare - stakersShare;
    }

    /// @notice `pool × weight / totalWeight`, rounded down.
    function shareDown(uint256 pool, uint256 weight, uint256 totalWeight) internal pure returns (uint256) {
        return (pool * weight) / totalWeight;
    }
}
