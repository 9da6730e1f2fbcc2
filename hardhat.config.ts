import { createRequire } from "node:module";

import hardhatToolboxMochaEthersPlugin from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

import { taskDeclarations } from "./tasks/index.js";

// Compile offline: solc-js from the exactly pinned npm `solc` package, never a download. The
// version is read from that package so the config and the compiler cannot drift apart.
const require = createRequire(import.meta.url);
const solcVersion: string = (require("solc/package.json") as { version: string }).version;
const solcPath: string = require.resolve("solc/soljson.js");

const compilerSettings = {
  // OpenZeppelin 5 uses `mcopy`: Cancun or later.
  evmVersion: "cancun",
  optimizer: { enabled: true, runs: 200 },
} as const;

/**
 * What every payment and settlement executes — the inference router, the oracle that checks its signatures and the
 * registry that answers for each contribution — is compiled for runtime cost (1,000,000 optimizer runs; each stays
 * well under the 24,576-byte limit). Everything else keeps 200 runs.
 */
const HOT_CONTRACTS = [
  "contracts/inference/InferenceRouter.sol",
  "contracts/inference/AttributionOracle.sol",
  "contracts/registry/DatanetRegistry.sol",
];

function routerOverride(compiler: { version: string; path: string; settings: typeof compilerSettings }) {
  return {
    compilers: [compiler],
    overrides: Object.fromEntries(
      HOT_CONTRACTS.map((file) => [
        file,
        { ...compiler, settings: { ...compiler.settings, optimizer: { enabled: true, runs: 1_000_000 } } },
      ]),
    ),
  };
}

export default defineConfig({
  plugins: [hardhatToolboxMochaEthersPlugin],
  tasks: taskDeclarations,
  solidity: {
    // Scripts and tasks (npm run demo) build only the contracts; `hardhat test` builds the Solidity tests apart.
    splitTestsCompilation: true,
    profiles: {
      default: routerOverride({ version: solcVersion, path: solcPath, settings: compilerSettings }),
      production: routerOverride({ version: solcVersion, path: solcPath, settings: compilerSettings }),
    },
  },
  paths: {
    tests: { mocha: "test", solidity: "test/solidity" },
  },
  test: {
    solidity: {
      profiles: {
        // Fast enough for every `npm test`.
        default: {
          fuzz: { runs: 256 },
          invariant: { runs: 32, depth: 64, failOnRevert: false },
        },
        // `npm run test:deep`: a nightly-style run.
        deep: {
          fuzz: { runs: 10_000 },
          invariant: { runs: 512, depth: 500, failOnRevert: false },
        },
      },
    },
  },
  // The OpenLedger testnet is an OP Stack rollup that Hardhat does not know by chain id.
  chainDescriptors: {
    161201: { name: "OpenLedger Testnet", chainType: "op" },
  },
  // `npx hardhat ignition verify <deployment id> --network <name>` verifies every contract of a deployment.
  // Etherscan needs an API key (one key serves Sepolia and OP Sepolia); Sourcify and Blockscout need none.
  verify: {
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
  },
  networks: {
    localhost: {
      type: "http",
      chainType: "l1",
      url: "http://127.0.0.1:8545",
    },
    // A throwaway node for the CLI end-to-end test (test/tasks/cli-node.test.ts), which sets the URL.
    e2e: {
      type: "http",
      chainType: "l1",
      url: process.env.E2E_RPC_URL ?? "http://127.0.0.1:8546",
    },
    // The chain `npm run demo` starts on a free port (scripts/demo.ts sets the URL for its oracle nodes).
    demo: {
      type: "http",
      chainType: "l1",
      url: process.env.DEMO_RPC_URL ?? "http://127.0.0.1:8547",
    },
    sepolia: {
      type: "http",
      chainType: "l1",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("SEPOLIA_PRIVATE_KEY")],
    },
    opSepolia: {
      type: "http",
      chainType: "op",
      url: configVariable("OP_SEPOLIA_RPC_URL"),
      accounts: [configVariable("OP_SEPOLIA_PRIVATE_KEY")],
    },
    openledgerTestnet: {
      type: "http",
      chainType: "op",
      chainId: 161201,
      url: configVariable("OPENLEDGER_TESTNET_RPC_URL"),
      accounts: [configVariable("OPENLEDGER_TESTNET_PRIVATE_KEY")],
    },
  },
});
