// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";

import {IAttributionOracle} from "../../../contracts/interfaces/IAttributionOracle.sol";

/// @notice Signs EIP-712 digests for AttributionOracle signers with vm.sign, in the format the oracle checks:
/// 65-byte `abi.encodePacked(r, s, v)` signatures, passed sorted by signer address (ascending).
abstract contract OracleSigning is CommonBase {
    /// @dev One 65-byte ECDSA signature of `digest` by `key`.
    function _signDigest(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev The signatures of `digest` by each of `keys`, sorted by signer address.
    function _signSorted(
        bytes32 digest,
        uint256[] memory keys
    ) internal pure returns (IAttributionOracle.SignerSignature[] memory signatures) {
        signatures = new IAttributionOracle.SignerSignature[](keys.length);
        for (uint256 i; i < keys.length; ++i) {
            signatures[i] = IAttributionOracle.SignerSignature({
                signer: vm.addr(keys[i]),
                signature: _signDigest(keys[i], digest)
            });
        }
        _sortBySigner(signatures);
    }

    /// @dev Insertion sort by signer address, ascending (the arrays hold a handful of signatures).
    function _sortBySigner(IAttributionOracle.SignerSignature[] memory signatures) internal pure {
        for (uint256 i = 1; i < signatures.length; ++i) {
            IAttributionOracle.SignerSignature memory current = signatures[i];
            uint256 j = i;
            while (j != 0 && signatures[j - 1].signer > current.signer) {
                signatures[j] = signatures[j - 1];
                --j;
            }
            signatures[j] = current;
        }
    }

    /// @dev `[a, b]` as a dynamic array of keys.
    function _pair(uint256 a, uint256 b) internal pure returns (uint256[] memory keys) {
        keys = new uint256[](2);
        keys[0] = a;
        keys[1] = b;
    }
}
