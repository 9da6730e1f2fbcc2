// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IGovernanceOwned — a contract whose every parameter belongs to governance
/// @notice Ownership is two-step (OpenZeppelin Ownable2Step) and held by the ProtocolTimelock; it can move to a new
/// owner only through `transferOwnership` + `acceptOwnership`, and it can never be renounced.
interface IGovernanceOwned {
    /// @notice Governance cannot be renounced: every parameter must keep an owner.
    error GovernanceRenounceDisabled();
}

/// @title IProtocolAdmin — what every money-holding contract of the protocol shares
/// @notice Governance (the timelock) owns every parameter; a treasury receives what belongs to the protocol; a
/// guardian (e.g. a multisig, set by governance) may pause, and only governance unpauses.
/// What a pause stops is each contract's choice, by one rule: entry points that take money in or move pending pools
/// (contribute, propose, stake, pay, settle). What pays people out — claims, refunds, withdrawals — is never paused.
/// Every contract also keeps an **active clock**, `activeTime()`: Unix time minus the seconds spent paused. Windows
/// that must not run out because of a pause (the router's attribution window) are measured on it, so a pause of any
/// length never costs anyone the time they were given.
interface IProtocolAdmin is IGovernanceOwned {
    /// @notice The roles of a protocol contract at deployment.
    /// @param governance Owner of every parameter: the ProtocolTimelock.
    /// @param treasury Receives what belongs to the protocol (fees, slashed bonds, dust): the ProtocolTimelock.
    /// @param guardian May pause (zero for none).
    struct AdminConfig {
        address governance;
        address treasury;
        address guardian;
    }

    /// @notice The treasury changed from `oldTreasury` to `newTreasury`.
    event TreasuryUpdated(address indexed oldTreasury, address indexed newTreasury);
    /// @notice The guardian changed from `oldGuardian` to `newGuardian`.
    event GuardianUpdated(address indexed oldGuardian, address indexed newGuardian);
    /// @notice `by` (the guardian or governance) paused the contract.
    event Paused(address indexed by);
    /// @notice Governance unpaused the contract after `pausedFor` seconds; the active clock skipped them.
    event Unpaused(address indexed by, uint256 pausedFor);

    /// @notice The address must not be the zero address.
    error ProtocolAdminZeroAddress();
    /// @notice `caller` is neither the guardian nor governance.
    error ProtocolAdminNotGuardian(address caller);
    /// @notice The contract is paused.
    error ProtocolAdminPaused();
    /// @notice The contract is not paused.
    error ProtocolAdminNotPaused();
    /// @notice OPEN sent to `recipient` would be locked there (this contract, a protocol contract or the token).
    error ProtocolAdminInvalidRecipient(address recipient);

    /// @notice Set the treasury. Governance only; not the zero address.
    function setTreasury(address newTreasury) external;

    /// @notice Set the guardian that may pause. Governance only; zero disables it.
    function setGuardian(address newGuardian) external;

    /// @notice Pause. The guardian or governance.
    function pause() external;

    /// @notice Unpause. Governance only.
    function unpause() external;

    /// @notice Where what belongs to the protocol goes.
    function treasury() external view returns (address);

    /// @notice Who may pause besides governance.
    function guardian() external view returns (address);

    /// @notice Whether the contract is paused.
    function paused() external view returns (bool);

    /// @notice Unix time (seconds) the current pause began; 0 while not paused.
    function pausedSince() external view returns (uint256);

    /// @notice The active clock: Unix time (seconds) minus every second spent paused. It stands still during a pause.
    function activeTime() external view returns (uint256);

    /// @notice Seconds spent paused by pauses that have ended.
    function pausedSeconds() external view returns (uint256);
}
