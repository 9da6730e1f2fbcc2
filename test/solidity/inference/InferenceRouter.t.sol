// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AttributionOracle} from "../../../contracts/inference/AttributionOracle.sol";
import {InferenceRouter} from "../../../contracts/inference/InferenceRouter.sol";
import {IAttributionOracle} from "../../../contracts/interfaces/IAttributionOracle.sol";
import {IInferenceRouter} from "../../../contracts/interfaces/IInferenceRouter.sol";
import {IModelRegistry} from "../../../contracts/interfaces/IModelRegistry.sol";
import {IProtocolAdmin} from "../../../contracts/interfaces/IProtocolAdmin.sol";
import {BPS, WAD} from "../../../contracts/libraries/Constants.sol";
import {FeeMath} from "../../../contracts/libraries/FeeMath.sol";

import {InferenceFixture} from "./InferenceFixture.sol";

/// @notice Fuzz tests of InferenceRouter: payments and their exact split (against FeeMath), ids that belong to their
/// payer, the active clock through pauses, settlement of signed attribution reports against a plain Solidity
/// reference (proportional shares, the threshold, dust, forfeited shares), skipped batch reports and the work bound,
/// the whitepaper's example to the wei, claims, and attacks on the oracle signatures (each refused with its error).
contract InferenceRouterTest is InferenceFixture {
    /// Most OPEN-wei one side (input or output) of a fuzzed payment may cost: the payer holds 100M OPEN.
    uint256 internal constant SIDE_BUDGET = 40_000_000 ether;

    /// Contributions a model-1 report may name (datanet 1, accepted once): the first five earn, 6 is penalized.
    uint256[6] internal NAMEABLE = [C_DAVE, C_ERIN, C_GRACE, C_HEIDI, C_DAVE_2, C_PENALIZED];

    function setUp() public {
        _deployProtocol();
    }

    // ----------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------

    function _setRates(uint256 modelId, uint256 inputRate, uint256 outputRate) internal {
        vm.prank(modelId == MODEL_1 ? creator : dave);
        models.setRates(
            modelId,
            IModelRegistry.Rates({inputRate: uint128(inputRate), outputRate: uint128(outputRate)})
        );
    }

    /// @dev The most tokens at `rate` that cost at most SIDE_BUDGET.
    function _maxTokens(uint256 rate) internal pure returns (uint256) {
        if (rate == 0) return type(uint64).max;
        uint256 most = (SIDE_BUDGET * 1_000) / rate;
        return most < type(uint64).max ? most : type(uint64).max;
    }

    /// @dev Credits of the contributors, in the order dave, erin, grace, heidi.
    function _contributorCredits() internal view returns (uint256[4] memory credits) {
        credits = [router.creditOf(dave), router.creditOf(erin), router.creditOf(grace), router.creditOf(heidi)];
    }

    function _slot(address contributor) internal view returns (uint256) {
        if (contributor == dave) return 0;
        if (contributor == erin) return 1;
        if (contributor == grace) return 2;
        return 3;
    }

    /// @dev Contributions of model 1 chosen by `mask` (bits 0..5 over NAMEABLE, increasing ids) with weights from
    /// `raw`: one in four tiny (around the threshold), the rest up to 100%, scaled down when they sum above 100%.
    function _randomReport(
        uint256 inferenceId,
        uint256 mask,
        uint256[6] memory raw,
        uint256 threshold
    ) internal view returns (IInferenceRouter.AttributionReport memory) {
        uint256 n;
        for (uint256 i; i < 6; ++i) if ((mask >> i) & 1 == 1) ++n;
        uint256[] memory selected = new uint256[](n);
        uint256[] memory weights = new uint256[](n);
        uint256 k;
        uint256 sum;
        for (uint256 i; i < 6; ++i) {
            if ((mask >> i) & 1 == 0) continue;
            selected[k] = NAMEABLE[i];
            weights[k] = raw[i] % 4 == 0 ? bound(raw[i] >> 2, 0, 2 * threshold + 1) : bound(raw[i] >> 2, 0, WAD);
            sum += weights[k];
            ++k;
        }
        if (sum > WAD) {
            for (uint256 i; i < n; ++i) weights[i] = (weights[i] * WAD) / sum;
        }
        return _report(inferenceId, selected, weights);
    }

    /// @dev Expects, in order, a ContributionForfeited for every forfeited share and then InferenceSettled, as the
    /// reference computes them for `report` on `pool`.
    function _expectSettled(
        IInferenceRouter.AttributionReport memory report,
        uint256 pool,
        uint256 threshold
    ) internal {
        (uint256[] memory amounts, uint256[] memory forfeits, uint256 toTreasury) = _expectedShares(
            report,
            pool,
            threshold,
            _forfeitedMask(report)
        );
        for (uint256 i; i < forfeits.length; ++i) {
            if (forfeits[i] == 0) continue;
            vm.expectEmit(address(router));
            emit IInferenceRouter.ContributionForfeited(report.inferenceId, report.contributionIds[i], forfeits[i]);
        }
        vm.expectEmit(address(router));
        emit IInferenceRouter.InferenceSettled(
            report.inferenceId,
            report.outputHash,
            report.indexCommitment,
            toTreasury,
            _packedCredits(report.contributionIds, amounts)
        );
    }

    /// @dev The credits every contributor must have gained from `report` (the reference, forfeits applied).
    function _expectedCredits(
        IInferenceRouter.AttributionReport memory report,
        uint256 pool,
        uint256 threshold,
        uint256 forfeited
    ) internal view returns (uint256[4] memory gains, uint256 toTreasury) {
        uint256[] memory amounts;
        (amounts, , toTreasury) = _expectedShares(report, pool, threshold, forfeited);
        for (uint256 i; i < amounts.length; ++i) {
            gains[_slot(datanets.getContribution(report.contributionIds[i]).contributor)] += amounts[i];
        }
    }

    function _assertCredits(uint256[4] memory before, uint256[4] memory gains) internal view {
        uint256[4] memory nowCredits = _contributorCredits();
        for (uint256 c; c < 4; ++c) assertEq(nowCredits[c] - before[c], gains[c], "contributor credit");
    }

    function _status(uint256 inferenceId) internal view returns (uint8) {
        return uint8(router.getInference(inferenceId).status);
    }

    // ----------------------------------------------------------------------------------------------
    // Quote and payment
    // ----------------------------------------------------------------------------------------------

    /// Over the whole token domain, quote == FeeMath.quoteDown with the router's platform fee.
    function test_fuzz_quote_matchesFeeMath(
        uint64 inputTokens,
        uint64 outputTokens,
        uint256 inputRate,
        uint256 outputRate
    ) public {
        inputRate = bound(inputRate, 0, MAX_RATE);
        outputRate = bound(outputRate, 0, MAX_RATE);
        _setRates(MODEL_1, inputRate, outputRate);

        (uint256 fee, uint256 modelFee) = router.quote(MODEL_1, inputTokens, outputTokens);
        (uint256 expectedModelFee, uint256 expectedFee) = FeeMath.quoteDown(
            inputTokens,
            outputTokens,
            inputRate,
            outputRate,
            PLATFORM_FEE
        );
        assertEq(modelFee, expectedModelFee, "modelFee");
        assertEq(fee, expectedFee, "fee");
        assertEq(modelFee, (uint256(inputTokens) * inputRate + uint256(outputTokens) * outputRate) / 1_000);
    }

    /// @dev One fuzzed payment and what it must move, in OPEN-wei.
    struct PaymentCase {
        uint64 inputTokens;
        uint64 outputTokens;
        uint256 fee;
        uint256 creatorShare;
        uint256 stakersShare;
        uint256 pool;
        uint256 platformFee;
    }

    /// A payment pulls exactly the quoted fee and splits it to the wei as FeeMath does: creator credit + stakers owed
    /// + pool + platform fee == fee, under any split, platform fee and rates; the whole fee stays in the router.
    function test_fuzz_payInference_splitsFeeExactly(
        uint64 inputTokens,
        uint64 outputTokens,
        uint256 inputRate,
        uint256 outputRate,
        uint256 platformFee,
        uint256 creatorBps,
        uint256 stakersBps
    ) public {
        PaymentCase memory c;
        inputRate = bound(inputRate, 0, MAX_RATE);
        outputRate = bound(outputRate, 0, MAX_RATE);
        c.inputTokens = uint64(bound(inputTokens, 0, _maxTokens(inputRate)));
        c.outputTokens = uint64(bound(outputTokens, 0, _maxTokens(outputRate)));
        c.platformFee = bound(platformFee, 0, router.MAX_PLATFORM_FEE());
        creatorBps = bound(creatorBps, 0, BPS);
        stakersBps = bound(stakersBps, 0, BPS - creatorBps);
        _setRates(MODEL_1, inputRate, outputRate);
        vm.startPrank(governance);
        router.setPlatformFee(c.platformFee);
        router.setFeeSplit(
            IInferenceRouter.FeeSplit({
                creatorBps: uint16(creatorBps),
                stakersBps: uint16(stakersBps),
                contributorsBps: uint16(BPS - creatorBps - stakersBps)
            })
        );
        vm.stopPrank();

        uint256 modelFee;
        (modelFee, c.fee) = FeeMath.quoteDown(c.inputTokens, c.outputTokens, inputRate, outputRate, c.platformFee);
        (c.creatorShare, c.stakersShare, c.pool) = FeeMath.splitDown(modelFee, creatorBps, stakersBps);
        assertEq(c.creatorShare + c.stakersShare + c.pool, modelFee, "FeeMath split != model fee");
        _payAndCheck(c);
    }

    function _payAndCheck(PaymentCase memory c) internal {
        uint256 payerBefore = open.balanceOf(payer);
        uint256 routerBefore = open.balanceOf(address(router));
        uint256 stakedBefore = open.balanceOf(address(staked));

        bytes32 requestId = _requestId(1);
        uint256 expectedId = _inferenceIdOf(payer, requestId);
        vm.expectEmit(address(router));
        emit IInferenceRouter.InferencePaid(
            expectedId,
            MODEL_1,
            payer,
            requestId,
            c.fee,
            c.creatorShare,
            c.stakersShare,
            c.pool,
            c.platformFee
        );
        vm.prank(payer);
        // maxFee == fee is accepted.
        uint256 inferenceId = router.payInference(MODEL_1, c.inputTokens, c.outputTokens, requestId, c.fee);

        assertEq(inferenceId, expectedId, "id != keccak256(payer, requestId)");
        assertEq(router.inferenceIdOf(payer, requestId), expectedId);
        IInferenceRouter.Inference memory inference = router.getInference(inferenceId);
        assertEq(payerBefore - open.balanceOf(payer), c.fee, "payer paid != fee");
        assertEq(open.balanceOf(address(router)) - routerBefore, c.fee, "router kept != fee");
        assertEq(open.balanceOf(address(staked)), stakedBefore, "a payment pushed OPEN to StakedOpen");
        assertEq(router.creditOf(creator), c.creatorShare, "creator credit");
        assertEq(router.stakersOwed(), c.stakersShare, "stakers owed");
        assertEq(inference.pool, c.pool, "pool");
        assertEq(router.treasuryOwed(), c.platformFee, "platform fee owed");
        assertEq(inference.modelId, MODEL_1);
        assertEq(inference.paidAt, block.timestamp);
        assertEq(inference.closesAt, router.activeTime() + WINDOW);
        assertEq(_status(inferenceId), uint8(IInferenceRouter.InferenceStatus.Pending));
    }

    function test_fuzz_payInference_revertsWhenFeeAboveMax(
        uint64 inputTokens,
        uint64 outputTokens,
        uint256 maxFee
    ) public {
        inputTokens = uint64(bound(inputTokens, 0, 1e12));
        outputTokens = uint64(bound(outputTokens, 0, 1e12));
        (uint256 fee, ) = router.quote(MODEL_1, inputTokens, outputTokens);
        maxFee = bound(maxFee, 0, fee - 1); // fee ≥ the platform fee > 0

        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IInferenceRouter.InferenceRouterFeeAboveMax.selector, fee, maxFee));
        router.payInference(MODEL_1, inputTokens, outputTokens, _requestId(1), maxFee);
    }

    /// Request ids belong to their payer: whoever pays a request id first, another payer's payment under the same
    /// request id is another inference; the same payer paying it again reverts, naming its inference.
    function test_fuzz_payInference_requestIdsBelongToTheirPayer(address attacker, bytes32 requestId) public {
        vm.assume(attacker != payer && attacker != address(0) && attacker.code.length == 0);
        vm.assume(attacker != address(router) && attacker != address(open));
        _fund(attacker, 10 ether, address(router));

        vm.prank(attacker);
        uint256 attackers = router.payInference(MODEL_1, 2_000, 1_000, requestId, type(uint256).max);
        vm.prank(payer);
        uint256 victims = router.payInference(MODEL_1, 2_000, 1_000, requestId, type(uint256).max);
        assertTrue(attackers != victims, "two payers share an inference id");
        assertEq(attackers, _inferenceIdOf(attacker, requestId));
        assertEq(victims, _inferenceIdOf(payer, requestId));
        assertEq(router.getInference(victims).pool, 0.128 ether);

        vm.prank(payer);
        vm.expectRevert(
            abi.encodeWithSelector(IInferenceRouter.InferenceRouterDuplicateRequest.selector, payer, requestId, victims)
        );
        router.payInference(MODEL_2, 1, 1, requestId, type(uint256).max);
    }

    function test_payInference_revertsForModelNotActive() public {
        vm.prank(payer);
        vm.expectRevert(
            abi.encodeWithSelector(
                IInferenceRouter.InferenceRouterModelNotActive.selector,
                MODEL_PROPOSED,
                uint8(IModelRegistry.ModelState.Proposed)
            )
        );
        router.payInference(MODEL_PROPOSED, 1, 1, _requestId(1), type(uint256).max);
    }

    /// A permit for maxFee lets a payer without allowance pay; a permit front-run by someone else (its nonce used,
    /// the allowance in place) does not block the payment.
    function test_fuzz_payInferenceWithPermit_paysAndSurvivesFrontRun(uint64 outputTokens, bool frontRun) public {
        outputTokens = uint64(bound(outputTokens, 0, 1e9));
        (address signer, uint256 key) = makeAddrAndKey("permitPayer");
        open.transfer(signer, 1_000_000 ether);
        (uint256 fee, ) = router.quote(MODEL_1, 0, outputTokens);
        uint256 deadline = block.timestamp + 1 hours;
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"),
                signer,
                address(router),
                fee,
                open.nonces(signer),
                deadline
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(
            key,
            keccak256(abi.encodePacked("\x19\x01", open.DOMAIN_SEPARATOR(), structHash))
        );
        if (frontRun) open.permit(signer, address(router), fee, deadline, v, r, s);

        vm.prank(signer);
        uint256 inferenceId = router.payInferenceWithPermit(
            MODEL_1,
            0,
            outputTokens,
            _requestId(1),
            fee,
            deadline,
            v,
            r,
            s
        );
        assertEq(inferenceId, _inferenceIdOf(signer, _requestId(1)));
        assertEq(open.balanceOf(signer), 1_000_000 ether - fee);
        assertEq(open.allowance(signer, address(router)), 0);
        assertEq(open.nonces(signer), 1);
    }

    /// The stakers' shares of any number of payments accrue, and one release sends exactly their sum to StakedOpen.
    function test_fuzz_releaseStakerRewards_sendsExactlyWhatAccrued(uint8 count, uint64 outputTokens) public {
        count = uint8(bound(count, 1, 12));
        outputTokens = uint64(bound(outputTokens, 1, 1e9));
        uint256 owed;
        for (uint256 i; i < count; ++i) {
            _pay(MODEL_1 + (i % 2), uint64(i), outputTokens);
            (, uint256 modelFee) = router.quote(MODEL_1, uint64(i), outputTokens);
            owed += (modelFee * STAKERS_BPS) / BPS;
        }
        assertEq(router.stakersOwed(), owed);
        uint256 stakedBefore = open.balanceOf(address(staked));
        vm.expectEmit(address(router));
        emit IInferenceRouter.StakerRewardsReleased(owed);
        assertEq(router.releaseStakerRewards(), owed);
        assertEq(open.balanceOf(address(staked)) - stakedBefore, owed);
        assertEq(router.stakersOwed(), 0);
        vm.expectRevert(IInferenceRouter.InferenceRouterNothingToRelease.selector);
        router.releaseStakerRewards();
    }

    // ----------------------------------------------------------------------------------------------
    // Pauses and the active clock
    // ----------------------------------------------------------------------------------------------

    /// The guardian's pause stops payments and settlement; claims, sweeps, releases and the expiry of stale inferences
    /// go on, and a pending inference's window stands still.
    function test_pause_stopsPaymentsAndSettlementOnly() public {
        uint256 settled = _payWhitepaper();
        uint256 pending = _payWhitepaper();
        _settle(_quarters(settled));
        IInferenceRouter.AttributionReport memory report = _quarters(pending);
        IAttributionOracle.SignerSignature[] memory sigs = _signReport(router, report);
        IInferenceRouter.AttributionReport[] memory batch = new IInferenceRouter.AttributionReport[](1);
        batch[0] = report;
        IAttributionOracle.SignerSignature[] memory batchSigs = _signBatch(batch);

        vm.prank(guardian);
        router.pause();
        vm.prank(payer);
        vm.expectRevert(IProtocolAdmin.ProtocolAdminPaused.selector);
        router.payInference(MODEL_1, 1, 1, _requestId(3), type(uint256).max);
        vm.expectRevert(IProtocolAdmin.ProtocolAdminPaused.selector);
        router.settle(report, sigs);
        vm.expectRevert(IProtocolAdmin.ProtocolAdminPaused.selector);
        router.settleBatch(batch, batchSigs);

        vm.prank(dave);
        assertEq(router.claim(), 0.032 ether);
        assertEq(router.sweepToTreasury(), 0.02 ether);
        assertEq(router.releaseStakerRewards(), 0.128 ether);
        // A pause longer than the window does not let the pending pool go to the treasury.
        uint256 closesAt = router.getInference(pending).closesAt;
        vm.warp(block.timestamp + WINDOW + 1);
        vm.expectRevert(abi.encodeWithSelector(IInferenceRouter.InferenceRouterWindowOpen.selector, pending, closesAt));
        router.expire(pending);
    }

    /// A pause of any length at any point of the window leaves the pending inference its whole remaining window on
    /// the active clock: it cannot expire during the pause; after it, it settles until the shifted closing time, and
    /// expires from the second after.
    function test_fuzz_pause_neverShortensTheWindow(uint256 into, uint256 pauseLength, uint256 again) public {
        uint256 first = _payWhitepaper();
        uint256 second = _payWhitepaper(); // the same block: the same window
        uint256 paidAt = block.timestamp;
        uint256 closesAt = paidAt + WINDOW;
        IInferenceRouter.AttributionReport memory report = _quarters(first);
        report.deadline = type(uint256).max;
        IAttributionOracle.SignerSignature[] memory sigs = _signReport(router, report);

        into = bound(into, 0, WINDOW);
        pauseLength = bound(pauseLength, 1, 10 * 365 days);
        vm.warp(paidAt + into);
        vm.prank(guardian);
        router.pause();
        vm.warp(paidAt + into + pauseLength);
        assertEq(router.activeTime(), paidAt + into, "the active clock ran during the pause");
        vm.expectRevert(abi.encodeWithSelector(IInferenceRouter.InferenceRouterWindowOpen.selector, second, closesAt));
        router.expire(second);
        vm.prank(governance);
        router.unpause();

        // Optionally a second pause later in the window.
        uint256 paused = pauseLength;
        again = bound(again, 0, 30 days);
        if (again != 0 && into < WINDOW) {
            vm.warp(block.timestamp + 1);
            vm.prank(guardian);
            router.pause();
            vm.warp(block.timestamp + again);
            vm.prank(governance);
            router.unpause();
            paused += again;
        }
        assertEq(router.pausedSeconds(), paused);
        uint256 closing = router.closingTime(first);
        assertEq(closing, closesAt + paused, "closing time != paidAt + window + paused");
        assertEq(router.getInference(first).closesAt, closesAt, "the active-clock close moved");

        vm.warp(closing);
        vm.expectRevert(abi.encodeWithSelector(IInferenceRouter.InferenceRouterWindowOpen.selector, second, closesAt));
        router.expire(second);
        router.settle(report, sigs);
        assertEq(router.creditOf(dave), 0.032 ether);

        vm.warp(closing + 1);
        router.expire(second);
        assertEq(_status(second), uint8(IInferenceRouter.InferenceStatus.Expired));
    }

    /// An inference whose window had closed before a pause can be expired during it.
    function test_fuzz_pause_letsAStaleInferenceExpire(uint256 late, uint256 during) public {
        uint256 inferenceId = _payWhitepaper();
        uint256 closesAt = block.timestamp + WINDOW;
        vm.warp(bound(late, closesAt + 1, closesAt + 365 days));
        vm.prank(guardian);
        router.pause();
        vm.warp(block.timestamp + bound(during, 0, 365 days));
        uint256 owedBefore = router.treasuryOwed();
        router.expire(inferenceId);
        assertEq(router.treasuryOwed() - owedBefore, 0.128 ether);
    }

    // ----------------------------------------------------------------------------------------------
    // The whitepaper's example
    // ----------------------------------------------------------------------------------------------

    /// 2,000 input tokens at 0.06 OPEN/1k + 1,000 output tokens at 0.2 OPEN/1k: model fee 0.32 OPEN, split
    /// 40/20/40 (creator 0.128, stakers 0.064, pool 0.128); four contributions at 25% earn 0.032 OPEN each.
    function test_whitepaperExample_toTheWei() public {
        (uint256 fee, uint256 modelFee) = router.quote(MODEL_1, 2_000, 1_000);
        assertEq(modelFee, 0.32 ether);
        assertEq(fee, 0.33 ether);

        uint256 payerBefore = open.balanceOf(payer);
        uint256 inferenceId = _payWhitepaper();
        assertEq(payerBefore - open.balanceOf(payer), 0.33 ether);
        assertEq(router.creditOf(creator), 0.128 ether);
        assertEq(router.stakersOwed(), 0.064 ether);
        assertEq(router.getInference(inferenceId).pool, 0.128 ether);
        assertEq(router.treasuryOwed(), 0.01 ether);

        uint256[] memory amounts = new uint256[](4);
        for (uint256 i; i < 4; ++i) amounts[i] = 0.032 ether;
        IInferenceRouter.AttributionReport memory report = _quarters(inferenceId);
        vm.expectEmit(address(router));
        emit IInferenceRouter.InferenceSettled(
            inferenceId,
            _outputHash(inferenceId),
            INDEX_COMMITMENT,
            0,
            _packedCredits(report.contributionIds, amounts)
        );
        _settle(report);

        assertEq(router.creditOf(dave), 0.032 ether);
        assertEq(router.creditOf(erin), 0.032 ether);
        assertEq(router.creditOf(grace), 0.032 ether);
        assertEq(router.creditOf(heidi), 0.032 ether);
        assertEq(router.treasuryOwed(), 0.01 ether, "no dust");
        assertEq(_status(inferenceId), uint8(IInferenceRouter.InferenceStatus.Settled));

        // Everyone is paid out exactly; what is left is the three unclaimed credits.
        uint256 stakedBefore = open.balanceOf(address(staked));
        vm.prank(dave);
        assertEq(router.claim(), 0.032 ether);
        vm.prank(creator);
        assertEq(router.claim(), 0.128 ether);
        assertEq(router.sweepToTreasury(), 0.01 ether);
        assertEq(router.releaseStakerRewards(), 0.064 ether);
        assertEq(open.balanceOf(treasury) - treasuryBaseline, 0.01 ether);
        assertEq(open.balanceOf(address(staked)) - stakedBefore, 0.064 ether);
        assertEq(open.balanceOf(address(router)), 3 * 0.032 ether);
    }

    // ----------------------------------------------------------------------------------------------
    // Settlement
    // ----------------------------------------------------------------------------------------------

    /// Random weights (sum ≤ 1e18), threshold and pool, some contributions penalized since signing: every
    /// contributor is credited exactly what the plain Solidity reference computes, forfeited shares and dust go to
    /// the treasury, credited + toTreasury == pool, and no OPEN moves.
    function test_fuzz_settle_matchesTheReference(
        uint256[6] memory raw,
        uint256 mask,
        uint256 penalize,
        uint256 threshold,
        uint256 rateSeed,
        uint64 outputTokens
    ) public {
        threshold = bound(threshold, 0, router.MAX_ATTRIBUTION_THRESHOLD());
        vm.prank(governance);
        router.setAttributionThreshold(threshold);
        // Pools of every size, from nothing to ~4e23 wei.
        uint256 outputRate = bound(rateSeed >> 8, 0, 10 ** bound(rateSeed & 0xff, 0, 21));
        _setRates(MODEL_1, 0, outputRate);
        uint256 inferenceId = _pay(MODEL_1, 0, uint64(bound(outputTokens, 0, 1e6)));
        uint256 pool = router.getInference(inferenceId).pool;

        IInferenceRouter.AttributionReport memory report = _randomReport(inferenceId, mask & 0x3f, raw, threshold);
        IAttributionOracle.SignerSignature[] memory sigs = _signReport(router, report);
        // Curators penalize some of the report's contributions after it was signed.
        vm.startPrank(curator);
        for (uint256 i; i < report.contributionIds.length; ++i) {
            if ((penalize >> i) & 1 == 1 && report.contributionIds[i] != C_PENALIZED) {
                datanets.penalize(report.contributionIds[i], "after signing");
            }
        }
        vm.stopPrank();

        uint256[4] memory creditsBefore = _contributorCredits();
        uint256 owedBefore = router.treasuryOwed();
        uint256 routerBalance = open.balanceOf(address(router));
        (uint256[4] memory gains, uint256 toTreasury) = _expectedCredits(
            report,
            pool,
            threshold,
            _forfeitedMask(report)
        );
        _expectSettled(report, pool, threshold);
        router.settle(report, sigs);

        _assertCredits(creditsBefore, gains);
        assertEq(router.treasuryOwed() - owedBefore, toTreasury, "toTreasury");
        assertEq(gains[0] + gains[1] + gains[2] + gains[3] + toTreasury, pool, "credited + toTreasury != pool");
        assertEq(open.balanceOf(address(router)), routerBalance, "settlement moved OPEN");
        assertEq(_status(inferenceId), uint8(IInferenceRouter.InferenceStatus.Settled));
    }

    /// Shares are proportional and rounded down: each earning share is ⌊pool × w / Σ earning w⌋, so the dust is below
    /// the number of contributions, and a weight under the threshold earns nothing.
    function test_fuzz_settle_roundsEachShareDown(uint256[6] memory raw, uint256 mask, uint64 outputTokens) public {
        uint256 inferenceId = _pay(MODEL_1, 0, uint64(bound(outputTokens, 1, 1e9)));
        uint256 pool = router.getInference(inferenceId).pool;
        IInferenceRouter.AttributionReport memory report = _randomReport(inferenceId, mask & 0x1f, raw, THRESHOLD);
        uint256 earning;
        for (uint256 i; i < report.weights.length; ++i) {
            if (report.weights[i] >= THRESHOLD && report.weights[i] != 0) earning += report.weights[i];
        }
        uint256 owedBefore = router.treasuryOwed();
        _settle(report);
        uint256 dust = router.treasuryOwed() - owedBefore;
        if (earning == 0) {
            assertEq(dust, pool, "no earning weight: the pool goes to the treasury");
        } else {
            assertLt(dust, report.weights.length, "dust >= number of contributions");
        }
    }

    /// A batch across both models (model 2 also uses datanet 2) settles every pool exactly as the reference does.
    function test_fuzz_settleBatch_conservesEveryPool(uint256[6] memory raw, uint256 masks, uint64 tokens) public {
        tokens = uint64(bound(tokens, 1, 1e9));
        uint256[3] memory ids = [_pay(MODEL_1, tokens, tokens), _pay(MODEL_2, tokens, 1), _pay(MODEL_1, 1, tokens)];
        IInferenceRouter.AttributionReport[] memory reports = new IInferenceRouter.AttributionReport[](3);
        uint256 pools;
        for (uint256 r; r < 3; ++r) {
            reports[r] = _randomReport(ids[r], (masks >> (8 * r)) & 0x3f, raw, THRESHOLD);
            pools += router.getInference(ids[r]).pool;
        }
        // Model 2's report also names contribution 7, of datanet 2, which model 1 does not use.
        {
            IInferenceRouter.AttributionReport memory second = reports[1];
            uint256 n = second.contributionIds.length;
            uint256[] memory withOther = new uint256[](n + 1);
            uint256[] memory weights = new uint256[](n + 1);
            uint256 sum;
            for (uint256 i; i < n; ++i) {
                withOther[i] = second.contributionIds[i];
                weights[i] = second.weights[i] / 2;
                sum += weights[i];
            }
            withOther[n] = C_OTHER_DATANET;
            weights[n] = WAD - sum;
            reports[1] = _report(ids[1], withOther, weights);
        }

        uint256[4] memory creditsBefore = _contributorCredits();
        uint256 owedBefore = router.treasuryOwed();
        uint256[4] memory gains;
        uint256 toTreasury;
        for (uint256 r; r < 3; ++r) {
            (uint256[4] memory g, uint256 t) = _expectedCredits(
                reports[r],
                router.getInference(ids[r]).pool,
                THRESHOLD,
                _forfeitedMask(reports[r])
            );
            for (uint256 c; c < 4; ++c) gains[c] += g[c];
            toTreasury += t;
        }
        router.settleBatch(reports, _signBatch(reports));

        _assertCredits(creditsBefore, gains);
        assertEq(router.treasuryOwed() - owedBefore, toTreasury, "toTreasury");
        assertEq(gains[0] + gains[1] + gains[2] + gains[3] + toTreasury, pools, "credited + toTreasury != pools");
        for (uint256 r; r < 3; ++r) assertEq(_status(ids[r]), uint8(IInferenceRouter.InferenceStatus.Settled));
    }

    /// The datanets read for a batch are refreshed when the model changes: contribution 7 (datanet 2) may be named
    /// for model 2 but not by a model-1 report that follows it.
    function test_settleBatch_refreshesDatanetsWhenModelChanges() public {
        uint256 onModel2 = _pay(MODEL_2, 2_000, 1_000);
        uint256 onModel1 = _pay(MODEL_1, 2_000, 1_000);
        IInferenceRouter.AttributionReport[] memory reports = new IInferenceRouter.AttributionReport[](2);
        reports[0] = _report(onModel2, _list(C_OTHER_DATANET), _list(WAD));
        reports[1] = _report(onModel1, _list(C_OTHER_DATANET), _list(WAD));
        IAttributionOracle.SignerSignature[] memory signatures = _signBatch(reports);
        vm.expectRevert(
            abi.encodeWithSelector(
                IInferenceRouter.InferenceRouterInvalidContribution.selector,
                onModel1,
                C_OTHER_DATANET
            )
        );
        router.settleBatch(reports, signatures);
    }

    /// The transient record cache lives for one settlement call only. A test function runs as one transaction, so
    /// transient storage survives between the calls below: a contribution read (and cached) by one batch, then
    /// penalized, is forfeited by the next batch in the same transaction, not credited from the stale record.
    function test_settleBatch_cacheDoesNotOutliveTheCall() public {
        IInferenceRouter.AttributionReport[] memory batch = new IInferenceRouter.AttributionReport[](1);
        batch[0] = _quarters(_payWhitepaper());
        router.settleBatch(batch, _signBatch(batch));
        assertEq(router.creditOf(dave), 0.032 ether, "dave credited by the first batch");

        vm.prank(curator);
        datanets.penalize(C_DAVE, "found to be adversarial");

        batch[0] = _quarters(_payWhitepaper());
        vm.expectEmit(address(router));
        emit IInferenceRouter.ContributionForfeited(batch[0].inferenceId, C_DAVE, 0.032 ether);
        router.settleBatch(batch, _signBatch(batch));
        assertEq(router.creditOf(dave), 0.032 ether, "dave credited from a stale record");
        assertEq(router.creditOf(erin), 0.064 ether);
    }

    /// A contribution recurring across a batch is read from the registry once and credited every time: erin's
    /// contribution 7 takes the whole pool of three model-2 inferences.
    function test_settleBatch_creditsRecurringContributionEachTime() public {
        IInferenceRouter.AttributionReport[] memory reports = new IInferenceRouter.AttributionReport[](3);
        uint256 pools;
        for (uint256 i; i < 3; ++i) {
            uint256 inferenceId = _pay(MODEL_2, 2_000 * uint64(i + 1), 1_000);
            pools += router.getInference(inferenceId).pool;
            reports[i] = _report(inferenceId, _list(C_OTHER_DATANET), _list(WAD));
        }
        uint256 before = router.creditOf(erin);
        router.settleBatch(reports, _signBatch(reports));
        assertEq(router.creditOf(erin) - before, pools);
    }

    /// Reports of Settled, Expired and window-closed inferences are skipped (ReportSkipped) and change nothing;
    /// the others settle. Alone, each of them reverts.
    function test_settleBatch_skipsReportsThatCanNoLongerSettle() public {
        uint256 settled = _payWhitepaper();
        uint256 expired = _payWhitepaper();
        uint256 closed = _payWhitepaper();
        _settle(_quarters(settled));
        uint256 closesAt = block.timestamp + WINDOW;
        vm.warp(closesAt + 1);
        router.expire(expired);
        uint256 open_ = _payWhitepaper();

        IInferenceRouter.AttributionReport[] memory reports = new IInferenceRouter.AttributionReport[](4);
        reports[0] = _quarters(settled);
        reports[1] = _quarters(expired);
        reports[2] = _quarters(closed);
        reports[3] = _quarters(open_);
        uint256 owedBefore = router.treasuryOwed();
        vm.expectEmit(address(router));
        emit IInferenceRouter.ReportSkipped(settled, IInferenceRouter.InferenceStatus.Settled);
        vm.expectEmit(address(router));
        emit IInferenceRouter.ReportSkipped(expired, IInferenceRouter.InferenceStatus.Expired);
        vm.expectEmit(address(router));
        emit IInferenceRouter.ReportSkipped(closed, IInferenceRouter.InferenceStatus.Pending);
        router.settleBatch(reports, _signBatch(reports));
        assertEq(router.creditOf(dave), 0.064 ether, "dave: the settled and the open inference");
        assertEq(router.treasuryOwed(), owedBefore, "a skipped report moved treasuryOwed");
        assertEq(_status(closed), uint8(IInferenceRouter.InferenceStatus.Pending));

        IInferenceRouter.AttributionReport memory alone = _quarters(closed);
        IAttributionOracle.SignerSignature[] memory sigs = _signReport(router, alone);
        vm.expectRevert(
            abi.encodeWithSelector(IInferenceRouter.InferenceRouterWindowClosed.selector, closed, closesAt)
        );
        router.settle(alone, sigs);
    }

    /// A batch is bounded by its work, checked after processing: one unit over MAX_BATCH_CONTRIBUTIONS reverts the
    /// whole batch; at the bound it reaches the signature check.
    function test_fuzz_settleBatch_revertsAboveTheWorkBound(uint256 over) public {
        uint256 settled = _payWhitepaper();
        _settle(_quarters(settled));
        uint256 max = router.MAX_BATCH_CONTRIBUTIONS();
        uint256 total = max + bound(over, 1, 600);
        // Reports of a settled inference are skipped, so their contribution ids are not checked.
        uint256 perReport = router.MAX_CONTRIBUTIONS();
        uint256 count = (total + perReport - 1) / perReport;
        IInferenceRouter.AttributionReport[] memory reports = new IInferenceRouter.AttributionReport[](count);
        uint256 left = total;
        for (uint256 r; r < count; ++r) {
            uint256 n = left < perReport ? left : perReport;
            left -= n;
            uint256[] memory ids = new uint256[](n);
            for (uint256 i; i < n; ++i) ids[i] = i + 1;
            reports[r] = _report(settled, ids, new uint256[](n));
        }
        vm.expectRevert(abi.encodeWithSelector(IInferenceRouter.InferenceRouterBatchTooLarge.selector, total, max));
        router.settleBatch(reports, new IAttributionOracle.SignerSignature[](0));
    }

    function test_fuzz_settle_revertsWhenWeightsExceedWad(uint256 first, uint256 second) public {
        first = bound(first, 1, WAD);
        second = bound(second, WAD - first + 1, WAD);
        uint256 inferenceId = _payWhitepaper();
        IInferenceRouter.AttributionReport memory report = _report(
            inferenceId,
            _list(C_DAVE, C_ERIN),
            _list(first, second)
        );
        IAttributionOracle.SignerSignature[] memory signatures = _signReport(router, report);
        vm.expectRevert(
            abi.encodeWithSelector(
                IInferenceRouter.InferenceRouterWeightsExceedWad.selector,
                inferenceId,
                first + second
            )
        );
        router.settle(report, signatures);
    }

    /// One weight above 100% is refused by itself (before the sum could overflow).
    function test_fuzz_settle_revertsOnSingleWeightAboveWad(uint256 weight, uint256 other) public {
        weight = bound(weight, WAD + 1, type(uint256).max);
        uint256 inferenceId = _payWhitepaper();
        IInferenceRouter.AttributionReport memory report = _report(
            inferenceId,
            _list(C_DAVE, C_ERIN),
            _list(weight, other)
        );
        IAttributionOracle.SignerSignature[] memory signatures = _signReport(router, report);
        vm.expectRevert(
            abi.encodeWithSelector(IInferenceRouter.InferenceRouterWeightsExceedWad.selector, inferenceId, weight)
        );
        router.settle(report, signatures);
    }

    /// Rejected, pending, other-datanet, unknown, repeated and unordered contributions are each refused; a penalized
    /// one is not (it forfeits).
    function test_settle_revertsOnInvalidContributions() public {
        uint256 inferenceId = _payWhitepaper();
        uint256[5] memory bad = [C_REJECTED, C_PENDING, C_OTHER_DATANET, 1_000, 2 ** 64 + C_ERIN];
        for (uint256 k; k < bad.length; ++k) {
            IInferenceRouter.AttributionReport memory report = _report(
                inferenceId,
                _list(C_DAVE, bad[k]),
                _list(50 * PERCENT, 50 * PERCENT)
            );
            IAttributionOracle.SignerSignature[] memory signatures = _signReport(router, report);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IInferenceRouter.InferenceRouterInvalidContribution.selector,
                    inferenceId,
                    bad[k]
                )
            );
            router.settle(report, signatures);
        }
        // A repeated id, then a decreasing one: ids must strictly increase.
        uint256[2][2] memory pairs = [[C_ERIN, C_ERIN], [C_GRACE, C_DAVE]];
        for (uint256 k; k < 2; ++k) {
            IInferenceRouter.AttributionReport memory report = _report(
                inferenceId,
                _list(pairs[k][0], pairs[k][1]),
                new uint256[](2)
            );
            IAttributionOracle.SignerSignature[] memory signatures = _signReport(router, report);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IInferenceRouter.InferenceRouterInvalidContribution.selector,
                    inferenceId,
                    pairs[k][1]
                )
            );
            router.settle(report, signatures);
        }
        // The penalized contribution forfeits its half.
        IInferenceRouter.AttributionReport memory withPenalized = _report(
            inferenceId,
            _list(C_DAVE, C_PENALIZED),
            _list(50 * PERCENT, 50 * PERCENT)
        );
        vm.expectEmit(address(router));
        emit IInferenceRouter.ContributionForfeited(inferenceId, C_PENALIZED, 0.064 ether);
        _settle(withPenalized);
    }

    // ----------------------------------------------------------------------------------------------
    // Expiry and the window
    // ----------------------------------------------------------------------------------------------

    /// The window is inclusive for settlement and exclusive for expiry: at paidAt + window a report still settles
    /// and expiry reverts; one second later, the reverse.
    function test_fuzz_expire_onlyAfterTheWindow(uint256 early, uint256 late) public {
        uint256 inferenceId = _payWhitepaper();
        uint256 closesAt = block.timestamp + WINDOW;
        assertEq(router.getInference(inferenceId).closesAt, closesAt);
        IInferenceRouter.AttributionReport memory report = _quarters(inferenceId);
        IAttributionOracle.SignerSignature[] memory signatures = _signReport(router, report);

        vm.warp(bound(early, block.timestamp, closesAt));
        vm.expectRevert(
            abi.encodeWithSelector(IInferenceRouter.InferenceRouterWindowOpen.selector, inferenceId, closesAt)
        );
        router.expire(inferenceId);

        vm.warp(bound(late, closesAt + 1, closesAt + 365 days));
        vm.expectRevert(
            abi.encodeWithSelector(IInferenceRouter.InferenceRouterWindowClosed.selector, inferenceId, closesAt)
        );
        router.settle(report, signatures);

        uint256 owedBefore = router.treasuryOwed();
        vm.expectEmit(address(router));
        emit IInferenceRouter.InferenceExpired(inferenceId, 0.128 ether);
        router.expire(inferenceId);
        assertEq(router.treasuryOwed() - owedBefore, 0.128 ether, "expired pool not owed to the treasury");
        assertEq(_status(inferenceId), uint8(IInferenceRouter.InferenceStatus.Expired));
        vm.expectRevert(
            abi.encodeWithSelector(
                IInferenceRouter.InferenceRouterNotPending.selector,
                inferenceId,
                IInferenceRouter.InferenceStatus.Expired
            )
        );
        router.expire(inferenceId);
    }

    /// The window in force at payment is the inference's: governance shortening or lengthening it later neither
    /// lets anyone expire the inference early nor keeps it open longer.
    function test_fuzz_closesAt_isFixedAtPayment(uint256 newWindow) public {
        newWindow = bound(newWindow, router.MIN_ATTRIBUTION_WINDOW(), router.MAX_ATTRIBUTION_WINDOW());
        uint256 inferenceId = _payWhitepaper();
        uint256 closesAt = block.timestamp + WINDOW;
        vm.prank(governance);
        router.setAttributionWindow(newWindow);
        assertEq(router.getInference(inferenceId).closesAt, closesAt);

        vm.warp(closesAt);
        vm.expectRevert(
            abi.encodeWithSelector(IInferenceRouter.InferenceRouterWindowOpen.selector, inferenceId, closesAt)
        );
        router.expire(inferenceId);
        vm.warp(closesAt + 1);
        router.expire(inferenceId);

        // A later payment takes the new window.
        uint256 later = _payWhitepaper();
        assertEq(router.getInference(later).closesAt, block.timestamp + newWindow);
    }

    // ----------------------------------------------------------------------------------------------
    // Claims
    // ----------------------------------------------------------------------------------------------

    /// Credits go out exactly once, to the caller or to another recipient; never to zero, the OPEN token or a
    /// protocol contract that could not pay them out.
    function test_fuzz_claimTo_paysOnceAndRefusesProtocolContracts(address recipient) public {
        address[6] memory refused = [
            address(router),
            address(open),
            address(staked),
            address(datanets),
            address(models),
            address(oracle)
        ];
        for (uint256 i; i < refused.length; ++i) vm.assume(recipient != refused[i]);
        vm.assume(recipient != address(0));
        _settle(_quarters(_payWhitepaper()));

        vm.startPrank(erin);
        for (uint256 i; i < refused.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(IProtocolAdmin.ProtocolAdminInvalidRecipient.selector, refused[i]));
            router.claimTo(refused[i]);
        }
        vm.expectRevert(IProtocolAdmin.ProtocolAdminZeroAddress.selector);
        router.claimTo(address(0));

        uint256 before = open.balanceOf(recipient);
        assertEq(router.claimTo(recipient), 0.032 ether);
        assertEq(open.balanceOf(recipient) - before, 0.032 ether);
        assertEq(router.creditOf(erin), 0);
        vm.expectRevert(abi.encodeWithSelector(IInferenceRouter.InferenceRouterNothingToClaim.selector, erin));
        router.claim();
        vm.stopPrank();
    }

    // ----------------------------------------------------------------------------------------------
    // Signature attacks
    // ----------------------------------------------------------------------------------------------

    /// @dev A valid report for a fresh whitepaper inference and its (sorted) signatures by signers 0 and 1.
    function _signedQuarters()
        internal
        returns (IInferenceRouter.AttributionReport memory report, IAttributionOracle.SignerSignature[] memory sigs)
    {
        report = _quarters(_payWhitepaper());
        sigs = _signReport(router, report);
    }

    /// @dev After a refused attempt, the inference is still Pending and the genuine signatures settle it once.
    function _assertStillSettlesOnce(
        IInferenceRouter.AttributionReport memory report,
        IAttributionOracle.SignerSignature[] memory sigs
    ) internal {
        assertEq(_status(report.inferenceId), uint8(IInferenceRouter.InferenceStatus.Pending));
        router.settle(report, sigs);
        vm.expectRevert(
            abi.encodeWithSelector(
                IInferenceRouter.InferenceRouterNotPending.selector,
                report.inferenceId,
                IInferenceRouter.InferenceStatus.Settled
            )
        );
        router.settle(report, sigs);
    }

    function test_settle_revertsOnDuplicateSigner() public {
        (
            IInferenceRouter.AttributionReport memory report,
            IAttributionOracle.SignerSignature[] memory sigs
        ) = _signedQuarters();
        IAttributionOracle.SignerSignature[] memory twice = new IAttributionOracle.SignerSignature[](2);
        twice[0] = sigs[0];
        twice[1] = sigs[0];
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionOracle.AttributionOracleDuplicateSigner.selector, sigs[0].signer)
        );
        router.settle(report, twice);
        _assertStillSettlesOnce(report, sigs);
    }

    function test_settle_revertsOnUnsortedSigners() public {
        (
            IInferenceRouter.AttributionReport memory report,
            IAttributionOracle.SignerSignature[] memory sigs
        ) = _signedQuarters();
        IAttributionOracle.SignerSignature[] memory reversed = new IAttributionOracle.SignerSignature[](2);
        reversed[0] = sigs[1];
        reversed[1] = sigs[0];
        vm.expectRevert(abi.encodeWithSelector(IAttributionOracle.AttributionOracleSignersNotSorted.selector, 1));
        router.settle(report, reversed);
        _assertStillSettlesOnce(report, sigs);
    }

    /// k − 1 valid signatures (and none at all) are too few.
    function test_fuzz_settle_revertsWithFewerThanThreshold(uint256 which) public {
        (
            IInferenceRouter.AttributionReport memory report,
            IAttributionOracle.SignerSignature[] memory sigs
        ) = _signedQuarters();
        IAttributionOracle.SignerSignature[] memory one = new IAttributionOracle.SignerSignature[](1);
        one[0] = sigs[which % 2];
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionOracle.AttributionOracleTooFewSignatures.selector, 1, ORACLE_THRESHOLD)
        );
        router.settle(report, one);
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionOracle.AttributionOracleTooFewSignatures.selector, 0, ORACLE_THRESHOLD)
        );
        router.settle(report, new IAttributionOracle.SignerSignature[](0));
        _assertStillSettlesOnce(report, sigs);
    }

    /// A genuine signature by an address that is not a registered signer does not count.
    function test_fuzz_settle_revertsOnUnknownSigner(uint256 key) public {
        key = bound(key, 1, 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140);
        address stranger = vm.addr(key);
        vm.assume(stranger != signerAddrs[0] && stranger != signerAddrs[1] && stranger != signerAddrs[2]);
        (
            IInferenceRouter.AttributionReport memory report,
            IAttributionOracle.SignerSignature[] memory sigs
        ) = _signedQuarters();

        IAttributionOracle.SignerSignature[] memory withStranger = _signSorted(
            router.reportDigest(report),
            _pair(signerKeys[0], key)
        );
        vm.expectRevert(abi.encodeWithSelector(IAttributionOracle.AttributionOracleUnknownSigner.selector, stranger));
        router.settle(report, withStranger);
        _assertStillSettlesOnce(report, sigs);
    }

    /// A signer removed after signing no longer counts.
    function test_settle_revertsForRemovedSigner() public {
        (
            IInferenceRouter.AttributionReport memory report,
            IAttributionOracle.SignerSignature[] memory sigs
        ) = _signedQuarters();
        vm.prank(governance);
        oracle.removeSigner(signerAddrs[0]);
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionOracle.AttributionOracleUnknownSigner.selector, signerAddrs[0])
        );
        router.settle(report, sigs);
    }

    /// The chain id is in the EIP-712 domain: a signature made for another chain does not settle here, and a
    /// signature made here does not settle on another chain (e.g. after a fork).
    function test_fuzz_settle_revertsOnAnotherChainId(uint64 otherChainId) public {
        uint256 chainId = block.chainid;
        vm.assume(otherChainId != chainId && otherChainId != 0);
        (
            IInferenceRouter.AttributionReport memory report,
            IAttributionOracle.SignerSignature[] memory sigs
        ) = _signedQuarters();
        bytes32 digest = router.reportDigest(report);

        vm.chainId(otherChainId);
        bytes32 foreignDigest = router.reportDigest(report);
        IAttributionOracle.SignerSignature[] memory foreign = _signSorted(
            foreignDigest,
            _pair(signerKeys[0], signerKeys[1])
        );
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionOracle.AttributionOracleInvalidSignature.selector, sigs[0].signer)
        );
        router.settle(report, sigs);
        vm.chainId(chainId);

        assertTrue(foreignDigest != digest, "the chain id does not change the digest");
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionOracle.AttributionOracleInvalidSignature.selector, foreign[0].signer)
        );
        router.settle(report, foreign);
        _assertStillSettlesOnce(report, sigs);
    }

    /// The router's address is in the EIP-712 domain: signatures for one router cannot settle the same inference id
    /// on a second router sharing the oracle.
    function test_settle_revertsOnReplayToAnotherRouter() public {
        // The same signers, behind a second oracle bound to the second router.
        AttributionOracle secondOracle = new AttributionOracle(governance, oracle.signers(), oracle.threshold());
        IInferenceRouter.Dependencies memory dependencies = _dependencies();
        dependencies.oracle = IAttributionOracle(address(secondOracle));
        InferenceRouter second = new InferenceRouter(dependencies, _admin(), _routerParameters());
        secondOracle.bindRouter(address(second));
        vm.startPrank(payer);
        open.approve(address(second), type(uint256).max);
        uint256 onSecond = second.payInference(MODEL_1, 2_000, 1_000, _requestId(requestNonce + 1), type(uint256).max);
        vm.stopPrank();
        (
            IInferenceRouter.AttributionReport memory report,
            IAttributionOracle.SignerSignature[] memory sigs
        ) = _signedQuarters();
        assertEq(report.inferenceId, onSecond, "the same payer and request: the same id on both routers");
        assertTrue(second.reportDigest(report) != router.reportDigest(report), "same digest on both routers");

        router.settle(report, sigs);
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionOracle.AttributionOracleInvalidSignature.selector, sigs[0].signer)
        );
        second.settle(report, sigs);
        assertEq(uint8(second.getInference(onSecond).status), uint8(IInferenceRouter.InferenceStatus.Pending));
        second.settle(report, _signReport(second, report));
    }

    /// The inference id is signed: a report signed for one inference cannot settle another.
    function test_fuzz_settle_revertsWhenInferenceIdSwapped(uint256 count, uint256 target) public {
        count = bound(count, 2, 6);
        uint256[] memory ids = new uint256[](count);
        for (uint256 i; i < count; ++i) ids[i] = _payWhitepaper();
        IInferenceRouter.AttributionReport memory report = _quarters(ids[0]);
        IAttributionOracle.SignerSignature[] memory sigs = _signReport(router, report);

        IInferenceRouter.AttributionReport memory swapped = _quarters(ids[bound(target, 1, count - 1)]);
        swapped.outputHash = report.outputHash;
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionOracle.AttributionOracleInvalidSignature.selector, sigs[0].signer)
        );
        router.settle(swapped, sigs);
        _assertStillSettlesOnce(report, sigs);
    }

    /// Changing a weight, the deadline, the output hash or the index commitment after signing invalidates the
    /// signatures.
    function test_fuzz_settle_revertsOnTamperedReport(
        uint256 index,
        uint256 weight,
        uint256 deadline,
        bytes32 outputHash,
        bytes32 indexCommitment
    ) public {
        (
            IInferenceRouter.AttributionReport memory report,
            IAttributionOracle.SignerSignature[] memory sigs
        ) = _signedQuarters();
        bytes memory invalid = abi.encodeWithSelector(
            IAttributionOracle.AttributionOracleInvalidSignature.selector,
            sigs[0].signer
        );
        IInferenceRouter.AttributionReport memory tampered = _quarters(report.inferenceId);
        tampered.weights[index % 4] = bound(weight, 0, 25 * PERCENT - 1);
        vm.expectRevert(invalid);
        router.settle(tampered, sigs);

        tampered = _quarters(report.inferenceId);
        tampered.deadline = bound(deadline, block.timestamp, FAR_DEADLINE - 1);
        vm.expectRevert(invalid);
        router.settle(tampered, sigs);

        vm.assume(outputHash != report.outputHash && indexCommitment != report.indexCommitment);
        tampered = _quarters(report.inferenceId);
        tampered.outputHash = outputHash;
        vm.expectRevert(invalid);
        router.settle(tampered, sigs);

        tampered = _quarters(report.inferenceId);
        tampered.indexCommitment = indexCommitment;
        vm.expectRevert(invalid);
        router.settle(tampered, sigs);
        _assertStillSettlesOnce(report, sigs);
    }

    /// Signatures over a one-report batch are not signatures over the report itself, and vice versa.
    function test_settle_revertsOnBatchSignaturesForSingleReport() public {
        (
            IInferenceRouter.AttributionReport memory report,
            IAttributionOracle.SignerSignature[] memory sigs
        ) = _signedQuarters();
        IInferenceRouter.AttributionReport[] memory batch = new IInferenceRouter.AttributionReport[](1);
        batch[0] = report;
        IAttributionOracle.SignerSignature[] memory batchSigs = _signBatch(batch);
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionOracle.AttributionOracleInvalidSignature.selector, batchSigs[0].signer)
        );
        router.settle(report, batchSigs);
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionOracle.AttributionOracleInvalidSignature.selector, sigs[0].signer)
        );
        router.settleBatch(batch, sigs);
        router.settleBatch(batch, batchSigs);
    }

    /// Malformed bytes and high-s (malleable) signatures are refused as malformed.
    function test_settle_revertsOnMalformedSignatures() public {
        (
            IInferenceRouter.AttributionReport memory report,
            IAttributionOracle.SignerSignature[] memory sigs
        ) = _signedQuarters();
        bytes32 digest = router.reportDigest(report);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(signerKeys[0], digest);
        // (r, n − s, v ^ 1) recovers the same address but breaks the low-s rule.
        uint256 n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141;
        bytes[2] memory malformed = [
            bytes(hex"deadbeef"),
            abi.encodePacked(r, bytes32(n - uint256(s)), v == 27 ? uint8(28) : uint8(27))
        ];
        for (uint256 k; k < 2; ++k) {
            IAttributionOracle.SignerSignature[] memory bad = new IAttributionOracle.SignerSignature[](2);
            bad[0] = IAttributionOracle.SignerSignature({signer: signerAddrs[0], signature: malformed[k]});
            bad[1] = IAttributionOracle.SignerSignature({
                signer: signerAddrs[1],
                signature: _signDigest(signerKeys[1], digest)
            });
            _sortBySigner(bad);
            vm.expectRevert(
                abi.encodeWithSelector(IAttributionOracle.AttributionOracleMalformedSignature.selector, signerAddrs[0])
            );
            router.settle(report, bad);
        }
        _assertStillSettlesOnce(report, sigs);
    }

    function test_settle_revertsOnExpiredReport() public {
        uint256 inferenceId = _payWhitepaper();
        IInferenceRouter.AttributionReport memory report = _quarters(inferenceId);
        report.deadline = block.timestamp + 1 hours;
        IAttributionOracle.SignerSignature[] memory sigs = _signReport(router, report);
        vm.warp(report.deadline + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IInferenceRouter.InferenceRouterReportExpired.selector, inferenceId, report.deadline)
        );
        router.settle(report, sigs);
    }
}
