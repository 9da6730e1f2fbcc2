// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

import {IDatanetRegistry} from "../../../../contracts/interfaces/IDatanetRegistry.sol";
import {IModelRegistry} from "../../../../contracts/interfaces/IModelRegistry.sol";
import {IProtocolAdmin} from "../../../../contracts/interfaces/IProtocolAdmin.sol";
import {DatanetRegistry} from "../../../../contracts/registry/DatanetRegistry.sol";
import {ModelRegistry} from "../../../../contracts/registry/ModelRegistry.sol";
import {OpenToken} from "../../../../contracts/token/OpenToken.sol";

/// @notice Drives DatanetRegistry and ModelRegistry for the invariant suite: four contributors (who also propose
/// models), two curators who own the datanets, governance (owner of both registries), a guardian and one
/// treasury shared by both registries. It keeps its own model of every datanet, contribution and model (owner,
/// curators, open flag, pause, statuses, live content hashes, lifecycle states) and decides from that model,
/// not from the contracts, whether each call must succeed or revert and with which error.
/// @dev Most actions pick a target on which they can succeed (a pending contribution to review, a model in the
/// right state); about one in four picks any target, or a caller without the right, to exercise the refusals.
/// Contributors and proposers hold standing unlimited approvals and pass a maxBond that is now the current bond,
/// now a stale one (the bond before the owner's or governance's last change), now a cap with room to spare: a bond
/// above the cap must be refused, never pulled. Refund claims now and then name the registry or the OPEN token,
/// which must be refused.
/// Because the suite runs with failOnRevert = false, a failed check must not revert: it is recorded in
/// `ghost_violation`, which invariant_handlerChecksHold asserts is empty.
contract RegistryHandler is CommonBase, StdCheats, StdUtils {
    uint256 internal constant CONTRIBUTORS = 4;
    uint256 internal constant CURATORS = 2;
    uint256 internal constant HASHES = 6;
    uint256 internal constant MAX_DATANETS = 4;
    uint256 internal constant MAX_BATCH = 5;
    uint256 internal constant ACTOR_FUNDS = 10_000_000 ether;
    uint256 internal constant MAX_PROPOSAL_BOND = 10_000 ether;

    // Lifecycle actions.
    uint256 internal constant APPROVE = 0;
    uint256 internal constant REJECT = 1;
    uint256 internal constant REGISTER = 2;
    uint256 internal constant ACTIVATE = 3;
    uint256 internal constant SUSPEND = 4;
    uint256 internal constant RESUME = 5;
    uint256 internal constant RETIRE = 6;

    OpenToken public immutable open;
    DatanetRegistry public immutable datanets;
    ModelRegistry public immutable models;
    address public immutable governance;
    address public immutable treasury;
    address public immutable guardian;

    address[CONTRIBUTORS] internal _contributors;
    address[CURATORS] internal _curators;

    // Model of the datanets.
    bool public ghost_paused;
    mapping(uint256 datanetId => address) public ghost_datanetOwner;
    mapping(uint256 datanetId => mapping(address account => bool)) public ghost_addedCurator;
    mapping(uint256 datanetId => bool) public ghost_closed;
    mapping(uint256 datanetId => uint256) public ghost_bond;
    /// The bond before the owner's last change: what a contributor who has not seen the change would cap at.
    mapping(uint256 datanetId => uint256) public ghost_previousBond;
    mapping(uint256 datanetId => uint256) public ghost_accepted;
    mapping(uint256 datanetId => uint256) public ghost_versions;
    /// The Pending, Accepted or Penalized contribution holding content hash `k` of the pool in the datanet, or 0.
    mapping(uint256 datanetId => mapping(uint256 hashIndex => uint256 contributionId)) public ghost_liveByHash;

    // Model of the contributions.
    mapping(uint256 contributionId => IDatanetRegistry.ContributionStatus) public ghost_status;
    mapping(uint256 contributionId => uint256) public datanetOf;
    mapping(uint256 contributionId => address) public contributorOf;
    mapping(uint256 contributionId => uint256) public bondOf;
    /// The maxBond the contributor passed.
    mapping(uint256 contributionId => uint256) public maxBondOf;
    mapping(uint256 contributionId => uint256) public hashIndexOf;
    /// How many times the bond was settled (refunded or slashed): must stay ≤ 1.
    mapping(uint256 contributionId => uint256) public ghost_settlements;
    mapping(uint256 contributionId => bool) public ghost_refunded;
    mapping(uint256 contributionId => bool) public ghost_slashed;

    // Model of the models.
    bool public ghost_modelsPaused;
    uint256 public ghost_previousProposalBond;
    mapping(uint256 modelId => IModelRegistry.ModelState) public ghost_modelState;
    mapping(uint256 modelId => address) public creatorOf;
    mapping(uint256 modelId => uint256) public modelBondOf;
    /// The maxBond the proposer passed.
    mapping(uint256 modelId => uint256) public modelMaxBondOf;
    mapping(uint256 modelId => uint256) public ghost_modelSettlements;

    // Ghost totals, in OPEN-wei.
    uint256 public ghost_bondsPosted;
    uint256 public ghost_bondsCredited; // accepted bonds credited to refundOf (claimed or not)
    uint256 public ghost_bondsSlashed; // rejected bonds sent to the treasury
    uint256 public ghost_refundsClaimed;
    uint256 public ghost_modelBondsPosted;
    uint256 public ghost_modelBondsReturned;
    uint256 public ghost_modelBondsSlashed;
    uint256 public ghost_skipped;
    /// An action-level property failed (checked by an invariant so that the failure is reported).
    string public ghost_violation;

    mapping(bytes32 action => uint256) public calls;

    constructor(
        OpenToken open_,
        DatanetRegistry datanets_,
        ModelRegistry models_,
        address governance_,
        address treasury_,
        address guardian_
    ) {
        open = open_;
        datanets = datanets_;
        models = models_;
        governance = governance_;
        treasury = treasury_;
        guardian = guardian_;
        for (uint256 i; i < CONTRIBUTORS; ++i) {
            _contributors[i] = makeAddr(string.concat("contributor", vm.toString(i)));
        }
        for (uint256 i; i < CURATORS; ++i) {
            _curators[i] = makeAddr(string.concat("curator", vm.toString(i)));
        }
    }

    /// @notice Funds the contributors from the handler's own OPEN, approves both registries, and creates two
    /// datanets (the first curated by both curators) so that contributions can start at once.
    function bootstrap() external {
        ghost_previousProposalBond = models.proposalBond();
        for (uint256 i; i < CONTRIBUTORS; ++i) {
            open.transfer(_contributors[i], ACTOR_FUNDS);
            vm.startPrank(_contributors[i]);
            open.approve(address(datanets), type(uint256).max);
            open.approve(address(models), type(uint256).max);
            vm.stopPrank();
        }
        _createDatanet(0, 10 ether, true);
        _createDatanet(1, 1 ether, false);
    }

    // ----------------------------------------------------------------------------------------------
    // Views for the invariants
    // ----------------------------------------------------------------------------------------------

    function contributorCount() external pure returns (uint256) {
        return CONTRIBUTORS;
    }

    function contributor(uint256 i) external view returns (address) {
        return _contributors[i];
    }

    function hashCount() external pure returns (uint256) {
        return HASHES;
    }

    function maxDatanets() external pure returns (uint256) {
        return MAX_DATANETS;
    }

    function contentHash(uint256 k) public pure returns (bytes32) {
        return keccak256(abi.encode("content", k));
    }

    // ----------------------------------------------------------------------------------------------
    // Datanet actions
    // ----------------------------------------------------------------------------------------------

    function createDatanet(uint256 curatorSeed, uint256 bondSeed, bool addOther) external {
        calls["createDatanet"]++;
        if (datanets.datanetCount() >= MAX_DATANETS) return _skip();
        _createDatanet(curatorSeed % CURATORS, _bond(bondSeed), addOther);
    }

    function setDatanetOpen(uint256 datanetSeed, uint256 openSeed) external {
        calls["setDatanetOpen"]++;
        uint256 d = _datanet(datanetSeed);
        if (d == 0) return _skip();
        // Reopen three times in four, so that datanets are mostly open.
        bool open_ = openSeed % 4 != 0;
        vm.prank(ghost_datanetOwner[d]);
        try datanets.setDatanetOpen(d, open_) {} catch {
            return _violate("setDatanetOpen: reverted for the owner");
        }
        ghost_closed[d] = !open_;
        if (datanets.getDatanet(d).open != open_) _violate("setDatanetOpen: flag not stored");
    }

    function setContributionBond(uint256 datanetSeed, uint256 bondSeed) external {
        calls["setContributionBond"]++;
        uint256 d = _datanet(datanetSeed);
        if (d == 0) return _skip();
        (, uint256 maxBond) = datanets.bondBounds();
        bool outOfBounds = bondSeed % 5 == 0;
        uint256 bond = outOfBounds ? maxBond + 1 + ((bondSeed >> 8) % 1 ether) : _bond(bondSeed);

        vm.prank(ghost_datanetOwner[d]);
        try datanets.setContributionBond(d, bond) {
            if (outOfBounds) return _violate("setContributionBond: accepted a bond above the maximum");
            ghost_previousBond[d] = ghost_bond[d];
            ghost_bond[d] = bond;
        } catch (bytes memory reason) {
            if (!outOfBounds) return _violate("setContributionBond: reverted within bounds");
            (uint256 minBond, ) = datanets.bondBounds();
            _expectError(
                reason,
                abi.encodeWithSelector(
                    IDatanetRegistry.DatanetRegistryBondOutOfBounds.selector,
                    bond,
                    minBond,
                    maxBond
                ),
                "setContributionBond: wrong error"
            );
        }
        if (datanets.getDatanet(d).contributionBond != ghost_bond[d]) _violate("setContributionBond: bond stored");
    }

    /// Pauses ModelRegistry's proposals now and then (the guardian), and unpauses at the next call (governance).
    function toggleModelPause(uint256 seed) external {
        calls["toggleModelPause"]++;
        if (ghost_modelsPaused) {
            vm.prank(governance);
            try models.unpause() {} catch {
                return _violate("models.unpause: reverted for governance");
            }
            ghost_modelsPaused = false;
        } else {
            if (seed % 3 != 0) return _skip();
            vm.prank(guardian);
            try models.pause() {} catch {
                return _violate("models.pause: reverted for the guardian");
            }
            ghost_modelsPaused = true;
        }
        if (models.paused() != ghost_modelsPaused) _violate("models.pause: flag not stored");
    }

    /// Pauses now and then (the guardian) and always unpauses at the next call (governance).
    function togglePause(uint256 seed) external {
        calls["togglePause"]++;
        if (ghost_paused) {
            vm.prank(governance);
            try datanets.unpause() {} catch {
                return _violate("unpause: reverted for governance");
            }
            ghost_paused = false;
        } else {
            if (seed % 3 != 0) return _skip();
            vm.prank(guardian);
            try datanets.pause() {} catch {
                return _violate("pause: reverted for the guardian");
            }
            ghost_paused = true;
        }
        if (datanets.paused() != ghost_paused) _violate("pause: flag not stored");
    }

    function contribute(uint256 actorSeed, uint256 datanetSeed, uint256 hashSeed, uint64 size) external {
        calls["contribute"]++;
        uint256 d = _datanet(datanetSeed);
        if (d == 0) return _skip();
        address a = _contributors[actorSeed % CONTRIBUTORS];
        uint256 k = hashSeed % HASHES;
        bytes32 h = contentHash(k);
        uint256 maxBond = _maxBond(actorSeed >> 8, ghost_bond[d], ghost_previousBond[d]);

        bytes memory expected;
        if (ghost_paused) {
            expected = abi.encodeWithSelector(IProtocolAdmin.ProtocolAdminPaused.selector);
        } else if (ghost_closed[d]) {
            expected = abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryDatanetClosed.selector, d);
        } else if (ghost_bond[d] > maxBond) {
            expected = abi.encodeWithSelector(
                IDatanetRegistry.DatanetRegistryBondAboveMax.selector,
                ghost_bond[d],
                maxBond
            );
        } else if (ghost_liveByHash[d][k] != 0) {
            expected = abi.encodeWithSelector(
                IDatanetRegistry.DatanetRegistryRedundantContribution.selector,
                d,
                h,
                ghost_liveByHash[d][k]
            );
        }

        uint256 expectedId = datanets.contributionCount() + 1;
        uint256 balanceBefore = open.balanceOf(a);
        vm.prank(a);
        try datanets.contribute(d, h, "ipfs://content", size, maxBond) returns (uint256 id) {
            if (expected.length != 0) return _violate("contribute: succeeded where it must revert");
            if (id != expectedId) return _violate("contribute: id not sequential");
            _recordContribution(id, d, a, k);
            maxBondOf[id] = maxBond;
            if (open.balanceOf(a) != balanceBefore - ghost_bond[d]) _violate("contribute: bond not pulled");
            _checkContribution(id);
        } catch (bytes memory reason) {
            if (expected.length == 0) return _violate("contribute: reverted where it must succeed");
            calls["contribute.refused"]++;
            if (ghost_bond[d] > maxBond) calls["contribute.aboveMaxBond"]++;
            if (open.balanceOf(a) != balanceBefore) _violate("contribute: a refused contribution moved OPEN");
            _expectError(reason, expected, "contribute: wrong error");
        }
    }

    function review(uint256 reviewerSeed, uint256 contributionSeed, bool accept) external {
        calls["review"]++;
        uint256 id = _contributionWith(contributionSeed, IDatanetRegistry.ContributionStatus.Pending);
        if (id == 0) return _skip();
        uint256 d = datanetOf[id];
        address reviewer = _reviewer(reviewerSeed, d);

        bytes memory expected;
        if (!_isCurator(d, reviewer)) {
            expected = abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotCurator.selector, d, reviewer);
        } else if (ghost_status[id] != IDatanetRegistry.ContributionStatus.Pending) {
            expected = _statusError(id, ghost_status[id]);
        }

        address c = contributorOf[id];
        uint256 refundBefore = datanets.refundOf(c);
        uint256 treasuryBefore = open.balanceOf(treasury);
        vm.prank(reviewer);
        try datanets.review(id, accept) {
            if (expected.length != 0) return _violate("review: succeeded where it must revert");
            _settle(id, accept);
            uint256 bond = bondOf[id];
            if (datanets.refundOf(c) != refundBefore + (accept ? bond : 0)) _violate("review: refund credited");
            if (open.balanceOf(treasury) != treasuryBefore + (accept ? 0 : bond)) _violate("review: treasury paid");
            _checkContribution(id);
        } catch (bytes memory reason) {
            if (expected.length == 0) return _violate("review: reverted where it must succeed");
            calls["review.refused"]++;
            _expectError(reason, expected, "review: wrong error");
        }
    }

    function reviewBatch(uint256 reviewerSeed, uint256 datanetSeed, uint256 flags, uint256 sizeSeed) external {
        calls["reviewBatch"]++;
        uint256 d = _datanet(datanetSeed);
        if (d == 0) return _skip();
        // One time in sixteen, one contribution more than MAX_REVIEW_BATCH: refused before anything is read.
        if ((sizeSeed >> 16) % 16 == 0) return _oversizedBatch(reviewerSeed, d);
        (uint256[] memory ids, bool[] memory accepts) = _batch(d, flags, sizeSeed);
        if (ids.length == 0) return _skip();
        address reviewer = _reviewer(reviewerSeed, d);

        bytes memory expected;
        if (!_isCurator(d, reviewer)) {
            expected = abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotCurator.selector, d, reviewer);
        } else if (ids.length > 1 && ids[ids.length - 1] == ids[0]) {
            // A duplicate: the first review of the batch already settled it.
            expected = _statusError(ids[0], _reviewed(accepts[0]));
        }

        (uint256 slashed, uint256 accepted) = _batchTotals(ids, accepts);
        uint256 treasuryBefore = open.balanceOf(treasury);
        uint256 acceptedBefore = datanets.getDatanet(d).acceptedCount;
        uint256[CONTRIBUTORS] memory refundsBefore = _refundsOf();
        vm.prank(reviewer);
        try datanets.reviewBatch(ids, accepts) {
            if (expected.length != 0) return _violate("reviewBatch: succeeded where it must revert");
            uint256[CONTRIBUTORS] memory credited;
            for (uint256 i; i < ids.length; ++i) {
                _settle(ids[i], accepts[i]);
                if (accepts[i]) credited[_contributorIndex(contributorOf[ids[i]])] += bondOf[ids[i]];
                _checkContribution(ids[i]);
            }
            if (open.balanceOf(treasury) != treasuryBefore + slashed) {
                _violate("reviewBatch: treasury != sum of rejected bonds");
            }
            if (datanets.getDatanet(d).acceptedCount != acceptedBefore + accepted) {
                _violate("reviewBatch: acceptedCount");
            }
            for (uint256 j; j < CONTRIBUTORS; ++j) {
                if (datanets.refundOf(_contributors[j]) != refundsBefore[j] + credited[j]) {
                    _violate("reviewBatch: refund != sum of accepted bonds");
                }
            }
        } catch (bytes memory reason) {
            if (expected.length == 0) return _violate("reviewBatch: reverted where it must succeed");
            calls["reviewBatch.refused"]++;
            _expectError(reason, expected, "reviewBatch: wrong error");
        }
    }

    function _oversizedBatch(uint256 reviewerSeed, uint256 d) internal {
        uint256 max = datanets.MAX_REVIEW_BATCH();
        uint256[] memory ids = new uint256[](max + 1);
        vm.prank(_reviewer(reviewerSeed, d));
        try datanets.reviewBatch(ids, new bool[](max + 1)) {
            _violate("reviewBatch: accepted more than MAX_REVIEW_BATCH");
        } catch (bytes memory reason) {
            calls["reviewBatch.oversized"]++;
            _expectError(
                reason,
                abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryInvalidBatchSize.selector, max + 1, max),
                "reviewBatch: wrong error for an oversized batch"
            );
        }
    }

    function penalize(uint256 callerSeed, uint256 contributionSeed) external {
        calls["penalize"]++;
        uint256 id = _contributionWith(contributionSeed, IDatanetRegistry.ContributionStatus.Accepted);
        if (id == 0) return _skip();
        uint256 d = datanetOf[id];
        // A curator, governance, or (one time in five) a contributor, who may not.
        uint256 pick = callerSeed % 5;
        address caller = pick < CURATORS ? _curators[pick] : (pick < 4 ? governance : _contributors[callerSeed % 4]);

        bytes memory expected;
        if (caller != governance && !_isCurator(d, caller)) {
            expected = abi.encodeWithSelector(
                IDatanetRegistry.DatanetRegistryNotCuratorOrGovernance.selector,
                d,
                caller
            );
        } else if (ghost_status[id] != IDatanetRegistry.ContributionStatus.Accepted) {
            expected = _statusError(id, ghost_status[id]);
        }

        uint256 heldBefore = open.balanceOf(address(datanets));
        uint256 refundBefore = datanets.refundOf(contributorOf[id]);
        vm.prank(caller);
        try datanets.penalize(id, "adversarial") {
            if (expected.length != 0) return _violate("penalize: succeeded where it must revert");
            ghost_status[id] = IDatanetRegistry.ContributionStatus.Penalized;
            if (open.balanceOf(address(datanets)) != heldBefore) _violate("penalize: moved OPEN");
            if (datanets.refundOf(contributorOf[id]) != refundBefore) _violate("penalize: changed the refund");
            _checkContribution(id);
        } catch (bytes memory reason) {
            if (expected.length == 0) return _violate("penalize: reverted where it must succeed");
            calls["penalize.refused"]++;
            _expectError(reason, expected, "penalize: wrong error");
        }
    }

    function publishVersion(uint256 curatorSeed, uint256 datanetSeed, uint256 countSeed) external {
        calls["publishVersion"]++;
        uint256 d = _datanet(datanetSeed);
        if (d == 0) return _skip();
        address caller = _reviewer(curatorSeed, d);
        uint256 accepted = ghost_accepted[d];
        // A valid count, except one time in five: one more than accepted.
        uint64 count = uint64(accepted == 0 || countSeed % 5 == 0 ? accepted + 1 : bound(countSeed, 1, accepted));
        bytes32 root = keccak256(abi.encode("root", d, ghost_versions[d] + 1));

        bytes memory expected;
        if (!_isCurator(d, caller)) {
            expected = abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotCurator.selector, d, caller);
        } else if (count > accepted) {
            expected = abi.encodeWithSelector(
                IDatanetRegistry.DatanetRegistryInvalidVersionCount.selector,
                count,
                accepted
            );
        }

        vm.prank(caller);
        try datanets.publishVersion(d, root, count, "ipfs://version") returns (uint256 version) {
            if (expected.length != 0) return _violate("publishVersion: succeeded where it must revert");
            ghost_versions[d]++;
            if (version != ghost_versions[d]) return _violate("publishVersion: version not sequential");
            IDatanetRegistry.Version memory v = datanets.getVersion(d, version);
            if (v.merkleRoot != root || v.count != count) _violate("publishVersion: version not stored");
        } catch (bytes memory reason) {
            if (expected.length == 0) return _violate("publishVersion: reverted where it must succeed");
            calls["publishVersion.refused"]++;
            _expectError(reason, expected, "publishVersion: wrong error");
        }
    }

    function claimRefund(uint256 actorSeed, uint256 recipientSeed) external {
        calls["claimRefund"]++;
        address a = _contributors[actorSeed % CONTRIBUTORS];
        uint256 amount = datanets.refundOf(a);
        // One time in eight to the registry or the OPEN token, where it would be locked: refused whatever is owed.
        if (recipientSeed % 8 == 1) return _claimToLockedRecipient(a, recipientSeed);
        // Otherwise half the time claim to another contributor.
        address recipient = recipientSeed % 2 == 0 ? a : _contributors[(recipientSeed >> 1) % CONTRIBUTORS];
        uint256 before = open.balanceOf(recipient);

        (bool ok, uint256 paid, bytes memory ret) = _claim(a, recipient);
        if (amount == 0) {
            calls["claimRefund.nothing"]++;
            if (ok) return _violate("claimRefund: paid with nothing credited");
            return
                _expectError(
                    ret,
                    abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNothingToClaim.selector, a),
                    "claimRefund: wrong error"
                );
        }
        if (!ok) return _violate("claimRefund: reverted with a refund credited");
        ghost_refundsClaimed += amount;
        if (paid != amount) _violate("claimRefund: returned != refundOf");
        if (open.balanceOf(recipient) != before + amount) _violate("claimRefund: paid != refundOf");
        if (datanets.refundOf(a) != 0) _violate("claimRefund: refund not cleared");
    }

    function _claimToLockedRecipient(address a, uint256 seed) internal {
        address recipient = (seed >> 3) % 2 == 0 ? address(datanets) : address(open);
        uint256 amount = datanets.refundOf(a);
        uint256 held = open.balanceOf(address(datanets));
        (bool ok, , bytes memory ret) = _claim(a, recipient);
        calls["claimRefund.lockedRecipient"]++;
        if (ok) return _violate("claimRefundTo: paid the registry or the OPEN token");
        _expectError(
            ret,
            abi.encodeWithSelector(IProtocolAdmin.ProtocolAdminInvalidRecipient.selector, recipient),
            "claimRefundTo: wrong error for a locked recipient"
        );
        if (datanets.refundOf(a) != amount || open.balanceOf(address(datanets)) != held) {
            _violate("claimRefundTo: a refused claim moved the refund");
        }
    }

    /// @dev `a` claims its refund, to itself (claimRefund) or to `recipient` (claimRefundTo).
    function _claim(address a, address recipient) internal returns (bool ok, uint256 paid, bytes memory reason) {
        vm.prank(a);
        if (recipient == a) {
            try datanets.claimRefund() returns (uint256 amount) {
                (ok, paid) = (true, amount);
            } catch (bytes memory r) {
                reason = r;
            }
        } else {
            try datanets.claimRefundTo(recipient) returns (uint256 amount) {
                (ok, paid) = (true, amount);
            } catch (bytes memory r) {
                reason = r;
            }
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Model actions
    // ----------------------------------------------------------------------------------------------

    function proposeModel(uint256 actorSeed, uint256 maskSeed, uint256 inputRate, uint256 outputRate) external {
        calls["proposeModel"]++;
        uint256 n = datanets.datanetCount();
        if (n == 0) return _skip();
        address a = _contributors[actorSeed % CONTRIBUTORS];
        uint256[] memory ids = _datanetList(maskSeed, n);
        (uint256 minRate, uint256 maxRate) = models.rateBounds();
        IModelRegistry.Rates memory rates = IModelRegistry.Rates({
            inputRate: uint128(bound(inputRate, minRate, maxRate)),
            outputRate: uint128(bound(outputRate, minRate, maxRate))
        });

        uint256 bond = models.proposalBond();
        uint256 maxBond = _maxBond(actorSeed >> 8, bond, ghost_previousProposalBond);
        bytes memory expected;
        if (ghost_modelsPaused) {
            expected = abi.encodeWithSelector(IProtocolAdmin.ProtocolAdminPaused.selector);
        } else if (bond > maxBond) {
            expected = abi.encodeWithSelector(IModelRegistry.ModelRegistryBondAboveMax.selector, bond, maxBond);
        }
        uint256 expectedId = models.modelCount() + 1;
        uint256 balanceBefore = open.balanceOf(a);
        vm.prank(a);
        try models.proposeModel("ipfs://model", ids, rates, maxBond) returns (uint256 id) {
            if (expected.length != 0) return _violate("proposeModel: succeeded where it must revert");
            if (id != expectedId) return _violate("proposeModel: id not sequential");
            ghost_modelState[id] = IModelRegistry.ModelState.Proposed;
            creatorOf[id] = a;
            modelBondOf[id] = bond;
            modelMaxBondOf[id] = maxBond;
            ghost_modelBondsPosted += bond;
            if (open.balanceOf(a) != balanceBefore - bond) _violate("proposeModel: bond not pulled");
            if (models.getModel(id).bond != bond) _violate("proposeModel: bond not stored");
        } catch (bytes memory reason) {
            if (expected.length == 0) return _violate("proposeModel: reverted on a valid proposal");
            calls["proposeModel.refused"]++;
            if (open.balanceOf(a) != balanceBefore) _violate("proposeModel: a refused proposal moved OPEN");
            _expectError(reason, expected, "proposeModel: wrong error");
        }
    }

    function setProposalBond(uint256 bondSeed) external {
        calls["setProposalBond"]++;
        uint256 bond = bondSeed % 8 == 0 ? 0 : bound(bondSeed >> 3, 1, MAX_PROPOSAL_BOND);
        uint256 previous = models.proposalBond();
        vm.prank(governance);
        try models.setProposalBond(bond) {
            ghost_previousProposalBond = previous;
        } catch {
            _violate("setProposalBond: reverted below the cap");
        }
    }

    function approveModel(uint256 modelSeed) external {
        calls["approveModel"]++;
        _lifecycle(APPROVE, modelSeed, 0);
    }

    function rejectModel(uint256 modelSeed) external {
        calls["rejectModel"]++;
        _lifecycle(REJECT, modelSeed, 0);
    }

    function registerArtifact(uint256 modelSeed, uint256 baseSeed) external {
        calls["registerArtifact"]++;
        _lifecycle(REGISTER, modelSeed, baseSeed);
    }

    function activateModel(uint256 modelSeed) external {
        calls["activateModel"]++;
        _lifecycle(ACTIVATE, modelSeed, 0);
    }

    function suspendModel(uint256 modelSeed) external {
        calls["suspendModel"]++;
        _lifecycle(SUSPEND, modelSeed, 0);
    }

    function resumeModel(uint256 modelSeed) external {
        calls["resumeModel"]++;
        _lifecycle(RESUME, modelSeed, 0);
    }

    function retireModel(uint256 modelSeed, bool byGovernance) external {
        calls["retireModel"]++;
        _lifecycle(RETIRE, modelSeed, byGovernance ? 1 : 0);
    }

    // ----------------------------------------------------------------------------------------------
    // Internal: datanets and contributions
    // ----------------------------------------------------------------------------------------------

    function _createDatanet(uint256 curatorIndex, uint256 bond, bool addOther) internal {
        address owner = _curators[curatorIndex];
        uint256 expectedId = datanets.datanetCount() + 1;
        vm.prank(owner);
        try datanets.createDatanet("ipfs://datanet", bond) returns (uint256 d) {
            if (d != expectedId) return _violate("createDatanet: id not sequential");
            ghost_datanetOwner[d] = owner;
            ghost_bond[d] = bond;
            IDatanetRegistry.Datanet memory dn = datanets.getDatanet(d);
            if (dn.owner != owner || !dn.open || dn.contributionBond != bond) _violate("createDatanet: stored");
            if (!addOther) return;
            address other = _curators[(curatorIndex + 1) % CURATORS];
            vm.prank(owner);
            try datanets.setCurator(d, other, true) {
                ghost_addedCurator[d][other] = true;
            } catch {
                _violate("setCurator: reverted for the owner");
            }
        } catch {
            _violate("createDatanet: reverted within bounds");
        }
    }

    function _recordContribution(uint256 id, uint256 d, address a, uint256 k) internal {
        ghost_status[id] = IDatanetRegistry.ContributionStatus.Pending;
        datanetOf[id] = d;
        contributorOf[id] = a;
        bondOf[id] = ghost_bond[d];
        hashIndexOf[id] = k;
        ghost_liveByHash[d][k] = id;
        ghost_bondsPosted += ghost_bond[d];
    }

    /// @dev Records the review of a pending contribution: its bond is settled exactly once.
    function _settle(uint256 id, bool accept) internal {
        ghost_settlements[id]++;
        uint256 d = datanetOf[id];
        if (accept) {
            ghost_status[id] = IDatanetRegistry.ContributionStatus.Accepted;
            ghost_refunded[id] = true;
            ghost_bondsCredited += bondOf[id];
            ghost_accepted[d]++;
        } else {
            ghost_status[id] = IDatanetRegistry.ContributionStatus.Rejected;
            ghost_slashed[id] = true;
            ghost_bondsSlashed += bondOf[id];
            ghost_liveByHash[d][hashIndexOf[id]] = 0;
        }
    }

    /// @dev Compares the stored contribution with the handler's model of it.
    function _checkContribution(uint256 id) internal {
        IDatanetRegistry.Contribution memory c = datanets.getContribution(id);
        if (c.status != ghost_status[id]) _violate("contribution: status != model");
        if (c.contributor != contributorOf[id] || c.datanetId != datanetOf[id]) _violate("contribution: owner");
        if (c.bond != bondOf[id]) _violate("contribution: bond != datanet bond at submission");
        if (c.contentHash != contentHash(hashIndexOf[id])) _violate("contribution: content hash");
        uint256 d = datanetOf[id];
        uint256 k = hashIndexOf[id];
        if (datanets.contributionByHash(d, contentHash(k)) != ghost_liveByHash[d][k]) {
            _violate("contributionByHash != live contribution");
        }
    }

    /// @dev Up to MAX_BATCH pending contributions of datanet `d`, with random decisions; one time in five the first
    /// id is repeated at the end (a duplicate, which must make the whole batch revert).
    function _batch(
        uint256 d,
        uint256 flags,
        uint256 sizeSeed
    ) internal view returns (uint256[] memory ids, bool[] memory accepts) {
        uint256 want = 1 + (sizeSeed % MAX_BATCH);
        bool duplicate = (sizeSeed >> 8) % 5 == 0;
        uint256[] memory found = new uint256[](want);
        uint256 k;
        uint256 n = datanets.contributionCount();
        for (uint256 id = 1; id <= n && k < want; ++id) {
            if (datanetOf[id] == d && ghost_status[id] == IDatanetRegistry.ContributionStatus.Pending) {
                found[k++] = id;
            }
        }
        if (k == 0) return (new uint256[](0), new bool[](0));
        uint256 len = duplicate ? k + 1 : k;
        ids = new uint256[](len);
        accepts = new bool[](len);
        for (uint256 i; i < len; ++i) {
            ids[i] = i < k ? found[i] : found[0];
            accepts[i] = (flags >> i) & 1 == 1;
        }
    }

    function _batchTotals(
        uint256[] memory ids,
        bool[] memory accepts
    ) internal view returns (uint256 slashed, uint256 accepted) {
        for (uint256 i; i < ids.length; ++i) {
            if (accepts[i]) ++accepted;
            else slashed += bondOf[ids[i]];
        }
    }

    function _reviewed(bool accept) internal pure returns (IDatanetRegistry.ContributionStatus) {
        return accept ? IDatanetRegistry.ContributionStatus.Accepted : IDatanetRegistry.ContributionStatus.Rejected;
    }

    function _refundsOf() internal view returns (uint256[CONTRIBUTORS] memory refunds) {
        for (uint256 j; j < CONTRIBUTORS; ++j) refunds[j] = datanets.refundOf(_contributors[j]);
    }

    function _contributorIndex(address a) internal view returns (uint256) {
        for (uint256 j; j < CONTRIBUTORS; ++j) {
            if (_contributors[j] == a) return j;
        }
        return type(uint256).max;
    }

    /// @dev A datanet id from the seed, or 0 when there is none.
    function _datanet(uint256 seed) internal view returns (uint256) {
        uint256 n = datanets.datanetCount();
        return n == 0 ? 0 : 1 + (seed % n);
    }

    /// @dev Three times in four the first contribution from the seed on with status `wanted`; otherwise (or when
    /// there is none) any contribution. 0 when there is no contribution at all.
    function _contributionWith(
        uint256 seed,
        IDatanetRegistry.ContributionStatus wanted
    ) internal view returns (uint256) {
        uint256 n = datanets.contributionCount();
        if (n == 0) return 0;
        uint256 start = seed >> 2;
        if (seed % 4 != 0) {
            for (uint256 k; k < n; ++k) {
                uint256 id = 1 + ((start + k) % n);
                if (ghost_status[id] == wanted) return id;
            }
        }
        return 1 + (start % n);
    }

    /// @dev Seven times in eight a curator (preferably one of datanet `d`), else a contributor, who never curates.
    function _reviewer(uint256 seed, uint256 d) internal view returns (address) {
        if (seed % 8 == 0) return _contributors[(seed >> 3) % CONTRIBUTORS];
        address first = _curators[(seed >> 3) % CURATORS];
        if ((seed >> 8) % 4 == 0 || _ghostCurator(d, first)) return first;
        return _curators[((seed >> 3) + 1) % CURATORS];
    }

    /// @dev Whether `account` curates `d` according to the handler's model; also checks the registry agrees.
    function _isCurator(uint256 d, address account) internal returns (bool yes) {
        yes = _ghostCurator(d, account);
        if (datanets.isCurator(d, account) != yes) _violate("isCurator != model");
    }

    function _ghostCurator(uint256 d, address account) internal view returns (bool) {
        return ghost_datanetOwner[d] == account || ghost_addedCurator[d][account];
    }

    /// @dev A bond within the registry's bounds, spread over magnitudes; the minimum one time in eight.
    function _bond(uint256 seed) internal view returns (uint256) {
        (uint256 minBond, uint256 maxBond) = datanets.bondBounds();
        if (seed % 8 == 0) return minBond;
        uint256 cap = 10 ** ((seed >> 3) % 23);
        return bound(seed >> 8, minBond, cap > minBond && cap < maxBond ? cap : maxBond);
    }

    /// @dev The maxBond a caller passes for a bond of `bond` whose value before the last change was `previous`: the bond
    /// itself (half the time), the stale previous bond (a quarter: refused when the bond went up), or the bond plus
    /// a margin (a quarter).
    function _maxBond(uint256 seed, uint256 bond, uint256 previous) internal pure returns (uint256) {
        uint256 pick = seed % 4;
        if (pick < 2) return bond;
        if (pick == 2) return previous;
        return bond + 1 + ((seed >> 2) % 100 ether);
    }

    function _statusError(uint256 id, IDatanetRegistry.ContributionStatus status) internal pure returns (bytes memory) {
        return
            abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnexpectedContributionStatus.selector, id, status);
    }

    // ----------------------------------------------------------------------------------------------
    // Internal: models
    // ----------------------------------------------------------------------------------------------

    /// @dev A strictly increasing list of existing datanets from the bits of `mask` (never empty).
    function _datanetList(uint256 mask, uint256 n) internal pure returns (uint256[] memory ids) {
        uint256 bits = mask & ((1 << n) - 1);
        if (bits == 0) bits = 1 << ((mask >> 8) % n);
        uint256 len;
        for (uint256 i; i < n; ++i) {
            if ((bits >> i) & 1 == 1) ++len;
        }
        ids = new uint256[](len);
        uint256 k;
        for (uint256 i; i < n; ++i) {
            if ((bits >> i) & 1 == 1) ids[k++] = i + 1;
        }
    }

    /// @dev The transition table of IModelRegistry.
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
        return (_hasWeights(from), IModelRegistry.ModelState.Retired);
    }

    /// @dev Written out rather than ModelLifecycle.hasWeights: the model of the table must not share the code it checks.
    function _hasWeights(IModelRegistry.ModelState s) internal pure returns (bool) {
        return
            s == IModelRegistry.ModelState.Trained ||
            s == IModelRegistry.ModelState.Active ||
            s == IModelRegistry.ModelState.Suspended;
    }

    /// @dev Three times in four the first model from the seed on for which `action` is allowed; otherwise (or
    /// when there is none) any model. 0 when there is no model.
    function _model(uint256 seed, uint256 action) internal view returns (uint256) {
        uint256 n = models.modelCount();
        if (n == 0) return 0;
        uint256 start = seed >> 2;
        if (seed % 4 != 0) {
            for (uint256 k; k < n; ++k) {
                uint256 id = 1 + ((start + k) % n);
                (bool allowed, ) = _next(action, ghost_modelState[id]);
                if (allowed) return id;
            }
        }
        return 1 + (start % n);
    }

    /// @dev The base model for registerArtifact: none half the time, a model with weights a quarter of the time,
    /// any id otherwise (possibly invalid: the model itself, one without weights, an unknown one).
    function _base(uint256 seed, uint256 modelId) internal view returns (uint256) {
        uint256 n = models.modelCount();
        uint256 mode = seed % 4;
        if (mode < 2) return 0;
        if (mode == 2) {
            for (uint256 k; k < n; ++k) {
                uint256 id = 1 + (((seed >> 2) + k) % n);
                if (id != modelId && _hasWeights(ghost_modelState[id])) return id;
            }
            return 0;
        }
        return 1 + ((seed >> 2) % (n + 1)); // n + 1 is unknown
    }

    /// @dev Calls `action` on model `id` as the account allowed to: governance, or the creator for
    /// registerArtifact, activateModel and (when `extra` is 0) retireModel.
    function _lifecycleCall(
        uint256 action,
        uint256 id,
        uint256 base,
        uint256 extra
    ) internal returns (bool ok, bytes memory reason) {
        bool byCreator = action == REGISTER || action == ACTIVATE || (action == RETIRE && extra == 0);
        vm.prank(byCreator ? creatorOf[id] : governance);
        if (action == APPROVE) {
            try models.approveModel(id) {
                ok = true;
            } catch (bytes memory r) {
                reason = r;
            }
        } else if (action == REJECT) {
            try models.rejectModel(id) {
                ok = true;
            } catch (bytes memory r) {
                reason = r;
            }
        } else if (action == REGISTER) {
            try models.registerArtifact(id, keccak256(abi.encode("weights", id)), "ipfs://weights", base) {
                ok = true;
            } catch (bytes memory r) {
                reason = r;
            }
        } else if (action == ACTIVATE) {
            try models.activateModel(id) {
                ok = true;
            } catch (bytes memory r) {
                reason = r;
            }
        } else if (action == SUSPEND) {
            try models.suspendModel(id) {
                ok = true;
            } catch (bytes memory r) {
                reason = r;
            }
        } else if (action == RESUME) {
            try models.resumeModel(id) {
                ok = true;
            } catch (bytes memory r) {
                reason = r;
            }
        } else {
            try models.retireModel(id) {
                ok = true;
            } catch (bytes memory r) {
                reason = r;
            }
        }
    }

    /// @dev Applies a lifecycle action and checks that it succeeded exactly when the transition table allows it
    /// (moving the bond once on approval or rejection) or reverted with the expected error.
    function _lifecycle(uint256 action, uint256 seed, uint256 extra) internal {
        uint256 id = _model(seed, action);
        if (id == 0) return _skip();
        (bytes memory expected, uint256 base) = _lifecycleExpectation(action, id, extra);
        uint256[2] memory before = [open.balanceOf(creatorOf[id]), open.balanceOf(treasury)];
        (bool ok, bytes memory ret) = _lifecycleCall(action, id, base, extra);

        if (expected.length != 0) {
            if (ok) return _violate("lifecycle: succeeded outside the transition table");
            calls["lifecycle.refused"]++;
            return _expectError(ret, expected, "lifecycle: wrong error");
        }
        if (!ok) return _violate("lifecycle: reverted on an allowed transition");
        _afterTransition(action, id, base, before);
    }

    /// @dev The error `action` on model `id` must revert with (empty when allowed), and the base for
    /// registerArtifact. registerArtifact checks (and moves) the state first, then the base: a model named as its
    /// own base therefore reads Trained in the error.
    function _lifecycleExpectation(
        uint256 action,
        uint256 id,
        uint256 extra
    ) internal view returns (bytes memory expected, uint256 base) {
        IModelRegistry.ModelState from = ghost_modelState[id];
        (bool allowed, ) = _next(action, from);
        if (action == REGISTER) base = _base(extra, id);
        if (!allowed) {
            return (abi.encodeWithSelector(IModelRegistry.ModelRegistryUnexpectedState.selector, id, from), base);
        }
        if (base == 0) return ("", base);
        IModelRegistry.ModelState baseState = ghost_modelState[base];
        if (base == id || !_hasWeights(baseState)) {
            expected = abi.encodeWithSelector(IModelRegistry.ModelRegistryInvalidBaseModel.selector, base, baseState);
        }
    }

    /// @dev Records an allowed transition and checks the state and the bond flows (`before`: creator and treasury
    /// balances before the call).
    function _afterTransition(uint256 action, uint256 id, uint256 base, uint256[2] memory before) internal {
        (, IModelRegistry.ModelState to) = _next(action, ghost_modelState[id]);
        ghost_modelState[id] = to;
        IModelRegistry.Model memory m = models.getModel(id);
        if (m.state != to) _violate("lifecycle: state != table");
        if (action == REGISTER && m.baseModelId != base) _violate("registerArtifact: base not stored");

        uint256 bond = modelBondOf[id];
        uint256 returned = action == APPROVE ? bond : 0;
        uint256 slashed = action == REJECT ? bond : 0;
        if (action == APPROVE || action == REJECT) ghost_modelSettlements[id]++;
        ghost_modelBondsReturned += returned;
        ghost_modelBondsSlashed += slashed;
        if (open.balanceOf(creatorOf[id]) != before[0] + returned) _violate("lifecycle: creator paid");
        if (open.balanceOf(treasury) != before[1] + slashed) _violate("lifecycle: treasury paid");
    }

    // ----------------------------------------------------------------------------------------------
    // Internal: bookkeeping
    // ----------------------------------------------------------------------------------------------

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
