// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";

import {IProtocolAdmin} from "./IProtocolAdmin.sol";

/// @title IStakedOpen — gOPEN, OPEN staked 1:1 for votes and a time-weighted share of protocol fees
/// @notice Stake OPEN to receive gOPEN: a non-transferable ERC-20 with ERC-5805 votes on a timestamp clock
/// (ERC-6372 `mode=timestamp`), delegated as in OpenZeppelin's ERC20Votes (by call or by signature).
///
/// **Rewards are streamed, never credited at once.** Anyone may add OPEN rewards with `notifyReward` (the inference
/// router releases the stakers' share of inference fees this way). Time is cut into reward periods of
/// `rewardPeriod()` seconds; what is notified during one period is streamed at a constant rate over the next one,
/// and each second of the stream is shared pro rata to the gOPEN held during that second (a Synthetix
/// StakingRewards accumulator). A position opened just before a payment and closed just after earns only the
/// seconds it was held, not a share of the payment: the stakers' share reaches stakers in proportion to stake held
/// over time. Seconds streamed while nothing is staked, and the remainder of dividing a period's rewards by its
/// length, are dust that anyone may sweep to the treasury.
///
/// **Unstaking** burns gOPEN at once (votes and rewards stop) and queues the OPEN for release after the cooldown.
/// Governance (the timelock) can slash a staker, taking first from the stake and then from the queued withdrawal,
/// and sending the OPEN to the treasury.
///
/// **A slash cannot be outrun.** With OpenLedger's public timings a slash takes 1 day of voting delay + 1 week of
/// voting + 1 week of timelock = 15 days, longer than the 7-day cooldown: a staker who saw the proposal could queue
/// an unstake and withdraw before it executes. So proposing a slash freezes the staker's withdrawals: the governor
/// (a proposer of the timelock that owns this contract) calls `freezeWithdrawals` when a proposal that slashes an
/// account is created (until the end of its vote plus the timelock delay plus a day's grace) and again when it is
/// queued (until its execution time plus a day). A frozen account keeps its stake, votes and rewards and may still
/// request unstakes, but `withdraw` reverts until the freeze ends; the queued OPEN stays slashable. Only governance
/// lifts a freeze early (`unfreezeWithdrawals`). A freeze never lasts more than MAX_FREEZE from when it was placed.
/// Trade-off: anyone holding the proposal threshold can delay a staker's withdrawal by proposing to slash it — for
/// at most the length of one governance cycle per proposal, in public, and governance can lift it. A permissionless
/// freeze without a proposal, or a guardian's, would be cheaper to abuse; a cooldown forced to cover the whole
/// governance path (15 days) would tax every honest staker instead.
/// @dev Warning: OPEN must be a plain ERC-20 (no fee on transfer, no rebasing); the accounting assumes the contract
/// receives exactly the amounts it asks for.
/// gOPEN has no allowances: `transfer`, `transferFrom` and `approve` revert with StakedOpenNonTransferable.
/// Warning: a new unstake request adds to the account's queued withdrawal and restarts its cooldown; the whole queue
/// is released at max(previous release time, now + cooldown).
/// Warning: balances and votes are uint96 (the OPEN supply, 1e27, fits 2^96 ≈ 7.9e28) and checkpoint keys are
/// seconds since deployment in uint32: the contract works for 136 years after its deployment.
/// Rewards are kept per account in OPEN-wei scaled by 1e18, so nothing is rounded away when they accrue; a claim
/// pays whole wei and leaves the sub-wei remainder with the account.
/// The guardian may pause new stakes; unstaking, withdrawals and claims are never paused.
interface IStakedOpen is IERC20Metadata, IERC5805, IProtocolAdmin {
    /// @notice An account's OPEN waiting for release after an unstake request.
    /// @param amount OPEN-wei queued.
    /// @param releaseTime Unix time (seconds) from which `withdraw` releases it.
    /// @param frozenUntil Unix time (seconds) until which withdrawals are frozen by a pending slash (0: never frozen).
    struct PendingWithdrawal {
        uint96 amount;
        uint40 releaseTime;
        uint40 frozenUntil;
    }

    /// @notice A checkpoint of votes or of the total supply, as OpenZeppelin's ERC20Votes exposes them.
    /// @param key Unix time (seconds) from which `value` holds.
    /// @param value Votes (gOPEN-wei).
    struct Checkpoint {
        uint48 key;
        uint208 value;
    }

