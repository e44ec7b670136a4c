/// <reference types="node" />
/**
 * The `local` backend on Node: the Gemma engine in a worker thread (local-worker.mjs) so the server's event loop stays
 * responsive while it computes. One generation runs at a time; up to `queueLimit` wait in FIFO order (the worker
 * serializes them); more get 429 with `Retry-After`. A request whose signal aborts (client gone, timeout) stops its
 * generation within one token.
 */
import { Worker } from "node:worker_threads";
import type { LoadProgress, ModelInfo } from "@gemma-edge/gemma";
import type { Model } from "@gemma-edge/protocol";
import { type Backend, BackendError, type GeneratePart, type GenerateRequest } from "../../backends/types.js";

export interface LocalBackendOptions {
  /** Path of the GGUF file. */
  modelPath: string;
  /** The id clients pass as `model`. @default the file's name without .gguf */
  modelId?: string;
  /** Kernel threads in the engine. @default 1 */
  threads?: number;
  /** KV cache positions. @default min(context length, 4096) */
  maxContext?: number;
  /** Requests allowed to wait behind the running one. @default 8 */
  queueLimit?: number;
  onProgress?: (progress: LoadProgress) => void;
}

/** What the engine thread has finished so far (every generation, including those whose client went away). */
export interface LocalBackendStats {
  /** Generations that ended, by finish reason. */
  finished: { stop: number; length: number; abort: number };
  /** Tokens generated over all of them. */
  completionTokens: number;
}

export interface LocalBackend extends Backend {
  readonly info: ModelInfo;
  /** A snapshot of the engine thread's work (a server's metrics; tests use it to see an abort stop a generation). */
  stats(): LocalBackendStats;
  close(): Promise<void>;
}

type FromWorker =
  | { type: "ready"; info: ModelInfo }
  | { type: "progress"; progress: LoadProgress }
  | { type: "fatal"; message: string }
  | { type: "part"; id: number; part: GeneratePart }
  | { type: "error"; id: number; status: 400 | 500; message: string }
  | { type: "end"; id: number };

export async function localBackend(options: LocalBackendOptions): Promise<LocalBackend> {
  const modelId = options.modelId ?? options.modelPath.replace(/^.*[\\/]/, "").replace(/\.gguf$/i, "");
  const worker = new Worker(new URL("./local-worker.mjs", import.meta.url), {
    // plain Node resolution (a test runner may pass its own --conditions, e.g. to TypeScript sources)
    execArgv: process.execArgv.filter((a) => !/^(--conditions|-C)/.test(a)),
    workerData: { modelPath: options.modelPath, threads: options.threads ?? 1, maxContext: options.maxContext },
  });
  const listeners = new Map<number, (msg: FromWorker) => void>();
  const stats: LocalBackendStats = { finished: { stop: 0, length: 0, abort: 0 }, completionTokens: 0 };
  const info = await new Promise<ModelInfo>((resolve, reject) => {
    worker.on("message", (msg: FromWorker) => {
      if (msg.type === "ready") resolve(msg.info);
      else if (msg.type === "progress") options.onProgress?.(msg.progress);
      else if (msg.type === "fatal") reject(new Error(`the model did not load: ${msg.message}`));
      else {
        // counted here, not in generate(): a consumer that stopped early no longer listens for its finish
        if (msg.type === "part" && msg.part.type === "finish") {
          stats.finished[msg.part.reason]++;
          stats.completionTokens += msg.part.usage?.completionTokens ?? 0;
        }
        listeners.get(msg.id)?.(msg);
      }
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the engine thread exited (${code}) before the model loaded`)));
  });
  const queueLimit = options.queueLimit ?? 8;
  let inFlight = 0;
  let nextId = 1;
  const model: Model = {
    id: modelId,
    object: "model",
    created: 0,
    owned_by: "gemma-edge",
    gemma_edge: {
      backend: "local",
      architecture: info.architecture,
      context_length: info.maxContext,
      quantization: Object.keys(info.formats).join("+"),
    },
  };

  return {
    kind: "local",
    info,
    stats: () => ({ finished: { ...stats.finished }, completionTokens: stats.completionTokens }),
    async listModels() {
      return [model];
    },
    async *generate(request: GenerateRequest): AsyncIterable<GeneratePart> {
      if (request.model !== modelId) throw new BackendError(`this server serves ${modelId}`, 404);
      if (inFlight > queueLimit) throw new BackendError("the engine is busy; retry shortly", 429, 2);
      inFlight++;
      const id = nextId++;
      const inbox: FromWorker[] = [];
      let wake: (() => void) | undefined;
      listeners.set(id, (msg) => {
        inbox.push(msg);
        wake?.();
      });
      let ended = false;
      const abort = () => worker.postMessage({ type: "abort", id });
      request.signal.addEventListener("abort", abort, { once: true });
      const { signal: _signal, ...plain } = request;
      worker.postMessage({ type: "generate", id, request: plain });
      try {
        for (;;) {
          const msg = inbox.shift();
          if (!msg) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            wake = undefined;
            continue;
          }
          if (msg.type === "part") yield msg.part;
          else if (msg.type === "error") throw new BackendError(msg.message, msg.status);
          else if (msg.type === "end") {
            ended = true;
            return;
          }
        }
      } finally {
        if (!ended) abort(); // the consumer stopped early (client gone, output guard blocked)
        request.signal.removeEventListener("abort", abort);
        listeners.delete(id);
        inFlight--;
      }
    },
    async close() {
      await worker.terminate();
    },
  };
}
