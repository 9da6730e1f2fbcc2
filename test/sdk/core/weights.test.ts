/**
 * The oracle's file formats (sdk/core/weights.ts, signed.ts): the weights file the attribution engine's result
 * becomes and the signed attribution, read back with every problem a ProtocolError naming the report and field.
 */
import { expect } from "chai";

import { attribute, buildIndex, outputHash, weightsJson } from "../../../attribution/index.js";
import { outputHashOf } from "../../../sdk/core/eip712.js";
import { readSignedAttribution, writeSignedAttribution } from "../../../sdk/core/signed.js";
import { DEFAULT_REPORT_LIFETIME, readWeightsFile, writeWeightsFile } from "../../../sdk/core/weights.js";
import { defined } from "../../helpers/constants.js";
import { TEST_INDEX, refusal } from "../client/suite.js";

describe("weights and signed files", () => {
  const hash = outputHashOf("the answer");
  const base = { inferenceId: "7", outputHash: hash, indexCommitment: TEST_INDEX, weights: { "2": 0.25 } };
  const invalid = (action: () => unknown, where: string) =>
    refusal(action, "InvalidWeightsFile", { where }).then((e) => e.message);

  it("reads inference ids in decimal or hex, and refuses a JSON number too large to be exact", async () => {
    const big = 2n ** 255n + 12345n;
    for (const inferenceId of [big.toString(), `0x${big.toString(16)}`]) {
      expect(defined(readWeightsFile({ ...base, inferenceId }, "w.json", 0n)[0], "report").inferenceId).to.equal(big);
    }
    expect(defined(readWeightsFile({ ...base, inferenceId: 3 }, "w.json", 0n)[0], "report").inferenceId).to.equal(3n);
    expect(await invalid(() => readWeightsFile({ ...base, inferenceId: 2 ** 60 }, "w.json", 0n), "w.json")).to.equal(
      `w.json: inferenceId ${2 ** 60} is too large for a JSON number; write it as a string.`,
    );
    expect(await invalid(() => readWeightsFile({ ...base, inferenceId: "0" }, "w.json", 0n), "w.json")).to.match(
      /inferenceId must be/,
    );
  });

  it("refuses a report without its output hash or index commitment, naming what is missing", async () => {
    const { outputHash: _o, ...noHash } = base;
    expect(await invalid(() => readWeightsFile(noHash, "w.json", 0n), "w.json")).to.equal(
      "w.json: there is no outputHash, the keccak256 of the output text it attributes, which the attribution engine writes.",
    );
    const { indexCommitment: _i, ...noIndex } = base;
    expect(await invalid(() => readWeightsFile([base, noIndex], "w.json", 0n), "w.json report 2")).to.match(
      /^w\.json report 2: there is no indexCommitment, the commitment of the attribution index its weights were computed on/,
    );
    expect(await invalid(() => readWeightsFile({ ...base, indexCommitment: "0x12" }, "w.json", 0n), "w.json")).to.equal(
      'w.json: indexCommitment must be 32 bytes of hex (0x and 64 hex digits), not "0x12".',
    );
  });

  it("refuses weights that are not fractions, or that sum to more than 1", async () => {
    expect(await invalid(() => readWeightsFile({ ...base, weights: { "2": 1.5 } }, "w.json", 0n), "w.json")).to.match(
      /the weight of contribution 2 must be a fraction between 0 and 1/,
    );
    expect(
      await invalid(() => readWeightsFile({ ...base, weights: { "2": "0.6", "3": "0.5" } }, "w.json", 0n), "w.json"),
    ).to.equal("w.json: the weights sum to more than 1.");
    expect(await invalid(() => readWeightsFile({ ...base, weights: { "0": "0.5" } }, "w.json", 0n), "w.json")).to.equal(
      'w.json: "0" is not a contribution id.',
    );
  });

  it("takes the commitments the caller knows, and refuses a file that contradicts them", async () => {
    const { outputHash: _o, indexCommitment: _i, ...bare } = base;
    const [r] = readWeightsFile(bare, "w.json", 100n, { outputHash: hash, indexCommitment: TEST_INDEX });
    expect(r).to.deep.include({
      outputHash: hash,
      indexCommitment: TEST_INDEX,
      deadline: 100n + DEFAULT_REPORT_LIFETIME,
    });
    expect(DEFAULT_REPORT_LIFETIME).to.equal(86_400n);
    expect(
      await invalid(
        () => readWeightsFile(base, "w.json", 0n, { outputHash: outputHashOf("another answer") }),
        "w.json",
      ),
    ).to.match(/^w\.json: outputHash 0x[0-9a-f]{64} does not match the output text/);
  });

  it("refuses a signed file of the v1 router, which committed to neither", async () => {
    const v1 = {
      kind: "report",
      router: "0x0000000000000000000000000000000000000001",
      chainId: 31337,
      reports: [{ inferenceId: "1", contributionIds: ["2"], weights: ["1"], deadline: "9" }],
      signatures: [],
    };
    const e = await refusal(() => readSignedAttribution(v1, "s.json"), "InvalidSignedAttribution", { where: "s.json" });
    expect(e.message).to.equal(
      "s.json is not a signed attribution (report 1's outputHash is missing: it was signed for the v1 router, so sign it again).",
    );
  });

  it("reads back the signed attribution it writes", () => {
    const signed = {
      kind: "batch" as const,
      router: "0x0000000000000000000000000000000000000001",
      chainId: 31337,
      reports: [1n, 2n ** 255n].map((inferenceId) => ({
        inferenceId,
        outputHash: hash,
        indexCommitment: TEST_INDEX,
        contributionIds: [2n, 3n],
        weights: [25n * 10n ** 16n, 5n * 10n ** 16n],
        deadline: 9n,
      })),
      signatures: [{ signer: "0x0000000000000000000000000000000000000002", signature: "0x1234" }],
    };
    const text = writeSignedAttribution(signed);
    expect(text).to.contain(`"inferenceId": "${2n ** 255n}"`);
    expect(readSignedAttribution(JSON.parse(text), "s.json")).to.deep.equal(signed);
  });

  it("writes the engine's weights with the output hash and the index commitment, as the engine does", () => {
    const text = "Frustration discharges a contract when a supervening event makes performance radically different.";
    const output = `As the court said, ${text}`;
    const attribution = attribute(buildIndex([{ contributionId: 4n, datanetId: 1n, text }]), output);
    const written = writeWeightsFile(5n, attribution);
    const json = JSON.parse(written) as Record<string, unknown>;
    expect(json.inferenceId).to.equal("5");
    expect(json.outputHash).to.equal(outputHashOf(output));
    expect(json.outputHash).to.equal(outputHash(output));
    expect(Object.keys(json.weights as object)).to.deep.equal(["4"]);
    expect(json.indexCommitment).to.equal(attribution.indexCommitment);
    expect(written).to.equal(weightsJson(5n, attribution)); // one format, whoever writes it

    const [r] = readWeightsFile(json, "w.json", 0n);
    expect(r).to.deep.include({
      inferenceId: 5n,
      outputHash: outputHashOf(output),
      indexCommitment: attribution.indexCommitment,
      contributionIds: [4n],
      weights: attribution.weights.map((w) => w.weight),
    });
  });
});