    /// @notice `account` staked `amount` OPEN-wei and received as much gOPEN.
    event Staked(address indexed account, uint256 amount);
    /// @notice `account` burned `amount` gOPEN; its queued withdrawal is now `totalQueued`, released at `releaseTime`.
    event UnstakeRequested(address indexed account, uint256 amount, uint256 totalQueued, uint256 releaseTime);
    /// @notice `account` withdrew `amount` OPEN-wei of released stake.
    event Withdrawn(address indexed account, uint256 amount);
    /// @notice `notifier` added `amount` OPEN-wei of rewards, streamed from `streamStart` to `streamEnd` (Unix times).
    event RewardNotified(address indexed notifier, uint256 amount, uint256 streamStart, uint256 streamEnd);
    /// @notice A reward period began: `amount` OPEN-wei stream from `start` to `end` at `ratePerSecond` (OPEN-wei per
    /// second, 1e18-scaled).
    event RewardPeriodStarted(uint256 start, uint256 end, uint256 amount, uint256 ratePerSecond);
    /// @notice `account` claimed `amount` OPEN-wei of rewards, paid to `recipient`.
    event RewardClaimed(address indexed account, address indexed recipient, uint256 amount);
    /// @notice Governance slashed `account`: `fromStake` OPEN-wei of stake and `fromQueued` OPEN-wei of its
    /// queued withdrawal went to the treasury.
    event Slashed(address indexed account, uint256 fromStake, uint256 fromQueued, string reason);
    /// @notice `by` (the governor, for a pending slash, or governance) froze `account`'s withdrawals until `until`.
    event WithdrawalsFrozen(address indexed account, uint256 until, address indexed by);
    /// @notice Governance lifted the freeze of `account`'s withdrawals.
    event WithdrawalsUnfrozen(address indexed account);
    /// @notice `amount` OPEN-wei of rounding dust went to the treasury.
    event DustSwept(address indexed treasury, uint256 amount);
    /// @notice The unstaking cooldown changed from `oldCooldown` to `newCooldown` seconds.
    event CooldownUpdated(uint256 oldCooldown, uint256 newCooldown);

    /// @notice gOPEN cannot be transferred or approved; only staking mints it and unstaking or slashing burns it.
    error StakedOpenNonTransferable();
    /// @notice The amount must be greater than zero.
    error StakedOpenZeroAmount();
    /// @notice The address must not be the zero address.
    error StakedOpenZeroAddress();
    /// @notice Staking `amount` more would take a balance or the supply past 2^96 - 1 gOPEN-wei.
    error StakedOpenAmountTooLarge(uint256 amount);
    /// @notice `account` holds `balance` gOPEN, less than the `requested` amount.
    error StakedOpenInsufficientStake(address account, uint256 balance, uint256 requested);
    /// @notice `account` has no queued withdrawal.
    error StakedOpenNothingToWithdraw(address account);
    /// @notice `account`'s queued withdrawal is released at `releaseTime`, later than now.
    error StakedOpenCooldownActive(address account, uint256 releaseTime);
    /// @notice `account`'s withdrawals are frozen until `until` by a pending slash.
    error StakedOpenWithdrawalsFrozen(address account, uint256 until);
    /// @notice `caller` may not freeze withdrawals: only governance and the timelock's proposers (the governor).
    error StakedOpenNotFreezer(address caller);
    /// @notice `account` has no whole wei of rewards to claim.
    error StakedOpenNothingToClaim(address account);
    /// @notice `account` has `available` OPEN-wei of stake plus queued withdrawal, less than `requested`.
    error StakedOpenSlashExceedsBalance(address account, uint256 available, uint256 requested);
    /// @notice `cooldown` seconds lies outside [`min`, `max`].
    error StakedOpenCooldownOutOfBounds(uint256 cooldown, uint256 min, uint256 max);
    /// @notice A reward period of `period` seconds lies outside [`min`, `max`].
    error StakedOpenRewardPeriodOutOfBounds(uint256 period, uint256 min, uint256 max);
    /// @notice There is no whole wei of dust to sweep.
    error StakedOpenNoDust();
    /// @notice Votes at `timepoint` are not final yet: the clock reads `clock`.
    error StakedOpenFutureLookup(uint256 timepoint, uint256 clock);
    /// @notice There is no checkpoint `pos`: the account has `count`.
    error StakedOpenCheckpointOutOfRange(uint256 pos, uint256 count);

    /// @notice Stake `amount` OPEN-wei (approved beforehand) and receive as much gOPEN. Pausable by the guardian.
    /// @dev Votes follow the delegation of the account: delegate (to itself or another) to activate them.
    function stake(uint256 amount) external;

    /// @notice Stake `amount` OPEN-wei using an EIP-2612 permit signed by the caller for this contract.
    /// @dev A permit that fails (for example, front-run by someone who submitted it first) is ignored when the
    /// allowance already covers `amount`; otherwise the transfer reverts.
    /// @param deadline Unix time (seconds) after which the permit is invalid.
    function stakeWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;

