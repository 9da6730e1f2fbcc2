/**
 * Pattern search over a suffix array (see suffix-array.ts): the range of suffixes starting with a pattern,
 * and matching statistics of a query against the text.
 *
 * Ranges are found by binary search. Each search keeps the longest common prefix of the pattern with the
 * suffixes at both ends of the current interval; every suffix strictly in between shares at least the
 * smaller of the two, so comparisons resume there instead of at token 0 (Manber & Myers' "mlr" heuristic).
 * Narrowing a range by one more token therefore costs one token read per probe.
 */
import type { TokenSequence } from "./suffix-array.js";

/**
 * Token reads for the searches. Typed arrays and arrays are indexed directly: V8 does not inline
 * `TypedArray.prototype.at`, which made queries several times slower.
 */
interface Reader {
  get(index: number): number;
}

class IndexedReader implements Reader {
  readonly tokens: ArrayLike<number>;
  constructor(tokens: ArrayLike<number>) {
    this.tokens = tokens;
  }
  get(index: number): number {
    return this.tokens[index]!;
  }
}

class SequenceReader implements Reader {
  readonly tokens: TokenSequence;
  constructor(tokens: TokenSequence) {
    this.tokens = tokens;
  }
  get(index: number): number {
    return this.tokens.at(index)!;
  }
}

function readerOf(text: TokenSequence): Reader {
  return ArrayBuffer.isView(text) || Array.isArray(text)
    ? new IndexedReader(text as unknown as ArrayLike<number>)
    : new SequenceReader(text);
}

/** Result slots of `narrow`, to avoid allocating an object per probe. */
let foundLo = 0;
let foundHi = 0;

/**
 * Narrows [lo, hi) to the suffixes starting with pat[pStart, pStart + pLength), given that every suffix in
 * [lo, hi) already starts with pat[pStart, pStart + depth). The result is left in foundLo/foundHi; when it is
 * empty, foundLo = foundHi is where the pattern would be inserted.
 */
function narrow(
  text: Reader,
  n: number,
  sa: Uint32Array,
  pat: Float64Array,
  pStart: number,
  pLength: number,
  lo: number,
  hi: number,
  depth: number,
): void {
  // Lower bound: first suffix that is not smaller than the pattern. Invariant: suffix at L < pattern <= suffix
  // at R, where L = lo - 1 and R = hi are virtual and share `depth` tokens with the pattern.
  let left = lo - 1;
  let right = hi;
  let lcpLeft = depth;
  let lcpRight = depth;
  // Tightest suffix seen that is greater than the pattern without starting with it: it bounds the upper search.
  let above = hi;
  let lcpAbove = depth;
  // Last suffix seen that starts with the pattern (the first such probe: later ones lie to its left).
  let matched = -1;
  while (right - left > 1) {
    const mid = (left + right) >>> 1;
    const pos = sa[mid]!;
    let l = lcpLeft < lcpRight ? lcpLeft : lcpRight;
    const limit = pLength < n - pos ? pLength : n - pos;
    while (l < limit && text.get(pos + l) === pat[pStart + l]) l++;
    // Smaller: the suffix ended (a proper prefix sorts first) or its token is smaller. NaN compares greater.
    if (l < pLength && (l === limit || text.get(pos + l)! < pat[pStart + l]!)) {
      left = mid;
      lcpLeft = l;
    } else {
      right = mid;
      lcpRight = l;
      if (l < pLength) {
        above = mid;
        lcpAbove = l;
      } else if (matched < 0) {
        matched = mid;
      }
    }
  }
  const first = right;
  if (first === hi || lcpRight < pLength) {
    foundLo = first;
    foundHi = first;
    return;
  }
  // Upper bound: first suffix that does not start with the pattern (it can only be greater).
  left = matched;
  lcpLeft = pLength;
  right = above;
  lcpRight = lcpAbove;
  while (right - left > 1) {
    const mid = (left + right) >>> 1;
    const pos = sa[mid]!;
    let l = lcpLeft < lcpRight ? lcpLeft : lcpRight;
    const limit = pLength < n - pos ? pLength : n - pos;
    while (l < limit && text.get(pos + l) === pat[pStart + l]) l++;
    if (l === pLength) {
      left = mid;
      lcpLeft = l;
    } else {
      right = mid;
      lcpRight = l;
    }
  }
  foundLo = first;
  foundHi = right;
}

function checkSuffixArray(text: TokenSequence, sa: Uint32Array): void {
  if (sa.length !== text.length) {
    throw new RangeError(`suffix array has ${sa.length} entries but the text has ${text.length} tokens`);
  }
}

/**
 * Half-open range [lo, hi) of suffix-array entries whose suffixes start with pattern[start, start + length). Empty: lo === hi.
 * When empty, lo is where the pattern would sort among the suffixes. An empty pattern matches every suffix.
 */
export function suffixRange(
  text: TokenSequence,
  sa: Uint32Array,
  pattern: ArrayLike<number>,
  start: number,
  length: number,
): { lo: number; hi: number } {
  checkSuffixArray(text, sa);
  if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 0) {
    throw new RangeError(`start and length must be non-negative integers, got ${start} and ${length}`);
  }
  if (start + length > pattern.length) {
    throw new RangeError(`pattern[${start}, ${start + length}) is outside a pattern of ${pattern.length} tokens`);
  }
  const pat = new Float64Array(length);
  for (let k = 0; k < length; k++) pat[k] = pattern[start + k]!;
  narrow(readerOf(text), text.length, sa, pat, 0, length, 0, sa.length, 0);
  return { lo: foundLo, hi: foundHi };
}

/**
 * Matching statistics: for every position i of `query`, the length of the longest prefix of query[i..] that occurs
 * in `text` (capped at maxLength, default unlimited), and the suffix-array range of its occurrences.
 * Positions where nothing matches have length 0 and lo === hi === 0.
 */
export function matchingStatistics(
  text: TokenSequence,
  sa: Uint32Array,
  query: ArrayLike<number>,
  maxLength?: number,
): { length: Uint32Array; lo: Uint32Array; hi: Uint32Array } {
  checkSuffixArray(text, sa);
  const cap = maxLength ?? Infinity;
  if (!(cap === Infinity || (Number.isInteger(cap) && cap >= 0))) {
    throw new RangeError(`maxLength must be a non-negative integer, got ${maxLength}`);
  }
  const reader = readerOf(text);
  const n = text.length;
  const m = query.length;
  const pat = new Float64Array(m);
  for (let k = 0; k < m; k++) pat[k] = query[k]!;
  const lengths = new Uint32Array(m);
  const los = new Uint32Array(m);
  const his = new Uint32Array(m);

  // query[i, i + carry) is known to occur: it is the tail of the match found at i - 1.
  let carry = 0;
  for (let i = 0; i < m; i++) {
    let lo = 0;
    let hi = n;
    let length = carry;
    if (carry > 0) {
      narrow(reader, n, sa, pat, i, carry, 0, n, 0);
      lo = foundLo;
      hi = foundHi;
    }
    // Extend one token at a time inside the current range.
    while (length < cap && i + length < m) {
      narrow(reader, n, sa, pat, i, length + 1, lo, hi, length);
      if (foundLo === foundHi) break;
      lo = foundLo;
      hi = foundHi;
      length++;
    }
    if (length > 0) {
      lengths[i] = length;
      los[i] = lo;
      his[i] = hi;
    }
    carry = length > 0 ? length - 1 : 0;
  }
  return { length: lengths, lo: los, hi: his };
}
