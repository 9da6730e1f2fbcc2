/** What every page gets: the config, the wallet, the lists, the status line, and the names of known addresses. */
import type { AppConfig } from "./config.js";
import type { Lists } from "./lists.js";
import type { Activity } from "./ui.js";
import { AppRefusal } from "./errors.js";
import type { Wallet } from "./wallet.js";

export interface App {
  config: AppConfig;
  wallet: Wallet;
  lists: Lists;
  activity: Activity;
  /** The route's arguments after the page name (`#/datanets/2` → ["2"]). */
  args: string[];
}

export interface Page {
  path: string;
  title: string;
  render(app: App): Promise<HTMLElement>;
}

/** A known actor's name with its short address, or the address. */
export function label(app: App, address: string): string {
  const name = app.config.names?.[address.toLowerCase()];
  return name === undefined ? address : `${name} (${address.slice(0, 6)}…${address.slice(-4)})`;
}

/** The connected account, or a refusal asking to connect. */
export function requireAccount(app: App): string {
  if (app.wallet.account === undefined) throw new AppRefusal("Connect a wallet first: this action is signed by it.");
  return app.wallet.account;
}

/** Reads a whole number typed in a field ("id", "token count"). */
export function parseWhole(text: string, what: string): bigint {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) throw new AppRefusal(`${what} must be a whole number, not "${text}".`);
  return BigInt(trimmed);
}
