/**
 * The web app's Vite config. The app learns where the protocol is from `/config.json` (see src/config.ts), which
 * this config serves from the OPENLEDGER_APP_CONFIG environment variable (the JSON text) in `vite` and
 * `vite preview` alike, so one build runs against any node: `npm run app` and the browser tests set it.
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";

import { defineConfig, type Plugin } from "vite";

/** The environment variable holding the runtime config (JSON), or a path to a JSON file when it starts with "@". */
export const CONFIG_ENV = "OPENLEDGER_APP_CONFIG";

function runtimeConfig(): string | undefined {
  const value = process.env[CONFIG_ENV];
  if (value === undefined || value === "") return undefined;
  return value.startsWith("@") ? readFileSync(value.slice(1), "utf8") : value;
}

function serveConfig(): Plugin {
  const handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (req.url?.split("?")[0] !== "/config.json") return next();
    const body = runtimeConfig();
    res.setHeader("content-type", "application/json");
    res.setHeader("cache-control", "no-store");
    if (body === undefined) {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: `No deployment is configured: set ${CONFIG_ENV} (npm run app does).` }));
      return;
    }
    res.end(body);
  };
  return {
    name: "openledger-runtime-config",
    configureServer: (server) => void server.middlewares.use(handler),
    configurePreviewServer: (server) => void server.middlewares.use(handler),
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  plugins: [serveConfig()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // The tokenizer (for quotes from text) is its own chunk, loaded only when a text is quoted.
    chunkSizeWarningLimit: 4_000,
  },
  server: { host: "127.0.0.1", strictPort: true },
  preview: { host: "127.0.0.1", strictPort: true },
});
