// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAttributionOracle} from "./IAttributionOracle.sol";

/// @title IInferenceRouter — inference payments, the fee split, and settlement of signed attribution
/// @notice Users pay for an Active model's inference in OPEN:
///     fee = (inputTokens × inputRate + outputTokens × outputRate) / 1000 + platformFee      (rounded down)
/// The platform fee goes to the treasury; the rest (the model fee) splits by basis points between the model's
/// creator (credited), the stakers (pushed into StakedOpen's reward accumulator) and the contributors, whose share
/// is held as that inference's pending pool. The oracle later signs an AttributionReport (EIP-712, this router is
/// the verifying contract) naming the contributions that influenced the output and their weights; settling it
/// credits the pool to their contributors in proportion to the eligible weights. If no report arrives within the
/// attribution window, anyone may expire the inference and its pool goes to the treasury.
/// Credits are pulled with `claim`/`claimTo`; amounts owed to the treasury accrue and anyone may `sweepToTreasury`.
/// For every inference: creator + stakers + contributors + treasury == fee paid, to the wei.
/// @dev The guardian can pause payments and settlement; claims, expiry and sweeps are never paused.
/// Warning: OPEN must be a plain ERC-20 (no fee on transfer, no rebasing).
interface IInferenceRouter {
    /// @notice Where an inference's contributors' pool stands.
    enum InferenceStatus {
        None,
        Pending,
        Settled,
        Expired
    }

    /// @notice One paid inference.
    /// @param modelId The model that served it.
    /// @param paidAt Unix time (seconds) of payment.
    /// @param closesAt Unix time (seconds) after which it can no longer be settled, only expired: paidAt plus the
    /// attribution window in force at payment (a later change of the window does not move it).
    /// @param status Pending until settled or expired.
    /// @param pool Contributors' share in OPEN-wei, held until settlement or expiry.
    struct Inference {
        uint64 modelId;
        uint40 paidAt;
        uint40 closesAt;
        InferenceStatus status;
        uint96 pool;
    }

    /// @notice The oracle's attribution of one inference. Weights are 1e18 = 100% and sum to at most 1e18.
    struct AttributionReport {
        uint256 inferenceId;
        uint256[] contributionIds;
        uint256[] weights;
        uint256 deadline;
    }

    /// @notice How the model fee splits, in basis points summing to 10,000.
    struct FeeSplit {
        uint16 creatorBps;
        uint16 stakersBps;
        uint16 contributorsBps;
    }

    /// @notice `payer` paid `fee` OPEN-wei for inference `inferenceId` of model `modelId`.
    event InferencePaid(
        uint256 indexed inferenceId,
        uint256 indexed modelId,
        address indexed payer,
        bytes32 requestId,
        uint256 fee,
        uint256 creatorShare,
        uint256 stakersShare,
        uint256 pool,
        uint256 platformFee
    );
    /// @notice Inference `inferenceId` was settled: `amounts[i]` OPEN-wei credited for `contributionIds[i]` (0 under
    /// the attribution threshold), and `toTreasury` OPEN-wei (rounding dust, or the whole pool when no weight was
    /// eligible) to the treasury.
    event InferenceSettled(
        uint256 indexed inferenceId,
        uint256[] contributionIds,
        uint256[] amounts,
        uint256 toTreasury
    );
    /// @notice Nobody settled inference `inferenceId` within the window: its `pool` went to the treasury.
    event InferenceExpired(uint256 indexed inferenceId, uint256 pool);
    /// @notice `account` claimed `amount` OPEN-wei of credits, paid to `recipient`.
    event Claimed(address indexed account, address indexed recipient, uint256 amount);
    /// @notice `amount` OPEN-wei owed to the treasury was sent to it.
    event TreasurySwept(address indexed treasury, uint256 amount);
    event PlatformFeeUpdated(uint256 oldFee, uint256 newFee);
    event FeeSplitUpdated(FeeSplit oldSplit, FeeSplit newSplit);
    event AttributionThresholdUpdated(uint256 oldThreshold, uint256 newThreshold);
    event AttributionWindowUpdated(uint256 oldWindow, uint256 newWindow);
    event OracleUpdated(address indexed oldOracle, address indexed newOracle);
    event TreasuryUpdated(address indexed oldTreasury, address indexed newTreasury);
    event GuardianUpdated(address indexed oldGuardian, address indexed newGuardian);

