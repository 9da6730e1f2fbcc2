// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {DatanetRegistry} from "../../../contracts/registry/DatanetRegistry.sol";
import {IDatanetRegistry} from "../../../contracts/interfaces/IDatanetRegistry.sol";
import {OpenToken} from "../../../contracts/token/OpenToken.sol";

/// @notice Unit and fuzz tests of DatanetRegistry: datanets and curators, bond bounds, contributions and their
/// bonds (refunded on acceptance, slashed to the treasury on rejection), content-hash redundancy, penalties,
/// versions with Merkle inclusion, refunds, pausing and governance parameters.
contract DatanetRegistryTest is Test {
    uint256 internal constant MIN_BOND = 1 ether;
    uint256 internal constant MAX_BOND = 10_000 ether;
    uint256 internal constant BOND = 10 ether;
    uint256 internal constant USER_FUNDS = 10_000_000 ether;
    uint256 internal constant CAP = 1_000_000 ether;

    bytes32 internal constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );

    OpenToken internal open;
    DatanetRegistry internal registry;

    address internal governance = makeAddr("governance");
    address internal treasury = makeAddr("treasury");
    address internal guardian = makeAddr("guardian");
    address internal owner = makeAddr("datanetOwner");
    address internal curator = makeAddr("curator");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");
    address internal stranger = makeAddr("stranger");

    function setUp() public {
        vm.warp(1_700_000_000);
        open = new OpenToken(address(this));
        registry = new DatanetRegistry(IERC20(address(open)), governance, treasury, guardian, MIN_BOND, MAX_BOND);

        address[3] memory funded = [alice, bob, carol];
        for (uint256 i; i < funded.length; ++i) {
            open.transfer(funded[i], USER_FUNDS);
            vm.prank(funded[i]);
            open.approve(address(registry), type(uint256).max);
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------

    function _create(address by, uint256 bond) internal returns (uint256 datanetId) {
        vm.prank(by);
        datanetId = registry.createDatanet("ipfs://datanet", bond);
    }

    function _contribute(address by, uint256 datanetId, bytes32 contentHash) internal returns (uint256 id) {
        vm.prank(by);
        id = registry.contribute(datanetId, contentHash, "ipfs://content", 1024);
    }

    function _review(address by, uint256 contributionId, bool accept) internal {
        vm.prank(by);
        registry.review(contributionId, accept);
    }

    function _hash(uint256 i) internal pure returns (bytes32) {
        return keccak256(abi.encode("content", i));
    }

    function _contributor(uint256 i) internal view returns (address) {
        return i % 3 == 0 ? alice : (i % 3 == 1 ? bob : carol);
    }

    function _status(uint256 contributionId) internal view returns (IDatanetRegistry.ContributionStatus) {
        return registry.getContribution(contributionId).status;
    }

    function _refunds() internal view returns (uint256) {
        return registry.refundOf(alice) + registry.refundOf(bob) + registry.refundOf(carol);
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
            abi.encode(PERMIT_TYPEHASH, signer, address(registry), value, open.nonces(signer), deadline)
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
        assertEq(registry.openToken(), address(open));
        assertEq(registry.owner(), governance);
        assertEq(registry.treasury(), treasury);
        assertEq(registry.guardian(), guardian);
        (uint256 minBond, uint256 maxBond) = registry.bondBounds();
        assertEq(minBond, MIN_BOND);
        assertEq(maxBond, MAX_BOND);
        assertEq(registry.MAX_CONTRIBUTION_BOND(), CAP);
        assertEq(registry.datanetCount(), 0);
        assertEq(registry.contributionCount(), 0);
        assertFalse(registry.paused());
    }

    function test_constructor_revertsOnZeroOpen() public {
        vm.expectRevert(IDatanetRegistry.DatanetRegistryZeroAddress.selector);
        new DatanetRegistry(IERC20(address(0)), governance, treasury, guardian, MIN_BOND, MAX_BOND);
    }

    function test_constructor_revertsOnZeroTreasury() public {
        vm.expectRevert(IDatanetRegistry.DatanetRegistryZeroAddress.selector);
        new DatanetRegistry(IERC20(address(open)), governance, address(0), guardian, MIN_BOND, MAX_BOND);
    }

    function test_constructor_revertsOnZeroGovernance() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new DatanetRegistry(IERC20(address(open)), address(0), treasury, guardian, MIN_BOND, MAX_BOND);
    }

    function test_constructor_acceptsZeroGuardian() public {
        DatanetRegistry r = new DatanetRegistry(IERC20(address(open)), governance, treasury, address(0), 0, 0);
        assertEq(r.guardian(), address(0));
    }

    function test_fuzz_constructor_revertsOnInvalidBondBounds(uint256 minBond, uint256 maxBond) public {
        minBond = bound(minBond, 0, 2 * CAP);
        maxBond = bound(maxBond, 0, 2 * CAP);
        vm.assume(minBond > maxBond || maxBond > CAP);
        vm.expectRevert(
            abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryInvalidBondBounds.selector, minBond, maxBond, CAP)
        );
        new DatanetRegistry(IERC20(address(open)), governance, treasury, guardian, minBond, maxBond);
    }

    // ----------------------------------------------------------------------------------------------
    // Datanets
    // ----------------------------------------------------------------------------------------------

    function test_createDatanet_storesDatanetAndMakesCreatorCurator() public {
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.DatanetCreated(1, owner, BOND, "ipfs://datanet");
        uint256 d = _create(owner, BOND);

        assertEq(d, 1);
        assertEq(registry.datanetCount(), 1);
        assertTrue(registry.datanetExists(1));
        assertFalse(registry.datanetExists(2));
        assertTrue(registry.isCurator(d, owner));
        assertFalse(registry.isCurator(d, stranger));

        IDatanetRegistry.Datanet memory dn = registry.getDatanet(d);
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
        assertEq(_create(alice, MIN_BOND), 2);
        assertEq(_create(owner, MAX_BOND), 3);
        assertEq(registry.datanetCount(), 3);
        assertEq(registry.getDatanet(2).owner, alice);
    }

    function test_fuzz_createDatanet_acceptsOnlyBondsWithinBounds(uint256 bond) public {
        // Most of the time near the bounds, where the off-by-ones are.
        if (bond % 4 != 0) bond = bound(bond, 0, MAX_BOND + MIN_BOND);
        bool valid = bond >= MIN_BOND && bond <= MAX_BOND;
        if (!valid) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IDatanetRegistry.DatanetRegistryBondOutOfBounds.selector,
                    bond,
                    MIN_BOND,
                    MAX_BOND
                )
            );
        }
        vm.prank(owner);
        uint256 d = registry.createDatanet("ipfs://datanet", bond);
        if (valid) {
            assertEq(registry.getDatanet(d).contributionBond, bond);
        } else {
            assertEq(registry.datanetCount(), 0);
        }
    }

    function test_getDatanet_revertsOnUnknownId() public {
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownDatanet.selector, 1));
        registry.getDatanet(1);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownDatanet.selector, 0));
        registry.getDatanet(0);
    }

    function test_setCurator_addsAndRemovesCurator() public {
        uint256 d = _create(owner, BOND);
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.CuratorUpdated(d, curator, true);
        vm.prank(owner);
        registry.setCurator(d, curator, true);
        assertTrue(registry.isCurator(d, curator));

        uint256 id = _contribute(alice, d, _hash(1));
        _review(curator, id, true);

        vm.prank(owner);
        registry.setCurator(d, curator, false);
        assertFalse(registry.isCurator(d, curator));

        uint256 id2 = _contribute(alice, d, _hash(2));
        vm.prank(curator);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotCurator.selector, d, curator));
        registry.review(id2, true);
    }

    function test_setCurator_curatorsArePerDatanet() public {
        uint256 d1 = _create(owner, BOND);
        uint256 d2 = _create(owner, BOND);
        vm.prank(owner);
        registry.setCurator(d1, curator, true);
        assertTrue(registry.isCurator(d1, curator));
        assertFalse(registry.isCurator(d2, curator));
    }

    function test_setCurator_revertsForNonOwner() public {
        uint256 d = _create(owner, BOND);
        vm.prank(owner);
        registry.setCurator(d, curator, true);
        // Curators cannot manage curators; only the owner can.
        vm.prank(curator);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotDatanetOwner.selector, d, curator));
        registry.setCurator(d, stranger, true);
    }

    function test_setCurator_revertsOnZeroAddress() public {
        uint256 d = _create(owner, BOND);
        vm.prank(owner);
        vm.expectRevert(IDatanetRegistry.DatanetRegistryZeroAddress.selector);
        registry.setCurator(d, address(0), true);
    }

    function test_setCurator_revertsOnOwner() public {
        uint256 d = _create(owner, BOND);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryOwnerIsCurator.selector, d));
        registry.setCurator(d, owner, false);
        // Naming the owner reverts either way.
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryOwnerIsCurator.selector, d));
        registry.setCurator(d, owner, true);
        assertTrue(registry.isCurator(d, owner));
    }

    function test_setCurator_revertsOnUnknownDatanet() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownDatanet.selector, 7));
        registry.setCurator(7, curator, true);
    }

    function test_setDatanetOpen_closesAndReopens() public {
        uint256 d = _create(owner, BOND);
        uint256 pending = _contribute(alice, d, _hash(1));

        vm.expectEmit(address(registry));
        emit IDatanetRegistry.DatanetOpenChanged(d, false);
        vm.prank(owner);
        registry.setDatanetOpen(d, false);
        assertFalse(registry.getDatanet(d).open);

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryDatanetClosed.selector, d));
        registry.contribute(d, _hash(2), "ipfs://content", 1);

        // Pending contributions can still be reviewed while closed.
        _review(owner, pending, true);
        assertEq(uint256(_status(pending)), uint256(IDatanetRegistry.ContributionStatus.Accepted));

        vm.prank(owner);
        registry.setDatanetOpen(d, true);
        _contribute(alice, d, _hash(2));
    }

    function test_setDatanetOpen_revertsForNonOwner() public {
        uint256 d = _create(owner, BOND);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotDatanetOwner.selector, d, stranger));
        registry.setDatanetOpen(d, false);
    }

    function test_setContributionBond_appliesToLaterContributionsOnly() public {
        uint256 d = _create(owner, BOND);
        uint256 first = _contribute(alice, d, _hash(1));

        vm.expectEmit(address(registry));
        emit IDatanetRegistry.ContributionBondUpdated(d, BOND, 3 * BOND);
        vm.prank(owner);
        registry.setContributionBond(d, 3 * BOND);
        uint256 second = _contribute(alice, d, _hash(2));

        assertEq(registry.getContribution(first).bond, BOND);
        assertEq(registry.getContribution(second).bond, 3 * BOND);
        assertEq(open.balanceOf(address(registry)), 4 * BOND);

        // The pending one is settled with its own bond.
        _review(owner, first, false);
        assertEq(open.balanceOf(treasury), BOND);
        _review(owner, second, true);
        assertEq(registry.refundOf(alice), 3 * BOND);
    }

    function test_setContributionBond_revertsForNonOwner() public {
        uint256 d = _create(owner, BOND);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotDatanetOwner.selector, d, stranger));
        registry.setContributionBond(d, BOND);
    }

    function test_fuzz_setContributionBond_acceptsOnlyBondsWithinBounds(uint256 bond) public {
        uint256 d = _create(owner, BOND);
        if (bond % 4 != 0) bond = bound(bond, 0, MAX_BOND + MIN_BOND);
        bool valid = bond >= MIN_BOND && bond <= MAX_BOND;
        if (!valid) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IDatanetRegistry.DatanetRegistryBondOutOfBounds.selector,
                    bond,
                    MIN_BOND,
                    MAX_BOND
                )
            );
        }
        vm.prank(owner);
        registry.setContributionBond(d, bond);
        assertEq(registry.getDatanet(d).contributionBond, valid ? bond : BOND);
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
            vm.expectEmit(address(registry));
            emit IDatanetRegistry.BondBoundsUpdated(MIN_BOND, MAX_BOND, minBond, maxBond);
        }
        vm.prank(governance);
        registry.setBondBounds(minBond, maxBond);

        (uint256 newMin, uint256 newMax) = registry.bondBounds();
        assertEq(newMin, valid ? minBond : MIN_BOND);
        assertEq(newMax, valid ? maxBond : MAX_BOND);
        // Existing datanets keep their bond, even outside the new bounds.
        assertEq(registry.getDatanet(d).contributionBond, BOND);
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
            registry.createDatanet("ipfs://datanet", newMin - 1);
        }
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryBondOutOfBounds.selector, newMax + 1, newMin, newMax)
        );
        registry.setContributionBond(d, newMax + 1);
    }

    function test_setBondBounds_revertsForNonGovernance() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        registry.setBondBounds(0, 1 ether);
    }

    function test_setBondBounds_zeroBondPullsNothing() public {
        vm.prank(governance);
        registry.setBondBounds(0, MAX_BOND);
        uint256 d = _create(owner, 0);
        uint256 id = _contribute(alice, d, _hash(1));
        assertEq(registry.getContribution(id).bond, 0);
        assertEq(open.balanceOf(alice), USER_FUNDS);

        // Rejecting or accepting a free contribution moves nothing.
        vm.recordLogs();
        _review(owner, id, false);
        assertEq(vm.getRecordedLogs().length, 1, "only ContributionReviewed, no BondsSlashed");
        assertEq(open.balanceOf(treasury), 0);
        uint256 id2 = _contribute(alice, d, _hash(2));
        _review(owner, id2, true);
        assertEq(registry.refundOf(alice), 0);
    }

    // ----------------------------------------------------------------------------------------------
    // Contributions
    // ----------------------------------------------------------------------------------------------

    function test_contribute_pullsBondAndStoresContribution() public {
        uint256 d = _create(owner, BOND);
        bytes32 h = _hash(1);

        vm.expectEmit(address(registry));
        emit IDatanetRegistry.ContributionSubmitted(1, d, alice, h, "ipfs://content", 1024, BOND);
        uint256 id = _contribute(alice, d, h);

        assertEq(id, 1);
        assertEq(registry.contributionCount(), 1);
        assertEq(registry.getDatanet(d).contributionCount, 1);
        assertEq(registry.contributionByHash(d, h), id);
        assertEq(open.balanceOf(address(registry)), BOND);
        assertEq(open.balanceOf(alice), USER_FUNDS - BOND);

        IDatanetRegistry.Contribution memory c = registry.getContribution(id);
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
        assertEq(registry.getDatanet(d1).contributionCount, 2);
        assertEq(registry.getDatanet(d2).contributionCount, 1);
    }

    function test_contribute_revertsOnUnknownDatanet() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownDatanet.selector, 1));
        registry.contribute(1, _hash(1), "ipfs://content", 1);
    }

    function test_contribute_revertsOnZeroHash() public {
        uint256 d = _create(owner, BOND);
        vm.prank(alice);
        vm.expectRevert(IDatanetRegistry.DatanetRegistryZeroContentHash.selector);
        registry.contribute(d, bytes32(0), "ipfs://content", 1);
    }

    function test_contribute_revertsWithoutAllowance() public {
        uint256 d = _create(owner, BOND);
        open.transfer(stranger, BOND);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(registry), 0, BOND)
        );
        registry.contribute(d, _hash(1), "ipfs://content", 1);
    }

    function test_contribute_revertsWhenPaused() public {
        uint256 d = _create(owner, BOND);
        vm.prank(guardian);
        registry.pause();
        vm.prank(alice);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        registry.contribute(d, _hash(1), "ipfs://content", 1);
    }

    function test_fuzz_contribute_redundantHashRevertsUnlessRejected(bytes32 h, uint8 outcome) public {
        vm.assume(h != bytes32(0));
        uint256 d = _create(owner, BOND);
        uint256 other = _create(owner, BOND);
        uint256 first = _contribute(alice, d, h);

        // Same hash, same datanet, any contributor: redundant while pending.
        vm.prank(bob);
        vm.expectRevert(_redundantError(d, h, first));
        registry.contribute(d, h, "ipfs://other", 7);
        // Another datanet is independent.
        uint256 elsewhere = _contribute(bob, other, h);
        assertEq(registry.contributionByHash(other, h), elsewhere);

        // 0: still pending, 1: accepted, 2: rejected, 3: accepted then penalized.
        outcome %= 4;
        if (outcome != 0) _review(owner, first, outcome != 2);
        if (outcome == 3) {
            vm.prank(owner);
            registry.penalize(first, "adversarial");
        }

        if (outcome == 2) {
            assertEq(registry.contributionByHash(d, h), 0);
            uint256 again = _contribute(bob, d, h);
            assertEq(registry.contributionByHash(d, h), again);
            assertEq(registry.getContribution(again).contributor, bob);
            // And the resubmission is itself redundant now.
            vm.prank(alice);
            vm.expectRevert(_redundantError(d, h, again));
            registry.contribute(d, h, "ipfs://content", 1);
        } else {
            assertEq(registry.contributionByHash(d, h), first);
            vm.prank(carol);
            vm.expectRevert(_redundantError(d, h, first));
            registry.contribute(d, h, "ipfs://content", 1);
        }
    }

    function test_contributeWithPermit_contributesWithSignedPermit() public {
        uint256 d = _create(owner, BOND);
        (address signer, uint256 key) = makeAddrAndKey("permitSigner");
        open.transfer(signer, BOND);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(key, signer, BOND, deadline);

        vm.prank(signer);
        uint256 id = registry.contributeWithPermit(d, _hash(1), "ipfs://content", 1, deadline, v, r, s);
        assertEq(registry.getContribution(id).contributor, signer);
        assertEq(open.balanceOf(signer), 0);
        assertEq(open.balanceOf(address(registry)), BOND);
        assertEq(open.nonces(signer), 1);
    }

    function test_contributeWithPermit_ignoresFrontRunPermit() public {
        uint256 d = _create(owner, BOND);
        (address signer, uint256 key) = makeAddrAndKey("permitSigner");
        open.transfer(signer, BOND);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(key, signer, BOND, deadline);
        open.permit(signer, address(registry), BOND, deadline, v, r, s);

        vm.prank(signer);
        registry.contributeWithPermit(d, _hash(1), "ipfs://content", 1, deadline, v, r, s);
        assertEq(open.balanceOf(address(registry)), BOND);
    }

    function test_contributeWithPermit_revertsWhenPermitInvalidAndNoAllowance() public {
        uint256 d = _create(owner, BOND);
        (address signer, uint256 key) = makeAddrAndKey("permitSigner");
        open.transfer(signer, BOND);
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(key, signer, BOND - 1, deadline);

        vm.prank(signer);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(registry), 0, BOND)
        );
        registry.contributeWithPermit(d, _hash(1), "ipfs://content", 1, deadline, v, r, s);
    }

    function test_contributeWithPermit_revertsWhenPaused() public {
        uint256 d = _create(owner, BOND);
        vm.prank(governance);
        registry.pause();
        vm.prank(alice);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        registry.contributeWithPermit(d, _hash(1), "ipfs://content", 1, block.timestamp, 0, 0, 0);
    }

    function test_getContribution_revertsOnUnknownId() public {
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownContribution.selector, 1));
        registry.getContribution(1);
    }

    // ----------------------------------------------------------------------------------------------
    // Review
    // ----------------------------------------------------------------------------------------------

    function test_review_acceptCreditsRefundAndCountsAccepted() public {
        uint256 d = _create(owner, BOND);
        uint256 id = _contribute(alice, d, _hash(1));

        vm.expectEmit(address(registry));
        emit IDatanetRegistry.ContributionReviewed(id, d, owner, true, BOND);
        _review(owner, id, true);

        assertEq(uint256(_status(id)), uint256(IDatanetRegistry.ContributionStatus.Accepted));
        assertEq(registry.refundOf(alice), BOND);
        assertEq(registry.getDatanet(d).acceptedCount, 1);
        assertEq(registry.contributionByHash(d, _hash(1)), id);
        // Credited, not pushed.
        assertEq(open.balanceOf(address(registry)), BOND);
        assertEq(open.balanceOf(alice), USER_FUNDS - BOND);
        assertEq(open.balanceOf(treasury), 0);
    }

    function test_review_rejectSlashesBondToTreasuryAndFreesHash() public {
        uint256 d = _create(owner, BOND);
        uint256 id = _contribute(alice, d, _hash(1));

        vm.expectEmit(address(registry));
        emit IDatanetRegistry.ContributionReviewed(id, d, owner, false, BOND);
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.BondsSlashed(treasury, BOND);
        _review(owner, id, false);

        assertEq(uint256(_status(id)), uint256(IDatanetRegistry.ContributionStatus.Rejected));
        assertEq(open.balanceOf(treasury), BOND);
        assertEq(open.balanceOf(address(registry)), 0);
        assertEq(registry.refundOf(alice), 0);
        assertEq(registry.getDatanet(d).acceptedCount, 0);
        assertEq(registry.contributionByHash(d, _hash(1)), 0);
    }

    function test_review_rejectedBondFollowsTreasuryChange() public {
        uint256 d = _create(owner, BOND);
        uint256 id = _contribute(alice, d, _hash(1));
        address newTreasury = makeAddr("newTreasury");
        vm.prank(governance);
        registry.setTreasury(newTreasury);
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
        registry.review(id, true);
        // Nor the contributor.
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotCurator.selector, d, alice));
        registry.review(id, true);
    }

    function test_review_revertsForCuratorOfAnotherDatanet() public {
        uint256 d1 = _create(owner, BOND);
        uint256 d2 = _create(curator, BOND);
        uint256 id = _contribute(alice, d1, _hash(1));
        vm.prank(curator);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotCurator.selector, d1, curator));
        registry.review(id, true);
        assertTrue(registry.isCurator(d2, curator));
    }

    function test_review_revertsOnUnknownContribution() public {
        _create(owner, BOND);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownContribution.selector, 1));
        registry.review(1, true);
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
            registry.review(accepted, accept);
            vm.prank(owner);
            vm.expectRevert(_statusError(rejected, IDatanetRegistry.ContributionStatus.Rejected));
            registry.review(rejected, accept);
        }

        vm.prank(owner);
        registry.penalize(accepted, "adversarial");
        vm.prank(owner);
        vm.expectRevert(_statusError(accepted, IDatanetRegistry.ContributionStatus.Penalized));
        registry.review(accepted, false);
        // Nothing moved twice.
        assertEq(open.balanceOf(treasury), BOND);
        assertEq(registry.refundOf(alice), BOND);
    }

    function test_review_worksWhilePaused() public {
        uint256 d = _create(owner, BOND);
        uint256 a = _contribute(alice, d, _hash(1));
        uint256 b = _contribute(alice, d, _hash(2));
        vm.prank(guardian);
        registry.pause();
        _review(owner, a, true);
        _review(owner, b, false);
        assertEq(registry.refundOf(alice), BOND);
        assertEq(open.balanceOf(treasury), BOND);
    }

    /// Random reviews (some repeated, which must revert) over five contributions with different bonds: each bond
    /// ends refunded or slashed, never both, and treasury + refunds + pending == bonds posted.
    function test_fuzz_review_settlesEachBondExactlyOnce(uint256 seed) public {
        uint256 d = _create(owner, BOND);
        vm.prank(owner);
        registry.setCurator(d, curator, true);
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
            IDatanetRegistry.Contribution memory c = registry.getContribution(ids[i]);
            if (c.status == IDatanetRegistry.ContributionStatus.Pending) pending += c.bond;
            if (c.status == IDatanetRegistry.ContributionStatus.Accepted) ++accepted;
        }
        assertEq(open.balanceOf(treasury), slashed, "treasury != slashed");
        assertEq(_refunds(), refunded, "refunds != accepted bonds");
        assertEq(open.balanceOf(address(registry)), pending + refunded, "held != pending + refunds");
        assertEq(slashed + refunded + pending, posted, "bonds not conserved");
        assertEq(registry.getDatanet(d).acceptedCount, accepted, "acceptedCount");
    }

    /// @dev `n` contributions to `d` from the three contributors, each with its own random bond within bounds.
    function _contributeVaryingBonds(
        uint256 d,
        uint256 seed,
        uint256 n
    ) internal returns (uint256[] memory ids, uint256 posted) {
        ids = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 bond = bound(uint256(keccak256(abi.encode(seed, "bond", i))), MIN_BOND, MAX_BOND);
            vm.prank(owner);
            registry.setContributionBond(d, bond);
            ids[i] = _contribute(_contributor(i), d, _hash(i));
            posted += bond;
        }
    }

    /// @dev Reviews `id` (by the owner or the added curator): reverts naming the status unless pending; else moves
    /// exactly its bond to refundOf (accept) or the treasury (reject). Returns the amounts credited and slashed.
    function _reviewOnce(uint256 id, bool accept, bool byOwner) internal returns (uint256 credited, uint256 slashed) {
        address by = byOwner ? owner : curator;
        IDatanetRegistry.Contribution memory c = registry.getContribution(id);
        if (c.status != IDatanetRegistry.ContributionStatus.Pending) {
            vm.prank(by);
            vm.expectRevert(_statusError(id, c.status));
            registry.review(id, accept);
            return (0, 0);
        }
        uint256 refundBefore = registry.refundOf(c.contributor);
        uint256 treasuryBefore = open.balanceOf(treasury);
        _review(by, id, accept);
        (credited, slashed) = accept ? (uint256(c.bond), uint256(0)) : (uint256(0), uint256(c.bond));
        assertEq(registry.refundOf(c.contributor), refundBefore + credited, "refund != accepted bond");
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
            uint256 bond = bound(uint256(keccak256(abi.encode(bondSeed, i))), MIN_BOND, MAX_BOND);
            vm.prank(owner);
            registry.setContributionBond(d, bond);
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
            vm.expectEmit(address(registry));
            emit IDatanetRegistry.BondsSlashed(treasury, expectedSlashed);
        }
        vm.prank(owner);
        registry.reviewBatch(ids, accepts);

        assertEq(open.balanceOf(treasury), expectedSlashed, "treasury != sum of rejected bonds");
        assertEq(registry.refundOf(alice), expectedRefund[0], "alice refund");
        assertEq(registry.refundOf(bob), expectedRefund[1], "bob refund");
        assertEq(registry.refundOf(carol), expectedRefund[2], "carol refund");
        assertEq(open.balanceOf(address(registry)), expectedRefund[0] + expectedRefund[1] + expectedRefund[2]);
        assertEq(registry.getDatanet(d).acceptedCount, expectedAccepted);
        for (uint256 i; i < n; ++i) {
            IDatanetRegistry.ContributionStatus expected =
                accepts[i]
                    ? IDatanetRegistry.ContributionStatus.Accepted
                    : IDatanetRegistry.ContributionStatus.Rejected;
            assertEq(uint256(_status(ids[i])), uint256(expected));
            assertEq(registry.contributionByHash(d, _hash(i)), accepts[i] ? ids[i] : 0);
        }
    }

    function test_reviewBatch_revertsOnEmptyBatch() public {
        vm.prank(owner);
        vm.expectRevert(IDatanetRegistry.DatanetRegistryEmptyBatch.selector);
        registry.reviewBatch(new uint256[](0), new bool[](0));
    }

    function test_reviewBatch_revertsOnLengthMismatch() public {
        uint256 d = _create(owner, BOND);
        uint256[] memory ids = new uint256[](2);
        ids[0] = _contribute(alice, d, _hash(1));
        ids[1] = _contribute(alice, d, _hash(2));
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryLengthMismatch.selector, 2, 1));
        registry.reviewBatch(ids, new bool[](1));
    }

    function test_reviewBatch_revertsOnMixedDatanets() public {
        uint256 d1 = _create(owner, BOND);
        uint256 d2 = _create(owner, BOND);
        uint256[] memory ids = new uint256[](2);
        ids[0] = _contribute(alice, d1, _hash(1));
        ids[1] = _contribute(alice, d2, _hash(1));
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryMixedDatanets.selector, ids[1], d1, d2));
        registry.reviewBatch(ids, new bool[](2));
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
        registry.reviewBatch(ids, accepts);

        assertEq(uint256(_status(ids[0])), uint256(IDatanetRegistry.ContributionStatus.Pending));
        assertEq(uint256(_status(ids[1])), uint256(IDatanetRegistry.ContributionStatus.Pending));
        assertEq(registry.refundOf(alice), 0);
        assertEq(open.balanceOf(treasury), 0);
    }

    function test_reviewBatch_revertsForNonCurator() public {
        uint256 d = _create(owner, BOND);
        uint256[] memory ids = new uint256[](1);
        ids[0] = _contribute(alice, d, _hash(1));
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotCurator.selector, d, stranger));
        registry.reviewBatch(ids, new bool[](1));
    }

    function test_reviewBatch_revertsOnUnknownContribution() public {
        uint256 d = _create(owner, BOND);
        uint256[] memory ids = new uint256[](2);
        ids[0] = _contribute(alice, d, _hash(1));
        ids[1] = 99;
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownContribution.selector, 99));
        registry.reviewBatch(ids, new bool[](2));
    }

    // ----------------------------------------------------------------------------------------------
    // Penalties
    // ----------------------------------------------------------------------------------------------

    function test_penalize_byCuratorExcludesFromAttribution() public {
        uint256 d = _create(owner, BOND);
        vm.prank(owner);
        registry.setCurator(d, curator, true);
        uint256 id = _contribute(alice, d, _hash(1));
        _review(owner, id, true);
        uint256[] memory nets = new uint256[](1);
        nets[0] = d;
        assertTrue(registry.isEligible(id, nets));

        vm.expectEmit(address(registry));
        emit IDatanetRegistry.ContributionPenalized(id, d, curator, "adversarial");
        vm.prank(curator);
        registry.penalize(id, "adversarial");

        assertEq(uint256(_status(id)), uint256(IDatanetRegistry.ContributionStatus.Penalized));
        assertFalse(registry.isEligible(id, nets));
        // The refund stays credited, the accepted count stays, the hash stays taken.
        assertEq(registry.refundOf(alice), BOND);
        assertEq(registry.getDatanet(d).acceptedCount, 1);
        assertEq(registry.contributionByHash(d, _hash(1)), id);
    }

    function test_penalize_byGovernance() public {
        uint256 d = _create(owner, BOND);
        uint256 id = _contribute(alice, d, _hash(1));
        _review(owner, id, true);
        vm.prank(governance);
        registry.penalize(id, "adversarial");
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
        registry.penalize(id, "adversarial");
    }

    function test_penalize_revertsUnlessAccepted() public {
        uint256 d = _create(owner, BOND);
        uint256 pending = _contribute(alice, d, _hash(1));
        uint256 rejected = _contribute(alice, d, _hash(2));
        uint256 penalized = _contribute(alice, d, _hash(3));
        _review(owner, rejected, false);
        _review(owner, penalized, true);
        vm.prank(owner);
        registry.penalize(penalized, "adversarial");

        vm.startPrank(owner);
        vm.expectRevert(_statusError(pending, IDatanetRegistry.ContributionStatus.Pending));
        registry.penalize(pending, "x");
        vm.expectRevert(_statusError(rejected, IDatanetRegistry.ContributionStatus.Rejected));
        registry.penalize(rejected, "x");
        vm.expectRevert(_statusError(penalized, IDatanetRegistry.ContributionStatus.Penalized));
        registry.penalize(penalized, "x");
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownContribution.selector, 99));
        registry.penalize(99, "x");
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
        assertTrue(registry.isEligible(accepted, both));
        assertFalse(registry.isEligible(accepted, onlyD2));
        assertFalse(registry.isEligible(accepted, new uint256[](0)));
        assertFalse(registry.isEligible(pending, both));
        assertFalse(registry.isEligible(rejected, both));
        assertFalse(registry.isEligible(999, both));
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

        vm.expectEmit(address(registry));
        emit IDatanetRegistry.VersionPublished(d, 1, root, 2, "ipfs://v1");
        vm.prank(owner);
        uint256 version = registry.publishVersion(d, root, 2, "ipfs://v1");

        assertEq(version, 1);
        assertEq(registry.getDatanet(d).versionCount, 1);
        IDatanetRegistry.Version memory v = registry.getVersion(d, 1);
        assertEq(v.merkleRoot, root);
        assertEq(v.count, 2);
        assertEq(v.publishedAt, block.timestamp);
        assertEq(v.uri, "ipfs://v1");

        bytes32[] memory proof = new bytes32[](1);
        proof[0] = _leaf(ids[1]);
        assertTrue(registry.verifyInclusion(d, 1, ids[0], proof));
        proof[0] = _leaf(ids[0]);
        assertTrue(registry.verifyInclusion(d, 1, ids[1], proof));
        assertFalse(registry.verifyInclusion(d, 1, ids[0], proof), "wrong proof");

        // A single-leaf version: the root is the leaf and the proof is empty.
        vm.prank(owner);
        assertEq(registry.publishVersion(d, _leaf(ids[0]), 1, "ipfs://v2"), 2);
        assertTrue(registry.verifyInclusion(d, 2, ids[0], new bytes32[](0)));
        assertFalse(registry.verifyInclusion(d, 2, ids[1], new bytes32[](0)));
    }

    function test_verifyInclusion_falseForContributionOfAnotherDatanet() public {
        uint256 d1 = _create(owner, BOND);
        uint256 d2 = _create(owner, BOND);
        uint256 id = _contribute(alice, d2, _hash(1));
        _review(owner, id, true);
        uint256[] memory ids = _acceptN(d1, 1);
        // A root that would "prove" d2's contribution under d1.
        vm.prank(owner);
        registry.publishVersion(d1, _leaf(id), 1, "ipfs://v1");
        assertFalse(registry.verifyInclusion(d1, 1, id, new bytes32[](0)));
        assertEq(ids.length, 1);
    }

    function test_getVersion_revertsOnUnknownVersionOrDatanet() public {
        uint256 d = _create(owner, BOND);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownVersion.selector, d, 1));
        registry.getVersion(d, 1);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownDatanet.selector, 9));
        registry.getVersion(9, 1);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownVersion.selector, d, 0));
        registry.verifyInclusion(d, 0, 1, new bytes32[](0));
    }

    function test_fuzz_publishVersion_countWithinOneAndAccepted(uint64 count) public {
        uint256 d = _create(owner, BOND);
        _acceptN(d, 3);
        // A penalized contribution still counts (it stays in old versions).
        vm.prank(owner);
        registry.penalize(1, "adversarial");
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
        registry.publishVersion(d, keccak256("root"), count, "ipfs://v");
        assertEq(registry.getDatanet(d).versionCount, valid ? 1 : 0);
    }

    function test_publishVersion_revertsWithNothingAccepted() public {
        uint256 d = _create(owner, BOND);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryInvalidVersionCount.selector, 1, 0));
        registry.publishVersion(d, keccak256("root"), 1, "ipfs://v");
    }

    function test_publishVersion_revertsOnZeroRoot() public {
        uint256 d = _create(owner, BOND);
        _acceptN(d, 1);
        vm.prank(owner);
        vm.expectRevert(IDatanetRegistry.DatanetRegistryZeroMerkleRoot.selector);
        registry.publishVersion(d, bytes32(0), 1, "ipfs://v");
    }

    function test_publishVersion_revertsForNonCurator() public {
        uint256 d = _create(owner, BOND);
        _acceptN(d, 1);
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotCurator.selector, d, governance));
        registry.publishVersion(d, keccak256("root"), 1, "ipfs://v");
    }

    function test_publishVersion_revertsOnUnknownDatanet() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryUnknownDatanet.selector, 4));
        registry.publishVersion(4, keccak256("root"), 1, "ipfs://v");
    }

    // ----------------------------------------------------------------------------------------------
    // Refunds
    // ----------------------------------------------------------------------------------------------

    function test_claimRefund_paysCreditedBonds() public {
        uint256 d = _create(owner, BOND);
        _review(owner, _contribute(alice, d, _hash(1)), true);
        _review(owner, _contribute(alice, d, _hash(2)), true);

        vm.expectEmit(address(registry));
        emit IDatanetRegistry.RefundClaimed(alice, alice, 2 * BOND);
        vm.prank(alice);
        assertEq(registry.claimRefund(), 2 * BOND);
        assertEq(registry.refundOf(alice), 0);
        assertEq(open.balanceOf(alice), USER_FUNDS);
        assertEq(open.balanceOf(address(registry)), 0);
    }

    function test_claimRefundTo_paysRecipient() public {
        uint256 d = _create(owner, BOND);
        _review(owner, _contribute(alice, d, _hash(1)), true);
        vm.prank(alice);
        assertEq(registry.claimRefundTo(stranger), BOND);
        assertEq(open.balanceOf(stranger), BOND);
        assertEq(registry.refundOf(alice), 0);
    }

    function test_claimRefundTo_revertsOnZeroRecipient() public {
        uint256 d = _create(owner, BOND);
        _review(owner, _contribute(alice, d, _hash(1)), true);
        vm.prank(alice);
        vm.expectRevert(IDatanetRegistry.DatanetRegistryZeroAddress.selector);
        registry.claimRefundTo(address(0));
    }

    function test_claimRefund_revertsWhenNothingToClaim() public {
        uint256 d = _create(owner, BOND);
        _contribute(alice, d, _hash(1)); // pending: not claimable
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNothingToClaim.selector, alice));
        registry.claimRefund();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNothingToClaim.selector, alice));
        registry.claimRefundTo(bob);
    }

    function test_claimRefund_worksWhilePaused() public {
        uint256 d = _create(owner, BOND);
        _review(owner, _contribute(alice, d, _hash(1)), true);
        vm.prank(guardian);
        registry.pause();
        vm.prank(alice);
        assertEq(registry.claimRefund(), BOND);
    }

    // ----------------------------------------------------------------------------------------------
    // Governance and the guardian
    // ----------------------------------------------------------------------------------------------

    function test_pause_byGuardianOrGovernanceOnly() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotGuardian.selector, stranger));
        registry.pause();

        vm.prank(guardian);
        registry.pause();
        assertTrue(registry.paused());

        // The guardian cannot unpause.
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, guardian));
        registry.unpause();

        vm.prank(governance);
        registry.unpause();
        assertFalse(registry.paused());

        vm.prank(governance);
        registry.pause();
        assertTrue(registry.paused());
    }

    function test_pause_revertsWhenAlreadyPaused() public {
        vm.prank(guardian);
        registry.pause();
        vm.prank(guardian);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        registry.pause();
    }

    function test_setGuardian_replacesAndDisablesGuardian() public {
        address newGuardian = makeAddr("newGuardian");
        vm.expectEmit(address(registry));
        emit IDatanetRegistry.GuardianUpdated(guardian, newGuardian);
        vm.prank(governance);
        registry.setGuardian(newGuardian);
        assertEq(registry.guardian(), newGuardian);

        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotGuardian.selector, guardian));
        registry.pause();

        vm.prank(governance);
        registry.setGuardian(address(0));
        // address(0) cannot call, so nobody but governance can pause.
        vm.prank(newGuardian);
        vm.expectRevert(abi.encodeWithSelector(IDatanetRegistry.DatanetRegistryNotGuardian.selector, newGuardian));
        registry.pause();
    }

    function test_setTreasury_revertsOnZeroAndForNonGovernance() public {
        vm.prank(governance);
        vm.expectRevert(IDatanetRegistry.DatanetRegistryZeroAddress.selector);
        registry.setTreasury(address(0));
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        registry.setTreasury(stranger);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        registry.setGuardian(stranger);
    }

    function test_renounceOwnership_isDisabled() public {
        vm.prank(governance);
        vm.expectRevert(IDatanetRegistry.DatanetRegistryRenounceDisabled.selector);
        registry.renounceOwnership();
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger));
        registry.renounceOwnership();
        assertEq(registry.owner(), governance);
    }
}
