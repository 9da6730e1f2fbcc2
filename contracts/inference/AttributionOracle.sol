// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {GovernanceOwned} from "../admin/GovernanceOwned.sol";
import {IAttributionOracle} from "../interfaces/IAttributionOracle.sol";
import {IInferenceRouter} from "../interfaces/IInferenceRouter.sol";
import {SignerSet} from "../libraries/SignerSet.sol";

/// @title AttributionOracle — who may sign attribution reports, and how many must
/// @notice See IAttributionOracle. The set lives in one word (SignerSet): a data contract holding the sorted
/// signers, their number and the threshold. Each change publishes the set again and pushes it to the bound router.
contract AttributionOracle is IAttributionOracle, GovernanceOwned {
    /// @notice Most signers the set may hold.
    uint256 public constant MAX_SIGNERS = 32;

    /// @dev Who may bind the oracle to its router besides governance: its deployer, so a deployment binds the two
    /// without a governance vote. Binding happens once, so the deployer holds no power afterwards.
    address private immutable _binder;
    /// @dev The published set (see SignerSet).
    uint256 private _set;
    address private _router;

    /// @param governance Owner of the signer set: the ProtocolTimelock.
    /// @param initialSigners The first signers (distinct, non-zero, at most MAX_SIGNERS), in any order.
    /// @param initialThreshold Signatures a report needs: 1 ≤ threshold ≤ initialSigners.length.
    constructor(
        address governance,
        address[] memory initialSigners,
        uint256 initialThreshold
    ) GovernanceOwned(governance) {
        _binder = msg.sender;
        address[] memory sorted = new address[](0);
        for (uint256 i; i < initialSigners.length; ++i) {
            sorted = _inserted(sorted, initialSigners[i]);
            emit SignerAdded(initialSigners[i]);
        }
        _checkThreshold(initialThreshold, sorted.length);
        emit ThresholdUpdated(0, initialThreshold);
        _set = SignerSet.pack(SignerSet.publish(sorted), sorted.length, initialThreshold);
    }

    /// @inheritdoc IAttributionOracle
    function addSigner(address signer) external onlyOwner {
        address[] memory list = _inserted(SignerSet.membersOf(_set), signer);
        _publish(list, SignerSet.thresholdOf(_set));
        emit SignerAdded(signer);
    }

    /// @inheritdoc IAttributionOracle
    function removeSigner(address signer) external onlyOwner {
        uint256 set = _set;
        address[] memory list = SignerSet.membersOf(set);
        uint256 n = list.length;
        uint256 at = n;
        for (uint256 i; i < n; ++i) {
            if (list[i] == signer) at = i;
        }
        if (at == n) revert AttributionOracleUnknownSigner(signer);
        uint256 needed = SignerSet.thresholdOf(set);
        if (n - 1 < needed) revert AttributionOracleInvalidThreshold(needed, n - 1);
        address[] memory remaining = new address[](n - 1);
        for (uint256 i; i < n - 1; ++i) {
            remaining[i] = list[i < at ? i : i + 1];
        }
        _publish(remaining, needed);
        emit SignerRemoved(signer);
    }

    /// @inheritdoc IAttributionOracle
    function setThreshold(uint256 newThreshold) external onlyOwner {
        uint256 set = _set;
        uint256 n = SignerSet.countOf(set);
        _checkThreshold(newThreshold, n);
        emit ThresholdUpdated(SignerSet.thresholdOf(set), newThreshold);
        // The signers are unchanged: their data contract is reused.
        _set = SignerSet.pack(SignerSet.dataOf(set), n, newThreshold);
        _push();
    }

    /// @inheritdoc IAttributionOracle
    function bindRouter(address router_) external {
        if (msg.sender != _binder && msg.sender != owner()) revert AttributionOracleNotBinder(msg.sender);
        if (_router != address(0)) revert AttributionOracleAlreadyBound(_router);
        if (router_ == address(0)) revert AttributionOracleZeroAddress();
        _router = router_;
        emit RouterBound(router_);
        _push();
    }

    /// @inheritdoc IAttributionOracle
    function verifySignatures(bytes32 digest, SignerSignature[] calldata signatures) external view {
        SignerSet.verify(_set, digest, signatures);
    }

    /// @inheritdoc IAttributionOracle
    function isSigner(address account) external view returns (bool) {
        return SignerSet.contains(_set, account);
    }

    /// @inheritdoc IAttributionOracle
    function signers() external view returns (address[] memory) {
        return SignerSet.membersOf(_set);
    }

    /// @inheritdoc IAttributionOracle
    function signerSet() external view returns (address data, uint256 count, uint256 threshold_) {
        uint256 set = _set;
        return (SignerSet.dataOf(set), SignerSet.countOf(set), SignerSet.thresholdOf(set));
    }

    /// @inheritdoc IAttributionOracle
    function signerCount() external view returns (uint256) {
        return SignerSet.countOf(_set);
    }

    /// @inheritdoc IAttributionOracle
    function threshold() external view returns (uint256) {
        return SignerSet.thresholdOf(_set);
    }

    /// @inheritdoc IAttributionOracle
    function router() external view returns (address) {
        return _router;
    }

    /// @dev `list` (sorted ascending) with `signer` inserted in order; reverts on a zero, known or surplus signer.
    function _inserted(address[] memory list, address signer) private pure returns (address[] memory out) {
        if (signer == address(0)) revert AttributionOracleZeroAddress();
        uint256 n = list.length;
        for (uint256 i; i < n; ++i) {
            if (list[i] == signer) revert AttributionOracleSignerExists(signer);
        }
        if (n == MAX_SIGNERS) revert AttributionOracleTooManySigners(MAX_SIGNERS);
        out = new address[](n + 1);
        uint256 k;
        for (uint256 i; i < n; ++i) {
            if (k == i && signer < list[i]) out[k++] = signer;
            out[k++] = list[i];
        }
        if (k == n) out[n] = signer;
    }

    function _checkThreshold(uint256 newThreshold, uint256 signerCount_) private pure {
        if (newThreshold == 0 || newThreshold > signerCount_) {
            revert AttributionOracleInvalidThreshold(newThreshold, signerCount_);
        }
    }

    function _publish(address[] memory list, uint256 threshold_) private {
        _set = SignerSet.pack(SignerSet.publish(list), list.length, threshold_);
        _push();
    }

    /// @dev Sends the set to the bound router, when that router settles with this oracle (a router that names
    /// another oracle would refuse it; it pulls the set when it adopts this one).
    function _push() private {
        address router_ = _router;
        if (router_ == address(0) || IInferenceRouter(router_).oracle() != address(this)) return;
        uint256 set = _set;
        IInferenceRouter(router_).setSignerSet(
            SignerSet.dataOf(set),
            SignerSet.countOf(set),
            SignerSet.thresholdOf(set)
        );
    }
}
