/**
 * The attribution index: the contributions' words in one or more shards (see shard.ts), with the global
 * document table, and its commitment: the identifier a settlement names so anyone can rebuild the index and
 * recompute a report's weights byte for byte.
 *
 * An index in memory holds its shards as sources that load on demand: `buildIndex` keeps them in memory;
 * the Node-only files module (`attribution/node/files.ts`) reads each shard file from disk the first time
 * a query needs it. Everything here is browser-safe.
 */
import { AbiCoder, keccak256, toUtf8Bytes } from "ethers";

import { AttributionError } from "./errors.js";
import {
  VocabularyBuilder,
  buildShard,
  bodyLength,
  readShardHeader,
  serializeShard,
  shardFromBody,
  type Shard,
  type ShardDocument,
  type TokenizedDocument,
} from "./shard.js";
import { DEFAULT_NORMALIZATION, words, type Normalization } from "./text.js";

export { AttributionError } from "./errors.js";

/** The engine's name and version in every commitment: a change that moves any weight bumps it. */
export const ENGINE_VERSION = "openledger-poa/2";
/** Format of the commitment's preimage (see indexCommitment). */
export const COMMITMENT_DOMAIN = "OpenLedger attribution index v1";
/** Kept for callers of the first engine: the shard file format is the index format. */
export const INDEX_FORMAT_VERSION = 2;

/** One contribution's text. */
export interface CorpusDocument {
  contributionId: bigint;
  /** The datanet it belongs to (0 when unknown, e.g. a folder indexed without a deployment). */
  datanetId: bigint;
  text: string;
  /**
   * keccak256 of the contribution's bytes as registered on chain (0x bytes32). Default: keccak256 of the
   * text's UTF-8 bytes, which is what `datanet contribute --file` registers for a UTF-8 file.
   */
  contentHash?: string;
}

/**
 * The scoring parameters (see score.ts for what each does). They are part of the commitment: a report's
 * weights can be recomputed only with the same values.
 */
export interface EngineParameters {
  /** Words per seed: the shortest exact match that counts as evidence. */
  seedWords: number;
  /** A seed found more often than this in the whole index is common text: no evidence, no anchor. */
  maxSeedOccurrences: number;
  /** Evidence of one seed found once; a seed found c times gives each occurrence ⌊seedEvidence / c⌋. */
  seedEvidence: number;
  /** Longest gap (words of the output or of the contribution) a chain bridges between two exact matches. */
  maxGapWords: number;
  /** Evidence a chain loses per word of gap it bridges. */
  gapCost: number;
  /** Evidence a chain loses per word inserted or deleted (shift of the diagonal) between two matches. */
  shiftCost: number;
  /** Least evidence for a chain to be credited at all. */
  minChainEvidence: number;
  /** Text claimed equally by more contributions than this is common text: credited to nobody. */
  maxDocumentsPerRegion: number;
}

export const DEFAULT_PARAMETERS: Readonly<EngineParameters> = Object.freeze({
  seedWords: 3,
  maxSeedOccurrences: 64,
  seedEvidence: 1000,
  maxGapWords: 16,
  gapCost: 50,
  shiftCost: 200,
  minChainEvidence: 2000,
  maxDocumentsPerRegion: 16,
});

/** Checks parameters, naming the bad one. */
export function checkParameters(p: EngineParameters): EngineParameters {
  const positive: (keyof EngineParameters)[] = [
    "seedWords",
    "maxSeedOccurrences",
    "seedEvidence",
    "maxDocumentsPerRegion",
  ];
  const nonNegative: (keyof EngineParameters)[] = ["maxGapWords", "gapCost", "shiftCost", "minChainEvidence"];
  for (const key of [...positive, ...nonNegative]) {
    const v = p[key];
    const min = positive.includes(key) ? 1 : 0;
    if (!Number.isSafeInteger(v) || v < min || v > 1e9) {
      throw new AttributionError(`The engine parameter ${key} must be a whole number ≥ ${min}, not ${String(v)}.`);
    }
  }
  return p;
}

/** A shard of an index, loaded when a query first needs it. */
export interface ShardSource {
  /** Its documents, ascending contribution id. */
  readonly documents: readonly ShardDocument[];
  readonly wordCount: number;
  /** Where it is (a file name, "memory"): for messages only, never part of the commitment. */
  readonly location: string;
  load(): Shard;
}

