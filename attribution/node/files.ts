/// <reference types="node" />
/**
 * Node only: index files. An index is one shard file (small corpora), or a manifest (JSON) naming shard
 * files that sit beside it. Opening an index reads only the headers (document tables); a shard's vocabulary,
 * symbols and suffix array are read from disk, and their SHA-256 checked, the first time a query needs
 * them, and can be released again (`maxLoadedShards`), so a corpus larger than memory is served shard by
 * shard. Building tokenizes on worker threads (workers.ts) and writes one shard at a time.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import {
  AttributionError,
  ENGINE_VERSION,
  indexCommitment,
  indexOfShards,
  planShards,
  prepareDocuments,
  type AttributionIndex,
  type CorpusDocument,
  type ShardSource,
} from "../corpus.js";
import {
  VocabularyBuilder,
  buildShard,
  bodyLength,
  isShardFile,
  readShardHeader,
  serializeShard,
  shardFromBody,
  type Shard,
  type ShardDocument,
  type ShardHeader,
  type TokenizedDocument,
} from "../shard.js";
import { DEFAULT_NORMALIZATION, type Normalization } from "../text.js";
import { TokenizerPool, batchesOf, type TokenizedBatch } from "./workers.js";

/** Words per shard when none is given: about 100 MB of file per shard. */
export const DEFAULT_MAX_SHARD_WORDS = 16_000_000;
const MANIFEST_FORMAT = "openledger-attribution-manifest";

interface Manifest {
  format: string;
  version: number;
  engine: string;
  normalization: Normalization;
  commitment: string;
  shards: { file: string; documents: number; words: number }[];
}

export interface OpenOptions {
  /** Check each shard's SHA-256 when it is read (default true). */
  verify?: boolean;
  /** Keep at most this many shards in memory, releasing the least recently used (default: all). */
  maxLoadedShards?: number;
}

/** A shard file on disk: its header now, its body when first needed. */
class FileShardSource implements ShardSource {
  readonly documents: readonly ShardDocument[];
  readonly wordCount: number;
  private shard: Shard | undefined;
  private readonly header: ShardHeader;
  private readonly bodyOffset: number;

  constructor(
    readonly location: string,
    private readonly verify: boolean,
    private readonly onLoad: (source: FileShardSource) => void,
  ) {
    const fd = openFileOrFail(location);
    try {
      const read = (length: number) => {
        const buffer = new Uint8Array(length);
        const got = readSync(fd, buffer, 0, length, 0);
        return buffer.subarray(0, got);
      };
      const { header, bodyOffset } = readShardHeader(read(1 << 16), location, read);
      const size = fstatSync(fd).size;
      if (size !== bodyOffset + bodyLength(header)) {
        throw new AttributionError(
          `${location} is not a usable attribution index: it should be ${bodyOffset + bodyLength(header)} bytes long, not ${size}.`,
        );
      }
      this.header = header;
      this.bodyOffset = bodyOffset;
    } finally {
      closeSync(fd);
    }
    const d = this.header.documents;
    this.documents = d.contributionIds.map((id, k) => ({
      contributionId: BigInt(id),
      datanetId: BigInt(d.datanets[k]!),
      contentHash: d.contentHashes[k]!,
    }));
    this.wordCount = this.header.wordCount;
  }

  get normalization(): Normalization {
    return this.header.normalization;
  }

  get loaded(): boolean {
    return this.shard !== undefined;
  }

  load(): Shard {
    if (this.shard === undefined) {
      const fd = openFileOrFail(this.location);
      try {
        const body = new Uint8Array(bodyLength(this.header));
        let at = 0;
        while (at < body.length) {
          const got = readSync(fd, body, at, body.length - at, this.bodyOffset + at);
          if (got === 0) throw new AttributionError(`${this.location} is truncated.`);
          at += got;
        }
        this.shard = shardFromBody(this.header, body, this.location, this.verify);
      } finally {
        closeSync(fd);
      }
    }
    this.onLoad(this);
    return this.shard;
  }

  release(): void {
    this.shard = undefined;
  }
}

function openFileOrFail(file: string): number {
  try {
    return openSync(file, "r");
  } catch {
    throw new AttributionError(`There is no index at ${file}; build one with \`npx hardhat attribution index\`.`);
  }
}

