// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {ProtocolAdmin} from "../admin/ProtocolAdmin.sol";
import {IStakedOpen} from "../interfaces/IStakedOpen.sol";
import {WAD} from "../libraries/Constants.sol";
import {VoteHistory} from "../libraries/VoteHistory.sol";

/// @title StakedOpen — gOPEN
/// @notice Stake OPEN 1:1 for non-transferable gOPEN: votes in ProtocolGovernor and a time-weighted share of the
/// stakers' part of every inference fee. See IStakedOpen for the rules.
/// @dev Votes: the semantics of OpenZeppelin's ERC20Votes (delegation, checkpoints, ERC-5805/6372 on a timestamp
/// clock), with gOPEN's own storage, since gOPEN only mints and burns. Each account's balance shares one slot with
/// the latest checkpoint of the votes delegated to it, and earlier checkpoints are packed two per slot
/// (VoteHistory); the total supply is kept the same way. The test suite checks every vote query against
/// OpenZeppelin's ERC20Votes driven through the same operations.
/// Rewards (Synthetix StakingRewards accumulator, fed by reward periods):
///   streamed over [t0, t1) = ratePerSecond × (t1 − t0)                          (OPEN-wei × 1e18)
///   rewardPerToken += (streamed + carry) / totalSupply; carry = the remainder   (exact: nothing is rounded away)
///   earnedScaled(a) = stored(a) + balance(a) × (rewardPerToken − paid(a))       (OPEN-wei × 1e18)
/// Every balance change first accrues the stream and settles the account, so
///   Σ earnedScaled + carry + dustScaled + (claimed + swept) × 1e18 == streamed so far + period remainders
/// holds exactly, and streamed so far + what is still to stream == notified × 1e18.
contract StakedOpen is IStakedOpen, ProtocolAdmin, EIP712, Nonces, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using VoteHistory for mapping(uint256 => uint256);

    /// @notice Shortest unstaking cooldown governance may set, in seconds.
    uint256 public constant MIN_COOLDOWN = 1 hours;
    /// @notice Longest unstaking cooldown governance may set, in seconds.
    uint256 public constant MAX_COOLDOWN = 90 days;
    /// @notice Shortest and longest reward period a deployment may choose, in seconds.
    uint256 public constant MIN_REWARD_PERIOD = 1 hours;
    uint256 public constant MAX_REWARD_PERIOD = 30 days;
    /// @notice Longest a freeze of withdrawals may reach past the moment it is placed, in seconds.
    uint256 public constant MAX_FREEZE = 60 days;

    bytes32 private constant _DELEGATION_TYPEHASH = keccak256(
        "Delegation(address delegatee,uint256 nonce,uint256 expiry)"
    );
    /// @dev TimelockController's proposer role: held by the governor.
    bytes32 private constant _PROPOSER_ROLE = keccak256("PROPOSER_ROLE");

    /// @notice Below this total stake (1 gOPEN) the reward stream is not shared but goes to the treasury as dust: with
    /// at least 1e18 gOPEN-wei staked, rewardPerToken grows by at most one per OPEN-wei streamed, which bounds it.
    uint256 public constant MIN_REWARDED_SUPPLY = 1e18;

    // An account word (uint256) holds the account's gOPEN balance and the latest checkpoint of the votes delegated to
    // it, so a self-delegated stake or unstake reads and writes one slot:
    //   bits   0..95   balance        gOPEN-wei
    //   bits  96..191  votes          latest checkpoint value
    //   bits 192..223  votesKey       latest checkpoint key (seconds since _CLOCK_BASE; 0: none yet)
    //   bits 224..254  historyLength  checkpoints before the latest, in _voteHistory
    //   bit  255       selfDelegated  the account delegates to itself (then _delegatees need not be read)
    uint256 private constant _U96 = (1 << 96) - 1;
    uint256 private constant _U32 = (1 << 32) - 1;
    uint256 private constant _U31 = (1 << 31) - 1;
    uint256 private constant _VOTES_SHIFT = 96;
    uint256 private constant _KEY_SHIFT = 192;
    uint256 private constant _LENGTH_SHIFT = 224;
    uint256 private constant _SELF_BIT = 1 << 255;

    // A reward word (uint256) holds an account's settled rewards:
    //   bits   0..99   paid      rewardPerToken at the last settlement, mod 2^100
    //   bits 100..195  earned    whole OPEN-wei
    //   bits 196..255  subWei    the remainder, OPEN-wei × 1e18 (< 1e18 < 2^60)
    // `paid` wraps: rewardPerToken − paid is exact as long as an account is settled before 2^100 (≈ 1.27e30) units of
    // rewardPerToken accrue, i.e. before 1.27 trillion OPEN — 1,270 times the supply — has streamed past it.
    uint256 private constant _U100 = (1 << 100) - 1;
    uint256 private constant _EARNED_SHIFT = 100;
    uint256 private constant _SUBWEI_SHIFT = 196;

    /// @dev The total supply, its latest checkpoint key and history length, and the part of the reward stream not
    /// yet divisible by the supply (`carry` < total, OPEN-wei × 1e18), all written when the supply changes.
    struct Supply {
        uint96 total;
        uint32 key;
        uint32 historyLength;
        uint96 carry;
    }

    /// @dev The reward index, written at every accrual; times are seconds since _CLOCK_BASE. rewardPerToken ≤ the
    /// OPEN-wei ever streamed (see MIN_REWARDED_SUPPLY) < 2^160. The cooldown rides along because unstaking reads
    /// both.
    struct RewardIndex {
        uint160 rewardPerToken;
        uint32 lastUpdate;
        uint32 periodEnd;
        uint32 cooldown;
    }

    /// @dev The current period's rate (OPEN-wei × 1e18 per second) and what was notified during it.
    struct Stream {
        uint160 rate;
        uint96 queued;
    }

    /// @dev The reward state at the current block, derived from storage (see _rewardState). Times are Unix times.
    struct RewardState {
        bool changed;
        bool newPeriod;
        uint256 rewardPerToken;
        uint256 lastUpdate;
        uint256 periodEnd;
        uint256 cooldown;
        uint256 carry;
        uint256 rate;
        uint256 queued;
        uint256 dust;
        uint256 newPeriodStart;
        uint256 newPeriodAmount;
        uint256 newPeriodRate;
    }

    IERC20 private immutable _open;
    uint256 private immutable _REWARD_PERIOD;
    /// @dev One second before deployment: keys and reward times are seconds since it, so every key is at least 1.
    uint256 private immutable _CLOCK_BASE;

    mapping(address account => uint256 word) private _accounts;
    mapping(address account => address) private _delegatees;
    mapping(address delegatee => mapping(uint256 word => uint256)) private _voteHistory;
    Supply private _supply;
    mapping(uint256 word => uint256) private _supplyHistory;

    RewardIndex private _rewardIndex;
    Stream private _stream;
    uint256 private _dustScaled;
    mapping(address account => uint256 word) private _rewards;
    mapping(address account => PendingWithdrawal) private _pending;

    /// @param open The OPEN token.
    /// @param admin Governance (the ProtocolTimelock), the treasury that receives slashed stake and dust (the
    /// timelock) and the guardian that may pause new stakes.
    /// @param initialCooldown Unstaking cooldown in seconds (7 days on public networks).
    /// @param rewardPeriod_ Seconds over which each period's notified rewards stream (e.g. 1 day), fixed.
    constructor(
        IERC20 open,
        AdminConfig memory admin,
        uint256 initialCooldown,
        uint256 rewardPeriod_
    ) ProtocolAdmin(admin) EIP712("Staked Open", "1") {
        if (address(open) == address(0)) revert StakedOpenZeroAddress();
        if (rewardPeriod_ < MIN_REWARD_PERIOD || rewardPeriod_ > MAX_REWARD_PERIOD) {
            revert StakedOpenRewardPeriodOutOfBounds(rewardPeriod_, MIN_REWARD_PERIOD, MAX_REWARD_PERIOD);
        }
        _open = open;
        _REWARD_PERIOD = rewardPeriod_;
        _CLOCK_BASE = block.timestamp - 1;
        _rewardIndex.lastUpdate = 1;
        _rewardIndex.periodEnd = uint32(1 + rewardPeriod_);
        _setCooldown(initialCooldown);
    }

    // ----------------------------------------------------------------------------------------------
    // Staking
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IStakedOpen
    function stake(uint256 amount) external nonReentrant whenNotPaused {
        _stake(amount);
    }

    /// @inheritdoc IStakedOpen
    function stakeWithPermit(
        uint256 amount,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant whenNotPaused {
        // A permit can be front-run (submitted by someone else first); that must not block the stake when the
        // allowance is already in place, so a failed permit is ignored and the transfer decides.
        try IERC20Permit(address(_open)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        _stake(amount);
    }

    /// @inheritdoc IStakedOpen
    /// @dev Makes no external call, so it needs no reentrancy guard.
    function requestUnstake(uint256 amount) external {
        if (amount == 0) revert StakedOpenZeroAmount();
        (uint256 rewardPerToken_, uint256 cooldown_) = _accrue();
        uint256 balance = _accounts[msg.sender] & _U96;
        if (balance < amount) revert StakedOpenInsufficientStake(msg.sender, balance, amount);

        _burn(msg.sender, amount, rewardPerToken_);
        PendingWithdrawal memory pending = _pending[msg.sender];
        // Queued OPEN stays in this contract, so the queue is below the OPEN supply (< 2^96).
        uint256 queued = pending.amount + amount;
        // Restart the cooldown, but never release earlier what was queued before (the cooldown may have been
        // shortened since).
        uint256 releaseTime = block.timestamp + cooldown_;
        if (pending.releaseTime > releaseTime) releaseTime = pending.releaseTime;
        _pending[msg.sender] = PendingWithdrawal({
            amount: SafeCast.toUint96(queued),
            releaseTime: uint40(releaseTime),
            frozenUntil: pending.frozenUntil
        });

        emit UnstakeRequested(msg.sender, amount, queued, releaseTime);
    }

    /// @inheritdoc IStakedOpen
    function withdraw() external nonReentrant returns (uint256 amount) {
        PendingWithdrawal memory pending = _pending[msg.sender];
        if (pending.amount == 0) revert StakedOpenNothingToWithdraw(msg.sender);
        if (block.timestamp < pending.releaseTime) revert StakedOpenCooldownActive(msg.sender, pending.releaseTime);
        if (block.timestamp < pending.frozenUntil) revert StakedOpenWithdrawalsFrozen(msg.sender, pending.frozenUntil);

        amount = pending.amount;
        delete _pending[msg.sender];

        emit Withdrawn(msg.sender, amount);
        _open.safeTransfer(msg.sender, amount);
    }

    // ----------------------------------------------------------------------------------------------
    // Votes
    // ----------------------------------------------------------------------------------------------

    /// @notice Delegate the caller's votes to `delegatee` (itself to vote directly).
    function delegate(address delegatee) external {
        _delegate(msg.sender, delegatee);
    }

    /// @notice Delegate the signer's votes to `delegatee` with an EIP-712 `Delegation` signature (ERC-5805).
    function delegateBySig(address delegatee, uint256 nonce, uint256 expiry, uint8 v, bytes32 r, bytes32 s) external {
        if (block.timestamp > expiry) revert VotesExpiredSignature(expiry);
        address signer = ECDSA.recover(
            _hashTypedDataV4(keccak256(abi.encode(_DELEGATION_TYPEHASH, delegatee, nonce, expiry))),
            v,
            r,
            s
        );
        _useCheckedNonce(signer, nonce);
        _delegate(signer, delegatee);
    }

    // ----------------------------------------------------------------------------------------------
    // Rewards
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IStakedOpen
    function claimRewards() external nonReentrant returns (uint256 amount) {
        return _claimRewards(msg.sender);
    }

    /// @inheritdoc IStakedOpen
    function claimRewardsTo(address recipient) external nonReentrant returns (uint256 amount) {
        _checkRecipient(recipient, address(_open));
        return _claimRewards(recipient);
    }

    /// @inheritdoc IStakedOpen
    function notifyReward(uint256 amount) external nonReentrant {
        if (amount == 0) revert StakedOpenZeroAmount();
        _accrue();
        _stream.queued = SafeCast.toUint96(uint256(_stream.queued) + amount);
        uint256 periodEnd = _CLOCK_BASE + _rewardIndex.periodEnd;
        emit RewardNotified(msg.sender, amount, periodEnd, periodEnd + _REWARD_PERIOD);
        _open.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IStakedOpen
    function sweepDust() external nonReentrant returns (uint256 amount) {
        _accrue();
        uint256 dust = _dustScaled;
        amount = dust / WAD;
        if (amount == 0) revert StakedOpenNoDust();
        _dustScaled = dust - amount * WAD;

        address treasury_ = treasury();
        emit DustSwept(treasury_, amount);
        _open.safeTransfer(treasury_, amount);
    }

    // ----------------------------------------------------------------------------------------------
    // Governance
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IStakedOpen
    function slash(address account, uint256 amount, string calldata reason) external nonReentrant onlyOwner {
        if (amount == 0) revert StakedOpenZeroAmount();
        (uint256 rewardPerToken_, ) = _accrue();
        uint256 staked = _accounts[account] & _U96;
        PendingWithdrawal memory pending = _pending[account];
        uint256 available = staked + pending.amount;
        if (amount > available) revert StakedOpenSlashExceedsBalance(account, available, amount);

        uint256 fromStake = amount < staked ? amount : staked;
        uint256 fromQueued = amount - fromStake;
        if (fromStake != 0) _burn(account, fromStake, rewardPerToken_);
        if (fromQueued != 0) {
            // fromQueued ≤ pending.amount, a uint96, by the check above. An emptied queue loses its release time,
            // so it cannot delay a later request; a freeze stays in force.
            pending.amount -= uint96(fromQueued);
            if (pending.amount == 0) pending.releaseTime = 0;
            _pending[account] = pending;
        }

        address treasury_ = treasury();
        emit Slashed(account, fromStake, fromQueued, reason);
        _open.safeTransfer(treasury_, amount);
    }

    /// @inheritdoc IStakedOpen
    function freezeWithdrawals(address account, uint256 until) external {
        if (msg.sender != owner() && !_isTimelockProposer(msg.sender)) revert StakedOpenNotFreezer(msg.sender);
        uint256 latest = block.timestamp + MAX_FREEZE;
        if (until > latest) until = latest;
        PendingWithdrawal storage pending = _pending[account];
        if (until <= pending.frozenUntil) return;
        pending.frozenUntil = uint40(until);
        emit WithdrawalsFrozen(account, until, msg.sender);
    }

    /// @inheritdoc IStakedOpen
    function unfreezeWithdrawals(address account) external onlyOwner {
        _pending[account].frozenUntil = 0;
        emit WithdrawalsUnfrozen(account);
    }

    /// @inheritdoc IStakedOpen
    function setCooldown(uint256 newCooldown) external onlyOwner {
        _setCooldown(newCooldown);
    }

    /// @notice Disabled: gOPEN cannot be transferred.
    function transfer(address, uint256) external pure returns (bool) {
        revert StakedOpenNonTransferable();
    }

    /// @notice Disabled: gOPEN cannot be transferred, so it cannot be spent by others either.
    function transferFrom(address, address, uint256) external pure returns (bool) {
        revert StakedOpenNonTransferable();
    }

    /// @notice Disabled: gOPEN has no allowances.
    function approve(address, uint256) external pure returns (bool) {
        revert StakedOpenNonTransferable();
    }

    // ----------------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------------

    /// @notice "Staked Open".
    function name() external pure returns (string memory) {
        return "Staked Open";
    }

    /// @notice "gOPEN".
    function symbol() external pure returns (string memory) {
        return "gOPEN";
    }

    /// @notice 18, as OPEN.
    function decimals() external pure returns (uint8) {
        return 18;
    }

    /// @notice gOPEN-wei staked by everyone (== OPEN-wei staked).
    function totalSupply() external view returns (uint256) {
        return _supply.total;
    }

    /// @notice gOPEN-wei staked by `account`.
    function balanceOf(address account) external view returns (uint256) {
        return _accounts[account] & _U96;
    }

    /// @notice Always 0: gOPEN has no allowances.
    function allowance(address, address) external pure returns (uint256) {
        return 0;
    }

    /// @inheritdoc IStakedOpen
    function stakingToken() external view returns (address) {
        return address(_open);
    }

    /// @inheritdoc IStakedOpen
    function cooldown() external view returns (uint256) {
        return _rewardIndex.cooldown;
    }

    /// @inheritdoc IStakedOpen
    function rewardPeriod() external view returns (uint256) {
        return _REWARD_PERIOD;
    }

    /// @inheritdoc IStakedOpen
    function rewardStream() external view returns (uint256 periodEnd, uint256 ratePerSecond, uint256 queued) {
        RewardState memory state = _rewardState();
        return (state.periodEnd, state.rate, state.queued);
    }

    /// @inheritdoc IStakedOpen
    function rewardPerToken() external view returns (uint256) {
        return _rewardState().rewardPerToken;
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
    function dustScaled() external view returns (uint256) {
        return _dustScaled + _rewardState().dust;
    }

    /// @inheritdoc IStakedOpen
    function rewardCarryScaled() external view returns (uint256) {
        RewardState memory state = _rewardState();
        return state.changed ? state.carry : _supply.carry;
    }

    /// @notice Votes delegated to `account` now.
    function getVotes(address account) external view returns (uint256) {
        return (_accounts[account] >> _VOTES_SHIFT) & _U96;
    }

    /// @notice Votes delegated to `account` at the end of `timepoint` (a past Unix time).
    function getPastVotes(address account, uint256 timepoint) external view returns (uint256) {
        uint32 key = _pastKey(timepoint);
        if (key == 0) return 0;
        uint256 word = _accounts[account];
        uint256 votesKey = (word >> _KEY_SHIFT) & _U32;
        if (votesKey != 0 && votesKey <= key) return (word >> _VOTES_SHIFT) & _U96;
        return _voteHistory[account].upperLookup((word >> _LENGTH_SHIFT) & _U31, key);
    }

    /// @notice The gOPEN supply at the end of `timepoint` (a past Unix time).
    function getPastTotalSupply(uint256 timepoint) external view returns (uint256) {
        uint32 key = _pastKey(timepoint);
        if (key == 0) return 0;
        Supply memory s = _supply;
        if (s.key != 0 && s.key <= key) return s.total;
        return _supplyHistory.upperLookup(s.historyLength, key);
    }

    /// @notice The account `account` delegates its votes to (zero: none yet).
    function delegates(address account) external view returns (address) {
        return _delegatees[account];
    }

    /// @inheritdoc IStakedOpen
    function numCheckpoints(address account) external view returns (uint32) {
        uint256 word = _accounts[account];
        if ((word >> _KEY_SHIFT) & _U32 == 0) return 0;
        return uint32(((word >> _LENGTH_SHIFT) & _U31) + 1);
    }

    /// @inheritdoc IStakedOpen
    function checkpoints(address account, uint32 pos) external view returns (Checkpoint memory) {
        uint256 word = _accounts[account];
        uint256 votesKey = (word >> _KEY_SHIFT) & _U32;
        uint256 length = (word >> _LENGTH_SHIFT) & _U31;
        uint256 key;
        uint256 value;
        if (pos < length) (key, value) = _voteHistory[account].at(pos);
        else if (pos == length && votesKey != 0) (key, value) = (votesKey, (word >> _VOTES_SHIFT) & _U96);
        else revert StakedOpenCheckpointOutOfRange(pos, votesKey == 0 ? 0 : length + 1);
        return Checkpoint({key: uint48(_CLOCK_BASE + key), value: uint208(value)});
    }

    /// @notice ERC-6372: votes are checkpointed by Unix time in seconds.
    function clock() public view returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice ERC-6372: the clock is a timestamp.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external pure returns (string memory) {
        return "mode=timestamp";
    }

    // ----------------------------------------------------------------------------------------------
    // Internal: balances and votes
    // ----------------------------------------------------------------------------------------------

    function _stake(uint256 amount) private {
        if (amount == 0) revert StakedOpenZeroAmount();
        (uint256 rewardPerToken_, ) = _accrue();
        _mint(msg.sender, amount, rewardPerToken_);
        emit Staked(msg.sender, amount);
        _open.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @dev Mints `amount` gOPEN to `account` (rewards settled first) and moves as many votes to its delegate.
    function _mint(address account, uint256 amount, uint256 rewardPerToken_) private {
        uint256 word = _accounts[account];
        uint256 balance = word & _U96;
        _settleRewards(account, balance, rewardPerToken_);
        if (balance + amount > _U96) revert StakedOpenAmountTooLarge(amount);
        word += amount; // the balance field, checked not to overflow into the votes
        _changeSupply(amount, true);
        if (word & _SELF_BIT != 0) {
            _accounts[account] = _checkpointVotes(account, word, ((word >> _VOTES_SHIFT) & _U96) + amount);
        } else {
            _accounts[account] = word;
            address delegatee = _delegatees[account];
            if (delegatee != address(0)) _addVotes(delegatee, amount, true);
        }
        emit Transfer(address(0), account, amount);
    }

    /// @dev Burns `amount` gOPEN of `account` (at most its balance; rewards settled first) and the votes with it.
    function _burn(address account, uint256 amount, uint256 rewardPerToken_) private {
        uint256 word = _accounts[account];
        _settleRewards(account, word & _U96, rewardPerToken_);
        word -= amount; // amount ≤ balance, checked by the callers: the balance field does not borrow
        _changeSupply(amount, false);
        if (word & _SELF_BIT != 0) {
            _accounts[account] = _checkpointVotes(account, word, ((word >> _VOTES_SHIFT) & _U96) - amount);
        } else {
            _accounts[account] = word;
            address delegatee = _delegatees[account];
            if (delegatee != address(0)) _addVotes(delegatee, amount, false);
        }
        emit Transfer(account, address(0), amount);
    }

    function _delegate(address account, address delegatee) private {
        address previous = _delegatees[account];
        _delegatees[account] = delegatee;
        uint256 word = _accounts[account];
        uint256 flagged = delegatee == account ? word | _SELF_BIT : word & ~_SELF_BIT;
        if (flagged != word) _accounts[account] = flagged;
        emit DelegateChanged(account, previous, delegatee);
        uint256 units = word & _U96;
        if (previous == delegatee || units == 0) return;
        if (previous != address(0)) _addVotes(previous, units, false);
        if (delegatee != address(0)) _addVotes(delegatee, units, true);
    }

    /// @dev Adds (or removes) `amount` votes to `delegatee`'s latest checkpoint.
    function _addVotes(address delegatee, uint256 amount, bool add) private {
        uint256 word = _accounts[delegatee];
        uint256 votes = (word >> _VOTES_SHIFT) & _U96;
        // Votes are a sum of balances, so they fit uint96 like the supply; a removal never exceeds what was added.
        _accounts[delegatee] = _checkpointVotes(delegatee, word, add ? votes + amount : votes - amount);
    }

    /// @dev `word` with `newVotes` recorded as `delegatee`'s votes now: the latest checkpoint is updated in place when
    /// it is of this second, otherwise it moves into the history and a new one starts.
    function _checkpointVotes(address delegatee, uint256 word, uint256 newVotes) private returns (uint256) {
        uint256 key = _currentKey();
        uint256 votesKey = (word >> _KEY_SHIFT) & _U32;
        uint256 oldVotes = (word >> _VOTES_SHIFT) & _U96;
        if (votesKey != key) {
            if (votesKey != 0) {
                uint256 length = _voteHistory[delegatee].push(
                    (word >> _LENGTH_SHIFT) & _U31,
                    uint32(votesKey),
                    uint96(oldVotes)
                );
                // At most one checkpoint per second and trace: 2^31 of them take 68 years of a change every second.
                if (length > _U31) revert StakedOpenAmountTooLarge(length);
                word = (word & ~(_U31 << _LENGTH_SHIFT)) | (length << _LENGTH_SHIFT);
            }
            word = (word & ~(_U32 << _KEY_SHIFT)) | (key << _KEY_SHIFT);
        }
        emit DelegateVotesChanged(delegatee, oldVotes, newVotes);
        return (word & ~(_U96 << _VOTES_SHIFT)) | (newVotes << _VOTES_SHIFT);
    }

    /// @dev Adds `amount` to (or removes it from) the total supply, checkpointed like votes.
    function _changeSupply(uint256 amount, bool add) private {
        Supply memory s = _supply;
        uint256 total = add ? uint256(s.total) + amount : uint256(s.total) - amount;
        if (total > _U96) revert StakedOpenAmountTooLarge(amount);
        uint32 key = _currentKey();
        if (s.key != key) {
            if (s.key != 0) s.historyLength = uint32(_supplyHistory.push(s.historyLength, s.key, s.total));
            s.key = key;
        }
        s.total = uint96(total);
        _supply = s;
    }

    /// @dev Seconds since _CLOCK_BASE now.
    function _currentKey() private view returns (uint32) {
        return SafeCast.toUint32(block.timestamp - _CLOCK_BASE);
    }

    /// @dev The checkpoint key of past `timepoint` (0 before deployment); reverts for the present or the future.
    function _pastKey(uint256 timepoint) private view returns (uint32) {
        if (timepoint >= block.timestamp) revert StakedOpenFutureLookup(timepoint, block.timestamp);
        if (timepoint <= _CLOCK_BASE) return 0;
        return uint32(timepoint - _CLOCK_BASE); // < block.timestamp - _CLOCK_BASE, which _currentKey bounds
    }

    // ----------------------------------------------------------------------------------------------
    // Internal: rewards
    // ----------------------------------------------------------------------------------------------

    /// @dev Brings the reward stream up to now; returns rewardPerToken and the cooldown (read with it). Must run
    /// before any balance changes.
    function _accrue() private returns (uint256, uint256) {
        RewardState memory state = _rewardState();
        if (!state.changed) return (state.rewardPerToken, state.cooldown);
        uint256 base = _CLOCK_BASE;
        // rewardPerToken < 2^160 (see RewardIndex); times are below 2^32 since _CLOCK_BASE (_currentKey checks).
        _rewardIndex = RewardIndex({
            rewardPerToken: uint160(state.rewardPerToken),
            lastUpdate: _currentKey(),
            periodEnd: uint32(state.periodEnd - base),
            cooldown: uint32(state.cooldown)
        });
        _supply.carry = uint96(state.carry); // < totalSupply < 2^96
        if (state.newPeriod) {
            // rate ≤ queued × 1e18 / MIN_REWARD_PERIOD < 2^96 × 2^60 / 2^11 < 2^160.
            _stream = Stream({rate: uint160(state.rate), queued: 0});
            emit RewardPeriodStarted(
                state.newPeriodStart,
                state.newPeriodStart + _REWARD_PERIOD,
                state.newPeriodAmount,
                state.newPeriodRate
            );
        }
        if (state.dust != 0) _dustScaled += state.dust;
        return (state.rewardPerToken, state.cooldown);
    }

    /// @dev The reward state now, from storage: what streamed since the last accrual is divided by the supply (the
    /// remainder carried), and a period that ended starts the next one at the rate of what was queued during it.
    /// The supply was constant since the last accrual (every change accrues first).
    function _rewardState() private view returns (RewardState memory state) {
        RewardIndex memory index = _rewardIndex;
        uint256 base = _CLOCK_BASE;
        state.rewardPerToken = index.rewardPerToken;
        state.lastUpdate = base + index.lastUpdate;
        state.periodEnd = base + index.periodEnd;
        state.cooldown = index.cooldown;
        Stream memory stream = _stream;
        state.rate = stream.rate;
        state.queued = stream.queued;
        uint256 now_ = block.timestamp;
        if (now_ == state.lastUpdate) return state;
        state.changed = true;

        uint256 streamed = now_ < state.periodEnd ? state.rate * (now_ - state.lastUpdate) : _rollOver(state, now_);

        Supply memory supply = _supply;
        uint256 distributable = streamed + supply.carry;
        if (supply.total < MIN_REWARDED_SUPPLY) {
            // (Almost) nobody staked: the stream goes to the treasury as dust.
            state.dust += distributable;
        } else {
            uint256 increment = distributable / supply.total;
            state.rewardPerToken += increment;
            state.carry = distributable - increment * supply.total;
        }
        state.lastUpdate = now_;
    }

    /// @dev `state`'s period ended by `now_`: returns what streamed from the last accrual to now, and starts the next
    /// period in `state`, which streams what was notified during the one that ended; the remainder of that division
    /// is dust. No notification happened after the end, since notifying accrues first.
    function _rollOver(RewardState memory state, uint256 now_) private view returns (uint256 streamed) {
        uint256 period = _REWARD_PERIOD;
        streamed = state.rate * (state.periodEnd - state.lastUpdate);
        uint256 total = state.queued * WAD;
        uint256 rate = total / period;
        state.dust = total - rate * period;
        state.newPeriod = true;
        state.newPeriodStart = state.periodEnd;
        state.newPeriodAmount = state.queued;
        // The rate the new period streams at, even when it has ended too (then state.rate is 0 from its end on).
        state.newPeriodRate = rate;
        state.queued = 0;
        uint256 nextEnd = state.periodEnd + period;
        if (now_ < nextEnd) {
            streamed += rate * (now_ - state.periodEnd);
            state.rate = rate;
            state.periodEnd = nextEnd;
        } else {
            // That period ended too, and the ones after it had nothing queued: nothing streams until the period
            // containing now ends.
            streamed += rate * period;
            state.rate = 0;
            state.periodEnd = nextEnd + ((now_ - nextEnd) / period + 1) * period;
        }
    }

    /// @dev Credits `account` (holding `balance`) with its rewards up to `rewardPerToken_`. Runs before its balance
    /// changes.
    function _settleRewards(address account, uint256 balance, uint256 rewardPerToken_) private {
        uint256 word = _rewards[account];
        uint256 paid = word & _U100;
        uint256 current = rewardPerToken_ & _U100;
        if (paid == current) return;
        uint256 earnedWei = (word >> _EARNED_SHIFT) & _U96;
        uint256 subWei = word >> _SUBWEI_SHIFT;
        if (balance != 0) {
            // Wrapping difference (see the reward word); balance × delta < 2^96 × 2^100.
            uint256 delta;
            unchecked {
                delta = (current - paid) & _U100;
            }
            uint256 total = subWei + balance * delta;
            earnedWei += total / WAD;
            if (earnedWei > _U96) revert StakedOpenAmountTooLarge(earnedWei);
            subWei = total % WAD;
        }
        _rewards[account] = current | (earnedWei << _EARNED_SHIFT) | (subWei << _SUBWEI_SHIFT);
    }

    function _claimRewards(address recipient) private returns (uint256 amount) {
        (uint256 rewardPerToken_, ) = _accrue();
        _settleRewards(msg.sender, _accounts[msg.sender] & _U96, rewardPerToken_);
        uint256 word = _rewards[msg.sender];
        amount = (word >> _EARNED_SHIFT) & _U96;
        if (amount == 0) revert StakedOpenNothingToClaim(msg.sender);
        // The sub-wei remainder stays with the account and keeps growing with later rewards.
        _rewards[msg.sender] = word & ~(_U96 << _EARNED_SHIFT);

        emit RewardClaimed(msg.sender, recipient, amount);
        _open.safeTransfer(recipient, amount);
    }

    function _earnedScaled(address account) private view returns (uint256) {
        uint256 word = _rewards[account];
        uint256 stored = ((word >> _EARNED_SHIFT) & _U96) * WAD + (word >> _SUBWEI_SHIFT);
        uint256 delta;
        unchecked {
            delta = ((_rewardState().rewardPerToken & _U100) - (word & _U100)) & _U100;
        }
        return stored + (_accounts[account] & _U96) * delta;
    }

    // ----------------------------------------------------------------------------------------------
    // Internal: parameters
    // ----------------------------------------------------------------------------------------------

    /// @dev Whether `caller` is a proposer of the timelock that owns this contract (the governor). An owner that is
    /// not an AccessControl contract (an account without code, or a contract that reverts or answers anything but
    /// a 32-byte true) has no proposers. A low-level call, since a `try` would itself revert on a short answer.
    function _isTimelockProposer(address caller) private view returns (bool) {
        (bool success, bytes memory answer) = owner().staticcall(
            abi.encodeCall(IAccessControl.hasRole, (_PROPOSER_ROLE, caller))
        );
        return success && answer.length == 32 && abi.decode(answer, (uint256)) == 1;
    }

    function _setCooldown(uint256 newCooldown) private {
        if (newCooldown < MIN_COOLDOWN || newCooldown > MAX_COOLDOWN) {
            revert StakedOpenCooldownOutOfBounds(newCooldown, MIN_COOLDOWN, MAX_COOLDOWN);
        }
        emit CooldownUpdated(_rewardIndex.cooldown, newCooldown);
        _rewardIndex.cooldown = uint32(newCooldown); // ≤ MAX_COOLDOWN < 2^32
    }
}
