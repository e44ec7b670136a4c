/**
 * The error body every gemma-edge HTTP error carries, in the OpenAI shape
 * (`{ error: { message, type, code, param } }`), and the conversion of a zod validation failure into
 * one. A 400 for an invalid body lists every issue with its path; a request refused by a policy has
 * `code: "content_filter"` and the policy's findings in `gemma_edge`.
 */
import { z } from "zod";
import { GemmaEdgeModeration } from "./findings.js";

/** The `type` values gemma-edge sends (OpenAI's, plus `content_filter_error`). */
export const ERROR_TYPES = [
  "invalid_request_error",
  "authentication_error",
  "permission_error",
  "not_found_error",
  "conflict_error",
  "rate_limit_error",
  "content_filter_error",
  "timeout_error",
  "server_error",
] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

/** One validation problem: where (`path` and its printed form `param`) and what. */
export const ValidationIssue = z.object({
  path: z.array(z.union([z.string(), z.int()])),
  param: z.string(),
  message: z.string(),
  code: z.string(),
});
export type ValidationIssue = z.infer<typeof ValidationIssue>;

export const ErrorBody = z.object({
  error: z.object({
    message: z.string(),
    /** One of `ERROR_TYPES` from gemma-edge; any string from other OpenAI-compatible servers. */
    type: z.string(),
    code: z.string().nullable(),
    /** The request field at fault, e.g. `messages[0].role`. */
    param: z.string().nullable(),
    /** Every validation issue of an invalid request body (extension). */
    issues: z.array(ValidationIssue).optional(),
    /** The policy decision and findings of a request refused by moderation (extension). */
    gemma_edge: GemmaEdgeModeration.optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/**
 * Prints a path the way OpenAI names params: `messages[0].content[1].text`.
 * @example formatPath(["messages", 0, "role"]) // "messages[0].role"
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

type RawIssue = { path: PropertyKey[]; message: string; code: string; expected?: string };

/**
 * Replaces zod's bare "Invalid input" for a union by what the union wanted: when every alternative
 * failed on the value's type, one issue naming all the accepted types; otherwise the issues of the
 * alternative that got furthest into the value (the one the caller most likely meant).
 */
function explain(issue: z.core.$ZodIssue, base: readonly PropertyKey[]): RawIssue[] {
  const path = [...base, ...issue.path];
  if (issue.code !== "invalid_union" || issue.errors.length === 0) {
    const expected = issue.code === "invalid_type" ? { expected: issue.expected } : {};
    return [{ path, message: issue.message, code: issue.code, ...expected }];
  }
  const branches = issue.errors.map((branch) => branch.flatMap((inner) => explain(inner, path)));
  // An alternative that failed on the value's own type was not the one the caller meant.
  const wrongType = (b: RawIssue[]) =>
    b.length === 1 && b[0]?.code === "invalid_type" && b[0].path.length === path.length;
  const meant = branches.filter((b) => !wrongType(b));
  if (meant.length === 0) {
    const expected = [...new Set(branches.map((b) => b[0]?.expected ?? "value"))];
    return [{ path, code: "invalid_type", message: `Invalid input: expected ${expected.join(" or ")}` }];
  }
  const depth = (b: RawIssue[]) => Math.max(...b.map((i) => i.path.length));
  return meant.reduce((a, b) => (depth(b) > depth(a) || (depth(b) === depth(a) && b.length < a.length) ? b : a));
}

/** The issues of a failed zod parse, each with its path, in the order zod found them. */
export function validationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues
    .flatMap((issue) => explain(issue, []))
    .map((issue) => ({
      path: issue.path.map((key) => (typeof key === "number" ? key : String(key))),
      param: formatPath(issue.path),
      message: issue.message,
      code: issue.code,
    }));
}

/**
 * The 400 body for a request that failed validation: the first issue in `message` and `param`,
 * all of them in `issues`.
 * @example
 * const parsed = ChatCompletionRequest.safeParse(body);
 * if (!parsed.success) return c.json(invalidRequestBody(parsed.error), 400);
 */
export function invalidRequestBody(error: z.ZodError): ErrorBody {
  const issues = validationIssues(error);
  const first = issues[0];
  const where = first && first.param !== "" ? `${first.param}: ` : "";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? "s" : ""})` : "";
  return {
    error: {
      message: `Invalid request body: ${where}${first?.message ?? "invalid input"}${more}`,
      type: "invalid_request_error",
      code: "invalid_request",
      param: first && first.param !== "" ? first.param : null,
      issues,
    },
  };
}
