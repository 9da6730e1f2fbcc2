// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IAttributionOracle} from "./IAttributionOracle.sol";
import {IDatanetRegistry} from "./IDatanetRegistry.sol";
import {IModelRegistry} from "./IModelRegistry.sol";
import {IProtocolAdmin} from "./IProtocolAdmin.sol";
import {IStakedOpen} from "./IStakedOpen.sol";

/// @title IInferenceRouter — inference payments, the fee split, and settlement of signed attribution
/// @notice Users pay for an Active model's inference in OPEN:
///     fee = (inputTokens × inputRate + outputTokens × outputRate) / 1000 + platformFee      (rounded down)
/// The platform fee is owed to the treasury; the rest (the model fee) splits by basis points between the model's
/// creator (credited), the stakers (owed to StakedOpen, which streams it to stakers over time; anyone may release
/// it with `releaseStakerRewards`) and the contributors, whose share is held as that inference's pending pool. The
/// oracle later signs an AttributionReport (EIP-712, this router is the verifying contract) naming the output's
/// hash, the attribution index it was computed on, and the contributions that influenced the output with their
/// weights; settling it credits the pool to their contributors in proportion to the weights that earn. If no
/// report arrives within the attribution window, anyone may expire the inference and its pool goes to the treasury.
/// Credits are pulled with `claim`/`claimTo`; what the treasury is owed accrues and anyone may `sweepToTreasury`.
/// For every inference: creator + stakers + contributors + treasury == fee paid, to the wei.
///
/// Inference ids belong to their payer: id = uint256(keccak256(abi.encode(payer, requestId))). The same request id
/// from two payers is two inferences; the same payer paying the same request id twice reverts. Nobody can spend
/// another payer's id.
///
/// The attribution window is measured on the active clock (IProtocolAdmin.activeTime), which stands still while
/// the router is paused: after a pause of any length every inference that was pending keeps the whole window it
/// was given. Only inferences whose window had closed before the pause can be expired during it.
///
/// A contribution Penalized after its report was signed forfeits its share (to the treasury, with a
/// ContributionForfeited event); the rest of the report settles. In a batch, a report whose inference is no longer
/// Pending (settled by another batch, or expired) or whose window has closed is skipped with a ReportSkipped event.
/// A report naming an unknown, never-accepted or foreign contribution is malformed and reverts, batch and all.
/// @dev The guardian can pause payments and settlement; claims, expiry, releases and sweeps are never paused.
/// Warning: OPEN must be a plain ERC-20 (no fee on transfer, no rebasing).
interface IInferenceRouter is IProtocolAdmin {
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
    /// @param closesAt Active-clock time (see IProtocolAdmin.activeTime) after which it can no longer be settled,
    /// only expired: the active time at payment plus the attribution window in force at payment. `closingTime`
    /// converts it to Unix time.
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
    /// @param inferenceId The inference attributed.
    /// @param outputHash keccak256 of the output text's UTF-8 bytes: what was attributed.
    /// @param indexCommitment The identifier of the attribution index the weights were computed on (the indexed
    /// contributions with their content hashes, the engine version and its parameters; see the README): anyone
    /// holding the texts can rebuild it and recompute the weights.
    /// @param contributionIds Strictly increasing.
    /// @param weights One per contribution.
    /// @param deadline Unix time (seconds) after which the signatures no longer settle it.
    struct AttributionReport {
        uint256 inferenceId;
        bytes32 outputHash;
        bytes32 indexCommitment;
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

    /// @notice The governed parameters, packed into one storage slot: every payment and settlement reads them once.
    /// @param platformFee OPEN-wei per inference to the treasury (≤ MAX_PLATFORM_FEE).
    /// @param creatorBps Basis points of the model fee for the creator.
    /// @param stakersBps Basis points of the model fee for the stakers.
    /// @param contributorsBps Basis points of the model fee for the contributors; the three sum to 10,000.
    /// @param attributionThreshold Weight under which a contribution earns nothing (1e18 = 100%).
    /// @param attributionWindow Active seconds after payment during which a report may settle an inference.
    struct Parameters {
        uint64 platformFee;
        uint16 creatorBps;
        uint16 stakersBps;
        uint16 contributorsBps;
        uint64 attributionThreshold;
        uint32 attributionWindow;
    }

