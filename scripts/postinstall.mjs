// Runs once after `npm install` in this repository (as the `prepare` script).
//
// Hardhat 3 needs Node >= 22.13; these machines ship Node 20, so the project carries Node 22 as a
// devDependency (`node` on npm) and every `npm run`/`npx` uses it. The trap: when the Node that
// runs `npm install` is older than 22, npm silently skips Hardhat's native simulator binding
// (`@nomicfoundation/edr-<platform>`, an optional dependency whose engines say node >= 22), and
// every test then fails with HHE27. Here `node` is already the project-local Node 22, so a second
// `npm install` run with it adds the binding (the lockfile does not change). The environment
// variable guards against recursion.
//
// Why `prepare` and not `postinstall`: npm runs `prepare` after a plain `npm install` in the
// package's own folder, but never when the package is installed from a tarball or a registry as a
// dependency, so the published manifest asks nothing of a dapp's install (no install script to
// allow in pnpm, bun or yarn, and this file need not ship). npm also runs `prepare` before
// `npm pack` and `npm publish`: the script then does nothing.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const GUARD = "OPENLEDGER_POSTINSTALL_REINSTALL";
const MIN_NODE_MAJOR = 22;

function npmNodeMajor() {
  // e.g. "npm/11.19.1 node/v20.20.2 linux x64 workspaces/false"
  const match = /\bnode\/v(\d+)\./.exec(process.env.npm_config_user_agent ?? "");
  return match === null ? undefined : Number(match[1]);
}

function edrBindingPresent() {
  const require = createRequire(path.join(process.cwd(), "package.json"));
  try {
    require.resolve("@nomicfoundation/edr");
    // Loading the package loads the native binding for this platform, or throws.
    require("@nomicfoundation/edr");
    return true;
  } catch {
    return false;
  }
}

// `npm pack` and `npm publish` run `prepare` too; only an install needs the binding.
if (!["install", "ci", "install-test", "install-ci-test", undefined].includes(process.env.npm_command)) process.exit(0);

const major = npmNodeMajor();
if (process.env[GUARD] === undefined && major !== undefined && major < MIN_NODE_MAJOR) {
  console.log(
    `prepare: npm ran on Node ${major}; re-running npm install under Node ${process.versions.node} to add Hardhat's native simulator binding.`,
  );
  const npmCli = process.env.npm_execpath;
  const cmd = npmCli !== undefined ? process.execPath : "npm";
  const args = [...(npmCli !== undefined ? [npmCli] : []), "install", "--no-audit", "--no-fund", "--ignore-scripts"];
  const result = spawnSync(cmd, args, {
    stdio: "inherit",
    env: { ...process.env, [GUARD]: "1" },
  });
  if (result.status !== 0) {
    console.error("prepare: the second npm install failed; run `npx npm install` by hand.");
    process.exit(result.status ?? 1);
  }
}

if (!edrBindingPresent()) {
  console.error(
    "prepare: Hardhat's native simulator binding (@nomicfoundation/edr) did not load; " +
      "run `npm install` again with Node >= 22 (e.g. `node_modules/.bin/node $(which npm) install`).",
  );
  process.exit(1);
}
