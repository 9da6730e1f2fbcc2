/**
 * The attribution engine's file side for the tasks: reading contribution texts from a folder or a JSON-lines
 * file, building and loading index files. Checking texts against the registry and attributing an inference's
 * output on chain are the client's (`client.attribution.corpus`, `client.attribution.attribute`).
 */
import { existsSync } from "node:fs";
import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";

import { keccak256, toUtf8Bytes } from "ethers";

import { AttributionError, type AttributionIndex, type CorpusDocument } from "../../attribution/index.js";
import { openIndex, writeIndexFiles, type WrittenIndex } from "../../attribution/node/files.js";
import type { ContributionText as ClientText } from "../../sdk/client/index.js";
import { UserError } from "./cli.js";

/** A contribution's text and the content hash it was registered with (keccak256 of its bytes). */
export interface ContributionText extends ClientText {
  contributionId: bigint;
}

const ID_FILE = /^(\d+)(\.[^/]*)?$/;

/**
 * Reads contribution texts from a folder of files named by contribution id ("12", "12.txt", "12.md") or a
 * JSON-lines file of {"contributionId": 12, "text": "…"}. A file's content hash is keccak256 of its bytes,
 * as `npx hardhat datanet contribute --file` registers it; a JSON line's is keccak256 of its text in UTF-8.
 */
export async function readContributionTexts(source: string): Promise<Map<bigint, ContributionText>> {
  let info;
  try {
    info = await stat(source);
  } catch {
    throw new UserError(`--contents ${source} does not exist.`);
  }
  const texts = new Map<bigint, ContributionText>();
  const add = (entry: ContributionText) => {
    if (entry.contributionId === 0n) throw new UserError(`${entry.source}: 0 is not a contribution id.`);
    const previous = texts.get(entry.contributionId);
    if (previous !== undefined) {
      throw new UserError(
        `Contribution ${entry.contributionId} is given twice (${previous.source} and ${entry.source}).`,
      );
    }
    texts.set(entry.contributionId, entry);
  };
  if (info.isDirectory()) {
    for (const name of (await readdir(source)).sort()) {
      if (name.startsWith(".")) continue;
      const match = ID_FILE.exec(name);
      const file = path.join(source, name);
      if (match === null || !(await stat(file)).isFile()) {
        throw new UserError(`${file} is not named by a contribution id (e.g. 12.txt).`);
      }
      const bytes = await readFile(file);
      add({
        contributionId: BigInt(match[1]!),
        text: bytes.toString("utf8"),
        contentHash: keccak256(bytes),
        source: file,
      });
    }
    return texts;
  }
  const lines = (await readFile(source, "utf8")).split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const where = `${source} line ${i + 1}`;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      throw new UserError(`${where} is not JSON.`);
    }
    const { contributionId, text } = (entry ?? {}) as { contributionId?: unknown; text?: unknown };
    if (!/^\d+$/.test(String(contributionId)) || typeof text !== "string") {
      throw new UserError(`${where} must be {"contributionId": <id>, "text": "<text>"}.`);
    }
    add({
      contributionId: BigInt(String(contributionId)),
      text,
      contentHash: keccak256(toUtf8Bytes(text)),
      source: where,
    });
  });
  return texts;
}

/** Documents for an index without a deployment: every text, datanet unknown (0). */
export function documentsOf(texts: Map<bigint, ContributionText>): CorpusDocument[] {
  return [...texts.values()].map((t) => ({
    contributionId: t.contributionId,
    datanetId: 0n,
    text: t.text,
    contentHash: t.contentHash,
  }));
}

/**
 * Builds an index (tokenizing on worker threads) and writes it at `file`: one shard file, or a manifest and
 * shard files beside it for a corpus over DEFAULT_MAX_SHARD_WORDS words. Returns it opened from disk.
 */
export async function writeIndex(
  file: string,
  documents: CorpusDocument[],
): Promise<{ index: AttributionIndex; written: WrittenIndex; bytes: number; milliseconds: number }> {
  if (documents.length === 0) throw new UserError("There is no contribution to index.");
  const started = performance.now();
  let written: WrittenIndex;
  try {
    written = await writeIndexFiles(file, documents);
  } catch (error) {
    if (error instanceof AttributionError) throw new UserError(error.message);
    throw error;
  }
  const milliseconds = performance.now() - started;
  const index = engine(() => openIndex(file));
  return { index, written, bytes: written.bytes, milliseconds };
}

/** Opens an index file (shards are read when first queried), refusing a missing or corrupt one with a sentence. */
export async function loadIndex(file: string): Promise<AttributionIndex> {
  if (!existsSync(file)) {
    throw new UserError(`There is no index at ${file}; build one with \`npx hardhat attribution index\`.`);
  }
  const index = engine(() => openIndex(file));
  // Read and check every shard now, so a damaged file is refused before anything is computed.
  engine(() => index.shards.forEach((s) => s.load()));
  return index;
}

/** Runs engine code, turning its AttributionError into a UserError (one sentence, exit 1). */
export function engine<T>(body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof AttributionError) throw new UserError(error.message);
    throw error;
  }
}
