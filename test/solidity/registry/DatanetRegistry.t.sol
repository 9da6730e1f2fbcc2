// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

import {IDatanetRegistry} from "../../../contracts/interfaces/IDatanetRegistry.sol";
import {IGovernanceOwned, IProtocolAdmin} from "../../../contracts/interfaces/IProtocolAdmin.sol";
import {AttributionRecord, AttributionRules} from "../../../contracts/libraries/AttributionRules.sol";
import {DatanetRegistry} from "../../../contracts/registry/DatanetRegistry.sol";

import {Deployers} from "../utils/Deployers.sol";

/// @notice Unit and fuzz tests of DatanetRegistry: datanets and curators, bond bounds, contributions and their
/// bonds (refunded on acceptance, slashed to the treasury on rejection), content-hash redundancy, penalties,
/// versions with Merkle inclusion, refunds, pausing and governance parameters.
/// @dev Deploys through Deployers, then narrows the bond bounds to [MIN_DATANET_BOND, MAX_BOND] so that the lower bound
/// is exercised. Contributors hold a standing unlimited approval of the registry, and `_contribute` caps nothing
/// (maxBond = ANY_BOND): the maxBond tests pass their own cap.
contract DatanetRegistryTest is Deployers {
    uint256 internal constant MIN_DATANET_BOND = 1 ether;
    /// A maxBond that accepts whatever the datanet asks.
    uint256 internal constant ANY_BOND = type(uint256).max;
    uint256 internal constant BOND = 10 ether;
    uint256 internal constant USER_FUNDS = 10_000_000 ether;
    uint256 internal constant CAP = 1_000_000 ether;

    bytes32 internal constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );

    address internal owner = makeAddr("datanetOwner");
    address internal curator = makeAddr("curator");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");
    address internal stranger = makeAddr("stranger");

    function setUp() public {
        _deployToken();
        _deployRegistries();
        vm.prank(governance);
        datanets.setBondBounds(MIN_DATANET_BOND, MAX_BOND);

        address[3] memory funded = [alice, bob, carol];
        for (uint256 i; i < funded.length; ++i) _fund(funded[i], USER_FUNDS, address(datanets));
    }

    // ----------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------

    function _create(address by, uint256 bond) internal returns (uint256 datanetId) {
        vm.prank(by);
        datanetId = datanets.createDatanet("ipfs://datanet", bond);
    }

    function _contribute(address by, uint256 datanetId, bytes32 contentHash) internal returns (uint256 id) {
        vm.prank(by);
        id = datanets.contribute(datanetId, contentHash, "ipfs://content", 1024, ANY_BOND);
    }

    function _review(address by, uint256 contributionId, bool accept) internal {
        vm.prank(by);
        datanets.review(contributionId, accept);
    }

    function _hash(uint256 i) internal pure returns (bytes32) {
        return keccak256(abi.encode("content", i));
    }

    function _contributor(uint256 i) internal view returns (address) {
        return i % 3 == 0 ? alice : (i % 3 == 1 ? bob : carol);
    }

    function _status(uint256 contributionId) internal view returns (IDatanetRegistry.ContributionStatus) {
        return datanets.getContribution(contributionId).status;
    }

    function _refunds() internal view returns (uint256) {
        return datanets.refundOf(alice) + datanets.refundOf(bob) + datanets.refundOf(carol);
    }

    /// @dev OpenZeppelin standard Merkle tree leaf for a contribution id (leaf encoding ["uint256"]).
    function _leaf(uint256 contributionId) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(contributionId))));
    }

    function _hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }

    function _signPermit(
        uint256 key,
        address signer,
        uint256 value,
        uint256 deadline
    ) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        bytes32 structHash = keccak256(
            abi.encode(PERMIT_TYPEHASH, signer, address(datanets), value, open.nonces(signer), deadline)
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", open.DOMAIN_SEPARATOR(), structHash));
        (v, r, s) = vm.sign(key, digest);
    }

    function _statusError(
        uint256 contributionId,
        IDatanetRegistry.ContributionStatus status
    ) internal pure returns (bytes memory) {
        return
            abi.encodeWithSelector(
                IDatanetRegistry.DatanetRegistryUnexpectedContributionStatus.selector,
                contributionId,
                status
            );
    }

    function _redundantError(
        uint256 datanetId,
        bytes32 contentHash,
        uint256 existing
    ) internal pure returns (bytes memory) {
        return
            abi.encodeWithSelector(
                IDatanetRegistry.DatanetRegistryRedundantContribution.selector,
                datanetId,
                contentHash,
                existing
            );
    }

    // ----------------------------------------------------------------------------------------------
    // Constructor
    // ----------------------------------------------------------------------------------------------

    function test_constructor_setsParameters() public view {
        assertEq(datanets.openToken(), address(open));
        assertEq(datanets.owner(), governance);
        assertEq(datanets.treasury(), treasury);
        assertEq(datanets.guardian(), guardian);
        (uint256 minBond, uint256 maxBond) = datanets.bondBounds();
        assertEq(minBond, MIN_DATANET_BOND);
        assertEq(maxBond, MAX_BOND);
        assertEq(datanets.MAX_CONTRIBUTION_BOND(), CAP);
        assertEq(datanets.datanetCount(), 0);
        assertEq(datanets.contributionCount(), 0);
        assertFalse(datanets.paused());
    }

    function _adminWith(
        address governance_,
        address treasury_,
        address guardian_
    ) internal pure returns (IProtocolAdmin.AdminConfig memory) {
        return IProtocolAdmin.AdminConfig({governance: governance_, treasury: treasury_, guardian: guardian_});
    }

    function test_constructor_revertsOnZeroOpen() public {
        vm.expectRevert(IDatanetRegistry.DatanetRegistryZeroAddress.selector);
        new DatanetRegistry(IERC20(address(0)), _admin(), MIN_DATANET_BOND, MAX_BOND);
    }

    function test_constructor_revertsOnZeroTreasury() public {
        vm.expectRevert(IProtocolAdmin.ProtocolAdminZeroAddress.selector);
        new DatanetRegistry(IERC20(address(open)), _adminWith(governance, address(0), guardian), 0, MAX_BOND);
    }

    function test_constructor_revertsOnZeroGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new DatanetRegistry(IERC20(address(open)), _adminWith(address(0), treasury, guardian), 0, MAX_BOND);
    }

    function test_constructor_acceptsZeroGuardian() public {
        DatanetRegistry r = new DatanetRegistry(
            IERC20(address(open)),
            _adminWith(governance, treasury, address(0)),
            0,
            0
        );
        assertEq(r.guardian(), address(0));
        assertEq(r.owner(), governance);
        assertEq(r.treasury(), treasury);
    }

    function test_fuzz_constructor_revertsOnInvalidBondBounds(uint256 minBond, uint256 maxBond) public {
        minBond = bound(minBond, 0, 2 * CAP);
        maxBond = bound(maxBond, 0, 2 * CAP);
        vm.assume(minBond > maxBond || maxBond > CAP);
        vm.expectRevert(
            abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryInvalidBondBounds.selector, minBond, maxBond, CAP)
        );
        new DatanetRegistry(IERC20(address(open)), _admin(), minBond, maxBond);
    }

    // ----------------------------------------------------------------------------------------------
    // Datanets
    // ----------------------------------------------------------------------------------------------

    function test_createDatanet_storesDatanetAndMakesCreatorCurator() public {
        vm.expectEmit(address(datanets));
        emit IDatanetRegistry.DatanetCreated(1, owner, BOND, "ipfs://datanet");
        uint256 d = _create(owner, BOND);

        assertEq(d, 1);
        assertEq(datanets.datanetCount(), 1);
        assertTrue(datanets.datanetExists(1));
        assertFalse(datanets.datanetExists(2));
        assertTrue(datanets.isCurator(d, owner));
        assertFalse(datanets.isCurator(d, stranger));

        IDatanetRegistry.Datanet memory dn = datanets.getDatanet(d);
        assertEq(dn.owner, owner);
        assertTrue(dn.open);
        assertEq(dn.createdAt, block.timestamp);
        assertEq(dn.contributionBond, BOND);
        assertEq(dn.contributionCount, 0);
        assertEq(dn.acceptedCount, 0);
        assertEq(dn.versionCount, 0);
        assertEq(dn.metadataURI, "ipfs://datanet");
    }

    function test_createDatanet_numbersIdsFromOne() public {
        assertEq(_create(owner, BOND), 1);
        assertEq(_create(alice, MIN_DATANET_BOND), 2);
        assertEq(_create(owner, MAX_BOND), 3);
        assertEq(datanets.datanetCount(), 3);
        assertEq(datanets.getDatanet(2).owner, alice);
    }

    function test_fuzz_createDatanet_acceptsOnlyBondsWithinBounds(uint256 bond) public {
        // Most of the time near the bounds, where the off-by-ones are.
        if (bond % 4 != 0) bond = bound(bond, 0, MAX_BOND + MIN_DATANET_BOND);
        bool valid = bond >= MIN_DATANET_BOND && bond <= MAX_BOND;
        if (!valid) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IDatanetRegistry.DatanetRegistryBondOutOfBounds.selector,
                    bond,
                    MIN_DATANET_BOND,
                    MAX_BOND
                )
            );
        }
        vm.prank(owner);
        uint256 d = datanets.createDatanet("ipfs://datanet", bond);
        if (valid) {
            assertEq(datanets.getDatanet(d).contributionBond, bond);
        } else {
            assertEq(datanets.datanetCount(), 0);
        }
    }

    function test_getDatanet_revertsOnUnknownId() public {
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownDatanet.selector, 1));
        datanets.getDatanet(1);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownDatanet.selector, 0));
        datanets.getDatanet(0);
    }

    function test_setCurator_addsAndRemovesCurator() public {
        uint256 d = _create(owner, BOND);
        vm.expectEmit(address(datanets));
        emit IDatanetRegistry.CuratorUpdated(d, curator, true);
        vm.prank(owner);
        datanets.setCurator(d, curator, true);
        assertTrue(datanets.isCurator(d, curator));

        uint256 id = _contribute(alice, d, _hash(1));
        _review(curator, id, true);

        vm.prank(owner);
        datanets.setCurator(d, curator, false);
        assertFalse(datanets.isCurator(d, curator));

        uint256 id2 = _contribute(alice, d, _hash(2));
        vm.prank(curator);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotCurator.selector, d, curator));
        datanets.review(id2, true);
    }

    function test_setCurator_curatorsArePerDatanet() public {
        uint256 d1 = _create(owner, BOND);
        uint256 d2 = _create(owner, BOND);
        vm.prank(owner);
        datanets.setCurator(d1, curator, true);
        assertTrue(datanets.isCurator(d1, curator));
        assertFalse(datanets.isCurator(d2, curator));
    }

    function test_setCurator_revertsForNonOwner() public {
        uint256 d = _create(owner, BOND);
        vm.prank(owner);
        datanets.setCurator(d, curator, true);
        // Curators cannot manage curators; only the owner can.
        vm.prank(curator);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotDatanetOwner.selector, d, curator));
        datanets.setCurator(d, stranger, true);
    }

    function test_setCurator_revertsOnZeroAddress() public {
        uint256 d = _create(owner, BOND);
        vm.prank(owner);
        vm.expectRevert(IDatanetRegistry.DatanetRegistryZeroAddress.selector);
        datanets.setCurator(d, address(0), true);
    }

    function test_setCurator_revertsOnOwner() public {
        uint256 d = _create(owner, BOND);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryOwnerIsCurator.selector, d));
        datanets.setCurator(d, owner, false);
        // Naming the owner reverts either way.
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryOwnerIsCurator.selector, d));
        datanets.setCurator(d, owner, true);
        assertTrue(datanets.isCurator(d, owner));
    }

    function test_setCurator_revertsOnUnknownDatanet() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownDatanet.selector, 7));
        datanets.setCurator(7, curator, true);
    }

    function test_setDatanetOpen_closesAndReopens() public {
        uint256 d = _create(owner, BOND);
        uint256 pending = _contribute(alice, d, _hash(1));

        vm.expectEmit(address(datanets));
        emit IDatanetRegistry.DatanetOpenChanged(d, false);
        vm.prank(owner);
        datanets.setDatanetOpen(d, false);
        assertFalse(datanets.getDatanet(d).open);

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryDatanetClosed.selector, d));
        datanets.contribute(d, _hash(2), "ipfs://content", 1, ANY_BOND);

        // Pending contributions can still be reviewed while closed.
        _review(owner, pending, true);
        assertEq(uint256(_status(pending)), uint256(IDatanetRegistry.ContributionStatus.Accepted));

        vm.prank(owner);
        datanets.setDatanetOpen(d, true);
        _contribute(alice, d, _hash(2));
    }

    function test_setDatanetOpen_revertsForNonOwner() public {
        uint256 d = _create(owner, BOND);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotDatanetOwner.selector, d, stranger));
        datanets.setDatanetOpen(d, false);
    }

    function test_setContributionBond_appliesToLaterContributionsOnly() public {
        uint256 d = _create(owner, BOND);
        uint256 first = _contribute(alice, d, _hash(1));

        vm.expectEmit(address(datanets));
        emit IDatanetRegistry.ContributionBondUpdated(d, BOND, 3 * BOND);
        vm.prank(owner);
        datanets.setContributionBond(d, 3 * BOND);
        uint256 second = _contribute(alice, d, _hash(2));

        assertEq(datanets.getContribution(first).bond, BOND);
        assertEq(datanets.getContribution(second).bond, 3 * BOND);
        assertEq(open.balanceOf(address(datanets)), 4 * BOND);

        // The pending one is settled with its own bond.
        _review(owner, first, false);
        assertEq(open.balanceOf(treasury), BOND);
        _review(owner, second, true);
        assertEq(datanets.refundOf(alice), 3 * BOND);
    }

    function test_setContributionBond_revertsForNonOwner() public {
        uint256 d = _create(owner, BOND);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotDatanetOwner.selector, d, stranger));
        datanets.setContributionBond(d, BOND);
    }

    function test_fuzz_setContributionBond_acceptsOnlyBondsWithinBounds(uint256 bond) public {
        uint256 d = _create(owner, BOND);
        if (bond % 4 != 0) bond = bound(bond, 0, MAX_BOND + MIN_DATANET_BOND);
        bool valid = bond >= MIN_DATANET_BOND && bond <= MAX_BOND;
        if (!valid) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IDatanetRegistry.DatanetRegistryBondOutOfBounds.selector,
                    bond,
                    MIN_DATANET_BOND,
                    MAX_BOND
                )
            );
        }
        vm.prank(owner);
        datanets.setContributionBond(d, bond);
        assertEq(datanets.getDatanet(d).contributionBond, valid ? bond : BOND);
    }

    // ----------------------------------------------------------------------------------------------
    // Bond bounds (governance)
    // ----------------------------------------------------------------------------------------------

    function test_fuzz_setBondBounds_acceptsOnlyMinLeMaxLeCap(uint256 minBond, uint256 maxBond) public {
        minBond = bound(minBond, 0, CAP + 1);
        maxBond = bound(maxBond, 0, CAP + 1);
        bool valid = minBond <= maxBond && maxBond <= CAP;
        uint256 d = _create(owner, BOND);

        if (!valid) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IDatanetRegistry.DatanetRegistryInvalidBondBounds.selector,
                    minBond,
                    maxBond,
                    CAP
                )
            );
        } else {
            vm.expectEmit(address(datanets));
            emit IDatanetRegistry.BondBoundsUpdated(MIN_DATANET_BOND, MAX_BOND, minBond, maxBond);
        }
        vm.prank(governance);
        datanets.setBondBounds(minBond, maxBond);

        (uint256 newMin, uint256 newMax) = datanets.bondBounds();
        assertEq(newMin, valid ? minBond : MIN_DATANET_BOND);
        assertEq(newMax, valid ? maxBond : MAX_BOND);
        // Existing datanets keep their bond, even outside the new bounds.
        assertEq(datanets.getDatanet(d).contributionBond, BOND);
        if (!valid) return;

        // The new bounds are inclusive at both ends, and exclusive just outside them.
        _create(owner, newMin);
        _create(owner, newMax);
        if (newMin > 0) {
            vm.prank(owner);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IDatanetRegistry.DatanetRegistryBondOutOfBounds.selector,
                    newMin - 1,
                    newMin,
                    newMax
                )
            );
            datanets.createDatanet("ipfs://datanet", newMin - 1);
        }
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryBondOutOfBounds.selector, newMax + 1, newMin, newMax)
        );
        datanets.setContributionBond(d, newMax + 1);
    }

    function test_setBondBounds_revertsForNonGovernance() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        datanets.setBondBounds(0, 1 ether);
    }

    function test_setBondBounds_zeroBondPullsNothing() public {
        vm.prank(governance);
        datanets.setBondBounds(0, MAX_BOND);
        uint256 d = _create(owner, 0);
        uint256 id = _contribute(alice, d, _hash(1));
        assertEq(datanets.getContribution(id).bond, 0);
        assertEq(open.balanceOf(alice), USER_FUNDS);

        // Rejecting or accepting a free contribution moves nothing.
        vm.recordLogs();
        _review(owner, id, false);
        assertEq(vm.getRecordedLogs().length, 1, "only ContributionReviewed, no BondsSlashed");
        assertEq(open.balanceOf(treasury), 0);
        uint256 id2 = _contribute(alice, d, _hash(2));
        _review(owner, id2, true);
        assertEq(datanets.refundOf(alice), 0);
    }

    // ----------------------------------------------------------------------------------------------
    // Contributions
    // ----------------------------------------------------------------------------------------------

    function test_contribute_pullsBondAndStoresContribution() public {
        uint256 d = _create(owner, BOND);
        bytes32 h = _hash(1);

        vm.expectEmit(address(datanets));
        emit IDatanetRegistry.ContributionSubmitted(1, d, alice, h, "ipfs://content", 1024, BOND);
        uint256 id = _contribute(alice, d, h);

        assertEq(id, 1);
        assertEq(datanets.contributionCount(), 1);
        assertEq(datanets.getDatanet(d).contributionCount, 1);
        assertEq(datanets.contributionByHash(d, h), id);
        assertEq(open.balanceOf(address(datanets)), BOND);
        assertEq(open.balanceOf(alice), USER_FUNDS - BOND);

        IDatanetRegistry.Contribution memory c = datanets.getContribution(id);
        assertEq(c.contributor, alice);
        assertEq(c.bond, BOND);
        assertEq(c.datanetId, d);
        assertEq(uint256(c.status), uint256(IDatanetRegistry.ContributionStatus.Pending));
        assertEq(c.submittedAt, block.timestamp);
        assertEq(c.size, 1024);
        assertEq(c.contentHash, h);
    }

    function test_contribute_idsAreUniqueAcrossDatanets() public {
        uint256 d1 = _create(owner, BOND);
        uint256 d2 = _create(owner, BOND);
        assertEq(_contribute(alice, d1, _hash(1)), 1);
        assertEq(_contribute(alice, d2, _hash(1)), 2);
        assertEq(_contribute(bob, d1, _hash(2)), 3);
        assertEq(datanets.getDatanet(d1).contributionCount, 2);
        assertEq(datanets.getDatanet(d2).contributionCount, 1);
    }

    function test_contribute_revertsOnUnknownDatanet() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownDatanet.selector, 1));
        datanets.contribute(1, _hash(1), "ipfs://content", 1, ANY_BOND);
    }

    function test_contribute_revertsOnZeroHash() public {
        uint256 d = _create(owner, BOND);
        vm.prank(alice);
        vm.expectRevert(IDatanetRegistry.DatanetRegistryZeroContentHash.selector);
        datanets.contribute(d, bytes32(0), "ipfs://content", 1, ANY_BOND);
    }

    function test_contribute_revertsWithoutAllowance() public {
        uint256 d = _create(owner, BOND);
        open.transfer(stranger, BOND);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(datanets), 0, BOND)
        );
        datanets.contribute(d, _hash(1), "ipfs://content", 1, ANY_BOND);
    }

    function test_contribute_revertsWhenPaused() public {
        uint256 d = _create(owner, BOND);
        vm.prank(guardian);
        datanets.pause();
        vm.prank(alice);
        vm.expectRevert(IProtocolAdmin.ProtocolAdminPaused.selector);
        datanets.contribute(d, _hash(1), "ipfs://content", 1, ANY_BOND);
    }

    function test_fuzz_contribute_redundantHashRevertsUnlessRejected(bytes32 h, uint8 outcome) public {
        vm.assume(h != bytes32(0));
        uint256 d = _create(owner, BOND);
        uint256 other = _create(owner, BOND);
        uint256 first = _contribute(alice, d, h);

        // Same hash, same datanet, any contributor: redundant while pending.
        vm.prank(bob);
        vm.expectRevert(_redundantError(d, h, first));
        datanets.contribute(d, h, "ipfs://other", 7, ANY_BOND);
        // Another datanet is independent.
        uint256 elsewhere = _contribute(bob, other, h);
        assertEq(datanets.contributionByHash(other, h), elsewhere);

        // 0: still pending, 1: accepted, 2: rejected, 3: accepted then penalized.
        outcome %= 4;
        if (outcome != 0) _review(owner, first, outcome != 2);
        if (outcome == 3) {
            vm.prank(owner);
            datanets.penalize(first, "adversarial");
        }

        if (outcome == 2) {
            assertEq(datanets.contributionByHash(d, h), 0);
            uint256 again = _contribute(bob, d, h);
            assertEq(datanets.contributionByHash(d, h), again);
            assertEq(datanets.getContribution(again).contributor, bob);
            // And the resubmission is itself redundant now.
            vm.prank(alice);
            vm.expectRevert(_redundantError(d, h, again));
            datanets.contribute(d, h, "ipfs://content", 1, ANY_BOND);
        } else {
            assertEq(datanets.contributionByHash(d, h), first);
            vm.prank(carol);
            vm.expectRevert(_redundantError(d, h, first));
            datanets.contribute(d, h, "ipfs://content", 1, ANY_BOND);
        }
    }

    function test_contributeWithPermit_contributesWithSignedPermit() public {
        uint256 d = _create(owner, BOND);
        (address signer, uint256 key) = makeAddrAndKey("permitSigner");
        open.transfer(signer, BOND);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(key, signer, BOND, deadline);

        vm.prank(signer);
        uint256 id = datanets.contributeWithPermit(d, _hash(1), "ipfs://content", 1, BOND, deadline, v, r, s);
        assertEq(datanets.getContribution(id).contributor, signer);
        assertEq(open.balanceOf(signer), 0);
        assertEq(open.balanceOf(address(datanets)), BOND);
        assertEq(open.nonces(signer), 1);
    }

    function test_contributeWithPermit_ignoresFrontRunPermit() public {
        uint256 d = _create(owner, BOND);
        (address signer, uint256 key) = makeAddrAndKey("permitSigner");
        open.transfer(signer, BOND);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(key, signer, BOND, deadline);
        open.permit(signer, address(datanets), BOND, deadline, v, r, s);

        vm.prank(signer);
        datanets.contributeWithPermit(d, _hash(1), "ipfs://content", 1, BOND, deadline, v, r, s);
        assertEq(open.balanceOf(address(datanets)), BOND);
    }

    function test_contributeWithPermit_revertsWhenPermitInvalidAndNoAllowance() public {
        uint256 d = _create(owner, BOND);
        (address signer, uint256 key) = makeAddrAndKey("permitSigner");
        open.transfer(signer, BOND);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(key, signer, BOND - 1, deadline);

        vm.prank(signer);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(datanets), 0, BOND)
        );
        datanets.contributeWithPermit(d, _hash(1), "ipfs://content", 1, BOND, deadline, v, r, s);
    }

    function test_contributeWithPermit_revertsWhenPaused() public {
        uint256 d = _create(owner, BOND);
        vm.prank(governance);
        datanets.pause();
        vm.prank(alice);
        vm.expectRevert(IProtocolAdmin.ProtocolAdminPaused.selector);
        datanets.contributeWithPermit(d, _hash(1), "ipfs://content", 1, BOND, block.timestamp, 0, 0, 0);
    }

    // ----------------------------------------------------------------------------------------------
    // maxBond: a bond set by the datanet owner is capped by the contributor
    // ----------------------------------------------------------------------------------------------

    function _bondAboveMaxError(uint256 bond, uint256 maxBond) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryBondAboveMax.selector, bond, maxBond);
    }

    /// Any bond within bounds and any cap: contribute succeeds exactly when bond ≤ maxBond, and then pulls the bond,
    /// never the cap, under an unlimited approval.
    function test_fuzz_contribute_pullsTheBondOnlyWhenWithinMaxBond(uint256 bond, uint256 maxBond) public {
        bond = bound(bond, MIN_DATANET_BOND, MAX_BOND);
        if (maxBond % 4 != 0) maxBond = bound(maxBond, bond - 1, bond + 1);
        uint256 d = _create(owner, bond);
        uint256 balance = open.balanceOf(alice);
        bool refused = bond > maxBond;
        if (refused) vm.expectRevert(_bondAboveMaxError(bond, maxBond));
        vm.prank(alice);
        datanets.contribute(d, _hash(1), "ipfs://content", 1, maxBond);
        assertEq(open.balanceOf(alice), refused ? balance : balance - bond, "contributor balance");
        assertEq(open.balanceOf(address(datanets)), refused ? 0 : bond, "registry balance");
        assertEq(datanets.contributionCount(), refused ? 0 : 1);
    }

    /// Item 6 of issue 10: the owner's bond raise lands first; the contributor's standing unlimited approval does not
    /// make it pay the higher bond.
    function test_contribute_bondRaisedJustBeforeIsNotPulledUnderStandingApproval() public {
        uint256 d = _create(owner, BOND);
        assertEq(open.allowance(alice, address(datanets)), type(uint256).max);
        uint256 balance = open.balanceOf(alice);
        vm.prank(owner);
        datanets.setContributionBond(d, 3 * BOND);

        vm.prank(alice);
        vm.expectRevert(_bondAboveMaxError(3 * BOND, BOND));
        datanets.contribute(d, _hash(1), "ipfs://content", 1, BOND);
        assertEq(open.balanceOf(alice), balance);
        assertEq(datanets.contributionByHash(d, _hash(1)), 0);
    }

    function test_contributeWithPermit_bondRaisedJustBeforeIsNotPulledUnderStandingApproval() public {
        uint256 d = _create(owner, BOND);
        uint256 balance = open.balanceOf(alice);
        vm.prank(owner);
        datanets.setContributionBond(d, 3 * BOND);
        // A garbage permit is ignored, so only the standing approval could pay.
        vm.prank(alice);
        vm.expectRevert(_bondAboveMaxError(3 * BOND, BOND));
        datanets.contributeWithPermit(d, _hash(1), "ipfs://content", 1, BOND, block.timestamp, 0, 0, 0);
        assertEq(open.balanceOf(alice), balance);
        assertEq(open.allowance(alice, address(datanets)), type(uint256).max);
    }

    function test_contributeWithPermit_bondRaisedAfterSigningIsNotPulled() public {
        uint256 d = _create(owner, BOND);
        (address signer, uint256 key) = makeAddrAndKey("permitSigner");
        open.transfer(signer, 10 * BOND);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(key, signer, BOND, deadline);
        vm.prank(owner);
        datanets.setContributionBond(d, 3 * BOND);

        vm.prank(signer);
        vm.expectRevert(_bondAboveMaxError(3 * BOND, BOND));
        datanets.contributeWithPermit(d, _hash(1), "ipfs://content", 1, BOND, deadline, v, r, s);
        assertEq(open.balanceOf(signer), 10 * BOND);
        assertEq(open.nonces(signer), 0, "the permit was not consumed");
    }

    function test_contributeWithPermit_permitsMaxBondAndPullsOnlyTheBond() public {
        uint256 d = _create(owner, BOND);
        (address signer, uint256 key) = makeAddrAndKey("permitSigner");
        open.transfer(signer, 10 * BOND);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(key, signer, 3 * BOND, deadline);

        vm.prank(signer);
        datanets.contributeWithPermit(d, _hash(1), "ipfs://content", 1, 3 * BOND, deadline, v, r, s);
        assertEq(open.balanceOf(signer), 9 * BOND);
        assertEq(open.allowance(signer, address(datanets)), 2 * BOND, "the unused part of the permit");
    }

    function test_getContribution_revertsOnUnknownId() public {
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownContribution.selector, 1));
        datanets.getContribution(1);
    }

    // ----------------------------------------------------------------------------------------------
    // Review
    // ----------------------------------------------------------------------------------------------

    function test_review_acceptCreditsRefundAndCountsAccepted() public {
        uint256 d = _create(owner, BOND);
        uint256 id = _contribute(alice, d, _hash(1));

        vm.expectEmit(address(datanets));
        emit IDatanetRegistry.ContributionReviewed(id, d, owner, true, BOND);
        _review(owner, id, true);

        assertEq(uint256(_status(id)), uint256(IDatanetRegistry.ContributionStatus.Accepted));
        assertEq(datanets.refundOf(alice), BOND);
        assertEq(datanets.getDatanet(d).acceptedCount, 1);
        assertEq(datanets.contributionByHash(d, _hash(1)), id);
        // Credited, not pushed.
        assertEq(open.balanceOf(address(datanets)), BOND);
        assertEq(open.balanceOf(alice), USER_FUNDS - BOND);
        assertEq(open.balanceOf(treasury), 0);
    }

    function test_review_rejectSlashesBondToTreasuryAndFreesHash() public {
        uint256 d = _create(owner, BOND);
        uint256 id = _contribute(alice, d, _hash(1));

        vm.expectEmit(address(datanets));
        emit IDatanetRegistry.ContributionReviewed(id, d, owner, false, BOND);
        vm.expectEmit(address(datanets));
        emit IDatanetRegistry.BondsSlashed(treasury, BOND);
        _review(owner, id, false);

        assertEq(uint256(_status(id)), uint256(IDatanetRegistry.ContributionStatus.Rejected));
        assertEq(open.balanceOf(treasury), BOND);
        assertEq(open.balanceOf(address(datanets)), 0);
        assertEq(datanets.refundOf(alice), 0);
        assertEq(datanets.getDatanet(d).acceptedCount, 0);
        assertEq(datanets.contributionByHash(d, _hash(1)), 0);
    }

    function test_review_rejectedBondFollowsTreasuryChange() public {
        uint256 d = _create(owner, BOND);
        uint256 id = _contribute(alice, d, _hash(1));
        address newTreasury = makeAddr("newTreasury");
        vm.prank(governance);
        datanets.setTreasury(newTreasury);
        _review(owner, id, false);
        assertEq(open.balanceOf(newTreasury), BOND);
        assertEq(open.balanceOf(treasury), 0);
    }

    function test_review_revertsForNonCurator() public {
        uint256 d = _create(owner, BOND);
        uint256 id = _contribute(alice, d, _hash(1));
        // Not even governance reviews.
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotCurator.selector, d, governance));
        datanets.review(id, true);
        // Nor the contributor.
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotCurator.selector, d, alice));
        datanets.review(id, true);
    }

    function test_review_revertsForCuratorOfAnotherDatanet() public {
        uint256 d1 = _create(owner, BOND);
        uint256 d2 = _create(curator, BOND);
        uint256 id = _contribute(alice, d1, _hash(1));
        vm.prank(curator);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotCurator.selector, d1, curator));
        datanets.review(id, true);
        assertTrue(datanets.isCurator(d2, curator));
    }

    function test_review_revertsOnUnknownContribution() public {
        _create(owner, BOND);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownContribution.selector, 1));
        datanets.review(1, true);
    }

    function test_review_revertsWhenNotPending() public {
        uint256 d = _create(owner, BOND);
        uint256 accepted = _contribute(alice, d, _hash(1));
        uint256 rejected = _contribute(alice, d, _hash(2));
        _review(owner, accepted, true);
        _review(owner, rejected, false);

        for (uint256 i; i < 2; ++i) {
            bool accept = i == 0;
            vm.prank(owner);
            vm.expectRevert(_statusError(accepted, IDatanetRegistry.ContributionStatus.Accepted));
            datanets.review(accepted, accept);
            vm.prank(owner);
            vm.expectRevert(_statusError(rejected, IDatanetRegistry.ContributionStatus.Rejected));
            datanets.review(rejected, accept);
        }

        vm.prank(owner);
        datanets.penalize(accepted, "adversarial");
        vm.prank(owner);
        vm.expectRevert(_statusError(accepted, IDatanetRegistry.ContributionStatus.Penalized));
        datanets.review(accepted, false);
        // Nothing moved twice.
        assertEq(open.balanceOf(treasury), BOND);
        assertEq(datanets.refundOf(alice), BOND);
    }

    function test_review_worksWhilePaused() public {
        uint256 d = _create(owner, BOND);
        uint256 a = _contribute(alice, d, _hash(1));
        uint256 b = _contribute(alice, d, _hash(2));
        vm.prank(guardian);
        datanets.pause();
        _review(owner, a, true);
        _review(owner, b, false);
        assertEq(datanets.refundOf(alice), BOND);
        assertEq(open.balanceOf(treasury), BOND);
    }

    /// Random reviews (some repeated, which must revert) over five contributions with different bonds: each bond
    /// ends refunded or slashed, never both, and treasury + refunds + pending == bonds posted.
    function test_fuzz_review_settlesEachBondExactlyOnce(uint256 seed) public {
        uint256 d = _create(owner, BOND);
        vm.prank(owner);
        datanets.setCurator(d, curator, true);
        (uint256[] memory ids, uint256 posted) = _contributeVaryingBonds(d, seed, 5);

        uint256 refunded;
        uint256 slashed;
        for (uint256 step; step < 12; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, "step", step)));
            (uint256 credited, uint256 sent) = _reviewOnce(ids[r % ids.length], (r >> 8) % 2 == 0, (r >> 16) % 2 == 0);
            refunded += credited;
            slashed += sent;
        }

        uint256 pending;
        uint256 accepted;
        for (uint256 i; i < ids.length; ++i) {
            IDatanetRegistry.Contribution memory c = datanets.getContribution(ids[i]);
            if (c.status == IDatanetRegistry.ContributionStatus.Pending) pending += c.bond;
            if (c.status == IDatanetRegistry.ContributionStatus.Accepted) ++accepted;
        }
        assertEq(open.balanceOf(treasury), slashed, "treasury != slashed");
        assertEq(_refunds(), refunded, "refunds != accepted bonds");
        assertEq(open.balanceOf(address(datanets)), pending + refunded, "held != pending + refunds");
        assertEq(slashed + refunded + pending, posted, "bonds not conserved");
        assertEq(datanets.getDatanet(d).acceptedCount, accepted, "acceptedCount");
    }

    /// @dev `n` contributions to `d` from the three contributors, each with its own random bond within bounds.
    function _contributeVaryingBonds(
        uint256 d,
        uint256 seed,
        uint256 n
    ) internal returns (uint256[] memory ids, uint256 posted) {
        ids = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 bond = bound(uint256(keccak256(abi.encode(seed, "bond", i))), MIN_DATANET_BOND, MAX_BOND);
            vm.prank(owner);
            datanets.setContributionBond(d, bond);
            ids[i] = _contribute(_contributor(i), d, _hash(i));
            posted += bond;
        }
    }

    /// @dev Reviews `id` (by the owner or the added curator): reverts naming the status unless pending; else moves
    /// exactly its bond to refundOf (accept) or the treasury (reject). Returns the amounts credited and slashed.
    function _reviewOnce(uint256 id, bool accept, bool byOwner) internal returns (uint256 credited, uint256 slashed) {
        address by = byOwner ? owner : curator;
        IDatanetRegistry.Contribution memory c = datanets.getContribution(id);
        if (c.status != IDatanetRegistry.ContributionStatus.Pending) {
            vm.prank(by);
            vm.expectRevert(_statusError(id, c.status));
            datanets.review(id, accept);
            return (0, 0);
        }
        uint256 refundBefore = datanets.refundOf(c.contributor);
        uint256 treasuryBefore = open.balanceOf(treasury);
        _review(by, id, accept);
        (credited, slashed) = accept ? (uint256(c.bond), uint256(0)) : (uint256(0), uint256(c.bond));
        assertEq(datanets.refundOf(c.contributor), refundBefore + credited, "refund != accepted bond");
        assertEq(open.balanceOf(treasury), treasuryBefore + slashed, "treasury != rejected bond");
    }

    // ----------------------------------------------------------------------------------------------
    // Batch review
    // ----------------------------------------------------------------------------------------------

    function test_fuzz_reviewBatch_slashesRejectedAndCreditsAccepted(
        uint256 countSeed,
        uint256 flags,
        uint256 bondSeed
    ) public {
        uint256 n = bound(countSeed, 1, 8);
        uint256 d = _create(owner, BOND);
        uint256[] memory ids = new uint256[](n);
        bool[] memory accepts = new bool[](n);
        uint256 expectedSlashed;
        uint256[3] memory expectedRefund;
        uint256 expectedAccepted;
        for (uint256 i; i < n; ++i) {
            uint256 bond = bound(uint256(keccak256(abi.encode(bondSeed, i))), MIN_DATANET_BOND, MAX_BOND);
            vm.prank(owner);
            datanets.setContributionBond(d, bond);
            ids[i] = _contribute(_contributor(i), d, _hash(i));
            accepts[i] = (flags >> i) & 1 == 1;
            if (accepts[i]) {
                expectedRefund[i % 3] += bond;
                ++expectedAccepted;
            } else {
                expectedSlashed += bond;
            }
        }

        if (expectedSlashed != 0) {
            vm.expectEmit(address(datanets));
            emit IDatanetRegistry.BondsSlashed(treasury, expectedSlashed);
        }
        vm.prank(owner);
        datanets.reviewBatch(ids, accepts);

        assertEq(open.balanceOf(treasury), expectedSlashed, "treasury != sum of rejected bonds");
        assertEq(datanets.refundOf(alice), expectedRefund[0], "alice refund");
        assertEq(datanets.refundOf(bob), expectedRefund[1], "bob refund");
        assertEq(datanets.refundOf(carol), expectedRefund[2], "carol refund");
        assertEq(open.balanceOf(address(datanets)), expectedRefund[0] + expectedRefund[1] + expectedRefund[2]);
        assertEq(datanets.getDatanet(d).acceptedCount, expectedAccepted);
        for (uint256 i; i < n; ++i) {
            IDatanetRegistry.ContributionStatus expected =
                accepts[i]
                    ? IDatanetRegistry.ContributionStatus.Accepted
                    : IDatanetRegistry.ContributionStatus.Rejected;
            assertEq(uint256(_status(ids[i])), uint256(expected));
            assertEq(datanets.contributionByHash(d, _hash(i)), accepts[i] ? ids[i] : 0);
        }
    }

    function test_reviewBatch_revertsOnEmptyBatch() public {
        vm.prank(owner);
        vm.expectRevert(_batchSizeError(0));
        datanets.reviewBatch(new uint256[](0), new bool[](0));
    }

    function test_fuzz_reviewBatch_revertsAboveMaxReviewBatch(uint256 n) public {
        uint256 max = datanets.MAX_REVIEW_BATCH();
        n = bound(n, max + 1, 2 * max);
        uint256[] memory ids = new uint256[](n);
        // The size is checked first: the ids need not exist.
        for (uint256 i; i < n; ++i) ids[i] = i + 1;
        vm.prank(owner);
        vm.expectRevert(_batchSizeError(n));
        datanets.reviewBatch(ids, new bool[](n));
    }

    function _batchSizeError(uint256 n) internal view returns (bytes memory) {
        return
            abi.encodeWithSelector(
                IDatanetRegistry.DatanetRegistryInvalidBatchSize.selector,
                n,
                datanets.MAX_REVIEW_BATCH()
            );
    }

    function test_reviewBatch_revertsOnLengthMismatch() public {
        uint256 d = _create(owner, BOND);
        uint256[] memory ids = new uint256[](2);
        ids[0] = _contribute(alice, d, _hash(1));
        ids[1] = _contribute(alice, d, _hash(2));
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryLengthMismatch.selector, 2, 1));
        datanets.reviewBatch(ids, new bool[](1));
    }

    function test_reviewBatch_revertsOnMixedDatanets() public {
        uint256 d1 = _create(owner, BOND);
        uint256 d2 = _create(owner, BOND);
        uint256[] memory ids = new uint256[](2);
        ids[0] = _contribute(alice, d1, _hash(1));
        ids[1] = _contribute(alice, d2, _hash(1));
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryMixedDatanets.selector, ids[1], d1, d2));
        datanets.reviewBatch(ids, new bool[](2));
    }

    function test_reviewBatch_revertsAsAWholeOnDuplicateId() public {
        uint256 d = _create(owner, BOND);
        uint256[] memory ids = new uint256[](3);
        ids[0] = _contribute(alice, d, _hash(1));
        ids[1] = _contribute(bob, d, _hash(2));
        ids[2] = ids[0];
        bool[] memory accepts = new bool[](3);
        accepts[0] = true;
        vm.prank(owner);
        vm.expectRevert(_statusError(ids[0], IDatanetRegistry.ContributionStatus.Accepted));
        datanets.reviewBatch(ids, accepts);

        assertEq(uint256(_status(ids[0])), uint256(IDatanetRegistry.ContributionStatus.Pending));
        assertEq(uint256(_status(ids[1])), uint256(IDatanetRegistry.ContributionStatus.Pending));
        assertEq(datanets.refundOf(alice), 0);
        assertEq(open.balanceOf(treasury), 0);
    }

    function test_reviewBatch_revertsForNonCurator() public {
        uint256 d = _create(owner, BOND);
        uint256[] memory ids = new uint256[](1);
        ids[0] = _contribute(alice, d, _hash(1));
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotCurator.selector, d, stranger));
        datanets.reviewBatch(ids, new bool[](1));
    }

    function test_reviewBatch_revertsOnUnknownContribution() public {
        uint256 d = _create(owner, BOND);
        uint256[] memory ids = new uint256[](2);
        ids[0] = _contribute(alice, d, _hash(1));
        ids[1] = 99;
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownContribution.selector, 99));
        datanets.reviewBatch(ids, new bool[](2));
    }

    // ----------------------------------------------------------------------------------------------
    // Penalties
    // ----------------------------------------------------------------------------------------------

    function test_penalize_byCuratorExcludesFromAttribution() public {
        uint256 d = _create(owner, BOND);
        vm.prank(owner);
        datanets.setCurator(d, curator, true);
        uint256 id = _contribute(alice, d, _hash(1));
        _review(owner, id, true);
        uint256[] memory nets = new uint256[](1);
        nets[0] = d;
        assertTrue(datanets.isEligible(id, nets));

        vm.expectEmit(address(datanets));
        emit IDatanetRegistry.ContributionPenalized(id, d, curator, "adversarial");
        vm.prank(curator);
        datanets.penalize(id, "adversarial");

        assertEq(uint256(_status(id)), uint256(IDatanetRegistry.ContributionStatus.Penalized));
        assertFalse(datanets.isEligible(id, nets));
        // The refund stays credited, the accepted count stays, the hash stays taken.
        assertEq(datanets.refundOf(alice), BOND);
        assertEq(datanets.getDatanet(d).acceptedCount, 1);
        assertEq(datanets.contributionByHash(d, _hash(1)), id);
    }

    function test_penalize_byGovernance() public {
        uint256 d = _create(owner, BOND);
        uint256 id = _contribute(alice, d, _hash(1));
        _review(owner, id, true);
        vm.prank(governance);
        datanets.penalize(id, "adversarial");
        assertEq(uint256(_status(id)), uint256(IDatanetRegistry.ContributionStatus.Penalized));
    }

    function test_penalize_revertsForStranger() public {
        uint256 d = _create(owner, BOND);
        uint256 id = _contribute(alice, d, _hash(1));
        _review(owner, id, true);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotCuratorOrGovernance.selector, d, stranger)
        );
        datanets.penalize(id, "adversarial");
    }

    function test_penalize_revertsUnlessAccepted() public {
        uint256 d = _create(owner, BOND);
        uint256 pending = _contribute(alice, d, _hash(1));
        uint256 rejected = _contribute(alice, d, _hash(2));
        uint256 penalized = _contribute(alice, d, _hash(3));
        _review(owner, rejected, false);
        _review(owner, penalized, true);
        vm.prank(owner);
        datanets.penalize(penalized, "adversarial");

        vm.startPrank(owner);
        vm.expectRevert(_statusError(pending, IDatanetRegistry.ContributionStatus.Pending));
        datanets.penalize(pending, "x");
        vm.expectRevert(_statusError(rejected, IDatanetRegistry.ContributionStatus.Rejected));
        datanets.penalize(rejected, "x");
        vm.expectRevert(_statusError(penalized, IDatanetRegistry.ContributionStatus.Penalized));
        datanets.penalize(penalized, "x");
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownContribution.selector, 99));
        datanets.penalize(99, "x");
        vm.stopPrank();
    }

    function test_isEligible_requiresAcceptedAndListedDatanet() public {
        uint256 d1 = _create(owner, BOND);
        uint256 d2 = _create(owner, BOND);
        uint256 accepted = _contribute(alice, d1, _hash(1));
        uint256 pending = _contribute(alice, d1, _hash(2));
        uint256 rejected = _contribute(alice, d1, _hash(3));
        _review(owner, accepted, true);
        _review(owner, rejected, false);

        uint256[] memory both = new uint256[](2);
        both[0] = d2;
        both[1] = d1;
        uint256[] memory onlyD2 = new uint256[](1);
        onlyD2[0] = d2;
        assertTrue(datanets.isEligible(accepted, both));
        assertFalse(datanets.isEligible(accepted, onlyD2));
        assertFalse(datanets.isEligible(accepted, new uint256[](0)));
        assertFalse(datanets.isEligible(pending, both));
        assertFalse(datanets.isEligible(rejected, both));
        assertFalse(datanets.isEligible(999, both));
    }

    uint256 internal constant OUTCOME_PENDING = 0;
    uint256 internal constant OUTCOME_ACCEPTED = 1;
    uint256 internal constant OUTCOME_REJECTED = 2;
    uint256 internal constant OUTCOME_PENALIZED = 3;
    uint256 internal constant OUTCOME_UNKNOWN = 4;

    /// A contribution of alice's to datanet 2 of three, left Pending, Accepted, Rejected or Penalized (or an unknown
    /// id), asked about for a model on any subset of the three datanets in any order: its record is the contributor
    /// with Eligible when Accepted, Forfeited when Penalized, both only when its datanet is listed, and the zero
    /// record (Invalid) otherwise; isEligible agrees.
    function test_fuzz_attributionRecords_followStatusAndDatanets(uint8 outcomeSeed, uint8 listSeed) public {
        uint256 outcome = outcomeSeed % 5;
        for (uint256 i; i < 3; ++i) _create(owner, BOND);
        uint256 id = _contribute(alice, 2, _hash(1));
        if (outcome == OUTCOME_ACCEPTED || outcome == OUTCOME_PENALIZED) _review(owner, id, true);
        if (outcome == OUTCOME_REJECTED) _review(owner, id, false);
        if (outcome == OUTCOME_PENALIZED) {
            vm.prank(owner);
            datanets.penalize(id, "adversarial");
        }
        if (outcome == OUTCOME_UNKNOWN) id = 2;

        // Bits 0..2 pick datanets 1..3; bit 3 lists them in decreasing order.
        uint256 n;
        for (uint256 b; b < 3; ++b) if ((listSeed >> b) & 1 == 1) ++n;
        uint256[] memory nets = new uint256[](n);
        uint256 k;
        for (uint256 b; b < 3; ++b) {
            if ((listSeed >> b) & 1 == 1) nets[k++] = (listSeed >> 3) & 1 == 1 ? 3 - b : b + 1;
        }
        bool listed = (listSeed >> 1) & 1 == 1;

        AttributionRules.Eligibility expected = AttributionRules.Eligibility.Invalid;
        if (listed && outcome == OUTCOME_ACCEPTED) expected = AttributionRules.Eligibility.Eligible;
        if (listed && outcome == OUTCOME_PENALIZED) expected = AttributionRules.Eligibility.Forfeited;

        uint256[] memory ids = new uint256[](1);
        ids[0] = id;
        AttributionRecord record = datanets.attributionRecords(ids, nets)[0];
        if (expected == AttributionRules.Eligibility.Invalid) {
            assertEq(AttributionRecord.unwrap(record), 0, "Invalid is the zero record");
            assertFalse(AttributionRules.isValid(record));
        } else {
            assertEq(
                AttributionRecord.unwrap(record),
                AttributionRecord.unwrap(AttributionRules.record(alice, expected)),
                "record"
            );
            assertEq(AttributionRules.contributor(record), alice);
            assertEq(uint256(AttributionRules.eligibility(record)), uint256(expected));
        }
        assertEq(datanets.isEligible(id, nets), expected == AttributionRules.Eligibility.Eligible, "isEligible");
    }

    function test_attributionRecords_answersManyIdsInOrder() public {
        uint256 d1 = _create(owner, BOND);
        uint256 d2 = _create(owner, BOND);
        uint256 accepted = _contribute(alice, d1, _hash(1));
        uint256 penalized = _contribute(bob, d1, _hash(2));
        uint256 pending = _contribute(carol, d1, _hash(3));
        uint256 otherDatanet = _contribute(carol, d2, _hash(4));
        _review(owner, accepted, true);
        _review(owner, penalized, true);
        _review(owner, otherDatanet, true);
        vm.prank(owner);
        datanets.penalize(penalized, "adversarial");

        uint256[] memory ids = new uint256[](6);
        (ids[0], ids[1], ids[2], ids[3], ids[4], ids[5]) = (penalized, accepted, pending, otherDatanet, 99, accepted);
        uint256[] memory nets = new uint256[](1);
        nets[0] = d1;
        AttributionRecord[] memory records = datanets.attributionRecords(ids, nets);
        assertEq(records.length, 6);
        uint256 eligible = AttributionRecord.unwrap(
            AttributionRules.record(alice, AttributionRules.Eligibility.Eligible)
        );
        uint256 forfeited = AttributionRecord.unwrap(
            AttributionRules.record(bob, AttributionRules.Eligibility.Forfeited)
        );
        assertEq(AttributionRecord.unwrap(records[0]), forfeited);
        assertEq(AttributionRecord.unwrap(records[1]), eligible);
        assertEq(AttributionRecord.unwrap(records[2]), 0);
        assertEq(AttributionRecord.unwrap(records[3]), 0);
        assertEq(AttributionRecord.unwrap(records[4]), 0);
        assertEq(AttributionRecord.unwrap(records[5]), eligible);
        assertEq(datanets.attributionRecords(new uint256[](0), nets).length, 0);
    }

    // ----------------------------------------------------------------------------------------------
    // Versions
    // ----------------------------------------------------------------------------------------------

    function _acceptN(uint256 d, uint256 n) internal returns (uint256[] memory ids) {
        ids = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            ids[i] = _contribute(_contributor(i), d, _hash(100 + i));
            _review(owner, ids[i], true);
        }
    }

    function test_publishVersion_storesVersionAndVerifiesInclusion() public {
        uint256 d = _create(owner, BOND);
        uint256[] memory ids = _acceptN(d, 2);
        bytes32 root = _hashPair(_leaf(ids[0]), _leaf(ids[1]));

        vm.expectEmit(address(datanets));
        emit IDatanetRegistry.VersionPublished(d, 1, root, 2, "ipfs://v1");
        vm.prank(owner);
        uint256 version = datanets.publishVersion(d, root, 2, "ipfs://v1");

        assertEq(version, 1);
        assertEq(datanets.getDatanet(d).versionCount, 1);
        IDatanetRegistry.Version memory v = datanets.getVersion(d, 1);
        assertEq(v.merkleRoot, root);
        assertEq(v.count, 2);
        assertEq(v.publishedAt, block.timestamp);
        assertEq(v.uri, "ipfs://v1");

        bytes32[] memory proof = new bytes32[](1);
        proof[0] = _leaf(ids[1]);
        assertTrue(datanets.verifyInclusion(d, 1, ids[0], proof));
        proof[0] = _leaf(ids[0]);
        assertTrue(datanets.verifyInclusion(d, 1, ids[1], proof));
        assertFalse(datanets.verifyInclusion(d, 1, ids[0], proof), "wrong proof");

        // A single-leaf version: the root is the leaf and the proof is empty.
        vm.prank(owner);
        assertEq(datanets.publishVersion(d, _leaf(ids[0]), 1, "ipfs://v2"), 2);
        assertTrue(datanets.verifyInclusion(d, 2, ids[0], new bytes32[](0)));
        assertFalse(datanets.verifyInclusion(d, 2, ids[1], new bytes32[](0)));
    }

    function test_verifyInclusion_falseForContributionOfAnotherDatanet() public {
        uint256 d1 = _create(owner, BOND);
        uint256 d2 = _create(owner, BOND);
        uint256 id = _contribute(alice, d2, _hash(1));
        _review(owner, id, true);
        uint256[] memory ids = _acceptN(d1, 1);
        // A root that would "prove" d2's contribution under d1.
        vm.prank(owner);
        datanets.publishVersion(d1, _leaf(id), 1, "ipfs://v1");
        assertFalse(datanets.verifyInclusion(d1, 1, id, new bytes32[](0)));
        assertEq(ids.length, 1);
    }

    function test_getVersion_revertsOnUnknownVersionOrDatanet() public {
        uint256 d = _create(owner, BOND);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownVersion.selector, d, 1));
        datanets.getVersion(d, 1);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownDatanet.selector, 9));
        datanets.getVersion(9, 1);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownVersion.selector, d, 0));
        datanets.verifyInclusion(d, 0, 1, new bytes32[](0));
    }

    function test_fuzz_publishVersion_countWithinOneAndAccepted(uint64 count) public {
        uint256 d = _create(owner, BOND);
        _acceptN(d, 3);
        // A penalized contribution still counts (it stays in old versions).
        vm.prank(owner);
        datanets.penalize(1, "adversarial");
        // A pending and a rejected one do not.
        _contribute(alice, d, _hash(1));
        _review(owner, _contribute(alice, d, _hash(2)), false);

        if (count % 2 == 0) count = uint64(bound(count, 0, 5));
        bool valid = count >= 1 && count <= 3;
        if (!valid) {
            vm.expectRevert(
                abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryInvalidVersionCount.selector, count, 3)
            );
        }
        vm.prank(owner);
        datanets.publishVersion(d, keccak256("root"), count, "ipfs://v");
        assertEq(datanets.getDatanet(d).versionCount, valid ? 1 : 0);
    }

    function test_publishVersion_revertsWithNothingAccepted() public {
        uint256 d = _create(owner, BOND);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryInvalidVersionCount.selector, 1, 0));
        datanets.publishVersion(d, keccak256("root"), 1, "ipfs://v");
    }

    function test_publishVersion_revertsOnZeroRoot() public {
        uint256 d = _create(owner, BOND);
        _acceptN(d, 1);
        vm.prank(owner);
        vm.expectRevert(IDatanetRegistry.DatanetRegistryZeroMerkleRoot.selector);
        datanets.publishVersion(d, bytes32(0), 1, "ipfs://v");
    }

    function test_publishVersion_revertsForNonCurator() public {
        uint256 d = _create(owner, BOND);
        _acceptN(d, 1);
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotCurator.selector, d, governance));
        datanets.publishVersion(d, keccak256("root"), 1, "ipfs://v");
    }

    function test_publishVersion_revertsOnUnknownDatanet() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownDatanet.selector, 4));
        datanets.publishVersion(4, keccak256("root"), 1, "ipfs://v");
    }

    // ----------------------------------------------------------------------------------------------
    // Refunds
    // ----------------------------------------------------------------------------------------------

    function test_claimRefund_paysCreditedBonds() public {
        uint256 d = _create(owner, BOND);
        _review(owner, _contribute(alice, d, _hash(1)), true);
        _review(owner, _contribute(alice, d, _hash(2)), true);

        vm.expectEmit(address(datanets));
        emit IDatanetRegistry.RefundClaimed(alice, alice, 2 * BOND);
        vm.prank(alice);
        assertEq(datanets.claimRefund(), 2 * BOND);
        assertEq(datanets.refundOf(alice), 0);
        assertEq(open.balanceOf(alice), USER_FUNDS);
        assertEq(open.balanceOf(address(datanets)), 0);
    }

    function test_claimRefundTo_paysRecipient() public {
        uint256 d = _create(owner, BOND);
        _review(owner, _contribute(alice, d, _hash(1)), true);
        vm.prank(alice);
        assertEq(datanets.claimRefundTo(stranger), BOND);
        assertEq(open.balanceOf(stranger), BOND);
        assertEq(datanets.refundOf(alice), 0);
    }

    function test_claimRefundTo_revertsOnZeroRecipient() public {
        uint256 d = _create(owner, BOND);
        _review(owner, _contribute(alice, d, _hash(1)), true);
        vm.prank(alice);
        vm.expectRevert(IProtocolAdmin.ProtocolAdminZeroAddress.selector);
        datanets.claimRefundTo(address(0));
    }

    /// Item 8 of issue 10: a refund sent to the registry or to the OPEN token would be locked there.
    function test_claimRefundTo_revertsOnRegistryAndOpenToken() public {
        uint256 d = _create(owner, BOND);
        _review(owner, _contribute(alice, d, _hash(1)), true);
        address[2] memory locked = [address(datanets), address(open)];
        for (uint256 i; i < locked.length; ++i) {
            vm.prank(alice);
            vm.expectRevert(abi.encodeWithSelector(IProtocolAdmin.ProtocolAdminInvalidRecipient.selector, locked[i]));
            datanets.claimRefundTo(locked[i]);
        }
        assertEq(datanets.refundOf(alice), BOND);
        assertEq(open.balanceOf(address(datanets)), BOND);
        vm.prank(alice);
        assertEq(datanets.claimRefundTo(bob), BOND);
    }

    function test_fuzz_claimRefundTo_paysAnyOtherRecipient(address recipient) public {
        vm.assume(recipient != address(0) && recipient != address(datanets) && recipient != address(open));
        uint256 d = _create(owner, BOND);
        _review(owner, _contribute(alice, d, _hash(1)), true);
        uint256 before = open.balanceOf(recipient);
        vm.prank(alice);
        datanets.claimRefundTo(recipient);
        assertEq(open.balanceOf(recipient), before + BOND);
        assertEq(open.balanceOf(address(datanets)), 0);
    }

    function test_claimRefund_revertsWhenNothingToClaim() public {
        uint256 d = _create(owner, BOND);
        _contribute(alice, d, _hash(1)); // pending: not claimable
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNothingToClaim.selector, alice));
        datanets.claimRefund();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNothingToClaim.selector, alice));
        datanets.claimRefundTo(bob);
    }

    function test_claimRefund_worksWhilePaused() public {
        uint256 d = _create(owner, BOND);
        _review(owner, _contribute(alice, d, _hash(1)), true);
        vm.prank(guardian);
        datanets.pause();
        vm.prank(alice);
        assertEq(datanets.claimRefund(), BOND);
    }

    // ----------------------------------------------------------------------------------------------
    // Governance and the guardian
    // ----------------------------------------------------------------------------------------------

    function test_pause_byGuardianOrGovernanceOnly() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IProtocolAdmin.ProtocolAdminNotGuardian.selector, stranger));
        datanets.pause();

        vm.prank(guardian);
        datanets.pause();
        assertTrue(datanets.paused());

        // The guardian cannot unpause.
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, guardian));
        datanets.unpause();

        vm.prank(governance);
        datanets.unpause();
        assertFalse(datanets.paused());

        vm.prank(governance);
        datanets.pause();
        assertTrue(datanets.paused());
    }

    function test_pause_revertsWhenAlreadyPaused() public {
        vm.prank(guardian);
        datanets.pause();
        vm.prank(guardian);
        vm.expectRevert(IProtocolAdmin.ProtocolAdminPaused.selector);
        datanets.pause();
    }

    function test_setGuardian_replacesAndDisablesGuardian() public {
        address newGuardian = makeAddr("newGuardian");
        vm.expectEmit(address(datanets));
        emit IProtocolAdmin.GuardianUpdated(guardian, newGuardian);
        vm.prank(governance);
        datanets.setGuardian(newGuardian);
        assertEq(datanets.guardian(), newGuardian);

        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IProtocolAdmin.ProtocolAdminNotGuardian.selector, guardian));
        datanets.pause();

        vm.prank(governance);
        datanets.setGuardian(address(0));
        // address(0) cannot call, so nobody but governance can pause.
        vm.prank(newGuardian);
        vm.expectRevert(abi.encodeWithSelector(IProtocolAdmin.ProtocolAdminNotGuardian.selector, newGuardian));
        datanets.pause();
    }

    function test_setTreasury_revertsOnZeroAndForNonGovernance() public {
        vm.prank(governance);
        vm.expectRevert(IProtocolAdmin.ProtocolAdminZeroAddress.selector);
        datanets.setTreasury(address(0));
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        datanets.setTreasury(stranger);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        datanets.setGuardian(stranger);
    }

    function test_renounceOwnership_isDisabled() public {
        vm.prank(governance);
        vm.expectRevert(IGovernanceOwned.GovernanceRenounceDisabled.selector);
        datanets.renounceOwnership();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        datanets.renounceOwnership();
        assertEq(datanets.owner(), governance);
    }
}

