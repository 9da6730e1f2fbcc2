/**
 * `npx hardhat inference …` against a real node: quotes (by token counts and by texts), payments (request ids as
 * hex or as text, permits, --max-fee), lookups by id and by request, the treasury's sweep; and every refusal of bad
 * input, each one sentence on stderr with nothing sent.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { countTokens } from "../../attribution/index.js";
import { inferenceIdOf, requestIdOf } from "../../sdk/core/inference.js";
import { CliNode, spawnCli } from "../helpers/cli.js";
import { MODEL, OPEN, OUTPUT, PAYER, setUpInferenceWorld } from "../helpers/cli-inference.js";

const HUGE = 2n ** 256n;
const HEX_REQUEST = `0x${"11".repeat(32)}`;
/** The node's account PAYER. */
const PAYER_ADDRESS = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
const PROMPT = "Summarise the precedents on contracts signed under duress, in one sentence.";

describe("CLI: inference", function () {
  this.timeout(180_000);
  let cli: CliNode;
  let accounts: string[];
  let dir: string;
  const file = (name: string) => path.join(dir, name);
  /** The inference the payer pays under the text request id "order-1842". */
  let orderId: bigint;

  before(async () => {
    cli = await CliNode.start("cli-inference");
    accounts = await setUpInferenceWorld(cli);
    orderId = inferenceIdOf(accounts[PAYER]!, requestIdOf("order-1842")!);
    dir = await mkdtemp(path.join(tmpdir(), "cli-inference-"));
    await writeFile(file("prompt.txt"), PROMPT);
    await writeFile(file("answer.txt"), OUTPUT);
  });
  after(async () => {
    await cli?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** Runs a subtask that must succeed, returning what it printed. */
  async function ok(sub: string, args: Record<string, unknown>): Promise<string> {
    const result = await cli.run(["inference", sub], args);
    expect(result.ok, result.output).to.equal(true);
    expect(result.errors).to.equal("");
    return result.output;
  }

  /** Runs a subtask that must refuse with one sentence containing `sentence`, having sent nothing. */
  async function refuses(sub: string, args: Record<string, unknown>, sentence: string): Promise<void> {
    const before = await cli.block();
    const result = await cli.run(["inference", sub], args);
    expect(result.ok, result.output).to.equal(false);
    expect(result.errors.split("\n"), result.errors).to.have.length(1);
    expect(result.errors).to.contain(`Error: ${sentence}`);
    expect(await cli.sentSince(before), "something was sent").to.equal(false);
  }

  const openOf = (account: string) => cli.client(0).contracts.openToken.balanceOf(account);

  describe("quote", () => {
    it("quotes 2,000 input and 1,000 output tokens of model 1, with its split", async () => {
      const output = await ok("quote", { model: 1n, inputTokens: 2000n, outputTokens: 1000n });
      expect(output).to.match(/^Model 1, 2000 input \+ 1000 output tokens: 0\.33 OPEN$/m);
      expect(output).to.match(/model fee\s+0\.32 OPEN/);
      expect(output).to.match(/creator\s+0\.128 OPEN/);
      expect(output).to.match(/stakers\s+0\.064 OPEN/);
      expect(output).to.match(/data pool\s+0\.128 OPEN \(shared by attribution\)/);
      expect(output).to.match(/platform fee\s+0\.01 OPEN/);
    });

    it("counts --input-text and --output-text with the engine's tokenizer", async () => {
      const output = await ok("quote", { model: 1n, inputText: file("prompt.txt"), outputText: file("answer.txt") });
      const [input, generated] = [countTokens(PROMPT), countTokens(OUTPUT)];
      expect(output).to.contain(`Model 1, ${input} input + ${generated} output tokens (o200k_base): `);
      const expected = await cli.client(0).inference.quote(1n, BigInt(input), BigInt(generated));
      const fee = /: (\S+) OPEN$/m.exec(output)?.[1];
      expect(OPEN(fee!)).to.equal(expected.fee);
    });

    it("mixes a count and a text, and quotes 0 tokens of one side", async () => {
      const output = await ok("quote", { model: 1n, inputTokens: 0n, outputText: file("answer.txt") });
      expect(output).to.contain(`Model 1, 0 input + ${countTokens(OUTPUT)} output tokens (o200k_base)`);
      expect(await ok("quote", { model: 1n, outputTokens: 1000n })).to.contain(
        "0 input + 1000 output tokens: 0.21 OPEN",
      );
    });

    for (const [what, args, sentence] of [
      ["no token count at all", { model: 1n }, "Give the token counts: --input-tokens 2000 (or --input-text"],
      [
        "both --input-tokens and --input-text",
        { model: 1n, inputTokens: 5n, inputText: "prompt.txt", outputTokens: 1n },
        "Give --input-tokens or --input-text, not both.",
      ],
      ["a missing --output-text file", { model: 1n, outputText: "/nonexistent/answer.txt" }, "--output-text"],
      ["a token count of 2^64", { model: 1n, inputTokens: 2n ** 64n }, "--input-tokens must be below 2^64."],
      ["an unknown model", { model: 99n, inputTokens: 1n }, "There is no model 99."],
      ["a model id of 2^256", { model: HUGE, inputTokens: 1n }, `${HUGE} is not a model id`],
      [
        "a model that is not Active",
        { model: MODEL.proposed, inputTokens: 1n },
        "Model 2 is Proposed; only Active models take inference.",
      ],
    ] as const) {
      it(`refuses ${what}`, async () => {
        await refuses("quote", args, sentence);
      });
    }
  });

  describe("pay", () => {
    it("pays under a text request id: hashed, printed, and the inference id derived from it", async () => {
      const payer = accounts[PAYER]!;
      const before = await openOf(payer);
      const output = await ok("pay", {
        model: 1n,
        inputTokens: 2000n,
        outputTokens: 1000n,
        requestId: "order-1842",
        from: String(PAYER),
      });
      const requestId = requestIdOf("order-1842")!;
      expect(output).to.match(
        new RegExp(
          `^Inference ${orderId} paid: 0\\.33 OPEN for model 1, 2000 input \\+ 1000 output tokens \\(tx 0x[0-9a-f]{64}\\)\\.`,
        ),
      );
      expect(output).to.contain(
        `request   ${requestId} (derived from the text "order-1842": keccak256 of its UTF-8 bytes) of ${payer}`,
      );
      expect(output).to.contain(`find it   npx hardhat inference show --request-id order-1842 --payer ${payer}`);
      expect(output).to.contain("creator 0.128 OPEN, stakers 0.064 OPEN, data pool 0.128 OPEN pending attribution");
      expect(before - (await openOf(payer))).to.equal(OPEN("0.33"));
      const stored = await cli.client(0).inference.require(orderId);
      expect(stored.status).to.equal("Pending");
      expect(stored.pool).to.equal(OPEN("0.128"));
      expect(await cli.client(0).inference.paidTokens(orderId)).to.deep.equal({
        inputTokens: 2000n,
        outputTokens: 1000n,
      });
    });

    it("pays under a hex request id as it is, and counts --input-text/--output-text", async () => {
      const output = await ok("pay", {
        model: 1n,
        inputText: file("prompt.txt"),
        outputText: file("answer.txt"),
        requestId: HEX_REQUEST,
        maxFee: "1",
        from: String(PAYER),
      });
      const id = inferenceIdOf(accounts[PAYER]!, HEX_REQUEST);
      const [input, generated] = [BigInt(countTokens(PROMPT)), BigInt(countTokens(OUTPUT))];
      expect(output).to.contain(`Inference ${id} paid: `);
      expect(output).to.contain(`${input} input + ${generated} output tokens (o200k_base)`);
      expect(output).to.contain(`request   ${HEX_REQUEST} of ${accounts[PAYER]}`);
      expect(output).not.to.contain("derived");
      expect(await cli.client(0).inference.paidTokens(id)).to.deep.equal({
        inputTokens: input,
        outputTokens: generated,
      });
    });

    it("pays under a random request id, approving by permit for an account without allowance", async () => {
      const account = accounts[1]!;
      const router = cli.deployment.addresses.inferenceRouter;
      expect(await cli.client(0).contracts.openToken.allowance(account, router)).to.equal(0n);
      const output = await ok("pay", { model: 1n, inputTokens: 10n, outputTokens: 10n, from: "1" });
      const id = BigInt(/^Inference (\d+) paid/.exec(output)?.[1] ?? "0");
      const requestId = /request {3}(0x[0-9a-f]{64}) \(random\)/.exec(output)?.[1];
      expect(requestId, output).to.be.a("string");
      expect(id).to.equal(inferenceIdOf(account, requestId!));
      expect(output).to.contain(`find it   npx hardhat inference show ${id}`);
      expect((await cli.client(0).inference.require(id)).status).to.equal("Pending");
    });

    for (const [what, args, sentence] of [
      [
        "a fee above --max-fee",
        { maxFee: "0.3", requestId: "order-1843" },
        "The fee is 0.33 OPEN, above --max-fee 0.3 OPEN.",
      ],
      ["a malformed --max-fee", { maxFee: "a lot" }, "--max-fee must be a positive number of OPEN"],
      ["an empty --request-id", { requestId: "" }, "--request-id must not be empty"],
      [
        "a model that is not Active",
        { model: MODEL.proposed },
        "Model 2 is Proposed; only Active models take inference.",
      ],
      ["a model id of 2^256", { model: HUGE }, `${HUGE} is not a model id`],
      ["no token count", { inputTokens: 0n, outputTokens: 0n }, "Give the token counts"],
    ] as const) {
      it(`refuses ${what}`, async () => {
        await refuses(
          "pay",
          { model: 1n, inputTokens: 2000n, outputTokens: 1000n, from: String(PAYER), ...args },
          sentence,
        );
      });
    }

    it("refuses a request id already used, as text or as its hash", async () => {
      const sentence = `${accounts[PAYER]} already paid request ${requestIdOf("order-1842")}, as inference ${orderId} (Pending); use a new --request-id.`;
      for (const requestId of ["order-1842", requestIdOf("order-1842")!]) {
        await refuses(
          "pay",
          { model: 1n, inputTokens: 1n, outputTokens: 1n, requestId, from: String(PAYER) },
          sentence,
        );
      }
    });
  });

  describe("show", () => {
    it("shows an inference by its decimal or hex id: payment, tokens, split and window", async () => {
      for (const inference of [orderId.toString(), `0x${orderId.toString(16)}`]) {
        const output = await ok("show", { inference });
        expect(output).to.match(new RegExp(`^Inference ${orderId} — Pending, model 1, paid \\d{4}-`));
        expect(output).to.contain(`payer        ${accounts[PAYER]}`);
        expect(output).to.contain(`request      ${requestIdOf("order-1842")}`);
        expect(output).to.contain("tokens       2000 input + 1000 output");
        expect(output).to.contain(
          "fee          0.33 OPEN: creator 0.128 OPEN, stakers 0.064 OPEN, data pool 0.128 OPEN, platform 0.01 OPEN",
        );
        expect(output).to.match(/window {7}(7d|6d 23h 59m[ 0-9s]*) left; closes at /);
      }
    });

    it("finds an inference by its request id as text, for --payer or the acting account", async () => {
      for (const args of [
        { requestId: "order-1842", payer: String(PAYER) },
        { requestId: "order-1842", payer: accounts[PAYER]!.toLowerCase() },
        { requestId: "order-1842", from: String(PAYER) },
        { requestId: requestIdOf("order-1842")!, from: String(PAYER) },
      ]) {
        const output = await ok("show", args);
        expect(output).to.contain(`Inference ${orderId} — Pending`);
      }
      const output = await ok("show", { requestId: "order-1842", payer: String(PAYER) });
      expect(output).to.contain(
        `request      ${requestIdOf("order-1842")} (derived from the text "order-1842": keccak256 of its UTF-8 bytes)`,
      );
    });

    for (const [what, args, sentence] of [
      [
        "an unknown request",
        { requestId: "order-9999", payer: String(PAYER) },
        `${PAYER_ADDRESS} paid no inference under request ${requestIdOf("order-9999")} (derived from the text "order-9999"`,
      ],
      ["an unknown inference id", { inference: "12345" }, "There is no inference 12345."],
      [
        "an inference id of 2^256",
        { inference: HUGE.toString() },
        `The inference id must be a whole number below 2^256 or 0x and up to 64 hex digits, as \`npx hardhat inference pay\` prints it, not "${HUGE}".`,
      ],
      ["a malformed inference id", { inference: "order-1842" }, "The inference id must be a whole number below 2^256"],
      ["hex of more than 32 bytes", { inference: `0x1${"0".repeat(64)}` }, "The inference id must be a whole number"],
      ["neither an id nor a request", {}, "Name the inference by its id, as inference pay prints it"],
      [
        "both an id and a request",
        { inference: "1", requestId: "order-1842" },
        "Name the inference by its id or by --request-id, not both.",
      ],
      ["--payer without --request-id", { inference: "1", payer: "1" }, "--payer goes with --request-id."],
      ["a malformed --payer", { requestId: "order-1842", payer: "0x1234" }, "The payer must be an address"],
    ] as const) {
      it(`refuses ${what}`, async () => {
        await refuses("show", args, sentence);
      });
    }
  });

  describe("sweep", () => {
    it("sends the platform fees the router owes to the treasury", async () => {
      const router = cli.client(0).contracts.inferenceRouter;
      const owed = await router.treasuryOwed();
      expect(owed).to.equal(OPEN("0.03")); // three payments, 0.01 OPEN each
      const treasury = cli.deployment.addresses.timelock;
      const before = await openOf(treasury);
      const output = await ok("sweep", { from: "5" });
      expect(output).to.match(
        new RegExp(
          `^Swept 0\\.03 OPEN the router owed to the treasury ${treasury}: platform fees, expired pools, forfeited shares and dust \\(tx 0x`,
        ),
      );
      expect((await openOf(treasury)) - before).to.equal(owed);
      expect(await router.treasuryOwed()).to.equal(0n);
    });

    it("refuses when nothing is owed", async () => {
      await refuses("sweep", {}, "Nothing is owed to the treasury.");
    });
  });

  it("shows the group and a subtask's help on the real command line", async () => {
    const group = await spawnCli(["inference", "--help"]);
    expect(group.code).to.equal(0);
    for (const sub of ["quote", "pay", "show", "sweep"]) expect(group.stdout).to.contain(`inference ${sub}`);
    const pay = await spawnCli(["inference", "pay", "--help"]);
    expect(pay.code).to.equal(0);
    expect(pay.stdout).to.contain("(e.g. npx hardhat inference pay 1 --input-tokens 2000");
    expect(pay.stdout).to.contain("[--] model");
    expect(pay.stdout).not.to.contain("(default: )");
  });
});
