// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

import {StakedOpen} from "../../../contracts/governance/StakedOpen.sol";
import {IProtocolAdmin} from "../../../contracts/interfaces/IProtocolAdmin.sol";
import {IStakedOpen} from "../../../contracts/interfaces/IStakedOpen.sol";
import {OpenToken} from "../../../contracts/token/OpenToken.sol";
import {WAD} from "../../../contracts/libraries/Constants.sol";

/// @notice Drives StakedOpen for the invariant suite: four stakers, a reward notifier (anyone may notify; this one
/// stands for the router), governance (owner, slashes, freezes, cooldown) and the guardian (pauses), with bounded
/// inputs so that actions rarely revert, and ghost totals of every flow of OPEN in and out of the contract.
/// @dev Actions pick the first actor (from the fuzzed seed) for which they can succeed and return early
/// (counted in `ghost_skipped`) when there is none. The suite runs with failOnRevert = false, so a failed check must
/// not revert (the fuzzer would ignore it): it is recorded in `ghost_violation`, which
/// invariant_handlerActionChecksHold asserts is empty. Revert paths taken on purpose (a stake while paused, an early
/// or frozen withdrawal, a claim of less than one wei) are checked with try/catch against the exact error.
contract StakedOpenHandler is CommonBase, StdCheats, StdUtils {
    uint256 internal constant ACTOR_COUNT = 4;
    uint256 internal constant ACTOR_FUNDS = 10_000_000 ether;
    uint256 internal constant MAX_REWARD = 1_000_000 ether;
    uint256 internal constant NO_DELEGATEE = type(uint256).max;

    StakedOpen public immutable staked;
    OpenToken public immutable open;
    address public immutable governance;
    address public immutable guardian;
    address public immutable notifier;

    address[ACTOR_COUNT] internal _actors;
    /// Index of the actor each actor delegates to, or NO_DELEGATEE.
    uint256[ACTOR_COUNT] internal _delegateeOf;

    // Ghost totals, in OPEN-wei.
    uint256 public ghost_staked;
    uint256 public ghost_unstaked;
    uint256 public ghost_withdrawn;
    uint256 public ghost_claimed;
    uint256 public ghost_notified;
    uint256 public ghost_slashed;
    uint256 public ghost_slashedFromQueue;
    uint256 public ghost_swept;
    uint256 public ghost_skipped;
    /// An action-level property failed (checked by an invariant so that the failure is reported).
    string public ghost_violation;

    mapping(bytes32 action => uint256) public calls;

    constructor(StakedOpen staked_, OpenToken open_, address governance_, address guardian_, address notifier_) {
        staked = staked_;
        open = open_;
        governance = governance_;
        guardian = guardian_;
        notifier = notifier_;
        for (uint256 i; i < ACTOR_COUNT; ++i) {
            _actors[i] = makeAddr(string.concat("actor", vm.toString(i)));
            _delegateeOf[i] = NO_DELEGATEE;
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Views for the invariants
    // ----------------------------------------------------------------------------------------------

    function actorCount() external pure returns (uint256) {
        return ACTOR_COUNT;
    }

    function actor(uint256 i) external view returns (address) {
        return _actors[i];
    }

    function actors() external view returns (address[] memory list) {
        list = new address[](ACTOR_COUNT);
        for (uint256 i; i < ACTOR_COUNT; ++i) list[i] = _actors[i];
    }

    function delegateeOf(uint256 i) external view returns (uint256) {
        return _delegateeOf[i];
    }

    function actorFunds() external pure returns (uint256) {
        return ACTOR_FUNDS;
    }

    // ----------------------------------------------------------------------------------------------
    // Actions
    // ----------------------------------------------------------------------------------------------

    function stake(uint256 actorSeed, uint256 amount) external {
        calls["stake"]++;
        (address a, bool found) = _actorWith(actorSeed, _hasOpen);
        if (!found) return _skip();
        amount = _amount(amount, open.balanceOf(a));

        uint256 before = staked.balanceOf(a);
        bool paused = staked.paused();
        vm.prank(a);
        if (paused) {
            calls["stake.paused"]++;
            try staked.stake(amount) {
                _violate("stake: accepted while paused");
            } catch (bytes memory reason) {
                _expectError(
                    reason,
                    abi.encodeWithSelector(IProtocolAdmin.ProtocolAdminPaused.selector),
                    "stake: wrong error while paused"
                );
            }
            return;
        }
        try staked.stake(amount) {} catch {
            return _violate("stake: reverted");
        }
        ghost_staked += amount;
        if (staked.balanceOf(a) != before + amount) _violate("stake: gOPEN minted != amount");
    }

    function requestUnstake(uint256 actorSeed, uint256 amount) external {
        calls["requestUnstake"]++;
        (address a, bool found) = _actorWith(actorSeed, _hasStake);
        if (!found) return _skip();
        amount = _amount(amount, staked.balanceOf(a));

        IStakedOpen.PendingWithdrawal memory before = staked.pendingWithdrawal(a);
        uint256 restarted = block.timestamp + staked.cooldown();
        vm.prank(a);
        try staked.requestUnstake(amount) {} catch {
            return _violate("requestUnstake: reverted (never paused, never frozen)");
        }
        ghost_unstaked += amount;

        IStakedOpen.PendingWithdrawal memory p = staked.pendingWithdrawal(a);
        if (p.amount != before.amount + amount) _violate("requestUnstake: queue != before + amount");
        // The whole queue is released at max(previous release time, now + cooldown); a freeze stays.
        uint256 expectedRelease = before.releaseTime > restarted ? before.releaseTime : restarted;
        if (p.releaseTime != expectedRelease) _violate("requestUnstake: releaseTime != max(previous, now + cooldown)");
        if (p.frozenUntil != before.frozenUntil) _violate("requestUnstake: freeze changed");
    }

    function withdraw(uint256 actorSeed, uint256 warpSeed) external {
        calls["withdraw"]++;
        (address a, bool found) = _actorWith(actorSeed, _hasQueue);
        if (!found) return _skip();
        IStakedOpen.PendingWithdrawal memory p = staked.pendingWithdrawal(a);

        // Three times in four, move to or past the release time first (exactly to it one time in four);
        // otherwise, half the time, to the last second before it.
        if (block.timestamp < p.releaseTime) {
            if (warpSeed % 4 != 0) {
                vm.warp(uint256(p.releaseTime) + (warpSeed % 16 < 4 ? 0 : bound(warpSeed >> 4, 0, 1 days)));
            } else if (warpSeed % 8 == 0) {
                vm.warp(uint256(p.releaseTime) - 1);
            }
        }
        if (block.timestamp < p.releaseTime) {
            calls["withdraw.early"]++;
            return
                _expectWithdrawRevert(
                    a,
                    abi.encodeWithSelector(IStakedOpen.StakedOpenCooldownActive.selector, a, p.releaseTime)
                );
        }
        if (block.timestamp < p.frozenUntil) {
            calls["withdraw.frozen"]++;
            return
                _expectWithdrawRevert(
                    a,
                    abi.encodeWithSelector(IStakedOpen.StakedOpenWithdrawalsFrozen.selector, a, p.frozenUntil)
                );
        }

        uint256 openBefore = open.balanceOf(a);
        uint256 amount;
        vm.prank(a);
        try staked.withdraw() returns (uint256 paid) {
            amount = paid;
        } catch {
            return _violate("withdraw: reverted after the cooldown, unfrozen");
        }
        ghost_withdrawn += amount;
        if (amount != p.amount) _violate("withdraw: amount != queued");
        if (open.balanceOf(a) != openBefore + amount) _violate("withdraw: OPEN received != amount");
        if (staked.pendingWithdrawal(a).amount != 0) _violate("withdraw: queue not cleared");
    }

    function claimRewards(uint256 actorSeed, uint256 recipientSeed) external {
        calls["claimRewards"]++;
        (address a, bool found) = _actorWith(actorSeed, _hasWholeReward);
        uint256 scaled = staked.earnedScaled(a);
        if (!found) {
            if (recipientSeed % 4 != 0) return _skip();
            calls["claimRewards.nothing"]++;
            vm.prank(a);
            try staked.claimRewards() {
                _violate("claim: paid with less than one wei earned");
            } catch (bytes memory reason) {
                _expectError(
                    reason,
                    abi.encodeWithSelector(IStakedOpen.StakedOpenNothingToClaim.selector, a),
                    "claim: wrong error with nothing to claim"
                );
            }
            return;
        }

        // Half the time claim to another actor.
        address recipient = recipientSeed % 2 == 0 ? a : _actor(recipientSeed >> 1);
        uint256 openBefore = open.balanceOf(recipient);
        uint256 amount;
        vm.prank(a);
        if (recipient == a) {
            try staked.claimRewards() returns (uint256 paid) {
                amount = paid;
            } catch {
                return _violate("claim: reverted with rewards due");
            }
        } else {
            try staked.claimRewardsTo(recipient) returns (uint256 paid) {
                amount = paid;
            } catch {
                return _violate("claimTo: reverted with rewards due");
            }
        }
        ghost_claimed += amount;
        if (amount != scaled / WAD) _violate("claim: amount != earnedScaled / 1e18");
        if (staked.earnedScaled(a) != scaled % WAD) _violate("claim: remainder != earnedScaled % 1e18");
        if (open.balanceOf(recipient) != openBefore + amount) _violate("claim: OPEN received != amount");
    }

    /// @dev A notification is queued for the next period: it changes neither the accumulator nor the current rate.
    function notifyReward(uint256 amount) external {
        calls["notifyReward"]++;
        uint256 balance = open.balanceOf(notifier);
        if (balance == 0) return _skip();
        amount = _amount(amount, balance < MAX_REWARD ? balance : MAX_REWARD);

        uint256 rptBefore = staked.rewardPerToken();
        (uint256 endBefore, uint256 rateBefore, uint256 queuedBefore) = staked.rewardStream();
        vm.prank(notifier);
        try staked.notifyReward(amount) {} catch {
            return _violate("notify: reverted");
        }
        ghost_notified += amount;
        (uint256 endAfter, uint256 rateAfter, uint256 queuedAfter) = staked.rewardStream();
        if (staked.rewardPerToken() != rptBefore) _violate("notify: accumulator moved");
        if (endAfter != endBefore || rateAfter != rateBefore) _violate("notify: current period changed");
        if (queuedAfter != queuedBefore + amount) _violate("notify: queue != before + amount");
    }

    function slash(uint256 actorSeed, uint256 amount) external {
        calls["slash"]++;
        (address a, bool found) = _actorWith(actorSeed, _hasStakeOrQueue);
        if (!found) return _skip();
        uint256 stakeBefore = staked.balanceOf(a);
        uint256 queuedBefore = staked.pendingWithdrawal(a).amount;
        uint256 available = stakeBefore + queuedBefore;
        // Slashing is rare and usually partial: up to a quarter of the stake, sometimes all of stake and queue.
        amount = _amount(amount, amount % 5 == 0 || stakeBefore < 4 ? available : stakeBefore / 4);

        vm.prank(governance);
        try staked.slash(a, amount, "invariant") {} catch {
            return _violate("slash: reverted within stake + queue");
        }
        ghost_slashed += amount;

        uint256 fromStake = amount < stakeBefore ? amount : stakeBefore;
        ghost_slashedFromQueue += amount - fromStake;
        if (staked.balanceOf(a) != stakeBefore - fromStake) _violate("slash: stake not taken first");
        if (staked.pendingWithdrawal(a).amount != queuedBefore - (amount - fromStake)) {
            _violate("slash: queue reduced wrongly");
        }
    }

    function sweepDust() external {
        calls["sweepDust"]++;
        uint256 dust = staked.dustScaled();
        if (dust < WAD) return _skip();
        uint256 amount;
        try staked.sweepDust() returns (uint256 swept) {
            amount = swept;
        } catch {
            return _violate("sweep: reverted with whole wei of dust");
        }
        ghost_swept += amount;
        if (amount != dust / WAD) _violate("sweep: amount != dust / 1e18");
        if (staked.dustScaled() != dust % WAD) _violate("sweep: remainder != dust % 1e18");
    }

    function delegate(uint256 actorSeed, uint256 delegateeSeed) external {
        calls["delegate"]++;
        uint256 i = actorSeed % ACTOR_COUNT;
        uint256 j = delegateeSeed % ACTOR_COUNT;
        vm.prank(_actors[i]);
        try staked.delegate(_actors[j]) {} catch {
            return _violate("delegate: reverted");
        }
        _delegateeOf[i] = j;
    }

    function setCooldown(uint256 seconds_) external {
        calls["setCooldown"]++;
        uint256 newCooldown = bound(seconds_, staked.MIN_COOLDOWN(), staked.MAX_COOLDOWN());
        vm.prank(governance);
        try staked.setCooldown(newCooldown) {} catch {
            return _violate("setCooldown: reverted within bounds");
        }
    }

    /// @dev Governance freezes an actor's withdrawals (as a pending slash would): only ever extended, capped.
    function freeze(uint256 actorSeed, uint256 until) external {
        calls["freeze"]++;
        address a = _actor(actorSeed);
        uint256 before = staked.pendingWithdrawal(a).frozenUntil;
        until = bound(until, block.timestamp, block.timestamp + 2 * staked.MAX_FREEZE());
        vm.prank(governance);
        try staked.freezeWithdrawals(a, until) {} catch {
            return _violate("freeze: reverted for governance");
        }
        uint256 capped = until < block.timestamp + staked.MAX_FREEZE() ? until : block.timestamp + staked.MAX_FREEZE();
        uint256 expected = capped > before ? capped : before;
        if (staked.pendingWithdrawal(a).frozenUntil != expected) _violate("freeze: frozenUntil != max(before, capped)");
    }

    function unfreeze(uint256 actorSeed) external {
        calls["unfreeze"]++;
        address a = _actor(actorSeed);
        vm.prank(governance);
        try staked.unfreezeWithdrawals(a) {} catch {
            return _violate("unfreeze: reverted for governance");
        }
        if (staked.pendingWithdrawal(a).frozenUntil != 0) _violate("unfreeze: still frozen");
    }

    /// @dev The guardian pauses new stakes; governance unpauses.
    function togglePause() external {
        calls["togglePause"]++;
        bool wasPaused = staked.paused();
        vm.prank(wasPaused ? governance : guardian);
        if (wasPaused) {
            try staked.unpause() {} catch {
                return _violate("unpause: reverted for governance");
            }
        } else {
            try staked.pause() {} catch {
                return _violate("pause: reverted for the guardian");
            }
        }
    }

    function warp(uint256 seconds_) external {
        calls["warp"]++;
        vm.warp(block.timestamp + bound(seconds_, 1, 3 days));
    }

    // ----------------------------------------------------------------------------------------------
    // Internal
    // ----------------------------------------------------------------------------------------------

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[seed % ACTOR_COUNT];
    }

    /// @dev The first actor from `seed` on (cyclically) that satisfies `predicate`; else the seed's actor.
    function _actorWith(
        uint256 seed,
        function(address) view returns (bool) predicate
    ) internal view returns (address, bool) {
        for (uint256 k; k < ACTOR_COUNT; ++k) {
            address a = _actors[(seed + k) % ACTOR_COUNT];
            if (predicate(a)) return (a, true);
        }
        return (_actor(seed), false);
    }

    function _hasOpen(address a) internal view returns (bool) {
        return open.balanceOf(a) != 0;
    }

    function _hasStake(address a) internal view returns (bool) {
        return staked.balanceOf(a) != 0;
    }

    function _hasQueue(address a) internal view returns (bool) {
        return staked.pendingWithdrawal(a).amount != 0;
    }

    function _hasStakeOrQueue(address a) internal view returns (bool) {
        return staked.balanceOf(a) != 0 || staked.pendingWithdrawal(a).amount != 0;
    }

    function _hasWholeReward(address a) internal view returns (bool) {
        return staked.earnedScaled(a) >= WAD;
    }

    /// @dev An amount in [1, max], spread over every order of magnitude (1 wei to 1e27) so that tiny stakes
    /// and rewards stress the rounding and large ones the proportions.
    function _amount(uint256 seed, uint256 max) internal pure returns (uint256) {
        uint256 cap = 10 ** (seed % 28);
        return _bound(seed >> 8, 1, cap < max ? cap : max);
    }

    function _expectWithdrawRevert(address a, bytes memory expected) internal {
        vm.prank(a);
        try staked.withdraw() {
            _violate("withdraw: released before the cooldown or while frozen");
        } catch (bytes memory reason) {
            _expectError(reason, expected, "withdraw: wrong error");
        }
    }

    function _skip() internal {
        ghost_skipped++;
    }

    function _expectError(bytes memory actual, bytes memory expected, string memory reason) internal {
        if (keccak256(actual) != keccak256(expected)) _violate(reason);
    }

    function _violate(string memory reason) internal {
        if (bytes(ghost_violation).length == 0) ghost_violation = reason;
    }
}
