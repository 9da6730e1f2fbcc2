/**
 * The CLI's option conventions, so every task declares the same things the same way:
 *
 * - An option without a value of its own (an account, an amount in OPEN with decimals, a URI) is
 *   STRING_WITHOUT_DEFAULT: `--help` then prints no "(default: )", and the action gets `undefined` when it is
 *   omitted. Hardhat options cannot be required; a required one says "(required)" in its description and the
 *   action refuses its absence with `required` (tasks/lib/cli.ts), naming an example.
 * - Whole numbers (ids, token counts) are BIGINT positional arguments or options: Hardhat refuses what is not a
 *   number with one line, and the client refuses ids of 2^256 or more. Amounts in OPEN are text ("12.5"), parsed
 *   exactly by `parseOpenAmount`.
 * - Files are FILE_WITHOUT_DEFAULT; `readBytes`/`readText`/`readJson` (tasks/lib/files.ts) tell a missing file
 *   from malformed content.
 * - No option may take a name Hardhat reserves for its global options (`version`, `network`, `config`, `help`,
 *   `verbosity`, `coverage`, …): see RESERVED_OPTION_NAMES, checked by the CLI's tests.
 * - Every task description ends with one example, "(e.g. npx hardhat … --network localhost)".
 */
import { ArgumentType } from "hardhat/types/arguments";

/** Names Hardhat 3 and this project's plugins take for global options: a task option of one of them breaks the CLI. */
export const RESERVED_OPTION_NAMES: readonly string[] = [
  "buildProfile",
  "config",
  "coverage",
  "gasStats",
  "gasStatsJson",
  "help",
  "init",
  "network",
  "noTypechain",
  "showStackTraces",
  "verbosity",
  "version",
];

/** An option whose value is text the action parses, omitted → `undefined` (see the conventions above). */
export function text<NameT extends string>(name: NameT, description: string) {
  return { name, description, type: ArgumentType.STRING_WITHOUT_DEFAULT, defaultValue: undefined } as const;
}

/** A file option, omitted → `undefined`. */
export function file<NameT extends string>(name: NameT, description: string) {
  return { name, description, type: ArgumentType.FILE_WITHOUT_DEFAULT, defaultValue: undefined } as const;
}

/** The forms every account option accepts, said once for `--help`. */
export const ACCOUNT_FORMS = "an index into the network's accounts (0, 1, …) or an address";

/** `--from`: the account that signs and sends. */
export const FROM = text("from", `Acting account: ${ACCOUNT_FORMS} it can sign for (default: account 0)`);
