/**
 * The protocol's typed errors. Every refusal, whether a contract reverted with a custom error or the
 * client refused before sending anything, is a `ProtocolError`: a `code` (the custom error's name, or the
 * client's code for a check it makes), its `args` by name, and a one-sentence message a person can act on.
 */
import { Interface } from "ethers";

import { ABIS } from "./abis.js";
import type { ClientErrorCode } from "./client-errors.js";
import {
  ArgReader,
  CONTRACT_ERRORS,
  isContractErrorName,
  type ContractErrorName,
  type ErrorArgs,
  type ErrorValue,
} from "./contract-errors.js";

export { CONTRACT_ERRORS, isContractErrorName, type ContractErrorName, type ErrorArgs, type ErrorValue };

/** A custom error's name, or a check the client makes before sending. */
export type ProtocolErrorCode = ContractErrorName | ClientErrorCode;

/** A refusal by the protocol or by the client on its behalf. */
export class ProtocolError extends Error {
  override name = "ProtocolError";

  constructor(
    /** The custom error's name (e.g. "InferenceRouterFeeAboveMax"), or the client's code (e.g. "InsufficientBalance"). */
    readonly code: ProtocolErrorCode,
    /** The values that explain the failure, by name. */
    readonly args: ErrorArgs,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }

  /** True when a contract reverted with this error; false when the client refused before sending. */
  get reverted(): boolean {
    return isContractErrorName(this.code);
  }
}

/** True when `error` is a ProtocolError, with `code` when one is given. */
export function isProtocolError(error: unknown, code?: ProtocolErrorCode): error is ProtocolError {
  return error instanceof ProtocolError && (code === undefined || error.code === code);
}

/** Every custom error the suite can revert with, for decoding revert data. */
let errorInterfaces: Interface[] | undefined;
function interfaces(): Interface[] {
  errorInterfaces ??= Object.values(ABIS).map((abi) => new Interface(abi));
  return errorInterfaces;
}

function findRevertData(error: unknown, depth = 0): string | undefined {
  if (depth > 6 || typeof error !== "object" || error === null) return undefined;
  const record = error as Record<string, unknown>;
  const data = record.data;
  if (typeof data === "string" && /^0x[0-9a-fA-F]{8}/.test(data)) return data;
  for (const key of ["error", "info", "cause", "data"]) {
    const found = findRevertData(record[key], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function plain(value: unknown): ErrorValue {
  if (typeof value === "bigint" || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return BigInt(value);
  if (Array.isArray(value)) return value.map(plain);
  return String(value);
}

/** The custom error in a failed call or transaction (found anywhere in ethers' error chain), by name with its arguments. */
export function decodeRevert(error: unknown): { name: string; args: ErrorArgs } | undefined {
  const data = findRevertData(error);
  if (data === undefined) return undefined;
  for (const iface of interfaces()) {
    let parsed;
    try {
      parsed = iface.parseError(data);
    } catch {
      continue; // not this interface's error
    }
    if (parsed === null) continue;
    const args: Record<string, ErrorValue> = {};
    parsed.fragment.inputs.forEach((input, i) => {
      args[input.name === "" ? String(i) : input.name] = plain(parsed.args[i]);
    });
    return { name: parsed.name, args };
  }
  return undefined;
}

/** The sentence of a custom error of the suite. */
export function explainContractError(name: ContractErrorName, args: ErrorArgs): string {
  return CONTRACT_ERRORS[name](new ArgReader(args));
}

/**
 * `error` as a ProtocolError: itself when it is one, the decoded custom error when a contract of the suite
 * reverted, undefined otherwise (a bug, or a network failure).
 */
export function toProtocolError(error: unknown): ProtocolError | undefined {
  if (error instanceof ProtocolError) return error;
  const decoded = decodeRevert(error);
  if (decoded === undefined) return undefined;
  if (isContractErrorName(decoded.name)) {
    return new ProtocolError(decoded.name, decoded.args, explainContractError(decoded.name, decoded.args), {
      cause: error,
    });
  }
  // Unreachable while CONTRACT_ERRORS covers every ABI (a test checks it): named, never swallowed.
  const message = `The contract rejected the call with ${decoded.name}(${Object.values(decoded.args).map(String).join(", ")}).`;
  return new ProtocolError(decoded.name as ContractErrorName, decoded.args, message, { cause: error });
}
