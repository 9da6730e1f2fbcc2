import { expect } from "chai";
import { network } from "hardhat";

import { mkdtemp, mkdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { CLIENT_ERROR_CODES, clientError } from "../../sdk/core/client-errors.js";
import { CONTRACT_NAMES, parseDeploymentRecord } from "../../sdk/core/deployments.js";
import { ProtocolError, decodeRevert, explainContractError, toProtocolError } from "../../sdk/core/errors.js";
import { formatDuration, formatOpen, formatTime } from "../../sdk/core/format.js";
import { readSignedAttribution } from "../../sdk/core/signed.js";
import { parseActionArgs } from "../../tasks/gov/args.js";
import {
  UserError,
  describeError,
  parseAddress,
  parseInferenceId,
  parseOpenAmount,
  parseUint,
} from "../../tasks/lib/cli.js";
import { writeKnownDeployments } from "../../tasks/lib/context.js";
import { checkDeployParameters, readParameters, requireParametersFile } from "../../tasks/lib/deploy.js";
import { cliSentence } from "../../tasks/lib/hints.js";
import { deployProtocol } from "../fixtures/protocol.js";

const OPEN = 10n ** 18n;
const ALICE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const ROUTER = "0xa513E6E4b8f2a923D98304ec87F64353C4D5C853";

const connection = await network.create();
const { networkHelpers } = connection;

describe("CLI helpers", () => {
  describe("parseOpenAmount", () => {
    it("parses whole and decimal OPEN into wei", () => {
      expect(parseOpenAmount("100")).to.equal(100n * 10n ** 18n);
      expect(parseOpenAmount("12.5")).to.equal(125n * 10n ** 17n);
      expect(parseOpenAmount("0.000000000000000001")).to.equal(1n);
    });

    for (const bad of ["", "abc", "-5", "1e3", "1.2.3", "0x10"]) {
      it(`rejects "${bad}" with a sentence naming the option`, () => {
        expect(() => parseOpenAmount(bad)).to.throw(UserError, /^--amount must be a positive number of OPEN/);
      });
    }

    it("rejects zero", () => {
      expect(() => parseOpenAmount("0.0")).to.throw(UserError, "--amount must be greater than zero.");
    });

    it("rejects more than 18 decimals", () => {
      expect(() => parseOpenAmount("1.0000000000000000001")).to.throw(UserError, /more than 18 decimals/);
    });
  });

  describe("parseAddress", () => {
    it("accepts lower case and returns the checksummed address", () => {
      expect(parseAddress("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "--to")).to.equal(
        "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
      );
    });

    it("rejects a short address", () => {
      expect(() => parseAddress("0x123", "--to")).to.throw(UserError, /^--to must be an address/);
    });

    it("rejects a bad checksum", () => {
      expect(() => parseAddress("0xF39fd6e51aad88F6F4ce6aB8827279cffFb92266", "--to")).to.throw(
        UserError,
        /invalid checksum/,
      );
    });
  });

  describe("parseUint", () => {
    it("parses a big id exactly", () => {
      expect(parseUint("123456789012345678901234567890", "--id")).to.equal(123456789012345678901234567890n);
    });

    it("rejects a non-integer", () => {
      expect(() => parseUint("12a", "--id")).to.throw(UserError, '--id must be a whole number, not "12a".');
    });
  });

  describe("parseInferenceId", () => {
    it("reads an id in decimal or 0x hex, up to the largest uint256", () => {
      const max = 2n ** 256n - 1n;
      expect(parseInferenceId(max.toString())).to.equal(max);
      expect(parseInferenceId(`0x${max.toString(16)}`)).to.equal(max);
      expect(parseInferenceId(" 0x0a ", "--inference")).to.equal(10n);
      // Zero parses; the chain answers that there is no inference 0.
      expect(parseInferenceId("0")).to.equal(0n);
    });

    for (const bad of ["", "0x", "-1", "12a", (2n ** 256n).toString(), `0x1${"0".repeat(64)}`]) {
      it(`rejects "${bad}" with a sentence naming the option`, () => {
        expect(() => parseInferenceId(bad, "--inference")).to.throw(
          UserError,
          `--inference must be a whole number below 2^256 or 0x and up to 64 hex digits, as \`npx hardhat inference pay\` prints it, not "${bad}".`,
        );
      });
    }
  });

  describe("formatting", () => {
    it("formats OPEN with thousands separators and trimmed decimals", () => {
      expect(formatOpen(1_234_567n * 10n ** 18n + 5n * 10n ** 17n)).to.equal("1,234,567.5 OPEN");
      expect(formatOpen(0n, "gOPEN")).to.equal("0 gOPEN");
      expect(formatOpen(1n)).to.equal("0.000000000000000001 OPEN");
    });

    it("formats durations", () => {
      expect(formatDuration(0)).to.equal("0s");
      expect(formatDuration(7 * 86_400)).to.equal("7d");
      expect(formatDuration(3_661)).to.equal("1h 1m 1s");
    });

    it("formats Unix times as ISO-8601 UTC", () => {
      expect(formatTime(0n)).to.equal("1970-01-01T00:00:00Z");
      expect(formatTime(1_767_225_600)).to.equal("2026-01-01T00:00:00Z");
    });
  });

  describe("parseActionArgs", () => {
    it("reads a JSON array, big numbers as strings", () => {
      expect(parseActionArgs('["1209600", 2, "0x00"]')).to.deep.equal(["1209600", 2, "0x00"]);
    });

    for (const bad of ["[1", "{}", "1"]) {
      it(`refuses ${bad} with a sentence naming --args`, () => {
        expect(() => parseActionArgs(bad)).to.throw(
          UserError,
          `--args must be a JSON array such as '[1209600]', not ${bad}.`,
        );
      });
    }
  });

  describe("the CLI's words for the client's refusals (cliSentence)", () => {
    /** The sentence the CLI prints for the client check `code` with `args`, through describeError as runTask does. */
    const said = (error: ProtocolError) => {
      const sentence = describeError(error);
      expect(sentence).to.equal(cliSentence(error));
      return sentence;
    };

    it("names the option where the SDK's sentence speaks of a value given as one", () => {
      const cases: [ProtocolError, string][] = [
        [
          clientError("BondOutOfBounds", { bond: 20_000n * OPEN, min: OPEN, max: 10_000n * OPEN }),
          "A bond of 20,000 OPEN is outside the allowed range 1 OPEN to 10,000 OPEN.",
        ],
        [
          clientError("DatanetBondAboveMax", { datanetId: 1n, bond: 20n * OPEN, maxBond: 10n * OPEN }),
          "The bond of datanet 1 is 20 OPEN, above --max-bond 10 OPEN.",
        ],
        [
          clientError("ProposalBondAboveMax", { bond: 1_000n * OPEN, maxBond: 999n * OPEN }),
          "The proposal bond is 1,000 OPEN, above --max-bond 999 OPEN.",
        ],
        [
          clientError("FeeAboveMax", { fee: 33n * 10n ** 16n, maxFee: OPEN / 10n }),
          "The fee is 0.33 OPEN, above --max-fee 0.1 OPEN.",
        ],
        [
          clientError("RecipientIsProtocolContract", { recipient: ROUTER, contract: "inferenceRouter" }),
          `${ROUTER} is the protocol's inferenceRouter contract: OPEN sent there would be locked; send it to an account.`,
        ],
        [clientError("ZeroAddress", { what: "the recipient" }), "The recipient must not be the zero address."],
        [clientError("ZeroAddress", { what: "the curator" }), "The curator must not be the zero address."],
        [
          clientError("UnknownContract", { name: "router", known: CONTRACT_NAMES.join(", ") }),
          '--contract must be one of openToken, timelock, stakedOpen, governor, datanetRegistry, modelRegistry, attributionOracle, inferenceRouter, not "router".',
        ],
        [
          clientError("WrongArgumentCount", {
            contract: "stakedOpen",
            function: "setCooldown",
            signature: "setCooldown(uint256)",
            expected: 1n,
            given: 2n,
          }),
          "stakedOpen.setCooldown takes 1 argument(s) (setCooldown(uint256)), but --args has 2.",
        ],
        [
          clientError("ArgumentsDoNotFit", { signature: "setTreasury(address)", reason: "invalid address" }),
          "--args do not fit setTreasury(address): invalid address.",
        ],
        [clientError("EmptyDescription", {}), "--description must not be empty: voters read it."],
        [clientError("InvalidVoteSupport", { choice: "maybe" }), 'A vote is for, against or abstain, not "maybe".'],
        [clientError("NothingToReview", {}), "Give the contributions to review with --accept and/or --reject."],
        [clientError("NoDatanets", {}), "--datanets must name at least one datanet, e.g. --datanets 1,2."],
        [clientError("DatanetListedTwice", { datanetId: 1n }), "--datanets lists datanet 1 twice."],
        [
          clientError("RateOutOfBounds", { which: "output", rate: 101n * OPEN, min: 0n, max: 100n * OPEN }),
          "--output-rate 101 OPEN is outside the allowed range 0 OPEN to 100 OPEN per 1,000 tokens.",
        ],
        [
          clientError("BaseIsTheModel", { baseModelId: 1n }),
          "--base 1 is the model itself; a LoRA adapter needs a base model with weights (Trained, Active or Suspended).",
        ],
        [clientError("UnknownBaseModel", { baseModelId: 9n }), "--base 9 is not a model."],
        [clientError("TokensOutOfRange", { which: "input", tokens: 2n ** 64n }), "--input-tokens must be below 2^64."],
        [clientError("NoSigners", {}), "Give at least one oracle signer with --signers or --keys."],
      ];
      for (const [error, sentence] of cases) expect(said(error), error.code).to.equal(sentence);
    });

    it("names the command or option that is the fix", () => {
      const request = `0x${"11".repeat(32)}`;
      expect(
        said(clientError("AlreadyPaid", { payer: ALICE, requestId: request, inferenceId: 5n, status: "Pending" })),
      ).to.equal(`${ALICE} already paid request ${request}, as inference 5 (Pending); use a new --request-id.`);
      expect(said(clientError("NothingQueued", { account: ALICE }))).to.equal(
        `${ALICE} has no queued withdrawal; request one with \`npx hardhat stake unstake <amount>\`.`,
      );
      expect(
        said(clientError("BelowApprovalProposalThreshold", { account: ALICE, votes: 0n, threshold: 10_000n * OPEN })),
      ).to.match(/below the 10,000 votes needed to file the approval proposal; .*--skip-proposal/);
      expect(said(clientError("NoStakersShare", {}))).to.equal(
        "No stakers' share is waiting to be released: it accrues with every paid inference (`npx hardhat status` shows what the router owes).",
      );
      expect(said(clientError("IndexMissingDatanets", { modelId: 1n, missing: "1", datanets: "1" }))).to.equal(
        "The index does not hold datanet 1 of model 1; rebuild it with `npx hardhat attribution index --contents <texts> --datanets 1`.",
      );
      const v1 = { kind: "report", router: ROUTER, chainId: 1, reports: [{}], signatures: [] };
      const unreadable = (() => {
        try {
          readSignedAttribution(v1, "s.json");
        } catch (error) {
          return error as ProtocolError;
        }
        throw new Error("expected a refusal");
      })();
      expect(said(unreadable)).to.equal(
        "s.json is not a signed attribution (report 1 has no contributionIds or weights); write one with `npx hardhat attribution sign`.",
      );
    });

    it("words a revert whose fix is an option in terms of it", () => {
      const revert = (
        code: "DatanetRegistryBondAboveMax" | "InferenceRouterFeeAboveMax",
        args: Record<string, bigint>,
      ) => new ProtocolError(code, args, explainContractError(code, args));
      expect(said(revert("DatanetRegistryBondAboveMax", { bond: 20n * OPEN, maxBond: 10n * OPEN }))).to.equal(
        "The datanet's bond is now 20 OPEN, above your --max-bond of 10 OPEN: nothing was pulled; raise --max-bond to accept it.",
      );
      expect(said(revert("InferenceRouterFeeAboveMax", { fee: OPEN, maxFee: OPEN / 2n }))).to.equal(
        "The fee is now 1 OPEN, above your --max-fee of 0.5 OPEN (the rates changed since the quote): nothing was paid.",
      );
    });

    it("prints every other refusal as the SDK words it", () => {
      for (const error of [
        clientError("InsufficientBalance", { account: ALICE, balance: 0n, needed: OPEN, what: "to stake" }),
        clientError("UnknownProposal", { proposalId: 7n }),
        clientError("NotSettleable", { inferenceId: 3n, status: "Settled", closingTime: 0n }),
      ]) {
        expect(said(error)).to.equal(error.message);
      }
      expect(CLIENT_ERROR_CODES).to.include.members(["NoSigner", "InsufficientBalance", "NotSettleable"]);
    });
  });

  describe("describeError", () => {
    it("turns a custom-error revert into one sentence", async () => {
      const { stakedOpen, alice } = await networkHelpers.loadFixture(async function deployed() {
        return deployProtocol(connection);
      });
      const error = await stakedOpen
        .connect(alice)
        .requestUnstake(5n)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(decodeRevert(error)?.name).to.equal("StakedOpenInsufficientStake");
      expect(toProtocolError(error)).to.include({ code: "StakedOpenInsufficientStake", reverted: true });
      expect(describeError(error)).to.equal(
        `${alice.address} has 0 gOPEN staked, less than the 0.000000000000000005 gOPEN requested.`,
      );
    });

    it("passes a UserError's message through", () => {
      expect(describeError(new UserError("Nope."))).to.equal("Nope.");
    });

    it("returns undefined for an unexpected error so it is reported as a bug", () => {
      expect(describeError(new TypeError("x is undefined"))).to.equal(undefined);
    });
  });

  describe("parseDeploymentRecord", () => {
    const valid = {
      network: "localhost",
      chainId: 31337,
      deployBlock: 1,
      deployedAt: "2026-01-01T00:00:00.000Z",
      addresses: {
        openToken: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        timelock: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
        stakedOpen: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
        governor: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
        datanetRegistry: "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
        modelRegistry: "0x5FC8d32690cc91D4c39d9d3abcBD8163FC9A3dA2",
        attributionOracle: "0x0165878A594ca255338adfa4d48449f69242Eb8F",
        inferenceRouter: "0xa513E6E4b8f2a923D98304ec87F64353C4D5C853",
      },
      parameters: { Governance: { votingDelay: 60 } },
    };

    it("accepts a well-formed record and stringifies parameters", () => {
      const record = parseDeploymentRecord(valid, "x.json");
      expect(record.addresses.governor).to.equal(valid.addresses.governor);
      expect(record.parameters.Governance?.votingDelay).to.equal("60");
    });

    it("rejects a record with a missing address, naming the field", () => {
      const broken = { ...valid, addresses: { ...valid.addresses, governor: "0x12" } };
      expect(() => parseDeploymentRecord(broken, "x.json")).to.throw(
        "x.json is not a valid deployment record: `addresses.governor` must be an address.",
      );
    });

    it("rejects a non-object", () => {
      expect(() => parseDeploymentRecord([], "x.json")).to.throw(/it is not a JSON object/);
    });

    it("writeKnownDeployments ships public chains only, the newest record per chain", async () => {
      const root = await mkdtemp(path.join(tmpdir(), "known-"));
      await mkdir(path.join(root, "deployments"));
      await mkdir(path.join(root, "sdk", "core"), { recursive: true });
      const records = {
        "localhost.json": valid,
        "sepolia.json": { ...valid, network: "sepolia", chainId: 11155111, deployedAt: "2026-02-01T00:00:00.000Z" },
        "sepolia-old.json": { ...valid, network: "sepoliaOld", chainId: 11155111 },
        "openledgerTestnet.json": { ...valid, network: "openledgerTestnet", chainId: 161201 },
      };
      for (const [name, record] of Object.entries(records)) {
        await writeFile(path.join(root, "deployments", name), JSON.stringify(record));
      }
      const text = await readFile(await writeKnownDeployments(root), "utf8");
      const json = text.slice(text.indexOf("= [") + 2, text.lastIndexOf("]") + 1);
      const shipped = (JSON.parse(json) as { network: string; chainId: number }[]).map((r) => [r.chainId, r.network]);
      expect(shipped).to.deep.equal([
        [161201, "openledgerTestnet"],
        [11155111, "sepolia"],
      ]);
    });
  });

  describe("deploy parameters", () => {
    const signers = ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"];

    it("accepts the signers with a reachable threshold", () => {
      expect(() =>
        checkDeployParameters({ Inference: { oracleSigners: signers, oracleThreshold: 2n } }),
      ).to.not.throw();
      expect(() => checkDeployParameters({ Inference: { oracleSigners: signers } })).to.not.throw();
    });

    const refused: [string, Record<string, Record<string, unknown>>, string][] = [
      ["no oracle signers", {}, "The parameters must set Inference.oracleSigners"],
      ["an empty signer list", { Inference: { oracleSigners: [] } }, "The parameters must set Inference.oracleSigners"],
      [
        "a placeholder signer",
        { Inference: { oracleSigners: ["0xYourOracleSigner1"] } },
        'Inference.oracleSigners holds "0xYourOracleSigner1", which is not a signer\'s address.',
      ],
      [
        "the zero address as a signer",
        { Inference: { oracleSigners: ["0x0000000000000000000000000000000000000000"] } },
        "which is not a signer's address",
      ],
      [
        "a signer twice",
        { Inference: { oracleSigners: [signers[0], signers[0]?.toLowerCase()] } },
        "Inference.oracleSigners names the same address twice.",
      ],
      [
        "a threshold above the signers",
        { Inference: { oracleSigners: signers, oracleThreshold: 3 } },
        "Inference.oracleThreshold must be between 1 and the 2 oracle signer(s), not 3.",
      ],
      [
        "a zero threshold",
        { Inference: { oracleSigners: signers, oracleThreshold: 0n } },
        "Inference.oracleThreshold must be between 1 and the 2 oracle signer(s), not 0.",
      ],
      [
        "a placeholder guardian",
        { Registries: { guardian: "0xYourGuardianAddress" }, Inference: { oracleSigners: signers } },
        'Registries.guardian is "0xYourGuardianAddress", which is not an address.',
      ],
      [
        "a placeholder guardian of gOPEN",
        { Governance: { guardian: "0xYourGuardianAddress" }, Inference: { oracleSigners: signers } },
        'Governance.guardian is "0xYourGuardianAddress", which is not an address.',
      ],
      [
        "a reward period shorter than gOPEN allows",
        { Governance: { rewardPeriod: 60 }, Inference: { oracleSigners: signers } },
        "Governance.rewardPeriod must be a whole number of seconds from 3600 to 2592000, not 60.",
      ],
      [
        "an attribution window longer than the router allows",
        { Inference: { oracleSigners: signers, attributionWindow: 100n * 86_400n } },
        'Inference.attributionWindow must be a whole number of seconds from 3600 to 7776000, not "8640000".',
      ],
    ];
    for (const [what, parameters, message] of refused) {
      it(`refuses ${what} with one sentence`, () => {
        expect(() => checkDeployParameters(parameters)).to.throw(UserError, message);
      });
    }

    it("a public chain needs a parameters file; local chains have defaults", () => {
      expect(() => requireParametersFile("sepolia", 11155111, undefined)).to.throw(
        UserError,
        'Network "sepolia" (chain 11155111) has no parameters file: copy ignition/parameters/testnet.example.json to ignition/parameters/sepolia.json, set its oracle signers and guardian, and deploy again.',
      );
      expect(() => requireParametersFile("sepolia", 11155111, "ignition/parameters/sepolia.json")).to.not.throw();
      expect(() => requireParametersFile("localhost", 31337, undefined)).to.not.throw();
    });

    it("the testnet example parses, and is refused until its placeholders are replaced", async () => {
      const example = await readParameters(path.join("ignition", "parameters", "testnet.example.json"));
      expect(example["Governance"]?.["proposalThreshold"]).to.equal(10_000n * 10n ** 18n);
      expect(() => checkDeployParameters(example)).to.throw(UserError, "0xYourGuardianAddress");
      expect(example["Governance"]?.["rewardPeriod"]).to.equal(3_600);
      const filled = {
        ...example,
        Governance: { ...example["Governance"], guardian: signers[0] },
        Registries: { ...example["Registries"], guardian: signers[0] },
        Inference: { ...example["Inference"], guardian: signers[0], oracleSigners: [...signers, signers[0]] },
      };
      expect(() => checkDeployParameters(filled)).to.throw(UserError, "names the same address twice");
      filled.Inference.oracleSigners = [...signers, "0x90F79bf6EB2c4f870365E785982E1f101E93b906"];
      expect(() => checkDeployParameters(filled)).to.not.throw();
    });
  });
});
