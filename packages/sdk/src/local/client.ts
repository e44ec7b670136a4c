/**
 * `createLocalClient`: the remote client's surface over a Gemma model running in this browser — in a Web Worker
 * (default), or in this thread over a MessageChannel (`worker: "main-thread"`, for Node and tests). The engine is the
 * edge app itself (engine.ts), so requests, streams, errors and safety findings are exactly the remote ones.
 * @example
 * const local = createLocalClient({ model: "/models/gemma-2-2b-it-Q4_0.gguf", onProgress: (p) => console.log(p) });
 * await local.ready; // ModelInfo: backend "webgpu" or "wasm", threads, …
 * const stream = await local.chat.completions.create({ model: "gemma-local", messages, stream: true });
 * for await (const text of stream.textStream) output.append(text);
 */
import type { ModelInfo } from "@gemma-edge/gemma";
import { type Client, type ClientOptions, createClient } from "../client.js";
import { GemmaEdgeError } from "../errors.js";
import { fetchOverEndpoint } from "./bridge.js";
import {
  type Endpoint,
  type FromEngine,
  LOCAL_API_KEY,
  type LocalEngineInit,
  type LocalProgress,
  type ToEngine,
} from "./messages.js";

export interface LocalClientOptions extends LocalEngineInit, Pick<ClientOptions, "maxRetries" | "timeout"> {
  /**
   * Where the engine runs: a module Worker running `@gemma-edge/sdk/local/worker` (default: one is started from this
   * package), any endpoint to one, or `"main-thread"` (blocks this thread while it computes).
   */
  worker?: Worker | Endpoint | "main-thread";
  onProgress?: (progress: LocalProgress) => void;
}

export interface LocalClient extends Client {
  /** Resolves once the model is loaded (rejects with LocalEngineError if it cannot be). Requests wait for it. */
  readonly ready: Promise<ModelInfo>;
  /** Stops the engine and frees the model (terminates a worker this client started). */
  close(): void;
}

/** The engine could not start: a bad policy (`kind: "PolicyError"`), a model that cannot be fetched or parsed, … */
export class LocalEngineError extends GemmaEdgeError {
  override readonly name = "LocalEngineError";
  constructor(
    /** The name of the error the engine raised, e.g. "PolicyError", "ModelDownloadError", "BadMagicError". */
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

export function createLocalClient(options: LocalClientOptions): LocalClient {
  const { worker, onProgress, maxRetries, timeout, ...init } = options;
  let close = () => {};
  let endpoint: Endpoint;
  if (worker === "main-thread") {
    const channel = new MessageChannel();
    endpoint = channel.port1 as unknown as Endpoint;
    const engineSide = channel.port2 as unknown as Endpoint;
    // messages wait in the port until the engine side starts it
    void import("./serve.js").then(({ serveLocalEngine }) =>
      serveLocalEngine(engineSide, () => {
        channel.port1.close();
        channel.port2.close();
      }),
    );
    close = () => endpoint.postMessage({ type: "close" } satisfies ToEngine);
  } else if (worker) {
    endpoint = worker;
    close = () => endpoint.postMessage({ type: "close" } satisfies ToEngine);
  } else {
    const started = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    endpoint = started;
    close = () => {
      started.postMessage({ type: "close" } satisfies ToEngine);
      started.terminate();
    };
  }

  const ready = new Promise<ModelInfo>((resolve, reject) => {
    endpoint.addEventListener("message", (event) => {
      const m = event.data as FromEngine;
      if (m.type === "progress") onProgress?.(m.progress);
      else if (m.type === "ready") resolve(m.info);
      else if (m.type === "init-error") reject(new LocalEngineError(m.error.name, m.error.message));
    });
  });
  ready.catch(() => {}); // surfaced through `ready` and every request
  endpoint.start?.();
  endpoint.postMessage({ type: "init", init } satisfies ToEngine);

  const client = createClient({
    baseURL: "http://gemma-edge.local/v1",
    apiKey: LOCAL_API_KEY,
    fetch: fetchOverEndpoint(endpoint, ready),
    ...(maxRetries === undefined ? {} : { maxRetries }),
    ...(timeout === undefined ? {} : { timeout }),
  });
  return { ...client, ready, close };
}
