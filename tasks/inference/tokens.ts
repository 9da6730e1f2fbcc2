import { countTokens } from "../../attribution/index.js";
import { UserError, parseUint, required } from "../lib/cli.js";
import { readText } from "../lib/files.js";

/**
 * A token count given as a number (`--input-tokens`) or as a text file to count with the engine's tokenizer
 * (`--input-text`), for `inference quote` and `inference pay`.
 */
export async function tokens(
  count: string | undefined,
  file: string | undefined,
  which: "input" | "output",
  example: string,
): Promise<bigint> {
  if (count !== undefined && file !== undefined) {
    throw new UserError(`Give --${which}-tokens or --${which}-text, not both.`);
  }
  if (file === undefined) return parseUint(required(count, `--${which}-tokens`, example), `--${which}-tokens`);
  return BigInt(countTokens(await readText(file, `--${which}-text`)));
}
