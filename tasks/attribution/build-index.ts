import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { optional, parseIdList, required, runTask } from "../lib/cli.js";
import { openProtocol } from "../lib/context.js";
import { documentsOf, readContributionTexts, writeIndex } from "../lib/engine.js";

interface Args {
  contents: string | undefined;
  datanets: string | undefined;
  out: string | undefined;
}

/** Where `attribution index` writes, and `attribution compute` reads, a deployment's index. */
export function defaultIndexFile(root: string, network: string): string {
  return path.join(root, "deployments", network, "attribution-index.bin");
}

export default async function indexAction(args: Args, hre: HardhatRuntimeEnvironment) {
  return runTask(async () => {
    const contents = path.resolve(required(args.contents, "--contents", "texts/"));
    const texts = await readContributionTexts(contents);
    let documents;
    let out: string;
    let scope: string;
    const datanetList = optional(args.datanets);
    if (datanetList !== undefined) {
      // A deployment's datanets: only accepted contributions, each checked against its content hash.
      const datanetIds = parseIdList(datanetList, "--datanets");
      const { client, deployment } = await openProtocol(hre);
      const registered = await client.attribution.corpus(datanetIds, texts);
      documents = registered.documents;
      out =
        args.out !== undefined ? path.resolve(args.out) : defaultIndexFile(hre.config.paths.root, deployment.network);
      scope = `the accepted contributions of datanet${datanetIds.length === 1 ? "" : "s"} ${datanetIds.join(", ")}`;
      if (registered.unused > 0) {
        console.log(
          `${registered.unused} text(s) in --contents are not accepted contributions of these datanets: left out.`,
        );
      }
    } else {
      documents = documentsOf(texts);
      out = args.out !== undefined ? path.resolve(args.out) : `${contents.replace(/[/\\]+$/, "")}.index.bin`;
      scope = `every text in ${path.relative(process.cwd(), contents) || "."} (no deployment: datanets unknown)`;
    }
    const { index, written, bytes, milliseconds } = await writeIndex(out, documents);
    const n = index.normalization;
    console.log(
      `Indexed ${index.contributionIds.length} contribution(s), ${index.wordCount.toLocaleString("en-US")} words: ${scope}.`,
    );
    console.log(
      `  file         ${path.relative(process.cwd(), out)}` +
        (written.shardFiles.length > 1 ? ` (manifest of ${written.shardFiles.length} shards beside it)` : ""),
    );
    console.log(
      `  size         ${bytes.toLocaleString("en-US")} bytes, ${(bytes / Math.max(index.wordCount, 1)).toFixed(2)} per word`,
    );
    console.log(
      `  words        ${n.caseFold ? "case-folded" : "case kept"}, punctuation ${n.punctuation === "strip" ? "stripped" : "kept"}`,
    );
    console.log(`  commitment   ${written.commitment}`);
    console.log(`  built in     ${(milliseconds / 1000).toFixed(2)} s`);
  });
}
