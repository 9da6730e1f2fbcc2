/**
 * The package as users get it: `npm pack`, then a plain `npm install` of the tarball into an empty folder, and there
 * both entries imported in Node ESM, a dapp type-checked with `tsc --strict` and `skipLibCheck: false`, bundled for
 * the browser with esbuild (ethers external), and the shipped Solidity compiled as a consumer imports it. A test inside
 * the repository resolves everything from the repository; only a tarball installed elsewhere sees what `files`,
 * `exports` and the published manifest really give. `npm test` builds dist/ first; packing does not build again.
 * The pack, the install and the dapp live in scripts/package-consumer.ts, shared with `npm run size`.
 *
 * OPENLEDGER_TARBALL=/path/to/openledger-protocol-x.y.z.tgz checks that tarball (e.g. packed on another branch)
 * instead of packing this tree.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

import { expect } from "chai";

import {
  BUNDLES,
  PACKAGE_NAME,
  bundleAll,
  compileShippedContracts,
  describeFailure,
  importInNode,
  installConsumer,
  isNodeBuiltin,
  pack,
  packedFromTarball,
  typeCheck,
  type Bundle,
  type BundleName,
  type CommandResult,
  type Packed,
} from "../../scripts/package-consumer.js";

/** Names the SDK entry keeps, whatever its layout. */
const SDK_NAMES = [
  "connectProtocol",
  "getDeployment",
  "registerDeployment",
  "quoteFee",
  "sharePool",
  "attributionDomain",
  "signReport",
  "inferenceIdOf",
  "decodeCredits",
  "InferenceRouter__factory",
];
/** The engine's API: in the attribution entry, never in the SDK entry. */
const ENGINE_NAMES = ["attribute", "buildIndex", "indexCommitment", "outputHash", "tokenize", "buildSuffixArray"];
/** The evaluation-set generator is for the tests and the benchmark. */
const EVALUATION_NAMES = ["generateEvaluationSet", "scoreEvaluation", "TextGenerator", "EVALUATION_DEFAULTS", "prng"];
/** What only the engine brings into a bundle: its modules and its tokenizer's tables. */
const ENGINE_MODULE = /(^|\/)dist\/attribution\/|(^|\/)node_modules\/gpt-tokenizer\//;
const TEST_ONLY = /(^|\/)mocks\/|ReferenceGOpen/;

const require = createRequire(import.meta.url);
const ozVersion = (
  JSON.parse(readFileSync(require.resolve("@openzeppelin/contracts/package.json"), "utf8")) as { version: string }
).version;