    /// @notice Burn `amount` gOPEN now and queue as much OPEN for release after the cooldown. Never paused.
    /// @dev Votes and rewards on the amount stop at once. Adds to any queued withdrawal and restarts its cooldown:
    /// the whole queue is released at max(previous release time, now + cooldown), so shortening the cooldown
    /// never releases earlier what was queued before.
    function requestUnstake(uint256 amount) external;

    /// @notice Send the caller its whole queued withdrawal once its cooldown has passed. Never paused.
    /// @dev Reverts with StakedOpenCooldownActive before the release time and StakedOpenWithdrawalsFrozen while a
    /// pending slash freezes it.
    /// @return amount OPEN-wei sent.
    function withdraw() external returns (uint256 amount);

    /// @notice Send the caller's rewards (whole wei) to the caller. Never paused.
    /// @return amount OPEN-wei sent.
    function claimRewards() external returns (uint256 amount);

    /// @notice Send the caller's rewards (whole wei) to `recipient`. Never paused.
    /// @dev Refuses a recipient that could not spend it: zero, this contract or the OPEN token.
    /// @return amount OPEN-wei sent.
    function claimRewardsTo(address recipient) external returns (uint256 amount);

    /// @notice Add `amount` OPEN-wei of rewards, pulled from the caller (approve first). Anyone.
    /// @dev Queued for the next reward period, over which it streams at a constant rate: notifying never changes
    /// what the current period pays, so no position can be timed around it.
    function notifyReward(uint256 amount) external;

    /// @notice Take `amount` OPEN-wei from `account`, first from its stake then from its queued withdrawal,
    /// and send it to the treasury.
    /// @dev Governance only. Reverts with StakedOpenSlashExceedsBalance when `amount` exceeds both together.
    /// @param reason Free text recorded in the Slashed event (e.g. the oracle report that was falsified).
    function slash(address account, uint256 amount, string calldata reason) external;

    /// @notice Freeze `account`'s withdrawals until `until` (at most MAX_FREEZE from now; an earlier freeze is only
    /// ever extended). Governance, or a proposer of the timelock that owns this contract (the governor, which does it
    /// when a proposal to slash the account is created or queued).
    function freezeWithdrawals(address account, uint256 until) external;

    /// @notice Lift the freeze of `account`'s withdrawals. Governance only.
    function unfreezeWithdrawals(address account) external;

    /// @notice Send the whole wei of rounding dust to the treasury. Anyone may call it.
    /// @return amount OPEN-wei sent.
    function sweepDust() external returns (uint256 amount);

    /// @notice Set the unstaking cooldown. Governance only; bounded by MIN_COOLDOWN and MAX_COOLDOWN.
    /// @dev Applies to later requests; a queued withdrawal keeps the release time it was given.
    function setCooldown(uint256 newCooldown) external;

    /// @notice The staked token, OPEN.
    function stakingToken() external view returns (address);

    /// @notice The unstaking cooldown in seconds.
    function cooldown() external view returns (uint256);

    /// @notice Seconds of one reward period (fixed at deployment).
    function rewardPeriod() external view returns (uint256);

    /// @notice The reward period now streaming: its end (Unix time), its rate (OPEN-wei per second, 1e18-scaled),
    /// and the OPEN-wei notified during it, which will stream over the next one.
    function rewardStream() external view returns (uint256 periodEnd, uint256 ratePerSecond, uint256 queued);

    /// @notice OPEN-wei of rewards per gOPEN-wei since deployment, scaled by 1e18, as of now.
    function rewardPerToken() external view returns (uint256);

    /// @notice Whole OPEN-wei of rewards `account` can claim now.
    function earned(address account) external view returns (uint256);

    /// @notice Rewards `account` can claim, in OPEN-wei scaled by 1e18 (including the sub-wei remainder).
    function earnedScaled(address account) external view returns (uint256);

    /// @notice The OPEN `account` has queued for withdrawal, when it is released, and any freeze.
    function pendingWithdrawal(address account) external view returns (PendingWithdrawal memory);

    /// @notice Undistributed rounding dust in OPEN-wei scaled by 1e18, as of now.
    function dustScaled() external view returns (uint256);

    /// @notice The part of the stream not yet divisible by the supply, OPEN-wei scaled by 1e18, as of now (below the
    /// total stake): owed to stakers and shared at the next accrual. With it, gOPEN's balance is accounted exactly.
    function rewardCarryScaled() external view returns (uint256);

    /// @notice Number of vote checkpoints of `account`.
    function numCheckpoints(address account) external view returns (uint32);

    /// @notice The `pos`-th vote checkpoint of `account`.
    function checkpoints(address account, uint32 pos) external view returns (Checkpoint memory);
}
