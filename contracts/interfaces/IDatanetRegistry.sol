// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AttributionRecord} from "../libraries/AttributionRules.sol";
import {IProtocolAdmin} from "./IProtocolAdmin.sol";

/// @title IDatanetRegistry — Datanets: curated, bonded, versioned data sets
/// @notice Anyone creates a Datanet and becomes its owner and first curator; the owner adds and removes curators.
/// Contributors submit data by content hash with an OPEN bond. Curators review: accepting returns the bond
/// (credited, then claimed), rejecting sends it to the treasury. An accepted contribution later found
/// adversarial can be penalized by a curator or governance: it is then excluded from attribution. Curators
/// publish versions: the Merkle root of accepted contribution ids, so a model can name exactly the data it was
/// trained on and anyone can prove a contribution's inclusion on-chain.
/// @dev Storage is O(1) per write and nothing iterates a user-growable array. Lists (a datanet's contributions,
/// its curators) come from events. Contribution URIs are emitted, not stored: the content hash is the
/// contribution's on-chain identity.
/// Warning: OPEN must be a plain ERC-20 (no fee on transfer, no rebasing).
/// A bond is set by the datanet's owner, so a contributor caps it with `maxBond`: a bond raised just before the
/// contribution lands reverts instead of being pulled under a standing approval.
/// The guardian can pause contributions in an emergency; only governance unpauses (see IProtocolAdmin). Reviews,
/// refunds and claims are never paused.
interface IDatanetRegistry is IProtocolAdmin {
    /// @notice Lifecycle of a contribution. Pending → Accepted | Rejected; Accepted → Penalized.
    enum ContributionStatus {
        None,
        Pending,
        Accepted,
        Rejected,
        Penalized
    }

    /// @notice One Datanet.
    /// @param owner Creator; manages curators and can close or reopen the datanet.
    /// @param contributionBond OPEN-wei each contribution must post.
    /// @param open Whether it accepts contributions.
    /// @param createdAt Unix time (seconds).
    /// @param contributionCount Contributions submitted so far (all statuses).
    /// @param acceptedCount Contributions accepted so far (penalized ones included: they stay in old versions).
    /// @param versionCount Versions published so far; versions are numbered from 1.
    /// @param metadataURI Off-chain description (name, domain, licence, schema).
    struct Datanet {
        address owner;
        bool open;
        uint48 createdAt;
        uint96 contributionBond;
        uint64 contributionCount;
        uint64 acceptedCount;
        uint32 versionCount;
        string metadataURI;
    }

    /// @notice One contribution. Contributor, datanet and status share a storage slot: what attribution reads.
    /// @param contributor Who submitted it; receives the refund and, later, attribution rewards.
    /// @param datanetId The datanet it was submitted to.
    /// @param status Where it is in its lifecycle.
    /// @param bond OPEN-wei posted (the datanet's bond when it was submitted).
    /// @param submittedAt Unix time (seconds).
    /// @param size Size of the content in bytes, as declared by the contributor.
    /// @param contentHash keccak256 of the content.
    struct Contribution {
        address contributor;
        uint64 datanetId;
        ContributionStatus status;
        uint96 bond;
        uint48 submittedAt;
        uint64 size;
        bytes32 contentHash;
    }

    /// @notice A published snapshot of a datanet's accepted contributions.
    /// @param merkleRoot Root of the OpenZeppelin standard Merkle tree over the accepted contribution ids
    /// (leaf encoding `["uint256"]`), built by sdk/merkle.ts.
    /// @param count Number of leaves.
    /// @param publishedAt Unix time (seconds).
    /// @param uri Where the tree (with its proofs) is served.
    struct Version {
        bytes32 merkleRoot;
        uint64 count;
        uint48 publishedAt;
        string uri;
    }

