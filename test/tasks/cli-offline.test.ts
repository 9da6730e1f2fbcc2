/**
 * The attribution engine's tasks without a deployment (the in-process network): a folder or a JSON-lines
 * file of texts is indexed, an output attributed with a given threshold, and bad input refused with one
 * sentence and status 1. The tasks run as child processes, as a terminal user runs them.
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { keccak256 } from "ethers";

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, "..", "..");
const hardhatCli = path.join(path.dirname(require.resolve("hardhat/package.json")), "dist", "src", "cli.js");

function hardhat(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" };
    const child = spawn(process.execPath, [hardhatCli, ...args], { cwd: root, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const TEXTS: Record<string, string> = {
  "4": "Photosynthesis converts light energy into chemical energy stored in glucose inside the chloroplasts of plant cells.",
  "7": "Mitochondria release the energy stored in glucose through cellular respiration, producing adenosine triphosphate.",
};

describe("attribution tasks without a deployment", function () {
  this.timeout(120_000);

  it("indexes a folder, attributes an output with --threshold, and writes the weights attribution sign reads", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "offline-"));
    const texts = path.join(dir, "texts");
    await mkdir(texts);
    for (const [id, text] of Object.entries(TEXTS)) await writeFile(path.join(texts, `${id}.txt`), text);
    const indexed = await hardhat("attribution", "index", "--contents", texts);
    expect(indexed.code, indexed.stderr).to.equal(0);
    expect(indexed.stdout).to.contain("Indexed 2 contribution(s)");
    expect(indexed.stdout).to.contain("no deployment: datanets unknown");

    const output = path.join(dir, "answer.txt");
    await writeFile(output, `In short, ${TEXTS["7"]} That is all.`);
    const computed = await hardhat(
      "attribution",
      "compute",
      "12",
      "--text",
      output,
      "--index",
      `${texts}.index.bin`,
      "--threshold",
      "0.05",
    );
    expect(computed.code, computed.stderr).to.equal(0);
    expect(computed.stdout).to.contain("Inference 12:");
    const weights = JSON.parse(await readFile(path.join(dir, "answer.weights.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(weights.inferenceId).to.equal("12");
    expect(Object.keys(weights.weights as object)).to.deep.equal(["7"]);
    // The report commits to the output it attributes; the index commitment comes from the engine when it has one.
    expect(weights.outputHash).to.equal(keccak256(await readFile(output)));
    if (weights.indexCommitment === undefined) {
      expect(computed.stdout).to.contain(
        "This engine gives no index commitment: attribution sign refuses the file until it names one.",
      );
    } else {
      expect(weights.indexCommitment).to.match(/^0x[0-9a-f]{64}$/);
    }
  });

  it("reads a JSON-lines file, and refuses bad input with one sentence and status 1", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "offline-"));
    const jsonl = path.join(dir, "texts.jsonl");
    await writeFile(
      jsonl,
      Object.entries(TEXTS)
        .map(([id, text]) => JSON.stringify({ contributionId: id, text }))
        .join("\n"),
    );
    const indexed = await hardhat("attribution", "index", "--contents", jsonl, "--out", path.join(dir, "x.bin"));
    expect(indexed.code, indexed.stderr).to.equal(0);

    await writeFile(jsonl, '{"contributionId": 4, "text": "fine"}\nnot json\n');
    const broken = await hardhat("attribution", "index", "--contents", jsonl);
    expect(broken.code).to.equal(1);
    expect(broken.stderr.trim()).to.equal(`Error: ${jsonl} line 2 is not JSON.`);

    const missing = await hardhat("attribution", "compute", "1", "--text", path.join(dir, "nope.txt"));
    expect(missing.code).to.equal(1);
    expect(missing.stderr.trim()).to.equal(
      `Error: --text ${path.join(dir, "nope.txt")} is not a readable file: there is nothing at that path.`,
    );
    expect(missing.stderr).not.to.contain("    at ");
  });
});
