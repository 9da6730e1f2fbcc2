/**
 * Suffix arrays by SA-IS (Nong, Zhang & Chan, "Two Efficient Algorithms for Linear Time Suffix Array
 * Construction", 2009).
 *
 * The text is read as if it ended with a virtual sentinel `$` smaller than every symbol; `$` is never stored.
 *
 * - Types. Suffix i is S-type if it is smaller than suffix i + 1, L-type if larger. Scanning right to left:
 *   the last symbol is L (it is followed by `$`), and i has the type of i + 1 when text[i] = text[i + 1],
 *   otherwise S iff text[i] < text[i + 1].
 * - LMS positions. An S-type position whose left neighbour is L-type ("leftmost S"). An LMS substring runs
 *   from one LMS position to the next, both ends included; the last one runs to `$`.
 * - Induced sorting. Inside the bucket of a symbol, L-type suffixes come before S-type ones. Given the LMS
 *   suffixes in their S-regions, one left-to-right pass places every L-type suffix (suffix v - 1 is L-type
 *   and goes to the next free head of its bucket when suffix v has been placed), then one right-to-left pass
 *   places every S-type suffix at the free tails of the buckets the same way. The L-type suffix n - 1,
 *   induced by `$`, seeds the first pass.
 * - Reduction. Inducing from the LMS positions in any order sorts the LMS substrings correctly. Equal LMS
 *   substrings get equal names; if all names differ, the LMS suffixes are already sorted. Otherwise the
 *   names, in text order, form a reduced string at most half as long, whose suffix array, computed
 *   recursively, orders the LMS suffixes. A last induced sort from the sorted LMS suffixes sorts
 *   everything. Every level is linear and the sizes halve, so the total is O(n).
 *
 * Memory: besides the input and the output (n int32): 3 int32 per bucketed symbol (the symbols up to the
 * largest one present; a sparse alphabet is ranked first) and the reduced string (at most n/2 int32) with
 * its own recursion. Types are recomputed by scans instead of stored, LMS substring names live in the tail
 * of the output array, and the induction passes read types off the bucket regions. The reduced strings and
 * their suffix arrays take at most 8(n/2 + n/4 + ...) = 8n bytes (about 4n for typical texts, where the
 * reduction is nearer a third); ranking a sparse alphabet adds 4n.
 */

/** A read-only sequence of non-negative integers: typed arrays satisfy it, and so does a packed token store. */
export interface TokenSequence {
  readonly length: number;
  at(index: number): number | undefined;
}

/** Longest text the int32 working arrays can index (positions and counts must stay below 2^31). */
const MAX_LENGTH = 0x7fff_ffff;

/**
 * Suffix array of `text` by SA-IS (Nong, Zhang & Chan 2009), O(n) time: the start positions of all suffixes
 * in lexicographic order, where a suffix that is a proper prefix of another sorts first.
 * Values must be integers in [0, alphabetSize); throws RangeError naming the bad position otherwise.
 */
export function buildSuffixArray(text: Uint32Array, alphabetSize: number): Uint32Array {
  if (!Number.isInteger(alphabetSize) || alphabetSize < 0) {
    throw new RangeError(`alphabetSize must be a non-negative integer, got ${alphabetSize}`);
  }
  const n = text.length;
  if (n > MAX_LENGTH) {
    throw new RangeError(`text is too long for a suffix array: ${n} > ${MAX_LENGTH} tokens`);
  }
  let maxValue = 0;
  for (let i = 0; i < n; i++) {
    const value = text[i]!;
    if (value >= alphabetSize) {
      throw new RangeError(`text[${i}] = ${value} is outside the alphabet [0, ${alphabetSize})`);
    }
    if (value > maxValue) maxValue = value;
  }
  // Buckets cover [0, maxValue], at most the alphabet. When that is far larger than the text (e.g. a few
  // tokens with ids near 2^32), rank the symbols first: O(n log n), but the buckets shrink to O(n).
  const sa = maxValue > 2 * n + SPARSE_ALPHABET_SLACK ? saisOnRanks(text) : sais(text, maxValue);
  return new Uint32Array(sa.buffer, sa.byteOffset, sa.length);
}

/** Alphabets up to 2n + this many symbols are bucketed directly. */
const SPARSE_ALPHABET_SLACK = 1 << 16;