/** Opens an index file (a shard file or a manifest); shards are read when first queried. */
export function openIndex(file: string, options: OpenOptions = {}): AttributionIndex {
  if (!existsSync(file))
    throw new AttributionError(`There is no index at ${file}; build one with \`npx hardhat attribution index\`.`);
  const verify = options.verify ?? true;
  const limit = options.maxLoadedShards ?? Number.POSITIVE_INFINITY;
  const recent: FileShardSource[] = [];
  const onLoad = (source: FileShardSource) => {
    const at = recent.indexOf(source);
    if (at >= 0) recent.splice(at, 1);
    recent.push(source);
    while (recent.length > limit) recent.shift()!.release();
  };
  const fd = openFileOrFail(file);
  const start = new Uint8Array(8);
  readSync(fd, start, 0, 8, 0);
  closeSync(fd);
  if (isShardFile(start)) {
    const source = new FileShardSource(file, verify, onLoad);
    return indexOfShards([source], source.normalization);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(file, "utf8")) as Manifest;
  } catch {
    throw new AttributionError(`${file} is not a usable attribution index: it is neither a shard nor a manifest.`);
  }
  if (manifest.format !== MANIFEST_FORMAT || !Array.isArray(manifest.shards) || manifest.shards.length === 0) {
    throw new AttributionError(`${file} is not a usable attribution index: its manifest is malformed.`);
  }
  const sources = manifest.shards.map(
    (s) => new FileShardSource(path.resolve(path.dirname(file), s.file), verify, onLoad),
  );
  for (const s of sources) {
    if (JSON.stringify(s.normalization) !== JSON.stringify(manifest.normalization)) {
      throw new AttributionError(`${s.location} was built with another normalisation than ${file}.`);
    }
  }
  const index = indexOfShards(sources, manifest.normalization);
  if (indexCommitment(index) !== manifest.commitment) {
    throw new AttributionError(`${file} is not a usable attribution index: its shards do not match its commitment.`);
  }
  return index;
}

export interface WriteOptions {
  normalization?: Normalization;
  /** Words per shard at most (default DEFAULT_MAX_SHARD_WORDS); one shard is written as a single file. */
  maxShardWords?: number;
  /** Tokenizer threads (default: the machine's parallelism). */
  threads?: number;
}

export interface WrittenIndex {
  /** The file to open: the shard itself, or the manifest. */
  file: string;
  shardFiles: string[];
  bytes: number;
  wordCount: number;
  documents: number;
  commitment: string;
}

