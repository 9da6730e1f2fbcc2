// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {VoteHistory} from "../../../contracts/libraries/VoteHistory.sol";

/// @notice Exposes one VoteHistory trace (its storage mapping lives in slot 0) with the length kept here, as
/// StakedOpen keeps it in the account word.
contract VoteHistoryHarness {
    using VoteHistory for mapping(uint256 => uint256);

    mapping(uint256 => uint256) internal _history;
    uint256 public length;

    function push(uint32 key, uint96 value) external returns (uint256) {
        length = _history.push(length, key, value);
        return length;
    }

    function at(uint256 i) external view returns (uint32 key, uint96 value) {
        return _history.at(i);
    }

    function upperLookup(uint32 key) external view returns (uint96) {
        return _history.upperLookup(length, key);
    }

    function upperLookupIn(uint256 prefix, uint32 key) external view returns (uint96) {
        return _history.upperLookup(prefix, key);
    }
}

/// @notice VoteHistory: entries packed two per slot, read back in order, and a binary search that answers what a
/// linear scan answers.
contract VoteHistoryTest is Test {
    VoteHistoryHarness internal harness;

    function setUp() public {
        harness = new VoteHistoryHarness();
    }

    function _slot(uint256 word) internal view returns (uint256) {
        // mapping at slot 0: keccak256(word . 0)
        return uint256(vm.load(address(harness), keccak256(abi.encode(word, uint256(0)))));
    }

    function test_push_returnsTheNewLength() public {
        assertEq(harness.push(1, 10), 1);
        assertEq(harness.push(2, 20), 2);
        assertEq(harness.push(3, 30), 3);
    }

    function test_push_packsTwoEntriesPerSlot() public {
        harness.push(7, 70);
        assertEq(_slot(0), (uint256(7) << 96) | 70, "first entry in the low half");
        harness.push(9, type(uint96).max);
        assertEq(
            _slot(0),
            (((uint256(9) << 96) | type(uint96).max) << 128) | (uint256(7) << 96) | 70,
            "second entry in the high half"
        );
        harness.push(type(uint32).max, 1);
        assertEq(_slot(1), (uint256(type(uint32).max) << 96) | 1, "third entry starts the next slot");
    }

    function test_at_readsEveryEntryBack() public {
        harness.push(1, 0);
        harness.push(5, type(uint96).max);
        harness.push(type(uint32).max, 12345);
        (uint32 k0, uint96 v0) = harness.at(0);
        (uint32 k1, uint96 v1) = harness.at(1);
        (uint32 k2, uint96 v2) = harness.at(2);
        assertEq(k0, 1);
        assertEq(v0, 0);
        assertEq(k1, 5);
        assertEq(v1, type(uint96).max);
        assertEq(k2, type(uint32).max);
        assertEq(v2, 12345);
    }

    function test_upperLookup_returnsZeroOnAnEmptyTrace() public view {
        assertEq(harness.upperLookup(0), 0);
        assertEq(harness.upperLookup(type(uint32).max), 0);
    }

    function test_upperLookup_returnsZeroBeforeTheFirstKey() public {
        harness.push(10, 100);
        assertEq(harness.upperLookup(9), 0);
        assertEq(harness.upperLookup(10), 100);
    }

    function test_upperLookup_returnsTheLastValueAtOrBeforeTheKey() public {
        harness.push(10, 100);
        harness.push(20, 200);
        harness.push(30, 300);
        assertEq(harness.upperLookup(19), 100);
        assertEq(harness.upperLookup(20), 200);
        assertEq(harness.upperLookup(29), 200);
        assertEq(harness.upperLookup(30), 300);
        assertEq(harness.upperLookup(type(uint32).max), 300);
    }

    function test_upperLookup_ignoresEntriesBeyondTheGivenLength() public {
        harness.push(10, 100);
        harness.push(20, 200);
        harness.push(30, 300);
        assertEq(harness.upperLookupIn(2, 30), 200);
        assertEq(harness.upperLookupIn(1, 30), 100);
        assertEq(harness.upperLookupIn(0, 30), 0);
    }

    /// A trace of up to 40 strictly increasing keys: every entry reads back, and every lookup (at each key, the
    /// second before it and a fuzzed one) equals a linear scan.
    function test_fuzz_matchesALinearScan(uint256 seed, uint8 count, uint32 probe) public {
        uint256 n = bound(count, 0, 40);
        uint32[] memory keys = new uint32[](n);
        uint96[] memory values = new uint96[](n);
        uint256 key = bound(seed % 1000, 1, 1000);
        for (uint256 i; i < n; ++i) {
            keys[i] = uint32(key);
            values[i] = uint96(uint256(keccak256(abi.encode(seed, i))));
            harness.push(keys[i], values[i]);
            key += 1 + (uint256(keccak256(abi.encode(seed, i, "gap"))) % 100_000);
        }
        assertEq(harness.length(), n);
        for (uint256 i; i < n; ++i) {
            (uint32 k, uint96 v) = harness.at(i);
            assertEq(k, keys[i], "key read back");
            assertEq(v, values[i], "value read back");
            assertEq(harness.upperLookup(keys[i]), _scan(keys, values, keys[i]), "lookup at a key");
            assertEq(harness.upperLookup(keys[i] - 1), _scan(keys, values, keys[i] - 1), "lookup before a key");
        }
        assertEq(harness.upperLookup(probe), _scan(keys, values, probe), "lookup at a fuzzed key");
    }

    function _scan(uint32[] memory keys, uint96[] memory values, uint32 key) internal pure returns (uint96 value) {
        for (uint256 i; i < keys.length && keys[i] <= key; ++i) value = values[i];
    }
}
