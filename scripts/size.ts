/**
 * `npm run size`: what the package weighs in a browser dapp. Packs the package, installs the tarball into an empty
 * folder with a plain `npm install`, and bundles the dapp that pays for an inference (the README's example) with
 * esbuild, minified, ethers external — once alone, and once also counting the tokens it pays for and attributing the
 * answer with `openledger-protocol/attribution`.
 * The same pack, install and bundles as the tarball test (scripts/package-consumer.ts).
 *
 * `npm run size:readme` (SIZE_README=1) also rewrites the table between the `<!-- bundle-size:begin -->` and
 * `<!-- bundle-size:end -->` markers of README.md.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { table } from "../tasks/lib/table.js";
import { writeReadmeBlocks } from "./lib/readme.js";

import {
  bundleAll,
  describeFailure,
  installConsumer,
  kB,
  pack,
  type Bundle,
  type BundleName,
} from "./package-consumer.js";

const ROWS: { name: BundleName; label: string }[] = [
  { name: "pay", label: "pays for an inference (`openledger-protocol`)" },
  {
    name: "pay + attribution",
    label: "counts tokens, pays and attributes the answer (`+ openledger-protocol/attribution`)",
  },
  { name: "whole SDK entry", label: "every export of `openledger-protocol`" },
  { name: "whole attribution entry", label: "every export of `openledger-protocol/attribution`" },
];

function added(bundles: Record<BundleName, Bundle>): string {
  const pay = bundles.pay;
  const both = bundles["pay + attribution"];
  return `The attribution subpath adds ${kB(both.bytes - pay.bytes)} minified, ${kB(both.gzipBytes - pay.gzipBytes)} gzipped.`;
}

function markdown(bundles: Record<BundleName, Bundle>): string {
  return [
    "| dapp | minified | gzipped |",
    "| --- | ---: | ---: |",
    // The README records the two dapps; the whole entries are printed for comparison.
    ...ROWS.slice(0, 2).map(
      ({ name, label }) => `| ${label} | ${kB(bundles[name].bytes)} | ${kB(bundles[name].gzipBytes)} |`,
    ),
    "",
    added(bundles),
  ].join("\n");
}

const work = await mkdtemp(path.join(os.tmpdir(), "openledger-size-"));
try {
  const packed = await pack(work);
  const app = path.join(work, "dapp");
  const install = await installConsumer(packed.tarball, app);
  if (install.status !== 0) throw new Error(describeFailure(install));
  const bundles = await bundleAll(app);
  for (const { name } of ROWS) {
    const errors = bundles[name].errors;
    if (errors.length !== 0) throw new Error(`esbuild could not bundle "${name}":\n${errors.join("\n")}`);
  }

  console.log(
    "\nBrowser bundles of the installed tarball (esbuild, ESM, minified, ethers external; 1 kB = 1,000 bytes)\n",
  );
  console.log(
    table(
      ["dapp", "minified", "gzipped"],
      ROWS.map(({ name, label }) => [label, kB(bundles[name].bytes), kB(bundles[name].gzipBytes)]),
      ["l", "r", "r"],
    ),
  );
  console.log(`\n${added(bundles)}`);

  if (process.env.SIZE_README === "1") {
    await writeReadmeBlocks({ "bundle-size": markdown(bundles) });
    console.log("\nWrote the table into README.md.");
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
