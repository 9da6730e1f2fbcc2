// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdInvariant} from "forge-std/StdInvariant.sol";

import {IInferenceRouter} from "../../../../contracts/interfaces/IInferenceRouter.sol";

import {InferenceFixture} from "../InferenceFixture.sol";
import {InferenceHandler} from "./InferenceHandler.sol";

/// @notice Invariants of InferenceRouter under random sequences of payments, single and batch settlements
/// signed by the oracle signers, expiries (with warps past the window), claims, sweeps, parameter changes,
/// pauses and a staker leaving and re-entering StakedOpen (see InferenceHandler).
contract InferenceRouterInvariantTest is StdInvariant, InferenceFixture {
    uint256 internal constant EXTRA_STAKER_FUNDS = 10_000 ether;

    InferenceHandler internal handler;

    function setUp() public {
        _deployProtocol();
        handler = new InferenceHandler(
            router,
            staked,
            datanets,
            [governance, treasury, guardian, alice],
            [creator, dave, erin, grace, heidi],
            signerKeys
        );
        for (uint256 i; i < handler.payerCount(); ++i) _fund(handler.payer(i), PAYER_FUNDS, address(router));
        // The staker can stake again after leaving (her unstaked OPEN stays queued).
        open.transfer(alice, EXTRA_STAKER_FUNDS);

        // A selector listed k times is chosen k times as often: payments and settlements are weighted so that
        // a 64-call sequence has inferences to settle, expire and claim.
        bytes4[] memory selectors = new bytes4[](14);
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
        selectors[10] = InferenceHandler.warp.selector;
        selectors[11] = InferenceHandler.toggleStake.selector;
        selectors[12] = InferenceHandler.setParameters.selector;
        selectors[13] = InferenceHandler.togglePause.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    // ----------------------------------------------------------------------------------------------
    // Invariants
    // ----------------------------------------------------------------------------------------------

    /// OPEN held by the router == Σ credits + Σ pools of Pending inferences + treasuryOwed, exactly.
    function invariant_routerBalanceCoversEverything() public view {
        uint256 credits;
        for (uint256 c; c < handler.creditorCount(); ++c) credits += router.creditOf(handler.creditor(c));
        uint256 pending;
        for (uint256 id = 1; id <= router.inferenceCount(); ++id) {
            IInferenceRouter.Inference memory inference = router.getInference(id);
            if (inference.status == IInferenceRouter.InferenceStatus.Pending) pending += inference.pool;
        }
        assertEq(
            open.balanceOf(address(router)),
            credits + pending + router.treasuryOwed(),
            "router balance != credits + pending pools + treasuryOwed"
        );
    }

    /// Per inference: creator + stakers + contributors + treasury (platform fee, dust or expired pool) == fee
    /// paid, to the wei; a Pending inference still holds its pool, a finished one has handed it all out.
    function invariant_everyFeeConserved() public view {
        for (uint256 id = 1; id <= router.inferenceCount(); ++id) {
            InferenceHandler.Record memory r = handler.record(id);
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

    /// Each inference is settled at most once, expired at most once, never both; the router's status agrees, and
    /// its window never moves.
    function invariant_settledAtMostOnce() public view {
        for (uint256 id = 1; id <= router.inferenceCount(); ++id) {
            InferenceHandler.Record memory r = handler.record(id);
            assertLe(r.settlements, 1, "settled twice");
            assertLe(r.expiries, 1, "expired twice");
            assertLe(r.settlements + r.expiries, 1, "settled and expired");
            IInferenceRouter.InferenceStatus status = router.getInference(id).status;
            assertEq(uint8(status), uint8(r.status), "router status != handler status");
            assertEq(status == IInferenceRouter.InferenceStatus.Settled, r.settlements == 1, "Settled != settled once");
            assertEq(status == IInferenceRouter.InferenceStatus.Expired, r.expiries == 1, "Expired != expired once");
            // The window of each inference is the one in force at payment, whatever governance changed since.
            assertEq(router.getInference(id).closesAt, r.closesAt, "closesAt moved");
        }
    }

    /// The treasury received exactly what was swept plus the stakers' shares forwarded while nothing was staked.
    function invariant_treasuryReceivedExactly() public view {
        assertEq(
            open.balanceOf(treasury) - treasuryBaseline,
            handler.ghost_swept() + handler.ghost_forwarded(),
            "treasury != swept + forwarded"
        );
    }

    /// treasuryOwed == Σ (platform fees + dust and expired pools) − swept; Σ credits == Σ (creator shares +
    /// contributors' shares) − claimed.
    function invariant_owedAndCreditsAccounted() public view {
        uint256 owed;
        uint256 credited;
        for (uint256 id = 1; id <= router.inferenceCount(); ++id) {
            InferenceHandler.Record memory r = handler.record(id);
            owed += r.platform + r.toTreasury;
            credited += r.creator + r.contributors;
        }
        assertEq(router.treasuryOwed(), owed - handler.ghost_swept(), "treasuryOwed != accrued - swept");
        uint256 credits;
        for (uint256 c; c < handler.creditorCount(); ++c) credits += router.creditOf(handler.creditor(c));
        assertEq(credits, credited - handler.ghost_claimed(), "credits != credited - claimed");
    }

    /// The per-action checks in the handler (amounts, formulas, errors of refused calls) all held.
    function invariant_handlerChecksHold() public view {
        assertEq(handler.ghost_violation(), "", "handler check failed");
    }
}
