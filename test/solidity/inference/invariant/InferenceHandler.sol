// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {StakedOpen} from "../../../../contracts/governance/StakedOpen.sol";
import {InferenceRouter} from "../../../../contracts/inference/InferenceRouter.sol";
import {IAttributionOracle} from "../../../../contracts/interfaces/IAttributionOracle.sol";
import {IInferenceRouter} from "../../../../contracts/interfaces/IInferenceRouter.sol";
import {BPS, WAD} from "../../../../contracts/libraries/Constants.sol";
import {DatanetRegistry} from "../../../../contracts/registry/DatanetRegistry.sol";
import {OpenToken} from "../../../../contracts/token/OpenToken.sol";

import {OracleSigning} from "../OracleSigning.sol";

/// @notice Drives InferenceRouter for the invariant suite: three payers, the two Active models of
/// InferenceFixture, three oracle signers (with their private keys, signing with vm.sign) and a stranger key,
/// governance changing the parameters, the guardian pausing, and a staker who sometimes leaves StakedOpen
/// empty (so that the stakers' share is forwarded to the treasury). It records every inference in a ghost
/// `Record`, measured from balance and credit deltas, so that the invariants can check each fee to the wei.
/// @dev Actions choose a target on which they can succeed (a Pending inference inside its window, a creditor
/// with credits); about one call in eight is a refusal on purpose (fee above maxFee, an ineligible contribution,
/// weights above 100%, too few or unknown signers, a window still open or already closed, nothing to claim or
/// sweep, a paused router), whose custom error is checked exactly. Because the suite runs with
/// failOnRevert = false, a failed check must not revert: it is recorded in `ghost_violation`, which
/// invariant_handlerChecksHold asserts is empty.
contract InferenceHandler is OracleSigning, StdCheats, StdUtils {
    uint256 internal constant PAYERS = 3;
    uint256 internal constant CREDITORS = 5;
    uint256 internal constant MAX_BATCH = 4;
    uint256 internal constant SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141;

    /// @notice One paid inference, as observed. Amounts in OPEN-wei.
    /// @param closesAt The end of its attribution window: paidAt + the window in force at payment.
    /// @param fee Taken from the payer.
    /// @param creator Credited to the model's creator.
    /// @param stakers Sent to StakedOpen, or forwarded by it to the treasury when nothing was staked.
    /// @param pool The contributors' pool held by the router.
    /// @param platform Owed to the treasury at payment.
    /// @param contributors Credited to contributors at settlement.
    /// @param toTreasury Owed to the treasury at settlement (dust, or the whole pool) or at expiry (the pool).
    struct Record {
        uint256 modelId;
        uint256 paidAt;
        uint256 closesAt;
        uint256 fee;
        uint256 creator;
        uint256 stakers;
        uint256 pool;
        uint256 platform;
        uint256 contributors;
        uint256 toTreasury;
        uint256 settlements;
        uint256 expiries;
        IInferenceRouter.InferenceStatus status;
    }

    /// @dev Balances and credits before an action.
    struct Snapshot {
        uint256 routerBalance;
        uint256 stakedBalance;
        uint256 treasuryBalance;
        uint256 owed;
        uint256[CREDITORS] credits;
    }

    InferenceRouter public immutable router;
    OpenToken public immutable open;
    StakedOpen public immutable staked;
    DatanetRegistry public immutable datanets;
    address public immutable governance;
    address public immutable treasury;
    address public immutable guardian;
    address public immutable staker;

    address[PAYERS] internal _payers;
    /// The creator of model 1, then dave, erin, grace and heidi (dave also created model 2).
    address[CREDITORS] internal _creditors;
    uint256[3] internal _signerKeys;
    uint256 internal immutable _strangerKey;

    mapping(uint256 inferenceId => Record) internal _records;
    /// The nonce of each inference's request id (request ids are keccak256("request", nonce)).
    mapping(uint256 inferenceId => uint256 nonce) internal _requestOf;
    uint256 internal _requestNonce;

    // Ghost totals, in OPEN-wei.
    uint256 public ghost_paid;
    uint256 public ghost_forwarded; // stakers' shares StakedOpen forwarded to the treasury (nothing staked)
    uint256 public ghost_claimed;
    uint256 public ghost_swept;
    uint256 public ghost_skipped;
    /// An action-level property failed (checked by an invariant so that the failure is reported).
    string public ghost_violation;

    mapping(bytes32 action => uint256) public calls;

    constructor(
        InferenceRouter router_,
        StakedOpen staked_,
        DatanetRegistry datanets_,
        address[4] memory roles, // governance, treasury, guardian, staker
        address[CREDITORS] memory creditors_,
        uint256[3] memory signerKeys_
    ) {
        router = router_;
        open = OpenToken(address(staked_.stakingToken()));
        staked = staked_;
        datanets = datanets_;
        governance = roles[0];
        treasury = roles[1];
        guardian = roles[2];
        staker = roles[3];
        _creditors = creditors_;
        _signerKeys = signerKeys_;
        (, _strangerKey) = makeAddrAndKey("stranger");
        for (uint256 i; i < PAYERS; ++i) _payers[i] = makeAddr(string.concat("payer", vm.toString(i)));
    }

    // ----------------------------------------------------------------------------------------------
    // Views for the invariants
    // ----------------------------------------------------------------------------------------------

    function payer(uint256 i) external view returns (address) {
        return _payers[i];
    }

    function payerCount() external pure returns (uint256) {
        return PAYERS;
    }

    function creditor(uint256 i) external view returns (address) {
        return _creditors[i];
    }

    function creditorCount() external pure returns (uint256) {
        return CREDITORS;
    }

    function record(uint256 inferenceId) external view returns (Record memory) {
        return _records[inferenceId];
    }

    // ----------------------------------------------------------------------------------------------
    // Actions
    // ----------------------------------------------------------------------------------------------

    /// Pays for one to three inferences of random models and sizes by random payers.
    function pay(uint256 payerSeed, uint256 modelSeed, uint256 tokenSeed, uint256 modeSeed) external {
        calls["pay"]++;
        uint256 count = 1 + (_mix(modeSeed, 0) % 3);
        for (uint256 k; k < count; ++k) {
            _payOne(
                _payers[(payerSeed + k) % PAYERS],
                1 + (_mix(modelSeed, k) % 2),
                _mix(tokenSeed, k),
                _mix(modeSeed, k + 1) % 16
            );
        }
    }

    /// Settles one Pending inference with a report signed by two or three oracle signers (or, in one call in
    /// four, checks a refusal: an invalid report, too few or unknown signers, a closed window, a settled or
    /// expired inference, or a paused router).
    function settle(uint256 inferenceSeed, uint256 weightSeed, uint256 modeSeed) external {
        calls["settle"]++;
        (uint256 id, bool found) = _pickPending(inferenceSeed, true);
        if (!found) return _settleRefused(inferenceSeed, weightSeed);

        IInferenceRouter.AttributionReport memory report = _randomReport(id, weightSeed);
        uint256 mode = _mix(modeSeed, 0) % 16;
        modeSeed = _mix(modeSeed, 1);
        if (router.paused()) {
            calls["settle.paused"]++;
            return
                _expectSettleRevert(
                    report,
                    _signSorted(router.reportDigest(report), _signerSet(modeSeed)),
                    abi.encodeWithSelector(Pausable.EnforcedPause.selector)
                );
        }
        if (mode == 0 || (mode == 1 && report.contributionIds.length != 0))
            return _settleBadReport(report, mode, modeSeed);
        if (mode < 4) return _settleBadSignatures(report, mode, modeSeed);

        IAttributionOracle.SignerSignature[] memory sigs = _signSorted(
            router.reportDigest(report),
            _signerSet(modeSeed)
        );
        IInferenceRouter.AttributionReport[] memory reports = new IInferenceRouter.AttributionReport[](1);
        reports[0] = report;
        Snapshot memory before = _snapshot();
        try router.settle(report, sigs) {} catch {
            return _violate("settle: a valid report reverted");
        }
        calls["settle.ok"]++;
        _checkSettled(reports, before);
    }

    /// @dev A genuinely signed report the router must refuse: mode 0 names an ineligible contribution, mode 1
    /// weights above 100%.
    function _settleBadReport(IInferenceRouter.AttributionReport memory report, uint256 mode, uint256 seed) internal {
        uint256 id = report.inferenceId;
        bytes memory expected;
        if (mode == 0) {
            // An ineligible contribution (penalized, from a datanet the model does not use, rejected or pending),
            // after the others: ids stay increasing.
            uint256 bad = _ineligibleFor(_records[id].modelId, seed >> 8);
            report = _appendContribution(report, bad, 0);
            expected = abi.encodeWithSelector(IInferenceRouter.InferenceRouterIneligibleContribution.selector, id, bad);
        } else {
            // Raise the last weight so that the sum exceeds 100%; the router names that weight if it alone
            // exceeds 100%, else the sum.
            uint256 sum = _sum(report.weights);
            uint256 extra = bound(seed >> 8, WAD - sum + 1, WAD);
            uint256 last = report.weights[report.weights.length - 1] + extra;
            report.weights[report.weights.length - 1] = last;
            expected = abi.encodeWithSelector(
                IInferenceRouter.InferenceRouterWeightsExceedWad.selector,
                id,
                last > WAD ? last : sum + extra
            );
        }
        _expectSettleRevert(report, _signSorted(router.reportDigest(report), _signerSet(seed >> 16)), expected);
    }

    /// @dev A valid report with signatures the oracle must refuse: one signature (threshold − 1), or a registered
    /// signer with a stranger.
    function _settleBadSignatures(
        IInferenceRouter.AttributionReport memory report,
        uint256 mode,
        uint256 seed
    ) internal {
        bytes32 digest = router.reportDigest(report);
        uint256 key = _signerKeys[(seed >> 8) % 3];
        if (mode != 3) {
            IAttributionOracle.SignerSignature[] memory one = new IAttributionOracle.SignerSignature[](1);
            one[0] = IAttributionOracle.SignerSignature({signer: vm.addr(key), signature: _signDigest(key, digest)});
            return
                _expectSettleRevert(
                    report,
                    one,
                    abi.encodeWithSelector(IAttributionOracle.AttributionOracleTooFewSignatures.selector, 1, 2)
                );
        }
        _expectSettleRevert(
            report,
            _signSorted(digest, _pair(key, _strangerKey)),
            abi.encodeWithSelector(IAttributionOracle.AttributionOracleUnknownSigner.selector, vm.addr(_strangerKey))
        );
    }

    /// Settles one to four Pending inferences (of either model, in any order) under one set of signatures; one
    /// call in eight also names a finished inference, which must revert the whole batch.
    function settleBatch(uint256 inferenceSeed, uint256 weightSeed, uint256 modeSeed) external {
        calls["settleBatch"]++;
        if (router.paused()) return _skip();
        uint256 size = 1 + (_mix(modeSeed, 0) % MAX_BATCH);
        uint256[] memory ids = _pickPendingMany(inferenceSeed, size);
        if (ids.length == 0) return _skip();

        (uint256 finished, bool hasFinished) = _pickFinished(inferenceSeed >> 8);
        bool poisoned = hasFinished && _mix(modeSeed, 1) % 8 == 0;
        IInferenceRouter.AttributionReport[] memory reports = new IInferenceRouter.AttributionReport[](
            ids.length + (poisoned ? 1 : 0)
        );
        for (uint256 r; r < ids.length; ++r) {
            reports[r] = _randomReport(ids[r], uint256(keccak256(abi.encode(weightSeed, r))));
        }
        if (poisoned) reports[ids.length] = _randomReport(finished, weightSeed);
        IAttributionOracle.SignerSignature[] memory sigs = _signSorted(
            router.batchDigest(reports),
            _signerSet(_mix(modeSeed, 2))
        );

        Snapshot memory before = _snapshot();
        if (poisoned) return _expectBatchRefused(reports, sigs, finished, before.owed);
        try router.settleBatch(reports, sigs) {} catch {
            return _violate("settleBatch: a valid batch reverted");
        }
        calls["settleBatch.ok"]++;
        calls["settleBatch.reports"] += ids.length;
        _checkSettled(reports, before);
    }

    /// Expires a Pending inference, warping past its window half the time (sometimes to the first second after
    /// it); otherwise checks that the window is still open, sometimes at its last second. With nothing Pending,
    /// checks that a finished or unknown inference cannot expire.
    function expire(uint256 inferenceSeed, uint256 warpSeed) external {
        calls["expire"]++;
        (uint256 id, bool found) = _pickPending(inferenceSeed, false);
        if (!found) return _expireNothingPending(inferenceSeed);
        uint256 closesAt = _records[id].closesAt;
        if (block.timestamp <= closesAt) {
            uint256 w = _mix(warpSeed, 0);
            if (w % 2 == 0) {
                vm.warp(closesAt + (w % 16 < 4 ? 1 : bound(w >> 8, 1, 2 days)));
            } else if (w % 8 == 1) {
                vm.warp(closesAt);
            }
        }
        if (block.timestamp <= closesAt) {
            calls["expire.early"]++;
            return
                _expectExpireRevert(
                    id,
                    abi.encodeWithSelector(IInferenceRouter.InferenceRouterWindowOpen.selector, id, closesAt)
                );
        }

        uint256 owedBefore = router.treasuryOwed();
        uint256 balanceBefore = open.balanceOf(address(router));
        uint256 pool = router.getInference(id).pool;
        try router.expire(id) {} catch {
            return _violate("expire: reverted after the window");
        }
        calls["expire.ok"]++;
        Record storage rec = _records[id];
        rec.expiries++;
        rec.status = IInferenceRouter.InferenceStatus.Expired;
        rec.toTreasury += router.treasuryOwed() - owedBefore;
        if (router.treasuryOwed() - owedBefore != pool) _violate("expire: treasuryOwed grew by != pool");
        if (open.balanceOf(address(router)) != balanceBefore) _violate("expire: moved OPEN");
        if (router.getInference(id).status != IInferenceRouter.InferenceStatus.Expired) {
            _violate("expire: status != Expired");
        }
    }

    /// @dev A finished inference, or else an unknown one, cannot expire.
    function _expireNothingPending(uint256 seed) internal {
        (uint256 id, bool found) = _pickFinished(seed);
        if (found) {
            return
                _expectExpireRevert(
                    id,
                    abi.encodeWithSelector(IInferenceRouter.InferenceRouterNotPending.selector, id, _records[id].status)
                );
        }
        id = router.inferenceCount() + 1;
        _expectExpireRevert(id, abi.encodeWithSelector(IInferenceRouter.InferenceRouterUnknownInference.selector, id));
    }

    function _expectExpireRevert(uint256 id, bytes memory expected) internal {
        calls["expire.refused"]++;
        uint256 owedBefore = router.treasuryOwed();
        try router.expire(id) {
            _violate("expire: expired an inference it must not");
        } catch (bytes memory reason) {
            _expectError(reason, expected, "expire: wrong error");
        }
        if (router.treasuryOwed() != owedBefore) _violate("expire: refused but treasuryOwed moved");
    }

    /// A creditor with credits claims them, to itself or to a payer or another creditor; sometimes a creditor
    /// without credits tries.
    function claim(uint256 creditorSeed, uint256 recipientSeed) external {
        calls["claim"]++;
        (address account, bool found) = _creditorWithCredit(creditorSeed);
        recipientSeed = _mix(recipientSeed, 0);
        if (!found) {
            if (recipientSeed % 4 != 0) return _skip();
            vm.prank(account);
            try router.claim() {
                _violate("claim: paid with nothing to claim");
            } catch (bytes memory reason) {
                _expectError(
                    reason,
                    abi.encodeWithSelector(IInferenceRouter.InferenceRouterNothingToClaim.selector, account),
                    "claim: wrong error with nothing to claim"
                );
            }
            return;
        }
        address recipient =
            recipientSeed % 2 == 0
                ? account
                : (recipientSeed >> 1) % 2 == 0
                    ? _payers[(recipientSeed >> 2) % PAYERS]
                    : _creditors[(recipientSeed >> 2) % CREDITORS];
        uint256 credit = router.creditOf(account);
        uint256 recipientBefore = open.balanceOf(recipient);
        uint256 amount;
        vm.prank(account);
        if (recipient == account) {
            try router.claim() returns (uint256 paid) {
                amount = paid;
            } catch {
                return _violate("claim: reverted with credits");
            }
        } else {
            try router.claimTo(recipient) returns (uint256 paid) {
                amount = paid;
            } catch {
                return _violate("claimTo: reverted with credits");
            }
        }
        calls["claim.ok"]++;
        ghost_claimed += amount;
        if (amount != credit) _violate("claim: amount != credit");
        if (router.creditOf(account) != 0) _violate("claim: credit not cleared");
        if (open.balanceOf(recipient) != recipientBefore + amount) _violate("claim: OPEN received != amount");
    }

    /// Anyone sends what the treasury is owed.
    function sweepToTreasury() external {
        calls["sweepToTreasury"]++;
        uint256 owed = router.treasuryOwed();
        uint256 treasuryBefore = open.balanceOf(treasury);
        if (owed == 0) {
            try router.sweepToTreasury() {
                _violate("sweep: swept nothing");
            } catch (bytes memory reason) {
                _expectError(
                    reason,
                    abi.encodeWithSelector(IInferenceRouter.InferenceRouterNothingToSweep.selector),
                    "sweep: wrong error with nothing owed"
                );
            }
            return;
        }
        uint256 amount;
        try router.sweepToTreasury() returns (uint256 swept) {
            amount = swept;
        } catch {
            return _violate("sweep: reverted with something owed");
        }
        calls["sweepToTreasury.ok"]++;
        ghost_swept += amount;
        if (amount != owed) _violate("sweep: amount != treasuryOwed");
        if (router.treasuryOwed() != 0) _violate("sweep: treasuryOwed not cleared");
        if (open.balanceOf(treasury) != treasuryBefore + amount) _violate("sweep: treasury received != amount");
    }

    function warp(uint256 seconds_) external {
        calls["warp"]++;
        vm.warp(block.timestamp + bound(seconds_, 1, 3 days));
    }

    /// The staker leaves StakedOpen (one time in four), or stakes again when nothing is staked.
    function toggleStake(uint256 seed) external {
        calls["toggleStake"]++;
        uint256 stake = staked.balanceOf(staker);
        if (stake == 0) {
            if (open.balanceOf(staker) == 0) return _skip();
            uint256 amount = bound(seed, 1, open.balanceOf(staker));
            vm.prank(staker);
            try staked.stake(amount) {} catch {
                return _violate("toggleStake: stake reverted");
            }
        } else if (_mix(seed, 0) % 4 == 0) {
            vm.prank(staker);
            try staked.requestUnstake(stake) {} catch {
                return _violate("toggleStake: requestUnstake reverted");
            }
        } else {
            _skip();
        }
    }

    /// Governance changes one parameter: the platform fee, the split, the attribution threshold or the window.
    function setParameters(uint256 which, uint256 value) external {
        calls["setParameters"]++;
        vm.startPrank(governance);
        uint256 kind = which % 4;
        if (kind == 0) {
            uint256 fee = value % 2 == 0 ? 0 : bound(value, 0, router.MAX_PLATFORM_FEE());
            try router.setPlatformFee(fee) {} catch {
                _violate("setPlatformFee reverted");
            }
        } else if (kind == 1) {
            uint16 creatorBps = uint16(bound(value, 0, BPS));
            uint16 stakersBps = uint16(bound(value >> 16, 0, BPS - creatorBps));
            IInferenceRouter.FeeSplit memory split = IInferenceRouter.FeeSplit({
                creatorBps: creatorBps,
                stakersBps: stakersBps,
                contributorsBps: uint16(BPS - creatorBps - stakersBps)
            });
            try router.setFeeSplit(split) {} catch {
                _violate("setFeeSplit reverted");
            }
        } else if (kind == 2) {
            try router.setAttributionThreshold(bound(value, 0, router.MAX_ATTRIBUTION_THRESHOLD())) {} catch {
                _violate("setAttributionThreshold reverted");
            }
        } else {
            try router.setAttributionWindow(bound(value, 1 hours, 14 days)) {} catch {
                _violate("setAttributionWindow reverted");
            }
        }
        vm.stopPrank();
    }

    /// Governance unpauses, or (one time in four) the guardian pauses.
    function togglePause(uint256 seed) external {
        calls["togglePause"]++;
        if (router.paused()) {
            vm.prank(governance);
            try router.unpause() {} catch {
                _violate("unpause reverted");
            }
        } else if (_mix(seed, 0) % 4 == 0) {
            vm.prank(guardian);
            try router.pause() {} catch {
                _violate("guardian pause reverted");
            }
        } else {
            _skip();
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Payment
    // ----------------------------------------------------------------------------------------------

    /// @dev One payment order.
    struct Order {
        address from;
        uint256 modelId;
        uint64 inputTokens;
        uint64 outputTokens;
        bytes32 requestId;
        uint256 fee;
        uint256 modelFee;
    }

    function _payOne(address from, uint256 modelId, uint256 seed, uint256 mode) internal {
        Order memory o;
        o.from = from;
        o.modelId = modelId;
        // Token counts over every order of magnitude up to a million.
        o.inputTokens = uint64(bound(seed >> 8, 0, 10 ** (seed % 7)));
        o.outputTokens = uint64(bound(seed >> 128, 0, 10 ** ((seed >> 4) % 7)));
        o.requestId = keccak256(abi.encode("request", ++_requestNonce));
        (o.fee, o.modelFee) = router.quote(modelId, o.inputTokens, o.outputTokens);
        if (_payRefusal(o, seed, mode)) return;

        Snapshot memory before = _snapshot();
        uint256 payerBefore = open.balanceOf(from);
        bool nothingStaked = staked.totalSupply() == 0;
        // maxFee: exactly the fee half the time.
        uint256 maxFee = o.fee + (seed % 2) * o.modelFee;
        uint256 id;
        vm.prank(from);
        try router.payInference(modelId, o.inputTokens, o.outputTokens, o.requestId, maxFee) returns (uint256 paid) {
            id = paid;
        } catch {
            return _violate("pay: reverted");
        }
        calls["pay.ok"]++;
        _requestOf[id] = _requestNonce;
        _recordPayment(id, o, payerBefore - open.balanceOf(from), before, nothingStaked);
    }

    /// @dev A payment the router must refuse, when paused or in modes 0 (maxFee one wei short) and 1 (a request
    /// id already paid); returns whether one was tried.
    function _payRefusal(Order memory o, uint256 seed, uint256 mode) internal returns (bool) {
        if (router.paused()) {
            calls["pay.paused"]++;
            _payRefused(o, type(uint256).max, abi.encodeWithSelector(Pausable.EnforcedPause.selector));
            return true;
        }
        if (mode == 0 && o.fee != 0) {
            calls["pay.aboveMax"]++;
            _payRefused(
                o,
                o.fee - 1,
                abi.encodeWithSelector(IInferenceRouter.InferenceRouterFeeAboveMax.selector, o.fee, o.fee - 1)
            );
            return true;
        }
        uint256 existing = router.inferenceCount();
        if (mode == 1 && existing != 0) {
            calls["pay.duplicate"]++;
            uint256 reused = 1 + (seed % existing);
            o.requestId = keccak256(abi.encode("request", _requestOf[reused]));
            _payRefused(
                o,
                type(uint256).max,
                abi.encodeWithSelector(IInferenceRouter.InferenceRouterDuplicateRequest.selector, o.requestId, reused)
            );
            return true;
        }
        return false;
    }

    function _payRefused(Order memory o, uint256 maxFee, bytes memory expected) internal {
        uint256 count = router.inferenceCount();
        vm.prank(o.from);
        try router.payInference(o.modelId, o.inputTokens, o.outputTokens, o.requestId, maxFee) {
            _violate("pay: accepted a payment it must refuse");
        } catch (bytes memory reason) {
            _expectError(reason, expected, "pay: wrong error");
        }
        if (router.inferenceCount() != count) _violate("pay: refused but counted");
    }

    function _recordPayment(
        uint256 id,
        Order memory o,
        uint256 paid,
        Snapshot memory before,
        bool nothingStaked
    ) internal {
        uint256 modelId = o.modelId;
        uint256 modelFee = o.modelFee;
        uint256 fee = o.fee;
        IInferenceRouter.Inference memory inference = router.getInference(id);
        uint256 toStaked = open.balanceOf(address(staked)) - before.stakedBalance;
        uint256 forwarded = open.balanceOf(treasury) - before.treasuryBalance;
        uint256 creatorSlot = modelId == 1 ? 0 : 1;
        Record storage rec = _records[id];
        rec.modelId = modelId;
        rec.paidAt = block.timestamp;
        rec.closesAt = inference.closesAt;
        rec.fee = paid;
        rec.creator = router.creditOf(_creditors[creatorSlot]) - before.credits[creatorSlot];
        rec.stakers = toStaked + forwarded;
        rec.pool = inference.pool;
        rec.platform = router.treasuryOwed() - before.owed;
        rec.status = IInferenceRouter.InferenceStatus.Pending;
        ghost_paid += paid;
        ghost_forwarded += forwarded;

        // Against the documented formulas, with the parameters in force.
        IInferenceRouter.FeeSplit memory split = router.feeSplit();
        if (id != router.inferenceCount()) _violate("pay: id != inferenceCount");
        if (paid != fee) _violate("pay: payer paid != quote");
        if (fee != modelFee + router.platformFee()) _violate("pay: fee != modelFee + platformFee");
        if (rec.creator != (modelFee * split.creatorBps) / BPS) _violate("pay: creator share");
        if (rec.stakers != (modelFee * split.stakersBps) / BPS) _violate("pay: stakers share");
        if (rec.pool != modelFee - rec.creator - rec.stakers) _violate("pay: pool != modelFee - creator - stakers");
        if (rec.platform != router.platformFee()) _violate("pay: platform fee owed");
        if (nothingStaked ? toStaked != 0 : forwarded != 0) _violate("pay: stakers' share went to the wrong place");
        if (open.balanceOf(address(router)) - before.routerBalance != paid - rec.stakers) {
            _violate("pay: router kept != fee - stakers share");
        }
        if (inference.modelId != modelId || inference.paidAt != block.timestamp) _violate("pay: inference record");
        if (inference.closesAt != block.timestamp + router.attributionWindow()) {
            _violate("pay: closesAt != paidAt + window");
        }
        if (inference.status != IInferenceRouter.InferenceStatus.Pending) _violate("pay: status != Pending");
    }

    // ----------------------------------------------------------------------------------------------
    // Settlement
    // ----------------------------------------------------------------------------------------------

    /// @dev A batch whose last report names finished inference `finished`: it must revert as a whole, leaving
    /// every other inference Pending.
    function _expectBatchRefused(
        IInferenceRouter.AttributionReport[] memory reports,
        IAttributionOracle.SignerSignature[] memory sigs,
        uint256 finished,
        uint256 owedBefore
    ) internal {
        calls["settleBatch.poisoned"]++;
        try router.settleBatch(reports, sigs) {
            return _violate("settleBatch: settled a finished inference");
        } catch (bytes memory reason) {
            _expectError(
                reason,
                abi.encodeWithSelector(
                    IInferenceRouter.InferenceRouterNotPending.selector,
                    finished,
                    _records[finished].status
                ),
                "settleBatch: wrong error for a finished inference"
            );
        }
        for (uint256 r; r + 1 < reports.length; ++r) {
            if (router.getInference(reports[r].inferenceId).status != IInferenceRouter.InferenceStatus.Pending) {
                _violate("settleBatch: a reverted batch settled an inference");
            }
        }
        if (router.treasuryOwed() != owedBefore) _violate("settleBatch: a reverted batch moved treasuryOwed");
    }

    /// @dev With no Pending inference inside its window: a closed window, a finished inference, or nothing.
    function _settleRefused(uint256 inferenceSeed, uint256 weightSeed) internal {
        if (router.paused()) return _skip();
        (uint256 id, bool found) = _pickPending(inferenceSeed, false);
        bytes memory expected;
        if (found) {
            calls["settle.windowClosed"]++;
            expected = abi.encodeWithSelector(
                IInferenceRouter.InferenceRouterWindowClosed.selector,
                id,
                _records[id].closesAt
            );
        } else {
            (id, found) = _pickFinished(inferenceSeed);
            if (!found) return _skip();
            calls["settle.notPending"]++;
            expected = abi.encodeWithSelector(
                IInferenceRouter.InferenceRouterNotPending.selector,
                id,
                _records[id].status
            );
        }
        IInferenceRouter.AttributionReport memory report = _randomReport(id, weightSeed);
        _expectSettleRevert(report, _signSorted(router.reportDigest(report), _signerSet(weightSeed >> 128)), expected);
    }

    function _expectSettleRevert(
        IInferenceRouter.AttributionReport memory report,
        IAttributionOracle.SignerSignature[] memory sigs,
        bytes memory expected
    ) internal {
        calls["settle.refused"]++;
        IInferenceRouter.InferenceStatus statusBefore = router.getInference(report.inferenceId).status;
        uint256 owedBefore = router.treasuryOwed();
        try router.settle(report, sigs) {
            _violate("settle: accepted a report it must refuse");
        } catch (bytes memory reason) {
            _expectError(reason, expected, "settle: wrong error");
        }
        if (router.getInference(report.inferenceId).status != statusBefore) _violate("settle: refused but moved");
        if (router.treasuryOwed() != owedBefore) _violate("settle: refused but treasuryOwed moved");
    }

    /// @dev After `reports` settled: every creditor was credited exactly its expected shares, the treasury is
    /// owed exactly the dust, no OPEN moved; each report's record is completed.
    function _checkSettled(IInferenceRouter.AttributionReport[] memory reports, Snapshot memory before) internal {
        uint256 threshold = router.attributionThreshold();
        uint256[CREDITORS] memory expectedCredits;
        uint256 expectedOwed;
        for (uint256 r; r < reports.length; ++r) {
            IInferenceRouter.AttributionReport memory report = reports[r];
            Record storage rec = _records[report.inferenceId];
            (uint256[] memory amounts, uint256 toTreasury) = _expectedShares(report, rec.pool, threshold);
            uint256 credited;
            for (uint256 i; i < amounts.length; ++i) {
                expectedCredits[
                    _creditorSlot(datanets.getContribution(report.contributionIds[i]).contributor)
                ] += amounts[i];
                credited += amounts[i];
            }
            expectedOwed += toTreasury;
            rec.contributors += credited;
            rec.toTreasury += toTreasury;
            rec.settlements++;
            rec.status = IInferenceRouter.InferenceStatus.Settled;
            if (router.getInference(report.inferenceId).status != IInferenceRouter.InferenceStatus.Settled) {
                _violate("settle: status != Settled");
            }
        }
        for (uint256 c; c < CREDITORS; ++c) {
            if (router.creditOf(_creditors[c]) - before.credits[c] != expectedCredits[c]) {
                _violate("settle: a contributor's credit != its proportional shares");
            }
        }
        if (router.treasuryOwed() - before.owed != expectedOwed) _violate("settle: treasuryOwed grew by != dust");
        if (open.balanceOf(address(router)) != before.routerBalance) _violate("settle: moved OPEN");
    }

    /// @dev What settling `report` must credit under `threshold`: the router's rule, restated.
    function _expectedShares(
        IInferenceRouter.AttributionReport memory report,
        uint256 pool,
        uint256 threshold
    ) internal pure returns (uint256[] memory amounts, uint256 toTreasury) {
        uint256 n = report.weights.length;
        uint256 eligibleWeight;
        for (uint256 i; i < n; ++i) {
            if (report.weights[i] != 0 && report.weights[i] >= threshold) eligibleWeight += report.weights[i];
        }
        amounts = new uint256[](n);
        toTreasury = pool;
        if (eligibleWeight == 0) return (amounts, toTreasury);
        for (uint256 i; i < n; ++i) {
            uint256 w = report.weights[i];
            if (w == 0 || w < threshold) continue;
            amounts[i] = (pool * w) / eligibleWeight;
            toTreasury -= amounts[i];
        }
    }

    /// @dev A report for inference `id`: a random subset (increasing ids) of the contributions eligible for its
    /// model, with random weights (one in four tiny, around the threshold) scaled to sum to at most 100%.
    function _randomReport(
        uint256 id,
        uint256 seed
    ) internal view returns (IInferenceRouter.AttributionReport memory report) {
        seed = _mix(seed, id);
        uint256[] memory eligible = _eligibleFor(_records[id].modelId);
        uint256 threshold = router.attributionThreshold();
        uint256 n;
        for (uint256 i; i < eligible.length; ++i) if ((seed >> i) & 1 == 1) ++n;
        uint256[] memory ids = new uint256[](n);
        uint256[] memory weights = new uint256[](n);
        uint256 k;
        uint256 sum;
        for (uint256 i; i < eligible.length; ++i) {
            if ((seed >> i) & 1 == 0) continue;
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            ids[k] = eligible[i];
            weights[k] = r % 4 == 0 ? bound(r >> 2, 0, 2 * threshold + 1) : bound(r >> 2, 0, WAD);
            sum += weights[k];
            ++k;
        }
        if (sum > WAD) {
            for (uint256 i; i < n; ++i) weights[i] = (weights[i] * WAD) / sum;
        }
        report = IInferenceRouter.AttributionReport({
            inferenceId: id,
            contributionIds: ids,
            weights: weights,
            deadline: block.timestamp + 1 days
        });
    }

    function _appendContribution(
        IInferenceRouter.AttributionReport memory report,
        uint256 contributionId,
        uint256 weight
    ) internal pure returns (IInferenceRouter.AttributionReport memory) {
        uint256 n = report.contributionIds.length;
        uint256[] memory ids = new uint256[](n + 1);
        uint256[] memory weights = new uint256[](n + 1);
        for (uint256 i; i < n; ++i) {
            ids[i] = report.contributionIds[i];
            weights[i] = report.weights[i];
        }
        ids[n] = contributionId;
        weights[n] = weight;
        report.contributionIds = ids;
        report.weights = weights;
        return report;
    }

    /// @dev Model 1 uses datanet 1 (contributions 1 to 5); model 2 also datanet 2 (contribution 7).
    function _eligibleFor(uint256 modelId) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](modelId == 1 ? 5 : 6);
        for (uint256 i; i < 5; ++i) ids[i] = i + 1;
        if (modelId == 2) ids[5] = 7;
    }

    /// @dev An ineligible contribution above every eligible id of the model: for model 1 (contributions 1 to 5)
    /// 6 (Penalized), 7 (datanet 2), 8 (Rejected) or 9 (Pending); for model 2 (also 7) 8 or 9.
    function _ineligibleFor(uint256 modelId, uint256 seed) internal pure returns (uint256) {
        return modelId == 1 ? 6 + (seed % 4) : 8 + (seed % 2);
    }

    /// @dev Two or three of the oracle signers' keys.
    function _signerSet(uint256 seed) internal view returns (uint256[] memory keys) {
        uint256 choice = seed % 4;
        if (choice == 0) {
            keys = new uint256[](3);
            for (uint256 i; i < 3; ++i) keys[i] = _signerKeys[i];
            return keys;
        }
        // Leave one out.
        uint256 skip = choice - 1;
        keys = _pair(_signerKeys[skip == 0 ? 1 : 0], _signerKeys[skip == 2 ? 1 : 2]);
    }

    // ----------------------------------------------------------------------------------------------
    // Internal
    // ----------------------------------------------------------------------------------------------

    /// @dev The first Pending inference from `seed` on (cyclically), inside its window when `openOnly`.
    function _pickPending(uint256 seed, bool openOnly) internal view returns (uint256, bool) {
        uint256 count = router.inferenceCount();
        for (uint256 k; k < count; ++k) {
            uint256 id = 1 + ((seed + k) % count);
            Record storage rec = _records[id];
            if (rec.status != IInferenceRouter.InferenceStatus.Pending) continue;
            if (openOnly && block.timestamp > rec.closesAt) continue;
            return (id, true);
        }
        return (0, false);
    }

    /// @dev Up to `size` distinct Pending inferences inside their window, from `seed` on.
    function _pickPendingMany(uint256 seed, uint256 size) internal view returns (uint256[] memory ids) {
        uint256 count = router.inferenceCount();
        uint256[] memory found = new uint256[](size);
        uint256 n;
        for (uint256 k; k < count && n < size; ++k) {
            uint256 id = 1 + ((seed + k) % count);
            Record storage rec = _records[id];
            if (rec.status == IInferenceRouter.InferenceStatus.Pending && block.timestamp <= rec.closesAt) {
                found[n++] = id;
            }
        }
        ids = new uint256[](n);
        for (uint256 i; i < n; ++i) ids[i] = found[i];
    }

    /// @dev The first Settled or Expired inference from `seed` on.
    function _pickFinished(uint256 seed) internal view returns (uint256, bool) {
        uint256 count = router.inferenceCount();
        for (uint256 k; k < count; ++k) {
            uint256 id = 1 + ((seed + k) % count);
            if (_records[id].status != IInferenceRouter.InferenceStatus.Pending) return (id, true);
        }
        return (0, false);
    }

    function _creditorWithCredit(uint256 seed) internal view returns (address, bool) {
        for (uint256 k; k < CREDITORS; ++k) {
            address a = _creditors[(seed + k) % CREDITORS];
            if (router.creditOf(a) != 0) return (a, true);
        }
        return (_creditors[seed % CREDITORS], false);
    }

    function _creditorSlot(address account) internal view returns (uint256) {
        for (uint256 c; c < CREDITORS; ++c) {
            if (_creditors[c] == account) return c;
        }
        revert("unknown creditor");
    }

    function _snapshot() internal view returns (Snapshot memory s) {
        s.routerBalance = open.balanceOf(address(router));
        s.stakedBalance = open.balanceOf(address(staked));
        s.treasuryBalance = open.balanceOf(treasury);
        s.owed = router.treasuryOwed();
        for (uint256 c; c < CREDITORS; ++c) s.credits[c] = router.creditOf(_creditors[c]);
    }

    /// @dev A uniform value from a fuzzed seed: the fuzzer favours edge values (0, max), which would pick the
    /// same branch every time.
    function _mix(uint256 seed, uint256 salt) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, salt)));
    }

    function _sum(uint256[] memory values) internal pure returns (uint256 total) {
        for (uint256 i; i < values.length; ++i) total += values[i];
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
