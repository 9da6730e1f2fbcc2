/**
 * One shard of an attribution index: the words of some contributions (whole documents, ascending
 * contribution id), their vocabulary, and a suffix array over them. A shard answers one question, for
 * any list of query words: how often and where does each k-word seed occur (`seedShard`, then
 * `anchorShard` for the seeds rare enough in the whole index). An index is one shard or
 * many; the engine combines their answers, so results never depend on how the corpus was cut.
 *
 * File layout (little-endian; every section starts at a multiple of 8):
 *
 *   0   8 bytes   magic "OLPOASHD"
 *   8   u32       format version (SHARD_FORMAT_VERSION)
 *   12  u32       length H of the JSON header
 *   16  H bytes   JSON header (ShardHeader): normalisation, document table (contribution id, datanet, content
 *                 hash, first word), word count, vocabulary size, symbol width, section table, and the
 *                 SHA-256 of everything after the header
 *       sections  vocabOffsets  u32 × (V + 1)   byte offset of each word in vocabBytes
 *                 vocabBytes    the V distinct words in UTF-8, in first-occurrence order (word id order)
 *                 hashTable     u32 × T         open addressing (FNV-1a of the UTF-8 bytes), id + 1, 0 = empty
 *                 buckets       u32 × (V + 3)   first suffix-array entry of the suffixes starting with symbol s
 *                 symbols       w bytes × n     the corpus: word id + 2 per word, 1 after each document
 *                 suffixArray   u32 × n
 *
 * The symbols take 3 bytes each while the vocabulary has fewer than 2²⁴ − 2 words, 4 otherwise.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

import { AttributionError } from "./errors.js";
import { buildSuffixArray } from "./suffix-array.js";
import type { Normalization } from "./text.js";

export const SHARD_FORMAT_VERSION = 2;
const MAGIC = "OLPOASHD";
const PREFIX_BYTES = 16;
/** Symbol 1 ends every document; word id w is stored as w + WORD_OFFSET. */
export const SEPARATOR = 1;
export const WORD_OFFSET = 2;
const MAX_SYMBOLS = 0x7fff_ffff;

/** A document of a shard, in corpus order. */
export interface ShardDocument {
  contributionId: bigint;
  datanetId: bigint;
  /** keccak256 of the contribution's bytes as registered on chain, 0x-prefixed lowercase. */
  contentHash: string;
}

/** A document cut into word ids of a shard vocabulary. */
export interface TokenizedDocument extends ShardDocument {
  ids: Uint32Array;
}

interface Section {
  offset: number;
  length: number;
}

/** The JSON header of a shard file. */
export interface ShardHeader {
  format: number;
  normalization: Normalization;
  documents: { contributionIds: string[]; datanets: string[]; contentHashes: string[]; starts: number[] };
  wordCount: number;
  symbolCount: number;
  vocabularySize: number;
  symbolBytes: 3 | 4;
  hashTableSize: number;
  sections: Record<SectionName, Section>;
  bodySha256: string;
}

type SectionName = "vocabOffsets" | "vocabBytes" | "hashTable" | "buckets" | "symbols" | "suffixArray";
const SECTION_ORDER: SectionName[] = ["vocabOffsets", "vocabBytes", "hashTable", "buckets", "symbols", "suffixArray"];

/** A shard in memory, ready to answer seed queries. */
export interface Shard {
  normalization: Normalization;
  documents: ShardDocument[];
  /** Corpus position of each document's first word. */
  documentStarts: Uint32Array;
  wordCount: number;
  vocabularySize: number;
  vocabOffsets: Uint32Array;
  vocabBytes: Uint8Array;
  hashTable: Uint32Array;
  buckets: Uint32Array;
  symbols: Uint32Array;
  suffixArray: Uint32Array;
}

const encoder = new TextEncoder();

