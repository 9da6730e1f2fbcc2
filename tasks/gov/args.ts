import { UserError } from "../lib/cli.js";

/** The arguments of a proposal action, given as a JSON array (big numbers may be strings to stay exact). */
export function parseActionArgs(json: string): unknown[] {
  let args: unknown;
  try {
    args = JSON.parse(json);
  } catch {
    throw new UserError(`--args must be a JSON array such as '[1209600]', not ${json}.`);
  }
  if (!Array.isArray(args)) throw new UserError(`--args must be a JSON array such as '[1209600]', not ${json}.`);
  return args;
}
