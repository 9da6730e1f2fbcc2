// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {BPS, WAD} from "../../../contracts/libraries/Constants.sol";
import {FeeMath} from "../../../contracts/libraries/FeeMath.sol";

/// @notice Fuzz tests of FeeMath: the fee quote, the split of the model fee and the contributors' shares, each
/// rounded down, with nothing created or lost.
contract FeeMathTest is Test {
    uint256 internal constant MAX_RATE = 1_000 ether; // ModelRegistry.MAX_RATE
    uint256 internal constant MAX_PLATFORM_FEE = 10 ether; // InferenceRouter.MAX_PLATFORM_FEE
    uint256 internal constant MAX_WEIGHTS = 64; // InferenceRouter.MAX_CONTRIBUTIONS

    // ----------------------------------------------------------------------------------------------
    // quoteDown
    // ----------------------------------------------------------------------------------------------

    function test_quoteDown_whitepaperExample() public pure {
        (uint256 modelFee, uint256 fee) = FeeMath.quoteDown(2_000, 1_000, 0.06 ether, 0.2 ether, 0.01 ether);
        assertEq(modelFee, 0.32 ether);
        assertEq(fee, 0.33 ether);
    }

    /// Over the whole domain (uint64 tokens, rates up to MAX_RATE): modelFee is the exact quotient, rounded down,
    /// and the fee adds the platform fee.
    function test_fuzz_quoteDown_roundsDownExactly(
        uint64 inputTokens,
        uint64 outputTokens,
        uint256 inputRate,
        uint256 outputRate,
        uint256 platformFee
    ) public pure {
        inputRate = bound(inputRate, 0, MAX_RATE);
        outputRate = bound(outputRate, 0, MAX_RATE);
        platformFee = bound(platformFee, 0, MAX_PLATFORM_FEE);

        (uint256 modelFee, uint256 fee) = FeeMath.quoteDown(
            inputTokens,
            outputTokens,
            inputRate,
            outputRate,
            platformFee
        );
        uint256 raw = uint256(inputTokens) * inputRate + uint256(outputTokens) * outputRate;
        assertEq(fee, modelFee + platformFee, "fee != modelFee + platformFee");
        assertLe(modelFee * 1_000, raw, "modelFee rounded up");
        assertLt(raw - modelFee * 1_000, 1_000, "modelFee lost more than the remainder");
    }

    /// More tokens never cost less.
    function test_fuzz_quoteDown_monotoneInTokens(
        uint64 inputTokens,
        uint64 outputTokens,
        uint64 extraInput,
        uint64 extraOutput,
        uint256 inputRate,
        uint256 outputRate
    ) public pure {
        inputRate = bound(inputRate, 0, MAX_RATE);
        outputRate = bound(outputRate, 0, MAX_RATE);
        extraInput = uint64(bound(extraInput, 0, type(uint64).max - inputTokens));
        extraOutput = uint64(bound(extraOutput, 0, type(uint64).max - outputTokens));

        (uint256 smaller, ) = FeeMath.quoteDown(inputTokens, outputTokens, inputRate, outputRate, 0);
        (uint256 larger, ) = FeeMath.quoteDown(
            inputTokens + extraInput,
            outputTokens + extraOutput,
            inputRate,
            outputRate,
            0
        );
        assertGe(larger, smaller);
    }

    // ----------------------------------------------------------------------------------------------
    // splitDown
    // ----------------------------------------------------------------------------------------------

    function test_splitDown_whitepaperExample() public pure {
        (uint256 creatorShare, uint256 stakersShare, uint256 pool) = FeeMath.splitDown(0.32 ether, 4_000, 2_000);
        assertEq(creatorShare, 0.128 ether);
        assertEq(stakersShare, 0.064 ether);
        assertEq(pool, 0.128 ether);
    }

    /// The three parts sum to the model fee exactly; the creator's and stakers' are their shares rounded down and
    /// the pool, which takes the remainder, is its own share plus at most two wei of rounding.
    function test_fuzz_splitDown_sumsToModelFeeExactly(
        uint256 modelFee,
        uint256 creatorBps,
        uint256 stakersBps
    ) public pure {
        modelFee = bound(modelFee, 0, type(uint128).max);
        creatorBps = bound(creatorBps, 0, BPS);
        stakersBps = bound(stakersBps, 0, BPS - creatorBps);
        uint256 contributorsBps = BPS - creatorBps - stakersBps;

        (uint256 creatorShare, uint256 stakersShare, uint256 pool) = FeeMath.splitDown(
            modelFee,
            creatorBps,
            stakersBps
        );
        assertEq(creatorShare + stakersShare + pool, modelFee, "parts != modelFee");
        assertEq(creatorShare, (modelFee * creatorBps) / BPS, "creator share not rounded down");
        assertEq(stakersShare, (modelFee * stakersBps) / BPS, "stakers share not rounded down");
        uint256 poolFloor = (modelFee * contributorsBps) / BPS;
        assertGe(pool, poolFloor, "pool below its share");
        assertLe(pool - poolFloor, 2, "pool above its share by more than the two roundings");
    }

    /// A part with zero basis points gets nothing; with the creator at 100%, neither does the pool.
    function test_fuzz_splitDown_zeroBpsGetsNothing(uint256 modelFee, uint256 creatorBps) public pure {
        modelFee = bound(modelFee, 0, type(uint128).max);
        creatorBps = bound(creatorBps, 0, BPS);
        (uint256 creatorShare, uint256 stakersShare, uint256 pool) = FeeMath.splitDown(modelFee, creatorBps, 0);
        assertEq(stakersShare, 0);
        assertEq(creatorShare + pool, modelFee);
        if (creatorBps == BPS) assertEq(pool, 0);
    }

    // ----------------------------------------------------------------------------------------------
    // shareDown
    // ----------------------------------------------------------------------------------------------

    function test_shareDown_whitepaperExample() public pure {
        assertEq(FeeMath.shareDown(0.128 ether, 25e16, 1e18), 0.032 ether);
        assertEq(FeeMath.shareDown(0.128 ether, 25e16, 1e18) * 4, 0.128 ether);
    }

    /// A share is pool × weight / total rounded down, and never exceeds the pool.
    function test_fuzz_shareDown_neverExceedsPool(uint256 pool, uint256 weight, uint256 totalWeight) public pure {
        pool = bound(pool, 0, type(uint128).max);
        totalWeight = bound(totalWeight, 1, WAD);
        weight = bound(weight, 0, totalWeight);

        uint256 share = FeeMath.shareDown(pool, weight, totalWeight);
        assertLe(share, pool, "share > pool");
        assertEq(share, Math.mulDiv(pool, weight, totalWeight), "share != floor(pool * weight / total)");
        assertLe(share * totalWeight, pool * weight, "share rounded up");
        assertGt((share + 1) * totalWeight, pool * weight, "share lost more than the remainder");
        if (weight == totalWeight) assertEq(share, pool, "the only weight does not get the whole pool");
    }

    /// Shares of eligible weights: their sum never exceeds the pool, and the dust (pool − sum) is less than the
    /// number of eligible weights (each rounding loses less than one wei).
    function test_fuzz_shareDown_sumWithinPoolAndDustBelowCount(
        uint256 pool,
        uint256[] memory weights,
        uint256 threshold
    ) public pure {
        pool = bound(pool, 0, type(uint128).max);
        threshold = bound(threshold, 0, WAD / 2);
        uint256 n = weights.length < MAX_WEIGHTS ? weights.length : MAX_WEIGHTS;

        // Weights summing to at most 1e18; some of them tiny, to fall under the threshold.
        uint256 sum;
        for (uint256 i; i < n; ++i) {
            uint256 seed = weights[i];
            weights[i] = seed % 4 == 0 ? bound(seed >> 2, 0, 2 * threshold + 1) : bound(seed >> 2, 0, WAD);
            sum += weights[i];
        }
        uint256 eligibleWeight;
        uint256 eligibleCount;
        for (uint256 i; i < n; ++i) {
            if (sum > WAD) weights[i] = (weights[i] * WAD) / sum;
            if (weights[i] >= threshold && weights[i] != 0) {
                eligibleWeight += weights[i];
                ++eligibleCount;
            }
        }
        vm.assume(eligibleCount != 0);

        uint256 distributed;
        for (uint256 i; i < n; ++i) {
            if (weights[i] < threshold || weights[i] == 0) continue;
            uint256 share = FeeMath.shareDown(pool, weights[i], eligibleWeight);
            assertLe(share, pool, "share > pool");
            distributed += share;
        }
        assertLe(distributed, pool, "sum of shares > pool");
        assertLt(pool - distributed, eligibleCount, "dust >= number of eligible weights");
    }
}
