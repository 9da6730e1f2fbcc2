// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IStakedOpen — gOPEN, OPEN staked 1:1 for votes and a share of protocol fees
/// @notice Stake OPEN to receive gOPEN: a non-transferable ERC-20 with ERC-5805 votes on a timestamp clock
/// (ERC-6372 `mode=timestamp`). Stakers earn the OPEN rewards that authorised notifiers (the inference
/// router) push in, pro rata to their gOPEN balance, through a reward-per-token accumulator.
/// Unstaking burns gOPEN at once (votes and rewards stop) and queues the OPEN for release after the
/// cooldown. Governance (the timelock) can slash a staker, taking first from the stake and then from
/// the queued withdrawal, and sending the OPEN to the treasury.
/// @dev Warning: OPEN must be a plain ERC-20 (no fee on transfer, no rebasing); the accounting assumes
/// the contract receives exactly the amounts it asks for.
/// gOPEN has no allowances: `transfer`, `transferFrom`, `approve` and `permit` revert with StakedOpenNonTransferable.
/// Warning: a new unstake request adds to the account's queued withdrawal and restarts its cooldown; the whole
/// queue is released at max(previous release time, now + cooldown).
/// Warning: rewards are credited at once, pro rata to the stake at the moment of notification, not streamed over
/// time. An account that stakes just before a notification earns a full share of it; what deters doing so
/// repeatedly is the unstaking cooldown, during which the OPEN earns nothing and stays slashable.
/// Rewards are kept per account in OPEN-wei scaled by 1e18, so nothing is rounded away when they accrue;
/// a claim pays whole wei and leaves the sub-wei remainder with the account. The only rounding happens
/// when a notification is divided by the total stake: that remainder is tracked as dust and anyone may
/// sweep whole wei of it to the treasury.
interface IStakedOpen {
    /// @notice An account's OPEN waiting for release after an unstake request.
    /// @param amount OPEN-wei queued.
    /// @param releaseTime Unix time (seconds) from which `withdraw` releases it.
    struct PendingWithdrawal {
        uint128 amount;
        uint48 releaseTime;
    }

    /// @notice `account` staked `amount` OPEN-wei and received as much gOPEN.
    event Staked(address indexed account, uint256 amount);
    /// @notice `account` burned `amount` gOPEN; its queued withdrawal is now `totalQueued`, released at `releaseTime`.
    event UnstakeRequested(address indexed account, uint256 amount, uint256 totalQueued, uint48 releaseTime);
    /// @notice `account` withdrew `amount` OPEN-wei of released stake.
    event Withdrawn(address indexed account, uint256 amount);
    /// @notice `notifier` added `amount` OPEN-wei of rewards; the accumulator is now `rewardPerToken` (1e18-scaled).
    event RewardNotified(address indexed notifier, uint256 amount, uint256 rewardPerToken);
    /// @notice `notifier` sent `amount` OPEN-wei of rewards while nothing was staked: they went to the treasury.
    event RewardForwardedToTreasury(address indexed notifier, uint256 amount);
    /// @notice `account` claimed `amount` OPEN-wei of rewards, paid to `recipient`.
    event RewardClaimed(address indexed account, address indexed recipient, uint256 amount);
    /// @notice Governance slashed `account`: `fromStake` OPEN-wei of stake and `fromQueued` OPEN-wei of its
    /// queued withdrawal went to the treasury.
    event Slashed(address indexed account, uint256 fromStake, uint256 fromQueued, string reason);
    /// @notice `amount` OPEN-wei of rounding dust went to the treasury.
    event DustSwept(address indexed treasury, uint256 amount);
    /// @notice The unstaking cooldown changed from `oldCooldown` to `newCooldown` seconds.
    event CooldownUpdated(uint48 oldCooldown, uint48 newCooldown);
    /// @notice The treasury changed from `oldTreasury` to `newTreasury`.
    event TreasuryUpdated(address indexed oldTreasury, address indexed newTreasury);
    /// @notice `notifier` may (`allowed`) or may no longer push rewards.
    event RewardNotifierUpdated(address indexed notifier, bool allowed);

    /// @notice gOPEN cannot be transferred or approved; only staking mints it and unstaking or slashing burns it.
    error StakedOpenNonTransferable();
    /// @notice The amount must be greater than zero.
    error StakedOpenZeroAmount();
    /// @notice The address must not be the zero address.
    error StakedOpenZeroAddress();
    /// @notice `account` holds `balance` gOPEN, less than the `requested` amount.
    error StakedOpenInsufficientStake(address account, uint256 balance, uint256 requested);
    /// @notice `account` has no queued withdrawal.
    error StakedOpenNothingToWithdraw(address account);
    /// @notice `account`'s queued withdrawal is released at `releaseTime`, later than now.
    error StakedOpenCooldownActive(address account, uint48 releaseTime);
    /// @notice `account` has no whole wei of rewards to claim.
    error StakedOpenNothingToClaim(address account);
    /// @notice `caller` is not an authorised reward notifier.
    error StakedOpenUnauthorizedNotifier(address caller);
    /// @notice `account` has `available` OPEN-wei of stake plus queued withdrawal, less than `requested`.
    error StakedOpenSlashExceedsBalance(address account, uint256 available, uint256 requested);
    /// @notice `cooldown` seconds lies outside [`min`, `max`].
    error StakedOpenCooldownOutOfBounds(uint48 cooldown, uint48 min, uint48 max);
    /// @notice There is no whole wei of dust to sweep.
    error StakedOpenNoDust();
    /// @notice Governance cannot be renounced: every parameter must keep an owner.
    error StakedOpenRenounceDisabled();

