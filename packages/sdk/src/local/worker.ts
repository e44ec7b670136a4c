/**
 * The Web Worker entry of the local mode: `new Worker(new URL("@gemma-edge/sdk/local/worker", import.meta.url),
 * { type: "module" })`, or let `createLocalClient` start it. The engine (WASM threads or WebGPU) runs here, off the
 * page's main thread.
 */
import { serveLocalEngine } from "./serve.js";

const scope = globalThis as unknown as { close(): void } & import("./messages.js").Endpoint;
serveLocalEngine(scope, () => scope.close());
