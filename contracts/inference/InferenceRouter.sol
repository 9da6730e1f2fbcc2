// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SlotDerivation} from "@openzeppelin/contracts/utils/SlotDerivation.sol";
import {TransientSlot} from "@openzeppelin/contracts/utils/TransientSlot.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {IAttributionOracle} from "../interfaces/IAttributionOracle.sol";
import {IDatanetRegistry} from "../interfaces/IDatanetRegistry.sol";
import {IInferenceRouter} from "../interfaces/IInferenceRouter.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {IStakedOpen} from "../interfaces/IStakedOpen.sol";
import {BPS, WAD} from "../libraries/Constants.sol";
import {FeeMath} from "../libraries/FeeMath.sol";

/// @title InferenceRouter — inference payments, the fee split, and settlement of signed attribution
/// @notice See IInferenceRouter for the rules.
/// @dev Accounting: at every moment the router's OPEN balance ==
///   Σ credits + Σ pools of Pending inferences + treasuryOwed.
/// Payment adds the fee minus the stakers' share (pushed to StakedOpen in the same call); settlement and expiry
/// move a pool into credits and treasuryOwed exactly (dust included); claims and sweeps pay out what they remove.
contract InferenceRouter is IInferenceRouter, EIP712, Ownable2Step, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SlotDerivation for bytes32;
    using TransientSlot for bytes32;
    using TransientSlot for TransientSlot.AddressSlot;
    using TransientSlot for TransientSlot.Uint256Slot;

    /// @dev Transient: number of settlement calls so far in this transaction (keccak256("openledger.router.cache.generation") - 1).
    bytes32 private constant _CACHE_GENERATION_SLOT = bytes32(
        uint256(keccak256("openledger.router.cache.generation")) - 1
    );
    /// @dev Mixed into every transient contributor-cache key so it shares no slot with other transient state.
    uint256 private constant _CACHE_SEED = uint256(keccak256("openledger.router.cache.contributors"));

    /// @notice EIP-712 type hash of AttributionReport.
    bytes32 public constant REPORT_TYPEHASH = keccak256(
        "AttributionReport(uint256 inferenceId,uint256[] contributionIds,uint256[] weights,uint256 deadline)"
    );
    /// @notice EIP-712 type hash of AttributionBatch.
    bytes32 public constant BATCH_TYPEHASH = keccak256(
        "AttributionBatch(AttributionReport[] reports)AttributionReport(uint256 inferenceId,uint256[] contributionIds,uint256[] weights,uint256 deadline)"
    );

    /// @notice Most contributions one report may name.
    uint256 public constant MAX_CONTRIBUTIONS = 64;
    /// @notice Most reports one batch may hold.
    uint256 public constant MAX_BATCH = 256;
    /// @notice Highest platform fee governance may set, in OPEN-wei per inference (10 OPEN).
    uint256 public constant MAX_PLATFORM_FEE = 10 ether;
    /// @notice Highest attribution threshold governance may set (1e18 = 100%): 50%.
    uint256 public constant MAX_ATTRIBUTION_THRESHOLD = WAD / 2;
    /// @notice Shortest and longest attribution windows governance may set, in seconds.
    uint256 public constant MIN_ATTRIBUTION_WINDOW = 1 hours;
    uint256 public constant MAX_ATTRIBUTION_WINDOW = 90 days;

    IERC20 private immutable _open;
    IModelRegistry private immutable _models;
    IDatanetRegistry private immutable _datanets;
    IStakedOpen private immutable _staking;

    IAttributionOracle private _oracle;
    address private _treasury;
    address private _guardian;
    uint128 private _platformFee;
    FeeSplit private _split;
    uint64 private _attributionThreshold;
    uint48 private _attributionWindow;
    uint256 private _inferenceCount;
    uint256 private _treasuryOwed;

    mapping(uint256 inferenceId => Inference) private _inferences;
    mapping(bytes32 requestId => uint256 inferenceId) private _byRequest;
    mapping(address account => uint256) private _credits;

    /// @notice Governed parameters at deployment.
    /// @param platformFee OPEN-wei per inference to the treasury.
    /// @param split Basis points of the model fee for creator, stakers and contributors (sum 10,000).
    /// @param attributionThreshold Weight under which a contribution earns nothing (1e18 = 100%).
    /// @param attributionWindow Seconds after payment during which a report may settle an inference.
    struct Parameters {
        uint256 platformFee;
        FeeSplit split;
        uint256 attributionThreshold;
        uint256 attributionWindow;
    }

    /// @dev State of one settle/settleBatch call: its generation of the transient contributor cache, and the
    /// datanets of the model of the last report settled, reused while a batch stays on one model.
    struct ModelCache {
        uint256 generation;
        uint256 modelId;
        uint256[] datanetIds;
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

    /// @param contracts_ OPEN, ModelRegistry, DatanetRegistry, StakedOpen, AttributionOracle, in that order.
    /// @param governance Owner of every parameter: the ProtocolTimelock.
    /// @param initialTreasury Receives platform fees, expired pools and dust (the ProtocolTimelock).
    /// @param initialGuardian May pause payments and settlement (zero for none).
    /// @param parameters The governed parameters.
    constructor(
        address[5] memory contracts_,
        address governance,
        address initialTreasury,
        address initialGuardian,
        Parameters memory parameters
    ) EIP712("OpenLedger InferenceRouter", "1") Ownable(governance) {
        for (uint256 i; i < 5; ++i) {
            if (contracts_[i] == address(0)) revert InferenceRouterZeroAddress();
        }
        _open = IERC20(contracts_[0]);
        _models = IModelRegistry(contracts_[1]);
        _datanets = IDatanetRegistry(contracts_[2]);
        _staking = IStakedOpen(contracts_[3]);
        _setOracle(contracts_[4]);
        _setTreasury(initialTreasury);
        _setGuardian(initialGuardian);
        _setPlatformFee(parameters.platformFee);
        _setFeeSplit(parameters.split);
        _setAttributionThreshold(parameters.attributionThreshold);
        _setAttributionWindow(parameters.attributionWindow);
        // StakedOpen pulls the stakers' share with transferFrom when notified.
        IERC20(contracts_[0]).forceApprove(contracts_[3], type(uint256).max);
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
    ) external nonReentrant whenNotPaused returns (uint256 inferenceId) {
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
    ) external nonReentrant whenNotPaused returns (uint256 inferenceId) {
        // A front-run permit must not block the payment when the allowance is already in place.
        try IERC20Permit(address(_open)).permit(msg.sender, address(this), maxFee, deadline, v, r, s) {} catch {}
        return _pay(modelId, inputTokens, outputTokens, requestId, maxFee);
    }

    // ----------------------------------------------------------------------------------------------
    // Settlement
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IInferenceRouter
    function settle(
        AttributionReport calldata report,
        IAttributionOracle.SignerSignature[] calldata signatures
    ) external nonReentrant whenNotPaused {
        _oracle.verifySignatures(_hashTypedDataV4(_hashReport(report)), signatures);
        ModelCache memory cache = _newCache();
        _settle(report, cache);
    }

    /// @inheritdoc IInferenceRouter
    function settleBatch(
        AttributionReport[] calldata reports,
        IAttributionOracle.SignerSignature[] calldata signatures
    ) external nonReentrant whenNotPaused {
        uint256 n = reports.length;
        if (n == 0 || n > MAX_BATCH) revert InferenceRouterInvalidBatchSize(n, MAX_BATCH);
        _oracle.verifySignatures(_hashTypedDataV4(_hashBatch(reports)), signatures);
        ModelCache memory cache = _newCache();
        for (uint256 i; i < n; ++i) {
            _settle(reports[i], cache);
        }
    }

    /// @inheritdoc IInferenceRouter
    function expire(uint256 inferenceId) external {
        (Inference storage inference, Inference memory pending) = _pendingInference(inferenceId);
        if (block.timestamp <= pending.closesAt) revert InferenceRouterWindowOpen(inferenceId, pending.closesAt);
        uint256 pool = pending.pool;
        inference.status = InferenceStatus.Expired;
        _treasuryOwed += pool;
        emit InferenceExpired(inferenceId, pool);
    }

    // ----------------------------------------------------------------------------------------------
    // Claims
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IInferenceRouter
    function claim() external nonReentrant returns (uint256 amount) {
        return _claim(msg.sender);
    }

    /// @inheritdoc IInferenceRouter
    function claimTo(address recipient) external nonReentrant returns (uint256 amount) {
        if (recipient == address(0)) revert InferenceRouterZeroAddress();
        if (recipient == address(this)) revert InferenceRouterInvalidRecipient(recipient);
        return _claim(recipient);
    }

    /// @inheritdoc IInferenceRouter
    function sweepToTreasury() external nonReentrant returns (uint256 amount) {
        amount = _treasuryOwed;
        if (amount == 0) revert InferenceRouterNothingToSweep();
        _treasuryOwed = 0;
        address treasury_ = _treasury;
        emit TreasurySwept(treasury_, amount);
        _open.safeTransfer(treasury_, amount);
    }

    // ----------------------------------------------------------------------------------------------
    // Governance and the guardian
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
    function setTreasury(address newTreasury) external onlyOwner {
        _setTreasury(newTreasury);
    }

    /// @inheritdoc IInferenceRouter
    function setGuardian(address newGuardian) external onlyOwner {
        _setGuardian(newGuardian);
    }

    /// @inheritdoc IInferenceRouter
    function pause() external {
        if (msg.sender != _guardian && msg.sender != owner()) revert InferenceRouterNotGuardian(msg.sender);
        _pause();
    }

    /// @inheritdoc IInferenceRouter
    function unpause() external onlyOwner {
        _unpause();
    }

    /// @notice Disabled: the protocol's parameters must always have an owner.
    function renounceOwnership() public view override onlyOwner {
        revert InferenceRouterRenounceDisabled();
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
        (modelFee, fee) = FeeMath.quoteDown(inputTokens, outputTokens, inputRate, outputRate, _platformFee);
    }

    /// @inheritdoc IInferenceRouter
    function getInference(uint256 inferenceId) external view returns (Inference memory) {
        return _inference(inferenceId);
    }

    /// @inheritdoc IInferenceRouter
    function inferenceByRequest(bytes32 requestId) external view returns (uint256) {
        return _byRequest[requestId];
    }

    /// @inheritdoc IInferenceRouter
    function creditOf(address account) external view returns (uint256) {
        return _credits[account];
    }

    /// @inheritdoc IInferenceRouter
    function treasuryOwed() external view returns (uint256) {
        return _treasuryOwed;
    }

    /// @inheritdoc IInferenceRouter
    function inferenceCount() external view returns (uint256) {
        return _inferenceCount;
    }

    /// @inheritdoc IInferenceRouter
    function reportDigest(AttributionReport calldata report) external view returns (bytes32) {
        return _hashTypedDataV4(_hashReport(report));
    }

    /// @inheritdoc IInferenceRouter
    function batchDigest(AttributionReport[] calldata reports) external view returns (bytes32) {
        return _hashTypedDataV4(_hashBatch(reports));
    }

    /// @inheritdoc IInferenceRouter
    function platformFee() external view returns (uint256) {
        return _platformFee;
    }

    /// @inheritdoc IInferenceRouter
    function feeSplit() external view returns (FeeSplit memory) {
        return _split;
    }

    /// @inheritdoc IInferenceRouter
    function attributionThreshold() external view returns (uint256) {
        return _attributionThreshold;
    }

    /// @inheritdoc IInferenceRouter
    function attributionWindow() external view returns (uint256) {
        return _attributionWindow;
    }

    /// @inheritdoc IInferenceRouter
    function oracle() external view returns (address) {
        return address(_oracle);
    }

    /// @inheritdoc IInferenceRouter
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc IInferenceRouter
    function guardian() external view returns (address) {
        return _guardian;
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
        if (requestId == bytes32(0)) revert InferenceRouterZeroRequestId();
        uint256 existing = _byRequest[requestId];
        if (existing != 0) revert InferenceRouterDuplicateRequest(requestId, existing);
        Payment memory p = _price(modelId, inputTokens, outputTokens);
        if (p.fee > maxFee) revert InferenceRouterFeeAboveMax(p.fee, maxFee);

        inferenceId = ++_inferenceCount;
        _byRequest[requestId] = inferenceId;
        // modelId ≤ the registry's uint64 count; pool ≤ fee ≤ the OPEN supply (1e27) < 2^96, since it is paid;
        // uint40 timestamps last until the year 36,812.
        _inferences[inferenceId] = Inference({
            modelId: uint64(modelId),
            paidAt: uint40(block.timestamp),
            closesAt: uint40(block.timestamp + _attributionWindow),
            status: InferenceStatus.Pending,
            pool: uint96(p.pool)
        });
        if (p.creatorShare != 0) _credits[p.creator] += p.creatorShare;
        if (p.platformFee != 0) _treasuryOwed += p.platformFee;

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
        // StakedOpen credits stakers, or forwards to the treasury when nothing is staked.
        if (p.stakersShare != 0) _staking.notifyReward(p.stakersShare);
    }

    /// @dev The fee of an inference of an Active model and how it splits.
    function _price(uint256 modelId, uint64 inputTokens, uint64 outputTokens) internal view returns (Payment memory p) {
        uint256 inputRate;
        uint256 outputRate;
        (p.creator, inputRate, outputRate) = _activeTerms(modelId);
        p.platformFee = _platformFee;
        uint256 modelFee;
        (modelFee, p.fee) = FeeMath.quoteDown(inputTokens, outputTokens, inputRate, outputRate, p.platformFee);
        FeeSplit memory split = _split;
        (p.creatorShare, p.stakersShare, p.pool) = FeeMath.splitDown(modelFee, split.creatorBps, split.stakersBps);
    }

    function _activeTerms(
        uint256 modelId
    ) internal view returns (address creator, uint256 inputRate, uint256 outputRate) {
        IModelRegistry.ModelState state;
        (state, creator, inputRate, outputRate, ) = _models.inferenceTerms(modelId);
        if (state != IModelRegistry.ModelState.Active) revert InferenceRouterModelNotActive(modelId, uint8(state));
    }

    // ----------------------------------------------------------------------------------------------
    // Internal: settlement
    // ----------------------------------------------------------------------------------------------

    function _settle(AttributionReport calldata report, ModelCache memory cache) internal {
        uint256 inferenceId = report.inferenceId;
        if (block.timestamp > report.deadline) revert InferenceRouterReportExpired(inferenceId, report.deadline);
        (Inference storage inference, Inference memory pending) = _pendingInference(inferenceId);
        if (block.timestamp > pending.closesAt) revert InferenceRouterWindowClosed(inferenceId, pending.closesAt);

        uint256[] calldata ids = report.contributionIds;
        uint256[] calldata weights = report.weights;
        uint256 n = ids.length;
        if (n != weights.length) revert InferenceRouterLengthMismatch(n, weights.length);
        if (n > MAX_CONTRIBUTIONS) revert InferenceRouterTooManyContributions(n, MAX_CONTRIBUTIONS);

        if (cache.modelId != pending.modelId) {
            (, , , , cache.datanetIds) = _models.inferenceTerms(pending.modelId);
            cache.modelId = pending.modelId;
        }
        address[] memory contributors = _eligibleContributors(ids, cache);

        uint256 threshold = _attributionThreshold;
        uint256 eligibleWeight = _checkReport(inferenceId, ids, weights, contributors, threshold);

        // Effects: the pool is shared among the weights at or above the threshold, rounded down.
        uint256 pool = pending.pool;
        inference.status = InferenceStatus.Settled;
        uint256[] memory amounts = new uint256[](n);
        uint256 distributed;
        if (eligibleWeight != 0) {
            for (uint256 i; i < n; ++i) {
                uint256 weight = weights[i];
                if (weight < threshold || weight == 0) continue;
                uint256 amount = FeeMath.shareDown(pool, weight, eligibleWeight);
                amounts[i] = amount;
                distributed += amount;
                _credits[contributors[i]] += amount;
            }
        }
        // Rounding dust, or the whole pool when no weight reached the threshold.
        uint256 toTreasury = pool - distributed;
        if (toTreasury != 0) _treasuryOwed += toTreasury;
        emit InferenceSettled(inferenceId, ids, amounts, toTreasury);
    }

    /// @dev Checks every contribution is eligible and named once (strictly increasing ids) and each weight and
    /// their sum are at most 1e18; returns the sum of the weights at or above the threshold.
    function _checkReport(
        uint256 inferenceId,
        uint256[] calldata ids,
        uint256[] calldata weights,
        address[] memory contributors,
        uint256 threshold
    ) internal pure returns (uint256 eligibleWeight) {
        // Each weight ≤ 1e18 and at most MAX_CONTRIBUTIONS of them: the sums cannot overflow.
        unchecked {
            uint256 sum;
            uint256 previousId;
            for (uint256 i; i < ids.length; ++i) {
                uint256 contributionId = ids[i];
                if (contributors[i] == address(0) || (i != 0 && contributionId <= previousId)) {
                    revert InferenceRouterIneligibleContribution(inferenceId, contributionId);
                }
                previousId = contributionId;
                uint256 weight = weights[i];
                if (weight > WAD) revert InferenceRouterWeightsExceedWad(inferenceId, weight);
                sum += weight;
                if (weight >= threshold && weight != 0) eligibleWeight += weight;
            }
            if (sum > WAD) revert InferenceRouterWeightsExceedWad(inferenceId, sum);
        }
    }

    /// @dev The contributor of each of `ids` when it is eligible for the cached model, else zero. Answers are
    /// kept in transient storage for the rest of this settlement call, keyed by (call, model, contribution), so
    /// contributions recurring across a batch are read from the registry once. A new call starts a new
    /// generation: nothing read before a registry change in the same transaction is reused after it.
    function _eligibleContributors(
        uint256[] calldata ids,
        ModelCache memory cache
    ) internal returns (address[] memory contributors) {
        uint256 n = ids.length;
        contributors = new address[](n);
        bytes32 seed = bytes32(_CACHE_SEED ^ ((cache.generation << 64) | cache.modelId));
        bool missed;
        for (uint256 i; i < n; ++i) {
            address contributor = seed.deriveMapping(ids[i]).asAddress().tload();
            if (contributor == address(0)) {
                missed = true;
                break;
            }
            contributors[i] = contributor;
        }
        if (!missed) return contributors;
        contributors = _datanets.attributionContributors(ids, cache.datanetIds);
        for (uint256 i; i < n; ++i) {
            address contributor = contributors[i];
            if (contributor != address(0)) seed.deriveMapping(ids[i]).asAddress().tstore(contributor);
        }
    }

    /// @dev A cache for one settlement call: a fresh generation of the transient contributor cache.
    function _newCache() private returns (ModelCache memory cache) {
        TransientSlot.Uint256Slot slot = _CACHE_GENERATION_SLOT.asUint256();
        cache.generation = slot.tload() + 1;
        slot.tstore(cache.generation);
    }

    function _hashReport(AttributionReport calldata report) internal pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    REPORT_TYPEHASH,
                    report.inferenceId,
                    _hashWords(report.contributionIds),
                    _hashWords(report.weights),
                    report.deadline
                )
            );
    }

    /// @dev keccak256(abi.encodePacked(words)) without allocating: EIP-712 encodes uint256[] this way.
    function _hashWords(uint256[] calldata words) private pure returns (bytes32 hash) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let size := shl(5, words.length)
            calldatacopy(ptr, words.offset, size)
            hash := keccak256(ptr, size)
        }
    }

    function _hashBatch(AttributionReport[] calldata reports) internal pure returns (bytes32) {
        bytes32[] memory hashes = new bytes32[](reports.length);
        for (uint256 i; i < reports.length; ++i) {
            hashes[i] = _hashReport(reports[i]);
        }
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
        emit PlatformFeeUpdated(_platformFee, newFee);
        _platformFee = uint128(newFee);
    }

    function _setFeeSplit(FeeSplit memory newSplit) internal {
        uint256 sum = uint256(newSplit.creatorBps) + newSplit.stakersBps + newSplit.contributorsBps;
        if (sum != BPS) revert InferenceRouterInvalidSplit(sum);
        emit FeeSplitUpdated(_split, newSplit);
        _split = newSplit;
    }

    function _setAttributionThreshold(uint256 newThreshold) internal {
        if (newThreshold > MAX_ATTRIBUTION_THRESHOLD) {
            revert InferenceRouterThresholdTooHigh(newThreshold, MAX_ATTRIBUTION_THRESHOLD);
        }
        emit AttributionThresholdUpdated(_attributionThreshold, newThreshold);
        _attributionThreshold = uint64(newThreshold);
    }

    function _setAttributionWindow(uint256 newWindow) internal {
        if (newWindow < MIN_ATTRIBUTION_WINDOW || newWindow > MAX_ATTRIBUTION_WINDOW) {
            revert InferenceRouterWindowOutOfBounds(newWindow, MIN_ATTRIBUTION_WINDOW, MAX_ATTRIBUTION_WINDOW);
        }
        emit AttributionWindowUpdated(_attributionWindow, newWindow);
        _attributionWindow = uint48(newWindow);
    }

    function _setOracle(address newOracle) internal {
        if (newOracle == address(0)) revert InferenceRouterZeroAddress();
        emit OracleUpdated(address(_oracle), newOracle);
        _oracle = IAttributionOracle(newOracle);
    }

    function _setTreasury(address newTreasury) internal {
        if (newTreasury == address(0)) revert InferenceRouterZeroAddress();
        emit TreasuryUpdated(_treasury, newTreasury);
        _treasury = newTreasury;
    }

    function _setGuardian(address newGuardian) internal {
        emit GuardianUpdated(_guardian, newGuardian);
        _guardian = newGuardian;
    }
}