/** FNV-1a, 32 bits, of bytes[from, to). */
function fnv1a(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

function hashTableSizeFor(vocabularySize: number): number {
  let size = 8;
  while (size < 2 * vocabularySize) size *= 2;
  return size;
}

/**
 * Builds a shard from documents cut into ids of `vocabulary` (id = position). Documents must be in ascending
 * contribution id. The vocabulary is stored as given: callers assign ids in first-occurrence order, so the
 * same documents always give the same bytes.
 */
export function buildShard(
  documents: readonly TokenizedDocument[],
  vocabulary: readonly string[],
  normalization: Normalization,
): Shard {
  let total = 0;
  for (const d of documents) total += d.ids.length + 1;
  if (total > MAX_SYMBOLS) throw new AttributionError(`A shard holds at most ${MAX_SYMBOLS} words; split the corpus.`);
  const symbols = new Uint32Array(total);
  const documentStarts = new Uint32Array(documents.length);
  let position = 0;
  documents.forEach((d, k) => {
    if (k > 0 && d.contributionId <= documents[k - 1]!.contributionId) {
      throw new AttributionError("A shard's documents must be in ascending contribution id, each once.");
    }
    documentStarts[k] = position;
    const ids = d.ids;
    for (let i = 0; i < ids.length; i++) symbols[position++] = ids[i]! + WORD_OFFSET;
    symbols[position++] = SEPARATOR;
  });
  const alphabet = vocabulary.length + WORD_OFFSET;
  const suffixArray = buildSuffixArray(symbols, alphabet);
  // buckets[s] = first suffix starting with symbol s; buckets[alphabet] = n.
  const buckets = new Uint32Array(alphabet + 1);
  for (let i = 0; i < total; i++) buckets[symbols[i]! + 1]!++;
  for (let s = 1; s <= alphabet; s++) buckets[s] = buckets[s]! + buckets[s - 1]!;

  const encoded = vocabulary.map((w) => encoder.encode(w));
  const vocabOffsets = new Uint32Array(vocabulary.length + 1);
  for (let w = 0; w < encoded.length; w++) vocabOffsets[w + 1] = vocabOffsets[w]! + encoded[w]!.length;
  const vocabBytes = new Uint8Array(vocabOffsets[vocabulary.length]!);
  encoded.forEach((bytes, w) => vocabBytes.set(bytes, vocabOffsets[w]!));
  const tableSize = hashTableSizeFor(vocabulary.length);
  const hashTable = new Uint32Array(tableSize);
  for (let w = 0; w < vocabulary.length; w++) {
    let slot = fnv1a(vocabBytes, vocabOffsets[w]!, vocabOffsets[w + 1]!) & (tableSize - 1);
    while (hashTable[slot] !== 0) slot = (slot + 1) & (tableSize - 1);
    hashTable[slot] = w + 1;
  }
  return {
    normalization: { caseFold: normalization.caseFold, punctuation: normalization.punctuation },
    documents: documents.map((d) => ({
      contributionId: d.contributionId,
      datanetId: d.datanetId,
      contentHash: d.contentHash,
    })),
    documentStarts,
    wordCount: total - documents.length,
    vocabularySize: vocabulary.length,
    vocabOffsets,
    vocabBytes,
    hashTable,
    buckets,
    symbols,
    suffixArray,
  };
}

/** Assigns word ids in first-occurrence order: the vocabulary a shard of these documents gets. */
export class VocabularyBuilder {
  readonly words: string[] = [];
  private readonly ids = new Map<string, number>();

  /** Ids of `list`, adding unseen words. */
  add(list: readonly string[]): Uint32Array {
    const out = new Uint32Array(list.length);
    for (let i = 0; i < list.length; i++) out[i] = this.idOf(list[i]!);
    return out;
  }

  idOf(word: string): number {
    let id = this.ids.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.ids.set(word, id);
      this.words.push(word);
    }
    return id;
  }
}

/** Id of `word` in the shard's vocabulary, or -1. `scratch` holds the word's UTF-8 bytes. */
export function lookupWord(shard: Shard, word: string, scratch: { bytes: Uint8Array }): number {
  if (scratch.bytes.length < 3 * word.length) scratch.bytes = new Uint8Array(3 * word.length + 16);
  const bytes = scratch.bytes;
  const length = encoder.encodeInto(word, bytes).written;
  const table = shard.hashTable;
  const mask = table.length - 1;
  const offsets = shard.vocabOffsets;
  const vocab = shard.vocabBytes;
  for (let slot = fnv1a(bytes, 0, length) & mask; ; slot = (slot + 1) & mask) {
    const entry = table[slot]!;
    if (entry === 0) return -1;
    const w = entry - 1;
    const from = offsets[w]!;
    if (offsets[w + 1]! - from !== length) continue;
    let equal = true;
    for (let b = 0; b < length; b++) {
      if (vocab[from + b] !== bytes[b]) {
        equal = false;
        break;
      }
    }
    if (equal) return w;
  }
}

