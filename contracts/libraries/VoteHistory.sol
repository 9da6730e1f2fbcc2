// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title VoteHistory — past vote checkpoints, two per storage slot
/// @notice gOPEN keeps the latest checkpoint of each trace (an account's delegated votes, or the total supply) next
/// to the data it changes with, and the earlier ones here: entry `i` of a trace lives in word `i >> 1`, in the low
/// 128 bits when `i` is even and the high 128 bits when odd, as `key << 96 | value` (a uint32 key, seconds since the
/// token's clock base, and a uint96 value). Keys strictly increase with `i`.
/// @dev Compared with OpenZeppelin's Checkpoints.Trace208 (one checkpoint and a separate length per trace), a new
/// checkpoint costs a fresh storage slot only every other time. The length of each trace is kept by the caller.
library VoteHistory {
    uint256 private constant _VALUE_BITS = 96;
    uint256 private constant _VALUE_MASK = (1 << 96) - 1;
    uint256 private constant _ENTRY_MASK = (1 << 128) - 1;

    /// @notice Appends (`key`, `value`) as entry `length`; returns the new length.
    function push(
        mapping(uint256 => uint256) storage history,
        uint256 length,
        uint32 key,
        uint96 value
    ) internal returns (uint256) {
        uint256 entry = (uint256(key) << _VALUE_BITS) | value;
        uint256 word = length >> 1;
        if (length & 1 == 0) {
            history[word] = entry;
        } else {
            history[word] |= entry << 128;
        }
        return length + 1;
    }

    /// @notice Entry `i` (which must be below the trace's length).
    function at(
        mapping(uint256 => uint256) storage history,
        uint256 i
    ) internal view returns (uint32 key, uint96 value) {
        uint256 entry = (history[i >> 1] >> ((i & 1) << 7)) & _ENTRY_MASK;
        return (uint32(entry >> _VALUE_BITS), uint96(entry & _VALUE_MASK));
    }

    /// @notice The value of the last of the first `length` entries whose key is at most `key`, or 0 if none is.
    /// @dev Binary search: O(log length) storage reads.
    function upperLookup(
        mapping(uint256 => uint256) storage history,
        uint256 length,
        uint32 key
    ) internal view returns (uint96) {
        uint256 low;
        uint256 high = length;
        while (low < high) {
            uint256 mid = (low + high) >> 1;
            (uint32 midKey, ) = at(history, mid);
            if (midKey > key) high = mid;
            else low = mid + 1;
        }
        if (low == 0) return 0;
        (, uint96 value) = at(history, low - 1);
        return value;
    }
}
