// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IProtocolAdmin} from "./IProtocolAdmin.sol";

/// @title IModelRegistry — model proposals and their lifecycle
/// @notice A developer proposes a model trained on named datanets, posting an anti-spam bond in OPEN. Governance
/// (the timelock, after a ProtocolGovernor vote) approves it (bond refunded) or rejects it (bond to the
/// treasury). The creator registers the trained artifact (full weights, or a LoRA adapter on a named base model)
/// and activates it; only Active models take inference. Governance can suspend and resume; the creator or
/// governance can retire.
///
///     Proposed ──approve──▶ Approved ──registerArtifact──▶ Trained ──activate──▶ Active ⇄ Suspended
///        └──reject──▶ Rejected                     Trained / Active / Suspended ──retire──▶ Retired
///
/// Every other transition reverts with ModelRegistryUnexpectedState naming the current state.
/// The proposal bond is set by governance, so a proposer caps it with `maxBond`. The guardian may pause new
/// proposals (they pull a bond); nothing else is pausable.
/// @dev Warning: OPEN must be a plain ERC-20 (no fee on transfer, no rebasing).
interface IModelRegistry is IProtocolAdmin {
    /// @notice Lifecycle states; None means no such model.
    enum ModelState {
        None,
        Proposed,
        Approved,
        Rejected,
        Trained,
        Active,
        Suspended,
        Retired
    }

    /// @notice Inference prices in OPEN-wei per 1,000 tokens.
    struct Rates {
        uint128 inputRate;
        uint128 outputRate;
    }

    /// @notice One model.
    /// @param creator Proposer; registers the artifact, activates, sets rates, receives the creator's fee share.
    /// @param state Lifecycle state.
    /// @param proposedAt Unix time (seconds).
    /// @param bond OPEN-wei posted with the proposal (refunded on approval, slashed on rejection).
    /// @param baseModelId For a LoRA adapter, the model it adapts; 0 for full weights.
    /// @param rates Inference prices.
    /// @param artifactHash Content hash of the weights or adapter; zero until registered.
    /// @param metadataURI Off-chain description (architecture, training recipe, licence).
    /// @param artifactURI Where the weights or adapter are served.
    /// @param datanetIds The datanets the model is trained on (strictly increasing ids).
    struct Model {
        address creator;
        ModelState state;
        uint48 proposedAt;
        uint96 bond;
        uint64 baseModelId;
        Rates rates;
        bytes32 artifactHash;
        string metadataURI;
        string artifactURI;
        uint256[] datanetIds;
    }

    /// @notice `creator` proposed model `modelId` with a bond of `bond` OPEN-wei.
    event ModelProposed(
        uint256 indexed modelId,
        address indexed creator,
        uint256[] datanetIds,
        uint256 inputRate,
        uint256 outputRate,
        uint256 bond,
        string metadataURI
    );
    /// @notice The model moved from `from` to `to`.
    event ModelStateChanged(uint256 indexed modelId, ModelState from, ModelState to);
    /// @notice The proposal bond of `amount` OPEN-wei went back to the creator (approved) or to the treasury.
    event ProposalBondSettled(uint256 indexed modelId, address indexed to, uint256 amount);
    /// @notice The creator registered the trained artifact.
    event ArtifactRegistered(uint256 indexed modelId, bytes32 artifactHash, string artifactURI, uint256 baseModelId);
    /// @notice The creator changed the rates.
    event RatesUpdated(uint256 indexed modelId, uint256 inputRate, uint256 outputRate);
    /// @notice Governance changed the proposal bond (OPEN-wei).
    event ProposalBondUpdated(uint256 oldBond, uint256 newBond);
    /// @notice Governance changed the bounds of rates (OPEN-wei per 1,000 tokens).
    event RateBoundsUpdated(uint256 oldMin, uint256 oldMax, uint256 newMin, uint256 newMax);

    /// @notice The address must not be the zero address.
    error ModelRegistryZeroAddress();
    /// @notice There is no model `modelId`.
    error ModelRegistryUnknownModel(uint256 modelId);
    /// @notice Model `modelId` is `current`, which does not allow this transition.
    error ModelRegistryUnexpectedState(uint256 modelId, ModelState current);
    /// @notice `caller` is not the creator of model `modelId`.
    error ModelRegistryNotCreator(uint256 modelId, address caller);
    /// @notice `caller` is neither the creator of model `modelId` nor governance.
    error ModelRegistryNotCreatorOrGovernance(uint256 modelId, address caller);
    /// @notice A model must name between 1 and `max` datanets, not `count`.
    error ModelRegistryInvalidDatanetCount(uint256 count, uint256 max);
    /// @notice Datanet `datanetId` does not exist.
    error ModelRegistryUnknownDatanet(uint256 datanetId);
    /// @notice Datanet ids must be strictly increasing (which also rules out duplicates); index `index` is not.
    error ModelRegistryDatanetsNotSorted(uint256 index);
    /// @notice A rate of `rate` OPEN-wei per 1,000 tokens lies outside [`min`, `max`].
    error ModelRegistryRateOutOfBounds(uint256 rate, uint256 min, uint256 max);
    /// @notice Rate bounds must satisfy `min` ≤ `max` ≤ `cap`.
    error ModelRegistryInvalidRateBounds(uint256 min, uint256 max, uint256 cap);
    /// @notice The proposal bond `bond` exceeds `max` OPEN-wei.
    error ModelRegistryProposalBondTooHigh(uint256 bond, uint256 max);
    /// @notice The proposal bond of `bond` OPEN-wei exceeds the proposer's `maxBond`.
    error ModelRegistryBondAboveMax(uint256 bond, uint256 maxBond);
    /// @notice The artifact hash must not be zero.
    error ModelRegistryZeroArtifactHash();
    /// @notice Base model `baseModelId` is `state`; a LoRA adapter needs a base with weights (Trained, Active or
    /// Suspended) other than the model itself.
    error ModelRegistryInvalidBaseModel(uint256 baseModelId, ModelState state);