/** What one shard says about a query's seeds (plain data: a shard may answer from another machine). */
export interface ShardSeeds {
  /** Occurrences in this shard of the seed starting at each query word (0 where no seed fits). */
  counts: Uint32Array;
  /** First suffix-array entry of each seed's occurrences (with counts: the range to list anchors from). */
  ranges: Uint32Array;
}

/** Where a shard's occurrences of the wanted seeds are: seed, document (in the shard's table), word offset. */
export interface ShardAnchors {
  anchorSeed: Int32Array;
  anchorDocument: Int32Array;
  anchorOffset: Int32Array;
}

/** First index in [lo, hi) whose suffix has a symbol ≥ `value` at `depth` (absent symbols count as -1). */
function lowerBound(shard: Shard, lo: number, hi: number, depth: number, value: number): number {
  const sa = shard.suffixArray;
  const sym = shard.symbols;
  const n = sym.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const p = sa[mid]! + depth;
    const s = p < n ? sym[p]! : -1;
    if (s < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Step 1 of a query, per shard: for each query position i, how often the seed query[i, i + seedWords) occurs
 * in the shard, and where its suffix-array range starts. Query words are looked up in the shard's
 * vocabulary; a seed with an unknown word occurs nowhere.
 */
export function seedShard(shard: Shard, queryWords: readonly string[], seedWords: number): ShardSeeds {
  const m = queryWords.length;
  const scratch = { bytes: new Uint8Array(64) };
  const cache = new Map<string, number>();
  const q = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    const word = queryWords[i]!;
    let id = cache.get(word);
    if (id === undefined) {
      id = lookupWord(shard, word, scratch);
      cache.set(word, id);
    }
    q[i] = id < 0 ? -1 : id + WORD_OFFSET;
  }
  const counts = new Uint32Array(m);
  const ranges = new Uint32Array(m);
  let unknownUntil = -1; // last unknown word seen in the window
  for (let i = 0; i + seedWords <= m; i++) {
    for (let j = Math.max(i, unknownUntil + 1); j < i + seedWords; j++) if (q[j]! < 0) unknownUntil = j;
    if (unknownUntil >= i) continue;
    const first = q[i]!;
    let lo = shard.buckets[first]!;
    let hi = shard.buckets[first + 1]!;
    for (let depth = 1; depth < seedWords && lo < hi; depth++) {
      const v = q[i + depth]!;
      lo = lowerBound(shard, lo, hi, depth, v);
      hi = lowerBound(shard, lo, hi, depth, v + 1);
    }
    counts[i] = hi - lo;
    ranges[i] = lo;
  }
  return { counts, ranges };
}

/**
 * Step 2, per shard: the occurrences of the seeds the engine keeps (`wanted[i]` = 1: rare enough in the
 * whole index), each as its document in this shard and its word offset there.
 */
export function anchorShard(shard: Shard, seeds: ShardSeeds, wanted: Uint8Array): ShardAnchors {
  const out: number[] = [];
  const docs: number[] = [];
  const offsets: number[] = [];
  const starts = shard.documentStarts;
  for (let i = 0; i < seeds.counts.length; i++) {
    if (wanted[i] !== 1) continue;
    const lo = seeds.ranges[i]!;
    const hi = lo + seeds.counts[i]!;
    for (let r = lo; r < hi; r++) {
      const p = shard.suffixArray[r]!;
      let a = 0;
      let b = starts.length - 1;
      while (a < b) {
        const mid = (a + b + 1) >>> 1;
        if (starts[mid]! <= p) a = mid;
        else b = mid - 1;
      }
      out.push(i);
      docs.push(a);
      offsets.push(p - starts[a]!);
    }
  }
  return {
    anchorSeed: Int32Array.from(out),
    anchorDocument: Int32Array.from(docs),
    anchorOffset: Int32Array.from(offsets),
  };
}

const pad8 = (n: number) => (8 - (n % 8)) % 8;

function assertLittleEndian(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new AttributionError("Attribution indexes are little-endian; this machine is not.");
  }
}