/// @notice The largest batch reviewBatch accepts, built in setUp so that the test's own transaction finds every slot
/// cold: MAX_REVIEW_BATCH contributions, each from a different account that was never credited a refund.
contract DatanetRegistryLargestBatchTest is Deployers {
    /// EIP-7825's per-transaction gas cap.
    uint256 internal constant TX_GAS_CAP = 16_777_216;
    uint256 internal constant BOND = 10 ether;

    address internal owner = makeAddr("datanetOwner");
    uint256[] internal ids;
    bool[] internal accepts;

    function setUp() public {
        _deployToken();
        _deployRegistries();
        vm.prank(owner);
        uint256 d = datanets.createDatanet("ipfs://datanet", BOND);
        uint256 max = datanets.MAX_REVIEW_BATCH();
        for (uint256 i; i < max; ++i) {
            address contributor = address(uint160(0x10_000 + i));
            _fund(contributor, BOND, address(datanets));
            vm.prank(contributor);
            ids.push(datanets.contribute(d, keccak256(abi.encode("batch", i)), "ipfs://content", 1, BOND));
            // The costliest mix: every review credits a fresh refund slot but the last, whose rejection adds the
            // treasury transfer.
            accepts.push(i != max - 1);
        }
    }

    function test_reviewBatch_largestBatchFitsTheTransactionGasCapWithAQuarterToSpare() public {
        // Gas is measured on uninstrumented code: `npm run coverage` (COVERAGE=1) adds gas to every statement.
        vm.skip(vm.envOr("COVERAGE", false));
        uint256[] memory batch = ids;
        bool[] memory decisions = accepts;
        // What a transaction pays before execution: 21,000 plus at most 16 gas per calldata byte.
        uint256 calldataBytes = 4 + 32 * 4 + 64 * batch.length;
        uint256 intrinsic = 21_000 + 16 * calldataBytes;

        vm.prank(owner);
        uint256 before = gasleft();
        datanets.reviewBatch(batch, decisions);
        uint256 used = before - gasleft();

        assertLe(intrinsic + used, (TX_GAS_CAP * 3) / 4, "largest batch + intrinsic gas");
        assertEq(datanets.getDatanet(1).acceptedCount, batch.length - 1);
        assertEq(open.balanceOf(treasury), BOND);
        assertEq(open.balanceOf(address(datanets)), (batch.length - 1) * BOND);
    }

    function test_reviewBatch_refusesOneMoreThanTheLargest() public {
        uint256 max = datanets.MAX_REVIEW_BATCH();
        uint256[] memory batch = new uint256[](max + 1);
        for (uint256 i; i < max; ++i) batch[i] = ids[i];
        batch[max] = ids[0];
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryInvalidBatchSize.selector, max + 1, max)
        );
        datanets.reviewBatch(batch, new bool[](max + 1));
    }
}
