/**
 * `createGemmaEdge` — a Vercel AI SDK provider (spec v3) for a gemma-edge server. The provider is a function of the
 * model id; its language models send chat completions through the SDK's remote client. Options not given are read,
 * at call time, from `GEMMA_EDGE_BASE_URL` / `GEMMA_EDGE_API_KEY` where a `process.env` exists (Node); other runtimes
 * pass them. Retries are left to the AI SDK (`maxRetries` of `generateText` / `streamText`), so the client makes one
 * attempt per call.
 *
 * @example
 * import { streamText } from "ai";
 * import { createGemmaEdge } from "@gemma-edge/sdk/ai";
 *
 * const gemmaEdge = createGemmaEdge({ baseURL: "https://edge.example.com/v1", apiKey: "sk-…" });
 * const result = streamText({ model: gemmaEdge("gemma-2b-it"), prompt: "Write a haiku about the sea." });
 * for await (const text of result.textStream) process.stdout.write(text);
 */
import { type LanguageModelV3, NoSuchModelError, type ProviderV3 } from "@ai-sdk/provider";
import { createClient } from "../client.js";
import type { GemmaEdgeChatSettings } from "./call-options.js";
import { GemmaEdgeChatLanguageModel } from "./language-model.js";

export interface GemmaEdgeProviderSettings {
  /** The API root including `/v1`. @default process.env.GEMMA_EDGE_BASE_URL ?? "http://127.0.0.1:8787/v1" */
  baseURL?: string;
  /** Sent as `Authorization: Bearer …`. @default process.env.GEMMA_EDGE_API_KEY */
  apiKey?: string;
  /** Headers sent with every request (a call's `headers` win). @default {} */
  headers?: Record<string, string>;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Milliseconds until the response head (the first byte, for streams). @default 600_000 */
  timeout?: number;
}

/** Model ids are whatever the server lists at `GET /v1/models`. */
export type GemmaEdgeModelId = string;

export interface GemmaEdgeProvider extends ProviderV3 {
  (modelId: GemmaEdgeModelId, settings?: GemmaEdgeChatSettings): LanguageModelV3;
  languageModel(modelId: GemmaEdgeModelId, settings?: GemmaEdgeChatSettings): LanguageModelV3;
  chat(modelId: GemmaEdgeModelId, settings?: GemmaEdgeChatSettings): LanguageModelV3;
}

/** An environment variable where `process.env` exists; never touches Node APIs elsewhere. */
function env(name: string): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name];
}

export function createGemmaEdge(options: GemmaEdgeProviderSettings = {}): GemmaEdgeProvider {
  const baseURL = () =>
    (options.baseURL ?? env("GEMMA_EDGE_BASE_URL") ?? "http://127.0.0.1:8787/v1").replace(/\/+$/, "");
  const config = {
    provider: "gemma-edge.chat",
    url: () => `${baseURL()}/chat/completions`,
    client(onResponse: (response: Response) => void) {
      const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
      const apiKey = options.apiKey ?? env("GEMMA_EDGE_API_KEY");
      return createClient({
        baseURL: baseURL(),
        ...(apiKey ? { apiKey } : {}),
        ...(options.headers ? { defaultHeaders: options.headers } : {}),
        ...(options.timeout ? { timeout: options.timeout } : {}),
        maxRetries: 0,
        fetch: async (input, init) => {
          const response = await doFetch(input, init);
          onResponse(response);
          return response;
        },
      });
    },
  };
  const chat = (modelId: GemmaEdgeModelId, settings: GemmaEdgeChatSettings = {}) =>
    new GemmaEdgeChatLanguageModel(modelId, settings, config);
  const noSuchModel = (modelType: "embeddingModel" | "imageModel") => (modelId: string) => {
    throw new NoSuchModelError({ modelId, modelType, message: `gemma-edge serves no ${modelType}s.` });
  };
  return Object.assign(
    function gemmaEdge(modelId: GemmaEdgeModelId, settings?: GemmaEdgeChatSettings) {
      return chat(modelId, settings);
    },
    {
      specificationVersion: "v3" as const,
      languageModel: chat,
      chat,
      embeddingModel: noSuchModel("embeddingModel"),
      imageModel: noSuchModel("imageModel"),
    },
  );
}

/** The default provider: `GEMMA_EDGE_BASE_URL` and `GEMMA_EDGE_API_KEY`, read at call time. */
export const gemmaEdge: GemmaEdgeProvider = createGemmaEdge();
