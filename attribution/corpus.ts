/**
 * The attribution index: the tokenized text of datanet contributions, concatenated with a separator
 * after each document, and the suffix array over it. Saved as one binary file and loaded without
 * rebuilding anything but the document start table.
 *
 * Binary layout (little-endian):
 *
 *   0   8 bytes   magic "OLPOAIDX"
 *   8   u32       format version (INDEX_FORMAT_VERSION)
 *   12  u32       length H of the JSON header
 *   16  H bytes   JSON header: tokenizer, token count, datanet ids, the contribution id and datanet of each
 *                 document in corpus order, the corpus hash and the suffix array's SHA-256
 *       …         zero padding to a multiple of 4
 *       3·n bytes the n corpus symbols, 24 bits each
 *       …         zero padding to a multiple of 4
 *       4·n bytes the suffix array (u32 positions)
 *
 * Symbols: 1 ends a document, a token id t is stored as t + 2 (0 is the suffix array's virtual sentinel,
 * never stored). A query holds only tokens, so no match can cross a document boundary.
 */
import { concat, sha256, toUtf8Bytes } from "ethers";

import { buildSuffixArray, type TokenSequence } from "./suffix-array.js";
import { TOKENIZER, VOCABULARY_SIZE, tokenize } from "./tokenizer.js";

export const INDEX_FORMAT_VERSION = 1;
const MAGIC = "OLPOAIDX";
const PREFIX_BYTES = 16;

/** The symbol that ends every document. */
export const SEPARATOR = 1;
/** Token id t is stored as t + TOKEN_OFFSET. */
export const TOKEN_OFFSET = 2;
const ALPHABET_SIZE = VOCABULARY_SIZE + TOKEN_OFFSET;
const MAX_SYMBOLS = 2 ** 32 - 1;

/** Bad input to the engine: an unreadable index, a duplicate document, a wrong tokenizer. */
export class AttributionError extends Error {
  override name = "AttributionError";
}

/** One contribution's text. */
export interface CorpusDocument {
  contributionId: bigint;
  /** The datanet it belongs to (0 when unknown, e.g. a folder indexed without a deployment). */
  datanetId: bigint;
  text: string;
}

/** Corpus symbols packed in 24 bits each: 3 bytes per token instead of 4. */
export class PackedTokens implements TokenSequence {
  readonly length: number;

  constructor(readonly bytes: Uint8Array) {
    if (bytes.length % 3 !== 0) throw new AttributionError("Packed tokens must be a multiple of 3 bytes.");
    this.length = bytes.length / 3;
  }

  static pack(symbols: Uint32Array): PackedTokens {
    const bytes = new Uint8Array(symbols.length * 3);
    for (let i = 0, j = 0; i < symbols.length; i++, j += 3) {
      const v = symbols[i]!;
      bytes[j] = v & 0xff;
      bytes[j + 1] = (v >>> 8) & 0xff;
      bytes[j + 2] = v >>> 16;
    }
    return new PackedTokens(bytes);
  }

  at(index: number): number | undefined {
    if (index < 0 || index >= this.length) return undefined;
    const j = index * 3;
    const b = this.bytes;
    return b[j]! | (b[j + 1]! << 8) | (b[j + 2]! << 16);
  }
}

/** A loaded or freshly built index. */
export interface AttributionIndex {
  tokenizer: string;
  /** Datanets whose contributions the index holds, ascending. */
  datanetIds: bigint[];
  /** Per document, in corpus order (ascending contribution id): its contribution id and datanet. */
  contributionIds: bigint[];
  documentDatanets: bigint[];
  /** Position of each document's first symbol. */
  documentStarts: Uint32Array;
  /** Number of tokens, separators excluded. */
  tokenCount: number;
  symbols: PackedTokens;
  suffixArray: Uint32Array;
  /** SHA-256 of the document table and the packed symbols: identifies the corpus. */
  corpusHash: string;
}

