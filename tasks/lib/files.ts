/** Reading the files tasks take as options: bytes and JSON, each failure one sentence naming the option. */
import { readFile, stat } from "node:fs/promises";

import { UserError } from "./cli.js";

/**
 * The bytes of the file `file` (given as `option`); refuses a missing path, a folder and an unreadable file, each
 * with its own sentence.
 */
export async function readBytes(file: string, option: string): Promise<Uint8Array> {
  const found = await stat(file).catch(() => undefined);
  if (found === undefined)
    throw new UserError(`${option} ${file} is not a readable file: there is nothing at that path.`);
  if (found.isDirectory()) throw new UserError(`${option} ${file} is not a readable file: it is a folder.`);
  try {
    if (!found.isFile()) throw new Error("not a file");
    return new Uint8Array(await readFile(file));
  } catch {
    throw new UserError(`${option} ${file} is not a readable file.`);
  }
}

/** The text of the file `file` (UTF-8). */
export async function readText(file: string, option: string): Promise<string> {
  return new TextDecoder().decode(await readBytes(file, option));
}

/** The JSON in the file `file`: a missing file and malformed JSON get different sentences. */
export async function readJson(file: string, option: string): Promise<unknown> {
  const text = await readText(file, option);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(`${option} ${file} is not valid JSON (${reason}).`);
  }
}
