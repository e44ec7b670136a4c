/**
 * The `workers-ai` backend: Cloudflare's AI binding (`env.AI`). A generation is one streaming `ai.run(model, { messages
 * | prompt, stream: true, … })`, whose result is a byte stream of SSE events `data: {"response":"…"}` ending with
 * `data: [DONE]` (the last event may carry `usage`). Workers AI has no stop sequences, so they are applied here.
 * Errors thrown by the binding carry a Workers AI code ("3040: Out of capacity"); they map to BackendErrors.
 */
import type { Model } from "@gemma-edge/protocol";
import { readSse } from "../sse.js";
import { type Backend, BackendError, type GeneratePart, type GenerateRequest, type Usage } from "./types.js";

/** The slice of Cloudflare's `Ai` binding this backend uses. */
export interface WorkersAiBinding {
  run(model: string, inputs: Record<string, unknown>): Promise<unknown>;
}

export interface WorkersAiOptions {
  /** The Workers AI models clients may name, e.g. `["@cf/google/gemma-7b-it-lora"]`. */
  models: readonly string[];
}

/** Workers AI error codes (developers.cloudflare.com/workers-ai/platform/errors) → the status our caller sees. */
const STATUS_OF_CODE: Record<string, BackendError["status"]> = {
  "5007": 404, // no such model
  "3042": 404, // invalid model id
  "3003": 400, // incomplete request
  "5004": 400, // invalid data
  "3006": 400, // request too large
  "3036": 429, // daily allocation used up
  "3040": 429, // out of capacity
  "3007": 504, // timeout
  "3008": 504, // aborted upstream
};

/** A BackendError for what `ai.run` threw; the message never echoes the request. */
export function workersAiError(error: unknown): BackendError {
  const message = error instanceof Error ? error.message : String(error);
  const code = message.match(/\b([35]\d{3})\b/)?.[1];
  const status = (code && STATUS_OF_CODE[code]) || 502;
  return new BackendError(`Workers AI failed${code ? ` (code ${code})` : ""}`, status, status === 429 ? 5 : undefined);
}

/**
 * @example
 * export default { fetch: (req, env) => createApp({ backend: workersAiBackend(env.AI, { models }), keys }).fetch(req) };
 */
export function workersAiBackend(ai: WorkersAiBinding, options: WorkersAiOptions): Backend {
  const models: Model[] = options.models.map((id) => ({
    id,
    object: "model",
    created: 0,
    owned_by: "cloudflare",
    gemma_edge: { backend: "workers-ai" },
  }));
  return {
    kind: "workers-ai",
    async listModels() {
      return models;
    },
    async *generate(request: GenerateRequest): AsyncIterable<GeneratePart> {
      if (!options.models.includes(request.model)) {
        throw new BackendError(`the model ${request.model} is not served here`, 404);
      }
      let result: unknown;
      try {
        result = await ai.run(request.model, inputsOf(request));
      } catch (error) {
        throw workersAiError(error);
      }
      const stops = new StopSequences(request.stop ?? []);
      let usage: Usage | undefined;
      let stopped = false;
      const texts = streamTexts(result, (u) => {
        usage = u;
      });
      for await (const text of texts) {
        const { release, hit } = stops.push(text);
        if (release !== "") yield { type: "text-delta", text: release };
        if (hit || request.signal.aborted) {
          stopped = true;
          break;
        }
      }
      if (!stopped) {
        const rest = stops.flush();
        if (rest !== "") yield { type: "text-delta", text: rest };
      }
      const reason = request.signal.aborted ? "abort" : stops.hit ? "stop" : stopReason(usage, request.maxTokens);
      yield { type: "finish", reason, ...(usage ? { usage } : {}) };
    },
  };
}

/** The `ai.run` inputs of a request: undefined fields left out; a raw prompt skips the model's chat template. */
function inputsOf(request: GenerateRequest): Record<string, unknown> {
  const inputs: Record<string, unknown> = {
    ...(request.messages ? { messages: request.messages } : { prompt: request.prompt ?? "", raw: true }),
    stream: true,
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    top_p: request.topP,
    top_k: request.topK,
    seed: request.seed,
    repetition_penalty: request.repetitionPenalty,
    frequency_penalty: request.frequencyPenalty,
    presence_penalty: request.presencePenalty,
  };
  for (const key of Object.keys(inputs)) if (inputs[key] === undefined) delete inputs[key];
  return inputs;
}

function stopReason(usage: Usage | undefined, maxTokens: number): "stop" | "length" {
  return usage && usage.completionTokens >= maxTokens ? "length" : "stop";
}

/** The `response` texts of a Workers AI result: its SSE stream, or (some models) one non-streamed object. */
async function* streamTexts(result: unknown, onUsage: (usage: Usage) => void): AsyncIterable<string> {
  if (!(result instanceof ReadableStream)) {
    const response = (result as { response?: unknown } | null)?.response;
    if (typeof response !== "string") throw new BackendError("Workers AI sent no stream", 502);
    yield response;
    return;
  }
  const stream = result as ReadableStream<Uint8Array>;
  try {
    for await (const data of readSse(stream)) {
      if (data === "[DONE]") break;
      let event: { response?: unknown; usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } };
      try {
        event = JSON.parse(data) as typeof event;
      } catch {
        throw new BackendError("Workers AI sent a malformed stream event", 502);
      }
      const { prompt_tokens: promptTokens, completion_tokens: completionTokens } = event.usage ?? {};
      if (typeof promptTokens === "number" && typeof completionTokens === "number")
        onUsage({ promptTokens, completionTokens });
      if (typeof event.response === "string" && event.response !== "") yield event.response;
    }
  } finally {
    await stream.cancel().catch(() => {});
  }
}

/**
 * Applies stop sequences to streamed text: holds back the tail that could still begin a stop sequence, and cuts the
 * text where one completes.
 */
export class StopSequences {
  #pending = "";
  hit = false;
  readonly #longest: number;

  constructor(private readonly stops: readonly string[]) {
    this.#longest = Math.max(0, ...stops.map((s) => s.length));
  }

  /** Adds text; returns what may be released and whether a stop sequence completed. */
  push(text: string): { release: string; hit: boolean } {
    if (this.stops.length === 0) return { release: text, hit: false };
    this.#pending += text;
    let cut = -1;
    for (const stop of this.stops) {
      const at = stop === "" ? -1 : this.#pending.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.hit = true;
      const release = this.#pending.slice(0, cut);
      this.#pending = "";
      return { release, hit: true };
    }
    let keep = Math.min(this.#pending.length, this.#longest - 1);
    while (keep > 0 && !this.stops.some((stop) => stop.startsWith(this.#pending.slice(-keep)))) keep--;
    const release = this.#pending.slice(0, this.#pending.length - keep);
    this.#pending = this.#pending.slice(this.#pending.length - keep);
    return { release, hit: false };
  }

  /** What is still held back once the stream has ended. */
  flush(): string {
    const rest = this.#pending;
    this.#pending = "";
    return rest;
  }
}
