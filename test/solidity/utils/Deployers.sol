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
import {IProtocolAdmin} from "../../../contracts/interfaces/IProtocolAdmin.sol";
import {IStakedOpen} from "../../../contracts/interfaces/IStakedOpen.sol";
import {DatanetRegistry} from "../../../contracts/registry/DatanetRegistry.sol";
import {ModelRegistry} from "../../../contracts/registry/ModelRegistry.sol";
import {OpenToken} from "../../../contracts/token/OpenToken.sol";

/// @notice The one place the Solidity suites deploy the protocol from (Uniswap v4's `Deployers`): each suite calls the
/// `_deploy…` steps it needs and builds its own scenario on top. Governance is a plain address here (the suites test
/// contract rules, not the governor); `test/fixtures/protocol.ts` deploys the real thing through Ignition.
/// The parameters mirror the TypeScript fixture unless a suite passes its own.
abstract contract Deployers is Test {
    // Staking (TEST_PARAMS, with public-network cooldown and a one-day reward period).
    uint256 internal constant COOLDOWN = 7 days;
    uint256 internal constant REWARD_PERIOD = 1 days;

    // Registries (TEST_REGISTRY_PARAMS, but rates up to ModelRegistry.MAX_RATE).
    uint256 internal constant MIN_BOND = 0;
    uint256 internal constant MAX_BOND = 10_000 ether;
    uint256 internal constant PROPOSAL_BOND = 1_000 ether;
    uint256 internal constant MAX_RATE = 1_000 ether;

    // Router (TEST_INFERENCE_PARAMS).
    uint64 internal constant PLATFORM_FEE = 0.01 ether;
    uint16 internal constant CREATOR_BPS = 4_000;
    uint16 internal constant STAKERS_BPS = 2_000;
    uint16 internal constant CONTRIBUTORS_BPS = 4_000;
    uint64 internal constant THRESHOLD = 1e16; // 1%
    uint32 internal constant WINDOW = 7 days;
    uint256 internal constant ORACLE_THRESHOLD = 2;

    /// @dev Every suite starts at the same Unix time.
    uint256 internal constant START = 1_700_000_000;

    OpenToken internal open;
    StakedOpen internal staked;
    DatanetRegistry internal datanets;
    ModelRegistry internal models;
    AttributionOracle internal oracle;
    InferenceRouter internal router;

    address internal governance = makeAddr("governance");
    address internal treasury = makeAddr("treasury");
    address internal guardian = makeAddr("guardian");

    uint256[3] internal signerKeys;
    address[3] internal signerAddrs;

    /// @dev OPEN, minted to this test contract, which funds the actors.
    function _deployToken() internal {
        vm.warp(START);
        open = new OpenToken(address(this));
    }

    /// @dev The admin roles every protocol contract is deployed with.
    function _admin() internal view returns (IProtocolAdmin.AdminConfig memory) {
        return IProtocolAdmin.AdminConfig({governance: governance, treasury: treasury, guardian: guardian});
    }

    function _deployStaking() internal {
        staked = new StakedOpen(IERC20(address(open)), _admin(), COOLDOWN, REWARD_PERIOD);
    }

    /// @dev StakedOpen with other roles or timings than the defaults; it becomes `staked` too.
    function _deployStaking(
        IProtocolAdmin.AdminConfig memory admin,
        uint256 cooldown,
        uint256 rewardPeriod
    ) internal returns (StakedOpen) {
        staked = new StakedOpen(IERC20(address(open)), admin, cooldown, rewardPeriod);
        return staked;
    }

    function _deployRegistries() internal {
        datanets = new DatanetRegistry(IERC20(address(open)), _admin(), MIN_BOND, MAX_BOND);
        models = new ModelRegistry(
            IERC20(address(open)),
            IDatanetRegistry(address(datanets)),
            _admin(),
            ModelRegistry.Parameters({proposalBond: PROPOSAL_BOND, minRate: 0, maxRate: MAX_RATE})
        );
    }

    /// @dev The oracle with three signers (named oracleSigner0..2), two of whom must sign.
    function _deployOracle() internal {
        address[] memory initialSigners = new address[](3);
        for (uint256 i; i < 3; ++i) {
            (signerAddrs[i], signerKeys[i]) = makeAddrAndKey(string.concat("oracleSigner", vm.toString(i)));
            initialSigners[i] = signerAddrs[i];
        }
        oracle = new AttributionOracle(governance, initialSigners, ORACLE_THRESHOLD);
    }

    /// @dev A router on the deployed contracts, with the default parameters.
    function _deployRouter() internal returns (InferenceRouter) {
        router = new InferenceRouter(_dependencies(), _admin(), _routerParameters());
        oracle.bindRouter(address(router));
        return router;
    }

    /// @dev Everything: token, staking, registries, oracle and router.
    function _deployAll() internal {
        _deployToken();
        _deployStaking();
        _deployRegistries();
        _deployOracle();
        _deployRouter();
    }

    function _dependencies() internal view returns (IInferenceRouter.Dependencies memory) {
        return
            IInferenceRouter.Dependencies({
                open: IERC20(address(open)),
                modelRegistry: IModelRegistry(address(models)),
                datanetRegistry: IDatanetRegistry(address(datanets)),
                stakedOpen: IStakedOpen(address(staked)),
                oracle: IAttributionOracle(address(oracle))
            });
    }

    function _routerParameters() internal pure returns (IInferenceRouter.Parameters memory) {
        return
            IInferenceRouter.Parameters({
                platformFee: PLATFORM_FEE,
                creatorBps: CREATOR_BPS,
                stakersBps: STAKERS_BPS,
                contributorsBps: CONTRIBUTORS_BPS,
                attributionThreshold: THRESHOLD,
                attributionWindow: WINDOW
            });
    }

    /// @dev Sends `amount` OPEN to `account` and lets `spender` pull all of it.
    function _fund(address account, uint256 amount, address spender) internal {
        open.transfer(account, amount);
        vm.prank(account);
        open.approve(spender, type(uint256).max);
    }
}
