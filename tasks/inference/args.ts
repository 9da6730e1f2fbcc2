/** What the inference subtasks parse: token counts given as numbers or as texts to tokenize, and request ids. */
import { TOKENIZER, countTokens } from "../../attribution/index.js";
import { requestIdOf } from "../../sdk/core/inference.js";
import { UserError } from "../lib/cli.js";
import { readText } from "../lib/files.js";

/** The token options of `inference quote` and `inference pay`, as Hardhat parses them. */
export interface TokenArgs {
  inputTokens: bigint;
  outputTokens: bigint;
  inputText: string | undefined;
  outputText: string | undefined;
}

/** Token counts, and whether a text was counted with the engine's tokenizer (its name, for the output). */
export interface TokenCounts {
  input: bigint;
  output: bigint;
  /** The tokenizer's name when a count came from a text file, else undefined. */
  counted: string | undefined;
}

/** One side's count: `--<which>-tokens N` or the tokens of the file `--<which>-text`. */
async function count(tokens: bigint, file: string | undefined, which: "input" | "output"): Promise<bigint> {
  if (file === undefined) return tokens;
  if (tokens !== 0n) throw new UserError(`Give --${which}-tokens or --${which}-text, not both.`);
  return BigInt(countTokens(await readText(file, `--${which}-text`)));
}

/**
 * The input and output token counts of an inference: each given as a number (`--input-tokens`, default 0) or as
 * a text file counted with the attribution engine's tokenizer (`--input-text`). Refuses an inference given no
 * count at all.
 */
export async function tokenCounts(args: TokenArgs): Promise<TokenCounts> {
  const { inputTokens, outputTokens, inputText, outputText } = args;
  if (inputTokens === 0n && outputTokens === 0n && inputText === undefined && outputText === undefined) {
    throw new UserError(
      "Give the token counts: --input-tokens 2000 (or --input-text prompt.txt) and --output-tokens 1000 (or --output-text answer.txt).",
    );
  }
  const input = await count(inputTokens, inputText, "input");
  const output = await count(outputTokens, outputText, "output");
  const counted = inputText !== undefined || outputText !== undefined ? TOKENIZER : undefined;
  return { input, output, counted };
}

/** A request id given as text: 32 bytes of hex as they are, any other text hashed as the SDK does. */
export interface RequestIdOption {
  requestId: string;
  /** The text it was hashed from, when it was not 32 bytes of hex. */
  derivedFrom: string | undefined;
}

/** The request id `--request-id` names (`requestIdOf`), or undefined when it was not given. */
export function requestIdOption(text: string | undefined): RequestIdOption | undefined {
  if (text === undefined) return undefined;
  const requestId = requestIdOf(text);
  if (requestId === undefined) throw new UserError("--request-id must not be empty, e.g. --request-id order-1842.");
  return { requestId, derivedFrom: requestId === text.toLowerCase() ? undefined : text };
}

/** "0x… (keccak256 of the text "order-1842")", or the request id alone when it was given as hex. */
export function describeRequestId(option: RequestIdOption | undefined, requestId: string): string {
  return option?.derivedFrom === undefined
    ? requestId
    : `${requestId} (derived from the text ${JSON.stringify(option.derivedFrom)}: keccak256 of its UTF-8 bytes)`;
}

/** `text` as one shell word: as it is when it is plain, else in single quotes. */
export function shellWord(text: string): string {
  return /^[\w.:@/+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
