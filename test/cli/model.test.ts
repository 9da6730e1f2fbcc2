/**
 * `npx hardhat model …` against a real node: models proposed (with and without their approval proposal),
 * approved by governance, their artifact registered (full weights and a LoRA adapter), activated and shown; and
 * every refusal of bad input, each one sentence on stderr with nothing sent.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { keccak256, parseUnits } from "ethers";

import { CliNode, spawnCli } from "../helpers/cli.js";

const OPEN = (amount: string) => parseUnits(amount, 18);
/** An id no uint256 holds. */
const HUGE = 2n ** 256n;
const HUGE_TEXT = HUGE.toString();
const HASH = `0x${"ab".repeat(32)}`;
const ADAPTER = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
const PROPOSE = { metadata: "ipfs://model.json", datanets: "1,2", inputRate: "0.06", outputRate: "0.2" };

describe("CLI: model", function () {
  this.timeout(120_000);
  let cli: CliNode;
  let dir: string;
  /** The node's accounts by index. */
  let account: string[];
  /** The approval proposal `model propose` filed for model 1. */
  let proposal1: bigint;
  const file = (name: string) => path.join(dir, name);

  before(async () => {
    cli = await CliNode.start("cli-model");
    account = await Promise.all([0, 1, 2, 3].map((i) => cli.signer(i).getAddress()));
    // Account 1 creates the models: it owns datanets 1 and 2, and stakes and delegates to reach the threshold.
    await cli.client(0).token.transfer(account[1]!, OPEN("30000"));
    const creator = cli.client(1);
    for (const name of ["legal", "medical"]) await creator.datanets.create(`ipfs://${name}.json`, OPEN("10"));
    await creator.staking.stake(OPEN("20000"));
    await creator.staking.delegate(account[1]!);
    await cli.increaseTime(1);
    dir = await mkdtemp(path.join(tmpdir(), "cli-model-"));
    await writeFile(file("adapter.safetensors"), ADAPTER);
    await mkdir(file("folder"));
  });
  after(async () => {
    await cli?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** Runs a subtask that must succeed, returning what it printed. */
  async function ok(sub: string, args: Record<string, unknown>): Promise<string> {
    const result = await cli.run(["model", sub], args);
    expect(result.ok, result.output).to.equal(true);
    expect(result.errors).to.equal("");
    return result.output;
  }

  /** Runs a subtask that must refuse with one sentence containing `sentence`, having sent nothing. */
  async function refuses(sub: string, args: Record<string, unknown>, sentence: string): Promise<void> {
    const before = await cli.block();
    const result = await cli.run(["model", sub], args);
    expect(result.ok, result.output).to.equal(false);
    expect(result.errors.split("\n"), result.errors).to.have.length(1);
    expect(result.errors).to.contain(`Error: ${sentence}`);
    expect(await cli.sentSince(before), "something was sent").to.equal(false);
  }

  const model = (id: bigint) => cli.client(0).models.model(id);

  describe("propose", () => {
    it("registers model 1, posting the bond, and files the governor proposal that approves it", async () => {
      const output = await ok("propose", { ...PROPOSE, from: "1" });
      expect(output).to.match(
        new RegExp(`^Model 1 proposed by ${account[1]} on datanet\\(s\\) 1, 2, bond 1,000 OPEN \\(tx 0x`),
      );
      expect(output).to.contain("The bond was capped at its current 1,000 OPEN");
      const id = /Governor proposal (\d+) approves it\./.exec(output)?.[1];
      expect(id, output).to.be.a("string");
      proposal1 = BigInt(id!);
      expect(proposal1).to.equal(await cli.client(0).models.approvalProposalId(1n));
      expect((await cli.client(0).governance.proposal(proposal1)).state).to.equal("Pending");
      const m = await model(1n);
      expect(m.state).to.equal("Proposed");
      expect(m.creator).to.equal(account[1]);
      expect(m.datanetIds).to.deep.equal([1n, 2n]);
      expect(m.rates).to.deep.equal({ inputRate: OPEN("0.06"), outputRate: OPEN("0.2") });
      expect(m.bond).to.equal(OPEN("1000"));
    });

    it("--skip-proposal --max-bond: registers model 2 only, the bond capped at --max-bond", async () => {
      const output = await ok("propose", {
        ...PROPOSE,
        metadata: "ipfs://adapter.json",
        datanets: "2",
        maxBond: "1500",
        skipProposal: true,
        from: "1",
      });
      expect(output).to.contain("Model 2 proposed by").and.contain("on datanet(s) 2, bond 1,000 OPEN");
      expect(output).to.contain("The bond was capped at --max-bond 1,500 OPEN.");
      expect(output).to.contain("No governor proposal filed");
      expect(output).to.contain("modelRegistry.approveModel(2)");
      expect((await model(2n)).state).to.equal("Proposed");
    });

    it("show: a proposed model", async () => {
      const output = await ok("show", { model: 1n });
      expect(output).to.match(/^Model 1 — Proposed, proposed \d{4}-/);
      expect(output).to.contain(`  creator      ${account[1]}`);
      expect(output).to.contain("  metadata     ipfs://model.json");
      expect(output).to.contain("  datanets     1, 2");
      expect(output).to.contain("  rates        0.06 OPEN in / 0.2 OPEN out per 1,000 tokens");
      expect(output).to.contain("  bond         1,000 OPEN");
      expect(output).not.to.contain("artifact");
    });

    it("refuses a missing, empty, duplicate, unknown or malformed --datanets list", async () => {
      const { datanets: _, ...withoutDatanets } = PROPOSE;
      await refuses("propose", { ...withoutDatanets, from: "1" }, "--datanets is required, e.g. --datanets 1,2.");
      await refuses(
        "propose",
        { ...PROPOSE, datanets: "", from: "1" },
        "--datanets must name at least one datanet, e.g. --datanets 1,2.",
      );
      await refuses("propose", { ...PROPOSE, datanets: "1,2,1", from: "1" }, "--datanets lists datanet 1 twice.");
      await refuses("propose", { ...PROPOSE, datanets: "1,99", from: "1" }, "There is no datanet 99.");
      await refuses(
        "propose",
        { ...PROPOSE, datanets: "1,x", from: "1" },
        '--datanets must be a whole number, not "x".',
      );
      await refuses(
        "propose",
        { ...PROPOSE, datanets: `1,${HUGE_TEXT}`, from: "1" },
        `--datanets must be a whole number below 2^256, not "${HUGE_TEXT}".`,
      );
    });

    it("refuses a missing --metadata or rate, a malformed or out-of-bounds rate", async () => {
      const { metadata: _m, ...withoutMetadata } = PROPOSE;
      await refuses(
        "propose",
        { ...withoutMetadata, from: "1" },
        "--metadata is required, e.g. --metadata ipfs://model.json.",
      );
      const { inputRate: _i, ...withoutInput } = PROPOSE;
      await refuses("propose", { ...withoutInput, from: "1" }, "--input-rate is required, e.g. --input-rate 0.06.");
      await refuses(
        "propose",
        { ...PROPOSE, outputRate: "cheap", from: "1" },
        '--output-rate must be a positive number of OPEN such as 100 or 12.5, not "cheap".',
      );
      await refuses(
        "propose",
        { ...PROPOSE, inputRate: "101", from: "1" },
        "--input-rate 101 OPEN is outside the allowed range 0 OPEN to 100 OPEN per 1,000 tokens.",
      );
    });

    it("refuses a bond above --max-bond, a proposer below the threshold, a proposer without the bond", async () => {
      await refuses(
        "propose",
        { ...PROPOSE, maxBond: "500", from: "1" },
        "The proposal bond is 1,000 OPEN, above --max-bond 500 OPEN.",
      );
      await refuses(
        "propose",
        { ...PROPOSE, from: "3" },
        `${account[3]} has 0 votes, below the 10,000 votes needed to file the approval proposal; stake and delegate first, or pass --skip-proposal and ask a gOPEN holder to propose approveModel.`,
      );
      await refuses(
        "propose",
        { ...PROPOSE, skipProposal: true, from: "3" },
        `${account[3]} holds 0 OPEN, less than the 1,000 OPEN proposal bond.`,
      );
    });
  });

  describe("approved models: artifact and activate", () => {
    before(async () => {
      // Governance approves models 1 and 2 (model 2's proposal filed with the client); model 3 stays Proposed.
      const creator = cli.client(1);
      const filed = await creator.governance.propose([creator.models.approvalAction(2n)], "Approve model 2");
      await creator.models.propose(
        "ipfs://draft.json",
        [1n],
        { inputRate: 0n, outputRate: 0n },
        { fileProposal: false },
      );
      await cli.increaseTime(61);
      for (const id of [proposal1, filed.proposalId]) await creator.governance.castVote(id, "for");
      await cli.increaseTime(601);
      for (const id of [proposal1, filed.proposalId]) await creator.governance.queue(id);
      await cli.increaseTime(121);
      for (const id of [proposal1, filed.proposalId]) await creator.governance.execute(id);
      expect((await model(1n)).state).to.equal("Approved");
      expect((await model(2n)).state).to.equal("Approved");
    });

    it("refuses to activate a model that is not Trained, and an artifact for a model not Approved", async () => {
      await refuses("activate", { model: 1n, from: "1" }, "Model 1 is Approved; it must be Trained to activate it.");
      await refuses(
        "artifact",
        { model: 3n, hash: HASH, uri: "ipfs://draft.safetensors", base: 0n, from: "1" },
        "Model 3 is Proposed; it must be Approved to register its artifact.",
      );
    });

    it("refuses an artifact from a non-creator, without --uri, given both or neither way", async () => {
      await refuses(
        "artifact",
        { model: 1n, hash: HASH, uri: "ipfs://adapter.safetensors", base: 0n, from: "2" },
        `Only the creator of model 1 (${account[1]}) can register its artifact.`,
      );
      await refuses(
        "artifact",
        { model: 1n, hash: HASH, base: 0n, from: "1" },
        "--uri is required, e.g. --uri ipfs://adapter.safetensors.",
      );
      const either =
        "Give the artifact either as --file adapter.safetensors (hashed here) or as --hash with its keccak256.";
      await refuses("artifact", { model: 1n, uri: "ipfs://a", base: 0n, from: "1" }, either);
      await refuses(
        "artifact",
        { model: 1n, file: file("adapter.safetensors"), hash: HASH, uri: "ipfs://a", base: 0n, from: "1" },
        either,
      );
    });

    it("refuses a missing artifact file, a folder, a malformed or zero --hash", async () => {
      await refuses(
        "artifact",
        { model: 1n, file: file("nope.safetensors"), uri: "ipfs://a", base: 0n, from: "1" },
        `--file ${file("nope.safetensors")} is not a readable file: there is nothing at that path.`,
      );
      await refuses(
        "artifact",
        { model: 1n, file: file("folder"), uri: "ipfs://a", base: 0n, from: "1" },
        `--file ${file("folder")} is not a readable file: it is a folder.`,
      );
      for (const hash of ["0x12", `0x${"00".repeat(32)}`]) {
        await refuses(
          "artifact",
          { model: 1n, hash, uri: "ipfs://a", base: 0n, from: "1" },
          `--hash must be a non-zero 32-byte hex value (0x followed by 64 hex digits), not "${hash}".`,
        );
      }
    });

    it("refuses a --base of 2^256, unknown, the model itself, or without weights", async () => {
      const args = { model: 2n, hash: HASH, uri: "ipfs://a", from: "1" };
      await refuses(
        "artifact",
        { ...args, base: HUGE },
        `${HUGE_TEXT} is not a base model id: ids are whole numbers below 2^256.`,
      );
      await refuses("artifact", { ...args, base: 99n }, "--base 99 is not a model.");
      await refuses(
        "artifact",
        { ...args, base: 2n },
        "--base 2 is the model itself; a LoRA adapter needs a base model with weights (Trained, Active or Suspended).",
      );
      await refuses(
        "artifact",
        { ...args, base: 1n },
        "--base 1 is Approved; a LoRA adapter needs a base model with weights (Trained, Active or Suspended).",
      );
    });

    it("artifact --file: registers full weights, the file's keccak256 recorded", async () => {
      const output = await ok("artifact", {
        model: 1n,
        file: file("adapter.safetensors"),
        uri: "ipfs://adapter.safetensors",
        base: 0n,
        from: "1",
      });
      expect(output).to.match(
        new RegExp(
          `^Model 1 is Trained: artifact ${keccak256(ADAPTER)} at ipfs://adapter\\.safetensors \\(full weights\\) \\(tx 0x`,
        ),
      );
      const m = await model(1n);
      expect(m).to.include({
        state: "Trained",
        artifactHash: keccak256(ADAPTER),
        artifactURI: "ipfs://adapter.safetensors",
      });
      expect(m.baseModelId).to.equal(0n);
    });

    it("artifact --hash --base: registers a LoRA adapter on a trained model", async () => {
      const output = await ok("artifact", {
        model: 2n,
        hash: HASH,
        uri: "ipfs://lora.safetensors",
        base: 1n,
        from: "1",
      });
      expect(output).to.contain(
        `Model 2 is Trained: artifact ${HASH} at ipfs://lora.safetensors (LoRA adapter on model 1)`,
      );
      const m = await model(2n);
      expect(m).to.include({ state: "Trained", artifactHash: HASH });
      expect(m.baseModelId).to.equal(1n);
    });

    it("activate: a trained model takes inference", async () => {
      const output = await ok("activate", { model: 1n, from: "1" });
      expect(output).to.match(/^Model 1 is Active and takes inference \(tx 0x/);
      expect((await model(1n)).state).to.equal("Active");
    });

    it("show: an active model with full weights, a trained LoRA adapter", async () => {
      const one = await ok("show", { model: 1n });
      expect(one).to.match(/^Model 1 — Active, /);
      expect(one).to.contain(`  artifact     ${keccak256(ADAPTER)} at ipfs://adapter.safetensors`);
      expect(one).to.contain("  weights      full");
      const two = await ok("show", { model: 2n });
      expect(two).to.match(/^Model 2 — Trained, /);
      expect(two).to.contain("  weights      LoRA adapter on model 1");
    });

    it("refuses to activate an active model, a non-creator's activation, a second artifact", async () => {
      await refuses("activate", { model: 1n, from: "1" }, "Model 1 is Active; it must be Trained to activate it.");
      await refuses(
        "activate",
        { model: 2n, from: "2" },
        `Only the creator of model 2 (${account[1]}) can activate it.`,
      );
      await refuses(
        "artifact",
        { model: 2n, hash: HASH, uri: "ipfs://a", base: 0n, from: "1" },
        "Model 2 is Trained; it must be Approved to register its artifact.",
      );
    });
  });

  describe("unknown models and ids of 2^256", () => {
    const huge = `${HUGE_TEXT} is not a model id: ids are whole numbers below 2^256.`;
    for (const [sub, args] of [
      ["show", { model: HUGE }],
      ["activate", { model: HUGE, from: "1" }],
      ["artifact", { model: HUGE, hash: HASH, uri: "ipfs://a", base: 0n, from: "1" }],
    ] as const) {
      it(`${sub}: a model id of 2^256`, async () => {
        await refuses(sub, args, huge);
      });
    }

    it("unknown model ids", async () => {
      await refuses("show", { model: 99n }, "There is no model 99.");
      await refuses("show", { model: 0n }, "There is no model 0.");
      await refuses("activate", { model: 99n, from: "1" }, "There is no model 99.");
      await refuses(
        "artifact",
        { model: 99n, hash: HASH, uri: "ipfs://a", base: 0n, from: "1" },
        "There is no model 99.",
      );
    });
  });

  it("the command line: the group lists its subtasks, positional model ids", async () => {
    const { code, stdout } = await spawnCli(["model"]);
    expect(code).to.equal(0);
    for (const sub of ["activate", "artifact", "propose", "show"]) {
      expect(stdout).to.match(new RegExp(`\\n  model ${sub} +\\S`));
    }
    const help = await spawnCli(["model", "activate", "--help"]);
    expect(help.stdout).to.contain("model activate [--from <STRING_WITHOUT_DEFAULT>] [--] model");
    expect(help.stdout).not.to.contain("(default: )");
  });
});
