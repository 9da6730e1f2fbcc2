// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

import {IDatanetRegistry} from "../../../contracts/interfaces/IDatanetRegistry.sol";
import {IModelRegistry} from "../../../contracts/interfaces/IModelRegistry.sol";
import {IGovernanceOwned, IProtocolAdmin} from "../../../contracts/interfaces/IProtocolAdmin.sol";
import {ModelLifecycle} from "../../../contracts/libraries/ModelLifecycle.sol";
import {ModelRegistry} from "../../../contracts/registry/ModelRegistry.sol";

import {Deployers} from "../utils/Deployers.sol";

/// @notice Unit and fuzz tests of ModelRegistry: proposals (datanet lists, rates, bond), approval and rejection
/// with their bond flows, artifacts and LoRA bases, and the lifecycle state machine, checked action by action
/// against the transition table of IModelRegistry.
/// @dev Deploys through Deployers (proposal bond PROPOSAL_BOND), then narrows the rate bounds to
/// [MIN_RATE, MAX_RATE_BOUND] so that both bounds are exercised. Proposers hold a standing unlimited approval, and
/// `_propose` caps nothing (maxBond = ANY_BOND): the maxBond tests pass their own cap.
contract ModelRegistryTest is Deployers {
    uint256 internal constant MIN_RATE = 1 gwei;
    uint256 internal constant MAX_RATE_BOUND = 100 ether;
    /// A maxBond that accepts whatever governance asks.
    uint256 internal constant ANY_BOND = type(uint256).max;
    uint256 internal constant RATE_CAP = 1_000 ether;
    uint256 internal constant BOND_CAP = 1_000_000 ether;
    uint256 internal constant MAX_DATANETS = 16;
    uint256 internal constant DATANETS = 20;
    uint256 internal constant USER_FUNDS = 10_000_000 ether;
    uint128 internal constant IN_RATE = 0.06 ether;
    uint128 internal constant OUT_RATE = 0.2 ether;
    bytes32 internal constant ARTIFACT = keccak256("weights");

    /// Lifecycle actions, in the order of the transition table.
    uint256 internal constant APPROVE = 0;
    uint256 internal constant REJECT = 1;
    uint256 internal constant REGISTER = 2;
    uint256 internal constant ACTIVATE = 3;
    uint256 internal constant SUSPEND = 4;
    uint256 internal constant RESUME = 5;
    uint256 internal constant RETIRE_BY_CREATOR = 6;
    uint256 internal constant RETIRE_BY_GOVERNANCE = 7;
    uint256 internal constant SET_RATES = 8;
    uint256 internal constant ACTIONS = 9;

    address internal datanetOwner = makeAddr("datanetOwner");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal stranger = makeAddr("stranger");

    function setUp() public {
        _deployToken();
        _deployRegistries();
        vm.prank(governance);
        models.setRateBounds(MIN_RATE, MAX_RATE_BOUND);
        for (uint256 i; i < DATANETS; ++i) {
            vm.prank(datanetOwner);
            datanets.createDatanet("ipfs://datanet", 0);
        }
        address[2] memory funded = [alice, bob];
        for (uint256 i; i < funded.length; ++i) _fund(funded[i], USER_FUNDS, address(models));
    }

    // ----------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------

    function _rates(uint256 inputRate, uint256 outputRate) internal pure returns (IModelRegistry.Rates memory) {
        return IModelRegistry.Rates({inputRate: uint128(inputRate), outputRate: uint128(outputRate)});
    }

    function _list(uint256 a, uint256 b) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](2);
        ids[0] = a;
        ids[1] = b;
    }

    function _propose(address by) internal returns (uint256 modelId) {
        vm.prank(by);
        modelId = models.proposeModel("ipfs://model", _list(1, 2), _rates(IN_RATE, OUT_RATE), ANY_BOND);
    }

    function _state(uint256 modelId) internal view returns (IModelRegistry.ModelState) {
        return models.getModel(modelId).state;
    }

    function _stateError(uint256 modelId, IModelRegistry.ModelState current) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IModelRegistry.ModelRegistryUnexpectedState.selector, modelId, current);
    }

    function _approve(uint256 modelId) internal {
        vm.prank(governance);
        models.approveModel(modelId);
    }

    function _register(uint256 modelId, uint256 baseModelId) internal {
        vm.prank(models.getModel(modelId).creator);
        models.registerArtifact(modelId, ARTIFACT, "ipfs://weights", baseModelId);
    }

    /// @dev A new model by `by`, moved to `target` along the shortest path of the lifecycle.
    function _modelIn(address by, IModelRegistry.ModelState target) internal returns (uint256 modelId) {
        modelId = _propose(by);
        if (target == IModelRegistry.ModelState.Proposed) return modelId;
        if (target == IModelRegistry.ModelState.Rejected) {
            vm.prank(governance);
            models.rejectModel(modelId);
            return modelId;
        }
        _approve(modelId);
        if (target == IModelRegistry.ModelState.Approved) return modelId;
        _register(modelId, 0);
        if (target == IModelRegistry.ModelState.Trained) return modelId;
        if (target == IModelRegistry.ModelState.Retired) {
            vm.prank(by);
            models.retireModel(modelId);
            return modelId;
        }
        vm.prank(by);
        models.activateModel(modelId);
        if (target == IModelRegistry.ModelState.Active) return modelId;
        vm.prank(governance);
        models.suspendModel(modelId);
    }

    /// @dev The transition table of IModelRegistry: whether `action` is allowed from `from`, and the state after.
    function _next(
        uint256 action,
        IModelRegistry.ModelState from
    ) internal pure returns (bool allowed, IModelRegistry.ModelState to) {
        if (action == APPROVE) return (from == IModelRegistry.ModelState.Proposed, IModelRegistry.ModelState.Approved);
        if (action == REJECT) return (from == IModelRegistry.ModelState.Proposed, IModelRegistry.ModelState.Rejected);
        if (action == REGISTER) return (from == IModelRegistry.ModelState.Approved, IModelRegistry.ModelState.Trained);
        if (action == ACTIVATE) return (from == IModelRegistry.ModelState.Trained, IModelRegistry.ModelState.Active);
        if (action == SUSPEND) return (from == IModelRegistry.ModelState.Active, IModelRegistry.ModelState.Suspended);
        if (action == RESUME) return (from == IModelRegistry.ModelState.Suspended, IModelRegistry.ModelState.Active);
        if (action == RETIRE_BY_CREATOR || action == RETIRE_BY_GOVERNANCE) {
            allowed =
                from == IModelRegistry.ModelState.Trained ||
                from == IModelRegistry.ModelState.Active ||
                from == IModelRegistry.ModelState.Suspended;
            return (allowed, IModelRegistry.ModelState.Retired);
        }
        // SET_RATES: not a transition; refused once Rejected or Retired.
        allowed = from != IModelRegistry.ModelState.Rejected && from != IModelRegistry.ModelState.Retired;
        return (allowed, from);
    }

    /// @dev Calls `action` on `modelId` as the account allowed to. No external call may precede the action's
    /// call here: the caller may have armed vm.expectRevert.
    function _do(uint256 action, uint256 modelId, address creator, uint256 baseModelId) internal {
        if (action == APPROVE) {
            vm.prank(governance);
            models.approveModel(modelId);
        } else if (action == REJECT) {
            vm.prank(governance);
            models.rejectModel(modelId);
        } else if (action == REGISTER) {
            vm.prank(creator);
            models.registerArtifact(modelId, ARTIFACT, "ipfs://weights", baseModelId);
        } else if (action == ACTIVATE) {
            vm.prank(creator);
            models.activateModel(modelId);
        } else if (action == SUSPEND) {
            vm.prank(governance);
            models.suspendModel(modelId);
        } else if (action == RESUME) {
            vm.prank(governance);
            models.resumeModel(modelId);
        } else if (action == RETIRE_BY_CREATOR) {
            vm.prank(creator);
            models.retireModel(modelId);
        } else if (action == RETIRE_BY_GOVERNANCE) {
            vm.prank(governance);
            models.retireModel(modelId);
        } else {
            vm.prank(creator);
            models.setRates(modelId, _rates(MIN_RATE, MAX_RATE_BOUND));
        }
    }

    /// @dev Applies `action` and checks it succeeded exactly when the table allows it (moving the bond on approval
    /// and rejection) or reverted with ModelRegistryUnexpectedState(modelId, current).
    function _checkAction(uint256 action, uint256 modelId, address creator, uint256 baseModelId) internal {
        IModelRegistry.ModelState from = _state(modelId);
        (bool allowed, IModelRegistry.ModelState to) = _next(action, from);
        uint256 creatorBefore = open.balanceOf(creator);
        uint256 treasuryBefore = open.balanceOf(treasury);
        uint256 heldBefore = open.balanceOf(address(models));

        if (allowed) {
            if (to != from) {
                vm.expectEmit(address(models));
                emit IModelRegistry.ModelStateChanged(modelId, from, to);
            }
        } else {
            vm.expectRevert(_stateError(modelId, from));
        }
        _do(action, modelId, creator, baseModelId);

        assertEq(uint256(_state(modelId)), uint256(allowed ? to : from), "state after action");
        uint256 bond = models.getModel(modelId).bond;
        bool approved = allowed && action == APPROVE;
        bool rejected = allowed && action == REJECT;
        assertEq(open.balanceOf(creator), creatorBefore + (approved ? bond : 0), "creator balance");
        assertEq(open.balanceOf(treasury), treasuryBefore + (rejected ? bond : 0), "treasury balance");
        assertEq(open.balanceOf(address(models)), heldBefore - (approved || rejected ? bond : 0), "held");
    }

    // ----------------------------------------------------------------------------------------------
    // Constructor and parameters
    // ----------------------------------------------------------------------------------------------

    function test_constructor_setsParameters() public view {
        assertEq(models.openToken(), address(open));
        assertEq(models.datanetRegistry(), address(datanets));
        assertEq(models.owner(), governance);
        assertEq(models.treasury(), treasury);
        assertEq(models.proposalBond(), PROPOSAL_BOND);
        (uint256 minRate, uint256 maxRate) = models.rateBounds();
        assertEq(minRate, MIN_RATE);
        assertEq(maxRate, MAX_RATE_BOUND);
        assertEq(models.modelCount(), 0);
        assertEq(models.MAX_DATANETS(), MAX_DATANETS);
        assertEq(models.MAX_PROPOSAL_BOND(), BOND_CAP);
        assertEq(models.MAX_RATE(), RATE_CAP);
    }

    function _parameters(uint256 bond) internal pure returns (ModelRegistry.Parameters memory) {
        return ModelRegistry.Parameters({proposalBond: bond, minRate: 0, maxRate: 0});
    }

    function _adminWith(
        address governance_,
        address treasury_
    ) internal view returns (IProtocolAdmin.AdminConfig memory) {
        return IProtocolAdmin.AdminConfig({governance: governance_, treasury: treasury_, guardian: guardian});
    }

    function test_constructor_revertsOnZeroAddresses() public {
        IDatanetRegistry d = IDatanetRegistry(address(datanets));
        vm.expectRevert(IModelRegistry.ModelRegistryZeroAddress.selector);
        new ModelRegistry(IERC20(address(0)), d, _admin(), _parameters(0));
        vm.expectRevert(IModelRegistry.ModelRegistryZeroAddress.selector);
        new ModelRegistry(IERC20(address(open)), IDatanetRegistry(address(0)), _admin(), _parameters(0));
        vm.expectRevert(IProtocolAdmin.ProtocolAdminZeroAddress.selector);
        new ModelRegistry(IERC20(address(open)), d, _adminWith(governance, address(0)), _parameters(0));
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new ModelRegistry(IERC20(address(open)), d, _adminWith(address(0), treasury), _parameters(0));
    }

    function test_constructor_revertsOnBondAboveCap() public {
        vm.expectRevert(
            abi.encodeWithSelector(IModelRegistry.ModelRegistryProposalBondTooHigh.selector, BOND_CAP + 1, BOND_CAP)
        );
        new ModelRegistry(
            IERC20(address(open)),
            IDatanetRegistry(address(datanets)),
            _admin(),
            _parameters(BOND_CAP + 1)
        );
    }

    function test_constructor_revertsOnInvalidRateBounds() public {
        IDatanetRegistry d = IDatanetRegistry(address(datanets));
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelRegistryInvalidRateBounds.selector, 2, 1, RATE_CAP));
        new ModelRegistry(
            IERC20(address(open)),
            d,
            _admin(),
            ModelRegistry.Parameters({proposalBond: 0, minRate: 2, maxRate: 1})
        );
        vm.expectRevert(
            abi.encodeWithSelector(IModelRegistry.ModelRegistryInvalidRateBounds.selector, 0, RATE_CAP + 1, RATE_CAP)
        );
        new ModelRegistry(
            IERC20(address(open)),
            d,
            _admin(),
            ModelRegistry.Parameters({proposalBond: 0, minRate: 0, maxRate: RATE_CAP + 1})
        );
    }

    function test_fuzz_setProposalBond_capsAndAppliesToLaterProposals(uint256 newBond) public {
        if (newBond % 4 != 0) newBond = bound(newBond, 0, BOND_CAP + 1);
        uint256 earlier = _propose(alice);
        bool valid = newBond <= BOND_CAP;
        if (valid) {
            vm.expectEmit(address(models));
            emit IModelRegistry.ProposalBondUpdated(PROPOSAL_BOND, newBond);
        } else {
            vm.expectRevert(
                abi.encodeWithSelector(IModelRegistry.ModelRegistryProposalBondTooHigh.selector, newBond, BOND_CAP)
            );
        }
        vm.prank(governance);
        models.setProposalBond(newBond);
        if (!valid) {
            assertEq(models.proposalBond(), PROPOSAL_BOND);
            return;
        }

        uint256 later = _propose(alice);
        assertEq(models.getModel(earlier).bond, PROPOSAL_BOND);
        assertEq(models.getModel(later).bond, newBond);
        assertEq(open.balanceOf(address(models)), PROPOSAL_BOND + newBond);
        assertEq(open.balanceOf(alice), USER_FUNDS - PROPOSAL_BOND - newBond);

        // Each is settled with its own bond.
        _approve(earlier);
        vm.prank(governance);
        models.rejectModel(later);
        assertEq(open.balanceOf(alice), USER_FUNDS - newBond);
        assertEq(open.balanceOf(treasury), newBond);
        assertEq(open.balanceOf(address(models)), 0);
    }

    function test_fuzz_setRateBounds_acceptsOnlyMinLeMaxLeCap(uint256 minRate, uint256 maxRate) public {
        minRate = bound(minRate, 0, RATE_CAP + 1);
        maxRate = bound(maxRate, 0, RATE_CAP + 1);
        bool valid = minRate <= maxRate && maxRate <= RATE_CAP;
        uint256 modelId = _propose(alice);
        if (valid) {
            vm.expectEmit(address(models));
            emit IModelRegistry.RateBoundsUpdated(MIN_RATE, MAX_RATE_BOUND, minRate, maxRate);
        } else {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IModelRegistry.ModelRegistryInvalidRateBounds.selector,
                    minRate,
                    maxRate,
                    RATE_CAP
                )
            );
        }
        vm.prank(governance);
        models.setRateBounds(minRate, maxRate);

        (uint256 newMin, uint256 newMax) = models.rateBounds();
        assertEq(newMin, valid ? minRate : MIN_RATE);
        assertEq(newMax, valid ? maxRate : MAX_RATE_BOUND);
        // Existing models keep their rates, even outside the new bounds.
        assertEq(models.getModel(modelId).rates.inputRate, IN_RATE);
        if (!valid) return;

        // Inclusive at both ends.
        vm.prank(alice);
        models.setRates(modelId, _rates(newMin, newMax));
        vm.prank(alice);
        models.proposeModel("ipfs://model", _list(1, 2), _rates(newMax, newMin), ANY_BOND);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IModelRegistry.ModelRegistryRateOutOfBounds.selector, newMax + 1, newMin, newMax)
        );
        models.setRates(modelId, _rates(newMin, newMax + 1));
    }

    function test_setters_revertForNonGovernance() public {
        vm.startPrank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        models.setProposalBond(0);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        models.setRateBounds(0, 1);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        models.setTreasury(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        models.renounceOwnership();
        vm.stopPrank();
    }

    function test_setTreasury_redirectsRejectedBonds() public {
        address newTreasury = makeAddr("newTreasury");
        vm.prank(governance);
        vm.expectRevert(IProtocolAdmin.ProtocolAdminZeroAddress.selector);
        models.setTreasury(address(0));

        vm.expectEmit(address(models));
        emit IProtocolAdmin.TreasuryUpdated(treasury, newTreasury);
        vm.prank(governance);
        models.setTreasury(newTreasury);

        uint256 modelId = _propose(alice);
        vm.prank(governance);
        models.rejectModel(modelId);
        assertEq(open.balanceOf(newTreasury), PROPOSAL_BOND);
        assertEq(open.balanceOf(treasury), 0);
    }

    function test_renounceOwnership_isDisabled() public {
        vm.prank(governance);
        vm.expectRevert(IGovernanceOwned.GovernanceRenounceDisabled.selector);
        models.renounceOwnership();
        assertEq(models.owner(), governance);
    }

    // ----------------------------------------------------------------------------------------------
    // Proposals
    // ----------------------------------------------------------------------------------------------

    function test_proposeModel_storesModelAndPullsBond() public {
        uint256[] memory ids = _list(1, 2);
        vm.expectEmit(address(models));
        emit IModelRegistry.ModelProposed(1, alice, ids, IN_RATE, OUT_RATE, PROPOSAL_BOND, "ipfs://model");
        uint256 modelId = _propose(alice);

        assertEq(modelId, 1);
        assertEq(models.modelCount(), 1);
        assertEq(open.balanceOf(address(models)), PROPOSAL_BOND);
        assertEq(open.balanceOf(alice), USER_FUNDS - PROPOSAL_BOND);

        IModelRegistry.Model memory m = models.getModel(modelId);
        assertEq(m.creator, alice);
        assertEq(uint256(m.state), uint256(IModelRegistry.ModelState.Proposed));
        assertEq(m.proposedAt, block.timestamp);
        assertEq(m.bond, PROPOSAL_BOND);
        assertEq(m.baseModelId, 0);
        assertEq(m.rates.inputRate, IN_RATE);
        assertEq(m.rates.outputRate, OUT_RATE);
        assertEq(m.artifactHash, bytes32(0));
        assertEq(m.metadataURI, "ipfs://model");
        assertEq(m.artifactURI, "");
        assertEq(m.datanetIds, ids);

        (IModelRegistry.ModelState state, address creator, uint256 inRate, uint256 outRate) = models.paymentTerms(
            modelId
        );
        assertEq(uint256(state), uint256(IModelRegistry.ModelState.Proposed));
        assertEq(creator, alice);
        assertEq(inRate, IN_RATE);
        assertEq(outRate, OUT_RATE);
        assertEq(models.modelDatanets(modelId), ids);
    }

    // ----------------------------------------------------------------------------------------------
    // maxBond: a proposal bond set by governance is capped by the proposer
    // ----------------------------------------------------------------------------------------------

    function _bondAboveMaxError(uint256 bond, uint256 maxBond) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IModelRegistry.ModelRegistryBondAboveMax.selector, bond, maxBond);
    }

    /// Any proposal bond and any cap: proposeModel succeeds exactly when bond ≤ maxBond, and then pulls the bond, never
    /// the cap, under an unlimited approval.
    function test_fuzz_proposeModel_pullsTheBondOnlyWhenWithinMaxBond(uint256 bond, uint256 maxBond) public {
        bond = bound(bond, 0, BOND_CAP);
        if (maxBond % 4 != 0) maxBond = bound(maxBond, bond == 0 ? 0 : bond - 1, bond + 1);
        vm.prank(governance);
        models.setProposalBond(bond);
        bool refused = bond > maxBond;
        if (refused) vm.expectRevert(_bondAboveMaxError(bond, maxBond));
        vm.prank(alice);
        models.proposeModel("ipfs://model", _list(1, 2), _rates(IN_RATE, OUT_RATE), maxBond);
        assertEq(open.balanceOf(alice), refused ? USER_FUNDS : USER_FUNDS - bond, "proposer balance");
        assertEq(open.balanceOf(address(models)), refused ? 0 : bond, "registry balance");
        assertEq(models.modelCount(), refused ? 0 : 1);
    }

    /// Item 6 of issue 10: governance's raise of the proposal bond lands first; the proposer's standing unlimited
    /// approval does not make it pay the higher bond.
    function test_proposeModel_bondRaisedJustBeforeIsNotPulledUnderStandingApproval() public {
        assertEq(open.allowance(alice, address(models)), type(uint256).max);
        vm.prank(governance);
        models.setProposalBond(5 * PROPOSAL_BOND);

        vm.prank(alice);
        vm.expectRevert(_bondAboveMaxError(5 * PROPOSAL_BOND, PROPOSAL_BOND));
        models.proposeModel("ipfs://model", _list(1, 2), _rates(IN_RATE, OUT_RATE), PROPOSAL_BOND);
        assertEq(open.balanceOf(alice), USER_FUNDS);
        assertEq(models.modelCount(), 0);
    }

    function test_proposeModel_checksTheBondCapFirst() public {
        vm.prank(alice);
        vm.expectRevert(_bondAboveMaxError(PROPOSAL_BOND, 0));
        models.proposeModel("ipfs://model", new uint256[](0), _rates(0, MAX_RATE_BOUND + 1), 0);
    }

    function test_proposeModel_revertsWhilePausedAndWorksAfterUnpause() public {
        vm.prank(guardian);
        models.pause();
        vm.prank(alice);
        vm.expectRevert(IProtocolAdmin.ProtocolAdminPaused.selector);
        models.proposeModel("ipfs://model", _list(1, 2), _rates(IN_RATE, OUT_RATE), ANY_BOND);
        vm.prank(governance);
        models.unpause();
        assertEq(_propose(alice), 1);
    }

    function test_lifecycle_isNotPausable() public {
        uint256 proposed = _propose(alice);
        uint256 rejected = _propose(alice);
        uint256 active = _modelIn(alice, IModelRegistry.ModelState.Active);
        vm.prank(guardian);
        models.pause();
        _checkAction(APPROVE, proposed, alice, 0);
        _checkAction(REJECT, rejected, alice, 0);
        _checkAction(REGISTER, proposed, alice, 0);
        _checkAction(ACTIVATE, proposed, alice, 0);
        _checkAction(SUSPEND, active, alice, 0);
        _checkAction(RESUME, active, alice, 0);
        _checkAction(SET_RATES, active, alice, 0);
        _checkAction(RETIRE_BY_GOVERNANCE, active, alice, 0);
        assertTrue(models.paused());
    }

    function test_proposeModel_revertsWithoutAllowance() public {
        open.transfer(stranger, PROPOSAL_BOND);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(models), 0, PROPOSAL_BOND)
        );
        models.proposeModel("ipfs://model", _list(1, 2), _rates(IN_RATE, OUT_RATE), ANY_BOND);
    }

    function test_proposeModel_zeroBondPullsNothing() public {
        vm.prank(governance);
        models.setProposalBond(0);
        vm.prank(stranger);
        uint256 modelId = models.proposeModel("ipfs://model", _list(1, 2), _rates(IN_RATE, OUT_RATE), ANY_BOND);
        vm.prank(governance);
        models.rejectModel(modelId);
        assertEq(open.balanceOf(treasury), 0);
    }

    function test_proposeModel_acceptsSixteenDatanets() public {
        uint256[] memory ids = new uint256[](MAX_DATANETS);
        for (uint256 i; i < MAX_DATANETS; ++i) ids[i] = i + 3;
        vm.prank(alice);
        uint256 modelId = models.proposeModel("ipfs://model", ids, _rates(IN_RATE, OUT_RATE), ANY_BOND);
        assertEq(models.getModel(modelId).datanetIds, ids);
    }

    /// Random lists (half of them increasing, some past the last datanet, 0 to 18 long): proposeModel succeeds
    /// exactly on 1 to 16 strictly increasing existing ids, and otherwise reverts with the first failure.
    function test_fuzz_proposeModel_validatesDatanetList(uint256 lengthSeed, uint256 seed) public {
        uint256 n = bound(lengthSeed, 0, MAX_DATANETS + 2);
        uint256[] memory ids = new uint256[](n);
        bool increasing = seed % 2 == 0;
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            if (increasing) {
                // Starts at 0, 1 or 2 and steps by 1 or 2: may run past the last datanet.
                ids[i] = i == 0 ? r % 3 : ids[i - 1] + 1 + (r % 2);
            } else {
                ids[i] = r % (DATANETS + 3);
            }
        }

        bytes memory expected = _expectedListError(ids);
        if (expected.length != 0) vm.expectRevert(expected);
        vm.prank(alice);
        uint256 modelId = models.proposeModel("ipfs://model", ids, _rates(IN_RATE, OUT_RATE), ANY_BOND);

        if (expected.length == 0) {
            assertEq(models.getModel(modelId).datanetIds, ids);
            assertEq(open.balanceOf(address(models)), PROPOSAL_BOND);
        } else {
            assertEq(models.modelCount(), 0);
            assertEq(open.balanceOf(address(models)), 0);
        }
    }

    function _expectedListError(uint256[] memory ids) internal view returns (bytes memory) {
        uint256 n = ids.length;
        if (n == 0 || n > MAX_DATANETS) {
            return abi.encodeWithSelector(IModelRegistry.ModelRegistryInvalidDatanetCount.selector, n, MAX_DATANETS);
        }
        for (uint256 i; i < n; ++i) {
            if (i != 0 && ids[i] <= ids[i - 1]) {
                return abi.encodeWithSelector(IModelRegistry.ModelRegistryDatanetsNotSorted.selector, i);
            }
            if (!datanets.datanetExists(ids[i])) {
                return abi.encodeWithSelector(IModelRegistry.ModelRegistryUnknownDatanet.selector, ids[i]);
            }
        }
        return "";
    }

    function test_proposeModel_revertsOnDuplicateDatanet() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelRegistryDatanetsNotSorted.selector, 1));
        models.proposeModel("ipfs://model", _list(3, 3), _rates(IN_RATE, OUT_RATE), ANY_BOND);
    }

    function test_proposeModel_revertsOnDatanetZero() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelRegistryUnknownDatanet.selector, 0));
        models.proposeModel("ipfs://model", _list(0, 3), _rates(IN_RATE, OUT_RATE), ANY_BOND);
    }

    /// Rates anywhere in [0, 2 × max]: proposeModel and setRates accept exactly those within the bounds, and
    /// report the input rate first.
    function test_fuzz_rates_acceptedOnlyWithinBounds(uint128 inputRate, uint128 outputRate) public {
        if (inputRate % 4 != 0) inputRate = uint128(bound(inputRate, 0, 2 * MAX_RATE_BOUND));
        if (outputRate % 4 != 0) outputRate = uint128(bound(outputRate, 0, 2 * MAX_RATE_BOUND));
        bool inputOk = inputRate >= MIN_RATE && inputRate <= MAX_RATE_BOUND;
        bool outputOk = outputRate >= MIN_RATE && outputRate <= MAX_RATE_BOUND;
        bytes memory expected;
        if (!inputOk) {
            expected = abi.encodeWithSelector(
                IModelRegistry.ModelRegistryRateOutOfBounds.selector,
                inputRate,
                MIN_RATE,
                MAX_RATE_BOUND
            );
        } else if (!outputOk) {
            expected = abi.encodeWithSelector(
                IModelRegistry.ModelRegistryRateOutOfBounds.selector,
                outputRate,
                MIN_RATE,
                MAX_RATE_BOUND
            );
        }

        IModelRegistry.Rates memory rates = _rates(inputRate, outputRate);
        if (expected.length != 0) vm.expectRevert(expected);
        vm.prank(alice);
        models.proposeModel("ipfs://model", _list(1, 2), rates, ANY_BOND);

        uint256 modelId = _propose(bob);
        if (expected.length != 0) vm.expectRevert(expected);
        vm.prank(bob);
        models.setRates(modelId, rates);

        IModelRegistry.Model memory m = models.getModel(modelId);
        assertEq(m.rates.inputRate, expected.length == 0 ? inputRate : IN_RATE);
        assertEq(m.rates.outputRate, expected.length == 0 ? outputRate : OUT_RATE);
    }

    function test_setRates_updatesRatesInEveryLiveState() public {
        for (uint256 s = 1; s <= 7; ++s) {
            IModelRegistry.ModelState state = IModelRegistry.ModelState(s);
            uint256 modelId = _modelIn(alice, state);
            bool allowed = state != IModelRegistry.ModelState.Rejected && state != IModelRegistry.ModelState.Retired;
            if (allowed) {
                vm.expectEmit(address(models));
                emit IModelRegistry.RatesUpdated(modelId, 5 gwei, 7 gwei);
            } else {
                vm.expectRevert(_stateError(modelId, state));
            }
            vm.prank(alice);
            models.setRates(modelId, _rates(5 gwei, 7 gwei));
            assertEq(models.getModel(modelId).rates.inputRate, allowed ? 5 gwei : IN_RATE);
        }
    }

    function test_setRates_revertsForNonCreator() public {
        uint256 modelId = _propose(alice);
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelRegistryNotCreator.selector, modelId, governance));
        models.setRates(modelId, _rates(IN_RATE, OUT_RATE));
    }

    // ----------------------------------------------------------------------------------------------
    // Approval and rejection
    // ----------------------------------------------------------------------------------------------

    function test_approveModel_refundsBondToCreator() public {
        uint256 modelId = _propose(alice);
        vm.expectEmit(address(models));
        emit IModelRegistry.ModelStateChanged(
            modelId,
            IModelRegistry.ModelState.Proposed,
            IModelRegistry.ModelState.Approved
        );
        vm.expectEmit(address(models));
        emit IModelRegistry.ProposalBondSettled(modelId, alice, PROPOSAL_BOND);
        _approve(modelId);
        assertEq(uint256(_state(modelId)), uint256(IModelRegistry.ModelState.Approved));
        assertEq(open.balanceOf(alice), USER_FUNDS);
        assertEq(open.balanceOf(address(models)), 0);
        assertEq(open.balanceOf(treasury), 0);
    }

    function test_rejectModel_slashesBondToTreasury() public {
        uint256 modelId = _propose(alice);
        vm.expectEmit(address(models));
        emit IModelRegistry.ProposalBondSettled(modelId, treasury, PROPOSAL_BOND);
        vm.prank(governance);
        models.rejectModel(modelId);
        assertEq(uint256(_state(modelId)), uint256(IModelRegistry.ModelState.Rejected));
        assertEq(open.balanceOf(treasury), PROPOSAL_BOND);
        assertEq(open.balanceOf(alice), USER_FUNDS - PROPOSAL_BOND);
        assertEq(open.balanceOf(address(models)), 0);
    }

    function test_governanceActions_revertForOthers() public {
        uint256 modelId = _propose(alice);
        // Not even the creator approves their own model.
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        models.approveModel(modelId);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        models.rejectModel(modelId);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        models.suspendModel(modelId);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        models.resumeModel(modelId);
        vm.stopPrank();
    }

    function test_lifecycle_revertsOnUnknownModel() public {
        bytes memory err = abi.encodeWithSelector(IModelRegistry.ModelRegistryUnknownModel.selector, 1);
        vm.startPrank(governance);
        vm.expectRevert(err);
        models.approveModel(1);
        vm.expectRevert(err);
        models.rejectModel(1);
        vm.expectRevert(err);
        models.suspendModel(1);
        vm.expectRevert(err);
        models.resumeModel(1);
        vm.expectRevert(err);
        models.retireModel(1);
        vm.expectRevert(err);
        models.registerArtifact(1, ARTIFACT, "", 0);
        vm.expectRevert(err);
        models.activateModel(1);
        vm.expectRevert(err);
        models.setRates(1, _rates(IN_RATE, OUT_RATE));
        vm.expectRevert(err);
        models.getModel(1);
        vm.expectRevert(err);
        models.paymentTerms(1);
        vm.expectRevert(err);
        models.modelDatanets(1);
        vm.stopPrank();
    }

    // ----------------------------------------------------------------------------------------------
    // Artifacts
    // ----------------------------------------------------------------------------------------------

    function test_registerArtifact_storesFullWeights() public {
        uint256 modelId = _propose(alice);
        _approve(modelId);
        vm.expectEmit(address(models));
        emit IModelRegistry.ArtifactRegistered(modelId, ARTIFACT, "ipfs://weights", 0);
        _register(modelId, 0);

        IModelRegistry.Model memory m = models.getModel(modelId);
        assertEq(uint256(m.state), uint256(IModelRegistry.ModelState.Trained));
        assertEq(m.artifactHash, ARTIFACT);
        assertEq(m.artifactURI, "ipfs://weights");
        assertEq(m.baseModelId, 0);
    }

    function test_registerArtifact_acceptsLoRAOnBaseWithWeights() public {
        IModelRegistry.ModelState[3] memory bases = [
            IModelRegistry.ModelState.Trained,
            IModelRegistry.ModelState.Active,
            IModelRegistry.ModelState.Suspended
        ];
        for (uint256 i; i < bases.length; ++i) {
            uint256 base = _modelIn(bob, bases[i]);
            uint256 adapter = _modelIn(alice, IModelRegistry.ModelState.Approved);
            _register(adapter, base);
            assertEq(models.getModel(adapter).baseModelId, base);
            assertEq(uint256(_state(adapter)), uint256(IModelRegistry.ModelState.Trained));
        }
    }

    function test_registerArtifact_revertsOnBaseWithoutWeights() public {
        IModelRegistry.ModelState[4] memory bad = [
            IModelRegistry.ModelState.Proposed,
            IModelRegistry.ModelState.Approved,
            IModelRegistry.ModelState.Rejected,
            IModelRegistry.ModelState.Retired
        ];
        uint256 adapter = _modelIn(alice, IModelRegistry.ModelState.Approved);
        for (uint256 i; i < bad.length; ++i) {
            uint256 base = _modelIn(bob, bad[i]);
            vm.prank(alice);
            vm.expectRevert(
                abi.encodeWithSelector(IModelRegistry.ModelRegistryInvalidBaseModel.selector, base, bad[i])
            );
            models.registerArtifact(adapter, ARTIFACT, "ipfs://adapter", base);
        }
        // An unknown base.
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IModelRegistry.ModelRegistryInvalidBaseModel.selector,
                999,
                IModelRegistry.ModelState.None
            )
        );
        models.registerArtifact(adapter, ARTIFACT, "ipfs://adapter", 999);
        // Itself: an Approved model has no weights yet.
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IModelRegistry.ModelRegistryInvalidBaseModel.selector,
                adapter,
                IModelRegistry.ModelState.Approved
            )
        );
        models.registerArtifact(adapter, ARTIFACT, "ipfs://adapter", adapter);
        assertEq(uint256(_state(adapter)), uint256(IModelRegistry.ModelState.Approved));
    }

    function test_registerArtifact_checksStateBeforeArguments() public {
        uint256 proposed = _propose(alice);
        uint256 unknownBase = 999;
        vm.startPrank(alice);
        vm.expectRevert(_stateError(proposed, IModelRegistry.ModelState.Proposed));
        models.registerArtifact(proposed, bytes32(0), "ipfs://weights", 0);
        vm.expectRevert(_stateError(proposed, IModelRegistry.ModelState.Proposed));
        models.registerArtifact(proposed, ARTIFACT, "ipfs://weights", unknownBase);
        vm.expectRevert(_stateError(proposed, IModelRegistry.ModelState.Proposed));
        models.registerArtifact(proposed, ARTIFACT, "ipfs://weights", proposed);
        vm.stopPrank();
    }

    function test_registerArtifact_revertsOnZeroHash() public {
        uint256 modelId = _modelIn(alice, IModelRegistry.ModelState.Approved);
        vm.prank(alice);
        vm.expectRevert(IModelRegistry.ModelRegistryZeroArtifactHash.selector);
        models.registerArtifact(modelId, bytes32(0), "ipfs://weights", 0);
    }

    function test_creatorActions_revertForOthers() public {
        uint256 modelId = _modelIn(alice, IModelRegistry.ModelState.Approved);
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelRegistryNotCreator.selector, modelId, governance));
        models.registerArtifact(modelId, ARTIFACT, "ipfs://weights", 0);
        _register(modelId, 0);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IModelRegistry.ModelRegistryNotCreator.selector, modelId, bob));
        models.activateModel(modelId);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(IModelRegistry.ModelRegistryNotCreatorOrGovernance.selector, modelId, bob)
        );
        models.retireModel(modelId);
    }

    // ----------------------------------------------------------------------------------------------
    // Lifecycle state machine
    // ----------------------------------------------------------------------------------------------

    /// Every action from every state (7 × 9): succeeds exactly where the table allows it, else reverts with
    /// ModelRegistryUnexpectedState naming the current state.
    function test_lifecycle_everyActionFromEveryState() public {
        uint256 base = _modelIn(bob, IModelRegistry.ModelState.Active);
        for (uint256 s = 1; s <= 7; ++s) {
            for (uint256 action; action < ACTIONS; ++action) {
                uint256 modelId = _modelIn(alice, IModelRegistry.ModelState(s));
                // A valid LoRA base: the table is then the only reason for registerArtifact to revert.
                _checkAction(action, modelId, alice, base);
            }
        }
    }

    /// A random sequence of 24 lifecycle actions on one model (plus a LoRA base that itself moves through its
    /// lifecycle): each call succeeds exactly when the transition table allows it, or reverts with
    /// ModelRegistryUnexpectedState(modelId, currentState); the bond leaves once, to the creator or the treasury.
    function test_fuzz_lifecycle_followsTransitionTable(uint256 seed) public {
        uint256 base = _modelIn(bob, IModelRegistry.ModelState.Trained);
        uint256 modelId = _propose(alice);
        for (uint256 step; step < 24; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            uint256 action = r % ACTIONS;
            // Now and then act on the base instead, so that the adapter's base may be Active or Suspended.
            if ((r >> 8) % 5 == 0) {
                _checkAction(action, base, bob, 0);
                continue;
            }
            ModelStateView memory b = _baseView(base);
            // A LoRA adapter only when the base has weights: the table is then the only reason to revert.
            uint256 baseModelId = (r >> 16) % 2 == 0 && b.hasWeights ? base : 0;
            _checkAction(action, modelId, alice, baseModelId);
        }
        // The bond left at most once: it is here only while Proposed.
        IModelRegistry.ModelState finalState = _state(modelId);
        uint256 bond = models.getModel(modelId).bond;
        bool settled = finalState != IModelRegistry.ModelState.Proposed;
        bool slashed = finalState == IModelRegistry.ModelState.Rejected;
        assertEq(open.balanceOf(alice), USER_FUNDS - (settled && !slashed ? 0 : bond), "creator");
        assertEq(open.balanceOf(treasury), slashed ? bond : 0, "treasury");
    }

    struct ModelStateView {
        IModelRegistry.ModelState state;
        bool hasWeights;
    }

    function _baseView(uint256 base) internal view returns (ModelStateView memory v) {
        v.state = _state(base);
        v.hasWeights =
            v.state == IModelRegistry.ModelState.Trained ||
            v.state == IModelRegistry.ModelState.Active ||
            v.state == IModelRegistry.ModelState.Suspended;
    }

    /// ModelLifecycle.hasWeights is the rule both for a LoRA base and for retirement: true exactly for Trained,
    /// Active and Suspended.
    function test_hasWeights_isTrainedActiveOrSuspended() public pure {
        for (uint256 s; s <= 7; ++s) {
            IModelRegistry.ModelState state = IModelRegistry.ModelState(s);
            bool expected =
                state == IModelRegistry.ModelState.Trained ||
                    state == IModelRegistry.ModelState.Active ||
                    state == IModelRegistry.ModelState.Suspended;
            assertEq(ModelLifecycle.hasWeights(state), expected);
        }
    }

    function test_viewsAnswerInEveryState() public {
        for (uint256 s = 1; s <= 7; ++s) {
            IModelRegistry.ModelState state = IModelRegistry.ModelState(s);
            uint256 modelId = _modelIn(alice, state);
            (IModelRegistry.ModelState reported, address creator, uint256 inRate, uint256 outRate) = models
                .paymentTerms(modelId);
            assertEq(uint256(reported), s);
            assertEq(creator, alice);
            assertEq(inRate, IN_RATE);
            assertEq(outRate, OUT_RATE);
            assertEq(models.modelDatanets(modelId), _list(1, 2));
        }
    }

    function test_retireModel_byGovernanceFromEveryStateWithWeights() public {
        IModelRegistry.ModelState[3] memory from = [
            IModelRegistry.ModelState.Trained,
            IModelRegistry.ModelState.Active,
            IModelRegistry.ModelState.Suspended
        ];
        for (uint256 i; i < from.length; ++i) {
            uint256 modelId = _modelIn(alice, from[i]);
            vm.expectEmit(address(models));
            emit IModelRegistry.ModelStateChanged(modelId, from[i], IModelRegistry.ModelState.Retired);
            vm.prank(governance);
            models.retireModel(modelId);
            assertEq(uint256(_state(modelId)), uint256(IModelRegistry.ModelState.Retired));
        }
    }

    function test_suspendAndResume_toggleActive() public {
        uint256 modelId = _modelIn(alice, IModelRegistry.ModelState.Active);
        for (uint256 i; i < 3; ++i) {
            vm.prank(governance);
            models.suspendModel(modelId);
            assertEq(uint256(_state(modelId)), uint256(IModelRegistry.ModelState.Suspended));
            vm.prank(governance);
            models.resumeModel(modelId);
            assertEq(uint256(_state(modelId)), uint256(IModelRegistry.ModelState.Active));
        }
    }
}
