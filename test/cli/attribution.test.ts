/**
 * `npx hardhat attribution …` against a real node: the index of the accepted texts, the attribution of an output
 * (with the warning of a token count other than the one paid for, and the audit of a settled inference under
 * --force), oracle signatures from node accounts and from configuration variables, the settlement, the expiry of an
 * inference nobody attributed; and every refusal of bad input, each one sentence on stderr with nothing sent.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";

import { countTokens } from "../../attribution/index.js";
import { inferenceIdOf, requestIdOf } from "../../sdk/core/inference.js";
import { CliNode, spawnCli } from "../helpers/cli.js";
import {
  CONTRIBUTIONS,
  OPEN,
  OUTPUT,
  PAYER,
  nodeKey,
  nodeWallet,
  setUpInferenceWorld,
} from "../helpers/cli-inference.js";

const HUGE = 2n ** 256n;
/** The configuration variable the --keys tests put oracle account 19's key in. */
const KEY_VARIABLE = "CLI_ATTRIBUTION_ORACLE_KEY_19";

describe("CLI: attribution", function () {
  this.timeout(180_000);
  let cli: CliNode;
  let accounts: string[];
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  /** Paid for exactly the tokens of OUTPUT. */
  let answered: bigint;
  /** Paid for 1,000 output tokens: OUTPUT is not that long. */
  let mismatched: bigint;
  /** Left unattributed, to expire. */
  let forgotten: bigint;
  const oracle = (i: number) => nodeWallet(i, cli.provider).address;

  before(async () => {
    cli = await CliNode.start("cli-attribution");
    accounts = await setUpInferenceWorld(cli);
    const payer = cli.client(PAYER);
    const pay = async (request: string, output: bigint) => {
      await payer.inference.pay(1n, 100n, output, { requestId: requestIdOf(request)! });
      return inferenceIdOf(accounts[PAYER]!, requestIdOf(request)!);
    };
    answered = await pay("answered", BigInt(countTokens(OUTPUT)));
    mismatched = await pay("mismatched", 1000n);
    forgotten = await pay("forgotten", 1000n);
    dir = await mkdtemp(path.join(tmpdir(), "cli-attribution-"));
    await mkdir(file("texts"));
    for (const [id, c] of Object.entries(CONTRIBUTIONS)) {
      if (c.datanet === 1n) await writeFile(file(`texts/${id}.txt`), c.text);
    }
    await writeFile(file("answer.txt"), OUTPUT);
    await writeFile(file("other.txt"), OUTPUT);
    await writeFile(file("broken.json"), "{ not json");
  });
  after(async () => {
    delete process.env[KEY_VARIABLE];
    await cli?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** Runs a subtask that must succeed, returning what it printed. */
  async function ok(sub: string, args: Record<string, unknown>): Promise<string> {
    const result = await cli.run(["attribution", sub], args);
    expect(result.ok, result.output).to.equal(true);
    expect(result.errors).to.equal("");
    return result.output;
  }

  /** Runs a subtask that must refuse with one sentence containing `sentence`, having sent nothing. */
  async function refuses(sub: string, args: Record<string, unknown>, sentence: string): Promise<void> {
    const before = await cli.block();
    const result = await cli.run(["attribution", sub], args);
    expect(result.ok, result.output).to.equal(false);
    expect(result.errors.split("\n"), result.errors).to.have.length(1);
    expect(result.errors).to.match(/^Error: /);
    expect(result.errors).to.contain(sentence);
    expect(await cli.sentSince(before), "something was sent").to.equal(false);
  }

  /** Writes a weights file for `inferenceId` naming `weights`, with the commitments of answer.txt's weights. */
  async function weightsFile(name: string, inferenceId: bigint, weights: Record<string, string>): Promise<string> {
    const computed = JSON.parse(await readFile(file("answer.weights.json"), "utf8")) as Record<string, unknown>;
    await writeFile(file(name), JSON.stringify({ ...computed, inferenceId: inferenceId.toString(), weights }));
    return file(name);
  }

  describe("index", () => {
    it("refuses a text that differs from the registered one, naming the contribution", async () => {
      await writeFile(file("texts/2.txt"), `${CONTRIBUTIONS[2].text} (edited)`);
      await refuses("index", { contents: file("texts"), datanets: "1" }, "The text of contribution 2 (");
      await writeFile(file("texts/2.txt"), CONTRIBUTIONS[2].text);
    });

    it("indexes the accepted contributions of datanet 1, checked against their content hashes", async () => {
      const output = await ok("index", { contents: file("texts"), datanets: "1" });
      expect(output).to.contain("3 text(s) in --contents are not accepted contributions of these datanets: left out.");
      expect(output).to.contain("Indexed 2 contribution(s)");
      expect(output).to.contain("the accepted contributions of datanet 1.");
      expect(output).to.match(/commitment {3}0x[0-9a-f]{64}/);
      expect(
        existsSync(path.join(cli.hre.config.paths.root, "deployments", "cli-attribution", "attribution-index.bin")),
      ).to.equal(true);
    });

    it("indexes every text without --datanets, for use without a deployment", async () => {
      const output = await ok("index", { contents: file("texts"), out: file("all.index.bin") });
      expect(output).to.contain("Indexed 5 contribution(s)");
      expect(output).to.contain("(no deployment: datanets unknown)");
      expect(existsSync(file("all.index.bin"))).to.equal(true);
    });

    for (const [what, args, sentence] of [
      ["no --contents", { datanets: "1" }, "--contents is required, e.g. --contents texts/."],
      ["missing --contents", { contents: "/nonexistent/texts" }, "--contents /nonexistent/texts does not exist."],
      [
        "a datanet id of 2^256",
        { datanets: HUGE.toString() },
        `--datanets must be a whole number below 2^256, not "${HUGE}".`,
      ],
      ["a malformed --datanets", { datanets: "1,two" }, '--datanets must be a whole number, not "two".'],
    ] as const) {
      it(`refuses ${what}`, async () => {
        const contents = what === "no --contents" ? undefined : file("texts");
        await refuses("index", { contents, ...args }, sentence);
      });
    }
  });

  describe("compute", () => {
    it("attributes the output to contribution 1 and writes the weights file", async () => {
      const output = await ok("compute", { inference: answered.toString(), text: file("answer.txt") });
      expect(output).to.match(new RegExp(`^Inference ${answered}: \\d+ output words, \\d+ credited`));
      expect(output).to.contain("(model 1, the router's threshold)");
      const short = `${accounts[2]!.slice(0, 6)}…${accounts[2]!.slice(-4)}`;
      expect(output).to.match(new RegExp(`^\\s+1\\s+${short}\\s+1\\s+\\d+\\s+\\d+\\.\\d{4}%`, "m"));
      expect(output).to.contain("Sign it with the oracle's signers: npx hardhat attribution sign ");
      const written = JSON.parse(await readFile(file("answer.weights.json"), "utf8")) as Record<string, unknown>;
      expect(written.inferenceId).to.equal(answered.toString());
      expect(Object.keys(written.weights as object)).to.deep.equal(["1"]);
      expect(written.outputHash).to.equal(keccak256(toUtf8Bytes(OUTPUT)));
      expect(written.indexCommitment).to.match(/^0x[0-9a-f]{64}$/);
    });

    it("warns, without refusing, when the text's token count is not what the inference was paid for", async () => {
      const result = await cli.run(["attribution", "compute"], {
        inference: `0x${mismatched.toString(16)}`,
        text: file("other.txt"),
      });
      expect(result.ok, result.output).to.equal(true);
      const relative = path.relative(process.cwd(), file("other.txt"));
      const shown = relative.startsWith("..") ? file("other.txt") : relative;
      expect(result.errors).to.equal(
        `Warning: ${shown} has ${countTokens(OUTPUT)} tokens (o200k_base), but inference ${mismatched} was paid for 1000 output tokens: check that it is the output of this inference.`,
      );
      expect(existsSync(file("other.weights.json"))).to.equal(true);
    });

    for (const [what, args, sentence] of [
      ["an unknown inference", { inference: "5" }, "There is no inference 5."],
      [
        "an inference id of 2^256",
        { inference: HUGE.toString() },
        "The inference id must be a whole number below 2^256 or 0x and up to 64 hex digits",
      ],
      [
        "a malformed inference id",
        { inference: "answered" },
        'as `npx hardhat inference pay` prints it, not "answered".',
      ],
      ["no --text", { text: undefined }, "--text is required, e.g. --text answer.txt."],
      [
        "a missing --text file",
        { text: "/nonexistent/answer.txt" },
        "--text /nonexistent/answer.txt is not a readable file",
      ],
      ["a missing --index file", { index: "/nonexistent/index.bin" }, "There is no index at /nonexistent/index.bin"],
      [
        "--threshold on a network",
        { threshold: "0.05" },
        "--threshold is for offline use; on a network the router's applies.",
      ],
      ["a --min-span of 0", { minSpan: 0n }, "--min-span is the shortest match that counts, in words: at least 1."],
    ] as const) {
      it(`refuses ${what}`, async () => {
        const base: Record<string, unknown> = { text: file("answer.txt"), inference: answered.toString() };
        await refuses("compute", { ...base, ...args }, sentence);
      });
    }
  });

  describe("sign", () => {
    it("signs the weights with oracle accounts 17 and 18", async () => {
      const output = await ok("sign", { weights: file("answer.weights.json"), signers: "17,18" });
      expect(output).to.contain(
        `Signed a report for inference(s) ${answered} with 2 signer(s): ${[oracle(17), oracle(18)].sort().join(", ")}.`,
      );
      expect(output).to.contain("settle it with: npx hardhat attribution push ");
      const signed = JSON.parse(await readFile(file("answer.weights.signed.json"), "utf8")) as Record<string, unknown>;
      expect(signed.kind).to.equal("report");
      expect(signed.router).to.equal(cli.deployment.addresses.inferenceRouter);
      expect((signed.signatures as unknown[]).length).to.equal(2);
    });

    it("signs with a key from a configuration variable (--keys) next to a node account, to --out", async () => {
      process.env[KEY_VARIABLE] = nodeKey(19);
      const out = file("by-keys.signed.json");
      const output = await ok("sign", {
        weights: file("answer.weights.json"),
        signers: oracle(17),
        keys: KEY_VARIABLE,
        out,
      });
      expect(output).to.contain(`with 2 signer(s): ${[oracle(17), oracle(19)].sort().join(", ")}.`);
      expect(existsSync(out)).to.equal(true);
    });

    it("refuses fewer signers than the oracle's threshold", async () => {
      await refuses(
        "sign",
        { weights: file("answer.weights.json"), signers: "17", out: file("unwritten.json") },
        "The oracle needs 2 signature(s) to settle a report; 1 signer(s) would sign it.",
      );
      expect(existsSync(file("unwritten.json"))).to.equal(false);
    });

    it("refuses a signer given twice, as an index and as its address", async () => {
      await refuses(
        "sign",
        { weights: file("answer.weights.json"), signers: `17,${oracle(17).toLowerCase()}` },
        `${oracle(17)} is given twice as a signer.`,
      );
      process.env[KEY_VARIABLE] = nodeKey(19);
      await refuses(
        "sign",
        { weights: file("answer.weights.json"), signers: "19", keys: KEY_VARIABLE },
        `${oracle(19)} is given twice as a signer.`,
      );
    });

    it("refuses a signer the oracle has not registered", async () => {
      await refuses(
        "sign",
        { weights: file("answer.weights.json"), signers: "17,1" },
        `${accounts[1]} is not a registered oracle signer.`,
      );
    });

    it("refuses no signer, an account out of range and an unset configuration variable", async () => {
      const weights = file("answer.weights.json");
      await refuses("sign", { weights }, "Give at least one oracle signer with --signers or --keys.");
      await refuses("sign", { weights, signers: "17,99" }, "--signers 99 is out of range");
      await refuses(
        "sign",
        { weights, signers: "17", keys: "CLI_ATTRIBUTION_UNSET_KEY" },
        "The configuration variable CLI_ATTRIBUTION_UNSET_KEY is not set",
      );
    });

    for (const [what, contribution, sentence] of [
      ["never accepted (Pending)", "5", "Contribution 5 cannot be named for inference"],
      ["never accepted (Rejected)", "4", "Contribution 4 cannot be named for inference"],
      ["penalized", "3", "Contribution 3 is penalized: it may not earn from inference"],
      ["outside the model's datanets", "6", "Contribution 6 cannot be named for inference"],
    ] as const) {
      it(`refuses a contribution ${what}`, async () => {
        const weights = await weightsFile(`c${contribution}.json`, answered, { [contribution]: "0.5" });
        await refuses("sign", { weights, signers: "17,18" }, sentence);
      });
    }

    it("refuses a missing weights file, malformed JSON and a wrong shape, each with its sentence", async () => {
      await refuses(
        "sign",
        { weights: file("missing.json"), signers: "17,18" },
        `The weights file ${file("missing.json")} is not a readable file`,
      );
      await refuses(
        "sign",
        { weights: file("broken.json"), signers: "17,18" },
        `The weights file ${file("broken.json")} is not valid JSON`,
      );
      await writeFile(file("shape.json"), JSON.stringify({ inferenceId: "soon", weights: {} }));
      await refuses(
        "sign",
        { weights: file("shape.json"), signers: "17,18" },
        "shape.json: inferenceId must be an inference id",
      );
      await writeFile(file("weights-shape.json"), JSON.stringify({ inferenceId: "1", weights: [0.5] }));
      await refuses(
        "sign",
        { weights: file("weights-shape.json"), signers: "17,18" },
        'weights must map contribution ids to fractions, e.g. {"2": "0.25"}',
      );
    });
  });

  describe("push", () => {
    it("refuses a missing file, malformed JSON and a file that is not a signed attribution", async () => {
      await refuses(
        "push",
        { file: file("missing.json") },
        `The signed file ${file("missing.json")} is not a readable file`,
      );
      await refuses("push", { file: file("broken.json") }, `The signed file ${file("broken.json")} is not valid JSON`);
      await refuses(
        "push",
        { file: file("answer.weights.json") },
        "is not a signed attribution (kind must be report or batch); write one with `npx hardhat attribution sign`.",
      );
    });

    it("settles the signed report: the pool to contribution 1's contributor, the rest to the treasury", async () => {
      const output = await ok("push", { file: file("answer.weights.signed.json"), from: "5" });
      expect(output).to.match(/^Settled 1 inference\(s\) \(tx 0x[0-9a-f]{64}\):/);
      const details = await cli.client(0).inference.inference(answered);
      expect(details.status).to.equal("Settled");
      const s = details.settlement!;
      expect(s.contributionIds).to.deep.equal([1n]);
      const credited = s.amounts[0]!;
      expect(credited + s.toTreasury).to.equal(details.pool);
      expect(output).to.contain(`inference ${answered}: `);
      expect(await cli.client(0).contracts.inferenceRouter.creditOf(accounts[2]!)).to.equal(credited);
    });

    it("refuses to push a report of a settled inference again", async () => {
      await refuses(
        "push",
        { file: file("by-keys.signed.json") },
        `Inference ${answered} cannot be settled: it is Settled.`,
      );
    });
  });

  describe("after the settlement", () => {
    it("sign refuses an inference that is not pending", async () => {
      await refuses(
        "sign",
        { weights: file("answer.weights.json"), signers: "17,18" },
        `Inference ${answered} cannot be settled: it is Settled.`,
      );
    });

    it("compute refuses a settled inference without --force", async () => {
      await refuses(
        "compute",
        { inference: answered.toString(), text: file("answer.txt") },
        `Inference ${answered} is Settled, not Pending: its attribution is final; pass --force to recompute it for an audit.`,
      );
    });

    it("compute --force recomputes a settled inference and audits its settlement", async () => {
      const output = await ok("compute", {
        inference: answered.toString(),
        text: file("answer.txt"),
        out: file("audit.weights.json"),
        force: true,
      });
      expect(output).to.contain("Audit of the settlement (tx 0x");
      expect(output).to.match(/output hash {7}matches: settled 0x[0-9a-f]{64}/);
      expect(output).to.match(/index commitment {2}matches: settled 0x[0-9a-f]{64}/);
      expect(output).to.contain("contributions     settled 1; recomputed 1");
      expect(output).not.to.contain("Sign it with");
    });
  });

  describe("expire", () => {
    it("refuses while the window is open", async () => {
      await refuses(
        "expire",
        { inference: forgotten.toString() },
        `The attribution window of inference ${forgotten} is open until `,
      );
    });

    for (const [what, inference, sentence] of [
      ["an inference id of 2^256", HUGE.toString(), `not "${HUGE}".`],
      ["a malformed inference id", "0xnope", "The inference id must be a whole number below 2^256"],
      ["an unknown inference", "7", "There is no inference 7."],
    ] as const) {
      it(`refuses ${what}`, async () => {
        await refuses("expire", { inference }, sentence);
      });
    }

    it("expires an inference left unattributed past its window: its pool goes to the treasury", async () => {
      await cli.increaseTime(7 * 24 * 3600 + 1);
      const router = cli.client(0).contracts.inferenceRouter;
      const owed = await router.treasuryOwed();
      const { pool } = await cli.client(0).inference.require(forgotten);
      expect(pool).to.equal(OPEN("0.0824")); // 40% of 0.006 + 0.2 OPEN for 100 input and 1,000 output tokens
      const output = await ok("expire", { inference: forgotten.toString(), from: "5" });
      expect(output).to.match(
        new RegExp(
          `^Inference ${forgotten} expired unattributed: its 0\\.0824 OPEN pool goes to the treasury \\(tx 0x`,
        ),
      );
      expect((await router.treasuryOwed()) - owed).to.equal(pool);
      expect((await cli.client(0).inference.require(forgotten)).status).to.equal("Expired");
    });

    it("refuses an inference already expired, and compute --force reports its expiry", async () => {
      await refuses("expire", { inference: forgotten.toString() }, `Inference ${forgotten} is Expired, not Pending.`);
      const result = await cli.run(["attribution", "compute"], {
        inference: forgotten.toString(),
        text: file("answer.txt"),
        out: file("expired.weights.json"),
        force: true,
      });
      expect(result.ok, result.output).to.equal(true);
      expect(result.errors).to.match(
        /^Warning: .*answer\.txt has \d+ tokens \(o200k_base\), but inference \d+ was paid for 1000 output tokens/,
      );
      expect(result.output).to.contain(
        `Inference ${forgotten} expired unattributed: its 0.0824 OPEN pool went to the treasury.`,
      );
    });

    it("sign refuses an inference whose window has closed", async () => {
      const weights = await weightsFile("late.json", mismatched, {});
      await refuses(
        "sign",
        { weights, signers: "17,18" },
        `Inference ${mismatched} cannot be settled: its attribution window closed at `,
      );
    });
  });

  it("shows the group and a subtask's help on the real command line", async () => {
    const group = await spawnCli(["attribution", "--help"]);
    expect(group.code).to.equal(0);
    for (const sub of ["index", "compute", "sign", "push", "expire"])
      expect(group.stdout).to.contain(`attribution ${sub}`);
    const compute = await spawnCli(["attribution", "compute", "--help"]);
    expect(compute.code).to.equal(0);
    expect(compute.stdout).to.contain("[--] inference");
    expect(compute.stdout).to.match(/--force\s+Recompute the attribution/);
    expect(compute.stdout).to.match(/--min-span\s+.*\(default: 3\)/);
    expect(compute.stdout).not.to.contain("(default: )");
  });
});
