import { expect } from "chai";
import fc from "fast-check";

import { matchingStatistics, suffixRange } from "../../attribution/search.js";
import { buildSuffixArray, type TokenSequence } from "../../attribution/suffix-array.js";

const NUM_RUNS = 200;

/** Compares the suffixes of `text` at a and b; a proper prefix sorts first. */
function compareSuffixes(text: ArrayLike<number>, a: number, b: number): number {
  const n = text.length;
  while (a < n && b < n) {
    const x = text[a]!;
    const y = text[b]!;
    if (x !== y) return x - y;
    a++;
    b++;
  }
  if (a === n && b === n) return 0;
  return a === n ? -1 : 1;
}

function naiveSuffixArray(text: ArrayLike<number>): number[] {
  const order = Array.from({ length: text.length }, (_, i) => i);
  return order.sort((a, b) => compareSuffixes(text, a, b));
}

/** Compares the suffix of `text` at pos with `pattern`, looking only at the pattern's length. */
function comparePrefix(text: ArrayLike<number>, pos: number, pattern: ArrayLike<number>): number {
  for (let k = 0; k < pattern.length; k++) {
    if (pos + k >= text.length) return -1;
    const x = text[pos + k]!;
    const y = pattern[k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** [lo, hi): lo counts the suffixes smaller than the pattern, hi - lo those starting with it. */
function naiveRange(text: ArrayLike<number>, pattern: ArrayLike<number>): { lo: number; hi: number } {
  let lo = 0;
  let count = 0;
  for (let pos = 0; pos < text.length; pos++) {
    const c = comparePrefix(text, pos, pattern);
    if (c < 0) lo++;
    else if (c === 0) count++;
  }
  return { lo, hi: lo + count };
}

function occurs(text: ArrayLike<number>, pattern: ArrayLike<number>): boolean {
  for (let pos = 0; pos + pattern.length <= text.length; pos++) {
    if (comparePrefix(text, pos, pattern) === 0) return true;
  }
  return false;
}

function naiveMatchingStatistics(
  text: ArrayLike<number>,
  query: number[],
  maxLength = Infinity,
): { length: number[]; lo: number[]; hi: number[] } {
  const result = { length: [] as number[], lo: [] as number[], hi: [] as number[] };
  for (let i = 0; i < query.length; i++) {
    let length = 0;
    while (length < maxLength && i + length < query.length && occurs(text, query.slice(i, i + length + 1))) length++;
    const range = length > 0 ? naiveRange(text, query.slice(i, i + length)) : { lo: 0, hi: 0 };
    result.length.push(length);
    result.lo.push(range.lo);
    result.hi.push(range.hi);
  }
  return result;
}

function fromString(s: string): Uint32Array {
  return Uint32Array.from(s, (ch) => ch.charCodeAt(0) - 97);
}

/** A TokenSequence that is not a typed array, to exercise the interface alone. */
function wrap(tokens: ArrayLike<number>): TokenSequence {
  return { length: tokens.length, at: (index) => (index >= 0 && index < tokens.length ? tokens[index] : undefined) };
}

/** Texts over 1 to 4 symbols: long runs and repeats are where SA-IS's types and LMS naming go wrong. */
const smallAlphabetText = fc
  .integer({ min: 1, max: 4 })
  .chain((alphabetSize) =>
    fc
      .array(fc.integer({ min: 0, max: alphabetSize - 1 }), { maxLength: 300, size: "max" })
      .map((values) => ({ alphabetSize, text: Uint32Array.from(values) })),
  );

/** A short block over 1 to 3 symbols repeated up to length 300, with a few point mutations. */
const periodicText = fc
  .record({
    alphabetSize: fc.integer({ min: 1, max: 3 }),
    block: fc.array(fc.nat(), { minLength: 1, maxLength: 7 }),
    length: fc.integer({ min: 0, max: 300 }),
    mutations: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }),
  })
  .map(({ alphabetSize, block, length, mutations }) => {
    const text = new Uint32Array(length);
    for (let i = 0; i < length; i++) text[i] = block[i % block.length]! % alphabetSize;
    for (const [at, value] of mutations) if (length > 0) text[at % length] = value % alphabetSize;
    return { alphabetSize, text };
  });

const largeAlphabetText = fc
  .integer({ min: 5, max: 200_000 })
  .chain((alphabetSize) =>
    fc
      .array(fc.integer({ min: 0, max: alphabetSize - 1 }), { maxLength: 300, size: "max" })
      .map((values) => ({ alphabetSize, text: Uint32Array.from(values) })),
  );

/** Few distinct symbols spread up to 2^32 - 1: the alphabet is far larger than the text. */
const sparseAlphabetText = fc.array(fc.nat({ max: 3 }), { maxLength: 300, size: "max" }).map((values) => ({
  alphabetSize: 2 ** 32,
  text: Uint32Array.from(values, (v) => [0, 1e9, 3e9, 2 ** 32 - 1][v]!),
}));

function expectNaiveOrder({ alphabetSize, text }: { alphabetSize: number; text: Uint32Array }): void {
  expect(Array.from(buildSuffixArray(text, alphabetSize))).to.deep.equal(naiveSuffixArray(text));
}

/** Fibonacci word over {0, 1}: highly repetitive, forces several levels of recursion. */
function fibonacciWord(length: number): Uint32Array {
  let a = [0];
  let b = [0, 1];
  while (b.length < length) [a, b] = [b, [...b, ...a]];
  return Uint32Array.from(b.slice(0, length));
}

function thueMorse(length: number): Uint32Array {
  const text = new Uint32Array(length);
  for (let i = 0; i < length; i++) {
    let bits = 0;
    for (let v = i; v > 0; v >>>= 1) bits += v & 1;
    text[i] = bits & 1;
  }
  return text;
}

describe("buildSuffixArray", () => {
  describe("on fixed strings", () => {
    it("returns an empty array for the empty text", () => {
      expect(buildSuffixArray(new Uint32Array(0), 1)).to.have.length(0);
      expect(buildSuffixArray(new Uint32Array(0), 0)).to.have.length(0);
    });

    it("returns [0] for a single token", () => {
      expect(Array.from(buildSuffixArray(Uint32Array.of(7), 8))).to.deep.equal([0]);
    });

    it("orders two-token texts, a proper prefix first", () => {
      expect(Array.from(buildSuffixArray(Uint32Array.of(0, 1), 2))).to.deep.equal([0, 1]);
      expect(Array.from(buildSuffixArray(Uint32Array.of(1, 0), 2))).to.deep.equal([1, 0]);
      expect(Array.from(buildSuffixArray(Uint32Array.of(1, 1), 2))).to.deep.equal([1, 0]);
    });

    it("sorts banana and mississippi as in the textbooks", () => {
      expect(Array.from(buildSuffixArray(fromString("banana"), 26))).to.deep.equal([5, 3, 1, 0, 4, 2]);
      expect(Array.from(buildSuffixArray(fromString("mississippi"), 26))).to.deep.equal([
        10, 7, 4, 1, 0, 9, 8, 6, 3, 5, 2,
      ]);
    });

    it("puts the shortest suffix first when all tokens are equal", () => {
      const n = 1000;
      const expected = Array.from({ length: n }, (_, i) => n - 1 - i);
      expect(Array.from(buildSuffixArray(new Uint32Array(n), 1))).to.deep.equal(expected);
    });

    it("reverses a strictly decreasing text and keeps a strictly increasing one", () => {
      const n = 500;
      const decreasing = Uint32Array.from({ length: n }, (_, i) => n - 1 - i);
      const increasing = Uint32Array.from({ length: n }, (_, i) => i);
      expect(Array.from(buildSuffixArray(decreasing, n))).to.deep.equal(Array.from(decreasing));
      expect(Array.from(buildSuffixArray(increasing, n))).to.deep.equal(Array.from(increasing));
    });

    it("matches the naive order on periodic, Fibonacci and Thue-Morse texts", () => {
      const periodic = Uint32Array.from({ length: 600 }, (_, i) => [0, 1, 0, 2][i % 4]!);
      for (const text of [periodic, fibonacciWord(1500), thueMorse(1024), fromString("abababababababa")]) {
        expectNaiveOrder({ alphabetSize: 3, text });
      }
    });

    it("yields a sorted permutation on a long random binary text", () => {
      const n = 100_000;
      const text = new Uint32Array(n);
      let state = 12345;
      for (let i = 0; i < n; i++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        text[i] = state >>> 31;
      }
      const sa = buildSuffixArray(text, 2);
      const seen = new Uint8Array(n);
      for (const pos of sa) seen[pos] = 1;
      expect(seen.every((flag) => flag === 1)).to.equal(true);
      let sorted = true;
      for (let r = 1; r < n && sorted; r++) sorted = compareSuffixes(text, sa[r - 1]!, sa[r]!) < 0;
      expect(sorted).to.equal(true);
    });
  });

  describe("against a naive sort of the suffixes", () => {
    it("agrees on texts over one to four symbols", () => {
      fc.assert(fc.property(smallAlphabetText, expectNaiveOrder), { numRuns: NUM_RUNS });
    });

    it("agrees on nearly periodic texts", () => {
      fc.assert(fc.property(periodicText, expectNaiveOrder), { numRuns: NUM_RUNS });
    });

    it("agrees on texts over alphabets of up to 200,000 symbols", () => {
      fc.assert(fc.property(largeAlphabetText, expectNaiveOrder), { numRuns: NUM_RUNS });
    });

    it("agrees on texts whose symbols are sparse in an alphabet of 2^32", () => {
      fc.assert(fc.property(sparseAlphabetText, expectNaiveOrder), { numRuns: NUM_RUNS });
    });
  });

  describe("input validation", () => {
    it("throws a RangeError naming the position of a value outside the alphabet", () => {
      expect(() => buildSuffixArray(Uint32Array.of(0, 1, 3, 2), 3)).to.throw(RangeError, /text\[2\] = 3/);
      expect(() => buildSuffixArray(Uint32Array.of(0), 0)).to.throw(RangeError, /text\[0\]/);
    });

    it("throws a RangeError for an alphabet size that is not a non-negative integer", () => {
      for (const size of [2.5, Number.NaN, Infinity, -1]) {
        expect(() => buildSuffixArray(Uint32Array.of(0, 1), size)).to.throw(RangeError, /alphabetSize/);
      }
    });
  });
});

/** A text, and a query made of slices of the text and loose symbols (some absent from the text). */
const textAndQuery = fc
  .record({
    alphabetSize: fc.integer({ min: 1, max: 6 }),
    values: fc.array(fc.nat(), { maxLength: 120, size: "max" }),
    pieces: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 15 }), fc.integer({ min: -1, max: 8 })), { maxLength: 6 }),
  })
  .map(({ alphabetSize, values, pieces }) => {
    const text = Uint32Array.from(values, (v) => v % alphabetSize);
    const query: number[] = [];
    for (const [start, length, symbol] of pieces) {
      if (length > 0 && text.length > 0) {
        const from = start % text.length;
        query.push(...text.subarray(from, from + length));
      } else {
        query.push(symbol);
      }
    }
    return { alphabetSize, text, query };
  });