    /// @notice The contracts the router works with.
    struct Dependencies {
        IERC20 open;
        IModelRegistry modelRegistry;
        IDatanetRegistry datanetRegistry;
        IStakedOpen stakedOpen;
        IAttributionOracle oracle;
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
    /// @notice Inference `inferenceId` was settled by a report on the output hashed `outputHash`, computed on the
    /// index `indexCommitment`. `credits[i]` is the report's i-th contribution with what it was credited, packed as
    /// `contributionId << 96 | amount` (OPEN-wei; 0 under the attribution threshold or forfeited); `toTreasury`
    /// OPEN-wei (forfeited shares, rounding dust, or the whole pool when no weight earned) went to the treasury.
    /// @dev Packed because this event is the largest part of a batched settlement's gas: contribution ids are uint64
    /// and amounts below 2^96, so the packing is lossless. sdk decodes it (`decodeCredits`).
    event InferenceSettled(
        uint256 indexed inferenceId,
        bytes32 outputHash,
        bytes32 indexCommitment,
        uint256 toTreasury,
        uint256[] credits
    );
    /// @notice Contribution `contributionId`, penalized since it was accepted, forfeited its `amount` OPEN-wei share
    /// of inference `inferenceId`: it went to the treasury.
    event ContributionForfeited(uint256 indexed inferenceId, uint256 indexed contributionId, uint256 amount);
    /// @notice A batch skipped the report of inference `inferenceId`: it was `status` (Settled or Expired), or
    /// Pending with its window closed.
    event ReportSkipped(uint256 indexed inferenceId, InferenceStatus status);
    /// @notice Nobody settled inference `inferenceId` within the window: its `pool` went to the treasury.
    event InferenceExpired(uint256 indexed inferenceId, uint256 pool);
    /// @notice `account` claimed `amount` OPEN-wei of credits, paid to `recipient`.
    event Claimed(address indexed account, address indexed recipient, uint256 amount);
    /// @notice `amount` OPEN-wei owed to the treasury was sent to it.
    event TreasurySwept(address indexed treasury, uint256 amount);
    /// @notice `amount` OPEN-wei of stakers' shares went to StakedOpen, which streams it to stakers.
    event StakerRewardsReleased(uint256 amount);
    event PlatformFeeUpdated(uint256 oldFee, uint256 newFee);
    event FeeSplitUpdated(FeeSplit oldSplit, FeeSplit newSplit);
    event AttributionThresholdUpdated(uint256 oldThreshold, uint256 newThreshold);
    event AttributionWindowUpdated(uint256 oldWindow, uint256 newWindow);
    event OracleUpdated(address indexed oldOracle, address indexed newOracle);
    /// @notice The oracle's signer set the router checks reports against is now the `count` signers held by `data`,
    /// `threshold` of whom must sign (see SignerSet); a zero `data` means no set yet: nothing settles.
    event SignerSetUpdated(address indexed data, uint256 count, uint256 threshold);

