/**
 * A refusal in one sentence. The SDK's own (its client checks and every decoded custom error) are shown as the SDK
 * words them; the app adds only what is the app's or the wallet's (no wallet, a request declined in the wallet).
 */
import { isError } from "ethers";

import { DeploymentError, toProtocolError } from "../../sdk/index.js";

/** A refusal of the app itself (no wallet, no account). */
export class AppRefusal extends Error {
  override name = "AppRefusal";
}

/** The sentence of a failed action. */
export function sentence(error: unknown): string {
  const refused = toProtocolError(error);
  if (refused !== undefined) return refused.message;
  if (error instanceof AppRefusal || error instanceof DeploymentError) return error.message;
  if (isError(error, "ACTION_REJECTED")) return "The request was declined in the wallet: nothing was sent.";
  if (isError(error, "NETWORK_ERROR") || isError(error, "TIMEOUT")) {
    return "The network did not answer: check the node or the wallet's RPC, then try again.";
  }
  const text = isError(error, "UNKNOWN_ERROR") ? error.shortMessage : error instanceof Error ? error.message : "";
  return `Unexpected error${text === "" ? "" : `: ${text}`}`.replace(/([^.])$/, "$1.");
}
