// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {StakedOpen} from "../../../../contracts/governance/StakedOpen.sol";
import {InferenceRouter} from "../../../../contracts/inference/InferenceRouter.sol";
import {IAttributionOracle} from "../../../../contracts/interfaces/IAttributionOracle.sol";
import {IDatanetRegistry} from "../../../../contracts/interfaces/IDatanetRegistry.sol";
import {IInferenceRouter} from "../../../../contracts/interfaces/IInferenceRouter.sol";
import {IProtocolAdmin} from "../../../../contracts/interfaces/IProtocolAdmin.sol";
import {BPS, WAD} from "../../../../contracts/libraries/Constants.sol";
import {DatanetRegistry} from "../../../../contracts/registry/DatanetRegistry.sol";
import {OpenToken} from "../../../../contracts/token/OpenToken.sol";

import {OracleSigning} from "../OracleSigning.sol";

/// @notice Drives InferenceRouter for the invariant suite: three payers on the two Active models of InferenceFixture,
/// three oracle signers (signing with vm.sign) and a stranger key, governance changing the parameters, the guardian
/// pausing and governance unpausing, a curator penalizing contributions (so that shares are forfeited), releases of
/// the stakers' share, claims and sweeps. Every inference is recorded in a ghost `Record`, measured from balance,
/// credit and owed deltas, so that the invariants check each fee to the wei; the handler keeps its own pause clock.
/// @dev Actions choose a target on which they can succeed (a Pending inference inside its window, a creditor with
/// credits); about one call in eight is a refusal on purpose (fee above maxFee, a request id the payer already
/// used, an invalid contribution, weights above 100%, too few or unknown signers, a window still open or already
/// closed, nothing to claim, sweep or release, a paused router), whose custom error is checked exactly. The suite
/// runs with failOnRevert = false, so a failed check must not revert: it is recorded in `ghost_violation`, which
/// invariant_handlerChecksHold asserts is empty.
contract InferenceHandler is OracleSigning, StdCheats, StdUtils {
    uint256 internal constant PAYERS = 3;
    uint256 internal constant CREDITORS = 5;
    uint256 internal constant MAX_BATCH = 4;
    /// Contributions 1 to 7 were accepted (6 penalized since): a report may name them. 8 is Rejected, 9 Pending.
    uint256 internal constant LAST_NAMEABLE = 7;

    /// @notice One paid inference, as observed. Amounts in OPEN-wei.
    /// @param closesAt The end of its window on the handler's active clock: active time at payment + window then.
    /// @param creator Credited to the model's creator.
    /// @param stakers Owed to the stakers (stakersOwed).
    /// @param platform Owed to the treasury at payment.
    /// @param contributors Credited to contributors at settlement.
    /// @param toTreasury Owed to the treasury at settlement (dust, forfeited shares or the whole pool) or expiry.
    /// @param expiredAt The active time at which it expired (0 unless Expired).
    struct Record {
        uint256 modelId;
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
        uint256 expiredAt;
        IInferenceRouter.InferenceStatus status;
    }

    /// @dev Credits and owed counters before an action.
    struct Snapshot {
        uint256 routerBalance;
        uint256 owed;
        uint256 stakersOwed;
        uint256[CREDITORS] credits;
    }

    InferenceRouter public immutable router;
    OpenToken public immutable open;
    StakedOpen public immutable staked;
    DatanetRegistry public immutable datanets;
    address public immutable governance;
    address public immutable treasury;
    address public immutable guardian;
    address public immutable curator;

    address[PAYERS] internal _payers;
    /// The creator of model 1, then dave (also the creator of model 2), erin, grace and heidi.
    address[CREDITORS] internal _creditors;
    uint256[3] internal _signerKeys;
    uint256 internal immutable _strangerKey;

    uint256[] internal _ids;
    mapping(uint256 inferenceId => Record) internal _records;
    /// The payer and request nonce of each inference (request ids are keccak256("request", nonce)).
    mapping(uint256 inferenceId => uint256) internal _payerOf;
    mapping(uint256 inferenceId => uint256) internal _nonceOf;
    mapping(address payer => mapping(uint256 nonce => bool)) internal _used;
    uint256 internal _requestNonce;

    // The handler's own pause clock (it alone pauses the router).
    uint256 public ghost_pausedAt;
    uint256 public ghost_pausedSeconds;

    // Ghost totals, in OPEN-wei.
    uint256 public ghost_paid;
    uint256 public ghost_claimed;
    uint256 public ghost_swept;
    uint256 public ghost_released;
    uint256 public ghost_forfeited;
    uint256 public ghost_skipped;
    /// An action-level property failed (checked by an invariant so that the failure is reported).
    string public ghost_violation;

    mapping(bytes32 action => uint256) public calls;

    constructor(
        InferenceRouter router_,
        StakedOpen staked_,
        DatanetRegistry datanets_,
        address[4] memory roles, // governance, treasury, guardian, curator
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
        curator = roles[3];
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

    function inferenceCount() external view returns (uint256) {
        return _ids.length;
    }

    function inferenceAt(uint256 i) external view returns (uint256) {
        return _ids[i];
    }

    function record(uint256 inferenceId) external view returns (Record memory) {
        return _records[inferenceId];
    }

    /// @notice The active clock as the handler's own pauses make it: Unix time minus every second paused.
    function ghostActiveTime() public view returns (uint256) {
        return (ghost_pausedAt != 0 ? ghost_pausedAt : block.timestamp) - ghost_pausedSeconds;
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
                (payerSeed + k) % PAYERS,
                1 + (_mix(modelSeed, k) % 2),
                _mix(tokenSeed, k),
                _mix(modeSeed, k + 1) % 16
            );
        }
    }

    /// Settles one Pending inference inside its window with a report signed by two or three oracle signers (or, in
    /// one call in four, checks a refusal: an invalid report, too few or unknown signers, a closed window, a settled
    /// or expired inference, or a paused router).
    function settle(uint256 inferenceSeed, uint256 weightSeed, uint256 modeSeed) external {
        calls["settle"]++;
        (uint256 id, bool found) = _pickPending(inferenceSeed, true);
        if (!found) return _settleRefused(inferenceSeed, weightSeed);

        IInferenceRouter.AttributionReport memory report = _randomReport(id, weightSeed);
        uint256 mode = _mix(modeSeed, 0) % 16;
        modeSeed = _mix(modeSeed, 1);
        if (ghost_pausedAt != 0) {
            calls["settle.paused"]++;
            return
                _expectSettleRevert(
                    report,
                    _signSorted(router.reportDigest(report), _signerSet(modeSeed)),
                    abi.encodeWithSelector(IProtocolAdmin.ProtocolAdminPaused.selector)
                );
        }
        if (mode == 0 || (mode == 1 && report.contributionIds.length != 0)) {
            return _settleBadReport(report, mode, modeSeed);
        }
        if (mode < 4) return _settleBadSignatures(report, mode, modeSeed);

        IAttributionOracle.SignerSignature[] memory sigs = _signSorted(
            router.reportDigest(report),
            _signerSet(modeSeed)
        );
        IInferenceRouter.AttributionReport[] memory reports = new IInferenceRouter.AttributionReport[](1);
        reports[0] = report;
        Snapshot memory before = _snapshot();
        uint256[] memory forfeited = _forfeitedMasks(reports);
        try router.settle(report, sigs) {} catch {
            return _violate("settle: a valid report reverted");
        }
        calls["settle.ok"]++;
        _checkSettled(reports, forfeited, 0, before);
    }

    /// Settles one to four Pending inferences (of either model, in any order) under one set of signatures; one call
    /// in four also names an inference that can no longer settle (settled, expired, or past its window), whose report
    /// must be skipped while the rest settles.
    function settleBatch(uint256 inferenceSeed, uint256 weightSeed, uint256 modeSeed) external {
        calls["settleBatch"]++;
        uint256[] memory ids = _pickPendingMany(inferenceSeed, 1 + (_mix(modeSeed, 0) % MAX_BATCH));
        (uint256 stale, bool hasStale) = _pickStale(inferenceSeed >> 8);
        bool withStale = hasStale && _mix(modeSeed, 1) % 4 == 0;
        uint256 n = ids.length + (withStale ? 1 : 0);
        if (n == 0) return _skip();
        IInferenceRouter.AttributionReport[] memory reports = new IInferenceRouter.AttributionReport[](n);
        for (uint256 r; r < ids.length; ++r) reports[r] = _randomReport(ids[r], _mix(weightSeed, r));
        // The stale report goes at a random place; its bit in `skipped` marks it.
        uint256 skipped;
        if (withStale) {
            uint256 at = _mix(modeSeed, 2) % n;
            for (uint256 r = n - 1; r > at; --r) reports[r] = reports[r - 1];
            reports[at] = _randomReport(stale, weightSeed);
            skipped = 1 << at;
        }
        IAttributionOracle.SignerSignature[] memory sigs = _signSorted(
            router.batchDigest(reports),
            _signerSet(_mix(modeSeed, 3))
        );

        Snapshot memory before = _snapshot();
        if (ghost_pausedAt != 0) {
            calls["settleBatch.paused"]++;
            try router.settleBatch(reports, sigs) {
                _violate("settleBatch: settled while paused");
            } catch (bytes memory reason) {
                _expectError(
                    reason,
                    abi.encodeWithSelector(IProtocolAdmin.ProtocolAdminPaused.selector),
                    "settleBatch: wrong error while paused"
                );
            }
            return;
        }
        uint256[] memory forfeited = _forfeitedMasks(reports);
        try router.settleBatch(reports, sigs) {} catch {
            return _violate("settleBatch: a valid batch reverted");
        }
        calls["settleBatch.ok"]++;
        calls["settleBatch.reports"] += ids.length;
        if (withStale) calls["settleBatch.skipped"]++;
        _checkSettled(reports, forfeited, skipped, before);
    }

    /// Expires a Pending inference, warping past its window half the time (sometimes to the first second after it);
    /// otherwise, and whenever the router is paused with the window open, checks that it cannot expire. With nothing
    /// Pending, checks that a finished or unknown inference cannot expire.
    function expire(uint256 inferenceSeed, uint256 warpSeed) external {
        calls["expire"]++;
        (uint256 id, bool found) = _pickPending(inferenceSeed, false);
        if (!found) return _expireNothingPending(inferenceSeed);
        Record storage rec = _records[id];
        uint256 closesAt = rec.closesAt;
        uint256 w = _mix(warpSeed, 0);
        if (ghostActiveTime() <= closesAt && w % 2 == 0) {
            // Past the window on the active clock, which stands still while paused: then the warp changes nothing.
            uint256 ahead = closesAt - ghostActiveTime() + (w % 16 < 4 ? 1 : bound(w >> 8, 1, 2 days));
            vm.warp(block.timestamp + ahead);
        } else if (w % 8 == 1 && ghostActiveTime() < closesAt && ghost_pausedAt == 0) {
            vm.warp(block.timestamp + closesAt - ghostActiveTime()); // the last open second
        }
        if (ghostActiveTime() <= closesAt) {
            calls[ghost_pausedAt != 0 ? bytes32("expire.earlyWhilePaused") : bytes32("expire.early")]++;
            return
                _expectExpireRevert(
                    id,
                    abi.encodeWithSelector(IInferenceRouter.InferenceRouterWindowOpen.selector, id, closesAt)
                );
        }

        uint256 owedBefore = router.treasuryOwed();
        uint256 balanceBefore = open.balanceOf(address(router));
        try router.expire(id) {} catch {
            return _violate("expire: reverted after the window");
        }
        calls[ghost_pausedAt != 0 ? bytes32("expire.okWhilePaused") : bytes32("expire.ok")]++;
        rec.expiries++;
        rec.status = IInferenceRouter.InferenceStatus.Expired;
        rec.expiredAt = ghostActiveTime();
        rec.toTreasury += router.treasuryOwed() - owedBefore;
        if (router.treasuryOwed() - owedBefore != rec.pool) _violate("expire: treasuryOwed grew by != pool");
        if (open.balanceOf(address(router)) != balanceBefore) _violate("expire: moved OPEN");
        if (router.getInference(id).status != IInferenceRouter.InferenceStatus.Expired) {
            _violate("expire: status != Expired");
        }
    }

    /// A creditor with credits claims them, to itself or to a payer or another creditor; sometimes a creditor without
    /// credits tries.
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

    /// Anyone sends the stakers' shares paid so far to StakedOpen.
    function releaseStakerRewards() external {
        calls["releaseStakerRewards"]++;
        uint256 owed = router.stakersOwed();
        uint256 stakedBefore = open.balanceOf(address(staked));
        if (owed == 0) {
            try router.releaseStakerRewards() {
                _violate("release: released nothing");
            } catch (bytes memory reason) {
                _expectError(
                    reason,
                    abi.encodeWithSelector(IInferenceRouter.InferenceRouterNothingToRelease.selector),
                    "release: wrong error with nothing owed"
                );
            }
            return;
        }
        uint256 amount;
        try router.releaseStakerRewards() returns (uint256 released) {
            amount = released;
        } catch {
            return _violate("release: reverted with something owed");
        }
        calls["releaseStakerRewards.ok"]++;
        ghost_released += amount;
        if (amount != owed) _violate("release: amount != stakersOwed");
        if (router.stakersOwed() != 0) _violate("release: stakersOwed not cleared");
        if (open.balanceOf(address(staked)) != stakedBefore + amount) _violate("release: StakedOpen got != amount");
    }

    function warp(uint256 seconds_) external {
        calls["warp"]++;
        vm.warp(block.timestamp + bound(seconds_, 1, 3 days));
    }

    /// The curator penalizes one of the accepted contributions 1 to 7: from then on its shares are forfeited.
    function penalize(uint256 seed) external {
        calls["penalize"]++;
        uint256 contributionId = 1 + (_mix(seed, 0) % LAST_NAMEABLE);
        if (datanets.getContribution(contributionId).status != IDatanetRegistry.ContributionStatus.Accepted) {
            return _skip();
        }
        vm.prank(curator);
        try datanets.penalize(contributionId, "invariant run") {} catch {
            _violate("penalize reverted");
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

    /// Governance unpauses, or (one time in four) the guardian pauses; pauses last anywhere from a second to 30 days
    /// (longer than any window) as the other actions warp.
    function togglePause(uint256 seed) external {
        calls["togglePause"]++;
        if (ghost_pausedAt != 0) {
            vm.prank(governance);
            try router.unpause() {} catch {
                return _violate("unpause reverted");
            }
            ghost_pausedSeconds += block.timestamp - ghost_pausedAt;
            ghost_pausedAt = 0;
        } else if (_mix(seed, 0) % 4 == 0) {
            vm.prank(guardian);
            try router.pause() {} catch {
                return _violate("guardian pause reverted");
            }
            ghost_pausedAt = block.timestamp;
            // Sometimes a long pause at once, past every pending window in Unix time.
            if (_mix(seed, 1) % 4 == 0) vm.warp(block.timestamp + bound(seed >> 8, 1 days, 30 days));
        } else {
            _skip();
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Payment
    // ----------------------------------------------------------------------------------------------

    /// @dev One payment order.
    struct Order {
        uint256 payerIndex;
        address from;
        uint256 modelId;
        uint64 inputTokens;
        uint64 outputTokens;
        uint256 nonce;
        bytes32 requestId;
        uint256 fee;
        uint256 modelFee;
    }

    function _payOne(uint256 payerIndex, uint256 modelId, uint256 seed, uint256 mode) internal {
        Order memory o;
        o.payerIndex = payerIndex;
        o.from = _payers[payerIndex];
        o.modelId = modelId;
        // Token counts over every order of magnitude up to a million.
        o.inputTokens = uint64(bound(seed >> 8, 0, 10 ** (seed % 7)));
        o.outputTokens = uint64(bound(seed >> 128, 0, 10 ** ((seed >> 4) % 7)));
        o.nonce = ++_requestNonce;
        (o.fee, o.modelFee) = router.quote(modelId, o.inputTokens, o.outputTokens);
        if (_payRefusal(o, seed, mode)) return;
        o.requestId = keccak256(abi.encode("request", o.nonce));

        Snapshot memory before = _snapshot();
        uint256 payerBefore = open.balanceOf(o.from);
        uint256 closesAt = ghostActiveTime() + router.attributionWindow();
        // maxFee: exactly the fee half the time.
        uint256 maxFee = o.fee + (seed % 2) * o.modelFee;
        uint256 id;
        vm.prank(o.from);
        try router.payInference(modelId, o.inputTokens, o.outputTokens, o.requestId, maxFee) returns (uint256 paid) {
            id = paid;
        } catch {
            return _violate("pay: reverted");
        }
        calls["pay.ok"]++;
        _ids.push(id);
        _payerOf[id] = payerIndex;
        _nonceOf[id] = o.nonce;
        _used[o.from][o.nonce] = true;
        _recordPayment(id, o, payerBefore - open.balanceOf(o.from), before, closesAt);
    }

    /// @dev A payment the router must refuse, when paused or in modes 0 (maxFee one wei short) and 1 (a request id the
    /// payer already paid); in mode 2 another payer's request id, which must be accepted as a new inference. Returns
    /// whether a refusal was tried.
    function _payRefusal(Order memory o, uint256 seed, uint256 mode) internal returns (bool) {
        if (ghost_pausedAt != 0) {
            calls["pay.paused"]++;
            _payRefused(o, type(uint256).max, abi.encodeWithSelector(IProtocolAdmin.ProtocolAdminPaused.selector));
            return true;
        }
        if (mode == 0 && o.fee != 0) {
            calls["pay.aboveMax"]++;
            o.requestId = keccak256(abi.encode("request", o.nonce));
            _payRefused(
                o,
                o.fee - 1,
                abi.encodeWithSelector(IInferenceRouter.InferenceRouterFeeAboveMax.selector, o.fee, o.fee - 1)
            );
            return true;
        }
        if ((mode == 1 || mode == 2) && _ids.length != 0) {
            uint256 reused = _ids[seed % _ids.length];
            uint256 nonce = _nonceOf[reused];
            if (mode == 1) {
                calls["pay.duplicate"]++;
                o.from = _payers[_payerOf[reused]];
                o.requestId = keccak256(abi.encode("request", nonce));
                _payRefused(
                    o,
                    type(uint256).max,
                    abi.encodeWithSelector(
                        IInferenceRouter.InferenceRouterDuplicateRequest.selector,
                        o.from,
                        o.requestId,
                        reused
                    )
                );
                return true;
            }
            // Another payer's request id: a new inference of this payer (unless this payer used it already).
            if (!_used[o.from][nonce]) {
                calls["pay.othersRequestId"]++;
                o.nonce = nonce;
            }
        }
        return false;
    }

    function _payRefused(Order memory o, uint256 maxFee, bytes memory expected) internal {
        uint256 balanceBefore = open.balanceOf(address(router));
        vm.prank(o.from);
        try router.payInference(o.modelId, o.inputTokens, o.outputTokens, o.requestId, maxFee) {
            _violate("pay: accepted a payment it must refuse");
        } catch (bytes memory reason) {
            _expectError(reason, expected, "pay: wrong error");
        }
        if (open.balanceOf(address(router)) != balanceBefore) _violate("pay: refused but took OPEN");
    }

    function _recordPayment(
        uint256 id,
        Order memory o,
        uint256 paid,
        Snapshot memory before,
        uint256 closesAt
    ) internal {
        IInferenceRouter.Inference memory inference = router.getInference(id);
        uint256 creatorSlot = o.modelId == 1 ? 0 : 1;
        Record storage rec = _records[id];
        rec.modelId = o.modelId;
        rec.closesAt = closesAt;
        rec.fee = paid;
        rec.creator = router.creditOf(_creditors[creatorSlot]) - before.credits[creatorSlot];
        rec.stakers = router.stakersOwed() - before.stakersOwed;
        rec.pool = inference.pool;
        rec.platform = router.treasuryOwed() - before.owed;
        rec.status = IInferenceRouter.InferenceStatus.Pending;
        ghost_paid += paid;

        // Against the documented formulas, with the parameters in force.
        IInferenceRouter.FeeSplit memory split = router.feeSplit();
        if (id != uint256(keccak256(abi.encode(o.from, o.requestId)))) _violate("pay: id != keccak(payer, request)");
        if (paid != o.fee) _violate("pay: payer paid != quote");
        if (o.fee != o.modelFee + router.platformFee()) _violate("pay: fee != modelFee + platformFee");
        if (rec.creator != (o.modelFee * split.creatorBps) / BPS) _violate("pay: creator share");
        if (rec.stakers != (o.modelFee * split.stakersBps) / BPS) _violate("pay: stakers share");
        if (rec.pool != o.modelFee - rec.creator - rec.stakers) _violate("pay: pool != modelFee - creator - stakers");
        if (rec.platform != router.platformFee()) _violate("pay: platform fee owed");
        if (open.balanceOf(address(router)) - before.routerBalance != paid) _violate("pay: router kept != fee");
        if (inference.modelId != o.modelId || inference.paidAt != block.timestamp) _violate("pay: inference record");
        if (inference.closesAt != closesAt) _violate("pay: closesAt != active time + window");
        if (inference.status != IInferenceRouter.InferenceStatus.Pending) _violate("pay: status != Pending");
    }

    // ----------------------------------------------------------------------------------------------
    // Settlement
    // ----------------------------------------------------------------------------------------------

    /// @dev A genuinely signed report the router must refuse: mode 0 names an invalid contribution, mode 1 weights
    /// above 100%.
    function _settleBadReport(IInferenceRouter.AttributionReport memory report, uint256 mode, uint256 seed) internal {
        uint256 id = report.inferenceId;
        bytes memory expected;
        if (mode == 0) {
            // A contribution never accepted (rejected or pending) or of a datanet the model does not use, after the
            // others: ids stay increasing.
            uint256 bad = _invalidFor(_records[id].modelId, seed >> 8);
            report = _appendContribution(report, bad, 0);
            expected = abi.encodeWithSelector(IInferenceRouter.InferenceRouterInvalidContribution.selector, id, bad);
        } else {
            // Raise the last weight so that the sum exceeds 100%; the router names that weight if it alone exceeds
            // 100%, else the sum.
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

    /// @dev With no Pending inference inside its window: a closed window, a finished inference, or nothing.
    function _settleRefused(uint256 inferenceSeed, uint256 weightSeed) internal {
        if (ghost_pausedAt != 0) return _skip();
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

    /// @dev Bit i of masks[r] set when the i-th contribution of report r is Penalized now: its share is forfeited.
    function _forfeitedMasks(
        IInferenceRouter.AttributionReport[] memory reports
    ) internal view returns (uint256[] memory masks) {
        masks = new uint256[](reports.length);
        for (uint256 r; r < reports.length; ++r) {
            uint256[] memory ids = reports[r].contributionIds;
            for (uint256 i; i < ids.length; ++i) {
                if (datanets.getContribution(ids[i]).status == IDatanetRegistry.ContributionStatus.Penalized) {
                    masks[r] |= 1 << i;
                }
            }
        }
    }

    /// @dev After `reports` settled (those marked in `skipped` skipped): every creditor was credited exactly its
    /// expected shares, the treasury is owed exactly the dust and forfeited shares, no OPEN moved, skipped reports
    /// changed nothing; each settled report's record is completed.
    function _checkSettled(
        IInferenceRouter.AttributionReport[] memory reports,
        uint256[] memory forfeited,
        uint256 skipped,
        Snapshot memory before
    ) internal {
        uint256 threshold = router.attributionThreshold();
        uint256[CREDITORS] memory expectedCredits;
        uint256 expectedOwed;
        for (uint256 r; r < reports.length; ++r) {
            IInferenceRouter.AttributionReport memory report = reports[r];
            Record storage rec = _records[report.inferenceId];
            if ((skipped >> r) & 1 == 1) {
                if (router.getInference(report.inferenceId).status != rec.status) _violate("skip: status moved");
                calls["settleBatch.reportSkipped"]++;
                continue;
            }
            (uint256[] memory amounts, uint256 toTreasury, uint256 forfeits) = _expectedShares(
                report,
                rec.pool,
                threshold,
                forfeited[r]
            );
            uint256 credited;
            for (uint256 i; i < amounts.length; ++i) {
                expectedCredits[
                    _creditorSlot(datanets.getContribution(report.contributionIds[i]).contributor)
                ] += amounts[i];
                credited += amounts[i];
            }
            expectedOwed += toTreasury;
            ghost_forfeited += forfeits;
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
                _violate("settle: a contributor's credit != the reference's shares");
            }
        }
        if (router.treasuryOwed() - before.owed != expectedOwed) _violate("settle: treasuryOwed grew by != reference");
        if (open.balanceOf(address(router)) != before.routerBalance) _violate("settle: moved OPEN");
    }

    /// @dev What settling `report` must credit under `threshold`, the router's rules restated: weights that earn
    /// (non-zero, at least the threshold) share the pool in proportion, rounded down, forfeited ones included in the
    /// denominator but credited nothing; the treasury gets the rest.
    function _expectedShares(
        IInferenceRouter.AttributionReport memory report,
        uint256 pool,
        uint256 threshold,
        uint256 forfeited
    ) internal pure returns (uint256[] memory amounts, uint256 toTreasury, uint256 forfeits) {
        uint256 n = report.weights.length;
        uint256 earningWeight;
        for (uint256 i; i < n; ++i) {
            if (report.weights[i] != 0 && report.weights[i] >= threshold) earningWeight += report.weights[i];
        }
        amounts = new uint256[](n);
        toTreasury = pool;
        for (uint256 i; i < n; ++i) {
            uint256 w = report.weights[i];
            if (w == 0 || w < threshold) continue;
            uint256 share = Math.mulDiv(pool, w, earningWeight);
            if ((forfeited >> i) & 1 == 1) {
                forfeits += share;
            } else {
                amounts[i] = share;
                toTreasury -= share;
            }
        }
    }

    /// @dev A report for inference `id`: a random subset (increasing ids) of the contributions its model may name
    /// (penalized ones included), with random weights (one in four tiny, around the threshold) scaled to sum to at
    /// most 100%.
    function _randomReport(
        uint256 id,
        uint256 seed
    ) internal view returns (IInferenceRouter.AttributionReport memory report) {
        seed = _mix(seed, id);
        uint256 nameable = _records[id].modelId == 1 ? LAST_NAMEABLE - 1 : LAST_NAMEABLE; // model 1: not 7
        uint256 threshold = router.attributionThreshold();
        uint256 n;
        for (uint256 i; i < nameable; ++i) if ((seed >> i) & 1 == 1) ++n;
        uint256[] memory ids = new uint256[](n);
        uint256[] memory weights = new uint256[](n);
        uint256 k;
        uint256 sum;
        for (uint256 i; i < nameable; ++i) {
            if ((seed >> i) & 1 == 0) continue;
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            ids[k] = i + 1;
            weights[k] = r % 4 == 0 ? bound(r >> 2, 0, 2 * threshold + 1) : bound(r >> 2, 0, WAD);
            sum += weights[k];
            ++k;
        }
        if (sum > WAD) {
            for (uint256 i; i < n; ++i) weights[i] = (weights[i] * WAD) / sum;
        }
        report = IInferenceRouter.AttributionReport({
            inferenceId: id,
            outputHash: keccak256(abi.encode("output", id, seed)),
            indexCommitment: keccak256(abi.encode("index", seed % 3)),
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

    /// @dev A contribution above every nameable id of the model that it may not name: for model 1, 7 (datanet 2),
    /// 8 (Rejected) or 9 (Pending); for model 2 (also on datanet 2), 8 or 9.
    function _invalidFor(uint256 modelId, uint256 seed) internal pure returns (uint256) {
        return modelId == 1 ? 7 + (seed % 3) : 8 + (seed % 2);
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
        uint256 count = _ids.length;
        uint256 activeTime = ghostActiveTime();
        for (uint256 k; k < count; ++k) {
            uint256 id = _ids[(seed + k) % count];
            Record storage rec = _records[id];
            if (rec.status != IInferenceRouter.InferenceStatus.Pending) continue;
            if (openOnly && activeTime > rec.closesAt) continue;
            return (id, true);
        }
        return (0, false);
    }

    /// @dev Up to `size` distinct Pending inferences inside their window, from `seed` on.
    function _pickPendingMany(uint256 seed, uint256 size) internal view returns (uint256[] memory ids) {
        uint256 count = _ids.length;
        uint256 activeTime = ghostActiveTime();
        uint256[] memory found = new uint256[](size);
        uint256 n;
        for (uint256 k; k < count && n < size; ++k) {
            uint256 id = _ids[(seed + k) % count];
            Record storage rec = _records[id];
            if (rec.status == IInferenceRouter.InferenceStatus.Pending && activeTime <= rec.closesAt) found[n++] = id;
        }
        ids = new uint256[](n);
        for (uint256 i; i < n; ++i) ids[i] = found[i];
    }

    /// @dev The first Settled or Expired inference from `seed` on.
    function _pickFinished(uint256 seed) internal view returns (uint256, bool) {
        uint256 count = _ids.length;
        for (uint256 k; k < count; ++k) {
            uint256 id = _ids[(seed + k) % count];
            if (_records[id].status != IInferenceRouter.InferenceStatus.Pending) return (id, true);
        }
        return (0, false);
    }

    /// @dev The first inference from `seed` on that a batch must skip: finished, or Pending past its window.
    function _pickStale(uint256 seed) internal view returns (uint256, bool) {
        uint256 count = _ids.length;
        uint256 activeTime = ghostActiveTime();
        for (uint256 k; k < count; ++k) {
            uint256 id = _ids[(seed + k) % count];
            Record storage rec = _records[id];
            if (rec.status != IInferenceRouter.InferenceStatus.Pending || activeTime > rec.closesAt) return (id, true);
        }
        return (0, false);
    }

    /// @dev A finished inference, or else one never paid, cannot expire.
    function _expireNothingPending(uint256 seed) internal {
        (uint256 id, bool found) = _pickFinished(seed);
        if (found) {
            return
                _expectExpireRevert(
                    id,
                    abi.encodeWithSelector(IInferenceRouter.InferenceRouterNotPending.selector, id, _records[id].status)
                );
        }
        id = uint256(keccak256(abi.encode(_payers[seed % PAYERS], keccak256(abi.encode("never paid", seed)))));
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
        s.owed = router.treasuryOwed();
        s.stakersOwed = router.stakersOwed();
        for (uint256 c; c < CREDITORS; ++c) s.credits[c] = router.creditOf(_creditors[c]);
    }

    /// @dev A uniform value from a fuzzed seed: the fuzzer favours edge values (0, max), which would pick the same
    /// branch every time.
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