    /// @notice `owner` created datanet `datanetId`; contributions post `contributionBond` OPEN-wei.
    event DatanetCreated(
        uint256 indexed datanetId,
        address indexed owner,
        uint256 contributionBond,
        string metadataURI
    );
    /// @notice The datanet's owner opened or closed it to contributions.
    event DatanetOpenChanged(uint256 indexed datanetId, bool open);
    /// @notice The datanet's owner changed the bond of later contributions.
    event ContributionBondUpdated(uint256 indexed datanetId, uint256 oldBond, uint256 newBond);
    /// @notice The datanet's owner added (`isCurator`) or removed a curator.
    event CuratorUpdated(uint256 indexed datanetId, address indexed curator, bool isCurator);
    /// @notice A contribution was submitted with its bond. The URI is only in this event.
    event ContributionSubmitted(
        uint256 indexed contributionId,
        uint256 indexed datanetId,
        address indexed contributor,
        bytes32 contentHash,
        string uri,
        uint256 size,
        uint256 bond
    );
    /// @notice A curator accepted the contribution (its `bond` is credited back to the contributor) or rejected
    /// it (its `bond` goes to the treasury).
    event ContributionReviewed(
        uint256 indexed contributionId,
        uint256 indexed datanetId,
        address indexed curator,
        bool accepted,
        uint256 bond
    );
    /// @notice An accepted contribution was found adversarial by `by` (a curator or governance) and is excluded
    /// from attribution from now on.
    event ContributionPenalized(
        uint256 indexed contributionId,
        uint256 indexed datanetId,
        address indexed by,
        string reason
    );
    /// @notice A curator published `version` of the datanet.
    event VersionPublished(
        uint256 indexed datanetId,
        uint256 indexed version,
        bytes32 merkleRoot,
        uint256 count,
        string uri
    );
    /// @notice `account` claimed `amount` OPEN-wei of refunded bonds, paid to `recipient`.
    event RefundClaimed(address indexed account, address indexed recipient, uint256 amount);
    /// @notice `amount` OPEN-wei of rejected bonds went to the treasury.
    event BondsSlashed(address indexed treasury, uint256 amount);
    /// @notice Governance changed the bounds of datanet contribution bonds (OPEN-wei).
    event BondBoundsUpdated(uint256 oldMin, uint256 oldMax, uint256 newMin, uint256 newMax);

    /// @notice The address must not be the zero address.
    error DatanetRegistryZeroAddress();
    /// @notice There is no datanet `datanetId`.
    error DatanetRegistryUnknownDatanet(uint256 datanetId);
    /// @notice Datanet `datanetId` is closed to contributions.
    error DatanetRegistryDatanetClosed(uint256 datanetId);
    /// @notice `caller` is not the owner of datanet `datanetId`.
    error DatanetRegistryNotDatanetOwner(uint256 datanetId, address caller);
    /// @notice `caller` is not a curator of datanet `datanetId`.
    error DatanetRegistryNotCurator(uint256 datanetId, address caller);
    /// @notice `caller` is neither a curator of datanet `datanetId` nor governance.
    error DatanetRegistryNotCuratorOrGovernance(uint256 datanetId, address caller);
    /// @notice The owner of datanet `datanetId` is always a curator and cannot be removed.
    error DatanetRegistryOwnerIsCurator(uint256 datanetId);
    /// @notice A contribution bond of `bond` OPEN-wei lies outside [`min`, `max`].
    error DatanetRegistryBondOutOfBounds(uint256 bond, uint256 min, uint256 max);
    /// @notice The datanet's bond of `bond` OPEN-wei exceeds the contributor's `maxBond`.
    error DatanetRegistryBondAboveMax(uint256 bond, uint256 maxBond);
    /// @notice Bond bounds must satisfy `min` ≤ `max` ≤ `cap`.
    error DatanetRegistryInvalidBondBounds(uint256 min, uint256 max, uint256 cap);
    /// @notice `contentHash` is already pending or accepted in datanet `datanetId` as `existingContributionId`.
    error DatanetRegistryRedundantContribution(uint256 datanetId, bytes32 contentHash, uint256 existingContributionId);
    /// @notice The content hash must not be zero.
    error DatanetRegistryZeroContentHash();
    /// @notice There is no contribution `contributionId`.
    error DatanetRegistryUnknownContribution(uint256 contributionId);
    /// @notice Contribution `contributionId` is `status`, which does not allow this action.
    error DatanetRegistryUnexpectedContributionStatus(uint256 contributionId, ContributionStatus status);
    /// @notice A batch must stay in one datanet: `contributionId` is in `actualDatanetId`, not `expectedDatanetId`.
    error DatanetRegistryMixedDatanets(uint256 contributionId, uint256 expectedDatanetId, uint256 actualDatanetId);
    /// @notice `ids` contribution ids were given with `decisions` decisions.
    error DatanetRegistryLengthMismatch(uint256 ids, uint256 decisions);
    /// @notice A review batch must hold between 1 and `max` contributions, not `count`.
    error DatanetRegistryInvalidBatchSize(uint256 count, uint256 max);
    /// @notice A version must hold between 1 and the datanet's `acceptedCount` contributions, not `count`.
    error DatanetRegistryInvalidVersionCount(uint256 count, uint256 acceptedCount);
    /// @notice The Merkle root must not be zero.
    error DatanetRegistryZeroMerkleRoot();
    /// @notice Datanet `datanetId` has no version `version`.
    error DatanetRegistryUnknownVersion(uint256 datanetId, uint256 version);
    /// @notice `account` has no refunded bonds to claim.
    error DatanetRegistryNothingToClaim(address account);