    /// @notice The address must not be the zero address.
    error InferenceRouterZeroAddress();
    /// @notice Model `modelId` is not Active (its state is `state`, as IModelRegistry.ModelState).
    error InferenceRouterModelNotActive(uint256 modelId, uint8 state);
    /// @notice The fee `fee` exceeds the payer's `maxFee` (rates may have changed since the quote).
    error InferenceRouterFeeAboveMax(uint256 fee, uint256 maxFee);
    /// @notice Request `requestId` was already paid as inference `inferenceId`.
    error InferenceRouterDuplicateRequest(bytes32 requestId, uint256 inferenceId);
    /// @notice The request id must not be zero.
    error InferenceRouterZeroRequestId();
    /// @notice There is no inference `inferenceId`.
    error InferenceRouterUnknownInference(uint256 inferenceId);
    /// @notice Inference `inferenceId` is `status`, not Pending.
    error InferenceRouterNotPending(uint256 inferenceId, InferenceStatus status);
    /// @notice The report for inference `inferenceId` expired at `deadline`.
    error InferenceRouterReportExpired(uint256 inferenceId, uint256 deadline);
    /// @notice The attribution window of inference `inferenceId` closed at `closesAt`: it can only expire.
    error InferenceRouterWindowClosed(uint256 inferenceId, uint256 closesAt);
    /// @notice The attribution window of inference `inferenceId` is open until `closesAt`: it cannot expire yet.
    error InferenceRouterWindowOpen(uint256 inferenceId, uint256 closesAt);
    /// @notice `ids` contribution ids were given with `weights` weights.
    error InferenceRouterLengthMismatch(uint256 ids, uint256 weights);
    /// @notice A report may name at most `max` contributions, not `count`.
    error InferenceRouterTooManyContributions(uint256 count, uint256 max);
    /// @notice The weights of the report for inference `inferenceId` sum to `sum` (or one weight is `sum`), above
    /// 1e18.
    error InferenceRouterWeightsExceedWad(uint256 inferenceId, uint256 sum);
    /// @notice Contribution `contributionId` is not eligible for inference `inferenceId` (not Accepted, penalized,
    /// or from a datanet its model does not use).
    error InferenceRouterIneligibleContribution(uint256 inferenceId, uint256 contributionId);
    /// @notice A batch must hold between 1 and `max` reports, not `count`.
    error InferenceRouterInvalidBatchSize(uint256 count, uint256 max);
    /// @notice Credits cannot be sent to `recipient` (the router itself would lock them).
    error InferenceRouterInvalidRecipient(address recipient);
    /// @notice `account` has no credits to claim.
    error InferenceRouterNothingToClaim(address account);
    /// @notice Nothing is owed to the treasury.
    error InferenceRouterNothingToSweep();
    /// @notice The platform fee `fee` exceeds `max` OPEN-wei.
    error InferenceRouterPlatformFeeTooHigh(uint256 fee, uint256 max);
    /// @notice The split must sum to 10,000 basis points, not `sum`.
    error InferenceRouterInvalidSplit(uint256 sum);
    /// @notice The attribution threshold `threshold` exceeds `max` (1e18 = 100%).
    error InferenceRouterThresholdTooHigh(uint256 threshold, uint256 max);
    /// @notice The attribution window `window` seconds lies outside [`min`, `max`].
    error InferenceRouterWindowOutOfBounds(uint256 window, uint256 min, uint256 max);
    /// @notice `caller` is neither the guardian nor governance.
    error InferenceRouterNotGuardian(address caller);
    /// @notice Governance cannot be renounced: every parameter must keep an owner.
    error InferenceRouterRenounceDisabled();

    /// @notice Pay for one inference of an Active model, pulling the fee from the caller (approve first).
    /// @param inputTokens Prompt tokens.
    /// @param outputTokens Generated tokens.
    /// @param requestId The caller's unique id for this request; paying the same id twice reverts.
    /// @param maxFee Most OPEN-wei the caller accepts to pay.
    /// @return inferenceId Ids start at 1.
    function payInference(
        uint256 modelId,
        uint64 inputTokens,
        uint64 outputTokens,
        bytes32 requestId,
        uint256 maxFee
    ) external returns (uint256 inferenceId);

