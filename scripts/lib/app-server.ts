/**
 * Builds and serves the web app (app/) with Vite, handing it its runtime config (`/config.json`, see
 * app/vite.config.ts): the Vite dev server for `npm run app`, `vite preview` of the built app for the browser tests.
 */
import path from "node:path";

import { build, createServer, preview, type InlineConfig } from "vite";

import type { AppConfig } from "../../app/src/runtime-config.js";

/** The environment variable app/vite.config.ts serves `/config.json` from. */
const CONFIG_ENV = "OPENLEDGER_APP_CONFIG";

export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

function viteConfig(root: string, port: number): InlineConfig {
  return {
    configFile: path.join(root, "app", "vite.config.ts"),
    logLevel: "warn",
    server: { port },
    preview: { port },
  };
}

/** Builds app/ into app/dist. */
export async function buildApp(root: string): Promise<void> {
  await build({ ...viteConfig(root, 0), logLevel: "error" });
}

/** Serves app/ on 127.0.0.1:`port` with `config`: the dev server, or (`built`) the build in app/dist. */
export async function serveApp(
  root: string,
  config: AppConfig,
  options: { port: number; built: boolean },
): Promise<ServedApp> {
  process.env[CONFIG_ENV] = JSON.stringify(config);
  const url = `http://127.0.0.1:${options.port}/`;
  if (options.built) {
    const server = await preview(viteConfig(root, options.port));
    return { url, close: () => server.close() };
  }
  const server = await createServer(viteConfig(root, options.port));
  await server.listen();
  return { url, close: () => server.close() };
}