    // ---------------------------------------------------------------------------------------------
    // Datanets
    // ---------------------------------------------------------------------------------------------

    /// @notice Create a datanet; the caller becomes its owner and first curator.
    /// @param metadataURI Off-chain description (name, domain, licence, schema).
    /// @param contributionBond OPEN-wei each contribution must post; within the governance bounds.
    /// @return datanetId Ids start at 1.
    function createDatanet(string calldata metadataURI, uint256 contributionBond) external returns (uint256 datanetId);

    /// @notice Add or remove a curator. Datanet owner only. The owner is always a curator: naming it reverts with
    /// DatanetRegistryOwnerIsCurator either way.
    function setCurator(uint256 datanetId, address curator, bool isCurator) external;

    /// @notice Open or close the datanet to contributions. Datanet owner only. Pending contributions can still be
    /// reviewed while it is closed.
    function setDatanetOpen(uint256 datanetId, bool open) external;

    /// @notice Change the bond of later contributions (pending ones keep theirs). Datanet owner only; within bounds.
    function setContributionBond(uint256 datanetId, uint256 contributionBond) external;

    // ---------------------------------------------------------------------------------------------
    // Contributions
    // ---------------------------------------------------------------------------------------------

    /// @notice Submit a contribution, pulling the datanet's bond in OPEN from the caller (approve first).
    /// @param contentHash keccak256 of the content; must not be pending or accepted in this datanet already.
    /// @param uri Where the content can be fetched (emitted, not stored).
    /// @param size Content size in bytes, as declared.
    /// @param maxBond Most OPEN-wei the caller accepts to post: the owner may change the bond at any time.
    /// @return contributionId Ids start at 1 and are unique across datanets.
    function contribute(
        uint256 datanetId,
        bytes32 contentHash,
        string calldata uri,
        uint64 size,
        uint256 maxBond
    ) external returns (uint256 contributionId);

    /// @notice `contribute` with an EIP-2612 permit for `maxBond` signed by the caller for this contract.
    /// @dev A failed permit (e.g. front-run) is ignored when the allowance already covers the bond. The permit sets
    /// the allowance to `maxBond` and only the bond is pulled, so a bond below the cap leaves `maxBond - bond` of
    /// allowance to this registry; it only ever pulls from its caller, each time capped by that call's `maxBond`.
    function contributeWithPermit(
        uint256 datanetId,
        bytes32 contentHash,
        string calldata uri,
        uint64 size,
        uint256 maxBond,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 contributionId);

    /// @notice Accept (bond credited back to the contributor) or reject (bond to the treasury) a pending
    /// contribution. Curators of its datanet only.
    function review(uint256 contributionId, bool accept) external;

    /// @notice Review many pending contributions of one datanet at once: 1 to MAX_REVIEW_BATCH of them.
    /// @dev Reverts as a whole if any contribution is not pending or not in the first one's datanet. Rejected
    /// bonds go to the treasury in one transfer; accepted bonds are credited (pull, see claimRefund).
    function reviewBatch(uint256[] calldata contributionIds, bool[] calldata accepts) external;

    /// @notice Mark an accepted contribution adversarial: it earns no attribution from now on.
    /// Curators of its datanet or governance.
    /// @dev No money moves: the bond was already credited back at acceptance. The content hash stays taken, so the
    /// same content cannot be contributed to this datanet again.
    function penalize(uint256 contributionId, string calldata reason) external;

