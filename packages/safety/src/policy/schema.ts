/**
 * The moderation policy: a JSON document an operator writes per API key, validated by a zod schema.
 * Every object is strict (a typo is an error, not a silently ignored field). `parsePolicy` also guards
 * against hostile documents before zod sees them: size, nesting depth, node count and
 * prototype-pollution keys (`__proto__`, `constructor`, `prototype`).
 */
import { validationIssues } from "@gemma-edge/protocol";
import { z } from "zod";
import { CATEGORIES } from "../classifiers/taxonomy.js";
import { ENTITIES } from "../types.js";
import { checkShape, PolicyError } from "./errors.js";

/** What a policy does with a detected entity. */
export const EntityActionSchema = z.enum(["allow", "redact", "mask", "hash", "pseudonymize", "block"]);

const CLASSIFIER_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const RESERVED = new Set(["constructor", "prototype", "toString", "valueOf", "hasOwnProperty"]);

/** A classifier name: lowercase, digits, `_` or `-`, not an Object.prototype member. */
export const ClassifierName = z
  .string()
  .regex(CLASSIFIER_NAME, "classifier names are lowercase letters, digits, '_' or '-'")
  .refine((name) => !RESERVED.has(name), "reserved name");

/** The threshold and action of one harm category. */
export const CategoryRule = z.strictObject({
  /** The combined score at or above which `action` applies, in [0, 1]. @default 0.5 */
  threshold: z.number().min(0).max(1).default(0.5),
  /** `block` refuses / stops, `flag` reports only, `allow` ignores. @default "flag" */
  action: z.enum(["block", "flag", "allow"]).default("flag"),
});
export type CategoryRule = z.infer<typeof CategoryRule>;

const stageFields = {
  /**
   * Entity name → action. Entities left out are not looked for (detection costs time: `PHONE` most).
   * @default {} (nothing is looked for; `DEFAULT_POLICY` names secrets and financial identifiers)
   */
  entities: z.partialRecord(z.enum(ENTITIES), EntityActionSchema).default({}),
  /** Category → `{ threshold, action }`. Categories left out are scored but never acted on. @default {} */
  categories: z.partialRecord(z.enum(CATEGORIES), CategoryRule).default({}),
  /**
   * Classifier name → weight in [0, 1]. A category's combined score is the highest weight × score over
   * the classifiers. Built in: `lexical`, `injection`; others are passed to the pipeline by name.
   * @default { lexical: 1, injection: 1 }
   */
  classifiers: z.record(ClassifierName, z.number().min(0).max(1)).default({ lexical: 1, injection: 1 }),
};

/** What the policy checks in prompts. */
export const InputStagePolicy = z.strictObject({
  ...stageFields,
  /** Requests whose message texts together exceed this many UTF-16 code units are blocked. @default 32000 */
  maxInputChars: z.int().min(1).max(10_000_000).default(32_000),
});
export type InputStagePolicy = z.infer<typeof InputStagePolicy>;

/** What the policy checks in model output (whole and streamed). */
export const OutputStagePolicy = z.strictObject(stageFields);
export type OutputStagePolicy = z.infer<typeof OutputStagePolicy>;

export type StagePolicy = InputStagePolicy | OutputStagePolicy;

/** How streamed output is checked. */
export const StreamingPolicy = z.strictObject({
  /**
   * Classifier window stride in tokens, counted as 4 characters each so the result does not depend on
   * how the text was chunked. Text is released only after the window that contains it was scored.
   * @default 16
   */
  windowTokens: z.int().min(1).max(4096).default(16),
  /**
   * The first window, in tokens: the answer's opening is scored (and released) after this many, then windows double
   * until they reach `windowTokens` — a short wait for the first text at the cost of a few more classifier runs. Set
   * it to `windowTokens` for fixed windows. @default 4
   */
  firstWindowTokens: z.int().min(1).max(4096).default(4),
  /**
   * The most trailing characters held back for entities not yet complete. When absent, the longest
   * match of the output stage's entities (at most 256). Entities a detector reports while still growing
   * (JWT, PEM blocks, tokens) are held whole whatever this is. @default undefined
   */
  holdBackChars: z.int().min(0).max(4096).optional(),
});
export type StreamingPolicy = z.infer<typeof StreamingPolicy>;

export const PolicySchema = z.strictObject({
  /** The policy's name, reported in every decision. @default "default" */
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, "ids are 1–128 letters, digits, '.', '_', ':' or '-'")
    .default("default"),
  /** The policy's revision; bump it on every change so logs say which revision decided. @default 1 */
  version: z.int().min(1).max(Number.MAX_SAFE_INTEGER).default(1),
  /** `enforce` applies the decision; `shadow` reports it and lets the request through unchanged. @default "enforce" */
  mode: z.enum(["enforce", "shadow"]).default("enforce"),
  /** Checks on prompts. @default see `InputStagePolicy` */
  input: InputStagePolicy.default(() => InputStagePolicy.parse({})),
  /** Checks on model output. @default see `OutputStagePolicy` */
  output: OutputStagePolicy.default(() => OutputStagePolicy.parse({})),
  /** What the caller is told when a request is refused. @default "This request was blocked by the content policy." */
  blockedMessage: z.string().min(1).max(2000).default("This request was blocked by the content policy."),
  /** Streaming output settings. @default { windowTokens: 16 } */
  streaming: StreamingPolicy.default(() => StreamingPolicy.parse({})),
  /**
   * The name of the secret that holds the HMAC key of the `hash` action (the key itself never sits
   * in a policy); the pipeline resolves it through its `hashKeys` option. @default undefined
   */
  hashKey: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/)
    .optional(),
});
/** A parsed policy, defaults filled in. */
export type Policy = z.infer<typeof PolicySchema>;
/** A policy document as written, before defaults. */
export type PolicyInput = z.input<typeof PolicySchema>;

/** The largest policy document `parsePolicy` reads, in UTF-16 code units. */
export const MAX_POLICY_CHARS = 256 * 1024;

/**
 * Parses and validates a policy from JSON text or an already parsed value.
 * Throws a `PolicyError` listing every issue with its path.
 *
 * @example
 * const policy = parsePolicy('{"id":"chat","input":{"entities":{"EMAIL":"pseudonymize"}}}');
 * policy.input.entities.EMAIL; // "pseudonymize"
 */
export function parsePolicy(json: string | unknown): Policy {
  let value: unknown = json;
  if (typeof json === "string") {
    if (json.length > MAX_POLICY_CHARS) {
      throw PolicyError.single("too_large", `policy is larger than ${MAX_POLICY_CHARS} characters`);
    }
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw PolicyError.single("invalid_json", `policy is not JSON: ${(error as Error).message}`);
    }
  }
  const shapeIssues = checkShape(value);
  if (shapeIssues.length > 0) throw new PolicyError(shapeIssues);
  const parsed = PolicySchema.safeParse(value);
  if (!parsed.success) throw new PolicyError(validationIssues(parsed.error));
  return parsed.data;
}

/**
 * The JSON Schema of a policy document (what an operator writes: defaults are optional), for editors.
 *
 * @example
 * writeFile("policy.schema.json", JSON.stringify(policyJsonSchema(), null, 2));
 */
export function policyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PolicySchema, { io: "input" }) as Record<string, unknown>;
}
