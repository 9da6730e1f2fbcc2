// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Vm} from "forge-std/Vm.sol";

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {StakedOpen} from "../../../contracts/governance/StakedOpen.sol";

/// @notice Reads the reward state StakedOpen keeps in storage but does not expose: the carry (the part of the
/// stream not yet divisible by the supply) and the stored reward index. The conservation law needs the carry to be
/// exact in the scaled domain; everything else it uses comes from public views.
/// @dev The slots follow the inheritance order of StakedOpen (Ownable 0, Ownable2Step 1, ProtocolAdmin 2–3, EIP712's
/// fallback strings 4–5, Nonces 6, then StakedOpen's own variables from 7). `read` checks each decoded word against
/// a public view, so a change of layout fails loudly here instead of silently breaking an invariant.
library StakedOpenStorage {
    Vm private constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint256 internal constant SUPPLY_SLOT = 10;
    uint256 internal constant REWARD_INDEX_SLOT = 12;
    uint256 internal constant STREAM_SLOT = 13;
    uint256 internal constant DUST_SLOT = 14;

    /// @notice StakedOpen's stored reward state, times as Unix times.
    struct Stored {
        uint256 totalSupply;
        uint256 carry;
        uint256 rewardPerToken;
        uint256 lastUpdate;
        uint256 periodEnd;
        uint256 cooldown;
        uint256 rate;
        uint256 queued;
        uint256 dustScaled;
    }

    /// @notice Both sides of StakedOpen's conservation law, in OPEN-wei × 1e18.
    /// @param heldScaled OPEN held by StakedOpen.
    /// @param owedScaled Stake + queued withdrawals + rewards at the last accrual (Σ earnedScaled + carry + dust +
    /// still to stream), which must equal heldScaled exactly.
    /// @param rewardsAtLastScaled The reward part of owedScaled.
    /// @param rewardsNowScaled The same read through the views now, without the carry (which only storage holds): it
    /// falls short of rewardsAtLastScaled by the carry of now. Once time has passed since the last accrual, that is
    /// the remainder of a division by the current supply (zero below MIN_REWARDED_SUPPLY, where it is dust).
    /// @param supply The gOPEN supply.
    /// @param lastUpdate When the reward state was last accrued (Unix time).
    struct Law {
        uint256 heldScaled;
        uint256 owedScaled;
        uint256 rewardsAtLastScaled;
        uint256 rewardsNowScaled;
        uint256 supply;
        uint256 lastUpdate;
    }

    error StakedOpenStorageLayoutChanged(string field);

    /// @notice Evaluates the conservation law of `staked` for `actors` (every account that ever held gOPEN or
    /// queued a withdrawal):
    ///   OPEN held × 1e18 == (supply + Σ queued) × 1e18 + Σ earnedScaled + carry + dustScaled + still to stream
    /// The reward terms are read through the public views at the time of the last accrual (the views then show the
    /// stored state, with the stored carry); warps there and back, which needs a non-view caller.
    function checkLaw(
        StakedOpen staked,
        IERC20 open,
        uint256 clockBase,
        address[] memory actors
    ) internal returns (Law memory law) {
        Stored memory s = read(staked, clockBase);
        law.lastUpdate = s.lastUpdate;
        uint256 now_ = block.timestamp;
        law.rewardsNowScaled = _rewardViews(staked, actors);
        VM.warp(s.lastUpdate);
        law.rewardsAtLastScaled = _rewardViews(staked, actors) + s.carry;
        VM.warp(now_);

        uint256 queued;
        for (uint256 i; i < actors.length; ++i) queued += staked.pendingWithdrawal(actors[i]).amount;
        law.supply = staked.totalSupply();
        law.heldScaled = open.balanceOf(address(staked)) * 1e18;
        law.owedScaled = (law.supply + queued) * 1e18 + law.rewardsAtLastScaled;
    }

    /// @notice The stored reward state of `staked`, whose clock base (deployment time − 1) is `clockBase`.
    function read(StakedOpen staked, uint256 clockBase) internal view returns (Stored memory s) {
        uint256 supply = _word(staked, SUPPLY_SLOT);
        uint256 index = _word(staked, REWARD_INDEX_SLOT);
        uint256 stream = _word(staked, STREAM_SLOT);
        s.totalSupply = uint96(supply);
        s.carry = supply >> 160;
        s.rewardPerToken = uint160(index);
        s.lastUpdate = clockBase + uint32(index >> 160);
        s.periodEnd = clockBase + uint32(index >> 192);
        s.cooldown = index >> 224;
        s.rate = uint160(stream);
        s.queued = stream >> 160;
        s.dustScaled = _word(staked, DUST_SLOT);
        if (s.totalSupply != staked.totalSupply()) revert StakedOpenStorageLayoutChanged("totalSupply");
        if (s.cooldown != staked.cooldown()) revert StakedOpenStorageLayoutChanged("cooldown");
        if (s.periodEnd % staked.rewardPeriod() != (clockBase + 1) % staked.rewardPeriod()) {
            revert StakedOpenStorageLayoutChanged("periodEnd");
        }
    }

    /// @notice OPEN-wei × 1e18 still to stream according to the stored state, as of its last update.
    function toStreamScaled(Stored memory s) internal pure returns (uint256) {
        return s.rate * (s.periodEnd - s.lastUpdate) + s.queued * 1e18;
    }

    /// @dev Σ earnedScaled + dustScaled + still to stream, through the views at the current time.
    function _rewardViews(StakedOpen staked, address[] memory actors) private view returns (uint256 total) {
        (uint256 periodEnd, uint256 rate, uint256 queued) = staked.rewardStream();
        total = rate * (periodEnd - block.timestamp) + queued * 1e18 + staked.dustScaled();
        for (uint256 i; i < actors.length; ++i) total += staked.earnedScaled(actors[i]);
    }

    function _word(StakedOpen staked, uint256 slot) private view returns (uint256) {
        return uint256(VM.load(address(staked), bytes32(slot)));
    }
}
