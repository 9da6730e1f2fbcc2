import { writeFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { readWeightsFile } from "../../sdk/core/weights.js";
import { writeSignedAttribution } from "../../sdk/core/signed.js";
import { required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { readJson } from "../lib/files.js";
import { resolveOracleSigners } from "../lib/keys.js";

interface Args {
  input: string | undefined;
  out: string | undefined;
  signers: string | undefined;
  keys: string | undefined;
  from: string | undefined;
}

export default async function signAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const input = path.resolve(required(args.input, "--input", "weights.json"));
    const json = await readJson(input, "--input");
    const { client, connection } = await openProtocol(hre, args.from);
    const block = await connection.ethers.provider.getBlock("latest");
    const reports = readWeightsFile(json, path.relative(process.cwd(), input), BigInt(block?.timestamp ?? 0));
    const signers = await resolveOracleSigners(hre, connection, args.signers ?? "", args.keys ?? "");
    const signed = await client.attribution.sign(reports, signers);
    const out = args.out !== undefined ? path.resolve(args.out) : input.replace(/\.json$/, "") + ".signed.json";
    await writeFile(out, writeSignedAttribution(signed));
    const what = signed.kind === "report" ? "a report" : `a batch of ${reports.length} reports`;
    console.log(
      `Signed ${what} for inference(s) ${reports.map((r) => r.inferenceId).join(", ")} with ${signed.signatures.length} signer(s): ${signed.signatures.map((s) => s.signer).join(", ")}.`,
    );
    const relative = path.relative(process.cwd(), out);
    const shown = relative.startsWith("..") ? out : relative;
    console.log(`Wrote ${shown}; settle it with attribution push --file ${shown}.`);
  });
}
