/**
 * Governor proposals as people handle them: short ids, and the proposal file that describes a multi-action
 * proposal. The one home of that file's format and reader:
 *
 *   { "description": "Cooldown 14 days, window 3 days",
 *     "actions": [
 *       { "contract": "stakedOpen", "function": "setCooldown", "args": [1209600] },
 *       { "target": "0x…", "value": "0", "calldata": "0x…" } ] }
 *
 * An action either calls a function of one of the suite's contracts by name (`args` a JSON array, omitted for
 * none; big numbers as strings so they stay exact), or is a raw call: a target address, a value in wei (a
 * whole number, as a string or an exact JSON number; omitted: 0) and calldata as hex. Browser-safe: the caller
 * reads the file; this module reads its JSON.
 */
import { AbiCoder, ZeroHash, getAddress, id, isAddress, isHexString, keccak256, toBeHex } from "ethers";

import { clientError } from "./client-errors.js";
import { UINT256_LIMIT } from "./numbers.js";

/** How many decimal digits of a proposal id lists show by default. */
export const SHORT_PROPOSAL_ID_DIGITS = 8;

/** The fewest leading decimal digits that may stand for a proposal id. */
export const MIN_PROPOSAL_ID_PREFIX = 6;

/** One call a proposal makes through the timelock. */
export interface ProposalAction {
  target: string;
  value: bigint;
  calldata: string;
}

/**
 * The actions of calls given as the governor's and the timelock's three arrays (targets, values in wei, calldata),
 * as events and the indexer hold them; targets checksummed.
 */
export function actionsOf(
  targets: readonly string[],
  values: readonly (bigint | string)[],
  calldatas: readonly string[],
): ProposalAction[] {
  return targets.map((target, i) => ({
    target: getAddress(target),
    value: BigInt(values[i] ?? 0),
    calldata: calldatas[i] ?? "0x",
  }));
}

/**
 * The id of the timelock operation the governor (GovernorTimelockControl) schedules when it queues a proposal:
 * the timelock's `hashOperationBatch` of the actions, no predecessor, and the salt
 * `bytes20(governor) ^ keccak256(description)`.
 */
export function timelockOperationId(governor: string, actions: readonly ProposalAction[], description: string): string {
  const salt = toBeHex((BigInt(governor) << 96n) ^ BigInt(id(description)), 32);
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["address[]", "uint256[]", "bytes[]", "bytes32", "bytes32"],
      [actions.map((a) => a.target), actions.map((a) => a.value), actions.map((a) => a.calldata), ZeroHash, salt],
    ),
  );
}

/** An action of a proposal file that calls a suite contract by name; the client encodes it. */
export interface NamedCall {
  contract: string;
  function: string;
  args: unknown[];
}

/** What a proposal file describes: the description voters read and the actions, in order. */
export interface ProposalFile {
  description: string;
  actions: (NamedCall | ProposalAction)[];
}

/** True for an action of a proposal file that names a contract and a function. */
export function isNamedCall(action: NamedCall | ProposalAction): action is NamedCall {
  return "contract" in action;
}

/** The first `SHORT_PROPOSAL_ID_DIGITS` decimal digits of a proposal id: how lists and messages show it. */
export function shortProposalId(proposalId: bigint): string {
  return proposalId.toString().slice(0, SHORT_PROPOSAL_ID_DIGITS);
}

/**
 * A short id for each of `proposalIds`: its first `SHORT_PROPOSAL_ID_DIGITS` digits, or more where two ids share
 * them, so that every short id names one proposal among these.
 */
export function shortProposalIds(proposalIds: readonly bigint[]): Map<bigint, string> {
  const texts = [...new Set(proposalIds)].map((id) => id.toString());
  const short = new Map<bigint, string>();
  for (const text of texts) {
    let digits = Math.min(SHORT_PROPOSAL_ID_DIGITS, text.length);
    for (const other of texts) {
      if (other === text) continue;
      let common = 0;
      while (common < text.length && text[common] === other[common]) common += 1;
      digits = Math.max(digits, Math.min(common + 1, text.length));
    }
    short.set(BigInt(text), text.slice(0, digits));
  }
  return short;
}

