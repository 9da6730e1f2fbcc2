/**
 * The package as a dapp gets it: `npm pack`, a plain `npm install` of the tarball into an empty folder, and a few
 * dapp files that use it, type-checked, bundled for the browser and run in Node there. Shared by the tarball test
 * (test/package/tarball.test.ts) and `npm run size` (scripts/size.ts), so the sizes the README records are those of
 * the bundles the test checks.
 *
 * It packs the built `dist/` (`npm run build:sdk`, which `npm test` runs first) with `--ignore-scripts`, so packing
 * does not build a second time. Everything else runs as a user would run it, with the tools the repository
 * already has (npm, TypeScript, esbuild, solc-js), and no network beyond the npm registry and the local npm cache.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { builtinModules, createRequire } from "node:module";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { build, type BuildFailure, type Message } from "esbuild";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const PACKAGE_NAME = "openledger-protocol";

const require = createRequire(import.meta.url);

export interface CommandResult {
  command: string;
  status: number;
  stdout: string;
  stderr: string;
}

/** `stdout` and `stderr` of a failed command, for an assertion message. */
export function describeFailure(result: CommandResult): string {
  return `\`${result.command}\` exited with ${result.status}:\n${result.stderr}\n${result.stdout}`.trimEnd();
}

/**
 * The environment of a command run for the consumer: this process's, without what npm sets for the repository's own
 * scripts (`npm_config_local_prefix`, `npm_package_*`, `INIT_CWD`, …), which would point the consumer's npm at the
 * repository, and without NODE_OPTIONS, which may carry the TypeScript loader Hardhat runs tests with.
 */
function consumerEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== "INIT_CWD"));
}

/** Runs `file args` in `cwd`; never throws for a non-zero exit. */
export function run(file: string, args: string[], cwd: string): Promise<CommandResult> {
  const command = [path.basename(file), ...args].join(" ");
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: consumerEnv(), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ command, status: code, stdout, stderr });
    });
  });
}

/** npm, run with this process's Node (22 under `npm test`): the npm that runs this script when there is one. */
function npm(args: string[], cwd: string): Promise<CommandResult> {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && path.basename(execPath) === "npm-cli.js") {
    return run(process.execPath, [execPath, ...args], cwd);
  }
  return run("npm", args, cwd);
}

export interface Packed {
  /** Absolute path of the tarball. */
  tarball: string;
  /** Paths inside the package, as `npm pack` lists them. */
  files: string[];
  /** The package.json in the tarball, as npm published it. */
  manifest: Record<string, unknown>;
}

/** Packs the repository into `destination` (the built dist/ must exist). */
export async function pack(destination: string): Promise<Packed> {
  if (!existsSync(path.join(ROOT, "dist", "sdk", "index.js"))) {
    throw new Error("dist/ is not built: run `npm run build:sdk` (npm test runs it first).");
  }
  const result = await npm(["pack", "--ignore-scripts", "--json", "--pack-destination", destination], ROOT);
  if (result.status !== 0) throw new Error(describeFailure(result));
  const [entry] = JSON.parse(result.stdout) as { filename: string }[];
  if (entry === undefined) throw new Error(`npm pack listed no tarball:\n${result.stdout}`);
  return packedFromTarball(path.join(destination, entry.filename), destination);
}

/**
 * A tarball packed elsewhere (e.g. from another branch), described as `pack` describes its own: what the checks
 * read of it comes from the tarball, not from this tree.
 */
export async function packedFromTarball(tarball: string, work: string): Promise<Packed> {
  const listing = await run("tar", ["-tzf", tarball], work);
  if (listing.status !== 0) throw new Error(describeFailure(listing));
  const extract = path.join(work, "extracted");
  await mkdir(extract, { recursive: true });
  const unpack = await run("tar", ["-xzf", tarball, "-C", extract], work);
  if (unpack.status !== 0) throw new Error(describeFailure(unpack));
  const manifest = JSON.parse(await readFile(path.join(extract, "package", "package.json"), "utf8")) as Record<
    string,
    unknown
  >;
  const files = listing.stdout
    .split("\n")
    .filter((line) => line.startsWith("package/") && !line.endsWith("/"))
    .map((line) => line.slice("package/".length));
  return { tarball: path.resolve(tarball), files: files.sort(), manifest };
}

