import { findInexactNumber } from "../../sdk/core/proposals.js";
import { UserError } from "../lib/cli.js";

/** `--args`: the arguments of a proposal's call as a JSON array (big numbers as strings, to stay exact). */
export function parseActionArgs(json: string | undefined): unknown[] {
  if (json === undefined || json.trim() === "") return [];
  let args: unknown;
  try {
    args = JSON.parse(json);
  } catch {
    throw new UserError(`--args must be a JSON array such as '[1209600]', not ${json}.`);
  }
  if (!Array.isArray(args)) throw new UserError(`--args must be a JSON array such as '[1209600]', not ${json}.`);
  if (findInexactNumber(args) !== undefined) {
    throw new UserError(
      `--args holds a whole number above 2^53, which JSON cannot hold exactly; write it as a string, e.g. '["100000000000000000000000"]'.`,
    );
  }
  return args;
}
