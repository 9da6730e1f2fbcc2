/**
 * `npx hardhat datanet …` against a real node: a datanet from creation through contributions, review, a
 * published version and its proofs, penalties, refunds, closing, reopening and a new bond; and every refusal of
 * bad input, each one sentence on stderr with nothing sent.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { ZeroAddress, keccak256, parseUnits } from "ethers";

import { CliNode, ROOT, spawnCli } from "../helpers/cli.js";

const OPEN = (amount: string) => parseUnits(amount, 18);
/** An id no uint256 holds. */
const HUGE = 2n ** 256n;
const HUGE_TEXT = HUGE.toString();
const HASH = `0x${"ab".repeat(32)}`;

describe("CLI: datanet", function () {
  this.timeout(120_000);
  let cli: CliNode;
  let dir: string;
  /** The node's accounts by index. */
  let account: string[];
  const file = (name: string) => path.join(dir, name);

  before(async () => {
    cli = await CliNode.start("cli-datanet");
    account = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => cli.signer(i).getAddress()));
    // Account 1 owns the datanet; accounts 2 and 5 contribute.
    for (const i of [1, 2, 5]) await cli.client(0).token.transfer(account[i]!, OPEN("1000"));
    dir = await mkdtemp(path.join(tmpdir(), "cli-datanet-"));
    for (const n of [1, 2, 3, 4]) await writeFile(file(`case-${n}.txt`), `Case ${n}: the tenant gave notice.`);
    await writeFile(file("empty.txt"), "");
    await mkdir(file("folder"));
  });
  after(async () => {
    await cli?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** Runs a subtask that must succeed, returning what it printed. */
  async function ok(sub: string, args: Record<string, unknown>): Promise<string> {
    const result = await cli.run(["datanet", sub], args);
    expect(result.ok, result.output).to.equal(true);
    expect(result.errors).to.equal("");
    return result.output;
  }

  /** Runs a subtask that must refuse with one sentence containing `sentence`, having sent nothing. */
  async function refuses(sub: string, args: Record<string, unknown>, sentence: string): Promise<void> {
    const before = await cli.block();
    const result = await cli.run(["datanet", sub], args);
    expect(result.ok, result.output).to.equal(false);
    expect(result.errors.split("\n"), result.errors).to.have.length(1);
    expect(result.errors).to.contain(`Error: ${sentence}`);
    expect(await cli.sentSince(before), "something was sent").to.equal(false);
  }

  const contributions = async () =>
    new Map((await cli.client(0).datanets.contributions(1n)).map((c) => [c.id, c] as const));

  describe("happy paths", () => {
    it("create: a datanet owned by --from, with its bond", async () => {
      const output = await ok("create", { metadata: "ipfs://legal.json", bond: "10", from: "1" });
      expect(output).to.match(
        new RegExp(`^Created datanet 1 owned by ${account[1]}; contributions post a 10 OPEN bond \\(tx 0x`),
      );
      const d = await cli.client(0).datanets.datanet(1n);
      expect(d.owner).to.equal(account[1]);
      expect(d.bond).to.equal(OPEN("10"));
      expect(d.metadataURI).to.equal("ipfs://legal.json");
      expect(d.open).to.equal(true);
    });

    it("curator: adds a curator named by its index, and removes it by its address", async () => {
      const added = await ok("curator", { datanet: 1n, account: "3", from: "1" });
      expect(added).to.match(new RegExp(`^${account[3]} now curates datanet 1 \\(tx 0x`));
      expect(await cli.client(0).contracts.datanetRegistry.isCurator(1n, account[3]!)).to.equal(true);
      const removed = await ok("curator", { datanet: 1n, account: account[3]!.toLowerCase(), remove: true, from: "1" });
      expect(removed).to.match(new RegExp(`^${account[3]} no longer curates datanet 1 \\(tx 0x`));
      expect(await cli.client(0).contracts.datanetRegistry.isCurator(1n, account[3]!)).to.equal(false);
    });

    it("contribute: files (hashed here, uri file:<name>) and a --hash with --size, each posting the bond", async () => {
      const first = await ok("contribute", { datanet: 1n, file: file("case-1.txt"), from: "2" });
      expect(first).to.contain("Contribution 1 submitted to datanet 1: ");
      expect(first).to.contain("bond 10 OPEN approved by permit");
      expect(first).to.contain("The bond was capped at its current 10 OPEN");
      await ok("contribute", { datanet: 1n, file: file("case-2.txt"), uri: "ipfs://case-2.txt", from: "2" });
      const capped = await ok("contribute", { datanet: 1n, file: file("case-3.txt"), maxBond: "15", from: "5" });
      expect(capped).to.contain("The bond was capped at --max-bond 15 OPEN.");
      const hashed = await ok("contribute", { datanet: 1n, hash: HASH, size: "2048", from: "5" });
      expect(hashed).to.contain(`Contribution 4 submitted to datanet 1: ${HASH} (2048 bytes), bond 10 OPEN`);

      const c = await contributions();
      expect(c.get(1n)).to.include({ status: "Pending", contributor: account[2], uri: "file:case-1.txt" });
      expect(c.get(1n)!.contentHash).to.equal(keccak256(Buffer.from("Case 1: the tenant gave notice.")));
      expect(c.get(1n)!.size).to.equal(BigInt("Case 1: the tenant gave notice.".length));
      expect(c.get(1n)!.bond).to.equal(OPEN("10"));
      expect(c.get(2n)!.uri).to.equal("ipfs://case-2.txt");
      expect(c.get(4n)).to.include({ contentHash: HASH, size: 2048n, uri: "", contributor: account[5] });
    });

    it("review: accepts and rejects in one batch, slashing the rejected bonds", async () => {
      const output = await ok("review", { accept: "1,3", reject: "2", from: "1" });
      expect(output).to.match(
        /^Datanet 1: accepted 2 \(bonds credited back\), rejected 1 \(10 OPEN of bonds to the treasury\) \(tx 0x/,
      );
      const c = await contributions();
      expect([1n, 2n, 3n, 4n].map((id) => c.get(id)!.status)).to.deep.equal([
        "Accepted",
        "Rejected",
        "Accepted",
        "Pending",
      ]);
    });

    it("publish: a version over the accepted contributions, its tree written next to the deployment", async () => {
      const output = await ok("publish", { datanet: 1n, from: "1" });
      expect(output).to.match(/^Published version 1 of datanet 1: 2 accepted contribution\(s\), root 0x[0-9a-f]{64}/);
      expect(output).to.contain("Wrote the tree with its proofs to deployments/cli-datanet/datanet-1-v1.json.");
      expect(existsSync(path.join(ROOT, "deployments", "cli-datanet", "datanet-1-v1.json"))).to.equal(true);
      const [version] = (await cli.client(0).datanets.datanet(1n)).versions;
      expect(version).to.include({ version: 1n, count: 2n, uri: "file:deployments/cli-datanet/datanet-1-v1.json" });
    });

    it("verify: proves a contribution of a version on-chain, from the positional datanet, version and contribution", async () => {
      const output = await ok("verify", { datanet: 1n, versionNumber: 1n, contribution: 3n });
      expect(output).to.match(/^Contribution 3 is in version 1 of datanet 1, proven on-chain: 1 hash\(es\):\n {2}0x/);
    });

    it("penalize: excludes an accepted contribution", async () => {
      const output = await ok("penalize", { contribution: 3n, reason: "poisoned labels", from: "1" });
      expect(output).to.match(/^Contribution 3 is penalized and excluded from attribution from now on \(tx 0x/);
      expect((await contributions()).get(3n)!.status).to.equal("Penalized");
    });

    it("refund: claims to --to given as an account index, and to the acting account by default", async () => {
      const token = cli.client(0).contracts.openToken;
      const before4 = await token.balanceOf(account[4]!);
      const toIndex = await ok("refund", { to: "4", from: "2" });
      expect(toIndex).to.match(new RegExp(`^Claimed 10 OPEN of refunded bonds to ${account[4]} \\(tx 0x`));
      expect((await token.balanceOf(account[4]!)) - before4).to.equal(OPEN("10"));

      const before5 = await token.balanceOf(account[5]!);
      const toSelf = await ok("refund", { from: "5" });
      expect(toSelf).to.match(new RegExp(`^Claimed 10 OPEN of refunded bonds to ${account[5]} \\(tx 0x`));
      expect((await token.balanceOf(account[5]!)) - before5).to.equal(OPEN("10"));
    });

    it("show: the datanet, its contributions by status and its versions", async () => {
      const output = await ok("show", { datanet: 1n });
      expect(output).to.match(/^Datanet 1 — open, created \d{4}-/);
      expect(output).to.contain(`  owner         ${account[1]}`);
      expect(output).to.contain(`  curators      ${account[1]}\n`);
      expect(output).to.contain("  bond          10 OPEN");
      expect(output).to.contain("  contributions 4 submitted, 2 accepted");
      expect(output).to.match(/\n\s*1 +Accepted +0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC/);
      expect(output).to.match(/\n\s*2 +Rejected /);
      expect(output).to.match(/\n\s*3 +Penalized /);
      expect(output).to.match(/\n\s*4 +Pending .* 2048 B +10 OPEN/);
      expect(output).to.match(/\nVersion 1: 2 contribution\(s\), root 0x[0-9a-f]{64}, published /);
    });

    it("bond: changes the bond later contributions post; pending ones keep theirs", async () => {
      const output = await ok("bond", { datanet: 1n, amount: "12.5", from: "1" });
      expect(output).to.match(
        /^Contributions to datanet 1 now post a 12\.5 OPEN bond, was 10 OPEN; pending ones keep theirs \(tx 0x/,
      );
      expect((await cli.client(0).datanets.datanet(1n)).bond).to.equal(OPEN("12.5"));
      expect((await contributions()).get(4n)!.bond).to.equal(OPEN("10"));
      const next = await ok("contribute", { datanet: 1n, file: file("case-4.txt"), from: "2" });
      expect(next).to.contain("Contribution 5 submitted to datanet 1").and.contain("bond 12.5 OPEN");
    });

    it("close and reopen: contributions are refused while closed, taken again once reopened", async () => {
      const closed = await ok("close", { datanet: 1n, from: "1" });
      expect(closed).to.match(/^Datanet 1 is closed to new contributions; pending ones can still be reviewed \(tx 0x/);
      expect((await cli.client(0).datanets.datanet(1n)).open).to.equal(false);
      await refuses(
        "contribute",
        { datanet: 1n, hash: `0x${"cd".repeat(32)}`, size: "1", from: "2" },
        "Datanet 1 is closed to contributions.",
      );
      const reopened = await ok("reopen", { datanet: 1n, from: "1" });
      expect(reopened).to.match(/^Datanet 1 is open to contributions again \(tx 0x/);
      expect((await cli.client(0).datanets.datanet(1n)).open).to.equal(true);
    });
  });

  describe("refusals: one sentence, nothing sent", () => {
    describe("ids of 2^256 or more", () => {
      const datanetId = `${HUGE_TEXT} is not a datanet id: ids are whole numbers below 2^256.`;
      const contributionId = `${HUGE_TEXT} is not a contribution id: ids are whole numbers below 2^256.`;
      for (const [sub, which, args, sentence] of [
        ["show", "datanet", { datanet: HUGE }, datanetId],
        ["contribute", "datanet", { datanet: HUGE, hash: HASH, size: "1", from: "2" }, datanetId],
        ["curator", "datanet", { datanet: HUGE, account: "3", from: "1" }, datanetId],
        ["publish", "datanet", { datanet: HUGE, from: "1" }, datanetId],
        ["close", "datanet", { datanet: HUGE, from: "1" }, datanetId],
        ["reopen", "datanet", { datanet: HUGE, from: "1" }, datanetId],
        ["bond", "datanet", { datanet: HUGE, amount: "10", from: "1" }, datanetId],
        ["penalize", "contribution", { contribution: HUGE, reason: "spam", from: "1" }, contributionId],
        ["verify", "datanet", { datanet: HUGE, versionNumber: 1n, contribution: 1n }, datanetId],
        [
          "verify",
          "version number",
          { datanet: 1n, versionNumber: HUGE, contribution: 1n },
          `${HUGE_TEXT} is not a version number: ids are whole numbers below 2^256.`,
        ],
        ["verify", "contribution", { datanet: 1n, versionNumber: 1n, contribution: HUGE }, contributionId],
        [
          "review",
          "--accept contribution",
          { accept: `1,${HUGE_TEXT}`, from: "1" },
          `--accept must be a whole number below 2^256, not "${HUGE_TEXT}".`,
        ],
      ] as const) {
        it(`${sub}: a ${which} id of 2^256`, async () => {
          await refuses(sub, args, sentence);
        });
      }
    });

    it("an unknown datanet or contribution", async () => {
      await refuses("show", { datanet: 99n }, "There is no datanet 99.");
      await refuses("contribute", { datanet: 99n, file: file("case-1.txt"), from: "2" }, "There is no datanet 99.");
      await refuses("close", { datanet: 0n, from: "1" }, "There is no datanet 0.");
      await refuses("penalize", { contribution: 99n, reason: "spam", from: "1" }, "There is no contribution 99.");
      await refuses("review", { reject: "99", from: "1" }, "There is no contribution 99.");
    });

    it("an empty contribution file", async () => {
      await refuses(
        "contribute",
        { datanet: 1n, file: file("empty.txt"), from: "2" },
        "--file is empty: a contribution needs at least one byte.",
      );
    });

    it("a missing file, and a folder given as the file, each with its sentence", async () => {
      await refuses(
        "contribute",
        { datanet: 1n, file: file("nope.txt"), from: "2" },
        `--file ${file("nope.txt")} is not a readable file: there is nothing at that path.`,
      );
      await refuses(
        "contribute",
        { datanet: 1n, file: file("folder"), from: "2" },
        `--file ${file("folder")} is not a readable file: it is a folder.`,
      );
    });

    it("a content given both or neither way, a malformed --hash, --size missing, too large or with --file", async () => {
      const either = "Give the content either as --file data/case-1.txt (hashed here) or as --hash with --size";
      await refuses("contribute", { datanet: 1n, from: "2" }, either);
      await refuses("contribute", { datanet: 1n, file: file("case-1.txt"), hash: HASH, size: "1", from: "2" }, either);
      await refuses(
        "contribute",
        { datanet: 1n, hash: "0x1234", size: "1", from: "2" },
        '--hash must be 32 bytes of hex (0x followed by 64 hex digits), not "0x1234".',
      );
      await refuses(
        "contribute",
        { datanet: 1n, hash: `0x${"00".repeat(32)}`, size: "1", from: "2" },
        "--hash must not be zero.",
      );
      await refuses("contribute", { datanet: 1n, hash: HASH, from: "2" }, "--size is required, e.g. --size 1024.");
      await refuses(
        "contribute",
        { datanet: 1n, hash: HASH, size: (2n ** 64n).toString(), from: "2" },
        "--size 18446744073709551616 does not fit in 64 bits.",
      );
      await refuses(
        "contribute",
        { datanet: 1n, file: file("case-1.txt"), size: "10", from: "2" },
        "--size goes with --hash only: the size of --file is its length.",
      );
    });

    it("a bond above --max-bond, and a malformed --max-bond", async () => {
      await refuses(
        "contribute",
        { datanet: 1n, hash: `0x${"ef".repeat(32)}`, size: "1", maxBond: "5", from: "2" },
        "The bond of datanet 1 is 12.5 OPEN, above --max-bond 5 OPEN.",
      );
      await refuses(
        "contribute",
        { datanet: 1n, hash: `0x${"ef".repeat(32)}`, size: "1", maxBond: "lots", from: "2" },
        '--max-bond must be a positive number of OPEN such as 100 or 12.5, not "lots".',
      );
    });

    it("a redundant contribution", async () => {
      await refuses(
        "contribute",
        { datanet: 1n, file: file("case-1.txt"), from: "5" },
        "This content is already contribution 1 of datanet 1: it would be redundant.",
      );
    });

    it("adding a curator twice", async () => {
      await ok("curator", { datanet: 1n, account: "4", from: "1" });
      await refuses(
        "curator",
        { datanet: 1n, account: "4", from: "1" },
        `${account[4]} is already a curator of datanet 1: there is nothing to add.`,
      );
      await ok("curator", { datanet: 1n, account: "4", remove: true, from: "1" });
    });

    it("removing an account that is not a curator, the owner, or the zero address as curator", async () => {
      await refuses(
        "curator",
        { datanet: 1n, account: "4", remove: true, from: "1" },
        `${account[4]} is not a curator of datanet 1: there is nothing to remove.`,
      );
      await refuses(
        "curator",
        { datanet: 1n, account: "1", remove: true, from: "1" },
        "The owner of datanet 1 is always a curator.",
      );
      await refuses(
        "curator",
        { datanet: 1n, account: ZeroAddress, from: "1" },
        "The curator must not be the zero address.",
      );
      await refuses("curator", { datanet: 1n, account: "0x1234", from: "1" }, "The curator must be an address");
      await refuses(
        "curator",
        { datanet: 1n, account: "3", from: "2" },
        `Only the owner of datanet 1 (${account[1]}) can change its curators.`,
      );
    });

    it("refund --to the zero address, an index out of range, or with nothing to claim", async () => {
      await refuses("refund", { to: ZeroAddress, from: "2" }, "The recipient must not be the zero address.");
      await refuses("refund", { to: "99", from: "2" }, "The recipient 99 is out of range");
      await refuses("refund", { from: "3" }, `${account[3]} has no refunded bonds to claim.`);
    });

    it("wrong states: reviewing a reviewed contribution, penalizing a pending one, publishing nothing", async () => {
      await refuses(
        "review",
        { accept: "1", from: "1" },
        "Contribution 1 is Accepted; only Pending contributions can be reviewed.",
      );
      await refuses(
        "penalize",
        { contribution: 4n, reason: "spam", from: "1" },
        "Contribution 4 is Pending; only Accepted contributions can be penalized.",
      );
      await refuses(
        "penalize",
        { contribution: 1n, from: "1" },
        '--reason is required, e.g. --reason "poisoned labels".',
      );
      await refuses("review", { from: "1" }, "Give the contributions to review with --accept and/or --reject.");
      await ok("create", { metadata: "ipfs://empty.json", bond: "1", from: "3" });
      await refuses("publish", { datanet: 2n, from: "3" }, "Datanet 2 has no accepted contributions to publish.");
    });

    it("verify: an unknown version, a contribution outside it", async () => {
      await refuses(
        "verify",
        { datanet: 1n, versionNumber: 5n, contribution: 1n },
        "Datanet 1 has 1 published version(s), not version 5.",
      );
      await refuses(
        "verify",
        { datanet: 1n, versionNumber: 1n, contribution: 2n },
        "Contribution 2 is not in version 1 of datanet 1.",
      );
    });

    it("close and reopen: by a non-owner, closing a closed datanet, reopening an open one", async () => {
      await refuses("close", { datanet: 1n, from: "2" }, `Only the owner of datanet 1 (${account[1]}) can close it.`);
      await refuses("reopen", { datanet: 1n, from: "1" }, "Datanet 1 is already open to contributions.");
      await ok("close", { datanet: 1n, from: "1" });
      await refuses("close", { datanet: 1n, from: "1" }, "Datanet 1 is already closed to contributions.");
      await refuses("reopen", { datanet: 1n, from: "2" }, `Only the owner of datanet 1 (${account[1]}) can reopen it.`);
      await ok("reopen", { datanet: 1n, from: "1" });
    });

    it("bond: a malformed amount, one out of bounds, the bond it has, a non-owner", async () => {
      for (const amount of ["ten", "1.2.3", "", "0x10"]) {
        await refuses(
          "bond",
          { datanet: 1n, amount, from: "1" },
          `The bond must be a positive number of OPEN such as 100 or 12.5, not "${amount}".`,
        );
      }
      await refuses(
        "bond",
        { datanet: 1n, amount: "0.0000000000000000001", from: "1" },
        "The bond has more than 18 decimals",
      );
      await refuses(
        "bond",
        { datanet: 1n, amount: "0.5", from: "1" },
        "A bond of 0.5 OPEN is outside the allowed range 1 OPEN to 10,000 OPEN.",
      );
      await refuses("bond", { datanet: 1n, amount: "12.5", from: "1" }, "The bond of datanet 1 is already 12.5 OPEN.");
      await refuses(
        "bond",
        { datanet: 1n, amount: "20", from: "2" },
        `Only the owner of datanet 1 (${account[1]}) can change its bond.`,
      );
    });

    it("create: missing --metadata or --bond, a bond out of bounds", async () => {
      await refuses("create", { bond: "10" }, "--metadata is required, e.g. --metadata ipfs://legal.json.");
      await refuses("create", { metadata: "ipfs://legal.json" }, "--bond is required, e.g. --bond 10.");
      await refuses(
        "create",
        { metadata: "ipfs://legal.json", bond: "20000" },
        "A bond of 20,000 OPEN is outside the allowed range 1 OPEN to 10,000 OPEN.",
      );
    });
  });

  describe("the command line", () => {
    it("datanet verify takes three positional ids, none named version", async () => {
      const { code, stdout } = await spawnCli(["datanet", "verify", "--help"]);
      expect(code).to.equal(0);
      expect(stdout).to.contain(
        "datanet verify [--from <STRING_WITHOUT_DEFAULT>] [--] datanet versionNumber contribution",
      );
      expect(stdout).to.contain("(e.g. npx hardhat datanet verify 1 1 2 --network localhost)");
      expect(stdout).not.to.contain("(default: )");
    });

    it("the group lists every subtask", async () => {
      const { code, stdout } = await spawnCli(["datanet"]);
      expect(code).to.equal(0);
      for (const sub of [
        "bond",
        "close",
        "contribute",
        "create",
        "curator",
        "penalize",
        "publish",
        "refund",
        "reopen",
        "review",
        "show",
        "verify",
      ]) {
        expect(stdout).to.match(new RegExp(`\\n  datanet ${sub} +\\S`));
      }
    });
  });
});