describe("suffixRange", () => {
  it("finds exactly the suffixes starting with the pattern, or the insertion point when there are none", () => {
    fc.assert(
      fc.property(textAndQuery, fc.nat(), fc.nat(), ({ alphabetSize, text, query }, a, b) => {
        const sa = buildSuffixArray(text, alphabetSize);
        const start = query.length === 0 ? 0 : a % (query.length + 1);
        const length = b % (query.length - start + 1);
        const expected = naiveRange(text, query.slice(start, start + length));
        expect(suffixRange(text, sa, query, start, length)).to.deep.equal(expected);
        expect(suffixRange(wrap(text), sa, query, start, length)).to.deep.equal(expected);
        expect(suffixRange(Array.from(text), sa, query, start, length)).to.deep.equal(expected);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("matches every suffix with the empty pattern and none with an absent symbol", () => {
    const text = fromString("banana");
    const sa = buildSuffixArray(text, 26);
    expect(suffixRange(text, sa, [], 0, 0)).to.deep.equal({ lo: 0, hi: 6 });
    const { lo, hi } = suffixRange(text, sa, [25], 0, 1);
    expect(hi).to.equal(lo);
    expect(suffixRange(text, sa, fromString("xana"), 1, 3)).to.deep.equal({ lo: 1, hi: 3 });
  });

  it("rejects a slice outside the pattern and a suffix array of the wrong length", () => {
    const text = fromString("banana");
    const sa = buildSuffixArray(text, 26);
    expect(() => suffixRange(text, sa, [0, 1], 1, 2)).to.throw(RangeError);
    expect(() => suffixRange(text, sa, [0, 1], -1, 1)).to.throw(RangeError);
    expect(() => suffixRange(text, sa.subarray(1), [0], 0, 1)).to.throw(RangeError);
  });
});

describe("matchingStatistics", () => {
  it("agrees with brute-force substring search, without and with a length cap", () => {
    fc.assert(
      fc.property(textAndQuery, fc.integer({ min: 0, max: 6 }), ({ alphabetSize, text, query }, cap) => {
        const sa = buildSuffixArray(text, alphabetSize);
        const toPlain = (r: { length: Uint32Array; lo: Uint32Array; hi: Uint32Array }) => ({
          length: Array.from(r.length),
          lo: Array.from(r.lo),
          hi: Array.from(r.hi),
        });
        expect(toPlain(matchingStatistics(text, sa, query))).to.deep.equal(naiveMatchingStatistics(text, query));
        expect(toPlain(matchingStatistics(wrap(text), sa, query, cap))).to.deep.equal(
          naiveMatchingStatistics(text, query, cap),
        );
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("reports the longest match and its occurrences on a worked example", () => {
    const text = fromString("banana");
    const sa = buildSuffixArray(text, 26);
    // "anax": "ana" occurs twice (suffixes "ana" and "anana" at ranks 1 and 2), "na" twice, "a" three times.
    const stats = matchingStatistics(text, sa, fromString("anax"));
    expect(Array.from(stats.length)).to.deep.equal([3, 2, 1, 0]);
    expect(Array.from(stats.lo)).to.deep.equal([1, 4, 0, 0]);
    expect(Array.from(stats.hi)).to.deep.equal([3, 6, 3, 0]);
  });

  it("returns empty arrays for an empty query and zeros against an empty text", () => {
    const text = fromString("banana");
    const sa = buildSuffixArray(text, 26);
    const empty = matchingStatistics(text, sa, []);
    expect([empty.length.length, empty.lo.length, empty.hi.length]).to.deep.equal([0, 0, 0]);
    const none = matchingStatistics(new Uint32Array(0), new Uint32Array(0), [1, 2]);
    expect(Array.from(none.length)).to.deep.equal([0, 0]);
    expect(Array.from(none.hi)).to.deep.equal([0, 0]);
  });

  it("caps every length at maxLength and reports nothing for a cap of zero", () => {
    const text = fromString("banana");
    const sa = buildSuffixArray(text, 26);
    expect(Array.from(matchingStatistics(text, sa, fromString("banana"), 2).length)).to.deep.equal([2, 2, 2, 2, 2, 1]);
    const zero = matchingStatistics(text, sa, fromString("banana"), 0);
    expect(Array.from(zero.length)).to.deep.equal([0, 0, 0, 0, 0, 0]);
    expect(Array.from(zero.hi)).to.deep.equal([0, 0, 0, 0, 0, 0]);
  });

  it("rejects a maxLength that is not a non-negative integer", () => {
    const text = fromString("banana");
    const sa = buildSuffixArray(text, 26);
    for (const cap of [-1, 1.5, Number.NaN]) {
      expect(() => matchingStatistics(text, sa, [0], cap)).to.throw(RangeError, /maxLength/);
    }
  });
});
