/**
 * `npx hardhat oracle start` as a terminal user meets it when something is wrong: each refusal is one sentence on
 * stderr with exit status 1, before anything is opened or sent. (The node running is tested in network.test.ts.)
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { spawnCli } from "../helpers/cli.js";
import { CONTRACT_NAMES } from "../../sdk/core/deployments.js";

const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const ADDRESS = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;

describe("CLI: oracle start refusals", function () {
  // Each case starts a Node process that loads Hardhat.
  this.timeout(180_000);
  let dir: string;
  let deployment: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "oracle-start-"));
    deployment = path.join(dir, "deployment.json");
    const names = CONTRACT_NAMES;
    await writeFile(
      deployment,
      JSON.stringify({
        network: "e2e",
        chainId: 31337,
        deployBlock: 0,
        deployedAt: "2026-01-01T00:00:00.000Z",
        addresses: Object.fromEntries(names.map((name, i) => [name, ADDRESS(i + 1)])),
      }),
    );
  });
  after(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  async function refuses(args: string[], env: NodeJS.ProcessEnv, sentence: string): Promise<void> {
    const { code, stderr } = await spawnCli(["oracle", "start", ...args], env);
    expect(code, stderr).to.equal(1);
    const lines = stderr.trim().split("\n");
    expect(lines, stderr).to.have.length(1);
    expect(lines[0]).to.equal(`Error: ${sentence}`);
  }

  it("refuses the in-process network, which has no chain to follow", async () => {
    await refuses(
      [],
      { ORACLE_PRIVATE_KEY: KEY },
      'An oracle node follows a real chain: start `npx hardhat node --hostname 127.0.0.1`, deploy, and pass --network localhost (not "default").',
    );
  });

  it("refuses an unset key variable, naming it and the keystore", async () => {
    await refuses(
      ["--network", "e2e", "--deployment", deployment, "--key", "ORACLE_TEST_UNSET_KEY"],
      {},
      "The configuration variable ORACLE_TEST_UNSET_KEY is not set: export it or store it with `npx hardhat keystore set ORACLE_TEST_UNSET_KEY`.",
    );
  });

  it("refuses a key variable that holds no private key", async () => {
    await refuses(
      ["--network", "e2e", "--deployment", deployment],
      { ORACLE_PRIVATE_KEY: "not a key" },
      "The configuration variable ORACLE_PRIVATE_KEY does not hold a private key (32 bytes of hex).",
    );
  });

  it("refuses a malformed setting, from an option or the environment", async () => {
    await refuses(
      ["--network", "e2e", "--deployment", deployment, "--port", "http"],
      { ORACLE_PRIVATE_KEY: KEY },
      'The HTTP port must be a whole number from 0 to 65535, not "http".',
    );
    await refuses(
      ["--network", "e2e", "--deployment", deployment],
      { ORACLE_PRIVATE_KEY: KEY, ORACLE_PEERS: "10.0.0.2:8600" },
      'A peer must be a base URL such as http://10.0.0.2:8600, not "10.0.0.2:8600".',
    );
  });
});
