/**
 * Text normalisation: the engine matches words, not bytes or BPE tokens.
 *
 * A text is cut into words of letters, digits and combining marks (\p{L}\p{N}\p{M}). Characters of
 * scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) are a word each.
 * Whitespace only separates words, so line breaks, indentation and reflowing never matter. Two modes change
 * what a word is:
 *
 * - `caseFold` (default on): words are lower-cased (`String.prototype.toLowerCase`, locale-independent).
 * - `punctuation: "strip"` (default): a word is a whitespace-separated chunk with every other character
 *   (punctuation, symbols) deleted, so "don't" and "dont" are the same word, and a chunk of punctuation
 *   alone is no word; with `"keep"`, words are runs of letters and digits and each other character is a
 *   word of its own, so punctuation must match.
 *
 * Matching is still exact: two texts match where their word sequences are equal, nothing fuzzy. Every word
 * keeps the offsets of its characters in the original text (UTF-16 code units, as JavaScript strings
 * count), so any match maps back to the exact passage of the original output.
 */

export interface Normalization {
  caseFold: boolean;
  punctuation: "strip" | "keep";
}

export const DEFAULT_NORMALIZATION: Normalization = Object.freeze({ caseFold: true, punctuation: "strip" });

/** The words of a text with their original offsets: word k is text.slice(starts[k], ends[k]). */
export interface SegmentedText {
  words: string[];
  starts: Uint32Array;
  ends: Uint32Array;
}

const UNSPACED = "\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\p{sc=Thai}\\p{sc=Lao}\\p{sc=Khmer}\\p{sc=Myanmar}";
const CHUNK = /\S+/g;
const NON_WORD = /[^\p{L}\p{N}\p{M}]/gu;
const PLAIN = /^(?:(?![UNSPACED])[\p{L}\p{N}\p{M}])*$/u;
const PIECES = new RegExp(`[${UNSPACED}]|(?:(?![${UNSPACED}])[\\p{L}\\p{N}\\p{M}])+`, "gu");
const KEEP = new RegExp(`[${UNSPACED}]|(?:(?![${UNSPACED}])[\\p{L}\\p{N}\\p{M}])+|[^\\s\\p{L}\\p{N}\\p{M}]`, "gu");
const PLAIN_WORD = new RegExp(PLAIN.source.replace("UNSPACED", UNSPACED), "u");

function checkMode(mode: Normalization): void {
  if (mode.punctuation !== "strip" && mode.punctuation !== "keep") {
    throw new RangeError(`punctuation must be "strip" or "keep", not ${String(mode.punctuation)}`);
  }
}

/**
 * Calls `emit(word, start, end)` for every word of `text`. With punctuation stripped, a word is a
 * whitespace-separated chunk with its punctuation deleted ("don't" → "dont", "e.g." → "eg"), as an output
 * that drops punctuation writes it; a chunk of scripts without spaces gives one word per character.
 */
function scan(text: string, mode: Normalization, emit: (word: string, start: number, end: number) => void): void {
  checkMode(mode);
  const fold = mode.caseFold;
  if (mode.punctuation === "keep") {
    const pattern = new RegExp(KEEP);
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      emit(fold ? m[0].toLowerCase() : m[0], m.index, m.index + m[0].length);
    }
    return;
  }
  const chunks = new RegExp(CHUNK);
  for (let m = chunks.exec(text); m !== null; m = chunks.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    let chunk = m[0];
    if (!PLAIN_WORD.test(chunk)) {
      chunk = chunk.replace(NON_WORD, "");
      if (chunk === "") continue;
      if (!PLAIN_WORD.test(chunk)) {
        for (const piece of chunk.match(PIECES) ?? []) emit(fold ? piece.toLowerCase() : piece, start, end);
        continue;
      }
    }
    emit(fold ? chunk.toLowerCase() : chunk, start, end);
  }
}

/** The words of `text` (normalised), without offsets: what an index stores. */
export function words(text: string, mode: Normalization = DEFAULT_NORMALIZATION): string[] {
  const out: string[] = [];
  scan(text, mode, (word) => out.push(word));
  return out;
}

/** The words of `text` (normalised) with their original offsets: what a query needs. */
export function segment(text: string, mode: Normalization = DEFAULT_NORMALIZATION): SegmentedText {
  const list: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  scan(text, mode, (word, start, end) => {
    list.push(word);
    starts.push(start);
    ends.push(end);
  });
  return { words: list, starts: Uint32Array.from(starts), ends: Uint32Array.from(ends) };
}

/** The number of words of `text`: the unit in which the engine credits an output. */
export function countWords(text: string, mode: Normalization = DEFAULT_NORMALIZATION): number {
  let n = 0;
  scan(text, mode, () => n++);
  return n;
}
