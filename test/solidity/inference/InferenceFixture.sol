// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {InferenceRouter} from "../../../contracts/inference/InferenceRouter.sol";
import {IAttributionOracle} from "../../../contracts/interfaces/IAttributionOracle.sol";
import {IDatanetRegistry} from "../../../contracts/interfaces/IDatanetRegistry.sol";
import {IInferenceRouter} from "../../../contracts/interfaces/IInferenceRouter.sol";
import {IModelRegistry} from "../../../contracts/interfaces/IModelRegistry.sol";

import {Deployers} from "../utils/Deployers.sol";
import {OracleSigning} from "./OracleSigning.sol";

/// @notice The protocol around an InferenceRouter for the router's fuzz and invariant suites, deployed by the shared
/// Deployers base (its parameters mirror test/fixtures/protocol.ts), plus the scenario: two datanets with accepted,
/// penalized, rejected and pending contributions, two Active models and a Proposed one, a staker in StakedOpen and a
/// funded payer.
/// @dev Contributions (datanet: contributor, status):
///   1 (1: dave, Accepted)  2 (1: erin, Accepted)  3 (1: grace, Accepted)  4 (1: heidi, Accepted)
///   5 (1: dave, Accepted)  6 (1: heidi, Penalized)  7 (2: erin, Accepted)  8 (1: grace, Rejected)
///   9 (1: erin, Pending)
/// A Penalized contribution may be named by a report (its share is forfeited); Rejected, Pending, unknown and
/// foreign ones may not. Models: 1 by `creator` on datanet 1 and 2 by dave on datanets 1 and 2, both Active at the
/// whitepaper's rates; 3 by `creator` on datanet 1, only Proposed.
abstract contract InferenceFixture is Deployers, OracleSigning {
    uint256 internal constant CONTRIBUTION_BOND = 1 ether;
    uint256 internal constant STAKE = 1_000 ether;
    uint256 internal constant PAYER_FUNDS = 100_000_000 ether;

    /// The whitepaper's example model: 0.06 OPEN per 1,000 input tokens, 0.2 OPEN per 1,000 output tokens.
    uint256 internal constant INPUT_RATE = 0.06 ether;
    uint256 internal constant OUTPUT_RATE = 0.2 ether;

    uint256 internal constant PERCENT = 1e16;
    uint256 internal constant FAR_DEADLINE = 2 ** 40;
    /// The attribution index the fixture's reports claim to be computed on.
    bytes32 internal constant INDEX_COMMITMENT = keccak256("test attribution index");

    uint256 internal constant C_DAVE = 1;
    uint256 internal constant C_ERIN = 2;
    uint256 internal constant C_GRACE = 3;
    uint256 internal constant C_HEIDI = 4;
    uint256 internal constant C_DAVE_2 = 5;
    uint256 internal constant C_PENALIZED = 6;
    uint256 internal constant C_OTHER_DATANET = 7;
    uint256 internal constant C_REJECTED = 8;
    uint256 internal constant C_PENDING = 9;

    uint256 internal constant MODEL_1 = 1;
    uint256 internal constant MODEL_2 = 2;
    uint256 internal constant MODEL_PROPOSED = 3;

    address internal curator = makeAddr("curator");
    address internal creator = makeAddr("creator");
    address internal dave = makeAddr("dave");
    address internal erin = makeAddr("erin");
    address internal grace = makeAddr("grace");
    address internal heidi = makeAddr("heidi");
    address internal alice = makeAddr("alice");
    address internal payer = makeAddr("payer");

    /// What the treasury holds once the fixture is deployed (the rejected contribution's bond).
    uint256 internal treasuryBaseline;
    /// Request ids of `_pay` are keccak256("request", nonce).
    uint256 internal requestNonce;

    function _deployProtocol() internal {
        _deployAll();

        _fund(dave, 100 ether, address(datanets));
        _fund(erin, 100 ether, address(datanets));
        _fund(grace, 100 ether, address(datanets));
        _fund(heidi, 100 ether, address(datanets));
        _fund(creator, PROPOSAL_BOND * 2, address(models));
        vm.prank(dave);
        open.approve(address(models), type(uint256).max);
        _fund(dave, PROPOSAL_BOND, address(models));
        _fund(alice, STAKE, address(staked));
        _fund(payer, PAYER_FUNDS, address(router));

        _buildDatanets();
        _buildModels();

        vm.prank(alice);
        staked.stake(STAKE);
        treasuryBaseline = open.balanceOf(treasury);
    }

    function _buildDatanets() private {
        vm.startPrank(curator);
        datanets.createDatanet("ipfs://datanet-1", CONTRIBUTION_BOND);
        datanets.createDatanet("ipfs://datanet-2", CONTRIBUTION_BOND);
        vm.stopPrank();

        _contribute(dave, 1); // 1
        _contribute(erin, 1); // 2
        _contribute(grace, 1); // 3
        _contribute(heidi, 1); // 4
        _contribute(dave, 1); // 5
        _contribute(heidi, 1); // 6
        _contribute(erin, 2); // 7
        _contribute(grace, 1); // 8
        _contribute(erin, 1); // 9

        vm.startPrank(curator);
        for (uint256 id = 1; id <= 7; ++id) datanets.review(id, true);
        datanets.review(C_REJECTED, false);
        datanets.penalize(C_PENALIZED, "adversarial");
        vm.stopPrank();
    }

    function _contribute(address contributor, uint256 datanetId) private {
        uint256 n = datanets.contributionCount() + 1;
        vm.prank(contributor);
        datanets.contribute(datanetId, keccak256(abi.encode("content", n)), "ipfs://content", 1_000, CONTRIBUTION_BOND);
    }

    function _buildModels() private {
        IModelRegistry.Rates memory rates = IModelRegistry.Rates({
            inputRate: uint128(INPUT_RATE),
            outputRate: uint128(OUTPUT_RATE)
        });

        vm.prank(creator);
        models.proposeModel("ipfs://model-1", _list(1), rates, PROPOSAL_BOND);
        vm.prank(dave);
        models.proposeModel("ipfs://model-2", _list(1, 2), rates, PROPOSAL_BOND);
        vm.prank(creator);
        models.proposeModel("ipfs://model-3", _list(1), rates, PROPOSAL_BOND);

        for (uint256 id = MODEL_1; id <= MODEL_2; ++id) {
            address owner = id == MODEL_1 ? creator : dave;
            vm.prank(governance);
            models.approveModel(id);
            vm.startPrank(owner);
            models.registerArtifact(id, keccak256(abi.encode("weights", id)), "ipfs://weights", 0);
            models.activateModel(id);
            vm.stopPrank();
        }
    }

    // ----------------------------------------------------------------------------------------------
    // Helpers
    // ----------------------------------------------------------------------------------------------

    function _requestId(uint256 n) internal pure returns (bytes32) {
        return keccak256(abi.encode("request", n));
    }

    /// @dev IInferenceRouter's id of `payer_`'s request `requestId`, restated.
    function _inferenceIdOf(address payer_, bytes32 requestId) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(payer_, requestId)));
    }

    /// @dev Pays as `payer` for model `modelId` under the next request id, accepting any fee.
    function _pay(uint256 modelId, uint64 inputTokens, uint64 outputTokens) internal returns (uint256) {
        bytes32 requestId = _requestId(++requestNonce);
        vm.prank(payer);
        return router.payInference(modelId, inputTokens, outputTokens, requestId, type(uint256).max);
    }

    /// @dev The whitepaper's inference: 2,000 input and 1,000 output tokens of model 1.
    function _payWhitepaper() internal returns (uint256) {
        return _pay(MODEL_1, 2_000, 1_000);
    }

    /// @dev The output hash the fixture's reports carry for inference `inferenceId`.
    function _outputHash(uint256 inferenceId) internal pure returns (bytes32) {
        return keccak256(abi.encode("output", inferenceId));
    }

    function _report(
        uint256 inferenceId,
        uint256[] memory ids,
        uint256[] memory weights
    ) internal pure returns (IInferenceRouter.AttributionReport memory) {
        return
            IInferenceRouter.AttributionReport({
                inferenceId: inferenceId,
                outputHash: _outputHash(inferenceId),
                indexCommitment: INDEX_COMMITMENT,
                contributionIds: ids,
                weights: weights,
                deadline: FAR_DEADLINE
            });
    }

    /// @dev The whitepaper's report: contributions 1 to 4 (dave, erin, grace, heidi) at 25% each.
    function _quarters(uint256 inferenceId) internal pure returns (IInferenceRouter.AttributionReport memory) {
        uint256[] memory ids = new uint256[](4);
        uint256[] memory weights = new uint256[](4);
        for (uint256 i; i < 4; ++i) {
            ids[i] = i + 1;
            weights[i] = 25 * PERCENT;
        }
        return _report(inferenceId, ids, weights);
    }

    /// @dev Signatures of `report` for `router_` by oracle signers 0 and 1 (exactly the threshold).
    function _signReport(
        InferenceRouter router_,
        IInferenceRouter.AttributionReport memory report
    ) internal view returns (IAttributionOracle.SignerSignature[] memory) {
        return _signSorted(router_.reportDigest(report), _pair(signerKeys[0], signerKeys[1]));
    }

    /// @dev Signatures of the batch `reports` by oracle signers 1 and 2.
    function _signBatch(
        IInferenceRouter.AttributionReport[] memory reports
    ) internal view returns (IAttributionOracle.SignerSignature[] memory) {
        return _signSorted(router.batchDigest(reports), _pair(signerKeys[1], signerKeys[2]));
    }

    function _settle(IInferenceRouter.AttributionReport memory report) internal {
        router.settle(report, _signReport(router, report));
    }

    /// @dev What settling `report` on a pool of `pool` under `threshold` must credit, restated from the rules in plain
    /// Solidity: a weight earns if it is non-zero and at least the threshold; the earning weights (forfeited ones
    /// included) share the pool in proportion, rounded down; a forfeited contribution (bit i of `forfeited`) is
    /// credited nothing; the rest (dust, forfeited shares, or the whole pool) goes to the treasury.
    function _expectedShares(
        IInferenceRouter.AttributionReport memory report,
        uint256 pool,
        uint256 threshold,
        uint256 forfeited
    ) internal pure returns (uint256[] memory amounts, uint256[] memory forfeits, uint256 toTreasury) {
        uint256 n = report.weights.length;
        uint256 earningWeight;
        for (uint256 i; i < n; ++i) {
            uint256 w = report.weights[i];
            if (w != 0 && w >= threshold) earningWeight += w;
        }
        amounts = new uint256[](n);
        forfeits = new uint256[](n);
        toTreasury = pool;
        for (uint256 i; i < n; ++i) {
            uint256 w = report.weights[i];
            if (w == 0 || w < threshold) continue;
            uint256 share = Math.mulDiv(pool, w, earningWeight);
            if ((forfeited >> i) & 1 == 1) {
                forfeits[i] = share;
            } else {
                amounts[i] = share;
                toTreasury -= share;
            }
        }
    }

    /// @dev Bit i set when the i-th contribution of `report` is Penalized now (its share is forfeited).
    function _forfeitedMask(IInferenceRouter.AttributionReport memory report) internal view returns (uint256 mask) {
        for (uint256 i; i < report.contributionIds.length; ++i) {
            if (
                datanets.getContribution(report.contributionIds[i]).status ==
                IDatanetRegistry.ContributionStatus.Penalized
            ) mask |= 1 << i;
        }
    }

    /// @dev InferenceSettled's packed credits: `contributionId << 96 | amount`.
    function _packedCredits(
        uint256[] memory ids,
        uint256[] memory amounts
    ) internal pure returns (uint256[] memory credits) {
        credits = new uint256[](ids.length);
        for (uint256 i; i < ids.length; ++i) credits[i] = (ids[i] << 96) | amounts[i];
    }

    function _list(uint256 a) internal pure returns (uint256[] memory values) {
        values = new uint256[](1);
        values[0] = a;
    }

    function _list(uint256 a, uint256 b) internal pure returns (uint256[] memory values) {
        values = new uint256[](2);
        values[0] = a;
        values[1] = b;
    }
}
