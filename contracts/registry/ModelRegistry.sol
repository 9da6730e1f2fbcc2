// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IDatanetRegistry} from "../interfaces/IDatanetRegistry.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";

/// @title ModelRegistry — model proposals and the lifecycle state machine
/// @notice See IModelRegistry for the rules.
/// @dev OPEN held == Σ bonds of Proposed models: the bond leaves at approval (to the creator) or rejection (to the
/// treasury), exactly once, because both transitions start from Proposed only.
contract ModelRegistry is IModelRegistry, Ownable2Step, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Most datanets one model may name.
    uint256 public constant MAX_DATANETS = 16;
    /// @notice Highest proposal bond governance may set, in OPEN-wei (1,000,000 OPEN).
    uint256 public constant MAX_PROPOSAL_BOND = 1_000_000 ether;
    /// @notice Highest rate governance may allow, in OPEN-wei per 1,000 tokens (1,000 OPEN).
    uint256 public constant MAX_RATE = 1_000 ether;

    IERC20 private immutable _open;
    IDatanetRegistry private immutable _datanets;

    address private _treasury;
    uint96 private _proposalBond;
    uint128 private _minRate;
    uint128 private _maxRate;
    uint64 private _modelCount;

    mapping(uint256 modelId => Model) private _models;

    /// @param open The OPEN token.
    /// @param datanets The DatanetRegistry.
    /// @param governance Owner of every parameter and the lifecycle decisions: the ProtocolTimelock.
    /// @param initialTreasury Receives rejected bonds (the ProtocolTimelock).
    /// @param initialProposalBond OPEN-wei each proposal posts.
    /// @param minRate Lowest input or output rate, OPEN-wei per 1,000 tokens.
    /// @param maxRate Highest input or output rate, OPEN-wei per 1,000 tokens.
    constructor(
        IERC20 open,
        IDatanetRegistry datanets,
        address governance,
        address initialTreasury,
        uint256 initialProposalBond,
        uint256 minRate,
        uint256 maxRate
    ) Ownable(governance) {
        if (address(open) == address(0) || address(datanets) == address(0)) revert ModelRegistryZeroAddress();
        _open = open;
        _datanets = datanets;
        _setTreasury(initialTreasury);
        _setProposalBond(initialProposalBond);
        _setRateBounds(minRate, maxRate);
    }

    // ----------------------------------------------------------------------------------------------
    // Lifecycle
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IModelRegistry
    function proposeModel(
        string calldata metadataURI,
        uint256[] calldata datanetIds,
        Rates calldata rates
    ) external nonReentrant returns (uint256 modelId) {
        _checkDatanets(datanetIds);
        _checkRates(rates);

        uint96 bond = _proposalBond;
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
        _settleBond(modelId, m, _treasury);
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
            bool hasWeights =
                baseState == ModelState.Trained || baseState == ModelState.Active || baseState == ModelState.Suspended;
            if (baseModelId == modelId || !hasWeights) revert ModelRegistryInvalidBaseModel(baseModelId, baseState);
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
        if (from != ModelState.Trained && from != ModelState.Active && from != ModelState.Suspended) {
            revert ModelRegistryUnexpectedState(modelId, from);
        }
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

    /// @inheritdoc IModelRegistry
    function setTreasury(address newTreasury) external onlyOwner {
        _setTreasury(newTreasury);
    }

    /// @notice Disabled: the protocol's parameters must always have an owner.
    function renounceOwnership() public view override onlyOwner {
        revert ModelRegistryRenounceDisabled();
    }

    // ----------------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IModelRegistry
    function getModel(uint256 modelId) external view returns (Model memory) {
        return _model(modelId);
    }

    /// @inheritdoc IModelRegistry
    function inferenceTerms(
        uint256 modelId
    )
        external
        view
        returns (ModelState state, address creator, uint256 inputRate, uint256 outputRate, uint256[] memory datanetIds)
    {
        Model storage m = _model(modelId);
        return (m.state, m.creator, m.rates.inputRate, m.rates.outputRate, m.datanetIds);
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

    /// @inheritdoc IModelRegistry
    function treasury() external view returns (address) {
        return _treasury;
    }

    // ----------------------------------------------------------------------------------------------
    // Internal
    // ----------------------------------------------------------------------------------------------

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

    function _setTreasury(address newTreasury) internal {
        if (newTreasury == address(0)) revert ModelRegistryZeroAddress();
        emit TreasuryUpdated(_treasury, newTreasury);
        _treasury = newTreasury;
    }
}
