/**
 * The `local` backend over a loaded `GemmaModel` in this thread: chat messages through Gemma's chat template, text
 * prompts as they are, one generation at a time with a bounded FIFO queue (past it: 429 with Retry-After). On Node the
 * server runs it in a worker thread (`localBackend` in `@gemma-edge/edge/node`); in workerd it runs in-isolate.
 */

import { ChatTemplateError, type GemmaModel, TokenizerError } from "@gemma-edge/gemma";
import type { Model } from "@gemma-edge/protocol";
import { type Backend, BackendError, type GeneratePart, type GenerateRequest } from "./types.js";

export interface GemmaBackendOptions {
  /** The id clients pass as `model`. */
  modelId: string;
  /** Requests allowed to wait behind the running one. @default 8 */
  queueLimit?: number;
  /** Seconds a 429 tells the client to wait. @default 2 */
  retryAfterSeconds?: number;
}

export function gemmaBackend(model: GemmaModel, options: GemmaBackendOptions): Backend {
  const queueLimit = options.queueLimit ?? 8;
  let inFlight = 0; // running + waiting
  const info: Model = {
    id: options.modelId,
    object: "model",
    created: 0,
    owned_by: "gemma-edge",
    gemma_edge: {
      backend: "local",
      architecture: model.info.architecture,
      context_length: model.info.maxContext,
      quantization: Object.keys(model.info.formats).join("+"),
    },
  };
  return {
    kind: "local",
    async listModels() {
      return [info];
    },
    async *generate(request: GenerateRequest): AsyncIterable<GeneratePart> {
      if (request.model !== options.modelId) throw new BackendError(`this server serves ${options.modelId}`, 404);
      if (inFlight > queueLimit) {
        throw new BackendError("the engine is busy; retry shortly", 429, options.retryAfterSeconds ?? 2);
      }
      const { messages, prompt, maxTokens, stop, signal, ...sampling } = request;
      try {
        if (messages) model.promptIds({ messages }); // Gemma's turn order, checked before queueing
      } catch (error) {
        if (ChatTemplateError.isInstance(error) || TokenizerError.isInstance(error))
          throw new BackendError(error.message, 400);
        throw error;
      }
      inFlight++;
      try {
        const parts = model.generate({
          ...(messages ? { messages } : { prompt: prompt ?? "" }),
          maxTokens,
          signal,
          ...(stop ? { stop } : {}),
          ...sampling,
        });
        for await (const part of parts) {
          if (part.type === "text-delta") {
            if (part.text !== "") yield { type: "text-delta", text: part.text };
          } else {
            yield {
              type: "finish",
              reason: part.reason,
              usage: { promptTokens: part.usage.promptTokens, completionTokens: part.usage.completionTokens },
            };
          }
        }
      } finally {
        inFlight--;
      }
    },
  };
}
