/**
 * What a moderation policy found and did, as gemma-edge reports it to the caller in the `gemma_edge`
 * extension object of responses, stream chunks, moderation results and error bodies.
 * Findings never carry the matched text: only its span, so logs and responses can hold them safely.
 */
import { z } from "zod";

/** Where in the pipeline a finding was made. */
export const Stage = z.enum(["input", "output", "output_stream"]);
export type Stage = z.infer<typeof Stage>;

/** What a policy does with a detected entity (PII or secret). */
export const EntityAction = z.enum(["allow", "redact", "mask", "hash", "pseudonymize", "block"]);
export type EntityAction = z.infer<typeof EntityAction>;

/** What a policy does with a harm category whose score crossed its threshold. */
export const CategoryAction = z.enum(["allow", "flag", "block"]);
export type CategoryAction = z.infer<typeof CategoryAction>;

/**
 * A half-open range `[start, end)` in UTF-16 code units. For the input stage it indexes the text of
 * `messages[message_index]` (or of `input[message_index]` for /v1/moderations); for output stages it
 * indexes the text generated for the choice so far.
 */
export const Span = z
  .object({
    start: z.int().min(0),
    end: z.int().min(0),
    message_index: z.int().min(0).optional(),
  })
  .refine((s) => s.end >= s.start, { message: "span end must not be before its start", path: ["end"] });
export type Span = z.infer<typeof Span>;

/** A detected entity: `EMAIL`, `CREDIT_CARD`, `AWS_ACCESS_KEY`, … */
export const EntityFinding = z.object({
  kind: z.literal("entity"),
  stage: Stage,
  entity: z.string().min(1),
  span: Span,
  /** Detector confidence in [0, 1]. */
  score: z.number().min(0).max(1),
  action: EntityAction,
  /** The check that confirmed the match, e.g. `luhn`, `mod97`, `eip55`. */
  validator: z.string().optional(),
});
export type EntityFinding = z.infer<typeof EntityFinding>;

/** A harm category scored by a classifier: `hate`, `harassment`, `prompt_injection`, … */
export const CategoryFinding = z.object({
  kind: z.literal("category"),
  stage: Stage,
  category: z.string().min(1),
  /** Classifier score in [0, 1]. */
  score: z.number().min(0).max(1),
  /** The policy threshold the score was compared with. */
  threshold: z.number().min(0).max(1).optional(),
  action: CategoryAction,
  /** Which classifier scored it, e.g. `lexical`, `onnx`, `shieldgemma`. */
  classifier: z.string().min(1),
  /** Present when only part of the text was scored (a streaming window). */
  span: Span.optional(),
});
export type CategoryFinding = z.infer<typeof CategoryFinding>;

export const Finding = z.discriminatedUnion("kind", [EntityFinding, CategoryFinding]);
export type Finding = z.infer<typeof Finding>;

/**
 * The `gemma_edge` extension object. `decision` is what the policy did overall: `allow` (nothing
 * changed), `modify` (text was redacted, masked, hashed or pseudonymized), `block` (the request was
 * refused or the output stopped). In `shadow` mode the decision is reported but not applied.
 */
export const GemmaEdgeModeration = z.object({
  policy_id: z.string().min(1),
  mode: z.enum(["enforce", "shadow"]),
  decision: z.enum(["allow", "modify", "block"]),
  findings: z.array(Finding),
});
export type GemmaEdgeModeration = z.infer<typeof GemmaEdgeModeration>;
