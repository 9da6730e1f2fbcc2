// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IProtocolAdmin} from "../interfaces/IProtocolAdmin.sol";
import {GovernanceOwned} from "./GovernanceOwned.sol";

/// @title ProtocolAdmin — governance ownership, treasury, guardian pause and the active clock
/// @notice See IProtocolAdmin. Each protocol contract inherits it once instead of repeating these rules.
/// @dev By default the guardian, the start of the current pause and the seconds of past pauses share one storage
/// slot. A contract whose hot path reads other state anyway may keep the pause clock there instead, by overriding
/// `_pauseClock` and `_setPauseClock` (the router keeps it in its parameters slot).
abstract contract ProtocolAdmin is IProtocolAdmin, GovernanceOwned {
    /// @dev The guardian and, unless a contract keeps it elsewhere, the pause clock. `pausedAt` is 0 while not
    /// paused; timestamps in uint40 last until the year 36,812.
    struct PauseState {
        address guardian;
        uint40 pausedAt;
        uint40 pausedSeconds;
    }

    address private _treasury;
    PauseState private _pauseState;

    /// @dev Reverts while paused.
    modifier whenNotPaused() {
        _requireNotPaused();
        _;
    }

    /// @param config Governance (owner), treasury and guardian.
    constructor(AdminConfig memory config) GovernanceOwned(config.governance) {
        _setTreasury(config.treasury);
        _setGuardian(config.guardian);
    }

    /// @inheritdoc IProtocolAdmin
    function setTreasury(address newTreasury) external onlyOwner {
        _setTreasury(newTreasury);
    }

    /// @inheritdoc IProtocolAdmin
    function setGuardian(address newGuardian) external onlyOwner {
        _setGuardian(newGuardian);
    }

    /// @inheritdoc IProtocolAdmin
    function pause() external {
        if (msg.sender != _pauseState.guardian && msg.sender != owner()) revert ProtocolAdminNotGuardian(msg.sender);
        (uint256 pausedAt, uint256 pausedSeconds_) = _pauseClock();
        if (pausedAt != 0) revert ProtocolAdminPaused();
        _setPauseClock(block.timestamp, pausedSeconds_);
        emit Paused(msg.sender);
    }

    /// @inheritdoc IProtocolAdmin
    function unpause() external onlyOwner {
        (uint256 pausedAt, uint256 pausedSeconds_) = _pauseClock();
        if (pausedAt == 0) revert ProtocolAdminNotPaused();
        uint256 pausedFor = block.timestamp - pausedAt;
        _setPauseClock(0, pausedSeconds_ + pausedFor);
        emit Unpaused(msg.sender, pausedFor);
    }

    /// @inheritdoc IProtocolAdmin
    function treasury() public view returns (address) {
        return _treasury;
    }

    /// @inheritdoc IProtocolAdmin
    function guardian() external view returns (address) {
        return _pauseState.guardian;
    }

    /// @inheritdoc IProtocolAdmin
    function paused() external view returns (bool) {
        (uint256 pausedAt, ) = _pauseClock();
        return pausedAt != 0;
    }

    /// @inheritdoc IProtocolAdmin
    function pausedSince() external view returns (uint256) {
        (uint256 pausedAt, ) = _pauseClock();
        return pausedAt;
    }

    /// @inheritdoc IProtocolAdmin
    function activeTime() public view returns (uint256) {
        (uint256 pausedAt, uint256 pausedSeconds_) = _pauseClock();
        return (pausedAt != 0 ? pausedAt : block.timestamp) - pausedSeconds_;
    }

    /// @inheritdoc IProtocolAdmin
    function pausedSeconds() external view returns (uint256) {
        (, uint256 pausedSeconds_) = _pauseClock();
        return pausedSeconds_;
    }

    /// @dev Reverts while paused.
    function _requireNotPaused() internal view {
        (uint256 pausedAt, ) = _pauseClock();
        if (pausedAt != 0) revert ProtocolAdminPaused();
    }

    /// @dev The start of the current pause (0: not paused) and the seconds of pauses that ended.
    function _pauseClock() internal view virtual returns (uint256 pausedAt, uint256 pausedSeconds_) {
        PauseState memory state = _pauseState;
        return (state.pausedAt, state.pausedSeconds);
    }

    /// @dev Records the pause clock. Both values fit uint40: they are below the current Unix time.
    function _setPauseClock(uint256 pausedAt, uint256 pausedSeconds_) internal virtual {
        _pauseState.pausedAt = uint40(pausedAt);
        _pauseState.pausedSeconds = uint40(pausedSeconds_);
    }

    /// @dev Reverts unless OPEN-wei sent to `recipient` can be spent from there: not zero, not this contract, not
    /// the token itself (whose balance nobody controls).
    function _checkRecipient(address recipient, address token) internal view {
        if (recipient == address(0)) revert ProtocolAdminZeroAddress();
        if (recipient == address(this) || recipient == token) revert ProtocolAdminInvalidRecipient(recipient);
    }

    function _setTreasury(address newTreasury) private {
        if (newTreasury == address(0)) revert ProtocolAdminZeroAddress();
        emit TreasuryUpdated(_treasury, newTreasury);
        _treasury = newTreasury;
    }

    function _setGuardian(address newGuardian) private {
        emit GuardianUpdated(_pauseState.guardian, newGuardian);
        _pauseState.guardian = newGuardian;
    }
}
