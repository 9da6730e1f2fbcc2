/**
 * The README's measured figures: each script that measures something (gas, bundle sizes, the attribution and oracle
 * benchmarks) rewrites its own block of README.md, between `<!-- <marker>:begin -->` and `<!-- <marker>:end -->`,
 * and leaves the file as Prettier formats it, so `npm run lint` stays green.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

const README = path.resolve(import.meta.dirname, "..", "..", "README.md");

/** Replaces the body of each named block (marker → markdown); refuses a marker the README lacks. */
export async function writeReadmeBlocks(blocks: Readonly<Record<string, string>>): Promise<void> {
  let readme = await readFile(README, "utf8");
  for (const [marker, body] of Object.entries(blocks)) {
    const begin = `<!-- ${marker}:begin -->`;
    const end = `<!-- ${marker}:end -->`;
    const from = readme.indexOf(begin);
    const to = readme.indexOf(end);
    if (from === -1 || to < from) throw new Error(`README.md has no ${begin} … ${end} markers.`);
    readme = `${readme.slice(0, from + begin.length)}\n\n${body.trim()}\n\n${readme.slice(to)}`;
  }
  const prettier = await import("prettier");
  const options = (await prettier.resolveConfig(README)) ?? {};
  await writeFile(README, await prettier.format(readme, { ...options, filepath: README }));
}
