import { writeFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { readWeightsFile } from "../../sdk/core/weights.js";
import { writeSignedAttribution } from "../../sdk/core/signed.js";
import { optional, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { readJson } from "../lib/files.js";
import { resolveOracleSigners } from "../lib/keys.js";
import { shownPath } from "./paths.js";

interface Args {
  weights: string;
  signers: string | undefined;
  keys: string | undefined;
  out: string | undefined;
}

export default async function signAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const input = path.resolve(args.weights);
    const json = await readJson(input, "The weights file");
    const { client, connection } = await openProtocol(hre);
    const block = await connection.ethers.provider.getBlock("latest");
    const reports = readWeightsFile(json, shownPath(input), BigInt(block?.timestamp ?? 0));
    const signers = await resolveOracleSigners(
      hre,
      connection,
      optional(args.signers) ?? "",
      optional(args.keys) ?? "",
    );
    const signed = await client.attribution.sign(reports, signers);
    const out = args.out !== undefined ? path.resolve(args.out) : input.replace(/\.json$/, "") + ".signed.json";
    await writeFile(out, writeSignedAttribution(signed));
    const what = signed.kind === "report" ? "a report" : `a batch of ${reports.length} reports`;
    console.log(
      `Signed ${what} for inference(s) ${reports.map((r) => r.inferenceId).join(", ")} with ${signed.signatures.length} signer(s): ${signed.signatures.map((s) => s.signer).join(", ")}.`,
    );
    console.log(`Wrote ${shownPath(out)}; settle it with: npx hardhat attribution push ${shownPath(out)}`);
  });
}
