// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {StakedOpen} from "../../../contracts/governance/StakedOpen.sol";
import {AttributionOracle} from "../../../contracts/inference/AttributionOracle.sol";
import {InferenceRouter} from "../../../contracts/inference/InferenceRouter.sol";
import {IAttributionOracle} from "../../../contracts/interfaces/IAttributionOracle.sol";
import {IDatanetRegistry} from "../../../contracts/interfaces/IDatanetRegistry.sol";
import {IInferenceRouter} from "../../../contracts/interfaces/IInferenceRouter.sol";
import {IModelRegistry} from "../../../contracts/interfaces/IModelRegistry.sol";
import {DatanetRegistry} from "../../../contracts/registry/DatanetRegistry.sol";
import {ModelRegistry} from "../../../contracts/registry/ModelRegistry.sol";
import {OpenToken} from "../../../contracts/token/OpenToken.sol";

import {OracleSigning} from "./OracleSigning.sol";

/// @notice The whole protocol around an InferenceRouter, deployed in Solidity for the fuzz and invariant suites
/// (the parameters of test/fixtures/protocol.ts, but rates up to ModelRegistry.MAX_RATE): governance owns
/// everything, two datanets with accepted, penalized, rejected and pending contributions, two Active models and
/// a Proposed one, a staker in StakedOpen and three oracle signers of which two must sign.
/// @dev Contributions (datanet: contributor, status):
///   1 (1: dave, Accepted)  2 (1: erin, Accepted)  3 (1: grace, Accepted)  4 (1: heidi, Accepted)
///   5 (1: dave, Accepted)  6 (1: heidi, Penalized)  7 (2: erin, Accepted)  8 (1: grace, Rejected)
///   9 (1: erin, Pending)
/// Models: 1 by `creator` on datanet 1 and 2 by dave on datanets 1 and 2, both Active at the whitepaper's rates;
/// 3 by `creator` on datanet 1, only Proposed.
abstract contract InferenceFixture is Test, OracleSigning {
    // Router parameters (TEST_INFERENCE_PARAMS).
    uint256 internal constant PLATFORM_FEE = 0.01 ether;
    uint16 internal constant CREATOR_BPS = 4_000;
    uint16 internal constant STAKERS_BPS = 2_000;
    uint16 internal constant CONTRIBUTORS_BPS = 4_000;
    uint256 internal constant THRESHOLD = 1e16; // 1%
    uint256 internal constant WINDOW = 7 days;
    uint256 internal constant ORACLE_THRESHOLD = 2;

    // Registries and staking.
    uint256 internal constant MAX_RATE = 1_000 ether; // ModelRegistry.MAX_RATE
    uint256 internal constant CONTRIBUTION_BOND = 1 ether;
    uint256 internal constant PROPOSAL_BOND = 1_000 ether;
    uint48 internal constant COOLDOWN = 7 days;
    uint256 internal constant STAKE = 1_000 ether;
    uint256 internal constant PAYER_FUNDS = 100_000_000 ether;

    /// The whitepaper's example model: 0.06 OPEN per 1,000 input tokens, 0.2 OPEN per 1,000 output tokens.
    uint256 internal constant INPUT_RATE = 0.06 ether;
    uint256 internal constant OUTPUT_RATE = 0.2 ether;

    uint256 internal constant PERCENT = 1e16;
    uint256 internal constant FAR_DEADLINE = 2 ** 40;

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

    OpenToken internal open;
    StakedOpen internal staked;
    DatanetRegistry internal datanets;
    ModelRegistry internal models;
    AttributionOracle internal oracle;
    InferenceRouter internal router;

    address internal governance = makeAddr("governance");
    address internal treasury = makeAddr("treasury");
    address internal guardian = makeAddr("guardian");
    address internal curator = makeAddr("curator");
    address internal creator = makeAddr("creator");
    address internal dave = makeAddr("dave");
    address internal erin = makeAddr("erin");
    address internal grace = makeAddr("grace");
    address internal heidi = makeAddr("heidi");
    address internal alice = makeAddr("alice");
    address internal payer = makeAddr("payer");

    uint256[3] internal signerKeys;
    address[3] internal signerAddrs;
    /// What the treasury holds once the fixture is deployed (the rejected contribution's bond).
    uint256 internal treasuryBaseline;

    function _deployProtocol() internal {
        vm.warp(1_700_000_000);
        for (uint256 i; i < 3; ++i) {
            (signerAddrs[i], signerKeys[i]) = makeAddrAndKey(string.concat("oracleSigner", vm.toString(i)));
        }

        open = new OpenToken(address(this));
        staked = new StakedOpen(IERC20(address(open)), governance, treasury, COOLDOWN);
        datanets = new DatanetRegistry(IERC20(address(open)), governance, treasury, guardian, 0, 10_000 ether);
        models = new ModelRegistry(
            IERC20(address(open)),
            IDatanetRegistry(address(datanets)),
            governance,
            treasury,
            PROPOSAL_BOND,
            0,
            MAX_RATE
        );
        address[] memory initialSigners = new address[](3);
        for (uint256 i; i < 3; ++i) initialSigners[i] = signerAddrs[i];
        oracle = new AttributionOracle(governance, initialSigners, ORACLE_THRESHOLD);
        router = _deployRouter();

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

    /// @dev A router on this fixture's contracts and parameters, authorised as StakedOpen's reward notifier.
    function _deployRouter() internal returns (InferenceRouter deployed) {
        deployed = new InferenceRouter(
            [address(open), address(models), address(datanets), address(staked), address(oracle)],
            governance,
            treasury,
            guardian,
            InferenceRouter.Parameters({
                platformFee: PLATFORM_FEE,
                split: IInferenceRouter.FeeSplit({
                    creatorBps: CREATOR_BPS,
                    stakersBps: STAKERS_BPS,
                    contributorsBps: CONTRIBUTORS_BPS
                }),
                attributionThreshold: THRESHOLD,
                attributionWindow: WINDOW
            })
        );
        vm.prank(governance);
        staked.setRewardNotifier(address(deployed), true);
    }

    function _fund(address account, uint256 amount, address spender) internal {
        open.transfer(account, amount);
        vm.prank(account);
        open.approve(spender, type(uint256).max);
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
        datanets.contribute(datanetId, keccak256(abi.encode("content", n)), "ipfs://content", 1_000);
    }

    function _buildModels() private {
        uint256[] memory first = new uint256[](1);
        first[0] = 1;
        uint256[] memory both = new uint256[](2);
        both[0] = 1;
        both[1] = 2;
        IModelRegistry.Rates memory rates = IModelRegistry.Rates({
            inputRate: uint128(INPUT_RATE),
            outputRate: uint128(OUTPUT_RATE)
        });

        vm.prank(creator);
        models.proposeModel("ipfs://model-1", first, rates);
        vm.prank(dave);
        models.proposeModel("ipfs://model-2", both, rates);
        vm.prank(creator);
        models.proposeModel("ipfs://model-3", first, rates);

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

    /// @dev Pays as `payer` for model `modelId`, accepting any fee; the request id is the next inference id.
    function _pay(uint256 modelId, uint64 inputTokens, uint64 outputTokens) internal returns (uint256) {
        bytes32 requestId = _requestId(router.inferenceCount() + 1);
        vm.prank(payer);
        return router.payInference(modelId, inputTokens, outputTokens, requestId, type(uint256).max);
    }

    /// @dev The whitepaper's inference: 2,000 input and 1,000 output tokens of model 1.
    function _payWhitepaper() internal returns (uint256) {
        return _pay(MODEL_1, 2_000, 1_000);
    }

    function _report(
        uint256 inferenceId,
        uint256[] memory ids,
        uint256[] memory weights
    ) internal pure returns (IInferenceRouter.AttributionReport memory) {
        return
            IInferenceRouter.AttributionReport({
                inferenceId: inferenceId,
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

    function _settle(IInferenceRouter.AttributionReport memory report) internal {
        router.settle(report, _signReport(router, report));
    }
}