/** The ethers version the repository tests with (pinned in its devDependencies): the consumer installs the same. */
async function ethersVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
  };
  const version = manifest.devDependencies.ethers;
  if (version === undefined) throw new Error("package.json pins no ethers devDependency.");
  return version;
}

/**
 * Creates a dapp in `dir` that depends on the tarball and on ethers v6, and installs it with a plain `npm install`
 * (`ignoreScripts` only to look past an install that fails). Writes the dapp's sources as well.
 */
export async function installConsumer(
  tarball: string,
  dir: string,
  options: { ignoreScripts?: boolean } = {},
): Promise<CommandResult> {
  await mkdir(dir, { recursive: true });
  const manifest = {
    name: "openledger-dapp",
    version: "0.0.0",
    private: true,
    type: "module",
    dependencies: { [PACKAGE_NAME]: `file:${tarball}`, ethers: await ethersVersion() },
  };
  await writeFile(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  for (const [file, text] of Object.entries(DAPP_FILES)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  const args = ["install", "--no-audit", "--no-fund", "--prefer-offline"];
  return npm(options.ignoreScripts === true ? [...args, "--ignore-scripts"] : args, dir);
}

// ------------------------------------------------------------------------------------------------
// The dapp
// ------------------------------------------------------------------------------------------------

/**
 * Pays for an inference, as the README's example does: what most dapps need of the package. The client quotes from
 * chain, refuses what the router would refuse, and approves by permit in the same transaction when needed.
 */
const PAY = `import { BrowserProvider, type Eip1193Provider } from "ethers";
import { createClient, getDeployment, requestIdOf } from "${PACKAGE_NAME}";

export async function payForInference(
  ethereum: Eip1193Provider,
  modelId: bigint,
  inputTokens: bigint,
  outputTokens: bigint,
  request: string,
) {
  const provider = new BrowserProvider(ethereum);
  const client = createClient({
    deployment: getDeployment((await provider.getNetwork()).chainId),
    provider,
    signer: await provider.getSigner(),
  });
  const quote = await client.inference.quote(modelId, inputTokens, outputTokens);
  const paid = await client.inference.pay(modelId, inputTokens, outputTokens, {
    requestId: requestIdOf(request),
    maxFee: quote.fee,
  });
  return client.inference.inference(paid.inferenceId);
}
`;

/**
 * With the engine: counts the prompt's and the answer's tokens as models bill them (o200k_base), pays, and attributes
 * the answer to the texts it reproduces.
 */
const ATTRIBUTE = `import type { Eip1193Provider } from "ethers";
import { attribute, buildIndex, countTokens, indexCommitment, outputHash } from "${PACKAGE_NAME}/attribution";

import { payForInference } from "./pay.js";

export async function payAndAttribute(ethereum: Eip1193Provider, texts: string[], prompt: string, answer: string) {
  const inputTokens = BigInt(countTokens(prompt));
  const outputTokens = BigInt(countTokens(answer));
  const inference = await payForInference(ethereum, 1n, inputTokens, outputTokens, prompt);
  const index = buildIndex(texts.map((text, i) => ({ contributionId: BigInt(i + 1), datanetId: 1n, text })));
  const attribution = attribute(index, answer);
  return { inference, commitment: indexCommitment(index), outputHash: outputHash(answer), attribution };
}
`;

/** The rest of what the SDK entry promises to keep: referenced, so the type check sees each of them. */
const PROTOCOL = `import { JsonRpcProvider } from "ethers";
import {
  InferenceRouter__factory,
  attributionDomain,
  decodeCredits,
  registerDeployment,
  sharePool,
  signReport,
} from "${PACKAGE_NAME}";

export const api = { attributionDomain, decodeCredits, registerDeployment, sharePool, signReport };

export async function routerOf(url: string, address: string): Promise<bigint> {
  return InferenceRouter__factory.connect(address, new JsonRpcProvider(url)).platformFee();
}
`;

/** Each whole entry, so that nothing any export reaches escapes the bundle checks through tree-shaking. */
const ENTRY_SDK = `export * from "${PACKAGE_NAME}";\n`;
const ENTRY_ATTRIBUTION = `export * from "${PACKAGE_NAME}/attribution";\n`;

/** Imports both entries in Node ESM and prints their export names. */
export const NODE_IMPORT = `const sdk = await import("${PACKAGE_NAME}");
const engine = await import("${PACKAGE_NAME}/attribution");
console.log(JSON.stringify({ sdk: Object.keys(sdk), engine: Object.keys(engine) }));
`;

/** A contract of the dapp that depends on the protocol through its published interfaces. */
const CONSUMER_SOL = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IInferenceRouter} from "${PACKAGE_NAME}/contracts/interfaces/IInferenceRouter.sol";
import {IStakedOpen} from "${PACKAGE_NAME}/contracts/interfaces/IStakedOpen.sol";

contract PayingAgent {
    IInferenceRouter public immutable router;
    IStakedOpen public immutable stakedOpen;

    constructor(IInferenceRouter router_, IStakedOpen stakedOpen_) {
        router = router_;
        stakedOpen = stakedOpen_;
    }
}
`;

const TSCONFIG = (options: Record<string, unknown>) =>
  JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        target: "es2022",
        lib: ["es2022", "dom"],
        types: [],
        ...options,
      },
      include: ["src/**/*.ts"],
    },
    null,
    2,
  ) + "\n";

export const DAPP_FILES: Record<string, string> = {
  "src/pay.ts": PAY,
  "src/attribute.ts": ATTRIBUTE,
  "src/protocol.ts": PROTOCOL,
  "src/entry-sdk.ts": ENTRY_SDK,
  "src/entry-attribution.ts": ENTRY_ATTRIBUTION,
  "contracts/PayingAgent.sol": CONSUMER_SOL,
  // A bundled browser dapp, and the same files as Node resolves them.
  "tsconfig.json": TSCONFIG({ module: "esnext", moduleResolution: "bundler" }),
  "tsconfig.node.json": TSCONFIG({ module: "nodenext", moduleResolution: "nodenext" }),
};

/** The bundles the checks build: name → entry file. */
export const BUNDLES = {
  pay: "src/pay.ts",
  "pay + attribution": "src/attribute.ts",
  "whole SDK entry": "src/entry-sdk.ts",
  "whole attribution entry": "src/entry-attribution.ts",
} as const;
export type BundleName = keyof typeof BUNDLES;

// ------------------------------------------------------------------------------------------------
// Checks run in the consumer's folder
// ------------------------------------------------------------------------------------------------

/** `tsc -p <project>` in the dapp, with the repository's TypeScript. */
export function typeCheck(dir: string, project: string): Promise<CommandResult> {
  return run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", project, "--pretty", "false"], dir);
}

/** The dapp's Node ESM import of both entries. */
export function importInNode(dir: string): Promise<CommandResult> {
  return run(process.execPath, ["--input-type=module", "-e", NODE_IMPORT], dir);
}

export interface Bundle {
  /** Minified size in bytes (ethers external). */
  bytes: number;
  gzipBytes: number;
  /** Every module that put code into the bundle, as esbuild names them (paths relative to the dapp). */
  inputs: string[];
  /** Every module esbuild read, tree-shaken away or not. */
  parsed: string[];
  /** What the bundle still imports: only ethers is expected. */
  externals: string[];
  /** esbuild's errors, e.g. `Could not resolve "fs"`: the bundle was not built. */
  errors: string[];
}

const formatMessage = (m: Message) =>
  m.location === null ? m.text : `${m.location.file}:${m.location.line}: ${m.text}`;

function isBuildFailure(error: unknown): error is BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<BuildFailure>).errors);
}

/** Bundles `entry` of the dapp for the browser with esbuild: ESM, minified, ethers external. */
export async function bundle(dir: string, entry: string): Promise<Bundle> {
  try {
    const result = await build({
      absWorkingDir: dir,
      entryPoints: [entry],
      outdir: "out",
      bundle: true,
      platform: "browser",
      format: "esm",
      target: "es2022",
      minify: true,
      write: false,
      metafile: true,
      external: ["ethers", "ethers/*"],
      logLevel: "silent",
    });
    const output = result.outputFiles[0];
    if (output === undefined) throw new Error(`esbuild wrote nothing for ${entry}`);
    const outputs = Object.values(result.metafile.outputs);
    const externals = outputs.flatMap((o) => o.imports.filter((i) => i.external === true).map((i) => i.path));
    const entered = outputs.flatMap((o) =>
      Object.entries(o.inputs)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([file]) => file),
    );
    return {
      bytes: output.contents.byteLength,
      gzipBytes: gzipSync(output.contents, { level: 9 }).byteLength,
      inputs: [...new Set(entered)].sort(),
      parsed: Object.keys(result.metafile.inputs).sort(),
      externals: [...new Set(externals)].sort(),
      errors: [],
    };
  } catch (error) {
    if (!isBuildFailure(error)) throw error;
    return { bytes: 0, gzipBytes: 0, inputs: [], parsed: [], externals: [], errors: error.errors.map(formatMessage) };
  }
}

/** Whether `specifier` names a Node builtin (`fs`, `node:crypto`, `path/posix`, …). */
export function isNodeBuiltin(specifier: string): boolean {
  if (specifier.startsWith("node:")) return true;
  return builtinModules.includes(specifier) || builtinModules.includes(specifier.split("/")[0] ?? "");
}

/** Bundles every dapp entry. */
export async function bundleAll(dir: string): Promise<Record<BundleName, Bundle>> {
  const out: Partial<Record<BundleName, Bundle>> = {};
  for (const [name, entry] of Object.entries(BUNDLES) as [BundleName, string][]) out[name] = await bundle(dir, entry);
  return out as Record<BundleName, Bundle>;
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
}

/**
 * Compiles the dapp's contract and every Solidity file the package ships, under the names a consumer imports them by
 * (`openledger-protocol/contracts/…`), resolving every import as Node does from the dapp (the package's `exports`
 * included) and the package's own dependencies from the package. solc-js from the repository, ABI only (type checking
 * without code generation: fast). Returns solc's errors.
 */
export async function compileShippedContracts(dir: string, shipped: string[]): Promise<string[]> {
  const solc = require("solc") as { compile(input: string, callbacks: { import(p: string): unknown }): string };
  const fromDapp = createRequire(path.join(dir, "package.json"));
  const packageDir = path.dirname(fromDapp.resolve(`${PACKAGE_NAME}/package.json`));
  const fromPackage = createRequire(path.join(packageDir, "package.json"));
  const resolveImport = (name: string): string =>
    name.startsWith(`${PACKAGE_NAME}/`) ? fromDapp.resolve(name) : fromPackage.resolve(name);

  const sources: Record<string, { content: string }> = {
    "contracts/PayingAgent.sol": { content: await readFile(path.join(dir, "contracts", "PayingAgent.sol"), "utf8") },
  };
  for (const file of shipped.filter((f) => f.endsWith(".sol"))) {
    const name = `${PACKAGE_NAME}/${file}`;
    sources[name] = { content: await readFile(resolveImport(name), "utf8") };
  }
  const input = {
    language: "Solidity",
    sources,
    settings: { evmVersion: "cancun", outputSelection: { "*": { "*": ["abi"] } } },
  };
  const output = JSON.parse(
    solc.compile(JSON.stringify(input), {
      import(name: string) {
        try {
          return { contents: readFileSync(resolveImport(name), "utf8") };
        } catch (error) {
          return { error: `${name} does not resolve from the dapp: ${(error as Error).message.split("\n")[0]}` };
        }
      },
    }),
  ) as SolcOutput;
  return (output.errors ?? []).filter((e) => e.severity === "error").map((e) => e.formattedMessage);
}

/** "532.1 kB" (1 kB = 1,000 bytes). */
export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
