/**
 * The one interface every backend implements (local gemma engine, Workers AI binding, OpenAI-compatible upstream):
 * list models, and stream a generation as parts tagged by `type`. Routes never see backend details.
 */
import type { Model } from "@gemma-edge/protocol";

/** A chat turn reduced to text (the routes reject non-text parts before a backend sees them). */
export interface TextMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface GenerateRequest {
  model: string;
  /** Chat turns (chat completions) … */
  messages?: TextMessage[];
  /** … or a raw prompt (text completions: no chat template). */
  prompt?: string;
  maxTokens: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  minP?: number;
  repetitionPenalty?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  seed?: number;
  stop?: string[];
  /** Aborted when the client goes away or the request times out: the backend stops within one token. */
  signal: AbortSignal;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export type GeneratePart =
  | { type: "text-delta"; text: string }
  | { type: "finish"; reason: "stop" | "length" | "abort"; usage?: Usage };

export interface Backend {
  /** `local`, `workers-ai` or `openai-compatible`. */
  readonly kind: NonNullable<Model["gemma_edge"]>["backend"];
  listModels(): Promise<Model[]>;
  generate(request: GenerateRequest): AsyncIterable<GeneratePart>;
}

/**
 * A backend failure with the HTTP status the caller should see: a full queue is 429 with `retryAfter`, an upstream
 * that is down is 502, a model the backend does not serve is 404, a conversation the model cannot take (Gemma's
 * strict turn order) is 400.
 */
export class BackendError extends Error {
  override readonly name = "BackendError";
  constructor(
    message: string,
    readonly status: 400 | 404 | 429 | 500 | 502 | 503 | 504,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}