/** SA-IS after replacing every symbol by its rank among the distinct symbols of `text` (same order). */
function saisOnRanks(text: Uint32Array): Int32Array {
  const n = text.length;
  const symbols = text.slice().sort();
  let distinct = 0;
  for (let i = 0; i < n; i++) {
    const v = symbols[i]!;
    if (distinct === 0 || symbols[distinct - 1] !== v) symbols[distinct++] = v;
  }
  const ranks = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const v = text[i]!;
    let lo = 0;
    let hi = distinct - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (symbols[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    ranks[i] = lo;
  }
  return sais(ranks, distinct - 1);
}

/** SA-IS on `s`, whose values lie in [0, upper]. */
function sais(s: Uint32Array, upper: number): Int32Array {
  const n = s.length;
  const sa = new Int32Array(n);
  if (n <= 1) return sa; // [] or [0]
  if (n === 2) {
    // "ab" → [0, 1]; "ba" and "aa" → [1, 0] (a proper prefix sorts first).
    if (s[0]! < s[1]!) sa[1] = 1;
    else sa[0] = 1;
    return sa;
  }

  // Buckets, interleaved: symbol c owns [heads[2c], heads[2c + 2]), its L-region first, its S-region from
  // heads[2c + 1]. Types are never stored: scans recompute them right to left (branch-free, as mispredicted
  // branches dominate those scans), and the induction passes read them off the bucket regions (see induce).
  const heads = new Int32Array(2 * upper + 3);
  let m = 0; // Number of LMS positions.
  {
    heads[2 * s[n - 1]! + 1]!++; // The last position is L-type: the virtual sentinel follows it.
    let nextType = 0; // Type of i + 1: 1 = S, 0 = L.
    for (let i = n - 2; i >= 0; i--) {
      const a = s[i]!;
      const b = s[i + 1]!;
      const type = +(a < b) | (+(a === b) & nextType);
      heads[2 * a + type + 1]!++;
      m += nextType & (type ^ 1); // i + 1 is LMS when it is S-type and i is L-type.
      nextType = type;
    }
  }
  for (let j = 1; j < heads.length; j++) heads[j] = heads[j]! + heads[j - 1]!;
  const buf = new Int32Array(upper + 1);

  // Stage 1: LMS positions at the heads of their S-regions (any order), then induce: this sorts the LMS
  // substrings (equal substrings in arbitrary order).
  sa.fill(-1);
  loadHeads(buf, heads, 1);
  {
    let nextType = 0;
    for (let i = n - 2; i >= 0; i--) {
      const a = s[i]!;
      const b = s[i + 1]!;
      const type = +(a < b) | (+(a === b) & nextType);
      if ((nextType & (type ^ 1)) === 1) {
        const slot = buf[b]!;
        buf[b] = slot + 1;
        sa[slot] = i + 1;
      }
      nextType = type;
    }
  }
  induce(s, sa, heads, buf, true);
  if (m === 0) return sa; // No LMS position (e.g. non-increasing text): the induction alone was enough.

  // Stage 2: name the LMS substrings. Sorted LMS positions go to sa[0, m); since LMS positions are at least
  // two apart, position p gets the slot sa[m + (p >>> 1)] in the tail, first for the length of its LMS
  // substring, then for its name. m <= n / 2, so the slots fit.
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = sa[i]!;
    if (v < -1) sa[k++] = ~v; // Marked as LMS by the induction.
  }
  sa.fill(-1, m);
  {
    let next = n;
    let nextType = 0;
    for (let i = n - 2; i >= 0; i--) {
      const a = s[i]!;
      const b = s[i + 1]!;
      const type = +(a < b) | (+(a === b) & nextType);
      if ((nextType & (type ^ 1)) === 1) {
        // The substring is s[i + 1..next], or s[i + 1..n) + sentinel for the last one.
        sa[m + ((i + 1) >>> 1)] = next - (i + 1);
        next = i + 1;
      }
      nextType = type;
    }
  }
  let name = -1;
  let prev = -1;
  let prevLength = 0;
  for (let r = 0; r < m; r++) {
    const p = sa[r]!;
    const slot = m + (p >>> 1);
    const length = sa[slot]!;
    let differs = true;
    // Substrings ending at the sentinel are unique; otherwise equal lengths and symbols mean equal
    // substrings (types follow from the symbols, right to left from the closing LMS position).
    if (prev >= 0 && length === prevLength && p + length < n && prev + length < n) {
      differs = false;
      for (let d = 0; d <= length; d++) {
        if (s[p + d] !== s[prev + d]) {
          differs = true;
          break;
        }
      }
    }
    if (differs) name++;
    prev = p;
    prevLength = length;
    sa[slot] = name;
  }

  // Stage 3: order the LMS suffixes. If every name is distinct, sa[0, m) already is that order; otherwise
  // recurse on the reduced string (the names in text order).
  let sortedLms: Int32Array;
  if (name + 1 === m) {
    sortedLms = sa.slice(0, m);
  } else {
    const reduced = new Uint32Array(m);
    k = 0;
    for (let i = m; i < n; i++) {
      const v = sa[i]!;
      if (v >= 0) reduced[k++] = v;
    }
    sortedLms = sais(reduced, name);
    // Reuse `reduced` for the LMS positions in text order, then map reduced suffixes back to positions.
    k = m;
    let nextType = 0;
    for (let i = n - 2; i >= 0; i--) {
      const a = s[i]!;
      const b = s[i + 1]!;
      const type = +(a < b) | (+(a === b) & nextType);
      if ((nextType & (type ^ 1)) === 1) reduced[--k] = i + 1;
      nextType = type;
    }
    for (let r = 0; r < m; r++) sortedLms[r] = reduced[sortedLms[r]!]!;
  }

  // Stage 4: induce from the sorted LMS suffixes, placed in order at the heads of their S-regions.
  sa.fill(-1);
  loadHeads(buf, heads, 1);
  for (let r = 0; r < m; r++) {
    const p = sortedLms[r]!;
    const c = s[p]!;
    const slot = buf[c]!;
    buf[c] = slot + 1;
    sa[slot] = p;
  }
  induce(s, sa, heads, buf, false);
  return sa;
}