    /// @notice Publish the Merkle root of the datanet's accepted contribution ids. Curators only.
    /// @param count Number of leaves: 1 ≤ count ≤ the datanet's accepted count.
    /// @return version The new version number (from 1).
    function publishVersion(
        uint256 datanetId,
        bytes32 merkleRoot,
        uint64 count,
        string calldata uri
    ) external returns (uint256 version);

    /// @notice Send the caller's refunded bonds to the caller. Never pausable.
    /// @return amount OPEN-wei sent.
    function claimRefund() external returns (uint256 amount);

    /// @notice Send the caller's refunded bonds to `recipient`. Never pausable.
    /// @dev Refuses a recipient that could not spend it: zero, this registry or the OPEN token.
    /// @return amount OPEN-wei sent.
    function claimRefundTo(address recipient) external returns (uint256 amount);

    // ---------------------------------------------------------------------------------------------
    // Governance and the guardian
    // ---------------------------------------------------------------------------------------------

    /// @notice Set the bounds of contribution bonds for later datanets and bond changes. Governance only.
    /// @dev Requires min ≤ max ≤ MAX_CONTRIBUTION_BOND. Existing datanets keep their bond.
    function setBondBounds(uint256 minBond, uint256 maxBond) external;

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @notice Datanet `datanetId`. Reverts for an unknown id.
    function getDatanet(uint256 datanetId) external view returns (Datanet memory);

    /// @notice Contribution `contributionId`. Reverts for an unknown id.
    function getContribution(uint256 contributionId) external view returns (Contribution memory);

    /// @notice Version `version` of datanet `datanetId`. Reverts for an unknown datanet or version.
    function getVersion(uint256 datanetId, uint256 version) external view returns (Version memory);

    /// @notice Whether `account` curates datanet `datanetId` (its owner always does).
    function isCurator(uint256 datanetId, address account) external view returns (bool);

    /// @notice The pending or accepted (or penalized) contribution with `contentHash` in the datanet, or 0.
    function contributionByHash(uint256 datanetId, bytes32 contentHash) external view returns (uint256);

    /// @notice Whether contribution `contributionId` is a leaf of version `version` of datanet `datanetId`.
    /// @dev Membership only: a version is a snapshot, so a contribution penalized after publication still proves
    /// its inclusion. Whether it may earn attribution is `isEligible`.
    /// @dev Leaf = keccak256(bytes.concat(keccak256(abi.encode(contributionId)))), the OpenZeppelin standard
    /// Merkle tree with leaf encoding ["uint256"]. Reverts for an unknown datanet or version.
    function verifyInclusion(
        uint256 datanetId,
        uint256 version,
        uint256 contributionId,
        bytes32[] calldata proof
    ) external view returns (bool);

    /// @notice Whether contribution `contributionId` may earn attribution for a model trained on `datanetIds`:
    /// it is Accepted (not pending, rejected or penalized) and belongs to one of them.
    function isEligible(uint256 contributionId, uint256[] calldata datanetIds) external view returns (bool);

    /// @notice For each of `contributionIds`, what a report of a model trained on `datanetIds` may do with it: its
    /// contributor with Eligible (Accepted), Forfeited (Penalized) or Invalid (anything else, or outside the
    /// datanets), packed as an AttributionRecord (see AttributionRules). The router calls it for each report that
    /// names a contribution it has not yet read in the same settlement call.
    function attributionRecords(
        uint256[] calldata contributionIds,
        uint256[] calldata datanetIds
    ) external view returns (AttributionRecord[] memory records);

    /// @notice Whether datanet `datanetId` exists.
    function datanetExists(uint256 datanetId) external view returns (bool);

    /// @notice OPEN-wei of refunded bonds `account` can claim.
    function refundOf(address account) external view returns (uint256);

    /// @notice Number of datanets created (the last id).
    function datanetCount() external view returns (uint256);

    /// @notice Number of contributions submitted (the last id).
    function contributionCount() external view returns (uint256);

    /// @notice Bounds of contribution bonds, in OPEN-wei.
    function bondBounds() external view returns (uint256 minBond, uint256 maxBond);

    /// @notice The OPEN token.
    function openToken() external view returns (address);
}
