// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IStakedOpen} from "../interfaces/IStakedOpen.sol";
import {WAD} from "../libraries/Constants.sol";

/// @title StakedOpen — gOPEN
/// @notice Stake OPEN 1:1 for non-transferable gOPEN: votes in ProtocolGovernor and a pro-rata share of the
/// stakers' part of every inference fee. See IStakedOpen for the rules.
/// @dev Reward accounting (Synthetix-style accumulator, push-notified instead of streamed):
///   rewardPerToken += amount × 1e18 / totalSupply        (rounded down; the remainder goes to dust)
///   earnedScaled(a) = stored(a) + balance(a) × (rewardPerToken − paid(a))   (exact, OPEN-wei × 1e18)
/// Every balance change (mint or burn; transfers are impossible) first settles the account, so
/// Σ earnedScaled + dust + claimed × 1e18 + swept × 1e18 == notified × 1e18 holds exactly.
/// Ownership is one-step (Ownable, not Ownable2Step): the deployment wires the inference router as the reward
/// notifier before handing ownership to the timelock, which a two-step transfer would leave pending until a vote.
/// Later transfers are themselves governance proposals, voted and timelocked.
contract StakedOpen is IStakedOpen, ERC20, ERC20Permit, ERC20Votes, Ownable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Shortest unstaking cooldown governance may set, in seconds.
    uint48 public constant MIN_COOLDOWN = 1 hours;
    /// @notice Longest unstaking cooldown governance may set, in seconds.
    uint48 public constant MAX_COOLDOWN = 90 days;

    /// @dev Settled rewards of one account.
    struct AccountRewards {
        // rewardPerToken when the account was last settled (1e18-scaled).
        uint256 rewardPerTokenPaid;
        // Rewards settled but not yet claimed, in OPEN-wei × 1e18.
        uint256 scaledRewards;
    }

    IERC20 private immutable _open;

    address private _treasury;
    uint48 private _cooldown;
    uint256 private _rewardPerToken;
    uint256 private _dustScaled;
    uint256 private _totalQueued;
    mapping(address account => AccountRewards) private _rewards;
    mapping(address account => PendingWithdrawal) private _pending;
    mapping(address notifier => bool) private _notifiers;

    modifier onlyRewardNotifier() {
        if (!_notifiers[msg.sender]) revert StakedOpenUnauthorizedNotifier(msg.sender);
        _;
    }

    /// @param open The OPEN token.
    /// @param governance Owner of every parameter: the ProtocolTimelock (or the deployer until the deployment has
    /// wired the reward notifier and transferred ownership to the timelock).
    /// @param initialTreasury Receives slashed stake, unassignable rewards and dust (the ProtocolTimelock).
    /// @param initialCooldown Unstaking cooldown in seconds (7 days on public networks).
    constructor(
        IERC20 open,
        address governance,
        address initialTreasury,
        uint48 initialCooldown
    ) ERC20("Staked Open", "gOPEN") ERC20Permit("Staked Open") Ownable(governance) {
        if (address(open) == address(0)) revert StakedOpenZeroAddress();
        _open = open;
        _setTreasury(initialTreasury);
        _setCooldown(initialCooldown);
    }

    // ----------------------------------------------------------------------------------------------
    // Staking
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IStakedOpen
    function stake(uint256 amount) external nonReentrant {
        _stake(msg.sender, amount);
    }

    /// @inheritdoc IStakedOpen
    function stakeWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external nonReentrant {
        // A permit can be front-run (submitted by someone else first); that must not block the stake when the
        // allowance is already in place, so a failed permit is ignored and the transfer decides.
        try IERC20Permit(address(_open)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        _stake(msg.sender, amount);
    }

    /// @inheritdoc IStakedOpen
    function requestUnstake(uint256 amount) external nonReentrant {
        if (amount == 0) revert StakedOpenZeroAmount();
        uint256 balance = balanceOf(msg.sender);
        if (balance < amount) revert StakedOpenInsufficientStake(msg.sender, balance, amount);

        _burn(msg.sender, amount);
        PendingWithdrawal memory pending = _pending[msg.sender];
        uint128 queued = pending.amount + SafeCast.toUint128(amount);
        // Restart the cooldown, but never release earlier what was queued before (the cooldown may have been
        // shortened since).
        uint48 releaseTime = uint48(block.timestamp) + _cooldown;
        if (pending.releaseTime > releaseTime) releaseTime = pending.releaseTime;
        _pending[msg.sender] = PendingWithdrawal({amount: queued, releaseTime: releaseTime});
        _totalQueued += amount;

        emit UnstakeRequested(msg.sender, amount, queued, releaseTime);
    }

    /// @inheritdoc IStakedOpen
    function withdraw() external nonReentrant returns (uint256 amount) {
        PendingWithdrawal memory pending = _pending[msg.sender];
        if (pending.amount == 0) revert StakedOpenNothingToWithdraw(msg.sender);
        if (block.timestamp < pending.releaseTime) revert StakedOpenCooldownActive(msg.sender, pending.releaseTime);

        amount = pending.amount;
        delete _pending[msg.sender];
        _totalQueued -= amount;

        emit Withdrawn(msg.sender, amount);
        _open.safeTransfer(msg.sender, amount);
    }

    // ----------------------------------------------------------------------------------------------
    // Rewards
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IStakedOpen
    function claimRewards() external nonReentrant returns (uint256 amount) {
        return _claimRewards(msg.sender, msg.sender);
    }

    /// @inheritdoc IStakedOpen
    function claimRewardsTo(address recipient) external nonReentrant returns (uint256 amount) {
        if (recipient == address(0)) revert StakedOpenZeroAddress();
        return _claimRewards(msg.sender, recipient);
    }

    /// @inheritdoc IStakedOpen
    function notifyReward(uint256 amount) external nonReentrant onlyRewardNotifier {
        if (amount == 0) revert StakedOpenZeroAmount();
        uint256 supply = totalSupply();
        if (supply == 0) {
            emit RewardForwardedToTreasury(msg.sender, amount);
            _open.safeTransferFrom(msg.sender, _treasury, amount);
            return;
        }

        uint256 scaled = amount * WAD;
        uint256 increment = scaled / supply;
        uint256 newRewardPerToken = _rewardPerToken + increment;
        _rewardPerToken = newRewardPerToken;
        // What the division drops is owed to nobody: keep it, exactly, as dust.
        _dustScaled += scaled - increment * supply;

        emit RewardNotified(msg.sender, amount, newRewardPerToken);
        _open.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IStakedOpen
    function sweepDust() external nonReentrant returns (uint256 amount) {
        uint256 dust = _dustScaled;
        amount = dust / WAD;
        if (amount == 0) revert StakedOpenNoDust();
        _dustScaled = dust - amount * WAD;

        address treasury_ = _treasury;
        emit DustSwept(treasury_, amount);
        _open.safeTransfer(treasury_, amount);
    }

    // ----------------------------------------------------------------------------------------------
    // Governance
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IStakedOpen
    function slash(address account, uint256 amount, string calldata reason) external nonReentrant onlyOwner {
        if (amount == 0) revert StakedOpenZeroAmount();
        uint256 staked = balanceOf(account);
        PendingWithdrawal memory pending = _pending[account];
        uint256 available = staked + pending.amount;
        if (amount > available) revert StakedOpenSlashExceedsBalance(account, available, amount);

        uint256 fromStake = amount < staked ? amount : staked;
        uint256 fromQueued = amount - fromStake;
        if (fromStake != 0) _burn(account, fromStake);
        if (fromQueued != 0) {
            // fromQueued ≤ pending.amount, a uint128, by the check above. An emptied queue is deleted, so its
            // release time cannot delay a later request.
            if (fromQueued == pending.amount) delete _pending[account];
            else _pending[account].amount = pending.amount - uint128(fromQueued);
            _totalQueued -= fromQueued;
        }

        address treasury_ = _treasury;
        emit Slashed(account, fromStake, fromQueued, reason);
        _open.safeTransfer(treasury_, amount);
    }

    /// @inheritdoc IStakedOpen
    function setCooldown(uint48 newCooldown) external onlyOwner {
        _setCooldown(newCooldown);
    }

    /// @inheritdoc IStakedOpen
    function setTreasury(address newTreasury) external onlyOwner {
        _setTreasury(newTreasury);
    }

    /// @inheritdoc IStakedOpen
    function setRewardNotifier(address notifier, bool allowed) external onlyOwner {
        if (notifier == address(0)) revert StakedOpenZeroAddress();
        _notifiers[notifier] = allowed;
        emit RewardNotifierUpdated(notifier, allowed);
    }

    /// @notice Disabled: gOPEN cannot be transferred, so it cannot be spent by others either.
    function transferFrom(address, address, uint256) public pure override returns (bool) {
        revert StakedOpenNonTransferable();
    }

    /// @notice Disabled: gOPEN has no allowances.
    function approve(address, uint256) public pure override returns (bool) {
        revert StakedOpenNonTransferable();
    }

    /// @notice Disabled: gOPEN has no allowances. (Its EIP-712 domain still serves `delegateBySig`.)
    function permit(address, address, uint256, uint256, uint8, bytes32, bytes32) public pure override {
        revert StakedOpenNonTransferable();
    }

    /// @notice Disabled: the protocol's parameters must always have an owner.
    function renounceOwnership() public view override onlyOwner {
        revert StakedOpenRenounceDisabled();
    }

    // ----------------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IStakedOpen
    function stakingToken() external view returns (address) {
        return address(_open);
    }

    /// @inheritdoc IStakedOpen
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc IStakedOpen
    function cooldown() external view returns (uint48) {
        return _cooldown;
    }

    /// @inheritdoc IStakedOpen
    function isRewardNotifier(address notifier) external view returns (bool) {
        return _notifiers[notifier];
    }

    /// @inheritdoc IStakedOpen
    function rewardPerToken() external view returns (uint256) {
        return _rewardPerToken;
    }

    /// @inheritdoc IStakedOpen
    function earned(address account) external view returns (uint256) {
        return _earnedScaled(account) / WAD;
    }

    /// @inheritdoc IStakedOpen
    function earnedScaled(address account) external view returns (uint256) {
        return _earnedScaled(account);
    }

    /// @inheritdoc IStakedOpen
    function pendingWithdrawal(address account) external view returns (PendingWithdrawal memory) {
        return _pending[account];
    }

    /// @inheritdoc IStakedOpen
    function totalQueued() external view returns (uint256) {
        return _totalQueued;
    }

    /// @inheritdoc IStakedOpen
    function dustScaled() external view returns (uint256) {
        return _dustScaled;
    }

    /// @notice ERC-6372: votes are checkpointed by Unix time in seconds.
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice ERC-6372: the clock is a timestamp.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @inheritdoc ERC20Permit
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    // ----------------------------------------------------------------------------------------------
    // Internal
    // ----------------------------------------------------------------------------------------------

    function _stake(address account, uint256 amount) internal {
        if (amount == 0) revert StakedOpenZeroAmount();
        _mint(account, amount);
        emit Staked(account, amount);
        _open.safeTransferFrom(account, address(this), amount);
    }

    function _claimRewards(address account, address recipient) internal returns (uint256 amount) {
        _settle(account);
        AccountRewards storage rewards = _rewards[account];
        uint256 scaled = rewards.scaledRewards;
        amount = scaled / WAD;
        if (amount == 0) revert StakedOpenNothingToClaim(account);
        // The sub-wei remainder stays with the account and keeps growing with later rewards.
        rewards.scaledRewards = scaled - amount * WAD;

        emit RewardClaimed(account, recipient, amount);
        _open.safeTransfer(recipient, amount);
    }

    /// @dev Credits `account` with its rewards up to the current accumulator. Must run before its balance changes.
    function _settle(address account) internal {
        uint256 current = _rewardPerToken;
        AccountRewards storage rewards = _rewards[account];
        uint256 paid = rewards.rewardPerTokenPaid;
        if (paid == current) return;
        uint256 balance = balanceOf(account);
        if (balance != 0) rewards.scaledRewards += balance * (current - paid);
        rewards.rewardPerTokenPaid = current;
    }

    function _earnedScaled(address account) internal view returns (uint256) {
        AccountRewards storage rewards = _rewards[account];
        return rewards.scaledRewards + balanceOf(account) * (_rewardPerToken - rewards.rewardPerTokenPaid);
    }

    function _setCooldown(uint48 newCooldown) internal {
        if (newCooldown < MIN_COOLDOWN || newCooldown > MAX_COOLDOWN) {
            revert StakedOpenCooldownOutOfBounds(newCooldown, MIN_COOLDOWN, MAX_COOLDOWN);
        }
        emit CooldownUpdated(_cooldown, newCooldown);
        _cooldown = newCooldown;
    }

    function _setTreasury(address newTreasury) internal {
        if (newTreasury == address(0)) revert StakedOpenZeroAddress();
        emit TreasuryUpdated(_treasury, newTreasury);
        _treasury = newTreasury;
    }

    /// @dev gOPEN only moves by minting (stake) and burning (unstake, slash); the account's rewards are settled
    /// before its balance changes.
    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        if (from != address(0) && to != address(0)) revert StakedOpenNonTransferable();
        _settle(from == address(0) ? to : from);
        super._update(from, to, value);
    }
}
