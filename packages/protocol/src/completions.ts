/**
 * `POST /v1/completions`: the legacy text completion request, response and stream chunk in the
 * OpenAI shape. The prompt is raw text (or token ids): no chat template is applied.
 */
import { z } from "zod";
import { completionEnvelope, FinishReason, samplingFields, Usage } from "./common.js";
import { GemmaEdgeModeration } from "./findings.js";

const tokenId = z.int().min(0);

export const CompletionRequest = z.object({
  model: z.string().min(1),
  /** Text, several texts, token ids, or several lists of token ids. */
  prompt: z.union([
    z.string(),
    z.array(z.string()).min(1),
    z.array(tokenId).min(1),
    z.array(z.array(tokenId).min(1)).min(1),
  ]),
  ...samplingFields,
  /** Upper bound on generated tokens. @default 16 (as OpenAI) */
  max_tokens: z.int().min(1).nullish(),
  /** Also return the prompt in front of the completion. @default false */
  echo: z.boolean().nullish(),
  /** Return the log probabilities of this many top tokens per position (0–5). */
  logprobs: z.int().min(0).max(5).nullish(),
  /** Accepted for OpenAI compatibility; gemma-edge does not fill in the middle. */
  suffix: z.string().nullish(),
  /** Accepted for OpenAI compatibility; gemma-edge generates `n` choices and does not rank more. */
  best_of: z.int().min(1).max(20).nullish(),
});
export type CompletionRequest = z.infer<typeof CompletionRequest>;

export const CompletionLogprobs = z.object({
  tokens: z.array(z.string()).optional(),
  token_logprobs: z.array(z.number()).optional(),
  top_logprobs: z.array(z.record(z.string(), z.number())).optional(),
  text_offset: z.array(z.int()).optional(),
});

const completionChoice = {
  index: z.int().min(0),
  text: z.string(),
  logprobs: CompletionLogprobs.nullable(),
} as const;

export const Completion = z.object({
  ...completionEnvelope,
  object: z.literal("text_completion"),
  choices: z.array(z.object({ ...completionChoice, finish_reason: FinishReason })),
  usage: Usage.optional(),
  gemma_edge: GemmaEdgeModeration.optional(),
});
export type Completion = z.infer<typeof Completion>;

/** A streamed piece of a text completion: OpenAI reuses `object: "text_completion"` for chunks. */
export const CompletionChunk = z.object({
  ...completionEnvelope,
  object: z.literal("text_completion"),
  choices: z.array(z.object({ ...completionChoice, finish_reason: FinishReason.nullable() })),
  usage: Usage.nullish(),
  gemma_edge: GemmaEdgeModeration.optional(),
});
export type CompletionChunk = z.infer<typeof CompletionChunk>;