    /// @notice `payInference` with an EIP-2612 permit for `maxFee` signed by the caller for this contract.
    /// @dev A failed permit (e.g. front-run) is ignored when the allowance already covers the fee.
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
    ) external returns (uint256 inferenceId);

    /// @notice Settle one inference with a report signed by at least `threshold` oracle signers.
    /// @dev Weights under the attribution threshold earn nothing; the pool is shared among the others in proportion
    /// (rounded down, dust to the treasury); if none is eligible the pool goes to the treasury. Any ineligible
    /// contribution reverts the whole report.
    function settle(
        AttributionReport calldata report,
        IAttributionOracle.SignerSignature[] calldata signatures
    ) external;

    /// @notice Settle many inferences under one set of signatures over the EIP-712 AttributionBatch. Reverts as a
    /// whole if any report is invalid.
    function settleBatch(
        AttributionReport[] calldata reports,
        IAttributionOracle.SignerSignature[] calldata signatures
    ) external;

    /// @notice After the attribution window of an unsettled inference, send its pool to the treasury. Anyone.
    function expire(uint256 inferenceId) external;

    /// @notice Send the caller's credits to the caller. Never paused.
    /// @return amount OPEN-wei sent.
    function claim() external returns (uint256 amount);

    /// @notice Send the caller's credits to `recipient`. Never paused.
    /// @return amount OPEN-wei sent.
    function claimTo(address recipient) external returns (uint256 amount);

    /// @notice Send what is owed to the treasury (platform fees, expired pools, dust). Anyone.
    /// @return amount OPEN-wei sent.
    function sweepToTreasury() external returns (uint256 amount);

    /// @notice Set the platform fee, in OPEN-wei per inference (≤ MAX_PLATFORM_FEE). Governance only.
    function setPlatformFee(uint256 newFee) external;

    /// @notice Set the split of the model fee (basis points summing to 10,000). Governance only.
    function setFeeSplit(FeeSplit calldata newSplit) external;

    /// @notice Set the weight under which a contribution earns nothing (1e18 = 100%, ≤ MAX_ATTRIBUTION_THRESHOLD).
    /// Governance only.
    function setAttributionThreshold(uint256 newThreshold) external;

    /// @notice Set how long after payment a report may settle an inference, in seconds. Governance only.
    function setAttributionWindow(uint256 newWindow) external;

    /// @notice Set the oracle whose signers settle reports. Governance only.
    function setOracle(address newOracle) external;

    /// @notice Set the treasury. Governance only.
    function setTreasury(address newTreasury) external;

    /// @notice Set the guardian that may pause payments and settlement. Governance only; zero disables it.
    function setGuardian(address newGuardian) external;

    /// @notice Pause payments and settlement. The guardian or governance.
    function pause() external;

    /// @notice Resume payments and settlement. Governance only.
    function unpause() external;

    /// @notice The fee for an inference now: total, and the model's part (without the platform fee).
    /// @dev Reverts for a model that is not Active.
    function quote(
        uint256 modelId,
        uint64 inputTokens,
        uint64 outputTokens
    ) external view returns (uint256 fee, uint256 modelFee);

    /// @notice Inference `inferenceId`. Reverts for an unknown id.
    function getInference(uint256 inferenceId) external view returns (Inference memory);

    /// @notice The inference paid under `requestId`, or 0.
    function inferenceByRequest(bytes32 requestId) external view returns (uint256);

    /// @notice OPEN-wei `account` can claim.
    function creditOf(address account) external view returns (uint256);

    /// @notice OPEN-wei owed to the treasury and not yet swept.
    function treasuryOwed() external view returns (uint256);

    /// @notice Number of inferences paid (the last id).
    function inferenceCount() external view returns (uint256);

    /// @notice The EIP-712 digest an oracle signer signs for `report`.
    function reportDigest(AttributionReport calldata report) external view returns (bytes32);

    /// @notice The EIP-712 digest oracle signers sign for a batch.
    function batchDigest(AttributionReport[] calldata reports) external view returns (bytes32);

    function platformFee() external view returns (uint256);

    function feeSplit() external view returns (FeeSplit memory);

    function attributionThreshold() external view returns (uint256);

    function attributionWindow() external view returns (uint256);

    function oracle() external view returns (address);

    function treasury() external view returns (address);

    function guardian() external view returns (address);
}