/**
 * The first JSON number in `value` (searched through arrays and objects) that is a whole number too large to be
 * exact (beyond 2^53), or undefined. JSON.parse rounds such numbers silently; they must be written as strings.
 */
export function findInexactNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) && !Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== "object" || value === null) return undefined;
  for (const item of Object.values(value)) {
    const found = findInexactNumber(item);
    if (found !== undefined) return found;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const invalid = (where: string, problem: string) => clientError("InvalidProposalFile", { where, problem });

/** A wei amount: a whole number below 2^256, as a decimal or 0x string or an exact JSON number. */
function parseValue(value: unknown, where: string): bigint {
  if (value === undefined) return 0n;
  const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text === "string" && (/^\d{1,78}$/.test(text.trim()) || /^0x[0-9a-fA-F]{1,64}$/.test(text.trim()))) {
    const wei = BigInt(text.trim());
    if (wei < UINT256_LIMIT) return wei;
  }
  throw invalid(where, `value must be a whole number of wei below 2^256 (as a string), not ${JSON.stringify(value)}`);
}

function readAction(item: unknown, where: string): NamedCall | ProposalAction {
  if (!isObject(item)) {
    throw invalid(
      where,
      'an action must be an object such as {"contract": "stakedOpen", "function": "setCooldown", "args": [1209600]}',
    );
  }
  if ("contract" in item || "function" in item) {
    if ("target" in item || "calldata" in item) {
      throw invalid(where, "an action names either a contract and a function, or a target and calldata, not both");
    }
    if (typeof item.contract !== "string" || item.contract.trim() === "") {
      throw invalid(where, 'contract must name one of the suite\'s contracts, e.g. "stakedOpen"');
    }
    if (typeof item.function !== "string" || item.function.trim() === "") {
      throw invalid(where, `function must name a function of ${item.contract}, e.g. "setCooldown"`);
    }
    const args = item.args ?? [];
    if (!Array.isArray(args))
      throw invalid(where, `args must be a JSON array such as [1209600], not ${JSON.stringify(args)}`);
    if (findInexactNumber(args) !== undefined) {
      throw invalid(where, "args hold a whole number above 2^53, which JSON cannot hold exactly; write it as a string");
    }
    return { contract: item.contract.trim(), function: item.function.trim(), args };
  }
  if ("target" in item || "calldata" in item) {
    if (typeof item.target !== "string" || !isAddress(item.target)) {
      throw invalid(
        where,
        `target must be an address (0x followed by 40 hex digits), not ${JSON.stringify(item.target)}`,
      );
    }
    if (typeof item.calldata !== "string" || !isHexString(item.calldata) || item.calldata.length % 2 !== 0) {
      throw invalid(
        where,
        `calldata must be hex bytes such as "0x" or "0x4fc3f41a…", not ${JSON.stringify(item.calldata)}`,
      );
    }
    return {
      target: getAddress(item.target),
      value: parseValue(item.value, where),
      calldata: item.calldata.toLowerCase(),
    };
  }
  throw invalid(where, "an action needs a contract and a function (with args), or a target and calldata");
}

/**
 * Reads a proposal file (already parsed from JSON). `source` names the file in errors; every problem of its shape
 * is a ProtocolError `InvalidProposalFile` naming the file (and the action, counted from 1) and the field.
 */
export function readProposalFile(json: unknown, source: string): ProposalFile {
  if (!isObject(json)) {
    throw invalid(source, 'it must be an object with "description" and "actions"');
  }
  if (typeof json.description !== "string" || json.description.trim() === "") {
    throw invalid(source, "description must be the text voters read, not empty");
  }
  if (!Array.isArray(json.actions) || json.actions.length === 0) {
    throw invalid(source, "actions must be a list of at least one action");
  }
  const actions = json.actions.map((item: unknown, i) => readAction(item, `${source} action ${i + 1}`));
  return { description: json.description, actions };
}
