// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {TransientSlot} from "@openzeppelin/contracts/utils/TransientSlot.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {ProtocolAdmin} from "../admin/ProtocolAdmin.sol";
import {IAttributionOracle} from "../interfaces/IAttributionOracle.sol";
import {IDatanetRegistry} from "../interfaces/IDatanetRegistry.sol";
import {IInferenceRouter} from "../interfaces/IInferenceRouter.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {IStakedOpen} from "../interfaces/IStakedOpen.sol";
import {AttributionRecord, AttributionRules} from "../libraries/AttributionRules.sol";
import {BPS, WAD} from "../libraries/Constants.sol";
import {FeeMath} from "../libraries/FeeMath.sol";
import {SignerSet} from "../libraries/SignerSet.sol";

/// @title InferenceRouter — inference payments, the fee split, and settlement of signed attribution
/// @notice See IInferenceRouter for the rules.
/// @dev Accounting: at every moment the router's OPEN balance ==
///   Σ credits + Σ pools of Pending inferences + treasuryOwed + stakersOwed.
/// Payment adds the fee and splits it exactly into a credit, the two owed counters and the pool; settlement and
/// expiry move a pool into credits and treasuryOwed exactly (forfeited shares and dust included); claims, sweeps and
/// releases pay out exactly what they remove.
contract InferenceRouter is IInferenceRouter, ProtocolAdmin, EIP712, ReentrancyGuardTransient {
    using AttributionRules for AttributionRecord;
    using SafeERC20 for IERC20;
    using TransientSlot for bytes32;
    using TransientSlot for TransientSlot.Uint256Slot;

    /// @dev Transient: number of settlement calls so far in this transaction (keccak256("openledger.router.cache.generation") - 1).
    bytes32 private constant _CACHE_GENERATION_SLOT = bytes32(
        uint256(keccak256("openledger.router.cache.generation")) - 1
    );
    /// @dev Mixed into every transient record-cache key so it shares no slot with other transient state.
    uint256 private constant _CACHE_SEED = uint256(keccak256("openledger.router.cache.records"));

    /// @dev Marks, in a settlement's memory copy of a record, that the contribution's weight earns (records use 168 bits).
    uint256 private constant _EARNS = 1 << 255;
    /// @dev A record's Eligibility byte for a contribution that earns its share.
    uint256 private constant _ELIGIBLE = uint256(AttributionRules.Eligibility.Eligible);

    /// @dev Bit offsets of the fields of a stored Inference (see _settle).
    uint256 private constant _CLOSES_AT_SHIFT = 104;
    uint256 private constant _STATUS_SHIFT = 144;
    uint256 private constant _POOL_SHIFT = 152;

    /// @notice EIP-712 type hash of AttributionReport.
    bytes32 public constant REPORT_TYPEHASH = keccak256(
        "AttributionReport(uint256 inferenceId,bytes32 outputHash,bytes32 indexCommitment,uint256[] contributionIds,uint256[] weights,uint256 deadline)"
    );
    /// @notice EIP-712 type hash of AttributionBatch.
    bytes32 public constant BATCH_TYPEHASH = keccak256(
        "AttributionBatch(AttributionReport[] reports)AttributionReport(uint256 inferenceId,bytes32 outputHash,bytes32 indexCommitment,uint256[] contributionIds,uint256[] weights,uint256 deadline)"
    );

    /// @notice Most contributions one report may name.
    uint256 public constant MAX_CONTRIBUTIONS = 64;
    /// @notice Most reports one batch may hold.
    uint256 public constant MAX_BATCH_REPORTS = 100;
    /// @notice Most work one batch may do, in contributions: each contribution named counts one, and each change of
    /// model between consecutive reports counts as _MODEL_CHANGE_WORK plus one per _DATANETS_PER_WORK datanets of the
    /// new model (their cold reads cost about as much). With MAX_BATCH_REPORTS, the worst batch (every report's
    /// inference and every contribution read cold, every contributor credited for the first time, models of
    /// MAX_DATANETS datanets, MAX_SIGNERS signatures) executes under the 16,777,216-gas per-transaction cap of
    /// EIP-7825 (measured by test/inference/InferenceRouter.largestBatch.test.ts).
    uint256 public constant MAX_BATCH_CONTRIBUTIONS = 500;
    /// @dev Work of a change of model in a batch, besides its datanets (see MAX_BATCH_CONTRIBUTIONS).
    uint256 private constant _MODEL_CHANGE_WORK = 1;
    /// @dev Datanets of a model whose cold reads count as one contribution of work (see MAX_BATCH_CONTRIBUTIONS).
    uint256 private constant _DATANETS_PER_WORK = 8;
    /// @notice Highest platform fee governance may set, in OPEN-wei per inference (10 OPEN).
    uint256 public constant MAX_PLATFORM_FEE = 10 ether;
    /// @notice Highest attribution threshold governance may set (1e18 = 100%): 50%.
    uint256 public constant MAX_ATTRIBUTION_THRESHOLD = WAD / 2;
    /// @notice Shortest and longest attribution windows governance may set, in active seconds.
    uint256 public constant MIN_ATTRIBUTION_WINDOW = 1 hours;
    uint256 public constant MAX_ATTRIBUTION_WINDOW = 90 days;

    IERC20 private immutable _open;
    IModelRegistry private immutable _models;
    IDatanetRegistry private immutable _datanets;
    IStakedOpen private immutable _staking;

    IAttributionOracle private _oracle;
    /// @dev The oracle's signer set (SignerSet): read once per settlement, which checks the signatures itself.
    uint256 private _signerSet;
    HotSlot private _hot;
    Owed private _owed;

    mapping(uint256 inferenceId => Inference) private _inferences;
    mapping(address account => uint256) private _credits;
    /// @dev The datanets of each model a single-report settlement has read from the ModelRegistry (a model's datanets
    /// are fixed when it is proposed), so later settlements of the model read one slot instead of calling the registry.
    /// Word 0 holds the count in bits [0, 8) and the first three ids, 64 bits each from bit 8; word w ≥ 1 holds the ids
    /// 4w − 1 … 4w + 2 from bit 0. A zero word 0 means not cached (every model has at least one datanet).
    mapping(uint256 modelId => uint256[5]) private _modelDatanets;

    /// @dev Everything a payment or a settlement reads from the router, in one slot: the governed parameters (the
    /// contributors' basis points are the remainder of the other two) and the pause clock (see ProtocolAdmin).
    struct HotSlot {
        uint64 platformFee;
        uint16 creatorBps;
        uint16 stakersBps;
        uint64 attributionThreshold;
        uint24 attributionWindow;
        uint40 pausedAt;
        uint32 pausedSeconds;
    }

    /// @dev What the router owes outside of credits and pools, in OPEN-wei, packed so a payment writes one slot.
    struct Owed {
        uint128 treasury;
        uint128 stakers;
    }

    /// @dev What one payment moves, in OPEN-wei.
    struct Payment {
        address creator;
        uint256 fee;
        uint256 creatorShare;
        uint256 stakersShare;
        uint256 pool;
        uint256 platformFee;
    }

    /// @dev One report as settlement reads it: calldata offsets of its first contribution id and first weight (both
    /// arrays checked by Solidity when located), their count, the pool it shares and the sum of the weights that earn.
    struct ReportView {
        uint256 ids;
        uint256 weights;
        uint256 n;
        uint256 pool;
        uint256 earningWeight;
    }

    /// @dev State of one settle/settleBatch call: the active clock, the threshold, its generation of the transient
    /// record cache, the datanets of the model of the last report settled (reused while a batch stays on one model),
    /// what the treasury gains, and the work done so far (contributions named and changes of model; see
    /// MAX_BATCH_CONTRIBUTIONS).
    struct SettlementContext {
        uint256 activeTime;
        uint256 threshold;
        uint256 generation;
        uint256 modelId;
        uint256[] datanetIds;
        uint256 toTreasury;
        uint256 contributions;
    }

    /// @param dependencies OPEN, the registries, StakedOpen and the oracle.
    /// @param admin Governance (the ProtocolTimelock), the treasury that receives platform fees, expired pools,
    /// forfeited shares and dust (the timelock), and the guardian that may pause payments and settlement.
    /// @param initialParameters The governed parameters.
    constructor(
        Dependencies memory dependencies,
        AdminConfig memory admin,
        Parameters memory initialParameters
    ) ProtocolAdmin(admin) EIP712("OpenLedger InferenceRouter", "2") {
        if (
            address(dependencies.open) == address(0) ||
            address(dependencies.modelRegistry) == address(0) ||
            address(dependencies.datanetRegistry) == address(0) ||
            address(dependencies.stakedOpen) == address(0)
        ) revert InferenceRouterZeroAddress();
        _open = dependencies.open;
        _models = dependencies.modelRegistry;
        _datanets = dependencies.datanetRegistry;
        _staking = dependencies.stakedOpen;
        _setOracle(address(dependencies.oracle));
        _setPlatformFee(initialParameters.platformFee);
        _setFeeSplit(
            FeeSplit({
                creatorBps: initialParameters.creatorBps,
                stakersBps: initialParameters.stakersBps,
                contributorsBps: initialParameters.contributorsBps
            })
        );
        _setAttributionThreshold(initialParameters.attributionThreshold);
        _setAttributionWindow(initialParameters.attributionWindow);
        // StakedOpen pulls the stakers' shares with transferFrom when they are released.
        dependencies.open.forceApprove(address(dependencies.stakedOpen), type(uint256).max);
    }

    // ----------------------------------------------------------------------------------------------
    // Payments
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IInferenceRouter
    function payInference(
        uint256 modelId,
        uint64 inputTokens,
        uint64 outputTokens,
        bytes32 requestId,
        uint256 maxFee
    ) external nonReentrant returns (uint256 inferenceId) {
        return _pay(modelId, inputTokens, outputTokens, requestId, maxFee);
    }

    /// @inheritdoc IInferenceRouter
    function payInferenceWithPermit(
        uint256 modelId,
        uint64 inputTokens,
        uint64 outputTokens,
        bytes32 requestId,
        uint256 maxFee,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint256 inferenceId) {
        // A front-run permit must not block the payment when the allowance is already in place.
        try IERC20Permit(address(_open)).permit(msg.sender, address(this), maxFee, deadline, v, r, s) {} catch {}
        return _pay(modelId, inputTokens, outputTokens, requestId, maxFee);
    }

    // ----------------------------------------------------------------------------------------------
    // Settlement
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IInferenceRouter
    /// @dev The signatures are checked last, over the struct hash computed while settling, so the report is read
    /// from calldata once. The check is a view call to the oracle and its failure reverts everything before it; no
    /// other external call can observe the intermediate state (the only others are views of the registries).
    function settle(
        AttributionReport calldata report,
        IAttributionOracle.SignerSignature[] calldata signatures
    ) external nonReentrant {
        // One report reads each contribution once: no transient cache (generation 0).
        SettlementContext memory ctx = _newContext(false);
        bytes32 structHash = _settle(report, ctx, false);
        _owe(ctx.toTreasury, 0);
        _verify(_hashTypedDataV4(structHash), signatures);
    }

    /// @inheritdoc IInferenceRouter
    /// @dev As `settle`: the batch digest is built from the struct hashes computed while settling, then checked.
    function settleBatch(
        AttributionReport[] calldata reports,
        IAttributionOracle.SignerSignature[] calldata signatures
    ) external nonReentrant {
        uint256 n = reports.length;
        if (n == 0 || n > MAX_BATCH_REPORTS) revert InferenceRouterInvalidBatchSize(n, MAX_BATCH_REPORTS);
        SettlementContext memory ctx = _newContext(true);
        bytes32[] memory hashes = new bytes32[](n);
        for (uint256 i; i < n; ++i) {
            // What one report allocates is garbage once it is settled (its hash is a value), unless it loaded a new
            // model's datanets into the context: reclaim it, so memory (whose cost grows quadratically) stays small.
            uint256 freeMemory;
            uint256 modelId = ctx.modelId;
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                freeMemory := mload(0x40)
            }
            hashes[i] = _settle(reports[i], ctx, true);
            if (ctx.modelId == modelId) {
                // solhint-disable-next-line no-inline-assembly
                assembly ("memory-safe") {
                    mstore(0x40, freeMemory)
                }
            }
        }
        // Counted while settling (each report's arrays are located once): a batch over the bound reverts here, as a
        // whole, having changed nothing.
        if (ctx.contributions > MAX_BATCH_CONTRIBUTIONS) {
            revert InferenceRouterBatchTooLarge(ctx.contributions, MAX_BATCH_CONTRIBUTIONS);
        }
        _owe(ctx.toTreasury, 0);
        _verify(_hashTypedDataV4(_hashBatch(hashes)), signatures);
    }

    /// @inheritdoc IInferenceRouter
    function expire(uint256 inferenceId) external {
        (Inference storage inference, Inference memory pending) = _pendingInference(inferenceId);
        if (activeTime() <= pending.closesAt) revert InferenceRouterWindowOpen(inferenceId, pending.closesAt);
        uint256 pool = pending.pool;
        inference.status = InferenceStatus.Expired;
        _owe(pool, 0);
        emit InferenceExpired(inferenceId, pool);
    }

    // ----------------------------------------------------------------------------------------------
    // Claims, sweeps and releases
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IInferenceRouter
    function claim() external nonReentrant returns (uint256 amount) {
        return _claim(msg.sender);
    }

    /// @inheritdoc IInferenceRouter
    function claimTo(address recipient) external nonReentrant returns (uint256 amount) {
        _checkRecipient(recipient, address(_open));
        // The oracle holds no OPEN and has no way to move any: OPEN sent there would be locked like in the others.
        if (
            recipient == address(_staking) ||
            recipient == address(_datanets) ||
            recipient == address(_models) ||
            recipient == address(_oracle)
        ) revert ProtocolAdminInvalidRecipient(recipient);
        return _claim(recipient);
    }

    /// @inheritdoc IInferenceRouter
    function sweepToTreasury() external nonReentrant returns (uint256 amount) {
        amount = _owed.treasury;
        if (amount == 0) revert InferenceRouterNothingToSweep();
        _owed.treasury = 0;
        address treasury_ = treasury();
        emit TreasurySwept(treasury_, amount);
        _open.safeTransfer(treasury_, amount);
    }

    /// @inheritdoc IInferenceRouter
    function releaseStakerRewards() external nonReentrant returns (uint256 amount) {
        amount = _owed.stakers;
        if (amount == 0) revert InferenceRouterNothingToRelease();
        _owed.stakers = 0;
        emit StakerRewardsReleased(amount);
        _staking.notifyReward(amount);
    }

    // ----------------------------------------------------------------------------------------------
    // Governance
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IInferenceRouter
    function setPlatformFee(uint256 newFee) external onlyOwner {
        _setPlatformFee(newFee);
    }

    /// @inheritdoc IInferenceRouter
    function setFeeSplit(FeeSplit calldata newSplit) external onlyOwner {
        _setFeeSplit(newSplit);
    }

    /// @inheritdoc IInferenceRouter
    function setAttributionThreshold(uint256 newThreshold) external onlyOwner {
        _setAttributionThreshold(newThreshold);
    }

    /// @inheritdoc IInferenceRouter
    function setAttributionWindow(uint256 newWindow) external onlyOwner {
        _setAttributionWindow(newWindow);
    }

    /// @inheritdoc IInferenceRouter
    function setOracle(address newOracle) external onlyOwner {
        _setOracle(newOracle);
    }

    /// @inheritdoc IInferenceRouter
    function setSignerSet(address data, uint256 count, uint256 threshold) external {
        if (msg.sender != address(_oracle)) revert InferenceRouterNotOracle(msg.sender);
        _setSignerSet(data, count, threshold);
    }

    // ----------------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IInferenceRouter
    function quote(
        uint256 modelId,
        uint64 inputTokens,
        uint64 outputTokens
    ) external view returns (uint256 fee, uint256 modelFee) {
        (, uint256 inputRate, uint256 outputRate) = _activeTerms(modelId);
        (modelFee, fee) = FeeMath.quoteDown(inputTokens, outputTokens, inputRate, outputRate, _hot.platformFee);
    }

    /// @inheritdoc IInferenceRouter
    function getInference(uint256 inferenceId) external view returns (Inference memory) {
        return _inference(inferenceId);
    }

    /// @inheritdoc IInferenceRouter
    function inferenceIdOf(address payer, bytes32 requestId) external pure returns (uint256) {
        return _inferenceIdOf(payer, requestId);
    }

    /// @inheritdoc IInferenceRouter
    function closingTime(uint256 inferenceId) external view returns (uint256) {
        return _inference(inferenceId).closesAt + (block.timestamp - activeTime());
    }

    /// @inheritdoc IInferenceRouter
    function creditOf(address account) external view returns (uint256) {
        return _credits[account];
    }

    /// @inheritdoc IInferenceRouter
    function treasuryOwed() external view returns (uint256) {
        return _owed.treasury;
    }

    /// @inheritdoc IInferenceRouter
    function stakersOwed() external view returns (uint256) {
        return _owed.stakers;
    }

    /// @inheritdoc IInferenceRouter
    function reportDigest(AttributionReport calldata report) external view returns (bytes32) {
        return _hashTypedDataV4(_hashReport(report, _view(report)));
    }

    /// @inheritdoc IInferenceRouter
    function batchDigest(AttributionReport[] calldata reports) external view returns (bytes32) {
        bytes32[] memory hashes = new bytes32[](reports.length);
        for (uint256 i; i < reports.length; ++i) {
            hashes[i] = _hashReport(reports[i], _view(reports[i]));
        }
        return _hashTypedDataV4(_hashBatch(hashes));
    }

    /// @inheritdoc IInferenceRouter
    function parameters() external view returns (Parameters memory) {
        HotSlot memory hot = _hot;
        return
            Parameters({
                platformFee: hot.platformFee,
                creatorBps: hot.creatorBps,
                stakersBps: hot.stakersBps,
                contributorsBps: uint16(BPS - hot.creatorBps - hot.stakersBps),
                attributionThreshold: hot.attributionThreshold,
                attributionWindow: hot.attributionWindow
            });
    }

    /// @inheritdoc IInferenceRouter
    function platformFee() external view returns (uint256) {
        return _hot.platformFee;
    }

    /// @inheritdoc IInferenceRouter
    function feeSplit() external view returns (FeeSplit memory) {
        return _feeSplit(_hot);
    }

    /// @inheritdoc IInferenceRouter
    function attributionThreshold() external view returns (uint256) {
        return _hot.attributionThreshold;
    }

    /// @inheritdoc IInferenceRouter
    function attributionWindow() external view returns (uint256) {
        return _hot.attributionWindow;
    }

    /// @inheritdoc IInferenceRouter
    function oracle() external view returns (address) {
        return address(_oracle);
    }

    /// @inheritdoc IInferenceRouter
    function signerSet() external view returns (address data, uint256 count, uint256 threshold) {
        uint256 set = _signerSet;
        return (SignerSet.dataOf(set), SignerSet.countOf(set), SignerSet.thresholdOf(set));
    }

    // ----------------------------------------------------------------------------------------------
    // Internal: payment
    // ----------------------------------------------------------------------------------------------

    function _pay(
        uint256 modelId,
        uint64 inputTokens,
        uint64 outputTokens,
        bytes32 requestId,
        uint256 maxFee
    ) internal returns (uint256 inferenceId) {
        HotSlot memory hot = _hot;
        if (hot.pausedAt != 0) revert ProtocolAdminPaused();
        inferenceId = _inferenceIdOf(msg.sender, requestId);
        if (_inferences[inferenceId].status != InferenceStatus.None) {
            revert InferenceRouterDuplicateRequest(msg.sender, requestId, inferenceId);
        }
        Payment memory p = _price(modelId, inputTokens, outputTokens, hot);
        if (p.fee > maxFee) revert InferenceRouterFeeAboveMax(p.fee, maxFee);

        // modelId ≤ the registry's uint64 count; pool ≤ fee ≤ the OPEN supply (1e27) < 2^96, since it is paid;
        // active time + window < 2^40 until the year 36,812.
        _inferences[inferenceId] = Inference({
            modelId: uint64(modelId),
            paidAt: uint40(block.timestamp),
            closesAt: uint40(block.timestamp - hot.pausedSeconds + hot.attributionWindow),
            status: InferenceStatus.Pending,
            pool: uint96(p.pool)
        });
        if (p.creatorShare != 0) _credits[p.creator] += p.creatorShare;
        _owe(p.platformFee, p.stakersShare);

        emit InferencePaid(
            inferenceId,
            modelId,
            msg.sender,
            requestId,
            p.fee,
            p.creatorShare,
            p.stakersShare,
            p.pool,
            p.platformFee
        );
        _open.safeTransferFrom(msg.sender, address(this), p.fee);
    }

    /// @dev The fee of an inference of an Active model and how it splits.
    function _price(
        uint256 modelId,
        uint64 inputTokens,
        uint64 outputTokens,
        HotSlot memory hot
    ) internal view returns (Payment memory p) {
        uint256 inputRate;
        uint256 outputRate;
        (p.creator, inputRate, outputRate) = _activeTerms(modelId);
        p.platformFee = hot.platformFee;
        uint256 modelFee;
        (modelFee, p.fee) = FeeMath.quoteDown(inputTokens, outputTokens, inputRate, outputRate, p.platformFee);
        (p.creatorShare, p.stakersShare, p.pool) = FeeMath.splitDown(modelFee, hot.creatorBps, hot.stakersBps);
    }

    function _activeTerms(
        uint256 modelId
    ) internal view returns (address creator, uint256 inputRate, uint256 outputRate) {
        IModelRegistry.ModelState state;
        (state, creator, inputRate, outputRate) = _models.paymentTerms(modelId);
        if (state != IModelRegistry.ModelState.Active) revert InferenceRouterModelNotActive(modelId, uint8(state));
    }

    /// @dev Adds to what is owed to the treasury and to the stakers, in one storage write. Both stay below the OPEN
    /// supply (1e27 < 2^128): they only hold OPEN the router has received.
    function _owe(uint256 toTreasury, uint256 toStakers) internal {
        if (toTreasury == 0 && toStakers == 0) return;
        Owed memory owed = _owed;
        _owed = Owed({treasury: uint128(owed.treasury + toTreasury), stakers: uint128(owed.stakers + toStakers)});
    }

    function _inferenceIdOf(address payer, bytes32 requestId) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(payer, requestId)));
    }

    // ----------------------------------------------------------------------------------------------
    // Internal: settlement
    // ----------------------------------------------------------------------------------------------

    /// @dev Settles one report and returns its EIP-712 struct hash; `tolerant` (a batch) skips a report whose
    /// inference is no longer Pending or whose window closed instead of reverting. What the treasury gains is added
    /// to `ctx.toTreasury`, written once per call.
    function _settle(
        AttributionReport calldata report,
        SettlementContext memory ctx,
        bool tolerant
    ) internal returns (bytes32 structHash) {
        ReportView memory v = _view(report);
        ctx.contributions += v.n;
        structHash = _hashReport(report, v);
        uint256 inferenceId = report.inferenceId;
        if (block.timestamp > report.deadline) revert InferenceRouterReportExpired(inferenceId, report.deadline);
        // The inference's slot, read once and written once. Solidity packs Inference from the lowest bits in
        // declaration order: modelId [0, 64), paidAt [64, 104), closesAt [104, 144), status [144, 152), pool [152, 248).
        // Plain Solidity: Inference memory pending = _inferences[inferenceId]; … _inferences[inferenceId].status = Settled.
        uint256 slot;
        uint256 word;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, inferenceId)
            mstore(0x20, _inferences.slot)
            slot := keccak256(0x00, 0x40)
            word := sload(slot)
        }
        uint256 status = (word >> _STATUS_SHIFT) & 0xff;
        if (status != uint256(InferenceStatus.Pending)) {
            if (status == uint256(InferenceStatus.None)) revert InferenceRouterUnknownInference(inferenceId);
            if (!tolerant) revert InferenceRouterNotPending(inferenceId, InferenceStatus(status));
            emit ReportSkipped(inferenceId, InferenceStatus(status));
            return structHash;
        }
        uint256 closesAt = (word >> _CLOSES_AT_SHIFT) & type(uint40).max;
        if (ctx.activeTime > closesAt) {
            if (!tolerant) revert InferenceRouterWindowClosed(inferenceId, closesAt);
            emit ReportSkipped(inferenceId, InferenceStatus.Pending);
            return structHash;
        }
        uint256 modelId = word & type(uint64).max;
        // A batch only reads the cache: filling it is work its bound does not count.
        if (ctx.modelId != modelId) _useModel(ctx, modelId, !tolerant);
        // Pending (1) becomes Settled (2): one bit flips in the status byte.
        word ^= (uint256(InferenceStatus.Pending) ^ uint256(InferenceStatus.Settled)) << _STATUS_SHIFT;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            sstore(slot, word)
        }
        v.pool = word >> _POOL_SHIFT;
        ctx.toTreasury += _distribute(report, v, ctx);
    }

    /// @dev Loads model `modelId`'s datanets into `ctx` (another model than the last report's), from the cache or the
    /// ModelRegistry; with `fill`, a registry answer is cached. Reading another model's datanets (cold, the first time)
    /// is work the batch bound must count: a batch of MAX_BATCH_REPORTS reports of as many models would otherwise
    /// exceed the gas cap. The first model is part of the bound as measured.
    function _useModel(SettlementContext memory ctx, uint256 modelId, bool fill) private {
        uint256[5] storage cached = _modelDatanets[modelId];
        uint256 head = cached[0];
        uint256[] memory datanetIds;
        if (head != 0) {
            uint256 n = head & 0xff;
            datanetIds = new uint256[](n);
            uint256 word = head >> 8;
            for (uint256 i; i < n; ++i) {
                // Ids 0-2 are in word 0; then four per word.
                if (i >= 3 && (i - 3) % 4 == 0) word = cached[1 + (i - 3) / 4];
                datanetIds[i] = word & type(uint64).max;
                word >>= 64;
            }
        } else {
            datanetIds = _models.modelDatanets(modelId);
            if (fill) _cacheDatanets(cached, datanetIds);
        }
        // At most ModelRegistry.MAX_DATANETS datanets: nothing overflows.
        if (ctx.modelId != 0) ctx.contributions += _MODEL_CHANGE_WORK + datanetIds.length / _DATANETS_PER_WORK;
        ctx.datanetIds = datanetIds;
        ctx.modelId = modelId;
    }

    /// @dev Writes `datanetIds` (1 to ModelRegistry.MAX_DATANETS = 16 ids, each a uint64 datanet id) in the layout
    /// of `_modelDatanets`; a list that does not fit is left uncached.
    function _cacheDatanets(uint256[5] storage cached, uint256[] memory datanetIds) private {
        uint256 n = datanetIds.length;
        if (n == 0 || n > 19) return; // word 0 holds 3 ids, words 1-4 hold 4 each
        for (uint256 i; i < n; ++i) {
            if (datanetIds[i] > type(uint64).max) return;
        }
        uint256 word = n;
        uint256 shift = 8;
        uint256 w;
        for (uint256 i; i < n; ++i) {
            if (i >= 3 && (i - 3) % 4 == 0) {
                cached[w++] = word;
                word = 0;
                shift = 0;
            }
            word |= datanetIds[i] << shift;
            shift += 64;
        }
        cached[w] = word;
    }

    /// @dev Locates the report's arrays once and checks their lengths; every later read of an id or a weight is a
    /// plain calldataload within them. Plain Solidity: `report.contributionIds` and `report.weights`, whose offsets
    /// and lengths the ABI decoder checks against the calldata in the same way.
    function _view(AttributionReport calldata report) private pure returns (ReportView memory v) {
        uint256 n;
        uint256 weightCount;
        uint256 idsAt;
        uint256 weightsAt;
        bool outOfBounds;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            // The head holds each array's offset from the head; the array is its length, then its elements.
            let idsOffset := calldataload(add(report, 0x60))
            let weightsOffset := calldataload(add(report, 0x80))
            idsAt := add(add(report, idsOffset), 0x20)
            weightsAt := add(add(report, weightsOffset), 0x20)
            // An offset of 2^64 or more, or a length word outside the calldata, is not an encoding of an array.
            outOfBounds := or(
                or(gt(idsOffset, 0xffffffffffffffff), gt(weightsOffset, 0xffffffffffffffff)),
                or(gt(idsAt, calldatasize()), gt(weightsAt, calldatasize()))
            )
            n := calldataload(sub(idsAt, 0x20))
            weightCount := calldataload(sub(weightsAt, 0x20))
        }
        // Malformed before anything read from it is reported: a length outside the calldata reads as zero.
        if (outOfBounds) revert InferenceRouterMalformedReport(report.inferenceId);
        if (n != weightCount) revert InferenceRouterLengthMismatch(n, weightCount);
        if (n > MAX_CONTRIBUTIONS) revert InferenceRouterTooManyContributions(n, MAX_CONTRIBUTIONS);
        // n ≤ 64 and both offsets < 2^64, so nothing below wraps.
        if (idsAt + (n << 5) > msg.data.length || weightsAt + (n << 5) > msg.data.length) {
            revert InferenceRouterMalformedReport(report.inferenceId);
        }
        v.ids = idsAt;
        v.weights = weightsAt;
        v.n = n;
    }

    /// @dev Checks the report's contributions and weights and shares the pool among the weights that earn, rounded
    /// down; returns what goes to the treasury (forfeited shares and dust, or the whole pool when no weight earns).
    function _distribute(
        AttributionReport calldata report,
        ReportView memory v,
        SettlementContext memory ctx
    ) internal returns (uint256 toTreasury) {
        AttributionRecord[] memory records = _records(v, ctx);
        _checkReport(report.inferenceId, v, records, ctx.threshold);
        (uint256 credited, uint256 data) = _credit(report.inferenceId, v, records);
        // The amounts credited sum to at most the pool.
        toTreasury = v.pool - credited;
        _emitSettled(report, v.n, data, toTreasury);
    }

    /// @dev Checks every contribution may be named (a valid record) once (strictly increasing ids) and each weight
    /// and their sum are at most 1e18; records the sum of the weights that earn in `v.earningWeight` and marks the
    /// record of each contribution whose weight earns with _EARNS, so the rule is applied once per weight.
    function _checkReport(
        uint256 inferenceId,
        ReportView memory v,
        AttributionRecord[] memory records,
        uint256 threshold
    ) private pure {
        uint256 idsAt = v.ids;
        uint256 weightsAt = v.weights;
        uint256 n = v.n;
        uint256 sum;
        uint256 earningWeight;
        uint256 previousId;
        // Each weight ≤ 1e18 and at most MAX_CONTRIBUTIONS of them: the sums cannot overflow; i < n == records.length.
        unchecked {
            for (uint256 i; i < n; ++i) {
                uint256 contributionId;
                uint256 weight;
                uint256 r;
                // solhint-disable-next-line no-inline-assembly
                assembly ("memory-safe") {
                    contributionId := calldataload(add(idsAt, shl(5, i))) // ids[i]
                    weight := calldataload(add(weightsAt, shl(5, i))) // weights[i]
                    r := mload(add(records, shl(5, add(i, 1)))) // records[i]
                }
                // A zero record is Invalid (see AttributionRecord); ids start at 1, so the first id passes the order
                // check against previousId == 0 unless it is 0, whose record is Invalid anyway.
                if (r == 0 || contributionId <= previousId) {
                    revert InferenceRouterInvalidContribution(inferenceId, contributionId);
                }
                previousId = contributionId;
                if (weight > WAD) revert InferenceRouterWeightsExceedWad(inferenceId, weight);
                sum += weight;
                if (AttributionRules.earns(weight, threshold)) {
                    earningWeight += weight;
                    // solhint-disable-next-line no-inline-assembly
                    assembly ("memory-safe") {
                        mstore(add(records, shl(5, add(i, 1))), or(r, _EARNS)) // records[i] |= _EARNS
                    }
                }
            }
        }
        if (sum > WAD) revert InferenceRouterWeightsExceedWad(inferenceId, sum);
        v.earningWeight = earningWeight;
    }

    /// @dev Credits each contributor whose weight earns (marked by _checkReport) its share of the pool (pool ×
    /// weight / earningWeight, rounded down); a forfeited share is announced and credited to nobody. Writes each
    /// contribution with what it was credited (AttributionRules.packCredit) into the `credits` of the InferenceSettled
    /// event data, allocated here at `data`, which saves building an array and ABI-encoding it again. Returns the sum
    /// credited.
    function _credit(
        uint256 inferenceId,
        ReportView memory v,
        AttributionRecord[] memory records
    ) private returns (uint256 credited, uint256 data) {
        uint256 idsAt = v.ids;
        uint256 weightsAt = v.weights;
        uint256 n = v.n;
        uint256 pool = v.pool;
        uint256 earningWeight = v.earningWeight;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            data := mload(0x40)
            mstore(0x40, add(data, add(0xa0, shl(5, n)))) // 4 head words, the length, n credits
        }
        // Each amount ≤ pool < 2^96 and they sum to at most the pool: nothing below overflows. The record's fields
        // are read with AttributionRules' layout (the library's functions are not inlined by the compiler).
        unchecked {
            for (uint256 i; i < n; ++i) {
                uint256 contributionId;
                uint256 r;
                // solhint-disable-next-line no-inline-assembly
                assembly ("memory-safe") {
                    contributionId := calldataload(add(idsAt, shl(5, i))) // ids[i]
                    r := mload(add(records, shl(5, add(i, 1)))) // records[i]
                }
                uint256 amount;
                if (r & _EARNS != 0) {
                    uint256 weight;
                    // solhint-disable-next-line no-inline-assembly
                    assembly ("memory-safe") {
                        weight := calldataload(add(weightsAt, shl(5, i))) // weights[i]
                    }
                    // pool < 2^96 and weight ≤ 1e18 < 2^60: the product fits; earningWeight ≥ weight > 0.
                    amount = (pool * weight) / earningWeight; // FeeMath.shareDown, unchecked
                    if ((r >> AttributionRules.ELIGIBILITY_SHIFT) & 0xff == _ELIGIBLE) {
                        credited += amount;
                        _credits[address(uint160(r))] += amount; // the record's contributor
                    } else {
                        _forfeit(inferenceId, contributionId, amount);
                        amount = 0;
                    }
                }
                uint256 packed = (contributionId << AttributionRules.CREDIT_AMOUNT_BITS) | amount; // packCredit
                // solhint-disable-next-line no-inline-assembly
                assembly ("memory-safe") {
                    mstore(add(data, add(0xa0, shl(5, i))), packed) // credits[i]
                }
            }
        }
    }

    /// @dev Contribution `contributionId`, penalized, forfeits `amount` of inference `inferenceId`: to the treasury.
    function _forfeit(uint256 inferenceId, uint256 contributionId, uint256 amount) private {
        emit ContributionForfeited(inferenceId, contributionId, amount);
    }

    /// @dev Emits InferenceSettled with the `n` credits `_credit` wrote at `data`, once `toTreasury` is known.
    function _emitSettled(AttributionReport calldata report, uint256 n, uint256 data, uint256 toTreasury) private {
        bytes32 topic = InferenceSettled.selector;
        uint256 inferenceId = report.inferenceId;
        bytes32 outputHash = report.outputHash;
        bytes32 indexCommitment = report.indexCommitment;
        // Plain Solidity: emit InferenceSettled(inferenceId, outputHash, indexCommitment, toTreasury, credits).
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(data, outputHash)
            mstore(add(data, 0x20), indexCommitment)
            mstore(add(data, 0x40), toTreasury)
            mstore(add(data, 0x60), 0x80) // offset of credits
            mstore(add(data, 0x80), n)
            log2(data, add(0xa0, shl(5, n)), topic, inferenceId)
        }
    }

    /// @dev The attribution record of each contribution of the report for the cached model. Answers are kept in
    /// transient storage for the rest of this settlement call, keyed by (call, model, contribution), so contributions
    /// recurring across a batch are read from the registry once. A new call starts a new generation: nothing read
    /// before a registry change in the same transaction is reused after it.
    function _records(
        ReportView memory v,
        SettlementContext memory ctx
    ) internal returns (AttributionRecord[] memory records) {
        uint256 idsAt = v.ids;
        uint256 n = v.n;
        records = new AttributionRecord[](n);
        // Key of contribution `id`: the seed XOR (generation, model, id) packed in 64-bit fields — distinct for every
        // triple, since models and ids are uint64 and generations count calls. An id of 2^64 or more is never cached.
        uint256 generation = ctx.generation;
        uint256 seed = _CACHE_SEED ^ ((generation << 128) | (ctx.modelId << 64));
        bool missed = generation == 0;
        if (!missed) {
            for (uint256 i; i < n; ++i) {
                uint256 cached;
                // solhint-disable-next-line no-inline-assembly
                assembly ("memory-safe") {
                    let id := calldataload(add(idsAt, shl(5, i)))
                    if iszero(shr(64, id)) {
                        cached := tload(xor(seed, id))
                    }
                    mstore(add(records, shl(5, add(i, 1))), cached) // records[i] (i < n == records.length)
                }
                if (cached == 0) {
                    missed = true;
                    break;
                }
            }
        }
        if (!missed) return records;
        uint256[] calldata ids;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            ids.offset := idsAt
            ids.length := n
        }
        records = _datanets.attributionRecords(ids, ctx.datanetIds);
        if (generation == 0) return records;
        for (uint256 i; i < n; ++i) {
            uint256 r = AttributionRecord.unwrap(records[i]);
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                let id := calldataload(add(idsAt, shl(5, i)))
                if and(iszero(shr(64, id)), iszero(iszero(r))) {
                    tstore(xor(seed, id), r)
                }
            }
        }
    }

    /// @dev A context for one settlement call (reverts while paused); with `cached`, a fresh generation (≥ 1) of the
    /// transient record cache, else generation 0, which caches nothing.
    function _newContext(bool cached) private returns (SettlementContext memory ctx) {
        HotSlot memory hot = _hot;
        if (hot.pausedAt != 0) revert ProtocolAdminPaused();
        ctx.activeTime = block.timestamp - hot.pausedSeconds;
        ctx.threshold = hot.attributionThreshold;
        if (!cached) return ctx;
        TransientSlot.Uint256Slot slot = _CACHE_GENERATION_SLOT.asUint256();
        ctx.generation = slot.tload() + 1;
        slot.tstore(ctx.generation);
    }

    /// @dev The EIP-712 struct hash of `report`, whose arrays `v` located, computed in scratch memory (nothing is
    /// allocated). Plain Solidity: keccak256(abi.encode(REPORT_TYPEHASH, report.inferenceId, report.outputHash,
    /// report.indexCommitment, keccak256(abi.encodePacked(report.contributionIds)),
    /// keccak256(abi.encodePacked(report.weights)), report.deadline)).
    function _hashReport(AttributionReport calldata report, ReportView memory v) internal pure returns (bytes32 hash) {
        bytes32 typehash = REPORT_TYPEHASH;
        uint256 idsAt = v.ids;
        uint256 weightsAt = v.weights;
        uint256 size = v.n << 5;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, idsAt, size)
            let idsHash := keccak256(ptr, size)
            calldatacopy(ptr, weightsAt, size)
            let weightsHash := keccak256(ptr, size)
            mstore(ptr, typehash)
            calldatacopy(add(ptr, 0x20), report, 0x60) // inferenceId, outputHash, indexCommitment
            mstore(add(ptr, 0x80), idsHash)
            mstore(add(ptr, 0xa0), weightsHash)
            mstore(add(ptr, 0xc0), calldataload(add(report, 0xa0))) // deadline
            hash := keccak256(ptr, 0xe0)
        }
    }

    /// @dev The EIP-712 struct hash of an AttributionBatch whose reports hash to `hashes`.
    function _hashBatch(bytes32[] memory hashes) internal pure returns (bytes32) {
        return keccak256(abi.encode(BATCH_TYPEHASH, keccak256(abi.encodePacked(hashes))));
    }

    // ----------------------------------------------------------------------------------------------
    // Internal: claims, lookups and parameters
    // ----------------------------------------------------------------------------------------------

    function _claim(address recipient) internal returns (uint256 amount) {
        amount = _credits[msg.sender];
        if (amount == 0) revert InferenceRouterNothingToClaim(msg.sender);
        delete _credits[msg.sender];
        emit Claimed(msg.sender, recipient, amount);
        _open.safeTransfer(recipient, amount);
    }

    function _inference(uint256 inferenceId) internal view returns (Inference storage inference) {
        inference = _inferences[inferenceId];
        if (inference.status == InferenceStatus.None) revert InferenceRouterUnknownInference(inferenceId);
    }

    /// @dev The inference, as a storage pointer and as a copy read with one SLOAD; reverts unless it is Pending.
    function _pendingInference(
        uint256 inferenceId
    ) internal view returns (Inference storage inference, Inference memory pending) {
        inference = _inferences[inferenceId];
        pending = inference;
        if (pending.status != InferenceStatus.Pending) {
            if (pending.status == InferenceStatus.None) revert InferenceRouterUnknownInference(inferenceId);
            revert InferenceRouterNotPending(inferenceId, pending.status);
        }
    }

    function _setPlatformFee(uint256 newFee) internal {
        if (newFee > MAX_PLATFORM_FEE) revert InferenceRouterPlatformFeeTooHigh(newFee, MAX_PLATFORM_FEE);
        emit PlatformFeeUpdated(_hot.platformFee, newFee);
        _hot.platformFee = uint64(newFee); // ≤ MAX_PLATFORM_FEE = 1e19 < 2^64
    }

    function _setFeeSplit(FeeSplit memory newSplit) internal {
        uint256 sum = uint256(newSplit.creatorBps) + newSplit.stakersBps + newSplit.contributorsBps;
        if (sum != BPS) revert InferenceRouterInvalidSplit(sum);
        HotSlot storage hot = _hot;
        emit FeeSplitUpdated(_feeSplit(hot), newSplit);
        hot.creatorBps = newSplit.creatorBps;
        hot.stakersBps = newSplit.stakersBps;
    }

    function _setAttributionThreshold(uint256 newThreshold) internal {
        if (newThreshold > MAX_ATTRIBUTION_THRESHOLD) {
            revert InferenceRouterThresholdTooHigh(newThreshold, MAX_ATTRIBUTION_THRESHOLD);
        }
        emit AttributionThresholdUpdated(_hot.attributionThreshold, newThreshold);
        _hot.attributionThreshold = uint64(newThreshold); // ≤ 5e17 < 2^64
    }

    function _setAttributionWindow(uint256 newWindow) internal {
        if (newWindow < MIN_ATTRIBUTION_WINDOW || newWindow > MAX_ATTRIBUTION_WINDOW) {
            revert InferenceRouterWindowOutOfBounds(newWindow, MIN_ATTRIBUTION_WINDOW, MAX_ATTRIBUTION_WINDOW);
        }
        emit AttributionWindowUpdated(_hot.attributionWindow, newWindow);
        _hot.attributionWindow = uint24(newWindow); // ≤ 90 days < 2^24
    }

    function _feeSplit(HotSlot memory hot) internal pure returns (FeeSplit memory) {
        return
            FeeSplit({
                creatorBps: hot.creatorBps,
                stakersBps: hot.stakersBps,
                contributorsBps: uint16(BPS - hot.creatorBps - hot.stakersBps)
            });
    }

    /// @inheritdoc ProtocolAdmin
    function _pauseClock() internal view override returns (uint256 pausedAt, uint256 pausedSeconds_) {
        HotSlot memory hot = _hot;
        return (hot.pausedAt, hot.pausedSeconds);
    }

    /// @inheritdoc ProtocolAdmin
    /// @dev The paused seconds fit uint32 for 136 years of pauses.
    function _setPauseClock(uint256 pausedAt, uint256 pausedSeconds_) internal override {
        _hot.pausedAt = uint40(pausedAt);
        _hot.pausedSeconds = SafeCast.toUint32(pausedSeconds_);
    }

    /// @dev The new oracle's set applies at once if the oracle is bound to this router; otherwise no set applies until
    /// the oracle is bound and sends it, so a replaced oracle's signers never settle for the new one.
    function _setOracle(address newOracle) internal {
        if (newOracle == address(0)) revert InferenceRouterZeroAddress();
        emit OracleUpdated(address(_oracle), newOracle);
        _oracle = IAttributionOracle(newOracle);
        (address data, uint256 count, uint256 threshold) = (address(0), 0, 0);
        if (newOracle.code.length != 0 && IAttributionOracle(newOracle).router() == address(this)) {
            (data, count, threshold) = IAttributionOracle(newOracle).signerSet();
        }
        _setSignerSet(data, count, threshold);
    }

    /// @dev A set from the oracle is well formed (SignerSet's bounds hold: the oracle enforces them).
    function _setSignerSet(address data, uint256 count, uint256 threshold) private {
        _signerSet = SignerSet.pack(data, count, threshold);
        emit SignerSetUpdated(data, count, threshold);
    }

    /// @dev The report's (or batch's) signatures against the oracle's set, checked here: no call to the oracle.
    function _verify(bytes32 digest, IAttributionOracle.SignerSignature[] calldata signatures) private view {
        uint256 set = _signerSet;
        if (set == 0) revert InferenceRouterNoSignerSet();
        SignerSet.verify(set, digest, signatures);
    }
}