function documentTable(contributionIds: bigint[], documentDatanets: bigint[]) {
  return { contributionIds: contributionIds.map(String), datanets: documentDatanets.map(String) };
}

function hashCorpus(contributionIds: bigint[], documentDatanets: bigint[], symbols: PackedTokens): string {
  const table = toUtf8Bytes(JSON.stringify(documentTable(contributionIds, documentDatanets)));
  return sha256(concat([table, symbols.bytes]));
}

/** The datanets of the documents, each once, ascending. */
function distinctSorted(ids: bigint[]): bigint[] {
  return [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function hashSuffixArray(suffixArray: Uint32Array): string {
  return sha256(new Uint8Array(suffixArray.buffer, suffixArray.byteOffset, suffixArray.byteLength));
}

/** Tokenizes `documents` and builds the index (documents in ascending contribution id). */
export function buildIndex(documents: readonly CorpusDocument[]): AttributionIndex {
  const sorted = [...documents].sort((a, b) =>
    a.contributionId < b.contributionId ? -1 : a.contributionId > b.contributionId ? 1 : 0,
  );
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.contributionId === sorted[i - 1]!.contributionId) {
      throw new AttributionError(`Contribution ${sorted[i]!.contributionId} is given twice.`);
    }
  }
  const tokenized = sorted.map((d) => tokenize(d.text));
  const total = tokenized.reduce((sum, t) => sum + t.length + 1, 0);
  if (total > MAX_SYMBOLS)
    throw new AttributionError(`The corpus has ${total} symbols; an index holds at most ${MAX_SYMBOLS}.`);
  const symbols = new Uint32Array(total);
  const documentStarts = new Uint32Array(sorted.length);
  let position = 0;
  tokenized.forEach((tokens, d) => {
    documentStarts[d] = position;
    for (let i = 0; i < tokens.length; i++) symbols[position++] = tokens[i]! + TOKEN_OFFSET;
    symbols[position++] = SEPARATOR;
  });
  const packed = PackedTokens.pack(symbols);
  const contributionIds = sorted.map((d) => d.contributionId);
  const documentDatanets = sorted.map((d) => d.datanetId);
  return {
    tokenizer: TOKENIZER,
    datanetIds: distinctSorted(documentDatanets),
    contributionIds,
    documentDatanets,
    documentStarts,
    tokenCount: total - sorted.length,
    symbols: packed,
    suffixArray: buildSuffixArray(symbols, ALPHABET_SIZE),
    corpusHash: hashCorpus(contributionIds, documentDatanets, packed),
  };
}

const pad4 = (n: number) => (4 - (n % 4)) % 4;

function assertLittleEndian(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new AttributionError("Attribution indexes are little-endian; this machine is not.");
  }
}

/** The index as bytes (see the layout above). */
export function serializeIndex(index: AttributionIndex): Uint8Array {
  assertLittleEndian();
  const header = toUtf8Bytes(
    JSON.stringify({
      tokenizer: index.tokenizer,
      tokenCount: index.tokenCount,
      symbolCount: index.symbols.length,
      datanetIds: index.datanetIds.map(String),
      documents: documentTable(index.contributionIds, index.documentDatanets),
      corpusHash: index.corpusHash,
      suffixArrayHash: hashSuffixArray(index.suffixArray),
    }),
  );
  const n = index.symbols.length;
  const symbolsAt = PREFIX_BYTES + header.length + pad4(PREFIX_BYTES + header.length);
  const suffixAt = symbolsAt + 3 * n + pad4(3 * n);
  const bytes = new Uint8Array(suffixAt + 4 * n);
  bytes.set(toUtf8Bytes(MAGIC), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, INDEX_FORMAT_VERSION, true);
  view.setUint32(12, header.length, true);
  bytes.set(header, PREFIX_BYTES);
  bytes.set(index.symbols.bytes, symbolsAt);
  bytes.set(new Uint8Array(index.suffixArray.buffer, index.suffixArray.byteOffset, 4 * n), suffixAt);
  return bytes;
}

