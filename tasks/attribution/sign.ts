import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { required } from "../lib/args.js";
import { UserError, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { parseWeightsFile, serializeSigned, signAttribution } from "../lib/attribution.js";
import { resolveOracleSigners } from "../lib/keys.js";

interface Args {
  input: string;
  out: string;
  signers: string;
  keys: string;
  from: string;
}

export default async function signAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const input = path.resolve(required(args.input, "--input", "weights.json"));
    let json: unknown;
    try {
      json = JSON.parse(await readFile(input, "utf8"));
    } catch {
      throw new UserError(`--input ${args.input} is not a readable JSON file.`);
    }
    const ctx = await openProtocol(hre, args.from);
    const block = await ctx.connection.ethers.provider.getBlock("latest");
    const reports = parseWeightsFile(json, args.input, BigInt(block?.timestamp ?? 0));
    const signers = await resolveOracleSigners(hre, ctx.connection, args.signers, args.keys);
    const signed = await signAttribution(ctx, reports, signers);
    const out = args.out !== "" ? path.resolve(args.out) : input.replace(/\.json$/, "") + ".signed.json";
    await writeFile(out, serializeSigned(signed));
    console.log(
      `Signed ${signed.kind === "report" ? "a report" : `a batch of ${reports.length} reports`} for inference(s) ${reports.map((r) => r.inferenceId).join(", ")} with ${signed.signatures.length} signer(s): ${signed.signatures.map((s) => s.signer).join(", ")}.`,
    );
    const relative = path.relative(process.cwd(), out);
    const shown = relative.startsWith("..") ? out : relative;
    console.log(`Wrote ${shown}; settle it with attribution:push --file ${shown}.`);
  });
}