/** A loaded or freshly built index. */
export interface AttributionIndex {
  normalization: Normalization;
  /** Datanets whose contributions the index holds, ascending. */
  datanetIds: bigint[];
  /** Per document, ascending contribution id across all shards. */
  contributionIds: bigint[];
  documentDatanets: bigint[];
  contentHashes: string[];
  /** Words in the index (separators excluded). */
  wordCount: number;
  /** @deprecated The index counts words now; this is wordCount. */
  tokenCount: number;
  shards: ShardSource[];
  /** For each shard, the global document index of each of its documents. */
  shardDocuments: Int32Array[];
}

const compareBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

function normalizeHash(hash: string, id: bigint): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(hash)) {
    throw new AttributionError(`The content hash of contribution ${id} must be a 0x bytes32, not ${hash}.`);
  }
  return hash.toLowerCase();
}

/** keccak256 of a text's UTF-8 bytes: the content hash of a document registered from a UTF-8 file. */
export function textContentHash(text: string): string {
  return keccak256(toUtf8Bytes(text));
}

/** An index over shard sources; checks that they agree and that no contribution is in two. */
export function indexOfShards(shards: ShardSource[], normalization: Normalization): AttributionIndex {
  const all: { doc: ShardDocument; shard: number; local: number }[] = [];
  shards.forEach((s, k) => s.documents.forEach((doc, local) => all.push({ doc, shard: k, local })));
  all.sort((a, b) => compareBig(a.doc.contributionId, b.doc.contributionId));
  for (let i = 1; i < all.length; i++) {
    if (all[i]!.doc.contributionId === all[i - 1]!.doc.contributionId) {
      throw new AttributionError(`Contribution ${all[i]!.doc.contributionId} is given twice.`);
    }
  }
  const shardDocuments = shards.map((s) => new Int32Array(s.documents.length));
  all.forEach((entry, g) => (shardDocuments[entry.shard]![entry.local] = g));
  const documentDatanets = all.map((e) => e.doc.datanetId);
  const wordCount = shards.reduce((sum, s) => sum + s.wordCount, 0);
  return {
    normalization,
    datanetIds: [...new Set(documentDatanets)].sort(compareBig),
    contributionIds: all.map((e) => e.doc.contributionId),
    documentDatanets,
    contentHashes: all.map((e) => e.doc.contentHash),
    wordCount,
    tokenCount: wordCount,
    shards,
    shardDocuments,
  };
}

function memorySource(shard: Shard): ShardSource {
  return { documents: shard.documents, wordCount: shard.wordCount, location: "memory", load: () => shard };
}

export interface BuildOptions {
  normalization?: Normalization;
  /** Cut the corpus into shards of at most this many words (whole documents; default: one shard). */
  maxShardWords?: number;
}

/** The documents sorted by contribution id, each once, with their content hashes. */
export function prepareDocuments(documents: readonly CorpusDocument[]): (CorpusDocument & { contentHash: string })[] {
  const sorted = [...documents].sort((a, b) => compareBig(a.contributionId, b.contributionId));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.contributionId === sorted[i - 1]!.contributionId) {
      throw new AttributionError(`Contribution ${sorted[i]!.contributionId} is given twice.`);
    }
  }
  return sorted.map((d) => ({
    ...d,
    contentHash: normalizeHash(d.contentHash ?? textContentHash(d.text), d.contributionId),
  }));
}

/**
 * Cuts documents (ascending contribution id, each with its word count) into consecutive shards of at most
 * `maxShardWords` words; a document longer than that is a shard of its own.
 */
export function planShards(wordCounts: readonly number[], maxShardWords: number): number[][] {
  const plan: number[][] = [];
  let current: number[] = [];
  let words = 0;
  wordCounts.forEach((count, d) => {
    if (current.length > 0 && words + count + 1 > maxShardWords) {
      plan.push(current);
      current = [];
      words = 0;
    }
    current.push(d);
    words += count + 1;
  });
  if (current.length > 0 || plan.length === 0) plan.push(current);
  return plan;
}

/** Builds an index in memory (tokenizing on this thread; the Node build uses worker threads). */
export function buildIndex(documents: readonly CorpusDocument[], options: BuildOptions = {}): AttributionIndex {
  const normalization = options.normalization ?? DEFAULT_NORMALIZATION;
  const sorted = prepareDocuments(documents);
  const tokenized = sorted.map((d) => words(d.text, normalization));
  const plan = planShards(
    tokenized.map((t) => t.length),
    options.maxShardWords ?? Number.MAX_SAFE_INTEGER,
  );
  const shards = plan.map((members) => {
    const vocabulary = new VocabularyBuilder();
    const docs: TokenizedDocument[] = members.map((d) => ({
      contributionId: sorted[d]!.contributionId,
      datanetId: sorted[d]!.datanetId,
      contentHash: sorted[d]!.contentHash,
      ids: vocabulary.add(tokenized[d]!),
    }));
    return memorySource(buildShard(docs, vocabulary.words, normalization));
  });
  return indexOfShards(shards, normalization);
}