    /// @notice The address must not be the zero address.
    error InferenceRouterZeroAddress();
    /// @notice Only the oracle sends its signer set; `caller` is not the oracle.
    error InferenceRouterNotOracle(address caller);
    /// @notice The oracle has not sent its signer set yet (it is not bound to this router): nothing can settle.
    error InferenceRouterNoSignerSet();
    /// @notice Model `modelId` is not Active (its state is `state`, as IModelRegistry.ModelState).
    error InferenceRouterModelNotActive(uint256 modelId, uint8 state);
    /// @notice The fee `fee` exceeds the payer's `maxFee` (rates may have changed since the quote).
    error InferenceRouterFeeAboveMax(uint256 fee, uint256 maxFee);
    /// @notice `payer` already paid request `requestId`, as inference `inferenceId`.
    error InferenceRouterDuplicateRequest(address payer, bytes32 requestId, uint256 inferenceId);
    /// @notice There is no inference `inferenceId`.
    error InferenceRouterUnknownInference(uint256 inferenceId);
    /// @notice Inference `inferenceId` is `status`, not Pending.
    error InferenceRouterNotPending(uint256 inferenceId, InferenceStatus status);
    /// @notice The report for inference `inferenceId` expired at `deadline`.
    error InferenceRouterReportExpired(uint256 inferenceId, uint256 deadline);
    /// @notice The attribution window of inference `inferenceId` closed at active time `closesAt`: it can only expire.
    error InferenceRouterWindowClosed(uint256 inferenceId, uint256 closesAt);
    /// @notice The attribution window of inference `inferenceId` is open until active time `closesAt`.
    error InferenceRouterWindowOpen(uint256 inferenceId, uint256 closesAt);
    /// @notice The report for inference `inferenceId` is not a well-formed ABI encoding (its arrays lie outside the
    /// calldata).
    error InferenceRouterMalformedReport(uint256 inferenceId);
    /// @notice `ids` contribution ids were given with `weights` weights.
    error InferenceRouterLengthMismatch(uint256 ids, uint256 weights);
    /// @notice A report may name at most `max` contributions, not `count`.
    error InferenceRouterTooManyContributions(uint256 count, uint256 max);
    /// @notice The weights of the report for inference `inferenceId` sum to `sum` (or one weight is `sum`), above
    /// 1e18.
    error InferenceRouterWeightsExceedWad(uint256 inferenceId, uint256 sum);
    /// @notice Contribution `contributionId` cannot be named for inference `inferenceId`: unknown, never accepted,
    /// from a datanet its model does not use, or not in strictly increasing order.
    error InferenceRouterInvalidContribution(uint256 inferenceId, uint256 contributionId);
    /// @notice A batch must hold between 1 and `max` reports, not `count`.
    error InferenceRouterInvalidBatchSize(uint256 count, uint256 max);
    /// @notice A batch may do at most `max` units of work, not `count`: one per contribution named, and a few per
    /// change of model between consecutive reports (see InferenceRouter.MAX_BATCH_CONTRIBUTIONS).
    error InferenceRouterBatchTooLarge(uint256 count, uint256 max);
    /// @notice `account` has no credits to claim.
    error InferenceRouterNothingToClaim(address account);
    /// @notice Nothing is owed to the treasury.
    error InferenceRouterNothingToSweep();
    /// @notice No stakers' share is waiting to be released.
    error InferenceRouterNothingToRelease();
    /// @notice The platform fee `fee` exceeds `max` OPEN-wei.
    error InferenceRouterPlatformFeeTooHigh(uint256 fee, uint256 max);
    /// @notice The split must sum to 10,000 basis points, not `sum`.
    error InferenceRouterInvalidSplit(uint256 sum);
    /// @notice The attribution threshold `threshold` exceeds `max` (1e18 = 100%).
    error InferenceRouterThresholdTooHigh(uint256 threshold, uint256 max);
    /// @notice The attribution window `window` seconds lies outside [`min`, `max`].
    error InferenceRouterWindowOutOfBounds(uint256 window, uint256 min, uint256 max);

    /// @notice Pay for one inference of an Active model, pulling the fee from the caller (approve first).
    /// @param inputTokens Prompt tokens.
    /// @param outputTokens Generated tokens.
    /// @param requestId The caller's id for this request; the inference id is derived from it and the caller.
    /// @param maxFee Most OPEN-wei the caller accepts to pay.
    /// @return inferenceId uint256(keccak256(abi.encode(msg.sender, requestId))).
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
    /// @dev Weights under the attribution threshold earn nothing; the pool is shared among the weights that earn in
    /// proportion (rounded down, dust to the treasury); a forfeited contribution's share goes to the treasury; if no
    /// weight earns the pool goes to the treasury. Reverts unless the inference is Pending within its window.
    function settle(
        AttributionReport calldata report,
        IAttributionOracle.SignerSignature[] calldata signatures
    ) external;

    /// @notice Settle many inferences under one set of signatures over the EIP-712 AttributionBatch: 1 to
    /// MAX_BATCH_REPORTS reports doing at most MAX_BATCH_CONTRIBUTIONS units of work (one per contribution named,
    /// plus 1 + datanets / 8 per change of model between consecutive reports), so the largest batch accepted
    /// executes under the per-transaction gas cap. Reports of inferences that are no longer Pending, or whose window
    /// has closed, are skipped; a malformed report reverts the batch.
    /// @dev Group a batch's reports by model: each change of model costs work (and gas); a batch of one model may
    /// name MAX_BATCH_CONTRIBUTIONS contributions.
    function settleBatch(
        AttributionReport[] calldata reports,
        IAttributionOracle.SignerSignature[] calldata signatures
    ) external;

    /// @notice After the attribution window of an unsettled inference, send its pool to the treasury. Anyone, at any
    /// time, paused or not: the window is measured on the active clock, so a pause never makes it close.
    function expire(uint256 inferenceId) external;

