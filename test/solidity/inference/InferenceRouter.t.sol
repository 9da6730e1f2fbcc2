// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {InferenceRouter} from "../../../contracts/inference/InferenceRouter.sol";
import {IAttributionOracle} from "../../../contracts/interfaces/IAttributionOracle.sol";
import {IInferenceRouter} from "../../../contracts/interfaces/IInferenceRouter.sol";
import {IModelRegistry} from "../../../contracts/interfaces/IModelRegistry.sol";
import {BPS, WAD} from "../../../contracts/libraries/Constants.sol";

import {InferenceFixture} from "./InferenceFixture.sol";

/// @notice Fuzz tests of InferenceRouter: payments and their exact split, settlement of signed attribution
/// reports (proportional shares, the threshold, dust), the whitepaper's example to the wei, and attacks on the
/// oracle signatures (each refused with its own error).
contract InferenceRouterTest is InferenceFixture {
    /// Most OPEN-wei one side (input or output) of a fuzzed payment may cost: the payer holds 100M OPEN.
    uint256 internal constant SIDE_BUDGET = 40_000_000 ether;

    /// Contributions eligible for model 1 (datanet 1), and their contributors.
    uint256[5] internal ELIGIBLE_IDS = [C_DAVE, C_ERIN, C_GRACE, C_HEIDI, C_DAVE_2];

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

    function _contributorOf(uint256 contributionId) internal view returns (address) {
        return datanets.getContribution(contributionId).contributor;
    }

    /// @dev Σ credits of the four contributors.
    function _contributorCredits() internal view returns (uint256) {
        return router.creditOf(dave) + router.creditOf(erin) + router.creditOf(grace) + router.creditOf(heidi);
    }

    /// @dev Contributions of model 1 chosen by `mask` (bits 0..4 over ELIGIBLE_IDS, increasing ids) with weights
    /// from `raw`: one in four tiny (around the threshold), the rest up to 100%, scaled down when they sum above
    /// 100%.
    function _randomReport(
        uint256 inferenceId,
        uint256 mask,
        uint256[5] memory raw,
        uint256 threshold
    ) internal view returns (IInferenceRouter.AttributionReport memory report) {
        uint256 n;
        for (uint256 i; i < 5; ++i) if ((mask >> i) & 1 == 1) ++n;
        uint256[] memory selected = new uint256[](n);
        uint256[] memory weights = new uint256[](n);
        uint256 k;
        uint256 sum;
        // ELIGIBLE_IDS is increasing: keep its order.
        for (uint256 i; i < 5; ++i) {
            if ((mask >> i) & 1 == 0) continue;
            selected[k] = ELIGIBLE_IDS[i];
            weights[k] = raw[i] % 4 == 0 ? bound(raw[i] >> 2, 0, 2 * threshold + 1) : bound(raw[i] >> 2, 0, WAD);
            sum += weights[k];
            ++k;
        }
        if (sum > WAD) {
            for (uint256 i; i < n; ++i) weights[i] = (weights[i] * WAD) / sum;
        }
        report = _report(inferenceId, selected, weights);
    }

    /// @dev What the router must credit for `report` on a pool of `pool` under `threshold`.
    function _expectedShares(
        IInferenceRouter.AttributionReport memory report,
        uint256 pool,
        uint256 threshold
    ) internal pure returns (uint256[] memory amounts, uint256 toTreasury, uint256 eligibleWeight) {
        uint256 n = report.weights.length;
        for (uint256 i; i < n; ++i) {
            uint256 w = report.weights[i];
            if (w != 0 && w >= threshold) eligibleWeight += w;
        }
        amounts = new uint256[](n);
        uint256 distributed;
        for (uint256 i; i < n; ++i) {
            uint256 w = report.weights[i];
            if (eligibleWeight == 0 || w == 0 || w < threshold) continue;
            amounts[i] = Math.mulDiv(pool, w, eligibleWeight);
            distributed += amounts[i];
        }
        toTreasury = pool - distributed;
    }

    // ----------------------------------------------------------------------------------------------
    // Quote and payment
    // ----------------------------------------------------------------------------------------------

    /// Over the whole token domain, quote == FeeMath: (in × inRate + out × outRate) / 1000 + platform fee.
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
        uint256 expectedModelFee = (uint256(inputTokens) * inputRate + uint256(outputTokens) * outputRate) / 1_000;
        assertEq(modelFee, expectedModelFee, "modelFee");
        assertEq(fee, expectedModelFee + PLATFORM_FEE, "fee");
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

    /// A payment pulls exactly the quoted fee and splits it to the wei: creator credit + stakers' notification +
    /// pool + platform fee == fee, each part as FeeMath computes it, under any split, platform fee and rates.
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

        // The expected split, computed here from the documented formulas.
        uint256 modelFee = (uint256(c.inputTokens) * inputRate + uint256(c.outputTokens) * outputRate) / 1_000;
        c.fee = modelFee + c.platformFee;
        c.creatorShare = (modelFee * creatorBps) / BPS;
        c.stakersShare = (modelFee * stakersBps) / BPS;
        c.pool = modelFee - c.creatorShare - c.stakersShare;
        (uint256 quoted, uint256 quotedModelFee) = router.quote(MODEL_1, c.inputTokens, c.outputTokens);
        assertEq(quoted, c.fee, "quote != FeeMath");
        assertEq(quotedModelFee, modelFee, "quoted model fee != FeeMath");

        _payAndCheck(c);
    }

    function _payAndCheck(PaymentCase memory c) internal {
        uint256 payerBefore = open.balanceOf(payer);
        uint256 routerBefore = open.balanceOf(address(router));
        uint256 stakedBefore = open.balanceOf(address(staked));
        uint256 rewardPerTokenBefore = staked.rewardPerToken();

        bytes32 requestId = _requestId(1);
        vm.expectEmit(address(router));
        emit IInferenceRouter.InferencePaid(
            1,
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

        assertEq(inferenceId, 1);
        assertEq(router.inferenceByRequest(requestId), 1);
        uint256 paid = payerBefore - open.balanceOf(payer);
        uint256 notified = open.balanceOf(address(staked)) - stakedBefore;
        IInferenceRouter.Inference memory inference = router.getInference(inferenceId);
        assertEq(paid, c.fee, "payer paid != fee");
        assertEq(router.creditOf(creator), c.creatorShare, "creator credit");
        assertEq(notified, c.stakersShare, "stakers notified");
        assertEq(inference.pool, c.pool, "pool");
        assertEq(router.treasuryOwed(), c.platformFee, "platform fee owed");
        assertEq(
            router.creditOf(creator) + notified + inference.pool + router.treasuryOwed(),
            paid,
            "creator + stakers + pool + platform != fee"
        );
        assertEq(
            open.balanceOf(address(router)) - routerBefore,
            c.fee - c.stakersShare,
            "router kept != fee - stakers"
        );
        assertEq(staked.rewardPerToken() - rewardPerTokenBefore, (c.stakersShare * WAD) / STAKE, "rewardPerToken");
        assertEq(inference.modelId, MODEL_1);
        assertEq(inference.paidAt, block.timestamp);
        assertEq(uint8(inference.status), uint8(IInferenceRouter.InferenceStatus.Pending));
    }

    /// With nothing staked, StakedOpen forwards the stakers' share to the treasury in the same call.
    function test_fuzz_payInference_forwardsStakersShareWhenNothingStaked(uint64 outputTokens) public {
        outputTokens = uint64(bound(outputTokens, 0, 1e9));
        vm.prank(alice);
        staked.requestUnstake(STAKE);

        uint256 treasuryBefore = open.balanceOf(treasury);
        uint256 stakedBefore = open.balanceOf(address(staked));
        uint256 payerBefore = open.balanceOf(payer);
        uint256 inferenceId = _pay(MODEL_1, 0, outputTokens);

        uint256 modelFee = (uint256(outputTokens) * OUTPUT_RATE) / 1_000;
        uint256 stakersShare = (modelFee * STAKERS_BPS) / BPS;
        assertEq(open.balanceOf(treasury) - treasuryBefore, stakersShare, "treasury != stakers share");
        assertEq(open.balanceOf(address(staked)), stakedBefore, "StakedOpen kept OPEN with nothing staked");
        assertEq(
            router.creditOf(creator) + stakersShare + router.getInference(inferenceId).pool + router.treasuryOwed(),
            payerBefore - open.balanceOf(payer),
            "creator + stakers + pool + platform != fee"
        );
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
        assertEq(router.inferenceCount(), 0);
    }

    function test_payInference_revertsOnDuplicateRequest() public {
        _payWhitepaper();
        vm.prank(payer);
        vm.expectRevert(
            abi.encodeWithSelector(IInferenceRouter.InferenceRouterDuplicateRequest.selector, _requestId(1), 1)
        );
        router.payInference(MODEL_1, 1, 1, _requestId(1), type(uint256).max);
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

    /// A permit for maxFee lets a payer without allowance pay; a permit front-run by someone else (its nonce
    /// used, the allowance in place) does not block the payment.
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
        assertEq(inferenceId, 1);
        assertEq(open.balanceOf(signer), 1_000_000 ether - fee);
        assertEq(open.allowance(signer, address(router)), 0);
        assertEq(open.nonces(signer), 1);
    }

    /// The guardian's pause stops payments and settlement; expiry, claims and sweeps go on.
    function test_pause_stopsPaymentsAndSettlementOnly() public {
        uint256 settled = _payWhitepaper();
        uint256 pending = _payWhitepaper();
        _settle(_quarters(settled));
        IInferenceRouter.AttributionReport memory report = _quarters(pending);
        IAttributionOracle.SignerSignature[] memory sigs = _signReport(router, report);

        vm.prank(guardian);
        router.pause();
        vm.prank(payer);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        router.payInference(MODEL_1, 1, 1, _requestId(3), type(uint256).max);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        router.settle(report, sigs);

        vm.prank(dave);
        assertEq(router.claim(), 0.032 ether);
        assertEq(router.sweepToTreasury(), 0.02 ether);
        vm.warp(block.timestamp + WINDOW + 1);
        router.expire(pending);
        assertEq(router.treasuryOwed(), 0.128 ether, "a pause longer than the window hands the pool to the treasury");
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
        uint256 stakedBefore = open.balanceOf(address(staked));
        uint256 inferenceId = _payWhitepaper();
        assertEq(payerBefore - open.balanceOf(payer), 0.33 ether);
        assertEq(router.creditOf(creator), 0.128 ether);
        assertEq(open.balanceOf(address(staked)) - stakedBefore, 0.064 ether);
        assertEq(router.getInference(inferenceId).pool, 0.128 ether);
        assertEq(router.treasuryOwed(), 0.01 ether);

        uint256[] memory amounts = new uint256[](4);
        for (uint256 i; i < 4; ++i) amounts[i] = 0.032 ether;
        IInferenceRouter.AttributionReport memory report = _quarters(inferenceId);
        vm.expectEmit(address(router));
        emit IInferenceRouter.InferenceSettled(inferenceId, report.contributionIds, amounts, 0);
        _settle(report);

        assertEq(router.creditOf(dave), 0.032 ether);
        assertEq(router.creditOf(erin), 0.032 ether);
        assertEq(router.creditOf(grace), 0.032 ether);
        assertEq(router.creditOf(heidi), 0.032 ether);
        assertEq(router.treasuryOwed(), 0.01 ether, "no dust");
        assertEq(uint8(router.getInference(inferenceId).status), uint8(IInferenceRouter.InferenceStatus.Settled));

        // Everyone is paid out exactly; the router ends empty.
        vm.prank(dave);
        assertEq(router.claim(), 0.032 ether);
        vm.prank(creator);
        assertEq(router.claim(), 0.128 ether);
        assertEq(router.sweepToTreasury(), 0.01 ether);
        assertEq(open.balanceOf(treasury) - treasuryBaseline, 0.01 ether);
        assertEq(open.balanceOf(address(router)), 3 * 0.032 ether);
    }

    // ----------------------------------------------------------------------------------------------
    // Settlement
    // ----------------------------------------------------------------------------------------------

    /// Random weights (sum ≤ 1e18) and threshold: the pool is shared in proportion among weights at or above the
    /// threshold, rounded down; weights below it get nothing; credited + toTreasury == pool exactly.
    function test_fuzz_settle_sharesPoolInProportion(
        uint256[5] memory raw,
        uint256 mask,
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

        IInferenceRouter.AttributionReport memory report = _randomReport(inferenceId, mask & 0x1f, raw, threshold);
        (uint256[] memory amounts, uint256 toTreasury, ) = _expectedShares(
            report,
            router.getInference(inferenceId).pool,
            threshold
        );
        uint256[4] memory creditsBefore = [
            router.creditOf(dave),
            router.creditOf(erin),
            router.creditOf(grace),
            router.creditOf(heidi)
        ];
        uint256 owedBefore = router.treasuryOwed();
        uint256 routerBalance = open.balanceOf(address(router));

        vm.expectEmit(address(router));
        emit IInferenceRouter.InferenceSettled(inferenceId, report.contributionIds, amounts, toTreasury);
        _settle(report);

        _assertShares(report, threshold, creditsBefore);
        assertEq(router.treasuryOwed() - owedBefore, toTreasury, "toTreasury");
        assertEq(open.balanceOf(address(router)), routerBalance, "settlement moved OPEN");
        assertEq(uint8(router.getInference(inferenceId).status), uint8(IInferenceRouter.InferenceStatus.Settled));
    }

    /// @dev After `report` settled: each weight under the threshold earned nothing, every other one its
    /// proportional share rounded down, each contributor was credited the sum of its contributions' shares
    /// (dave holds two), and credited + dust == pool.
    function _assertShares(
        IInferenceRouter.AttributionReport memory report,
        uint256 threshold,
        uint256[4] memory creditsBefore
    ) internal view {
        uint256 pool = router.getInference(report.inferenceId).pool;
        (uint256[] memory amounts, uint256 toTreasury, uint256 eligibleWeight) = _expectedShares(
            report,
            pool,
            threshold
        );
        uint256[4] memory expectedCredit;
        uint256 distributed;
        for (uint256 i; i < report.contributionIds.length; ++i) {
            uint256 w = report.weights[i];
            if (w < threshold || w == 0) {
                assertEq(amounts[i], 0, "weight under the threshold earned");
            } else {
                assertLe(amounts[i] * eligibleWeight, pool * w, "share rounded up");
                assertGt((amounts[i] + 1) * eligibleWeight, pool * w, "share not proportional");
            }
            address contributor = _contributorOf(report.contributionIds[i]);
            uint256 slot =
                contributor == dave
                    ? 0
                    : contributor == erin
                        ? 1
                        : contributor == grace
                            ? 2
                            : 3;
            expectedCredit[slot] += amounts[i];
            distributed += amounts[i];
        }
        assertEq(router.creditOf(dave) - creditsBefore[0], expectedCredit[0], "dave");
        assertEq(router.creditOf(erin) - creditsBefore[1], expectedCredit[1], "erin");
        assertEq(router.creditOf(grace) - creditsBefore[2], expectedCredit[2], "grace");
        assertEq(router.creditOf(heidi) - creditsBefore[3], expectedCredit[3], "heidi");
        assertEq(distributed + toTreasury, pool, "credited + toTreasury != pool");
        if (eligibleWeight == 0) assertEq(toTreasury, pool, "no eligible weight: the pool goes to the treasury");
        else assertLt(toTreasury, report.contributionIds.length, "dust >= number of contributions");
    }

    /// A batch across both models (model 2 also uses datanet 2) settles every pool exactly.
    function test_fuzz_settleBatch_conservesEveryPool(uint256[5] memory raw, uint256 masks, uint64 tokens) public {
        tokens = uint64(bound(tokens, 1, 1e9));
        uint256[3] memory ids = [_pay(MODEL_1, tokens, tokens), _pay(MODEL_2, tokens, 1), _pay(MODEL_1, 1, tokens)];
        IInferenceRouter.AttributionReport[] memory reports = new IInferenceRouter.AttributionReport[](3);
        uint256 pools;
        for (uint256 r; r < 3; ++r) {
            reports[r] = _randomReport(ids[r], (masks >> (8 * r)) & 0x1f, raw, THRESHOLD);
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

        uint256 creditsBefore = _contributorCredits();
        uint256 owedBefore = router.treasuryOwed();
        router.settleBatch(reports, _signSorted(router.batchDigest(reports), _pair(signerKeys[1], signerKeys[2])));

        uint256 expectedCredited;
        uint256 expectedToTreasury;
        for (uint256 r; r < 3; ++r) {
            (uint256[] memory amounts, uint256 toTreasury, ) = _expectedShares(
                reports[r],
                router.getInference(ids[r]).pool,
                THRESHOLD
            );
            for (uint256 i; i < amounts.length; ++i) expectedCredited += amounts[i];
            expectedToTreasury += toTreasury;
            assertEq(uint8(router.getInference(ids[r]).status), uint8(IInferenceRouter.InferenceStatus.Settled));
        }
        assertEq(_contributorCredits() - creditsBefore, expectedCredited, "credited");
        assertEq(router.treasuryOwed() - owedBefore, expectedToTreasury, "toTreasury");
        assertEq(expectedCredited + expectedToTreasury, pools, "credited + toTreasury != pools");
    }

    /// The datanets cached for a batch are refreshed when the model changes: contribution 7 (datanet 2) is
    /// eligible for model 2 but not for a model-1 report that follows it.
    function test_settleBatch_refreshesDatanetsWhenModelChanges() public {
        uint256 onModel2 = _pay(MODEL_2, 2_000, 1_000);
        uint256 onModel1 = _pay(MODEL_1, 2_000, 1_000);
        uint256[] memory ids = new uint256[](1);
        ids[0] = C_OTHER_DATANET;
        uint256[] memory weights = new uint256[](1);
        weights[0] = WAD;
        IInferenceRouter.AttributionReport[] memory reports = new IInferenceRouter.AttributionReport[](2);
        reports[0] = _report(onModel2, ids, weights);
        reports[1] = _report(onModel1, ids, weights);

        IAttributionOracle.SignerSignature[] memory signatures = _signSorted(
            router.batchDigest(reports),
            _pair(signerKeys[0], signerKeys[2])
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                IInferenceRouter.InferenceRouterIneligibleContribution.selector,
                onModel1,
                C_OTHER_DATANET
            )
        );
        router.settleBatch(reports, signatures);
    }

    /// The transient contributor cache lives for one settlement call only. A test function runs as one
    /// transaction, so transient storage survives between the calls below: a contribution read (and cached) by
    /// one settlement, then penalized, must be refused by the next settlement in the same transaction.
    function test_settle_cacheDoesNotOutliveTheCall() public {
        uint256 first = _payWhitepaper();
        uint256 second = _payWhitepaper();
        _settle(_quarters(first));
        assertEq(router.creditOf(dave), 0.032 ether, "dave credited by the first settlement");

        vm.prank(curator);
        datanets.penalize(C_DAVE, "found to be adversarial");

        IInferenceRouter.AttributionReport memory report = _quarters(second);
        IAttributionOracle.SignerSignature[] memory signatures = _signReport(router, report);
        vm.expectRevert(
            abi.encodeWithSelector(IInferenceRouter.InferenceRouterIneligibleContribution.selector, second, C_DAVE)
        );
        router.settle(report, signatures);
    }

    /// A contribution recurring across a batch is read from the registry once and credited every time: erin's
    /// contribution 7 takes the whole pool of three model-2 inferences.
    function test_settleBatch_creditsRecurringContributionEachTime() public {
        uint256[] memory ids = new uint256[](1);
        ids[0] = C_OTHER_DATANET;
        uint256[] memory weights = new uint256[](1);
        weights[0] = WAD;
        IInferenceRouter.AttributionReport[] memory reports = new IInferenceRouter.AttributionReport[](3);
        uint256 pools;
        for (uint256 i; i < 3; ++i) {
            uint256 inferenceId = _pay(MODEL_2, 2_000 * uint64(i + 1), 1_000);
            pools += router.getInference(inferenceId).pool;
            reports[i] = _report(inferenceId, ids, weights);
        }
        uint256 before = router.creditOf(erin);
        router.settleBatch(reports, _signSorted(router.batchDigest(reports), _pair(signerKeys[0], signerKeys[1])));
        assertEq(router.creditOf(erin) - before, pools);
    }

    function test_fuzz_settle_revertsWhenWeightsExceedWad(uint256 first, uint256 second) public {
        first = bound(first, 1, WAD);
        second = bound(second, WAD - first + 1, WAD);
        uint256 inferenceId = _payWhitepaper();
        uint256[] memory ids = new uint256[](2);
        ids[0] = C_DAVE;
        ids[1] = C_ERIN;
        uint256[] memory weights = new uint256[](2);
        weights[0] = first;
        weights[1] = second;
        IInferenceRouter.AttributionReport memory report = _report(inferenceId, ids, weights);
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
        other = bound(other, 0, type(uint256).max);
        uint256 inferenceId = _payWhitepaper();
        uint256[] memory ids = new uint256[](2);
        ids[0] = C_DAVE;
        ids[1] = C_ERIN;
        uint256[] memory weights = new uint256[](2);
        weights[0] = weight;
        weights[1] = other;
        IInferenceRouter.AttributionReport memory report = _report(inferenceId, ids, weights);
        IAttributionOracle.SignerSignature[] memory signatures = _signReport(router, report);

        vm.expectRevert(
            abi.encodeWithSelector(IInferenceRouter.InferenceRouterWeightsExceedWad.selector, inferenceId, weight)
        );
        router.settle(report, signatures);
    }

    /// Penalized, rejected, pending, other-datanet, repeated and unordered contributions are each refused.
    function test_settle_revertsOnIneligibleContributions() public {
        uint256 inferenceId = _payWhitepaper();
        uint256[5] memory bad = [C_PENALIZED, C_REJECTED, C_PENDING, C_OTHER_DATANET, 1_000];
        for (uint256 k; k < bad.length; ++k) {
            uint256[] memory ids = new uint256[](2);
            ids[0] = C_DAVE;
            ids[1] = bad[k];
            uint256[] memory weights = new uint256[](2);
            weights[0] = 50 * PERCENT;
            weights[1] = 50 * PERCENT;
            IInferenceRouter.AttributionReport memory report = _report(inferenceId, ids, weights);
            IAttributionOracle.SignerSignature[] memory signatures = _signReport(router, report);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IInferenceRouter.InferenceRouterIneligibleContribution.selector,
                    inferenceId,
                    bad[k]
                )
            );
            router.settle(report, signatures);
        }
        // A repeated id, then a decreasing one: ids must strictly increase.
        uint256[2][2] memory pairs = [[C_ERIN, C_ERIN], [C_GRACE, C_DAVE]];
        for (uint256 k; k < 2; ++k) {
            uint256[] memory ids = new uint256[](2);
            ids[0] = pairs[k][0];
            ids[1] = pairs[k][1];
            IInferenceRouter.AttributionReport memory report = _report(inferenceId, ids, new uint256[](2));
            IAttributionOracle.SignerSignature[] memory signatures = _signReport(router, report);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IInferenceRouter.InferenceRouterIneligibleContribution.selector,
                    inferenceId,
                    ids[1]
                )
            );
            router.settle(report, signatures);
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Expiry and the window
    // ----------------------------------------------------------------------------------------------

    /// The window is inclusive for settlement and exclusive for expiry: at paidAt + window a report still
    /// settles and expiry reverts; one second later, the reverse.
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
        router.expire(inferenceId);
        assertEq(router.treasuryOwed() - owedBefore, 0.128 ether, "expired pool not owed to the treasury");
        assertEq(uint8(router.getInference(inferenceId).status), uint8(IInferenceRouter.InferenceStatus.Expired));
        vm.expectRevert(
            abi.encodeWithSelector(
                IInferenceRouter.InferenceRouterNotPending.selector,
                inferenceId,
                IInferenceRouter.InferenceStatus.Expired
            )
        );
        router.expire(inferenceId);
    }

    /// The window in force at payment is the inference's: governance shortening or lengthening it later
    /// neither lets anyone expire the inference early nor keeps it open longer.
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

    /// Credits go out exactly once, to the caller or to another recipient; never to the router or to zero.
    function test_fuzz_claimTo_paysOnceAndRefusesTheRouter(address recipient) public {
        vm.assume(recipient != address(0) && recipient != address(router));
        _settle(_quarters(_payWhitepaper()));

        vm.startPrank(erin);
        vm.expectRevert(
            abi.encodeWithSelector(IInferenceRouter.InferenceRouterInvalidRecipient.selector, address(router))
        );
        router.claimTo(address(router));
        vm.expectRevert(IInferenceRouter.InferenceRouterZeroAddress.selector);
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
        assertEq(
            uint8(router.getInference(report.inferenceId).status),
            uint8(IInferenceRouter.InferenceStatus.Pending)
        );
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
        // Here, on the other chain, this chain's signatures fail.
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

    /// The router's address is in the EIP-712 domain: signatures for one router cannot settle the same
    /// inference id on a second router sharing the oracle.
    function test_settle_revertsOnReplayToAnotherRouter() public {
        InferenceRouter second = _deployRouter();
        vm.startPrank(payer);
        open.approve(address(second), type(uint256).max);
        second.payInference(MODEL_1, 2_000, 1_000, _requestId(1), type(uint256).max);
        vm.stopPrank();
        (
            IInferenceRouter.AttributionReport memory report,
            IAttributionOracle.SignerSignature[] memory sigs
        ) = _signedQuarters();
        assertEq(report.inferenceId, 1);
        assertTrue(second.reportDigest(report) != router.reportDigest(report), "same digest on both routers");

        router.settle(report, sigs);
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionOracle.AttributionOracleInvalidSignature.selector, sigs[0].signer)
        );
        second.settle(report, sigs);
        assertEq(uint8(second.getInference(1).status), uint8(IInferenceRouter.InferenceStatus.Pending));
        second.settle(report, _signReport(second, report));
    }

    /// The inference id is signed: a report signed for one inference cannot settle another.
    function test_fuzz_settle_revertsWhenInferenceIdSwapped(uint256 count, uint256 target) public {
        count = bound(count, 2, 6);
        for (uint256 i; i < count; ++i) _payWhitepaper();
        IInferenceRouter.AttributionReport memory report = _quarters(1);
        IAttributionOracle.SignerSignature[] memory sigs = _signReport(router, report);

        IInferenceRouter.AttributionReport memory swapped = _quarters(bound(target, 2, count));
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionOracle.AttributionOracleInvalidSignature.selector, sigs[0].signer)
        );
        router.settle(swapped, sigs);
        _assertStillSettlesOnce(report, sigs);
    }

    /// Changing a weight, or a deadline, after signing invalidates the signatures.
    function test_fuzz_settle_revertsOnTamperedReport(uint256 index, uint256 weight, uint256 deadline) public {
        (
            IInferenceRouter.AttributionReport memory report,
            IAttributionOracle.SignerSignature[] memory sigs
        ) = _signedQuarters();
        IInferenceRouter.AttributionReport memory tampered = _quarters(report.inferenceId);
        index = index % 4;
        tampered.weights[index] = bound(weight, 0, 25 * PERCENT - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionOracle.AttributionOracleInvalidSignature.selector, sigs[0].signer)
        );
        router.settle(tampered, sigs);

        tampered = _quarters(report.inferenceId);
        tampered.deadline = bound(deadline, block.timestamp, FAR_DEADLINE - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionOracle.AttributionOracleInvalidSignature.selector, sigs[0].signer)
        );
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
        IAttributionOracle.SignerSignature[] memory batchSigs = _signSorted(
            router.batchDigest(batch),
            _pair(signerKeys[0], signerKeys[1])
        );
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
