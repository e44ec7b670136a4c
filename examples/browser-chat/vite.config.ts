/**
 * The browser chat's Vite config. Dev server and preview send COOP/COEP, so the page is cross-origin isolated and the
 * local engine gets shared memory (WASM threads); they proxy `/v1` to a gemma-edge server, so remote mode works against
 * `npm start` without CORS; and they serve the demo model at `/models/demo.gguf` from the user's cache.
 */
import { fileURLToPath } from "node:url";
import { demoModelPath } from "@gemma-edge/gemma/node";
import { defineConfig, type UserConfig } from "vite";
import { serveFiles } from "./vite/serve-files.js";

/** Cross-origin isolation: without both headers `SharedArrayBuffer` is missing and the engine runs on one thread. */
export const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

export interface BrowserChatConfigOptions {
  /** The gemma-edge server `/v1` is proxied to (its origin). @default $GEMMA_EDGE_URL or "http://127.0.0.1:8787/v1" */
  edgeURL?: string;
}

/**
 * The config, with the proxy target as an option (tests point it at their own server).
 * @example
 * await build({ ...browserChatConfig({ edgeURL: "http://127.0.0.1:9000/v1" }), configFile: false });
 */
export function browserChatConfig({
  edgeURL = process.env.GEMMA_EDGE_URL ?? "http://127.0.0.1:8787/v1",
}: BrowserChatConfigOptions = {}): UserConfig {
  const server = { host: "127.0.0.1", headers: ISOLATION_HEADERS, proxy: { "/v1": new URL(edgeURL).origin } };
  return {
    root: fileURLToPath(new URL(".", import.meta.url)),
    // the demo model `npm start` serves, generated on first use into $GEMMA_EDGE_CACHE (default ~/.cache/gemma-edge)
    plugins: [serveFiles({ "/models/demo.gguf": demoModelPath })],
    server,
    preview: server,
    // the SDK starts its engine as a module worker, and the engine starts the kernels' threads the same way
    worker: { format: "es" },
    // the engine (model runtime, safety pipeline, edge app) is about 520 kB minified: the worker chunk, and a lazy page
    // chunk for the SDK's `worker: "main-thread"` mode that this page never loads
    build: { target: "es2022", chunkSizeWarningLimit: 640 },
  };
}

export default defineConfig(browserChatConfig());
