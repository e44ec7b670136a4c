/**
 * `POST /v1/moderations` in the OpenAI shape. Categories are those of the policy in force, so the
 * `categories` and `category_scores` maps are keyed by any category name, not a fixed list; each
 * result carries the policy's findings (PII entities included) in its `gemma_edge` object.
 */
import { z } from "zod";
import { GemmaEdgeModeration } from "./findings.js";

/** The categories OpenAI's moderation models report, for clients that expect them. */
export const OPENAI_MODERATION_CATEGORIES = [
  "harassment",
  "harassment/threatening",
  "hate",
  "hate/threatening",
  "illicit",
  "illicit/violent",
  "self-harm",
  "self-harm/intent",
  "self-harm/instructions",
  "sexual",
  "sexual/minors",
  "violence",
  "violence/graphic",
] as const;

export const ModerationInputPart = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string() }),
  z.object({ type: z.literal("image_url"), image_url: z.object({ url: z.string() }) }),
]);

export const ModerationRequest = z.object({
  /** One text, several texts, or multimodal parts (gemma-edge moderates the text parts). */
  input: z.union([z.string(), z.array(z.string()).min(1), z.array(ModerationInputPart).min(1)]),
  /** Which classifier set to use; the policy's classifiers when omitted. */
  model: z.string().min(1).nullish(),
});
export type ModerationRequest = z.infer<typeof ModerationRequest>;

export const ModerationResult = z.object({
  flagged: z.boolean(),
  categories: z.record(z.string(), z.boolean()),
  category_scores: z.record(z.string(), z.number().min(0).max(1)),
  category_applied_input_types: z.record(z.string(), z.array(z.enum(["text", "image"]))).optional(),
  gemma_edge: GemmaEdgeModeration.optional(),
});
export type ModerationResult = z.infer<typeof ModerationResult>;

export const ModerationResponse = z.object({
  id: z.string(),
  model: z.string(),
  /** One result per input, in input order. */
  results: z.array(ModerationResult),
});
export type ModerationResponse = z.infer<typeof ModerationResponse>;