/** Writes a shard's parts to `file`; returns its size. */
function writeShardFile(file: string, shard: Shard): number {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, "w");
  let bytes = 0;
  try {
    for (const part of serializeShard(shard)) {
      let at = 0;
      while (at < part.length) at += writeSync(fd, part, at, part.length - at);
      bytes += part.length;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/**
 * Writes a sharded index incrementally: add shards (each a list of documents) in ascending contribution
 * id, then finish. Memory holds one shard at a time.
 */
export class IndexWriter {
  private readonly shards: { file: string; documents: ShardDocument[]; words: number; bytes: number }[] = [];
  private readonly pool: TokenizerPool;
  readonly normalization: Normalization;

  constructor(
    readonly file: string,
    options: Pick<WriteOptions, "normalization" | "threads"> = {},
  ) {
    this.normalization = options.normalization ?? DEFAULT_NORMALIZATION;
    this.pool = new TokenizerPool(options.threads);
  }

  /** The file of shard number `k` (1-based) beside the manifest. */
  shardFile(k: number): string {
    const base = this.file.replace(/\.(json|bin)$/, "");
    return `${base}.shard-${String(k).padStart(4, "0")}.bin`;
  }

  /** Tokenizes documents on the worker threads: their ids in one vocabulary, in document order. */
  async tokenize(texts: readonly string[]): Promise<{ ids: Uint32Array[]; vocabulary: VocabularyBuilder }> {
    const batches = batchesOf(texts);
    const results: TokenizedBatch[] = await Promise.all(
      batches.map((b) =>
        this.pool.tokenize(
          b.map((d) => texts[d]!),
          this.normalization,
        ),
      ),
    );
    const vocabulary = new VocabularyBuilder();
    const ids: Uint32Array[] = [];
    results.forEach((batch) => {
      const map = new Int32Array(batch.vocabulary.length).fill(-1);
      let at = 0;
      for (let d = 0; d < batch.lengths.length; d++) {
        const length = batch.lengths[d]!;
        const out = new Uint32Array(length);
        for (let i = 0; i < length; i++) {
          const local = batch.ids[at + i]!;
          let id = map[local]!;
          if (id < 0) id = map[local] = vocabulary.idOf(batch.vocabulary[local]!);
          out[i] = id;
        }
        at += length;
        ids.push(out);
      }
    });
    return { ids, vocabulary };
  }

  /** Builds and writes one shard of `documents` (ascending contribution id, after every earlier shard). */
  async addShard(documents: readonly CorpusDocument[], file = this.shardFile(this.shards.length + 1)): Promise<void> {
    const sorted = prepareDocuments(documents);
    const last = this.shards.at(-1)?.documents.at(-1)?.contributionId;
    if (last !== undefined && sorted.length > 0 && sorted[0]!.contributionId <= last) {
      throw new AttributionError("Shards must be added in ascending contribution id.");
    }
    const { ids, vocabulary } = await this.tokenize(sorted.map((d) => d.text));
    this.addTokenized(
      sorted.map((d, k) => ({
        contributionId: d.contributionId,
        datanetId: d.datanetId,
        contentHash: d.contentHash,
        ids: ids[k]!,
      })),
      vocabulary.words,
      file,
    );
  }

  /** Writes one shard of already tokenized documents. */
  addTokenized(documents: TokenizedDocument[], vocabulary: string[], file = this.shardFile(this.shards.length + 1)) {
    const shard = buildShard(documents, vocabulary, this.normalization);
    const bytes = writeShardFile(file, shard);
    this.shards.push({ file, documents: shard.documents, words: shard.wordCount, bytes });
  }

  /** Writes the manifest (unless the index is a single shard written at `file`) and closes the threads. */
  async finish(): Promise<WrittenIndex> {
    await this.pool.close();
    const sources: ShardSource[] = this.shards.map((s) => ({
      documents: s.documents,
      wordCount: s.words,
      location: s.file,
      load: () => {
        throw new AttributionError("A writer's shards are not loaded.");
      },
    }));
    const index = indexOfShards(sources, this.normalization);
    const commitment = indexCommitment(index);
    const bytes = this.shards.reduce((n, s) => n + s.bytes, 0);
    const single = this.shards.length === 1 && this.shards[0]!.file === this.file;
    if (!single) {
      const manifest: Manifest = {
        format: MANIFEST_FORMAT,
        version: 2,
        engine: ENGINE_VERSION,
        normalization: this.normalization,
        commitment,
        shards: this.shards.map((s) => ({
          file: path.relative(path.dirname(this.file), s.file),
          documents: s.documents.length,
          words: s.words,
        })),
      };
      await writeFile(this.file, JSON.stringify(manifest, null, 2) + "\n");
    }
    return {
      file: this.file,
      shardFiles: this.shards.map((s) => s.file),
      bytes,
      wordCount: index.wordCount,
      documents: index.contributionIds.length,
      commitment,
    };
  }

  async abort(): Promise<void> {
    await this.pool.close();
  }
}

/**
 * Builds an index of `documents` and writes it at `file`: a single shard file if the corpus fits in one
 * shard, otherwise a manifest with shard files beside it. Tokenizes on worker threads.
 */
export async function writeIndexFiles(
  file: string,
  documents: readonly CorpusDocument[],
  options: WriteOptions = {},
): Promise<WrittenIndex> {
  await mkdir(path.dirname(file), { recursive: true });
  const writer = new IndexWriter(file, options);
  try {
    const sorted = prepareDocuments(documents);
    const { ids, vocabulary } = await writer.tokenize(sorted.map((d) => d.text));
    const plan = planShards(
      ids.map((t) => t.length),
      options.maxShardWords ?? DEFAULT_MAX_SHARD_WORDS,
    );
    const single = plan.length === 1;
    plan.forEach((members, k) => {
      // Each shard gets its own vocabulary, in first-occurrence order within the shard.
      const local = new VocabularyBuilder();
      const map = new Int32Array(vocabulary.words.length).fill(-1);
      const docs: TokenizedDocument[] = members.map((d) => {
        const global = ids[d]!;
        const out = new Uint32Array(global.length);
        for (let i = 0; i < global.length; i++) {
          const g = global[i]!;
          let id = map[g]!;
          if (id < 0) id = map[g] = local.idOf(vocabulary.words[g]!);
          out[i] = id;
        }
        const doc = sorted[d]!;
        return { contributionId: doc.contributionId, datanetId: doc.datanetId, contentHash: doc.contentHash, ids: out };
      });
      writer.addTokenized(docs, local.words, single ? file : writer.shardFile(k + 1));
    });
    return await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
