/**
 * Pieces shared by the chat and text completion wire formats: sampling fields, stop sequences,
 * usage and finish reasons. Field names and ranges follow the OpenAI API; `top_k`, `min_p` and
 * `repetition_penalty` are the extension names llama.cpp's and vLLM's servers accept.
 */
import { z } from "zod";

/** Why a choice stopped. `content_filter` means a moderation policy stopped or blocked it. */
export const FinishReason = z.enum(["stop", "length", "tool_calls", "content_filter", "function_call"]);
export type FinishReason = z.infer<typeof FinishReason>;

/** Up to four stop sequences, as OpenAI accepts them. */
export const Stop = z.union([z.string(), z.array(z.string()).max(4)]);
export type Stop = z.infer<typeof Stop>;

/** Options of a streamed response. */
export const StreamOptions = z.object({
  /** Send one extra chunk before `[DONE]` whose `usage` counts the whole request. @default false */
  include_usage: z.boolean().nullish(),
  /** Accepted for OpenAI compatibility; gemma-edge does not pad stream chunks. */
  include_obfuscation: z.boolean().nullish(),
});
export type StreamOptions = z.infer<typeof StreamOptions>;

/**
 * Sampling and length fields common to chat and text completion requests. Every field is optional
 * and may be `null` (several clients send explicit nulls for unset fields).
 */
export const samplingFields = {
  /** Softmax temperature, 0 = greedy. @default 1 */
  temperature: z.number().min(0).max(2).nullish(),
  /** Nucleus sampling mass. @default 1 */
  top_p: z.number().gt(0).max(1).nullish(),
  /** Keep only the k most likely tokens (0 = off). Extension, as in llama.cpp and vLLM. */
  top_k: z.int().min(0).nullish(),
  /** Drop tokens whose probability is below `min_p` × the top probability. Extension. */
  min_p: z.number().min(0).max(1).nullish(),
  /** Multiplicative penalty on tokens already present (1 = off). Extension. */
  repetition_penalty: z.number().gt(0).max(10).nullish(),
  /** @default 0 */
  presence_penalty: z.number().min(-2).max(2).nullish(),
  /** @default 0 */
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  /** Token id (as a decimal string) → bias added to its logit. */
  logit_bias: z.record(z.string().regex(/^\d{1,9}$/), z.number().min(-100).max(100)).nullish(),
  /** Seed for reproducible sampling. */
  seed: z.int().nullish(),
  /** Number of choices to generate. @default 1 */
  n: z.int().min(1).max(128).nullish(),
  /** Sequences where generation stops; not included in the output. */
  stop: Stop.nullish(),
  /** Stream the answer as server-sent events. @default false */
  stream: z.boolean().nullish(),
  stream_options: StreamOptions.nullish(),
  /** End-user id; used for logs and rate limits, never sent to a model. */
  user: z.string().max(256).nullish(),
} as const;

/** Token counts of one request. */
export const Usage = z.object({
  prompt_tokens: z.int().min(0),
  completion_tokens: z.int().min(0),
  total_tokens: z.int().min(0),
  prompt_tokens_details: z.object({ cached_tokens: z.int().min(0).optional() }).nullish(),
  completion_tokens_details: z.object({ reasoning_tokens: z.int().min(0).optional() }).nullish(),
});
export type Usage = z.infer<typeof Usage>;

/** Top-level fields every completion object and chunk carries. */
export const completionEnvelope = {
  id: z.string(),
  /** Unix time in seconds. */
  created: z.int(),
  model: z.string(),
  system_fingerprint: z.string().nullish(),
} as const;
