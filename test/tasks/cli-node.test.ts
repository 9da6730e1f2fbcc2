/**
 * The CLI as a terminal user meets it: a real `hardhat node` on a free port, the deploy task, then
 * tasks run as child processes, checking what they print and their exit codes, including bad input
 * that must fail with one sentence and status 1. The node is stopped by its PID whatever happens.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import path from "node:path";

import { expect } from "chai";
import { id, keccak256 } from "ethers";

import { inferenceIdOf } from "../../sdk/core/inference.js";

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, "..", "..");
const hardhatCli = path.join(path.dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject()));
    });
  });
}

/** The datanet's three documents: contributions 1, 2 (rejected) and 3. */
/** Account 0 of the node: pays the inference. */
const ACCOUNT_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
/** The request id the test pays its inference under. */
const REQUEST = `0x${"11".repeat(32)}`;
/** An index commitment for an engine that does not give one (the engine of attribution-v2 does). */
const INDEX = id("the node test's index");

const PRECEDENTS = [
  "Precedent 1: a contract signed under duress is voidable at the option of the coerced party, who must act promptly.",
  "Precedent 2: the limitation period for a latent injury starts when the claimant discovers the harm.",
  "Precedent 3: an exchange of emails can satisfy the statutory writing requirement for a guarantee if the name was meant as a signature.",
];