    /// @notice Send the caller's credits to the caller. Never paused.
    /// @return amount OPEN-wei sent.
    function claim() external returns (uint256 amount);

    /// @notice Send the caller's credits to `recipient`. Never paused.
    /// @dev Refuses a recipient that could not spend it: zero (ProtocolAdminZeroAddress), the OPEN token, or a
    /// protocol contract that cannot move OPEN out — this router, StakedOpen, the registries and the current oracle
    /// (ProtocolAdminInvalidRecipient). The timelock (the treasury) can, and is accepted.
    /// @return amount OPEN-wei sent.
    function claimTo(address recipient) external returns (uint256 amount);

    /// @notice Send what is owed to the treasury (platform fees, expired pools, forfeited shares, dust). Anyone.
    /// @return amount OPEN-wei sent.
    function sweepToTreasury() external returns (uint256 amount);

    /// @notice Send the stakers' shares paid so far to StakedOpen, which streams them to stakers over its next reward
    /// period. Anyone; never paused.
    /// @return amount OPEN-wei sent.
    function releaseStakerRewards() external returns (uint256 amount);

    /// @notice Set the platform fee, in OPEN-wei per inference (≤ MAX_PLATFORM_FEE). Governance only.
    function setPlatformFee(uint256 newFee) external;

    /// @notice Set the split of the model fee (basis points summing to 10,000). Governance only.
    function setFeeSplit(FeeSplit calldata newSplit) external;

    /// @notice Set the weight under which a contribution earns nothing (1e18 = 100%, ≤ MAX_ATTRIBUTION_THRESHOLD).
    /// Governance only.
    function setAttributionThreshold(uint256 newThreshold) external;

    /// @notice Set how long after payment a report may settle an inference, in active seconds. Governance only.
    /// @dev Applies to later payments: each inference keeps the window in force when it was paid.
    function setAttributionWindow(uint256 newWindow) external;

    /// @notice Set the oracle whose signers settle reports. Governance only. The router takes the oracle's signer set
    /// at once when the oracle is bound to it, else when the oracle is bound (settlement waits until then).
    function setOracle(address newOracle) external;

    /// @notice The oracle's signer set, sent by the oracle each time it changes (see IAttributionOracle.bindRouter).
    function setSignerSet(address data, uint256 count, uint256 threshold) external;

    /// @notice The fee for an inference now: total, and the model's part (without the platform fee).
    /// @dev Reverts for a model that is not Active.
    function quote(
        uint256 modelId,
        uint64 inputTokens,
        uint64 outputTokens
    ) external view returns (uint256 fee, uint256 modelFee);

    /// @notice Inference `inferenceId`. Reverts for an unknown id.
    function getInference(uint256 inferenceId) external view returns (Inference memory);

    /// @notice The id of the inference `payer` pays (or paid) under `requestId`.
    function inferenceIdOf(address payer, bytes32 requestId) external pure returns (uint256);

    /// @notice The Unix time at which the window of inference `inferenceId` closes if the router is not paused (again)
    /// before: its active-clock `closesAt` plus the seconds paused so far. Reverts for an unknown id.
    function closingTime(uint256 inferenceId) external view returns (uint256);

    /// @notice OPEN-wei `account` can claim.
    function creditOf(address account) external view returns (uint256);

    /// @notice OPEN-wei owed to the treasury and not yet swept.
    function treasuryOwed() external view returns (uint256);

    /// @notice OPEN-wei of stakers' shares not yet released to StakedOpen.
    function stakersOwed() external view returns (uint256);

    /// @notice The EIP-712 digest an oracle signer signs for `report`.
    function reportDigest(AttributionReport calldata report) external view returns (bytes32);

    /// @notice The EIP-712 digest oracle signers sign for a batch.
    function batchDigest(AttributionReport[] calldata reports) external view returns (bytes32);

    /// @notice The governed parameters.
    function parameters() external view returns (Parameters memory);

    function platformFee() external view returns (uint256);

    function feeSplit() external view returns (FeeSplit memory);

    function attributionThreshold() external view returns (uint256);

    function attributionWindow() external view returns (uint256);

    function oracle() external view returns (address);

    /// @notice The signer set reports are checked against: its data contract, the number of signers and the threshold.
    function signerSet() external view returns (address data, uint256 count, uint256 threshold);
}