/** buf[c] = heads[2c + offset]: the L-region heads (0), the S-region heads (1) or the bucket ends (2). */
function loadHeads(buf: Int32Array, heads: Int32Array, offset: number): void {
  for (let c = 0; c < buf.length; c++) buf[c] = heads[2 * c + offset]!;
}

/**
 * Induced sorting: the L-type suffixes left to right from the placed LMS suffixes, then the S-type ones right
 * to left. Suffix v - 1 has type L iff s[v - 1] > s[v], or s[v - 1] = s[v] and v is L-type; the type of a
 * placed suffix v is that of the bucket region holding it (L-regions only ever receive L-type suffixes,
 * S-regions S-type ones). This avoids an array of types and its cache misses.
 *
 * With `markLms`, LMS suffixes are stored as ~v (< -1, as v >= 1) so that they can be collected by a plain
 * scan afterwards. The right-to-left pass skips them safely: the suffix before an LMS suffix is L-type.
 */
function induce(s: Uint32Array, sa: Int32Array, heads: Int32Array, buf: Int32Array, markLms: boolean): void {
  const n = s.length;
  loadHeads(buf, heads, 0);
  // Suffix n - 1 is L-type and is induced by the (smallest) sentinel suffix, which is never stored.
  {
    const c = s[n - 1]!;
    const slot = buf[c]!;
    buf[c] = slot + 1;
    sa[slot] = n - 1;
  }
  for (let i = 0; i < n; i++) {
    const v = sa[i]! - 1;
    if (v >= 0) {
      const before = s[v]!;
      const c = s[v + 1]!;
      // An S-type suffix met here is one of the placed LMS suffixes, preceded by a larger symbol, so an
      // equal symbol before v + 1 means both are L-type.
      if (before >= c) {
        const slot = buf[before]!;
        buf[before] = slot + 1;
        sa[slot] = v;
      }
    }
  }
  loadHeads(buf, heads, 2);
  for (let i = n - 1; i >= 0; i--) {
    const v = sa[i]! - 1;
    if (v >= 0) {
      const before = s[v]!;
      const c = s[v + 1]!;
      if (before < c || (before === c && i >= heads[2 * c + 1]!)) {
        const slot = buf[before]! - 1;
        buf[before] = slot;
        // v is S-type; it is LMS iff s[v - 1] > s[v] (equal would make v - 1 S-type too).
        sa[slot] = markLms && v > 0 && s[v - 1]! > before ? ~v : v;
      }
    }
  }
}