describe("the package as users get it (npm pack, then npm install in an empty folder)", function () {
  // Packing, installing and bundling take what the machine takes: no time limit, and nothing here measures time.
  this.timeout(0);

  let work = "";
  let app = "";
  let installed = "";
  let packed: Packed;
  let install: CommandResult;

  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "openledger-package-"));
    const given = process.env.OPENLEDGER_TARBALL;
    packed = given === undefined || given === "" ? await pack(work) : await packedFromTarball(given, work);
    app = path.join(work, "dapp");
    installed = path.join(app, "node_modules", PACKAGE_NAME);
    install = await installConsumer(packed.tarball, app);
    // Look past a failed install, so that each later check still reports its own failure.
    if (install.status !== 0) await installConsumer(packed.tarball, app, { ignoreScripts: true });
  });

  after(async () => {
    if (work !== "") await rm(work, { recursive: true, force: true });
  });

  describe("the tarball", () => {
    it("installs with a plain npm install", () => {
      expect(install.status, describeFailure(install)).to.equal(0);
    });

    it("runs no script of its own when a dapp installs it", () => {
      const scripts = (packed.manifest.scripts ?? {}) as Record<string, string>;
      for (const hook of ["preinstall", "install", "postinstall"]) {
        expect(scripts[hook], `the published manifest's ${hook} script`).to.equal(undefined);
      }
    });

    it("ships both entries with their declarations, the contracts and the README", () => {
      expect(packed.files).to.include.members([
        "package.json",
        "README.md",
        "dist/sdk/index.js",
        "dist/sdk/index.d.ts",
        "dist/attribution/index.js",
        "dist/attribution/index.d.ts",
        "contracts/interfaces/IInferenceRouter.sol",
        "contracts/inference/InferenceRouter.sol",
      ]);
    });

    it("ships no test-only contract or binding (mocks, ReferenceGOpen)", () => {
      expect(packed.files.filter((f) => TEST_ONLY.test(f))).to.deep.equal([]);
    });

    it("ships neither the engine's Node-only modules nor the evaluation generator", () => {
      expect(packed.files.filter((f) => /^dist\/attribution\/(node\/|evaluation\.)/.test(f))).to.deep.equal([]);
    });

    it("ships only the entries' dist/ and bindings, the contracts, README.md and package.json", () => {
      const allowed = /^(dist\/(sdk|attribution|types\/ethers-contracts)\/.+\.(js|d\.ts)|contracts\/.+\.sol)$/;
      const extra = packed.files.filter((f) => !allowed.test(f) && !["package.json", "README.md"].includes(f));
      expect(extra).to.deep.equal([]);
    });

    it("ships no source map that points at a file it does not ship", async () => {
      const shipped = new Set(packed.files);
      const broken: string[] = [];
      for (const file of packed.files.filter((f) => /\.(js|d\.ts)$/.test(f))) {
        const text = await readFile(path.join(installed, file), "utf8");
        const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
        if (url === undefined) continue;
        const map = path.posix.join(path.posix.dirname(file), url);
        if (!shipped.has(map)) {
          broken.push(`${file} → ${map}`);
          continue;
        }
        const { sources } = JSON.parse(await readFile(path.join(installed, map), "utf8")) as { sources: string[] };
        for (const source of sources) {
          const target = path.posix.join(path.posix.dirname(map), source);
          if (!shipped.has(target)) broken.push(`${map} → ${target}`);
        }
      }
      expect(broken).to.deep.equal([]);
    });

    it("depends on the exact @openzeppelin/contracts its Solidity imports, and on ethers v6 as a peer", () => {
      const dependencies = (packed.manifest.dependencies ?? {}) as Record<string, string>;
      const peers = (packed.manifest.peerDependencies ?? {}) as Record<string, string>;
      expect(dependencies["@openzeppelin/contracts"]).to.equal(ozVersion);
      expect(peers.ethers).to.match(/^\^6\./);
      expect(dependencies.ethers, "ethers is a peer dependency, not a dependency").to.equal(undefined);
    });
  });

  describe("in Node ESM", () => {
    let result: CommandResult;
    let sdk: string[] = [];
    let engine: string[] = [];

    before(async () => {
      result = await importInNode(app);
      if (result.status === 0) ({ sdk, engine } = JSON.parse(result.stdout) as { sdk: string[]; engine: string[] });
    });

    it(`imports "${PACKAGE_NAME}" and "${PACKAGE_NAME}/attribution"`, () => {
      expect(result.status, describeFailure(result)).to.equal(0);
    });

    it("exports from the SDK entry what dapps use", () => {
      expect(sdk).to.include.members(SDK_NAMES);
    });

    it("keeps the engine out of the SDK entry", () => {
      expect(sdk.filter((name) => engine.includes(name) || ENGINE_NAMES.includes(name))).to.deep.equal([]);
    });

    it("exports no test-only binding from the SDK entry", () => {
      expect(sdk.filter((name) => TEST_ONLY.test(name))).to.deep.equal([]);
    });

    it("exports the engine from the attribution entry, without the evaluation generator", () => {
      expect(engine).to.include.members(ENGINE_NAMES);
      expect(engine.filter((name) => EVALUATION_NAMES.includes(name))).to.deep.equal([]);
    });
  });

  describe("in TypeScript (tsc --strict, skipLibCheck: false)", () => {
    it("type-checks the dapp as a bundler resolves it", async () => {
      const result = await typeCheck(app, "tsconfig.json");
      expect(result.status, describeFailure(result)).to.equal(0);
    });

    it("type-checks the dapp as Node resolves it", async () => {
      const result = await typeCheck(app, "tsconfig.node.json");
      expect(result.status, describeFailure(result)).to.equal(0);
    });
  });

  describe("in the browser (esbuild, ethers external)", () => {
    let bundles: Record<BundleName, Bundle>;

    before(async () => {
      bundles = await bundleAll(app);
    });

    for (const name of Object.keys(BUNDLES) as BundleName[]) {
      it(`bundles ${name} with no Node builtin in it and nothing but ethers left to import`, () => {
        const b = bundles[name];
        expect(b.errors, "esbuild errors").to.deep.equal([]);
        expect(b.parsed.filter(isNodeBuiltin), "Node builtins bundled").to.deep.equal([]);
        const left = b.externals.filter((e) => e !== "ethers" && !e.startsWith("ethers/"));
        expect(left, "imports left in the bundle").to.deep.equal([]);
      });
    }

    it("keeps the engine and its tokenizer out of the paying dapp and of the whole SDK entry", () => {
      for (const name of ["pay", "whole SDK entry"] as const) {
        expect(bundles[name].errors, `${name}: esbuild errors`).to.deep.equal([]);
        expect(
          bundles[name].inputs.filter((i) => ENGINE_MODULE.test(i)),
          name,
        ).to.deep.equal([]);
      }
    });

    it("bundles no test-only binding", () => {
      expect(bundles["whole SDK entry"].errors, "esbuild errors").to.deep.equal([]);
      expect(bundles["whole SDK entry"].inputs.filter((i) => TEST_ONLY.test(i))).to.deep.equal([]);
    });
  });

  describe("in Solidity", () => {
    it("compiles every shipped contract, and a dapp contract importing the interfaces by package path", async () => {
      const errors = await compileShippedContracts(app, packed.files);
      expect(errors, errors.join("\n")).to.deep.equal([]);
    });
  });
});
