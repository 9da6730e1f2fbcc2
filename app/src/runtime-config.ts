/** What `/config.json` holds: written by whoever serves the app (`npm run app`, the browser tests). */
import type { DeploymentRecord } from "../../sdk/core/deployments.js";

export interface AppConfig {
  deployment: DeploymentRecord;
  /** JSON-RPC URL for reads when no wallet is connected. */
  rpcUrl: string;
  /** The indexer's base URL, when one runs (lists are read from it: see src/lists.ts). */
  indexerUrl?: string;
  /** Names for known addresses, by lower-case address (the seeded actors of `npm run app`). */
  names?: Record<string, string>;
}