/** Reads an index written by serializeIndex; checks its format, tokenizer, sizes and corpus hash. */
export function deserializeIndex(bytes: Uint8Array, source = "The index"): AttributionIndex {
  assertLittleEndian();
  const fail = (what: string): never => {
    throw new AttributionError(`${source} is not a usable attribution index: ${what}.`);
  };
  if (bytes.length < PREFIX_BYTES || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    fail("it does not start with the index magic");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== INDEX_FORMAT_VERSION) fail(`format version ${version}, this engine reads ${INDEX_FORMAT_VERSION}`);
  const headerLength = view.getUint32(12, true);
  if (PREFIX_BYTES + headerLength > bytes.length) fail("its header is truncated");
  let header: {
    tokenizer?: unknown;
    tokenCount?: unknown;
    symbolCount?: unknown;
    documents?: { contributionIds?: unknown; datanets?: unknown };
    corpusHash?: unknown;
    suffixArrayHash?: unknown;
  };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength)));
  } catch {
    return fail("its header is not JSON");
  }
  if (header.tokenizer !== TOKENIZER) fail(`it was built with tokenizer ${String(header.tokenizer)}, not ${TOKENIZER}`);
  const n = header.symbolCount;
  const ids = header.documents?.contributionIds;
  const datanets = header.documents?.datanets;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) return fail("its symbol count is missing");
  if (!Array.isArray(ids) || !Array.isArray(datanets) || ids.length !== datanets.length) {
    return fail("its document table is malformed");
  }
  const symbolsAt = PREFIX_BYTES + headerLength + pad4(PREFIX_BYTES + headerLength);
  const suffixAt = symbolsAt + 3 * n + pad4(3 * n);
  if (bytes.length !== suffixAt + 4 * n) fail(`it should be ${suffixAt + 4 * n} bytes long, not ${bytes.length}`);

  const symbols = new PackedTokens(bytes.subarray(symbolsAt, symbolsAt + 3 * n));
  const aligned = (bytes.byteOffset + suffixAt) % 4 === 0;
  const suffixArray = aligned
    ? new Uint32Array(bytes.buffer, bytes.byteOffset + suffixAt, n)
    : new Uint32Array(bytes.slice(suffixAt, suffixAt + 4 * n).buffer);
  const contributionIds = ids.map((id) => BigInt(String(id)));
  const documentDatanets = datanets.map((id) => BigInt(String(id)));
  if (hashCorpus(contributionIds, documentDatanets, symbols) !== header.corpusHash) {
    fail("its corpus hash does not match its contents");
  }
  if (hashSuffixArray(suffixArray) !== header.suffixArrayHash) fail("its suffix array hash does not match");
  // Document starts: after each separator.
  const documentStarts = new Uint32Array(ids.length);
  let d = 0;
  let start = 0;
  for (let i = 0; i < n; i++) {
    if (symbols.at(i) === SEPARATOR) {
      if (d >= ids.length) fail("it has more documents than its table");
      documentStarts[d++] = start;
      start = i + 1;
    }
  }
  if (d !== ids.length) fail("it has fewer documents than its table");
  return {
    tokenizer: TOKENIZER,
    datanetIds: distinctSorted(documentDatanets),
    contributionIds,
    documentDatanets,
    documentStarts,
    tokenCount: n - ids.length,
    symbols,
    suffixArray,
    corpusHash: String(header.corpusHash),
  };
}

/** The document holding corpus position `position`. */
export function documentAt(index: AttributionIndex, position: number): number {
  const starts = index.documentStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= position) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Bytes the index occupies in memory: symbols, suffix array and document starts. */
export function indexMemoryBytes(index: AttributionIndex): number {
  return index.symbols.bytes.byteLength + index.suffixArray.byteLength + index.documentStarts.byteLength;
}
