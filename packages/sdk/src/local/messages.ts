/**
 * The messages between a local client (the page) and its engine (a Web Worker, or a MessageChannel in the same
 * thread): an `init` with the model and policy, progress, then HTTP requests and responses of the edge app carried as
 * plain structured-clonable objects — a response as a head, body chunks and an end.
 */
import type { LoadProgress, ModelInfo } from "@gemma-edge/gemma";

/** The API key the local client and its engine share (nothing else can reach the engine). */
export const LOCAL_API_KEY = "gemma-edge-local";

/** Loading progress: the model download (or the cache hit), then the engine's own load progress. */
export type LocalProgress =
  | { status: "download"; loaded: number; total: number | undefined }
  | { status: "cached"; bytes: number }
  | LoadProgress;

/** What the engine needs to start (structured-clonable: a URL string, a Blob/File or bytes; a policy object). */
export interface LocalEngineInit {
  /** The GGUF model: a URL (downloaded once, then served from the Cache API), a `File`/`Blob`, or bytes. */
  model: string | Blob | ArrayBuffer | Uint8Array;
  /** The id requests pass as `model`. @default "gemma-local" */
  modelId?: string;
  /** The moderation policy (safety's policy schema); its `id` is the one findings report. @default DEFAULT_POLICY */
  policy?: Record<string, unknown>;
  /** @default "auto" (WebGPU on a real GPU adapter, else WASM) */
  backend?: "auto" | "webgpu" | "wasm";
  /** WASM threads. @default up to 4 when cross-origin isolated, else 1 */
  threads?: number;
  /** Keep a downloaded model in the Cache API. @default true */
  cache?: boolean;
  /** Positions of the KV cache. @default min(model context, 4096) */
  maxContext?: number;
}

export interface SerializedError {
  name: string;
  message: string;
}

export type ToEngine =
  | { type: "init"; init: LocalEngineInit }
  | { type: "request"; id: number; method: string; url: string; headers: [string, string][]; body: string | null }
  | { type: "abort"; id: number }
  | { type: "close" };

export type FromEngine =
  | { type: "progress"; progress: LocalProgress }
  | { type: "ready"; info: ModelInfo }
  | { type: "init-error"; error: SerializedError }
  | { type: "head"; id: number; status: number; headers: [string, string][] }
  | { type: "chunk"; id: number; bytes: Uint8Array }
  | { type: "end"; id: number }
  | { type: "error"; id: number; error: SerializedError };

/** What both sides talk through: a Worker, a worker's global scope, or a MessagePort. */
export interface Endpoint {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  removeEventListener?(type: "message", listener: (event: MessageEvent) => void): void;
  start?(): void;
}
