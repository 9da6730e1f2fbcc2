/**
 * The tokenizer of the attribution engine and of `inference quote --input-text/--output-text`: OpenAI's
 * o200k_base byte-pair encoding (GPT-4o and later), from the `gpt-tokenizer` package, whose ranks ship in
 * the package (no download). Encoding is deterministic: the same text gives the same ids on any machine.
 */
import { decode, encode } from "gpt-tokenizer/encoding/o200k_base";

/** The tokenizer's name, recorded in every index so an index is never queried with another tokenizer. */
export const TOKENIZER = "o200k_base";

/** Size of the vocabulary: every token id is below this. */
export const VOCABULARY_SIZE = 200_019;

/** Special-token markup such as "<|endoftext|>" in a text is ordinary text: contributions cannot inject it. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Token ids of `text`. */
export function tokenize(text: string): Uint32Array {
  return Uint32Array.from(encode(text, PLAIN_TEXT));
}

/** The number of tokens of `text`, as a model billed by tokens counts them. */
export function countTokens(text: string): number {
  return encode(text, PLAIN_TEXT).length;
}

/** The text of token ids (for showing matched spans). */
export function detokenize(tokens: ArrayLike<number>): string {
  return decode(Array.from(tokens));
}