    /// @notice Stake `amount` OPEN-wei (approved beforehand) and receive as much gOPEN.
    /// @dev Votes follow the delegation of the account: delegate (to itself or another) to activate them.
    function stake(uint256 amount) external;

    /// @notice Stake `amount` OPEN-wei using an EIP-2612 permit signed by the caller for this contract.
    /// @dev A permit that fails (for example, front-run by someone who submitted it first) is ignored when the
    /// allowance already covers `amount`; otherwise the transfer reverts.
    /// @param deadline Unix time (seconds) after which the permit is invalid.
    function stakeWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice Burn `amount` gOPEN now and queue as much OPEN for release after the cooldown.
    /// @dev Votes and rewards on the amount stop at once. Adds to any queued withdrawal and restarts its cooldown:
    /// the whole queue is released at max(previous release time, now + cooldown), so shortening the cooldown
    /// never releases earlier what was queued before.
    function requestUnstake(uint256 amount) external;

    /// @notice Send the caller its whole queued withdrawal once its cooldown has passed.
    /// @dev Never pausable. Reverts with StakedOpenCooldownActive before the release time.
    /// @return amount OPEN-wei sent.
    function withdraw() external returns (uint256 amount);

    /// @notice Send the caller's rewards (whole wei) to the caller.
    /// @return amount OPEN-wei sent.
    function claimRewards() external returns (uint256 amount);

    /// @notice Send the caller's rewards (whole wei) to `recipient`.
    /// @return amount OPEN-wei sent.
    function claimRewardsTo(address recipient) external returns (uint256 amount);

    /// @notice Add `amount` OPEN-wei of rewards for current stakers, pulled from the caller (approve first).
    /// @dev Only authorised notifiers. When nothing is staked the OPEN goes straight to the treasury.
    /// Rounds down: the remainder of `amount × 1e18 / totalStaked` is kept as dust.
    function notifyReward(uint256 amount) external;

    /// @notice Take `amount` OPEN-wei from `account`, first from its stake then from its queued withdrawal,
    /// and send it to the treasury.
    /// @dev Governance only. Reverts with StakedOpenSlashExceedsBalance when `amount` exceeds both together.
    /// @param reason Free text recorded in the Slashed event (e.g. the oracle report that was falsified).
    function slash(address account, uint256 amount, string calldata reason) external;

    /// @notice Send the whole wei of rounding dust to the treasury. Anyone may call it.
    /// @return amount OPEN-wei sent.
    function sweepDust() external returns (uint256 amount);

    /// @notice Set the unstaking cooldown. Governance only; bounded by MIN_COOLDOWN and MAX_COOLDOWN.
    /// @dev Applies to later requests; a queued withdrawal keeps the release time it was given.
    function setCooldown(uint48 newCooldown) external;

    /// @notice Set where slashed stake, rewards notified while nothing is staked and dust go. Governance only.
    function setTreasury(address newTreasury) external;

    /// @notice Allow or disallow `notifier` to push rewards. Governance only.
    function setRewardNotifier(address notifier, bool allowed) external;

    /// @notice The staked token, OPEN.
    function stakingToken() external view returns (address);

    /// @notice Where slashed stake, unassignable rewards and dust go (the timelock).
    function treasury() external view returns (address);

    /// @notice The unstaking cooldown in seconds.
    function cooldown() external view returns (uint48);

    /// @notice Whether `notifier` may push rewards.
    function isRewardNotifier(address notifier) external view returns (bool);

    /// @notice OPEN-wei of rewards per gOPEN-wei since deployment, scaled by 1e18.
    function rewardPerToken() external view returns (uint256);

    /// @notice Whole OPEN-wei of rewards `account` can claim now.
    function earned(address account) external view returns (uint256);

    /// @notice Rewards `account` can claim, in OPEN-wei scaled by 1e18 (including the sub-wei remainder).
    function earnedScaled(address account) external view returns (uint256);

    /// @notice The OPEN `account` has queued for withdrawal and when it is released.
    function pendingWithdrawal(address account) external view returns (PendingWithdrawal memory);

    /// @notice OPEN-wei queued for withdrawal by all accounts together.
    function totalQueued() external view returns (uint256);

    /// @notice Undistributed rounding dust in OPEN-wei scaled by 1e18.
    function dustScaled() external view returns (uint256);
}