    /// @notice Propose a model, pulling the proposal bond in OPEN from the caller (approve first).
    /// @param datanetIds Datanets the model is trained on: existing, strictly increasing, 1 to MAX_DATANETS.
    /// @param rates Inference prices in OPEN-wei per 1,000 tokens, within the governance bounds.
    /// @param maxBond Most OPEN-wei the caller accepts to post: governance may change the bond at any time.
    /// @return modelId Ids start at 1.
    function proposeModel(
        string calldata metadataURI,
        uint256[] calldata datanetIds,
        Rates calldata rates,
        uint256 maxBond
    ) external returns (uint256 modelId);

    /// @notice Proposed → Approved; the bond goes back to the creator. Governance only.
    function approveModel(uint256 modelId) external;

    /// @notice Proposed → Rejected; the bond goes to the treasury. Governance only.
    function rejectModel(uint256 modelId) external;

    /// @notice Approved → Trained: register the artifact. Creator only.
    /// @param artifactHash Content hash of the weights or adapter.
    /// @param artifactURI Where they are served.
    /// @param baseModelId 0 for full weights; for a LoRA adapter, the model it adapts (Trained, Active or Suspended).
    function registerArtifact(
        uint256 modelId,
        bytes32 artifactHash,
        string calldata artifactURI,
        uint256 baseModelId
    ) external;

    /// @notice Trained → Active: the model takes inference. Creator only.
    function activateModel(uint256 modelId) external;

    /// @notice Active → Suspended. Governance only.
    function suspendModel(uint256 modelId) external;

    /// @notice Suspended → Active. Governance only.
    function resumeModel(uint256 modelId) external;

    /// @notice Trained, Active or Suspended → Retired, for good. The creator or governance.
    function retireModel(uint256 modelId) external;

    /// @notice Change the rates. Creator only; not once Rejected or Retired; within the governance bounds.
    /// @dev Rates are the creator's price, not part of what governance approves: they may change at any time
    /// before retirement, and payers protect themselves with the router's maxFee.
    function setRates(uint256 modelId, Rates calldata rates) external;

    /// @notice Set the bond new proposals post, in OPEN-wei (≤ MAX_PROPOSAL_BOND). Governance only.
    function setProposalBond(uint256 newBond) external;

    /// @notice Set the bounds of input and output rates (min ≤ max ≤ MAX_RATE). Governance only.
    /// @dev Existing models keep their rates until their creator changes them.
    function setRateBounds(uint256 minRate, uint256 maxRate) external;

    /// @notice Model `modelId`. Reverts for an unknown id.
    function getModel(uint256 modelId) external view returns (Model memory);

    /// @notice What the inference router needs to price a payment, in one call. Reverts for an unknown id.
    /// @return state The model's state (only Active takes inference).
    /// @return creator Receives the creator's share.
    /// @return inputRate OPEN-wei per 1,000 input tokens.
    /// @return outputRate OPEN-wei per 1,000 output tokens.
    function paymentTerms(
        uint256 modelId
    ) external view returns (ModelState state, address creator, uint256 inputRate, uint256 outputRate);

    /// @notice The datanets model `modelId` is trained on (strictly increasing ids): the contributions a report of
    /// its inferences may name. Reverts for an unknown id.
    function modelDatanets(uint256 modelId) external view returns (uint256[] memory datanetIds);

    /// @notice Number of models proposed (the last id).
    function modelCount() external view returns (uint256);

    /// @notice The bond new proposals post, in OPEN-wei.
    function proposalBond() external view returns (uint256);

    /// @notice Bounds of input and output rates, in OPEN-wei per 1,000 tokens.
    function rateBounds() external view returns (uint256 minRate, uint256 maxRate);

    /// @notice The OPEN token.
    function openToken() external view returns (address);

    /// @notice The datanet registry models are checked against.
    function datanetRegistry() external view returns (address);
}
