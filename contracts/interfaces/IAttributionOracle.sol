// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IGovernanceOwned} from "./IProtocolAdmin.sol";

/// @title IAttributionOracle — the attribution oracle's signer set and threshold
/// @notice Governance registers the oracle signers (EOAs, or contracts such as multisigs through EIP-1271) and
/// the threshold k of distinct signatures an attribution report needs. `verifySignatures` checks a digest (the
/// InferenceRouter's EIP-712 digest of a report or batch) against the current set, and reverts with a custom error
/// naming the first problem.
/// @dev The set is bounded by MAX_SIGNERS, so nothing iterates an unbounded array. A signer removed after signing
/// no longer counts: verification uses the set at settlement time. The set is published as a data contract (see
/// SignerSet) and pushed to the one InferenceRouter the oracle is bound to, which checks a report's signatures
/// itself, without a call back: every change of the set reaches the router in the transaction that makes it.
interface IAttributionOracle is IGovernanceOwned {
    /// @notice A signature with the address that made it. Signatures are passed sorted by `signer`, ascending.
    struct SignerSignature {
        address signer;
        bytes signature;
    }

    /// @notice Governance registered `signer`.
    event SignerAdded(address indexed signer);
    /// @notice Governance removed `signer`.
    event SignerRemoved(address indexed signer);
    /// @notice Governance changed the number of signatures a report needs.
    event ThresholdUpdated(uint256 oldThreshold, uint256 newThreshold);
    /// @notice The oracle was bound to `router`, which from now on receives every change of the set.
    event RouterBound(address indexed router);

    /// @notice The address must not be the zero address.
    error AttributionOracleZeroAddress();
    /// @notice `signer` is already registered.
    error AttributionOracleSignerExists(address signer);
    /// @notice `signer` is not a registered signer.
    error AttributionOracleUnknownSigner(address signer);
    /// @notice The set already holds MAX_SIGNERS (`max`) signers.
    error AttributionOracleTooManySigners(uint256 max);
    /// @notice A threshold of `threshold` is invalid with `signerCount` signers (it must be 1..signerCount).
    error AttributionOracleInvalidThreshold(uint256 threshold, uint256 signerCount);
    /// @notice `count` signatures were given; `threshold` are needed.
    error AttributionOracleTooFewSignatures(uint256 count, uint256 threshold);
    /// @notice `signer` signed twice.
    error AttributionOracleDuplicateSigner(address signer);
    /// @notice Signatures must be sorted by signer address, ascending; the one at `index` is not.
    error AttributionOracleSignersNotSorted(uint256 index);
    /// @notice The signature attributed to `signer` is not a well-formed ECDSA signature.
    error AttributionOracleMalformedSignature(address signer);
    /// @notice The signature attributed to `signer` does not sign the digest.
    error AttributionOracleInvalidSignature(address signer);
    /// @notice Only the oracle's deployer or governance may bind it to a router; `caller` is neither.
    error AttributionOracleNotBinder(address caller);
    /// @notice The oracle is already bound to `router`.
    error AttributionOracleAlreadyBound(address router);

    /// @notice Register `signer`. Governance only.
    function addSigner(address signer) external;

    /// @notice Remove `signer`. Governance only; reverts if the threshold would become unreachable.
    function removeSigner(address signer) external;

    /// @notice Set how many distinct signatures a report needs: 1 ≤ threshold ≤ signerCount. Governance only.
    function setThreshold(uint256 newThreshold) external;

    /// @notice Reverts unless `signatures` hold at least `threshold` valid signatures of `digest` by distinct
    /// registered signers, sorted by signer address. Every signature given must be valid.
    /// @dev EOAs are checked with ECDSA (malformed signatures are reported as such); contract signers with
    /// EIP-1271 `isValidSignature`.
    function verifySignatures(bytes32 digest, SignerSignature[] calldata signatures) external view;

    /// @notice Bind the oracle to `router` (once; the deployer or governance) and push the current set to it when the
    /// router names this oracle. A router that adopts the oracle later pulls the set itself (`InferenceRouter.setOracle`).
    function bindRouter(address router) external;

    /// @notice The router this oracle pushes its set to (zero until bound).
    function router() external view returns (address);

    /// @notice The published set: its data contract (the sorted signers' addresses, see SignerSet), the number of
    /// signers and the threshold.
    function signerSet() external view returns (address data, uint256 count, uint256 threshold);

    /// @notice The registered signers, sorted ascending.
    function signers() external view returns (address[] memory);

    /// @notice Whether `account` is a registered signer.
    function isSigner(address account) external view returns (bool);

    /// @notice Number of registered signers.
    function signerCount() external view returns (uint256);

    /// @notice Signatures a report needs.
    function threshold() external view returns (uint256);
}
