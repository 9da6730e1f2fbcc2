// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IDatanetRegistry} from "../../../../contracts/interfaces/IDatanetRegistry.sol";
import {IModelRegistry} from "../../../../contracts/interfaces/IModelRegistry.sol";
import {AttributionRecord, AttributionRules} from "../../../../contracts/libraries/AttributionRules.sol";

import {Deployers} from "../../utils/Deployers.sol";
import {RegistryHandler} from "./RegistryHandler.sol";

/// @notice Invariants of DatanetRegistry and ModelRegistry under random sequences of datanet creation, bond
/// changes, closing, pausing, contributions, single and batch reviews, penalties, versions, refund claims,
/// proposals (with maxBond caps that are now stale), proposal-bond changes, pauses of both registries and every
/// lifecycle transition (see RegistryHandler). Both registries share one treasury, so the treasury's balance must be
/// exactly the rejected bonds of both.
contract RegistryInvariantTest is Deployers {
    RegistryHandler internal handler;

    function setUp() public {
        _deployToken();
        _deployRegistries();

        handler = new RegistryHandler(open, datanets, models, governance, treasury, guardian);
        open.transfer(address(handler), open.balanceOf(address(this)));
        handler.bootstrap();

        // A selector listed k times is chosen k times as often: contributions, reviews and proposals are
        // weighted so that a 64-call sequence builds up enough contributions and models for the other actions.
        bytes4[] memory selectors = new bytes4[](27);
        selectors[0] = RegistryHandler.createDatanet.selector;
        selectors[1] = RegistryHandler.setDatanetOpen.selector;
        selectors[2] = RegistryHandler.setContributionBond.selector;
        selectors[3] = RegistryHandler.togglePause.selector;
        selectors[4] = RegistryHandler.contribute.selector;
        selectors[5] = RegistryHandler.contribute.selector;
        selectors[6] = RegistryHandler.contribute.selector;
        selectors[7] = RegistryHandler.contribute.selector;
        selectors[8] = RegistryHandler.review.selector;
        selectors[9] = RegistryHandler.review.selector;
        selectors[10] = RegistryHandler.reviewBatch.selector;
        selectors[11] = RegistryHandler.reviewBatch.selector;
        selectors[12] = RegistryHandler.penalize.selector;
        selectors[13] = RegistryHandler.publishVersion.selector;
        selectors[14] = RegistryHandler.claimRefund.selector;
        selectors[15] = RegistryHandler.proposeModel.selector;
        selectors[16] = RegistryHandler.proposeModel.selector;
        selectors[17] = RegistryHandler.setProposalBond.selector;
        selectors[18] = RegistryHandler.approveModel.selector;
        selectors[19] = RegistryHandler.rejectModel.selector;
        selectors[20] = RegistryHandler.registerArtifact.selector;
        selectors[21] = RegistryHandler.activateModel.selector;
        selectors[22] = RegistryHandler.suspendModel.selector;
        selectors[23] = RegistryHandler.resumeModel.selector;
        selectors[24] = RegistryHandler.retireModel.selector;
        selectors[25] = RegistryHandler.approveModel.selector;
        selectors[26] = RegistryHandler.toggleModelPause.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    // ----------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------

    function _refunds() internal view returns (uint256 sum) {
        for (uint256 i; i < handler.contributorCount(); ++i) sum += datanets.refundOf(handler.contributor(i));
    }

    /// Σ bond of Pending contributions, and of Rejected ones.
    function _contributionBonds() internal view returns (uint256 pending, uint256 rejected) {
        uint256 n = datanets.contributionCount();
        for (uint256 id = 1; id <= n; ++id) {
            IDatanetRegistry.Contribution memory c = datanets.getContribution(id);
            if (c.status == IDatanetRegistry.ContributionStatus.Pending) pending += c.bond;
            if (c.status == IDatanetRegistry.ContributionStatus.Rejected) rejected += c.bond;
        }
    }

    /// Σ bond of Proposed models, and of Rejected ones.
    function _modelBonds() internal view returns (uint256 proposed, uint256 rejected) {
        uint256 n = models.modelCount();
        for (uint256 id = 1; id <= n; ++id) {
            IModelRegistry.Model memory m = models.getModel(id);
            if (m.state == IModelRegistry.ModelState.Proposed) proposed += m.bond;
            if (m.state == IModelRegistry.ModelState.Rejected) rejected += m.bond;
        }
    }

    function _isAcceptedOrPenalized(IDatanetRegistry.ContributionStatus s) internal pure returns (bool) {
        return s == IDatanetRegistry.ContributionStatus.Accepted || s == IDatanetRegistry.ContributionStatus.Penalized;
    }

    // ----------------------------------------------------------------------------------------------
    // Invariants
    // ----------------------------------------------------------------------------------------------

    /// OPEN held by DatanetRegistry == Σ bond of Pending contributions + Σ refundOf(contributors).
    function invariant_registryOpenEqualsPendingBondsPlusRefunds() public view {
        (uint256 pending, ) = _contributionBonds();
        assertEq(open.balanceOf(address(datanets)), pending + _refunds(), "DatanetRegistry OPEN != pending + refunds");
    }

    /// OPEN held by ModelRegistry == Σ bond of Proposed models.
    function invariant_modelRegistryOpenEqualsProposedBonds() public view {
        (uint256 proposed, ) = _modelBonds();
        assertEq(open.balanceOf(address(models)), proposed, "ModelRegistry OPEN != proposed bonds");
    }

    /// Every bond is settled at most once, refunded or slashed but never both, as the status says; and
    /// posted == held + credited + slashed, credited == claimed + still claimable, for contributions and models.
    function invariant_noBondBothRefundedAndSlashed() public view {
        uint256 n = datanets.contributionCount();
        uint256 held;
        for (uint256 id = 1; id <= n; ++id) {
            IDatanetRegistry.ContributionStatus s = datanets.getContribution(id).status;
            bool refunded = handler.ghost_refunded(id);
            bool slashed = handler.ghost_slashed(id);
            assertLe(handler.ghost_settlements(id), 1, "contribution bond settled twice");
            assertFalse(refunded && slashed, "contribution bond both refunded and slashed");
            assertEq(s == IDatanetRegistry.ContributionStatus.Pending, !refunded && !slashed, "pending <=> unsettled");
            assertEq(_isAcceptedOrPenalized(s), refunded, "accepted or penalized <=> refunded");
            assertEq(s == IDatanetRegistry.ContributionStatus.Rejected, slashed, "rejected <=> slashed");
            if (s == IDatanetRegistry.ContributionStatus.Pending) held += handler.bondOf(id);
        }
        assertEq(
            handler.ghost_bondsPosted(),
            held + handler.ghost_bondsCredited() + handler.ghost_bondsSlashed(),
            "contribution bonds: posted != held + refunded + slashed"
        );
        assertEq(
            handler.ghost_bondsCredited(),
            handler.ghost_refundsClaimed() + _refunds(),
            "refunds: credited != claimed + claimable"
        );

        uint256 m = models.modelCount();
        uint256 proposed;
        for (uint256 id = 1; id <= m; ++id) {
            IModelRegistry.ModelState s = models.getModel(id).state;
            assertEq(uint256(s), uint256(handler.ghost_modelState(id)), "model state != transition table");
            assertLe(handler.ghost_modelSettlements(id), 1, "model bond settled twice");
            assertEq(s == IModelRegistry.ModelState.Proposed, handler.ghost_modelSettlements(id) == 0);
            if (s == IModelRegistry.ModelState.Proposed) proposed += handler.modelBondOf(id);
        }
        assertEq(
            handler.ghost_modelBondsPosted(),
            proposed + handler.ghost_modelBondsReturned() + handler.ghost_modelBondsSlashed(),
            "model bonds: posted != held + returned + slashed"
        );
    }

    /// For each datanet and content hash of the pool: at most one contribution Accepted or Penalized, at most one
    /// Pending or Accepted, at most one live (Pending, Accepted or Penalized), and contributionByHash names it.
    function invariant_contentHashNeverAcceptedTwice() public view {
        uint256 hashes = handler.hashCount();
        uint256 buckets = handler.maxDatanets() * hashes;
        uint256[] memory acceptedOrPenalized = new uint256[](buckets);
        uint256[] memory pendingOrAccepted = new uint256[](buckets);
        uint256[] memory liveId = new uint256[](buckets);

        uint256 n = datanets.contributionCount();
        for (uint256 id = 1; id <= n; ++id) {
            IDatanetRegistry.Contribution memory c = datanets.getContribution(id);
            uint256 k = handler.hashIndexOf(id);
            assertEq(c.contentHash, handler.contentHash(k), "content hash != pool");
            uint256 b = (uint256(c.datanetId) - 1) * hashes + k;
            bool pending = c.status == IDatanetRegistry.ContributionStatus.Pending;
            bool accepted = c.status == IDatanetRegistry.ContributionStatus.Accepted;
            if (_isAcceptedOrPenalized(c.status)) acceptedOrPenalized[b]++;
            if (pending || accepted) pendingOrAccepted[b]++;
            if (c.status != IDatanetRegistry.ContributionStatus.Rejected) {
                assertEq(liveId[b], 0, "two live contributions with one content hash");
                liveId[b] = id;
            }
        }
        for (uint256 b; b < buckets; ++b) {
            assertLe(acceptedOrPenalized[b], 1, "content hash accepted twice");
            assertLe(pendingOrAccepted[b], 1, "content hash pending or accepted twice");
            uint256 d = b / hashes + 1;
            if (d > datanets.datanetCount()) continue;
            assertEq(
                datanets.contributionByHash(d, handler.contentHash(b % hashes)),
                liveId[b],
                "contributionByHash != live contribution"
            );
        }
    }

    /// The treasury received exactly the rejected contribution bonds plus the rejected model bonds.
    function invariant_treasuryReceivedExactlySlashed() public view {
        assertEq(
            open.balanceOf(treasury),
            handler.ghost_bondsSlashed() + handler.ghost_modelBondsSlashed(),
            "treasury != slashed (ghost)"
        );
        (, uint256 rejectedContributions) = _contributionBonds();
        (, uint256 rejectedModels) = _modelBonds();
        assertEq(open.balanceOf(treasury), rejectedContributions + rejectedModels, "treasury != rejected bonds");
    }

    /// Each datanet's acceptedCount == its contributions ever accepted (penalized included), and its
    /// contributionCount == its contributions.
    function invariant_acceptedCountMatches() public view {
        uint256 datanetCount = datanets.datanetCount();
        uint256[] memory accepted = new uint256[](datanetCount + 1);
        uint256[] memory submitted = new uint256[](datanetCount + 1);
        uint256 n = datanets.contributionCount();
        for (uint256 id = 1; id <= n; ++id) {
            IDatanetRegistry.Contribution memory c = datanets.getContribution(id);
            submitted[c.datanetId]++;
            if (_isAcceptedOrPenalized(c.status)) accepted[c.datanetId]++;
        }
        for (uint256 d = 1; d <= datanetCount; ++d) {
            IDatanetRegistry.Datanet memory dn = datanets.getDatanet(d);
            assertEq(dn.acceptedCount, handler.ghost_accepted(d), "acceptedCount != accepted (ghost)");
            assertEq(dn.acceptedCount, accepted[d], "acceptedCount != accepted or penalized contributions");
            assertEq(dn.contributionCount, submitted[d], "contributionCount != contributions");
            assertEq(dn.versionCount, handler.ghost_versions(d), "versionCount != versions published");
        }
    }

    /// OPEN is conserved among the contributors, the treasury, the two registries and the handler's reserve.
    function invariant_openConserved() public view {
        uint256 sum =
            open.balanceOf(address(datanets)) +
                open.balanceOf(address(models)) +
                open.balanceOf(treasury) +
                open.balanceOf(address(handler));
        for (uint256 i; i < handler.contributorCount(); ++i) sum += open.balanceOf(handler.contributor(i));
        assertEq(sum, open.totalSupply(), "OPEN leaked");
    }

    /// No bond was ever pulled above the cap its payer passed, whatever the datanet owner or governance changed in
    /// between (item 6 of issue 10).
    function invariant_noBondAboveThePayersCap() public view {
        uint256 n = datanets.contributionCount();
        for (uint256 id = 1; id <= n; ++id) {
            assertLe(datanets.getContribution(id).bond, handler.maxBondOf(id), "contribution bond above its maxBond");
        }
        uint256 m = models.modelCount();
        for (uint256 id = 1; id <= m; ++id) {
            assertLe(models.getModel(id).bond, handler.modelMaxBondOf(id), "proposal bond above its maxBond");
        }
    }

    /// What a report may do with each contribution follows its status and datanet: Eligible exactly when Accepted
    /// and Forfeited exactly when Penalized (with its contributor), for a model on its datanet; Invalid (zero) for
    /// any other status, and for a model on the other datanets.
    function invariant_attributionRecordsFollowStatus() public view {
        uint256 n = datanets.contributionCount();
        uint256 datanetCount = datanets.datanetCount();
        uint256[] memory ids = new uint256[](n);
        for (uint256 id = 1; id <= n; ++id) ids[id - 1] = id;
        for (uint256 d = 1; d <= datanetCount; ++d) {
            uint256[] memory own = new uint256[](1);
            own[0] = d;
            uint256[] memory others = new uint256[](datanetCount - 1);
            uint256 k;
            for (uint256 o = 1; o <= datanetCount; ++o) if (o != d) others[k++] = o;
            AttributionRecord[] memory onOwn = datanets.attributionRecords(ids, own);
            AttributionRecord[] memory onOthers = datanets.attributionRecords(ids, others);
            for (uint256 id = 1; id <= n; ++id) {
                if (handler.datanetOf(id) != d) continue;
                IDatanetRegistry.ContributionStatus s = datanets.getContribution(id).status;
                uint256 expected;
                if (s == IDatanetRegistry.ContributionStatus.Accepted) {
                    expected = _record(handler.contributorOf(id), AttributionRules.Eligibility.Eligible);
                } else if (s == IDatanetRegistry.ContributionStatus.Penalized) {
                    expected = _record(handler.contributorOf(id), AttributionRules.Eligibility.Forfeited);
                }
                assertEq(AttributionRecord.unwrap(onOwn[id - 1]), expected, "record on its own datanet");
                assertEq(AttributionRecord.unwrap(onOthers[id - 1]), 0, "record on the other datanets");
                assertEq(datanets.isEligible(id, own), s == IDatanetRegistry.ContributionStatus.Accepted, "isEligible");
            }
        }
    }

    function _record(address account, AttributionRules.Eligibility e) internal pure returns (uint256) {
        return AttributionRecord.unwrap(AttributionRules.record(account, e));
    }

    /// The per-action checks in the handler (expected successes and errors, amounts moved, stored state) held.
    function invariant_handlerChecksHold() public view {
        assertEq(handler.ghost_violation(), "", "handler check failed");
    }
}
