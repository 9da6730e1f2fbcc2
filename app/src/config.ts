/**
 * Where the protocol is: the deployment record, a JSON-RPC endpoint for reads without a wallet, and the indexer when
 * one runs. Served as `/config.json` next to the app (see vite.config.ts), so one build serves any network.
 */
import { parseDeploymentRecord, registerDeployment } from "../../sdk/index.js";
import type { AppConfig } from "./runtime-config.js";

export type { AppConfig };

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch(new URL("config.json", document.baseURI), { cache: "no-store" });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(typeof body.error === "string" ? body.error : "The app has no configuration.");
  const deployment = registerDeployment(parseDeploymentRecord(body.deployment, "config.json"));
  if (typeof body.rpcUrl !== "string") throw new Error("config.json names no rpcUrl.");
  const config: AppConfig = { deployment, rpcUrl: body.rpcUrl };
  if (typeof body.indexerUrl === "string" && body.indexerUrl !== "") config.indexerUrl = body.indexerUrl;
  if (typeof body.names === "object" && body.names !== null) config.names = body.names as Record<string, string>;
  return config;
}