describe("CLI against a real node", function () {
  // Generous: each command starts a Node process that loads Hardhat. Nothing here measures speed.
  this.timeout(10 * 60_000);

  let node: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;
  let rpcUrl = "";

  /** Moves the node's clock forward (the waits of governance) and mines a block. */
  async function increaseTime(seconds: number): Promise<void> {
    for (const [method, params] of [
      ["evm_increaseTime", [seconds]],
      ["evm_mine", []],
    ] as const) {
      await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      });
    }
  }

  async function hardhat(...args: string[]): Promise<CliResult> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [hardhatCli, ...args, "--network", "e2e"], { cwd: root, env });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
  }

  before(async () => {
    const port = await freePort();
    rpcUrl = `http://127.0.0.1:${port}`;
    env = { ...process.env, E2E_RPC_URL: rpcUrl, FORCE_COLOR: "0", NO_COLOR: "1" };
    const started = spawn(process.execPath, [hardhatCli, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
      cwd: root,
      env,
    });
    node = started;
    await new Promise<void>((resolve, reject) => {
      let output = "";
      started.stdout.on("data", (d: Buffer) => {
        output += d.toString();
        if (output.includes("Started HTTP and WebSocket JSON-RPC server")) resolve();
      });
      started.on("exit", (code) => reject(new Error(`hardhat node exited with ${code}: ${output}`)));
    });
  });

  after(async () => {
    if (node?.pid !== undefined && node.exitCode === null) {
      node.kill("SIGTERM");
      await new Promise((resolve) => node?.once("exit", resolve));
    }
    await rm(path.join(root, "deployments", "e2e.json"), { force: true });
    await rm(path.join(root, "deployments", "e2e"), { recursive: true, force: true });
    await rm(path.join(root, "ignition", "deployments", "e2e"), { recursive: true, force: true });
  });

  const stakedOpenAddress = (text: string) => /stakedOpen\s+(0x[0-9a-fA-F]{40})/.exec(text)?.[1];
  let deployedStakedOpen: string | undefined;

  it("deploys the suite and writes deployments/e2e.json", async () => {
    const result = await hardhat(
      "deploy",
      "--deployment-id",
      "e2e",
      "--parameters",
      "ignition/parameters/localhost.json",
    );
    expect(result.code, result.stderr).to.equal(0);
    deployedStakedOpen = stakedOpenAddress(result.stdout);
    expect(deployedStakedOpen).to.match(/^0x[0-9a-fA-F]{40}$/);
    expect(result.stdout).to.contain("Wrote deployments/e2e.json.");
  });

  it("re-running deploy resumes the journal and deploys nothing new", async () => {
    const blockBefore = await hardhat("token", "balance");
    const again = await hardhat(
      "deploy",
      "--deployment-id",
      "e2e",
      "--parameters",
      "ignition/parameters/localhost.json",
    );
    expect(again.code, again.stderr).to.equal(0);
    expect(stakedOpenAddress(again.stdout)).to.equal(deployedStakedOpen);
    const after = await hardhat("token", "balance");
    expect(after.stdout).to.equal(blockBefore.stdout);
  });

  it("sends OPEN, stakes by permit, delegates and shows the position", async () => {
    const to = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"; // account 1 of the node
    const sent = await hardhat("token", "transfer", to, "25000");
    expect(sent.code, sent.stderr).to.equal(0);
    expect(sent.stdout).to.contain(`Sent 25,000 OPEN`);

    const staked = await hardhat("stake", "deposit", "20000", "--from", "1");
    expect(staked.code, staked.stderr).to.equal(0);
    expect(staked.stdout).to.contain("(approved by permit)");
    expect(staked.stdout).to.contain("20,000 gOPEN");

    const delegated = await hardhat("stake", "delegate", to, "--from", to);
    expect(delegated.code, delegated.stderr).to.equal(0);
    expect(delegated.stdout).to.contain("which now has 20,000 votes");

    const position = await hardhat("stake", "position", to.toLowerCase());
    expect(position.code, position.stderr).to.equal(0);
    expect(position.stdout).to.match(/staked\s+20,000 gOPEN/);
    expect(position.stdout).to.match(/OPEN held\s+5,000 OPEN/);
  });

  it("refuses to unstake more than the stake: one sentence, exit status 1", async () => {
    const result = await hardhat("stake", "unstake", "999999", "--from", "1");
    expect(result.code).to.equal(1);
    expect(result.stderr.trim()).to.equal(
      "Error: 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 has 20,000 gOPEN staked, less than the 999,999 gOPEN to unstake.",
    );
  });

  it("refuses an unknown proposal id and a malformed amount without a stack trace", async () => {
    const unknown = await hardhat("gov", "show", "42");
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr.trim()).to.equal(
      "Error: There is no proposal 42 on this governor, and a shortened proposal id needs at least 6 digits (`npx hardhat gov list` shows them).",
    );

    const malformed = await hardhat("token", "transfer", "0x123", "1");
    expect(malformed.code).to.equal(1);
    expect(malformed.stderr.trim()).to.equal(
      'Error: The recipient must be an address (0x followed by 40 hex digits), not "0x123".',
    );
    expect(malformed.stderr).not.to.contain("    at ");
  });
  it("drives a datanet from creation to a published, provable version", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "datanet-"));
    const files = ["case-1.txt", "case-2.txt", "case-3.txt"].map((name) => path.join(dir, name));
    for (const [i, file] of files.entries()) await writeFile(file, PRECEDENTS[i]!);

    const created = await hardhat(
      "datanet",
      "create",
      "--metadata",
      "ipfs://legal.json",
      "--bond",
      "10",
      "--from",
      "1",
    );
    expect(created.code, created.stderr).to.equal(0);
    expect(created.stdout).to.contain("Created datanet 1");
    const capped = await hardhat("datanet", "contribute", "1", "--file", files[0]!, "--max-bond", "5");
    expect(capped.code).to.equal(1);
    expect(capped.stderr.trim()).to.equal("Error: The bond of datanet 1 is 10 OPEN, above --max-bond 5 OPEN.");
    for (const file of files) {
      const contributed = await hardhat("datanet", "contribute", "1", "--file", file);
      expect(contributed.code, contributed.stderr).to.equal(0);
      expect(contributed.stdout).to.contain("The bond was capped at its current 10 OPEN");
    }
    const duplicate = await hardhat("datanet", "contribute", "1", "--file", files[0]!);
    expect(duplicate.code).to.equal(1);
    expect(duplicate.stderr.trim()).to.equal(
      "Error: This content is already contribution 1 of datanet 1: it would be redundant.",
    );

    const reviewed = await hardhat("datanet", "review", "--accept", "1,3", "--reject", "2", "--from", "1");
    expect(reviewed.code, reviewed.stderr).to.equal(0);
    expect(reviewed.stdout).to.contain(
      "accepted 2 (bonds credited back), rejected 1 (10 OPEN of bonds to the treasury)",
    );

    const published = await hardhat("datanet", "publish", "1", "--from", "1");
    expect(published.code, published.stderr).to.equal(0);
    expect(published.stdout).to.contain("Wrote the tree with its proofs to deployments/e2e/datanet-1-v1.json.");

    const proven = await hardhat("datanet", "verify", "1", "1", "3");
    expect(proven.code, proven.stderr).to.equal(0);
    expect(proven.stdout).to.contain("Contribution 3 is in version 1 of datanet 1, proven on-chain");
    const absent = await hardhat("datanet", "verify", "1", "1", "2");
    expect(absent.code).to.equal(1);
    expect(absent.stderr.trim()).to.equal("Error: Contribution 2 is not in version 1 of datanet 1.");
  });

  it("takes a model from proposal through governance to Active", async () => {
    // Account 1 staked 20,000 OPEN and delegated to itself above: enough votes to file the proposal.
    const proposed = await hardhat(
      "model",
      "propose",
      ...["--metadata", "ipfs://model.json", "--datanets", "1", "--input-rate", "0.06", "--output-rate", "0.2"],
      ...["--from", "1"],
    );
    expect(proposed.code, proposed.stderr).to.equal(0);
    const proposalId = /Governor proposal (\d+) approves it/.exec(proposed.stdout)?.[1];
    expect(proposalId, proposed.stdout).to.be.a("string");

    await increaseTime(61);
    expect((await hardhat("gov", "vote", proposalId!, "for", "--from", "1")).code).to.equal(0);
    await increaseTime(601);
    expect((await hardhat("gov", "queue", proposalId!)).code).to.equal(0);
    await increaseTime(121);
    const executed = await hardhat("gov", "execute", proposalId!);
    expect(executed.code, executed.stderr).to.equal(0);

    const early = await hardhat("model", "activate", "1", "--from", "1");
    expect(early.code).to.equal(1);
    expect(early.stderr.trim()).to.equal("Error: Model 1 is Approved; it must be Trained to activate it.");

    const hash = "0x" + "ab".repeat(32);
    const artifact = await hardhat("model", "artifact", "1", "--hash", hash, "--uri", "ipfs://weights", "--from", "1");
    expect(artifact.code, artifact.stderr).to.equal(0);
    expect((await hardhat("model", "activate", "1", "--from", "1")).code).to.equal(0);
    const shown = await hardhat("model", "show", "1");
    expect(shown.stdout).to.contain("Model 1 — Active");
    expect(shown.stdout).to.contain("0.06 OPEN in / 0.2 OPEN out per 1,000 tokens");
  });
  it("pays an inference, signs its attribution with 2 of 3 oracle keys, settles it and claims", async () => {
    const paid = await hardhat(
      ...["inference", "pay", "1", "--input-tokens", "2000", "--output-tokens", "1000"],
      ...["--request-id", REQUEST],
    );
    expect(paid.code, paid.stderr).to.equal(0);
    // The id belongs to the payer: keccak256(abi.encode(payer, requestId)), printed in full.
    const inference = inferenceIdOf(ACCOUNT_0, REQUEST).toString();
    expect(paid.stdout).to.contain(`Inference ${inference} paid: 0.33 OPEN for model 1`);
    const again = await hardhat(
      ...["inference", "pay", "1", "--input-tokens", "1", "--output-tokens", "1", "--request-id", REQUEST],
    );
    expect(again.code).to.equal(1);
    expect(again.stderr.trim()).to.equal(
      `Error: ${ACCOUNT_0} already paid request ${REQUEST}, as inference ${inference} (Pending); use a new --request-id.`,
    );
    const found = await hardhat("inference", "show", "--request-id", REQUEST);
    expect(found.code, found.stderr).to.equal(0);
    expect(found.stdout).to.contain(`Inference ${inference} — Pending, model 1`);
    expect(found.stdout).to.match(/window\s+7d left; closes at /);

    // The engine: index the accepted texts (checked against their content hashes), attribute the output.
    const dir = await mkdtemp(path.join(tmpdir(), "attribution-"));
    const contents = path.join(dir, "texts");
    await mkdir(contents);
    await writeFile(path.join(contents, "1.txt"), PRECEDENTS[0]!);
    await writeFile(path.join(contents, "3.txt"), `${PRECEDENTS[2]!} (edited)`);
    const tampered = await hardhat("attribution", "index", "--contents", contents, "--datanets", "1");
    expect(tampered.code).to.equal(1);
    expect(tampered.stderr.trim()).to.match(
      /^Error: The text of contribution 3 \(.*3\.txt\) has hash 0x[0-9a-f]{64}, but the registry holds 0x[0-9a-f]{64}\.$/,
    );
    await writeFile(path.join(contents, "3.txt"), PRECEDENTS[2]!);
    const indexed = await hardhat("attribution", "index", "--contents", contents, "--datanets", "1");
    expect(indexed.code, indexed.stderr).to.equal(0);
    expect(indexed.stdout).to.contain("Indexed 2 contribution(s)");

    const output = path.join(dir, "output.txt");
    await writeFile(
      output,
      "As held before, an exchange of emails can satisfy the statutory writing requirement for a guarantee.",
    );
    const quoted = await hardhat("inference", "quote", "1", "--input-text", output, "--output-text", output);
    expect(quoted.code, quoted.stderr).to.equal(0);
    expect(quoted.stdout).to.match(/^Model 1, (\d+) input \+ \1 output tokens \(o200k_base\): /);
    const unknown = await hardhat("attribution", "compute", "99", "--text", output);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr.trim()).to.equal("Error: There is no inference 99.");
    const weights = path.join(dir, "weights.json");
    const computed = await hardhat(
      ...["attribution", "compute", `0x${BigInt(inference).toString(16)}`, "--text", output],
      ...["--out", weights],
    );
    expect(computed.code, computed.stderr).to.equal(0);
    expect(computed.stdout).to.match(/^\s+3\s+0xf39F…2266\s+1\s+\d+\s+\d+\.\d{4}%/m);
    const file = JSON.parse(await readFile(weights, "utf8")) as Record<string, unknown>;
    expect(file.inferenceId).to.equal(inference);
    expect(Object.keys(file.weights as object)).to.deep.equal(["3"]);
    expect(file.outputHash).to.equal(keccak256(await readFile(output)));
    if (file.indexCommitment === undefined) {
      // An engine without index commitments: the report would commit to nothing, so attribution sign refuses.
      const refusedSign = await hardhat("attribution", "sign", weights, "--signers", "17,19");
      expect(refusedSign.code).to.equal(1);
      expect(refusedSign.stderr.trim()).to.match(
        /^Error: .*weights\.json has no indexCommitment, the commitment of the attribution index its weights were computed on, .*\.$/,
      );
      await writeFile(weights, JSON.stringify({ ...file, indexCommitment: INDEX }));
    }

    // One signature is below the oracle's threshold of two: refused before signing, and a file carrying only one
    // is refused before any transaction.
    const lone = await hardhat("attribution", "sign", weights, "--signers", "17", "--out", path.join(dir, "lone.json"));
    expect(lone.code).to.equal(1);
    expect(lone.stderr.trim()).to.equal(
      "Error: The oracle needs 2 signature(s) to settle a report; 1 signer(s) would sign it.",
    );

    const signed = await hardhat("attribution", "sign", weights, "--signers", "17,19");
    expect(signed.code, signed.stderr).to.equal(0);
    const signedFile = JSON.parse(await readFile(path.join(dir, "weights.signed.json"), "utf8")) as {
      signatures: unknown[];
    };
    await writeFile(
      path.join(dir, "lone.json"),
      JSON.stringify({ ...signedFile, signatures: signedFile.signatures.slice(0, 1) }),
    );
    const refused = await hardhat("attribution", "push", path.join(dir, "lone.json"));
    expect(refused.code).to.equal(1);
    expect(refused.stderr.trim()).to.equal("Error: The report carries 1 signature(s); the oracle needs 2.");
    const pushed = await hardhat("attribution", "push", path.join(dir, "weights.signed.json"));
    expect(pushed.code, pushed.stderr).to.equal(0);
    expect(pushed.stdout).to.contain(`inference ${inference}: 0.128 OPEN to contributors, 0 OPEN to the treasury`);
    expect(pushed.stdout).to.match(/output 0x[0-9a-f]{64}, index 0x[0-9a-f]{64}/);
    const settled = await hardhat("inference", "show", inference);
    expect(settled.stdout).to.contain(`Inference ${inference} — Settled`);
    expect(settled.stdout).to.contain(`output hash  ${String(file.outputHash)}`);

    // Account 0 contributed both documents (account 1, the model's creator, earned the creator's share).
    const shown = await hardhat("rewards", "show", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    expect(shown.stdout).to.match(/inference earnings \(creator \+ data\)\s+0\.128 OPEN/);
    const claimed = await hardhat("rewards", "claim");
    expect(claimed.code, claimed.stderr).to.equal(0);
    expect(claimed.stdout).to.contain("Claimed 0.128 OPEN of inference earnings");
  });
  it("releases the stakers' share to gOPEN, and refuses when nothing is owed", async () => {
    const released = await hardhat("rewards", "release");
    expect(released.code, released.stderr).to.equal(0);
    expect(released.stdout).to.match(
      /^Released 0\.064 OPEN of stakers' shares to gOPEN \(tx 0x[0-9a-f]{64}\): it streams to stakers from /,
    );
    const again = await hardhat("rewards", "release");
    expect(again.code).to.equal(1);
    expect(again.stderr.trim()).to.match(/^Error: No stakers' share is waiting to be released/);
  });

  it("prints the protocol at a glance with status", async () => {
    const status = await hardhat("status");
    expect(status.code, status.stderr).to.equal(0);
    expect(status.stdout).to.contain('OpenLedger protocol on "e2e"');
    expect(status.stdout).to.match(/Models: 1 \(1 Active\)/);
    expect(status.stdout).to.match(/inferences paid\s+1/);
    expect(status.stdout).to.match(/pending pools\s+0 OPEN in 0 inferences/);
    expect(status.stdout).to.match(/oracle\s+2 of 3 signers/);
    // The creator's 0.128 OPEN is still unclaimed; the router holds it and the 0.01 OPEN platform fee.
    expect(status.stdout).to.match(/unclaimed credits\s+0\.128 OPEN/);
    expect(status.stdout).to.match(/router holds\s+0\.138 OPEN/);
    expect(status.stdout).to.match(/stakers' share owed\s+0 OPEN/);
    expect(status.stdout).to.match(/reward stream\s+.* 0\.064 OPEN queued for the next 1h period/);
    expect(status.stdout).to.match(/inference\s+running/);
  });

  it("freezes the withdrawal of a staker a proposal would slash, and says so", async () => {
    const account1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const unstaked = await hardhat("stake", "unstake", "500", "--from", "1");
    expect(unstaked.code, unstaked.stderr).to.equal(0);
    const proposed = await hardhat(
      ...["gov", "propose", "--contract", "stakedOpen", "--function", "slash"],
      ...["--args", JSON.stringify([account1, "1000", "falsified report"]), "--description", "Slash account 1"],
      ...["--from", "1"],
    );
    expect(proposed.code, proposed.stderr).to.equal(0);
    expect(proposed.stdout).to.contain(`The withdrawals of ${account1} are frozen until `);
    await increaseTime(3_601); // past the local 1-hour cooldown
    const refused = await hardhat("stake", "withdraw", "--from", "1");
    expect(refused.code).to.equal(1);
    expect(refused.stderr.trim()).to.match(
      new RegExp(`^Error: The withdrawals of ${account1} are frozen until \\S+ by a proposal to slash it: `),
    );
    const position = await hardhat("stake", "position", account1);
    expect(position.stdout).to.contain("by a proposal to slash it");
  });
});
