// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IAttributionOracle} from "../interfaces/IAttributionOracle.sol";

/// @title SignerSet — the oracle's signer set in one word, and the check of signatures against it
/// @notice A set is published as the code of a data contract: a STOP byte (so calling it does nothing), then the
/// signers' addresses, 20 bytes each, sorted ascending. One word names the set: the data contract's address in bits
/// [0, 160), the number of signers in [160, 168) and the threshold in [168, 176). Checking k signatures against it
/// reads that word and copies the code once (one cold account access) instead of reading a storage slot per signer:
/// this is what lets the InferenceRouter check a report's signatures itself, without a call to the oracle.
/// @dev A published data contract never changes; a change of the set publishes a new one (governance only, rare).
library SignerSet {
    uint256 private constant _COUNT_SHIFT = 160;
    uint256 private constant _THRESHOLD_SHIFT = 168;

    /// @notice The data contract of a signer set could not be created.
    error SignerSetPublishFailed();

    /// @dev The word naming the set of `members` signers held by `data`, `needed` of whom must sign.
    function pack(address data, uint256 members, uint256 needed) internal pure returns (uint256) {
        // members ≤ MAX_SIGNERS and needed ≤ members: both fit their 8 bits.
        return uint256(uint160(data)) | (members << _COUNT_SHIFT) | (needed << _THRESHOLD_SHIFT);
    }

    function dataOf(uint256 set) internal pure returns (address) {
        return address(uint160(set));
    }

    function countOf(uint256 set) internal pure returns (uint256) {
        return (set >> _COUNT_SHIFT) & 0xff;
    }

    function thresholdOf(uint256 set) internal pure returns (uint256) {
        return (set >> _THRESHOLD_SHIFT) & 0xff;
    }

    /// @dev Publishes `sortedSigners` (distinct, sorted ascending, at most 255) as a data contract and returns its address.
    function publish(address[] memory sortedSigners) internal returns (address pointer) {
        uint256 size = sortedSigners.length * 20;
        // Creation code (12 bytes): PUSH2 size+1, DUP1, PUSH1 12, PUSH1 0, CODECOPY, PUSH1 0, RETURN — it returns what
        // follows it: the STOP byte and the packed addresses.
        bytes memory code = new bytes(13 + size);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let start := add(code, 0x20)
            mstore(
                start,
                or(shl(232, add(size, 1)), 0x00000080600c6000396000f30000000000000000000000000000000000000000)
            )
            mstore8(start, 0x61)
            // Each address is written as a 32-byte word whose last 12 bytes the next one overwrites; the bytes' own
            // allocation is followed by the free memory pointer's region, so the last word's tail lands in free memory.
            let at := add(start, 13)
            for {
                let i := 0
            } lt(i, mload(sortedSigners)) {
                i := add(i, 1)
            } {
                mstore(add(at, mul(i, 20)), shl(96, mload(add(sortedSigners, shl(5, add(i, 1))))))
            }
            pointer := create(0, start, mload(code))
        }
        if (pointer == address(0)) revert SignerSetPublishFailed();
    }

    /// @dev The signers of `set`, sorted ascending.
    function membersOf(uint256 set) internal view returns (address[] memory list) {
        uint256 n = countOf(set);
        list = new address[](n);
        address pointer = dataOf(set);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let raw := mload(0x40)
            extcodecopy(pointer, raw, 1, mul(n, 20))
            for {
                let i := 0
            } lt(i, n) {
                i := add(i, 1)
            } {
                mstore(add(list, shl(5, add(i, 1))), shr(96, mload(add(raw, mul(i, 20)))))
            }
        }
    }

    /// @dev Whether `account` is one of the signers of `set`.
    function contains(uint256 set, address account) internal view returns (bool) {
        address[] memory list = membersOf(set);
        for (uint256 i; i < list.length; ++i) {
            if (list[i] == account) return true;
        }
        return false;
    }

    /// @dev Reverts unless `signatures` hold at least the threshold of valid signatures of `digest` by distinct signers
    /// of `set`, sorted by signer ascending; every signature given must be valid. The errors are the oracle's (see
    /// IAttributionOracle), whichever contract checks. Both lists are sorted, so membership is one merged walk.
    function verify(
        uint256 set,
        bytes32 digest,
        IAttributionOracle.SignerSignature[] calldata signatures
    ) internal view {
        uint256 n = signatures.length;
        uint256 needed = thresholdOf(set);
        if (n < needed) revert IAttributionOracle.AttributionOracleTooFewSignatures(n, needed);
        uint256 members = countOf(set);
        address pointer = dataOf(set);
        uint256 raw;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            raw := mload(0x40)
            let size := mul(members, 20)
            extcodecopy(pointer, raw, 1, size)
            // Kept allocated: an EIP-1271 check below uses memory. One word of slack for the last 32-byte read.
            mstore(0x40, add(raw, add(size, 0x20)))
        }
        uint256 j;
        address previous;
        for (uint256 i; i < n; ++i) {
            address signer = signatures[i].signer;
            if (i != 0) {
                if (signer == previous) revert IAttributionOracle.AttributionOracleDuplicateSigner(signer);
                if (signer < previous) revert IAttributionOracle.AttributionOracleSignersNotSorted(i);
            }
            // Signers ascend strictly, so the walk over the members never moves back.
            address member;
            while (j < members) {
                // solhint-disable-next-line no-inline-assembly
                assembly ("memory-safe") {
                    member := shr(96, mload(add(raw, mul(j, 20))))
                }
                if (member >= signer) break;
                ++j;
            }
            if (j == members || member != signer) revert IAttributionOracle.AttributionOracleUnknownSigner(signer);
            ++j;
            _check(signer, digest, signatures[i].signature);
            previous = signer;
        }
    }

    /// @dev ECDSA first, so an EOA (including one with EIP-7702 delegated code) is checked by its key; then, for an
    /// address with code (a multisig), EIP-1271. A signature that is neither is malformed (bad length or `s`) or
    /// invalid (another signer or another digest).
    function _check(address signer, bytes32 digest, bytes calldata signature) private view {
        (address recovered, ECDSA.RecoverError error, ) = ECDSA.tryRecoverCalldata(digest, signature);
        if (error == ECDSA.RecoverError.NoError && recovered == signer) return;
        if (signer.code.length != 0) {
            if (SignatureChecker.isValidERC1271SignatureNowCalldata(signer, digest, signature)) return;
            revert IAttributionOracle.AttributionOracleInvalidSignature(signer);
        }
        if (error != ECDSA.RecoverError.NoError) revert IAttributionOracle.AttributionOracleMalformedSignature(signer);
        revert IAttributionOracle.AttributionOracleInvalidSignature(signer);
    }
}
