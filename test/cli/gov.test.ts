/**
 * `npx hardhat gov …` against a real node: proposals filed by one call or from a proposal file, listed with short
 * ids, shown, voted on, queued and executed, each addressed by a whole id or a prefix; and every refusal of bad
 * input with one sentence and nothing sent. Also the proposal file reader and short ids of sdk/core/proposals.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { AbiCoder, Interface, id as keccakText, keccak256, parseUnits } from "ethers";

import { isProtocolError } from "../../sdk/core/errors.js";
import { formatTime } from "../../sdk/core/format.js";
import { readProposalFile, shortProposalId, shortProposalIds } from "../../sdk/core/proposals.js";
import { CliNode, spawnCli, type CliRun } from "../helpers/cli.js";

const ACCOUNT_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const ACCOUNT_1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const ACCOUNT_3 = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
/** The README's proposal: stakedOpen.setCooldown(1209600), "Cooldown 14 days", on a fresh local deployment. */
const README_PROPOSAL = "27634137973153404623379648302449522472318692698072230630525892307877449948234";
const OPEN = (amount: string) => parseUnits(amount, 18);
const TOO_LARGE = (2n ** 256n).toString();

describe("CLI: gov", function () {
  this.timeout(180_000);
  let cli: CliNode;
  let dir: string;
  let first: string; // the README's proposal, filed by account 0 with --contract
  let second: string; // filed by account 1 from a proposal file

  before(async () => {
    cli = await CliNode.start("cli-gov");
    dir = await mkdtemp(path.join(tmpdir(), "cli-gov-"));
    // Account 0 stakes 100,000 OPEN and account 1 20,000, each delegating to itself: both can propose.
    await cli.client(0).token.transfer(ACCOUNT_1, OPEN("20000"));
    for (const [index, amount] of [
      [0, "100000"],
      [1, "20000"],
    ] as const) {
      const client = cli.client(index);
      await client.staking.stake(OPEN(amount));
      await client.staking.delegate(await client.context.account());
    }
    await cli.increaseTime(1);
  });
  after(async () => {
    await cli?.stop();
  });

  async function refuses(id: string[], args: Record<string, unknown>, sentence: string | RegExp): Promise<CliRun> {
    const before = await cli.block();
    const result = await cli.run(id, args);
    expect(result.ok, result.output).to.equal(false);
    expect(result.errors.split("\n"), result.errors).to.have.length(1);
    if (typeof sentence === "string") expect(result.errors).to.equal(`Error: ${sentence}`);
    else expect(result.errors).to.match(sentence);
    expect(await cli.sentSince(before), "something was sent").to.equal(false);
    return result;
  }

  async function succeeds(id: string[], args: Record<string, unknown>): Promise<string> {
    const result = await cli.run(id, args);
    expect(result.ok, result.output).to.equal(true);
    expect(result.errors).to.equal("");
    return result.output;
  }

  async function file(name: string, content: unknown): Promise<string> {
    const where = path.join(dir, name);
    await writeFile(where, typeof content === "string" ? content : JSON.stringify(content, null, 2));
    return where;
  }

  const state = async (proposalId: string) => (await cli.client(0).governance.proposal(BigInt(proposalId))).state;

  describe("propose and list", () => {
    it("lists no proposals on a fresh governor", async () => {
      expect(await succeeds(["gov", "list"], {})).to.equal("There are no proposals on this governor yet.");
    });

    it("files one call by --contract, --function and --args (the README's proposal)", async () => {
      const output = await succeeds(["gov", "propose"], {
        contract: "stakedOpen",
        function: "setCooldown",
        args: "[1209600]",
        description: "Cooldown 14 days",
      });
      const lines = output.split("\n");
      expect(lines[0]).to.equal(`Proposal ${README_PROPOSAL} (short id 27634137) by ${ACCOUNT_0}`);
      expect(lines[1]).to.equal("  1. stakedOpen.setCooldown(1209600)");
      expect(lines[2]).to.match(/^ {2}voting from \S+Z to \S+Z \(tx 0x[0-9a-f]{64}\)$/);
      first = README_PROPOSAL;
      expect(await state(first)).to.equal("Pending");
    });

    it("files several actions from a proposal file, named calls and raw ones (the README's proposal.json)", async () => {
      const router = "0x610178dA211FEF7D417bC0e6FeD39F05609AD788";
      expect(cli.deployment.addresses.inferenceRouter).to.equal(router);
      const calldata = new Interface(["function setAttributionWindow(uint256)"]).encodeFunctionData(
        "setAttributionWindow",
        [259200],
      );
      expect(calldata).to.equal("0xde1e8d12000000000000000000000000000000000000000000000000000000000003f480");
      const proposal = await file("proposal.json", {
        description: "Cooldown 14 days, attribution window 3 days",
        actions: [
          { contract: "stakedOpen", function: "setCooldown", args: [1209600] },
          { target: router, value: "0", calldata },
        ],
      });
      const output = await succeeds(["gov", "propose"], { file: proposal, from: "1" });
      const filed = /^Proposal (\d+) \(short id (\d{8})\) by (0x[0-9a-fA-F]{40})$/.exec(output.split("\n")[0]!);
      expect(filed, output).to.not.equal(null);
      second = filed![1]!;
      expect(filed![2]).to.equal(second.slice(0, 8));
      expect(filed![3]).to.equal(ACCOUNT_1);
      expect(output).to.contain(
        "  1. stakedOpen.setCooldown(1209600)\n  2. inferenceRouter.setAttributionWindow(259200)",
      );
      const onChain = await cli.client(0).governance.findProposal(BigInt(second));
      expect(onChain.actions.map((a) => a.target)).to.deep.equal([cli.deployment.addresses.stakedOpen, router]);
      expect(onChain.description).to.equal("Cooldown 14 days, attribution window 3 days");
    });

    it("lists every proposal with its short id, state, proposer, end of voting and description", async () => {
      const output = await succeeds(["gov", "list"], {});
      const lines = output.split("\n");
      expect(lines[0]).to.match(/^id\s+state\s+proposer\s+voting ends\s+description$/);
      expect(lines).to.have.length(4);
      const voteEnd = (await cli.client(0).governance.proposal(BigInt(first))).voteEnd;
      expect(lines[2]).to.match(
        new RegExp(`^27634137\\s+Pending\\s+${ACCOUNT_0}\\s+${formatTime(voteEnd)}\\s+Cooldown 14 days$`),
      );
      expect(lines[3]).to.match(
        new RegExp(
          `^${second.slice(0, 8)}\\s+Pending\\s+${ACCOUNT_1}\\s+\\S+Z\\s+Cooldown 14 days, attribution window 3 days$`,
        ),
      );
    });

    it("shows a proposal by its short id or its whole id in hex", async () => {
      for (const proposal of ["27634137", "0x" + BigInt(first).toString(16)]) {
        const output = await succeeds(["gov", "show"], { proposal });
        expect(output).to.contain(`Proposal ${first} (short id 27634137): Pending`);
        expect(output).to.contain("  description  Cooldown 14 days");
        expect(output).to.contain(`  proposer     ${ACCOUNT_0}`);
        expect(output).to.contain("  actions      1. stakedOpen.setCooldown(1209600)");
        expect(output).to.match(/for\s+0 votes/);
        expect(output).to.match(/quorum\s+6,000 votes \(for \+ abstain must reach it\)/);
      }
      const both = await succeeds(["gov", "show"], { proposal: second });
      expect(both).to.contain(
        "  actions      1. stakedOpen.setCooldown(1209600)\n               2. inferenceRouter.setAttributionWindow(259200)",
      );
    });

    const call = { contract: "stakedOpen", function: "setCooldown", args: "[1209600]", description: "Cooldown" };
    for (const [what, args, sentence] of [
      [
        "an unknown contract",
        { ...call, contract: "stakedOpenV2" },
        '--contract must be one of openToken, timelock, stakedOpen, governor, datanetRegistry, modelRegistry, attributionOracle, inferenceRouter, not "stakedOpenV2".',
      ],
      [
        "an unknown function",
        { ...call, function: "setCooldowns" },
        /^Error: --function setCooldowns is not a function of stakedOpen; it has .*setCooldown, .*\.$/,
      ],
      [
        "too few arguments",
        { ...call, args: "[]" },
        "stakedOpen.setCooldown takes 1 argument(s) (setCooldown(uint256)), but --args has 0.",
      ],
      [
        "too many arguments",
        { ...call, args: "[1, 2]" },
        "stakedOpen.setCooldown takes 1 argument(s) (setCooldown(uint256)), but --args has 2.",
      ],
      [
        "arguments that do not fit",
        { ...call, args: '["soon"]' },
        /^Error: --args do not fit setCooldown\(uint256\): /,
      ],
      [
        "--args that are not JSON",
        { ...call, args: "[1209600" },
        "--args must be a JSON array such as '[1209600]', not [1209600.",
      ],
      [
        "--args that are not an array",
        { ...call, args: "1209600" },
        "--args must be a JSON array such as '[1209600]', not 1209600.",
      ],
      [
        "a number JSON cannot hold exactly",
        { ...call, args: "[100000000000000000000001]" },
        `--args holds a whole number above 2^53, which JSON cannot hold exactly; write it as a string, e.g. '["100000000000000000000000"]'.`,
      ],
      [
        "no --contract",
        { description: "Cooldown" },
        "--contract is required, e.g. --contract stakedOpen (or a proposal file with --file).",
      ],
      [
        "no --function",
        { contract: "stakedOpen", description: "Cooldown" },
        "--function is required, e.g. --function setCooldown.",
      ],
      [
        "no --description",
        { ...call, description: undefined },
        '--description is required, e.g. --description "Cooldown 14 days".',
      ],
      [
        "a blank --description",
        { ...call, description: "  " },
        '--description is required, e.g. --description "Cooldown 14 days".',
      ],
      [
        "--file with --contract",
        { ...call, file: "proposal.json" },
        "Give either --file or --contract, --function, --args and --description, not both.",
      ],
      [
        "a proposer below the threshold",
        { ...call, from: "3" },
        `${ACCOUNT_3} has 0 votes, below the proposal threshold of 10,000 votes; stake with \`npx hardhat stake deposit <amount>\` and delegate with \`npx hardhat stake delegate ${ACCOUNT_3}\` first.`,
      ],
      [
        "a proposal that exists already",
        { ...call, description: "Cooldown 14 days" },
        `An identical proposal already exists (id ${README_PROPOSAL}); change the description to file it again.`,
      ],
    ] as const) {
      it(`refuses ${what}`, async () => {
        await refuses(["gov", "propose"], args, sentence);
      });
    }

    describe("refuses a bad proposal file", () => {
      const cases: [string, unknown, (where: string) => string][] = [
        ["that is not an object", [], (f) => `${f}: it must be an object with "description" and "actions".`],
        [
          "without a description",
          { actions: [{ contract: "stakedOpen", function: "setCooldown", args: [1] }] },
          (f) => `${f}: description must be the text voters read, not empty.`,
        ],
        [
          "without actions",
          { description: "x", actions: [] },
          (f) => `${f}: actions must be a list of at least one action.`,
        ],
        [
          "with an action of neither form",
          { description: "x", actions: [{ call: "setCooldown" }] },
          (f) => `${f} action 1: an action needs a contract and a function (with args), or a target and calldata.`,
        ],
        [
          "with args that are not an array",
          { description: "x", actions: [{ contract: "stakedOpen", function: "setCooldown", args: 1 }] },
          (f) => `${f} action 1: args must be a JSON array such as [1209600], not 1.`,
        ],
        [
          "with a number JSON cannot hold exactly",
          '{"description": "x", "actions": [{"contract": "stakedOpen", "function": "setCooldown", "args": [100000000000000000000001]}]}',
          (f) =>
            `${f} action 1: args hold a whole number above 2^53, which JSON cannot hold exactly; write it as a string.`,
        ],
        [
          "with an unknown contract",
          {
            description: "x",
            actions: [
              { contract: "stakedOpen", function: "setCooldown", args: [1] },
              { contract: "vault", function: "setCooldown", args: [1] },
            ],
          },
          (f) =>
            `${f} action 2: There is no protocol contract "vault": the contracts are openToken, timelock, stakedOpen, governor, datanetRegistry, modelRegistry, attributionOracle, inferenceRouter.`,
        ],
        [
          "with a wrong argument count",
          { description: "x", actions: [{ contract: "stakedOpen", function: "setCooldown" }] },
          (f) => `${f} action 1: stakedOpen.setCooldown takes 1 argument(s) (setCooldown(uint256)), but 0 were given.`,
        ],
        [
          "with a raw action to a malformed target",
          { description: "x", actions: [{ target: "0x12", calldata: "0x" }] },
          (f) => `${f} action 1: target must be an address (0x followed by 40 hex digits), not "0x12".`,
        ],
        [
          "with a raw action of a negative value",
          { description: "x", actions: [{ target: ACCOUNT_1, value: -1, calldata: "0x" }] },
          (f) => `${f} action 1: value must be a whole number of wei below 2^256 (as a string), not -1.`,
        ],
      ];
      for (const [what, content, sentence] of cases) {
        it(what, async () => {
          const where = await file(`bad-${what.replace(/\W+/g, "-")}.json`, content);
          await refuses(["gov", "propose"], { file: where }, sentence(where));
        });
      }

      it("that is missing, or not JSON: two other sentences", async () => {
        const missing = path.join(dir, "none.json");
        await refuses(
          ["gov", "propose"],
          { file: missing },
          `--file ${missing} is not a readable file: there is nothing at that path.`,
        );
        const malformed = await file("malformed.json", '{"description": "x", "actions": [');
        await refuses(
          ["gov", "propose"],
          { file: malformed },
          new RegExp(`^Error: --file ${malformed} is not valid JSON \\(`),
        );
      });
    });
  });

  describe("vote, queue and execute", () => {
    it("refuses a vote before the voting opens", async () => {
      await refuses(
        ["gov", "vote"],
        { proposal: "27634137", support: "for" },
        /^Error: Voting on proposal \d+ opens after \S+Z; wait until then\.$/,
      );
    });

    it("votes for, by a 6-digit prefix, with a reason, and against by the whole id", async () => {
      await cli.increaseTime(61);
      const output = await succeeds(["gov", "vote"], { proposal: "276341", support: "for", reason: "Safer" });
      expect(output).to.match(new RegExp(`^${ACCOUNT_0} voted for on proposal 27634137 with 100,000 votes \\(tx 0x`));
      const against = await succeeds(["gov", "vote"], { proposal: second, support: "Against", from: "1" });
      expect(against).to.contain(`${ACCOUNT_1} voted against on proposal ${second.slice(0, 8)} with 20,000 votes`);
      const tally = await cli.client(0).governance.proposal(BigInt(first));
      expect(tally.forVotes).to.equal(OPEN("100000"));
    });

    it("refuses a second vote", async () => {
      await refuses(
        ["gov", "vote"],
        { proposal: "27634137", support: "against" },
        `${ACCOUNT_0} has already voted on proposal ${first}.`,
      );
    });

    it("refuses a vote without voting power, saying how to get some", async () => {
      const result = await refuses(
        ["gov", "vote"],
        { proposal: "27634137", support: "for", from: "3" },
        new RegExp(
          `^Error: ${ACCOUNT_3} had no votes at the snapshot of proposal ${first} \\(\\S+Z\\), so it cannot vote on it: only gOPEN staked and delegated before a proposal's snapshot counts; stake with \`npx hardhat stake deposit <amount>\` and delegate with \`npx hardhat stake delegate ${ACCOUNT_3}\` to vote on later proposals\\.$`,
        ),
      );
      expect(result.errors).to.contain("had no votes at the snapshot");
    });

    it("refuses a choice that is not for, against or abstain", async () => {
      await refuses(
        ["gov", "vote"],
        { proposal: "27634137", support: "yes" },
        'A vote is for, against or abstain, not "yes".',
      );
    });

    it("refuses to queue or execute an active proposal", async () => {
      await refuses(
        ["gov", "queue"],
        { proposal: "27634137" },
        `Proposal ${first} is Active; it can be queued only when Succeeded.`,
      );
      await refuses(
        ["gov", "execute"],
        { proposal: "27634137" },
        `Proposal ${first} is Active; it can be executed only when Queued.`,
      );
    });

    it("refuses a vote after the voting closed, and queueing a defeated proposal", async () => {
      await cli.increaseTime(601);
      await refuses(
        ["gov", "vote"],
        { proposal: "27634137", support: "for", from: "1" },
        `Proposal ${first} is Succeeded; it can be voted on only when Active.`,
      );
      await refuses(
        ["gov", "queue"],
        { proposal: second },
        `Proposal ${second} is Defeated; it can be queued only when Succeeded.`,
      );
    });

    it("refuses to execute a succeeded proposal that is not queued", async () => {
      await refuses(
        ["gov", "execute"],
        { proposal: "27634137" },
        `Proposal ${first} is Succeeded; it can be executed only when Queued.`,
      );
    });

    it("queues a succeeded proposal, then refuses to queue it again or execute it before the delay", async () => {
      const output = await succeeds(["gov", "queue"], { proposal: "27634137" });
      const eta = (await cli.client(0).governance.proposal(BigInt(first))).eta;
      expect(output).to.match(
        new RegExp(`^Queued proposal 27634137 in the timelock; it can be executed from ${formatTime(eta)} \\(tx 0x`),
      );
      expect(await state(first)).to.equal("Queued");
      await refuses(
        ["gov", "queue"],
        { proposal: "27634137" },
        `Proposal ${first} is Queued; it can be queued only when Succeeded.`,
      );
      await refuses(
        ["gov", "execute"],
        { proposal: "27634137" },
        `Proposal ${first} can be executed from ${formatTime(eta)}, after the timelock delay.`,
      );
    });

    it("executes it after the timelock delay", async () => {
      await cli.increaseTime(121);
      const output = await succeeds(["gov", "execute"], { proposal: "0x" + BigInt(first).toString(16) });
      expect(output).to.match(/^Executed proposal 27634137 \(tx 0x[0-9a-f]{64}\)\.$/);
      expect(await cli.client(0).contracts.stakedOpen.cooldown()).to.equal(1_209_600n);
      expect(await succeeds(["gov", "show"], { proposal: "27634137" })).to.contain(": Executed");
      expect(await succeeds(["gov", "list"], {})).to.match(/27634137\s+Executed/);
    });
  });

  describe("proposal ids", () => {
    /** Two descriptions whose proposals (one setCooldown call) have ids sharing their first 6 digits. */
    function twins(): { descriptions: [string, string]; prefix: string } {
      const stakedOpen = cli.deployment.addresses.stakedOpen;
      const calldata = new Interface(["function setCooldown(uint256)"]).encodeFunctionData("setCooldown", [3600]);
      const coder = AbiCoder.defaultAbiCoder();
      const seen = new Map<string, string>();
      for (let i = 0; ; i++) {
        const description = `Cooldown 1 hour, take ${i}`;
        const id = BigInt(
          keccak256(
            coder.encode(
              ["address[]", "uint256[]", "bytes[]", "bytes32"],
              [[stakedOpen], [0n], [calldata], keccakText(description)],
            ),
          ),
        ).toString();
        const prefix = id.slice(0, 6);
        const other = seen.get(prefix);
        if (other !== undefined && other.length > 0) return { descriptions: [other, description], prefix };
        seen.set(prefix, description);
      }
    }

    const tasks: [string, Record<string, unknown>][] = [
      ["show", {}],
      ["vote", { support: "for" }],
      ["queue", {}],
      ["execute", {}],
    ];

    it("refuses the same bad ids in every gov task", async () => {
      const used = [first, second].map((p) => p.slice(0, 6));
      const unknown = ["999999", "888888", "777777"].find((p) => !used.includes(p))!;
      const absent = (BigInt(first) + 1n).toString();
      for (const [task, extra] of tasks) {
        const id = ["gov", task];
        await refuses(
          id,
          { ...extra, proposal: TOO_LARGE },
          `${TOO_LARGE} is not a proposal id: ids are whole numbers below 2^256.`,
        );
        await refuses(
          id,
          { ...extra, proposal: "0x1" + "0".repeat(64) },
          `${TOO_LARGE} is not a proposal id: ids are whole numbers below 2^256.`,
        );
        await refuses(
          id,
          { ...extra, proposal: "1027e3" },
          '"1027e3" is not a proposal id: give the whole id (decimal or 0x hex) or its first 6 or more decimal digits.',
        );
        await refuses(
          id,
          { ...extra, proposal: "27634" },
          "There is no proposal 27634 on this governor, and a shortened proposal id needs at least 6 digits (`npx hardhat gov list` shows them).",
        );
        await refuses(
          id,
          { ...extra, proposal: unknown },
          `There is no proposal ${unknown} on this governor, nor one whose id starts with ${unknown}; \`npx hardhat gov list\` lists them.`,
        );
        await refuses(
          id,
          { ...extra, proposal: absent },
          `There is no proposal ${absent} on this governor, nor one whose id starts with ${absent}; \`npx hardhat gov list\` lists them.`,
        );
        await refuses(
          id,
          { ...extra, proposal: "0x" + BigInt(absent).toString(16) },
          `There is no proposal ${absent} on this governor.`,
        );
      }
    });

    it("refuses a prefix several proposals share, in every gov task, and lists them apart", async () => {
      const { descriptions, prefix } = twins();
      const governance = cli.client(0).governance;
      const ids: bigint[] = [];
      for (const description of descriptions) {
        const filed = await governance.propose(
          [governance.buildAction("stakedOpen", "setCooldown", [3600n])],
          description,
        );
        ids.push(filed.proposalId);
      }
      expect(ids.map((i) => i.toString().slice(0, 6))).to.deep.equal([prefix, prefix]);
      const short = shortProposalIds(ids);
      for (const [task, extra] of tasks) {
        await refuses(
          ["gov", task],
          { ...extra, proposal: prefix },
          `2 proposals have ids starting with ${prefix} (${short.get(ids[0]!)}, ${short.get(ids[1]!)}); give more digits.`,
        );
      }
      const list = await succeeds(["gov", "list"], {});
      for (const id of ids) expect(list).to.match(new RegExp(`^${short.get(id)}\\s+Pending\\s`, "m"));
      // The longer prefix names one of them.
      const shown = await succeeds(["gov", "show"], { proposal: ids[1]!.toString().slice(0, 12) });
      expect(shown).to.contain(`Proposal ${ids[1]} (short id ${shortProposalId(ids[1]!)}): Pending`);
    });
  });

  describe("the command line", () => {
    it("takes the proposal and the choice of a vote as positional arguments", async () => {
      const { code, stdout } = await spawnCli(["gov", "vote", "--help"]);
      expect(code).to.equal(0);
      expect(stdout).to.contain(
        "gov vote [--from <STRING_WITHOUT_DEFAULT>] [--reason <STRING_WITHOUT_DEFAULT>] [--] proposal support",
      );
      expect(stdout).to.contain("(e.g. npx hardhat gov vote 27634137 for");
      expect(stdout).not.to.contain("(default: )");
    });
  });

  describe("sdk/core/proposals", () => {
    it("shortens ids to 8 digits, more where two ids share them", () => {
      const a = 123456789012345678901234567890n;
      const b = 123456781111111111111111111111n;
      const c = 987654321000000000000000000000n;
      const short = shortProposalIds([a, b, c]);
      expect([short.get(a), short.get(b), short.get(c)]).to.deep.equal(["123456789", "123456781", "98765432"]);
      expect(shortProposalId(a)).to.equal("12345678");
    });

    it("reads both forms of action and refuses a bad shape as InvalidProposalFile", () => {
      const read = readProposalFile(
        {
          description: "Two",
          actions: [
            { contract: "stakedOpen", function: "unpause" },
            { target: ACCOUNT_1.toLowerCase(), value: "1000", calldata: "0xABCD" },
          ],
        },
        "p.json",
      );
      expect(read.actions).to.deep.equal([
        { contract: "stakedOpen", function: "unpause", args: [] },
        { target: ACCOUNT_1, value: 1000n, calldata: "0xabcd" },
      ]);
      try {
        readProposalFile({ description: "x", actions: [{ target: ACCOUNT_1, calldata: "0xabc" }] }, "p.json");
        expect.fail("read a bad file");
      } catch (error) {
        expect(isProtocolError(error, "InvalidProposalFile")).to.equal(true);
        expect((error as Error).message).to.equal(
          'p.json action 1: calldata must be hex bytes such as "0x" or "0x4fc3f41a…", not "0xabc".',
        );
      }
    });
  });
});
