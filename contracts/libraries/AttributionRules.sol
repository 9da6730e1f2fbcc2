// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice What the datanet registry tells the router about one contribution named in an attribution report.
/// @dev Packed into one word: the contributor's address in the low 160 bits and the Eligibility above it. The zero
/// value means Invalid, so a missing transient-cache entry and an invalid contribution look alike (both are re-read).
type AttributionRecord is uint256;

/// @title AttributionRules — the one home of the rules that decide who earns from a report
/// @notice Used by the DatanetRegistry (which answers for each contribution) and the InferenceRouter (which pays).
library AttributionRules {
    /// @notice A contribution's standing for a model's report.
    /// @dev Invalid: unknown, never accepted (pending or rejected) or outside the model's datanets — the report is
    /// malformed and reverts. Eligible: accepted, it earns its share. Forfeited: accepted once and penalized since
    /// (possibly after the report was signed) — its share goes to the treasury and the rest of the report settles.
    enum Eligibility {
        Invalid,
        Eligible,
        Forfeited
    }

    /// @notice Where a record keeps its Eligibility (above the contributor's 160 bits).
    uint256 internal constant ELIGIBILITY_SHIFT = 160;
    uint256 private constant _ADDRESS_MASK = type(uint160).max;

    /// @notice Bits of a packed credit (see IInferenceRouter.InferenceSettled) that hold the amount.
    uint256 internal constant CREDIT_AMOUNT_BITS = 96;

    /// @notice The rule "a weight earns if it is at least the threshold": a zero weight never earns.
    /// @param weight 1e18 = 100%.
    /// @param threshold The router's attribution threshold, 1e18 = 100%.
    function earns(uint256 weight, uint256 threshold) internal pure returns (bool) {
        return weight != 0 && weight >= threshold;
    }

    /// @notice A contribution and the OPEN-wei credited for it, as InferenceSettled reports them: `contributionId << 96
    /// | amount`. Lossless for contribution ids below 2^160 and amounts below 2^96.
    function packCredit(uint256 contributionId, uint256 amount) internal pure returns (uint256) {
        return (contributionId << CREDIT_AMOUNT_BITS) | amount;
    }

    /// @notice Packs a contributor and its eligibility.
    function record(address account, Eligibility standing) internal pure returns (AttributionRecord) {
        return AttributionRecord.wrap((uint256(standing) << ELIGIBILITY_SHIFT) | uint160(account));
    }

    /// @notice The contributor of a record.
    function contributor(AttributionRecord r) internal pure returns (address) {
        return address(uint160(AttributionRecord.unwrap(r) & _ADDRESS_MASK));
    }

    /// @notice The eligibility of a record.
    function eligibility(AttributionRecord r) internal pure returns (Eligibility) {
        return Eligibility(AttributionRecord.unwrap(r) >> ELIGIBILITY_SHIFT);
    }

    /// @notice Whether the record names a contribution a report may carry at all.
    function isValid(AttributionRecord r) internal pure returns (bool) {
        return AttributionRecord.unwrap(r) != 0;
    }
}