const bytesOf = (a: Uint32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function packSymbols(symbols: Uint32Array, width: 3 | 4): Uint8Array {
  if (width === 4) return bytesOf(symbols);
  const out = new Uint8Array(symbols.length * 3);
  for (let i = 0, j = 0; i < symbols.length; i++, j += 3) {
    const v = symbols[i]!;
    out[j] = v & 0xff;
    out[j + 1] = (v >>> 8) & 0xff;
    out[j + 2] = v >>> 16;
  }
  return out;
}

function unpackSymbols(bytes: Uint8Array, n: number, width: 3 | 4): Uint32Array {
  const out = new Uint32Array(n);
  if (width === 4) {
    out.set(new Uint32Array(bytes.slice(0, 4 * n).buffer));
    return out;
  }
  for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = bytes[j]! | (bytes[j + 1]! << 8) | (bytes[j + 2]! << 16);
  return out;
}

/**
 * The shard as file parts (header, then sections with their padding): write them in order, or concatenate.
 * The header carries the SHA-256 of everything after it, computed incrementally over the parts.
 */
export function serializeShard(shard: Shard): Uint8Array[] {
  assertLittleEndian();
  const width: 3 | 4 = shard.vocabularySize + WORD_OFFSET < 1 << 24 ? 3 : 4;
  const bodies: Record<SectionName, Uint8Array> = {
    vocabOffsets: bytesOf(shard.vocabOffsets),
    vocabBytes: shard.vocabBytes,
    hashTable: bytesOf(shard.hashTable),
    buckets: bytesOf(shard.buckets),
    symbols: packSymbols(shard.symbols, width),
    suffixArray: bytesOf(shard.suffixArray),
  };
  const body: Uint8Array[] = [];
  const sections = {} as Record<SectionName, Section>;
  let offset = 0;
  const hash = sha256.create();
  for (const name of SECTION_ORDER) {
    const bytes = bodies[name];
    sections[name] = { offset, length: bytes.length };
    const padding = new Uint8Array(pad8(bytes.length));
    body.push(bytes, padding);
    hash.update(bytes).update(padding);
    offset += bytes.length + padding.length;
  }
  const header: ShardHeader = {
    format: SHARD_FORMAT_VERSION,
    normalization: shard.normalization,
    documents: {
      contributionIds: shard.documents.map((d) => d.contributionId.toString()),
      datanets: shard.documents.map((d) => d.datanetId.toString()),
      contentHashes: shard.documents.map((d) => d.contentHash),
      starts: [...shard.documentStarts],
    },
    wordCount: shard.wordCount,
    symbolCount: shard.symbols.length,
    vocabularySize: shard.vocabularySize,
    symbolBytes: width,
    hashTableSize: shard.hashTable.length,
    sections,
    bodySha256: `0x${bytesToHex(hash.digest())}`,
  };
  const json = encoder.encode(JSON.stringify(header));
  const prefix = new Uint8Array(PREFIX_BYTES + json.length + pad8(PREFIX_BYTES + json.length));
  prefix.set(encoder.encode(MAGIC), 0);
  const view = new DataView(prefix.buffer);
  view.setUint32(8, SHARD_FORMAT_VERSION, true);
  view.setUint32(12, json.length, true);
  prefix.set(json, PREFIX_BYTES);
  return [prefix, ...body];
}

/** Whether `bytes` start like a shard file. */
export function isShardFile(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && new TextDecoder().decode(bytes.subarray(0, 8)) === MAGIC;
}

/** Reads the header of a shard file from its first bytes; returns it and where the body starts. */
export function readShardHeader(
  prefix: Uint8Array,
  source: string,
  readMore?: (length: number) => Uint8Array,
): { header: ShardHeader; bodyOffset: number } {
  const fail = (what: string): never => {
    throw new AttributionError(`${source} is not a usable attribution index: ${what}.`);
  };
  if (!isShardFile(prefix) || prefix.length < PREFIX_BYTES) fail("it does not start with the index magic");
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const version = view.getUint32(8, true);
  if (version !== SHARD_FORMAT_VERSION) fail(`format version ${version}, this engine reads ${SHARD_FORMAT_VERSION}`);
  const length = view.getUint32(12, true);
  let bytes = prefix;
  if (PREFIX_BYTES + length > bytes.length) {
    if (readMore === undefined) return fail("its header is truncated");
    bytes = readMore(PREFIX_BYTES + length);
    if (PREFIX_BYTES + length > bytes.length) fail("its header is truncated");
  }
  let header: ShardHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + length))) as ShardHeader;
  } catch {
    return fail("its header is not JSON");
  }
  const d = header.documents;
  if (
    typeof header.wordCount !== "number" ||
    typeof header.symbolCount !== "number" ||
    (header.symbolBytes !== 3 && header.symbolBytes !== 4) ||
    d === undefined ||
    !Array.isArray(d.contributionIds) ||
    d.contributionIds.length !== d.datanets?.length ||
    d.contributionIds.length !== d.contentHashes?.length ||
    d.contributionIds.length !== d.starts?.length ||
    header.sections === undefined ||
    SECTION_ORDER.some((name) => header.sections[name] === undefined)
  ) {
    fail("its header is malformed");
  }
  return { header, bodyOffset: PREFIX_BYTES + length + pad8(PREFIX_BYTES + length) };
}