/** A one-shard index as bytes (a shard file). Sharded indexes are written by the Node files module. */
export function serializeIndex(index: AttributionIndex): Uint8Array {
  if (index.shards.length !== 1) {
    throw new AttributionError(`This index has ${index.shards.length} shards; write it with writeIndexFiles.`);
  }
  const parts = serializeShard(index.shards[0]!.load());
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Reads a one-shard index from bytes (a shard file), checking its format and SHA-256. */
export function deserializeIndex(bytes: Uint8Array, source = "The index", verify = true): AttributionIndex {
  const { header, bodyOffset } = readShardHeader(bytes, source);
  if (bytes.length !== bodyOffset + bodyLength(header)) {
    throw new AttributionError(
      `${source} is not a usable attribution index: it should be ${bodyOffset + bodyLength(header)} bytes long, not ${bytes.length}.`,
    );
  }
  const shard = shardFromBody(header, bytes.subarray(bodyOffset), source, verify);
  return indexOfShards([memorySource(shard)], shard.normalization);
}

/**
 * The parameters string of the commitment: canonical JSON, keys in this order, no spaces, e.g.
 * {"engine":"openledger-poa/2","caseFold":true,"punctuation":"strip","seedWords":4,…}.
 */
export function parametersJson(normalization: Normalization, parameters: EngineParameters): string {
  const p = checkParameters(parameters);
  return JSON.stringify({
    engine: ENGINE_VERSION,
    caseFold: normalization.caseFold,
    punctuation: normalization.punctuation,
    seedWords: p.seedWords,
    maxSeedOccurrences: p.maxSeedOccurrences,
    seedEvidence: p.seedEvidence,
    maxGapWords: p.maxGapWords,
    gapCost: p.gapCost,
    shiftCost: p.shiftCost,
    minChainEvidence: p.minChainEvidence,
    maxDocumentsPerRegion: p.maxDocumentsPerRegion,
  });
}

/**
 * The index commitment: keccak256 of the ABI encoding
 *
 *   abi.encode(string COMMITMENT_DOMAIN, string parametersJson, uint256[] contributionIds, bytes32[] contentHashes)
 *
 * with the contributions in ascending id and each one's on-chain content hash. It names what was indexed
 * and how, never where or when: the same contributions and parameters give the same commitment whether
 * the index is one file or many shards, built on any machine. Lowercase 0x-prefixed, 64 hex digits.
 */
export function indexCommitment(index: AttributionIndex, parameters: EngineParameters = DEFAULT_PARAMETERS): string {
  const key = parametersJson(index.normalization, parameters);
  let cached = commitments.get(index);
  if (cached === undefined) commitments.set(index, (cached = new Map()));
  let commitment = cached.get(key);
  if (commitment === undefined) {
    commitment = commitmentOf(index.contributionIds, index.contentHashes, index.normalization, parameters);
    cached.set(key, commitment);
  }
  return commitment;
}

/** Commitments already computed, per index and parameters string (an index's documents never change). */
const commitments = new WeakMap<AttributionIndex, Map<string, string>>();

/** The commitment from its inputs (see indexCommitment). */
export function commitmentOf(
  contributionIds: readonly bigint[],
  contentHashes: readonly string[],
  normalization: Normalization,
  parameters: EngineParameters = DEFAULT_PARAMETERS,
): string {
  const order = contributionIds.map((_, i) => i).sort((a, b) => compareBig(contributionIds[a]!, contributionIds[b]!));
  const encoded = AbiCoder.defaultAbiCoder().encode(
    ["string", "string", "uint256[]", "bytes32[]"],
    [
      COMMITMENT_DOMAIN,
      parametersJson(normalization, parameters),
      order.map((i) => contributionIds[i]!),
      order.map((i) => normalizeHash(contentHashes[i]!, contributionIds[i]!)),
    ],
  );
  return keccak256(encoded);
}

/** The document holding global position `position` of a shard (its local index). */
export function documentAt(starts: Uint32Array, position: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= position) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
