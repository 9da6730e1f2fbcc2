// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {ProtocolAdmin} from "../admin/ProtocolAdmin.sol";
import {IDatanetRegistry} from "../interfaces/IDatanetRegistry.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {ModelLifecycle} from "../libraries/ModelLifecycle.sol";

/// @title ModelRegistry — model proposals and the lifecycle state machine
/// @notice See IModelRegistry for the rules.
/// @dev OPEN held == Σ bonds of Proposed models: the bond leaves at approval (to the creator) or rejection (to the
/// treasury), exactly once, because both transitions start from Proposed only.
contract ModelRegistry is IModelRegistry, ProtocolAdmin, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Most datanets one model may name.
    uint256 public constant MAX_DATANETS = 16;
    /// @notice Highest proposal bond governance may set, in OPEN-wei (1,000,000 OPEN).
    uint256 public constant MAX_PROPOSAL_BOND = 1_000_000 ether;
    /// @notice Highest rate governance may allow, in OPEN-wei per 1,000 tokens (1,000 OPEN).
    uint256 public constant MAX_RATE = 1_000 ether;

    IERC20 private immutable _open;
    IDatanetRegistry private immutable _datanets;

    uint96 private _proposalBond;
    uint128 private _minRate;
    uint128 private _maxRate;
    uint64 private _modelCount;

    mapping(uint256 modelId => Model) private _models;

    /// @notice Governed parameters at deployment.
    /// @param proposalBond OPEN-wei each proposal posts.
    /// @param minRate Lowest input or output rate, OPEN-wei per 1,000 tokens.
    /// @param maxRate Highest input or output rate, OPEN-wei per 1,000 tokens.
    struct Parameters {
        uint256 proposalBond;
        uint256 minRate;
        uint256 maxRate;
    }

    /// @param open The OPEN token.
    /// @param datanets The DatanetRegistry.
    /// @param admin Governance, which owns every parameter and the lifecycle decisions (the ProtocolTimelock), the
    /// treasury that receives rejected bonds (the timelock) and the guardian that may pause proposals.
    /// @param initialParameters The governed parameters.
    constructor(
        IERC20 open,
        IDatanetRegistry datanets,
        AdminConfig memory admin,
        Parameters memory initialParameters
    ) ProtocolAdmin(admin) {
        if (address(open) == address(0) || address(datanets) == address(0)) revert ModelRegistryZeroAddress();
        _open = open;
        _datanets = datanets;
        _setProposalBond(initialParameters.proposalBond);
        _setRateBounds(initialParameters.minRate, initialParameters.maxRate);
    }

    // ----------------------------------------------------------------------------------------------
    // Lifecycle
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IModelRegistry
    function proposeModel(
        string calldata metadataURI,
        uint256[] calldata datanetIds,
        Rates calldata rates,
        uint256 maxBond
    ) external nonReentrant whenNotPaused returns (uint256 modelId) {
        uint96 bond = _proposalBond;
        if (bond > maxBond) revert ModelRegistryBondAboveMax(bond, maxBond);
        _checkDatanets(datanetIds);
        _checkRates(rates);
        modelId = _propose(metadataURI, datanetIds, rates, bond);
        if (bond != 0) _open.safeTransferFrom(msg.sender, address(this), bond);
    }

    /// @inheritdoc IModelRegistry
    function approveModel(uint256 modelId) external nonReentrant onlyOwner {
        Model storage m = _transition(modelId, ModelState.Proposed, ModelState.Approved);
        _settleBond(modelId, m, m.creator);
    }

    /// @inheritdoc IModelRegistry
    function rejectModel(uint256 modelId) external nonReentrant onlyOwner {
        Model storage m = _transition(modelId, ModelState.Proposed, ModelState.Rejected);
        _settleBond(modelId, m, treasury());
    }

    /// @inheritdoc IModelRegistry
    function registerArtifact(
        uint256 modelId,
        bytes32 artifactHash,
        string calldata artifactURI,
        uint256 baseModelId
    ) external {
        Model storage m = _onlyCreator(modelId);
        // The state is checked first, so a wrong transition always reports the current state.
        if (m.state != ModelState.Approved) revert ModelRegistryUnexpectedState(modelId, m.state);
        if (artifactHash == bytes32(0)) revert ModelRegistryZeroArtifactHash();
        if (baseModelId != 0) {
            ModelState baseState = _models[baseModelId].state;
            if (baseModelId == modelId || !ModelLifecycle.hasWeights(baseState)) {
                revert ModelRegistryInvalidBaseModel(baseModelId, baseState);
            }
        }
        m.state = ModelState.Trained;
        emit ModelStateChanged(modelId, ModelState.Approved, ModelState.Trained);
        m.artifactHash = artifactHash;
        m.artifactURI = artifactURI;
        m.baseModelId = uint64(baseModelId); // an existing id, ≤ _modelCount, a uint64
        emit ArtifactRegistered(modelId, artifactHash, artifactURI, baseModelId);
    }

    /// @inheritdoc IModelRegistry
    function activateModel(uint256 modelId) external {
        _onlyCreator(modelId);
        _transition(modelId, ModelState.Trained, ModelState.Active);
    }

    /// @inheritdoc IModelRegistry
    function suspendModel(uint256 modelId) external onlyOwner {
        _transition(modelId, ModelState.Active, ModelState.Suspended);
    }

    /// @inheritdoc IModelRegistry
    function resumeModel(uint256 modelId) external onlyOwner {
        _transition(modelId, ModelState.Suspended, ModelState.Active);
    }

    /// @inheritdoc IModelRegistry
    function retireModel(uint256 modelId) external {
        Model storage m = _model(modelId);
        if (msg.sender != m.creator && msg.sender != owner()) {
            revert ModelRegistryNotCreatorOrGovernance(modelId, msg.sender);
        }
        ModelState from = m.state;
        if (!ModelLifecycle.hasWeights(from)) revert ModelRegistryUnexpectedState(modelId, from);
        m.state = ModelState.Retired;
        emit ModelStateChanged(modelId, from, ModelState.Retired);
    }

    /// @inheritdoc IModelRegistry
    function setRates(uint256 modelId, Rates calldata rates) external {
        Model storage m = _onlyCreator(modelId);
        if (m.state == ModelState.Rejected || m.state == ModelState.Retired) {
            revert ModelRegistryUnexpectedState(modelId, m.state);
        }
        _checkRates(rates);
        m.rates = rates;
        emit RatesUpdated(modelId, rates.inputRate, rates.outputRate);
    }

    // ----------------------------------------------------------------------------------------------
    // Governance
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IModelRegistry
    function setProposalBond(uint256 newBond) external onlyOwner {
        _setProposalBond(newBond);
    }

    /// @inheritdoc IModelRegistry
    function setRateBounds(uint256 minRate, uint256 maxRate) external onlyOwner {
        _setRateBounds(minRate, maxRate);
    }

    // ----------------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IModelRegistry
    function getModel(uint256 modelId) external view returns (Model memory) {
        return _model(modelId);
    }

    /// @inheritdoc IModelRegistry
    function paymentTerms(
        uint256 modelId
    ) external view returns (ModelState state, address creator, uint256 inputRate, uint256 outputRate) {
        Model storage m = _model(modelId);
        Rates memory rates = m.rates;
        return (m.state, m.creator, rates.inputRate, rates.outputRate);
    }

    /// @inheritdoc IModelRegistry
    function modelDatanets(uint256 modelId) external view returns (uint256[] memory datanetIds) {
        datanetIds = _models[modelId].datanetIds;
        // Every model names at least one datanet: an empty list means there is no such model.
        if (datanetIds.length == 0) revert ModelRegistryUnknownModel(modelId);
    }

    /// @inheritdoc IModelRegistry
    function modelCount() external view returns (uint256) {
        return _modelCount;
    }

    /// @inheritdoc IModelRegistry
    function proposalBond() external view returns (uint256) {
        return _proposalBond;
    }

    /// @inheritdoc IModelRegistry
    function rateBounds() external view returns (uint256 minRate, uint256 maxRate) {
        return (_minRate, _maxRate);
    }

    /// @inheritdoc IModelRegistry
    function openToken() external view returns (address) {
        return address(_open);
    }

    /// @inheritdoc IModelRegistry
    function datanetRegistry() external view returns (address) {
        return address(_datanets);
    }

    // ----------------------------------------------------------------------------------------------
    // Internal
    // ----------------------------------------------------------------------------------------------

    /// @dev Records a checked proposal posting `bond`; the caller pulls the bond.
    function _propose(
        string calldata metadataURI,
        uint256[] calldata datanetIds,
        Rates calldata rates,
        uint96 bond
    ) internal returns (uint256 modelId) {
        modelId = ++_modelCount;
        Model storage m = _models[modelId];
        m.creator = msg.sender;
        m.state = ModelState.Proposed;
        m.proposedAt = uint48(block.timestamp);
        m.bond = bond;
        m.rates = rates;
        m.metadataURI = metadataURI;
        m.datanetIds = datanetIds;
        emit ModelProposed(modelId, msg.sender, datanetIds, rates.inputRate, rates.outputRate, bond, metadataURI);
    }

    /// @dev Moves model `modelId` from `from` to `to`, or reverts naming its current state.
    function _transition(uint256 modelId, ModelState from, ModelState to) internal returns (Model storage m) {
        m = _model(modelId);
        if (m.state != from) revert ModelRegistryUnexpectedState(modelId, m.state);
        m.state = to;
        emit ModelStateChanged(modelId, from, to);
    }

    /// @dev Sends the proposal bond to `to` (the creator on approval, the treasury on rejection). Called once per
    /// model, from a transition out of Proposed.
    function _settleBond(uint256 modelId, Model storage m, address to) internal {
        uint256 bond = m.bond;
        emit ProposalBondSettled(modelId, to, bond);
        if (bond != 0) _open.safeTransfer(to, bond);
    }

    function _model(uint256 modelId) internal view returns (Model storage m) {
        m = _models[modelId];
        if (m.state == ModelState.None) revert ModelRegistryUnknownModel(modelId);
    }

    function _onlyCreator(uint256 modelId) internal view returns (Model storage m) {
        m = _model(modelId);
        if (m.creator != msg.sender) revert ModelRegistryNotCreator(modelId, msg.sender);
    }

    function _checkDatanets(uint256[] calldata datanetIds) internal view {
        uint256 n = datanetIds.length;
        if (n == 0 || n > MAX_DATANETS) revert ModelRegistryInvalidDatanetCount(n, MAX_DATANETS);
        for (uint256 i; i < n; ++i) {
            uint256 id = datanetIds[i];
            if (i != 0 && id <= datanetIds[i - 1]) revert ModelRegistryDatanetsNotSorted(i);
            if (!_datanets.datanetExists(id)) revert ModelRegistryUnknownDatanet(id);
        }
    }

    function _checkRates(Rates calldata rates) internal view {
        uint256 minRate = _minRate;
        uint256 maxRate = _maxRate;
        if (rates.inputRate < minRate || rates.inputRate > maxRate) {
            revert ModelRegistryRateOutOfBounds(rates.inputRate, minRate, maxRate);
        }
        if (rates.outputRate < minRate || rates.outputRate > maxRate) {
            revert ModelRegistryRateOutOfBounds(rates.outputRate, minRate, maxRate);
        }
    }

    function _setProposalBond(uint256 newBond) internal {
        if (newBond > MAX_PROPOSAL_BOND) revert ModelRegistryProposalBondTooHigh(newBond, MAX_PROPOSAL_BOND);
        emit ProposalBondUpdated(_proposalBond, newBond);
        _proposalBond = uint96(newBond);
    }

    function _setRateBounds(uint256 minRate, uint256 maxRate) internal {
        if (minRate > maxRate || maxRate > MAX_RATE) revert ModelRegistryInvalidRateBounds(minRate, maxRate, MAX_RATE);
        emit RateBoundsUpdated(_minRate, _maxRate, minRate, maxRate);
        _minRate = uint128(minRate);
        _maxRate = uint128(maxRate);
    }
}
