// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {ProtocolAdmin} from "../admin/ProtocolAdmin.sol";
import {IDatanetRegistry} from "../interfaces/IDatanetRegistry.sol";
import {AttributionRecord, AttributionRules} from "../libraries/AttributionRules.sol";

/// @title DatanetRegistry — datanets, contributions, curation, bonds and published versions
/// @notice See IDatanetRegistry for the rules.
/// @dev Bonds: a pending contribution's bond is held here; accepting credits it to the contributor (pull, so a
/// batch never pays arbitrary addresses in a loop), rejecting sends it to the treasury. At any time
/// OPEN held == Σ bonds of pending contributions + Σ credited refunds not yet claimed.
contract DatanetRegistry is IDatanetRegistry, ProtocolAdmin, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Highest contribution bond governance may allow, in OPEN-wei (1,000,000 OPEN).
    uint256 public constant MAX_CONTRIBUTION_BOND = 1_000_000 ether;
    /// @notice Most contributions one reviewBatch may settle, so the largest batch fits a transaction (EIP-7825).
    /// @dev The costliest review accepts a contribution whose contributor was never credited (three cold slots and a
    /// fresh refund slot, ~33,700 gas). 350 of them, one rejected to add the treasury transfer, cost ~11.8M gas: about
    /// 70% of the 16,777,216-gas cap (500 would exceed it).
    uint256 public constant MAX_REVIEW_BATCH = 350;

    IERC20 private immutable _open;

    uint96 private _minBond;
    uint96 private _maxBond;
    uint64 private _datanetCount;
    uint64 private _contributionCount;

    mapping(uint256 datanetId => Datanet) private _datanets;
    mapping(uint256 contributionId => Contribution) private _contributions;
    mapping(uint256 datanetId => mapping(address account => bool)) private _curators;
    mapping(uint256 datanetId => mapping(bytes32 contentHash => uint256 contributionId)) private _byHash;
    mapping(uint256 datanetId => mapping(uint256 version => Version)) private _versions;
    mapping(address account => uint256) private _refunds;

    /// @param open The OPEN token.
    /// @param admin Governance (the ProtocolTimelock), the treasury that receives rejected bonds (the timelock) and
    /// the guardian that may pause contributions (zero for none).
    /// @param minBond Lowest contribution bond a datanet may ask, in OPEN-wei.
    /// @param maxBond Highest contribution bond a datanet may ask, in OPEN-wei.
    constructor(IERC20 open, AdminConfig memory admin, uint256 minBond, uint256 maxBond) ProtocolAdmin(admin) {
        if (address(open) == address(0)) revert DatanetRegistryZeroAddress();
        _open = open;
        _setBondBounds(minBond, maxBond);
    }

    // ----------------------------------------------------------------------------------------------
    // Datanets
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IDatanetRegistry
    function createDatanet(string calldata metadataURI, uint256 contributionBond) external returns (uint256 datanetId) {
        _checkBond(contributionBond);
        datanetId = ++_datanetCount;
        Datanet storage d = _datanets[datanetId];
        d.owner = msg.sender;
        d.open = true;
        d.createdAt = uint48(block.timestamp);
        d.contributionBond = uint96(contributionBond); // ≤ MAX_CONTRIBUTION_BOND by _checkBond
        d.metadataURI = metadataURI;
        emit DatanetCreated(datanetId, msg.sender, contributionBond, metadataURI);
    }

    /// @inheritdoc IDatanetRegistry
    function setCurator(uint256 datanetId, address curator, bool isCurator_) external {
        Datanet storage d = _ownedDatanet(datanetId);
        if (curator == address(0)) revert DatanetRegistryZeroAddress();
        if (curator == d.owner) revert DatanetRegistryOwnerIsCurator(datanetId);
        _curators[datanetId][curator] = isCurator_;
        emit CuratorUpdated(datanetId, curator, isCurator_);
    }

    /// @inheritdoc IDatanetRegistry
    function setDatanetOpen(uint256 datanetId, bool open_) external {
        _ownedDatanet(datanetId).open = open_;
        emit DatanetOpenChanged(datanetId, open_);
    }

    /// @inheritdoc IDatanetRegistry
    function setContributionBond(uint256 datanetId, uint256 contributionBond) external {
        Datanet storage d = _ownedDatanet(datanetId);
        _checkBond(contributionBond);
        emit ContributionBondUpdated(datanetId, d.contributionBond, contributionBond);
        d.contributionBond = uint96(contributionBond);
    }

    // ----------------------------------------------------------------------------------------------
    // Contributions
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IDatanetRegistry
    function contribute(
        uint256 datanetId,
        bytes32 contentHash,
        string calldata uri,
        uint64 size,
        uint256 maxBond
    ) external nonReentrant whenNotPaused returns (uint256 contributionId) {
        return _contribute(datanetId, contentHash, uri, size, maxBond);
    }

    /// @inheritdoc IDatanetRegistry
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
    ) external nonReentrant whenNotPaused returns (uint256 contributionId) {
        // A front-run permit must not block the contribution when the allowance is already in place.
        try IERC20Permit(address(_open)).permit(msg.sender, address(this), maxBond, deadline, v, r, s) {} catch {}
        return _contribute(datanetId, contentHash, uri, size, maxBond);
    }

    /// @inheritdoc IDatanetRegistry
    function review(uint256 contributionId, bool accept) external nonReentrant {
        Contribution storage c = _contribution(contributionId);
        uint256 datanetId = c.datanetId;
        _checkCurator(datanetId);
        uint256 slashed = _review(contributionId, c, datanetId, accept);
        if (accept) _datanets[datanetId].acceptedCount += 1;
        _sendToTreasury(slashed);
    }

    /// @inheritdoc IDatanetRegistry
    function reviewBatch(uint256[] calldata contributionIds, bool[] calldata accepts) external nonReentrant {
        uint256 n = contributionIds.length;
        if (n == 0 || n > MAX_REVIEW_BATCH) revert DatanetRegistryInvalidBatchSize(n, MAX_REVIEW_BATCH);
        if (accepts.length != n) revert DatanetRegistryLengthMismatch(n, accepts.length);

        uint256 datanetId = _contribution(contributionIds[0]).datanetId;
        _checkCurator(datanetId);
        uint256 slashed;
        uint256 accepted;
        for (uint256 i; i < n; ++i) {
            uint256 id = contributionIds[i];
            Contribution storage c = _contribution(id);
            if (c.datanetId != datanetId) revert DatanetRegistryMixedDatanets(id, datanetId, c.datanetId);
            bool accept = accepts[i];
            slashed += _review(id, c, datanetId, accept);
            if (accept) ++accepted;
        }
        // acceptedCount ≤ contributionCount, a uint64, so the cast cannot truncate.
        if (accepted != 0) _datanets[datanetId].acceptedCount += uint64(accepted);
        _sendToTreasury(slashed);
    }

    /// @inheritdoc IDatanetRegistry
    function penalize(uint256 contributionId, string calldata reason) external {
        Contribution storage c = _contribution(contributionId);
        uint256 datanetId = c.datanetId;
        if (msg.sender != owner() && !_isCurator(datanetId, msg.sender)) {
            revert DatanetRegistryNotCuratorOrGovernance(datanetId, msg.sender);
        }
        if (c.status != ContributionStatus.Accepted) {
            revert DatanetRegistryUnexpectedContributionStatus(contributionId, c.status);
        }
        c.status = ContributionStatus.Penalized;
        emit ContributionPenalized(contributionId, datanetId, msg.sender, reason);
    }

    /// @inheritdoc IDatanetRegistry
    function publishVersion(
        uint256 datanetId,
        bytes32 merkleRoot,
        uint64 count,
        string calldata uri
    ) external returns (uint256 version) {
        Datanet storage d = _datanet(datanetId);
        _checkCurator(datanetId);
        if (merkleRoot == bytes32(0)) revert DatanetRegistryZeroMerkleRoot();
        if (count == 0 || count > d.acceptedCount) revert DatanetRegistryInvalidVersionCount(count, d.acceptedCount);

        version = ++d.versionCount;
        Version storage v = _versions[datanetId][version];
        v.merkleRoot = merkleRoot;
        v.count = count;
        v.publishedAt = uint48(block.timestamp);
        v.uri = uri;
        emit VersionPublished(datanetId, version, merkleRoot, count, uri);
    }

    /// @inheritdoc IDatanetRegistry
    function claimRefund() external nonReentrant returns (uint256 amount) {
        return _claimRefund(msg.sender);
    }

    /// @inheritdoc IDatanetRegistry
    function claimRefundTo(address recipient) external nonReentrant returns (uint256 amount) {
        _checkRecipient(recipient, address(_open));
        return _claimRefund(recipient);
    }

    // ----------------------------------------------------------------------------------------------
    // Governance and the guardian
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IDatanetRegistry
    function setBondBounds(uint256 minBond, uint256 maxBond) external onlyOwner {
        _setBondBounds(minBond, maxBond);
    }

    // ----------------------------------------------------------------------------------------------
    // Views
    // ----------------------------------------------------------------------------------------------

    /// @inheritdoc IDatanetRegistry
    function getDatanet(uint256 datanetId) external view returns (Datanet memory) {
        return _datanet(datanetId);
    }

    /// @inheritdoc IDatanetRegistry
    function getContribution(uint256 contributionId) external view returns (Contribution memory) {
        return _contribution(contributionId);
    }

    /// @inheritdoc IDatanetRegistry
    function getVersion(uint256 datanetId, uint256 version) external view returns (Version memory) {
        return _version(datanetId, version);
    }

    /// @inheritdoc IDatanetRegistry
    function isCurator(uint256 datanetId, address account) external view returns (bool) {
        return _isCurator(datanetId, account);
    }

    /// @inheritdoc IDatanetRegistry
    function contributionByHash(uint256 datanetId, bytes32 contentHash) external view returns (uint256) {
        return _byHash[datanetId][contentHash];
    }

    /// @inheritdoc IDatanetRegistry
    function verifyInclusion(
        uint256 datanetId,
        uint256 version,
        uint256 contributionId,
        bytes32[] calldata proof
    ) external view returns (bool) {
        bytes32 root = _version(datanetId, version).merkleRoot;
        if (_contributions[contributionId].datanetId != datanetId) return false;
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(contributionId))));
        return MerkleProof.verifyCalldata(proof, root, leaf);
    }

    /// @inheritdoc IDatanetRegistry
    function isEligible(uint256 contributionId, uint256[] calldata datanetIds) external view returns (bool) {
        return
            AttributionRules.eligibility(_attributionRecord(contributionId, datanetIds)) ==
            AttributionRules.Eligibility.Eligible;
    }

    /// @inheritdoc IDatanetRegistry
    function attributionRecords(
        uint256[] calldata contributionIds,
        uint256[] calldata datanetIds
    ) external view returns (AttributionRecord[] memory records) {
        records = new AttributionRecord[](contributionIds.length);
        for (uint256 i; i < contributionIds.length; ++i) {
            records[i] = _attributionRecord(contributionIds[i], datanetIds);
        }
    }

    /// @inheritdoc IDatanetRegistry
    function datanetExists(uint256 datanetId) external view returns (bool) {
        return _datanets[datanetId].owner != address(0);
    }

    /// @inheritdoc IDatanetRegistry
    function refundOf(address account) external view returns (uint256) {
        return _refunds[account];
    }

    /// @inheritdoc IDatanetRegistry
    function datanetCount() external view returns (uint256) {
        return _datanetCount;
    }

    /// @inheritdoc IDatanetRegistry
    function contributionCount() external view returns (uint256) {
        return _contributionCount;
    }

    /// @inheritdoc IDatanetRegistry
    function bondBounds() external view returns (uint256 minBond, uint256 maxBond) {
        return (_minBond, _maxBond);
    }

    /// @inheritdoc IDatanetRegistry
    function openToken() external view returns (address) {
        return address(_open);
    }

    // ----------------------------------------------------------------------------------------------
    // Internal
    // ----------------------------------------------------------------------------------------------

    function _contribute(
        uint256 datanetId,
        bytes32 contentHash,
        string calldata uri,
        uint64 size,
        uint256 maxBond
    ) internal returns (uint256 contributionId) {
        Datanet storage d = _datanet(datanetId);
        if (!d.open) revert DatanetRegistryDatanetClosed(datanetId);
        if (contentHash == bytes32(0)) revert DatanetRegistryZeroContentHash();
        uint96 bond = d.contributionBond;
        if (bond > maxBond) revert DatanetRegistryBondAboveMax(bond, maxBond);
        uint256 existing = _byHash[datanetId][contentHash];
        if (existing != 0) revert DatanetRegistryRedundantContribution(datanetId, contentHash, existing);

        contributionId = ++_contributionCount;
        d.contributionCount += 1;
        _byHash[datanetId][contentHash] = contributionId;
        _contributions[contributionId] = Contribution({
            contributor: msg.sender,
            datanetId: uint64(datanetId), // ≤ _datanetCount, a uint64
            status: ContributionStatus.Pending,
            bond: bond,
            submittedAt: uint48(block.timestamp),
            size: size,
            contentHash: contentHash
        });

        emit ContributionSubmitted(contributionId, datanetId, msg.sender, contentHash, uri, size, bond);
        if (bond != 0) _open.safeTransferFrom(msg.sender, address(this), bond);
    }

    /// @dev Settles one pending contribution; returns the bond to slash (0 when accepted). The caller updates the
    /// datanet's accepted count and sends slashed bonds to the treasury.
    function _review(
        uint256 contributionId,
        Contribution storage c,
        uint256 datanetId,
        bool accept
    ) internal returns (uint256 slashed) {
        if (c.status != ContributionStatus.Pending) {
            revert DatanetRegistryUnexpectedContributionStatus(contributionId, c.status);
        }
        uint96 bond = c.bond;
        if (accept) {
            c.status = ContributionStatus.Accepted;
            if (bond != 0) _refunds[c.contributor] += bond;
        } else {
            c.status = ContributionStatus.Rejected;
            // A rejected content hash may be submitted again (with a new bond).
            delete _byHash[datanetId][c.contentHash];
            slashed = bond;
        }
        emit ContributionReviewed(contributionId, datanetId, msg.sender, accept, bond);
    }

    function _claimRefund(address recipient) internal returns (uint256 amount) {
        amount = _refunds[msg.sender];
        if (amount == 0) revert DatanetRegistryNothingToClaim(msg.sender);
        delete _refunds[msg.sender];
        emit RefundClaimed(msg.sender, recipient, amount);
        _open.safeTransfer(recipient, amount);
    }

    function _sendToTreasury(uint256 amount) internal {
        if (amount == 0) return;
        address treasury_ = treasury();
        emit BondsSlashed(treasury_, amount);
        _open.safeTransfer(treasury_, amount);
    }

    function _datanet(uint256 datanetId) internal view returns (Datanet storage d) {
        d = _datanets[datanetId];
        if (d.owner == address(0)) revert DatanetRegistryUnknownDatanet(datanetId);
    }

    function _ownedDatanet(uint256 datanetId) internal view returns (Datanet storage d) {
        d = _datanet(datanetId);
        if (d.owner != msg.sender) revert DatanetRegistryNotDatanetOwner(datanetId, msg.sender);
    }

    function _contribution(uint256 contributionId) internal view returns (Contribution storage c) {
        c = _contributions[contributionId];
        if (c.status == ContributionStatus.None) revert DatanetRegistryUnknownContribution(contributionId);
    }

    function _version(uint256 datanetId, uint256 version) internal view returns (Version storage v) {
        _datanet(datanetId);
        v = _versions[datanetId][version];
        if (v.merkleRoot == bytes32(0)) revert DatanetRegistryUnknownVersion(datanetId, version);
    }

    /// @dev What a report of a model trained on `datanetIds` (a model's list: at most MAX_DATANETS long) may do with
    /// contribution `contributionId`: Eligible when Accepted, Forfeited when Penalized, Invalid otherwise or when
    /// it belongs to none of the datanets.
    function _attributionRecord(
        uint256 contributionId,
        uint256[] calldata datanetIds
    ) internal view returns (AttributionRecord) {
        // Contributor, datanet and status share the contribution's first slot (see Contribution): read it once.
        // Solidity packs them from the lowest bits: contributor [0, 160), datanetId [160, 224), status [224, 232).
        Contribution storage c = _contributions[contributionId];
        uint256 word;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            word := sload(c.slot)
        }
        uint256 status = (word >> 224) & 0xff;
        AttributionRules.Eligibility eligibility;
        if (status == uint256(ContributionStatus.Accepted)) eligibility = AttributionRules.Eligibility.Eligible;
        else if (status == uint256(ContributionStatus.Penalized)) eligibility = AttributionRules.Eligibility.Forfeited;
        else return AttributionRecord.wrap(0);
        uint256 datanetId = (word >> 160) & type(uint64).max;
        for (uint256 i; i < datanetIds.length; ++i) {
            if (datanetIds[i] == datanetId) return AttributionRules.record(address(uint160(word)), eligibility);
        }
        return AttributionRecord.wrap(0);
    }

    function _isCurator(uint256 datanetId, address account) internal view returns (bool) {
        return _datanets[datanetId].owner == account || _curators[datanetId][account];
    }

    function _checkCurator(uint256 datanetId) internal view {
        if (!_isCurator(datanetId, msg.sender)) revert DatanetRegistryNotCurator(datanetId, msg.sender);
    }

    function _checkBond(uint256 bond) internal view {
        if (bond < _minBond || bond > _maxBond) revert DatanetRegistryBondOutOfBounds(bond, _minBond, _maxBond);
    }

    function _setBondBounds(uint256 minBond, uint256 maxBond) internal {
        if (minBond > maxBond || maxBond > MAX_CONTRIBUTION_BOND) {
            revert DatanetRegistryInvalidBondBounds(minBond, maxBond, MAX_CONTRIBUTION_BOND);
        }
        emit BondBoundsUpdated(_minBond, _maxBond, minBond, maxBond);
        _minBond = uint96(minBond);
        _maxBond = uint96(maxBond);
    }
}
