/**
 * A backend that forwards to any OpenAI-compatible upstream (another gemma-edge on Node, vLLM, llama.cpp's server):
 * streaming chat/text completions passed through as text deltas. Upstream errors map to 4xx/5xx BackendErrors.
 */
import { ChatCompletionChunk, CompletionChunk, ModelList } from "@gemma-edge/protocol";
import { readSse } from "../sse.js";
import { type Backend, BackendError, type GeneratePart, type GenerateRequest } from "./types.js";

export interface OpenAICompatibleOptions {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:8787/v1`. */
  baseURL: string;
  apiKey?: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

export function openAICompatibleBackend(options: OpenAICompatibleOptions): Backend {
  const doFetch = options.fetch ?? fetch;
  const base = options.baseURL.replace(/\/+$/, "");
  const headers = (): Record<string, string> => ({
    "content-type": "application/json",
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  });
  const call = async (path: string, init: RequestInit): Promise<Response> => {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { ...init, headers: headers() });
    } catch (cause) {
      if ((init.signal as AbortSignal | undefined)?.aborted) throw cause;
      throw new BackendError(`the upstream at ${base} cannot be reached`, 502);
    }
    if (!res.ok) {
      const status = res.status === 404 ? 404 : res.status === 429 ? 429 : res.status >= 500 ? 502 : 502;
      const retry = Number(res.headers.get("retry-after"));
      throw new BackendError(
        `the upstream answered HTTP ${res.status}`,
        status,
        Number.isFinite(retry) && retry > 0 ? retry : undefined,
      );
    }
    return res;
  };

  return {
    kind: "openai-compatible",
    async listModels() {
      const res = await call("/models", { method: "GET" });
      const parsed = ModelList.safeParse(await res.json());
      if (!parsed.success) throw new BackendError("the upstream's model list is malformed", 502);
      return parsed.data.data.map((m) => ({
        ...m,
        gemma_edge: { ...m.gemma_edge, backend: "openai-compatible" as const },
      }));
    },
    async *generate(request: GenerateRequest): AsyncIterable<GeneratePart> {
      const sampling = {
        model: request.model,
        max_tokens: request.maxTokens,
        temperature: request.temperature,
        top_p: request.topP,
        top_k: request.topK,
        min_p: request.minP,
        repetition_penalty: request.repetitionPenalty,
        presence_penalty: request.presencePenalty,
        frequency_penalty: request.frequencyPenalty,
        seed: request.seed,
        stop: request.stop,
        stream: true,
        stream_options: { include_usage: true },
      };
      const chat = request.messages !== undefined;
      const body = chat ? { ...sampling, messages: request.messages } : { ...sampling, prompt: request.prompt ?? "" };
      const res = await call(chat ? "/chat/completions" : "/completions", {
        method: "POST",
        body: JSON.stringify(body),
        signal: request.signal,
      });
      if (!res.body) throw new BackendError("the upstream sent no body", 502);
      let finish: GeneratePart | undefined;
      let usage: { promptTokens: number; completionTokens: number } | undefined;
      for await (const data of readSse(res.body)) {
        if (data === "[DONE]") break;
        const json: unknown = JSON.parse(data);
        const parsed = chat ? ChatCompletionChunk.safeParse(json) : CompletionChunk.safeParse(json);
        if (!parsed.success) throw new BackendError("the upstream sent a malformed stream chunk", 502);
        const chunk = parsed.data;
        if (chunk.usage)
          usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
        const choice = chunk.choices[0];
        if (!choice) continue;
        const text = "delta" in choice ? (choice.delta.content ?? "") : choice.text;
        if (text !== "") yield { type: "text-delta", text };
        if (choice.finish_reason) {
          const reason = choice.finish_reason === "length" ? "length" : "stop";
          finish = { type: "finish", reason };
        }
      }
      if (request.signal.aborted) {
        yield { type: "finish", reason: "abort", ...(usage ? { usage } : {}) };
        return;
      }
      yield { ...(finish ?? { type: "finish", reason: "stop" }), ...(usage ? { usage } : {}) } as GeneratePart;
    },
  };
}