/** The body length a header describes. */
export function bodyLength(header: ShardHeader): number {
  const last = header.sections.suffixArray;
  return last.offset + last.length + pad8(last.length);
}

/**
 * A shard from its header and body bytes (everything after the header). With `verify`, the body's SHA-256
 * is checked first (incrementally, ~190 MB/s in JavaScript).
 */
export function shardFromBody(header: ShardHeader, body: Uint8Array, source: string, verify = true): Shard {
  assertLittleEndian();
  const fail = (what: string): never => {
    throw new AttributionError(`${source} is not a usable attribution index: ${what}.`);
  };
  if (body.length !== bodyLength(header)) fail(`its body should be ${bodyLength(header)} bytes, not ${body.length}`);
  if (verify) {
    const hash = sha256.create();
    const chunk = 1 << 22;
    for (let at = 0; at < body.length; at += chunk) hash.update(body.subarray(at, Math.min(body.length, at + chunk)));
    if (`0x${bytesToHex(hash.digest())}` !== header.bodySha256) fail("its SHA-256 does not match its contents");
  }
  const u32 = (name: SectionName): Uint32Array => {
    const s = header.sections[name];
    const at = body.byteOffset + s.offset;
    return at % 4 === 0
      ? new Uint32Array(body.buffer, at, s.length / 4)
      : new Uint32Array(body.slice(s.offset, s.offset + s.length).buffer);
  };
  const section = (name: SectionName) =>
    body.subarray(header.sections[name].offset, header.sections[name].offset + header.sections[name].length);
  const n = header.symbolCount;
  const d = header.documents;
  return {
    normalization: header.normalization,
    documents: d.contributionIds.map((id, k) => ({
      contributionId: BigInt(id),
      datanetId: BigInt(d.datanets[k]!),
      contentHash: d.contentHashes[k]!,
    })),
    documentStarts: Uint32Array.from(d.starts),
    wordCount: header.wordCount,
    vocabularySize: header.vocabularySize,
    vocabOffsets: u32("vocabOffsets"),
    vocabBytes: section("vocabBytes"),
    hashTable: u32("hashTable"),
    buckets: u32("buckets"),
    symbols: unpackSymbols(section("symbols"), n, header.symbolBytes),
    suffixArray: u32("suffixArray"),
  };
}

/** Bytes a loaded shard occupies in memory. */
export function shardMemoryBytes(shard: Shard): number {
  return (
    shard.vocabOffsets.byteLength +
    shard.vocabBytes.byteLength +
    shard.hashTable.byteLength +
    shard.buckets.byteLength +
    shard.symbols.byteLength +
    shard.suffixArray.byteLength +
    shard.documentStarts.byteLength
  );
}
