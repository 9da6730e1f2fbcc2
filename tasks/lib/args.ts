import { UserError } from "./cli.js";

/** Returns the option's value, or fails with a sentence naming the missing option. */
export function required(value: string, option: string, example: string): string {
  if (value.trim() === "") throw new UserError(`${option} is required, e.g. ${option} ${example}.`);
  return value;
}
