/**
 * @gemma-edge/sdk/local — the Gemma engine and the safety pipeline in the browser, behind the remote client's API.
 */
export { createLocalClient, type LocalClient, type LocalClientOptions, LocalEngineError } from "./client.js";
export type { Endpoint, LocalEngineInit, LocalProgress } from "./messages.js";
export { MODEL_CACHE, ModelDownloadError } from "./model-source.js";
export { serveLocalEngine } from "./serve.js";
