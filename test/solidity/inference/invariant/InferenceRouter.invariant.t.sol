// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdInvariant} from "forge-std/StdInvariant.sol";

import {IInferenceRouter} from "../../../../contracts/interfaces/IInferenceRouter.sol";

import {InferenceFixture} from "../InferenceFixture.sol";
import {InferenceHandler} from "./InferenceHandler.sol";

/// @notice Invariants of InferenceRouter under random sequences of payments, single and batch settlements signed by
/// the oracle signers (with stale reports skipped), contributions penalized after signing, expiries (with warps past
/// the window), pauses of any length, claims, sweeps, releases of the stakers' share and parameter changes (see
/// InferenceHandler).
contract InferenceRouterInvariantTest is StdInvariant, InferenceFixture {
    InferenceHandler internal handler;
    uint256 internal stakedBaseline;

    function setUp() public {
        _deployProtocol();
        handler = new InferenceHandler(
            router,
            staked,
            datanets,
            [governance, treasury, guardian, curator],
            [creator, dave, erin, grace, heidi],
            signerKeys
        );
        for (uint256 i; i < handler.payerCount(); ++i) _fund(handler.payer(i), PAYER_FUNDS, address(router));
        stakedBaseline = open.balanceOf(address(staked));

        // A selector listed k times is chosen k times as often: payments and settlements are weighted so that a
        // 64-call sequence has inferences to settle, expire and claim.
        bytes4[] memory selectors = new bytes4[](15);
        selectors[0] = InferenceHandler.pay.selector;
        selectors[1] = InferenceHandler.pay.selector;
        selectors[2] = InferenceHandler.pay.selector;
        selectors[3] = InferenceHandler.settle.selector;
        selectors[4] = InferenceHandler.settle.selector;
        selectors[5] = InferenceHandler.settleBatch.selector;
        selectors[6] = InferenceHandler.expire.selector;
        selectors[7] = InferenceHandler.claim.selector;
        selectors[8] = InferenceHandler.claim.selector;
        selectors[9] = InferenceHandler.sweepToTreasury.selector;
        selectors[10] = InferenceHandler.releaseStakerRewards.selector;
        selectors[11] = InferenceHandler.warp.selector;
        selectors[12] = InferenceHandler.penalize.selector;
        selectors[13] = InferenceHandler.setParameters.selector;
        selectors[14] = InferenceHandler.togglePause.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    function _pendingPools() internal view returns (uint256 pending) {
        for (uint256 i; i < handler.inferenceCount(); ++i) {
            IInferenceRouter.Inference memory inference = router.getInference(handler.inferenceAt(i));
            if (inference.status == IInferenceRouter.InferenceStatus.Pending) pending += inference.pool;
        }
    }

    function _credits() internal view returns (uint256 credits) {
        for (uint256 c; c < handler.creditorCount(); ++c) credits += router.creditOf(handler.creditor(c));
    }

    // ----------------------------------------------------------------------------------------------
    // Invariants
    // ----------------------------------------------------------------------------------------------

    /// OPEN held by the router == Σ credits + Σ pools of Pending inferences + treasuryOwed + stakersOwed, exactly.
    function invariant_routerBalanceCoversEverything() public view {
        assertEq(
            open.balanceOf(address(router)),
            _credits() + _pendingPools() + router.treasuryOwed() + router.stakersOwed(),
            "router balance != credits + pending pools + treasuryOwed + stakersOwed"
        );
    }

    /// Per inference: creator + stakers + contributors + treasury (platform fee, dust, forfeited shares or expired
    /// pool) == fee paid, to the wei; a Pending inference still holds its pool, a finished one has handed it all out.
    function invariant_everyFeeConserved() public view {
        for (uint256 i; i < handler.inferenceCount(); ++i) {
            InferenceHandler.Record memory r = handler.record(handler.inferenceAt(i));
            uint256 held = r.status == IInferenceRouter.InferenceStatus.Pending ? r.pool : 0;
            assertEq(
                r.creator + r.stakers + r.contributors + r.platform + r.toTreasury + held,
                r.fee,
                "creator + stakers + contributors + treasury != fee"
            );
            assertEq(r.creator + r.stakers + r.pool + r.platform, r.fee, "creator + stakers + pool + platform != fee");
            if (r.status != IInferenceRouter.InferenceStatus.Pending) {
                assertEq(r.contributors + r.toTreasury, r.pool, "pool not handed out exactly");
            }
            if (r.status == IInferenceRouter.InferenceStatus.Expired) assertEq(r.contributors, 0);
        }
    }

    /// Each inference is settled at most once, expired at most once, never both; the router's status agrees, and its
    /// window never moves.
    function invariant_settledAtMostOnce() public view {
        for (uint256 i; i < handler.inferenceCount(); ++i) {
            uint256 id = handler.inferenceAt(i);
            InferenceHandler.Record memory r = handler.record(id);
            assertLe(r.settlements, 1, "settled twice");
            assertLe(r.expiries, 1, "expired twice");
            assertLe(r.settlements + r.expiries, 1, "settled and expired");
            IInferenceRouter.Inference memory inference = router.getInference(id);
            assertEq(uint8(inference.status), uint8(r.status), "router status != handler status");
            assertEq(inference.status == IInferenceRouter.InferenceStatus.Settled, r.settlements == 1);
            assertEq(inference.status == IInferenceRouter.InferenceStatus.Expired, r.expiries == 1);
            // The window of each inference is the one in force at payment, whatever governance changed since.
            assertEq(inference.closesAt, r.closesAt, "closesAt moved");
        }
    }

    /// Pauses never let a pending pool expire before its window: every expiry happened after the inference's window
    /// closed on the active clock, and the router's active clock is Unix time minus every second the handler paused.
    function invariant_pausesNeverExpireAPoolEarly() public view {
        assertEq(router.activeTime(), handler.ghostActiveTime(), "active clock != Unix time - seconds paused");
        assertEq(router.pausedSeconds(), handler.ghost_pausedSeconds(), "pausedSeconds");
        assertEq(router.paused(), handler.ghost_pausedAt() != 0, "paused");
        for (uint256 i; i < handler.inferenceCount(); ++i) {
            uint256 id = handler.inferenceAt(i);
            InferenceHandler.Record memory r = handler.record(id);
            if (r.status == IInferenceRouter.InferenceStatus.Expired) {
                assertGt(r.expiredAt, r.closesAt, "expired inside its window (active time)");
            }
            // The Unix closing time is the active close shifted by every pause so far.
            assertEq(router.closingTime(id), r.closesAt + block.timestamp - handler.ghostActiveTime());
        }
    }

    /// The treasury received exactly what was swept; StakedOpen exactly what was released.
    function invariant_paidOutExactly() public view {
        assertEq(open.balanceOf(treasury) - treasuryBaseline, handler.ghost_swept(), "treasury != swept");
        assertEq(open.balanceOf(address(staked)) - stakedBaseline, handler.ghost_released(), "StakedOpen != released");
    }

    /// treasuryOwed == Σ (platform fees + dust, forfeited shares and expired pools) − swept; stakersOwed == Σ stakers'
    /// shares − released; Σ credits == Σ (creator shares + contributors' shares) − claimed.
    function invariant_owedAndCreditsAccounted() public view {
        uint256 owed;
        uint256 stakers;
        uint256 credited;
        for (uint256 i; i < handler.inferenceCount(); ++i) {
            InferenceHandler.Record memory r = handler.record(handler.inferenceAt(i));
            owed += r.platform + r.toTreasury;
            stakers += r.stakers;
            credited += r.creator + r.contributors;
        }
        assertEq(router.treasuryOwed(), owed - handler.ghost_swept(), "treasuryOwed != accrued - swept");
        assertEq(router.stakersOwed(), stakers - handler.ghost_released(), "stakersOwed != accrued - released");
        assertEq(_credits(), credited - handler.ghost_claimed(), "credits != credited - claimed");
    }

    /// The per-action checks in the handler (amounts against the reference, formulas, errors of refused calls) held.
    function invariant_handlerChecksHold() public view {
        assertEq(handler.ghost_violation(), "", "handler check failed");
    }
}
