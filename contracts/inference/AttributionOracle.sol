// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {GovernanceOwned} from "../admin/GovernanceOwned.sol";
import {IAttributionOracle} from "../interfaces/IAttributionOracle.sol";

/// @title AttributionOracle — who may sign attribution reports, and how many must
/// @notice See IAttributionOracle.
contract AttributionOracle is IAttributionOracle, GovernanceOwned {
    /// @notice Most signers the set may hold.
    uint256 public constant MAX_SIGNERS = 32;

    mapping(address account => bool) private _signers;
    uint128 private _signerCount;
    uint128 private _threshold;

    /// @param governance Owner of the signer set: the ProtocolTimelock.
    /// @param initialSigners The first signers (distinct, non-zero).
    /// @param initialThreshold Signatures a report needs: 1 ≤ threshold ≤ initialSigners.length.
    constructor(
        address governance,
        address[] memory initialSigners,
        uint256 initialThreshold
    ) GovernanceOwned(governance) {
        for (uint256 i; i < initialSigners.length; ++i) {
            _addSigner(initialSigners[i]);
        }
        _setThreshold(initialThreshold);
    }

    /// @inheritdoc IAttributionOracle
    function addSigner(address signer) external onlyOwner {
        _addSigner(signer);
    }

    /// @inheritdoc IAttributionOracle
    function removeSigner(address signer) external onlyOwner {
        if (!_signers[signer]) revert AttributionOracleUnknownSigner(signer);
        uint256 remaining = _signerCount - 1;
        if (remaining < _threshold) revert AttributionOracleInvalidThreshold(_threshold, remaining);
        _signers[signer] = false;
        _signerCount = uint128(remaining);
        emit SignerRemoved(signer);
    }

    /// @inheritdoc IAttributionOracle
    function setThreshold(uint256 newThreshold) external onlyOwner {
        _setThreshold(newThreshold);
    }

    /// @inheritdoc IAttributionOracle
    function verifySignatures(bytes32 digest, SignerSignature[] calldata signatures) external view {
        uint256 n = signatures.length;
        if (n < _threshold) revert AttributionOracleTooFewSignatures(n, _threshold);
        address previous;
        for (uint256 i; i < n; ++i) {
            address signer = signatures[i].signer;
            if (i != 0) {
                if (signer == previous) revert AttributionOracleDuplicateSigner(signer);
                if (signer < previous) revert AttributionOracleSignersNotSorted(i);
            }
            if (!_signers[signer]) revert AttributionOracleUnknownSigner(signer);
            _checkSignature(signer, digest, signatures[i].signature);
            previous = signer;
        }
    }

    /// @inheritdoc IAttributionOracle
    function isSigner(address account) external view returns (bool) {
        return _signers[account];
    }

    /// @inheritdoc IAttributionOracle
    function signerCount() external view returns (uint256) {
        return _signerCount;
    }

    /// @inheritdoc IAttributionOracle
    function threshold() external view returns (uint256) {
        return _threshold;
    }

    /// @dev ECDSA first, so an EOA (including one with EIP-7702 delegated code) is checked by its key; then, for an
    /// address with code (a multisig), EIP-1271. A signature that is neither is malformed (bad length or `s`) or
    /// invalid (another signer or another digest).
    function _checkSignature(address signer, bytes32 digest, bytes calldata signature) internal view {
        (address recovered, ECDSA.RecoverError error, ) = ECDSA.tryRecoverCalldata(digest, signature);
        if (error == ECDSA.RecoverError.NoError && recovered == signer) return;
        if (signer.code.length != 0) {
            if (SignatureChecker.isValidERC1271SignatureNowCalldata(signer, digest, signature)) return;
            revert AttributionOracleInvalidSignature(signer);
        }
        if (error != ECDSA.RecoverError.NoError) revert AttributionOracleMalformedSignature(signer);
        revert AttributionOracleInvalidSignature(signer);
    }

    function _addSigner(address signer) internal {
        if (signer == address(0)) revert AttributionOracleZeroAddress();
        if (_signers[signer]) revert AttributionOracleSignerExists(signer);
        if (_signerCount == MAX_SIGNERS) revert AttributionOracleTooManySigners(MAX_SIGNERS);
        _signers[signer] = true;
        _signerCount += 1;
        emit SignerAdded(signer);
    }

    function _setThreshold(uint256 newThreshold) internal {
        if (newThreshold == 0 || newThreshold > _signerCount) {
            revert AttributionOracleInvalidThreshold(newThreshold, _signerCount);
        }
        emit ThresholdUpdated(_threshold, newThreshold);
        _threshold = uint128(newThreshold);
    }
}
