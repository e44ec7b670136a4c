/**
 * `PolicyError`: an invalid policy, with every issue and its path (the `ValidationIssue` shape of the
 * wire protocol), and the structural checks that run before schema validation on untrusted documents.
 */
import { formatPath, type ValidationIssue } from "@gemma-edge/protocol";

const MARKER = Symbol.for("gemma-edge.safety.PolicyError");

/** A policy document that cannot be used. */
export class PolicyError extends Error {
  readonly [MARKER] = true;
  override readonly name = "PolicyError";
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    const first = issues[0];
    const where = first !== undefined && first.param !== "" ? `${first.param}: ` : "";
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    super(`Invalid policy: ${where}${first?.message ?? "invalid"}${more}`);
    this.issues = issues;
  }

  /** An error with one issue at the document's root. */
  static single(code: string, message: string): PolicyError {
    return new PolicyError([{ path: [], param: "", message, code }]);
  }

  /** Whether `error` is a `PolicyError`, across package copies. */
  static isInstance(error: unknown): error is PolicyError {
    return typeof error === "object" && error !== null && MARKER in error;
  }
}

/** Deepest nesting a policy needs is 4 (`input.categories.hate.threshold`); allow some slack. */
export const MAX_POLICY_DEPTH = 8;
/** More values than any sensible policy holds. */
export const MAX_POLICY_NODES = 10_000;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Issues with the shape of an untrusted value: nesting deeper than `MAX_POLICY_DEPTH`, more than
 * `MAX_POLICY_NODES` values, or prototype-pollution keys. Iterative, so hostile nesting cannot
 * overflow the stack; stops at the first depth or size problem.
 */
export function checkShape(value: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  let nodes = 0;
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown; path: (string | number)[] };
    if (++nodes > MAX_POLICY_NODES) {
      return [issue([], "too_large", `policy has more than ${MAX_POLICY_NODES} values`)];
    }
    if (typeof item.value !== "object" || item.value === null) continue;
    if (item.path.length >= MAX_POLICY_DEPTH) {
      return [issue(item.path, "too_deep", `policy nests deeper than ${MAX_POLICY_DEPTH} levels`)];
    }
    const size = Array.isArray(item.value) ? item.value.length : Object.keys(item.value).length;
    if (nodes + stack.length + size > MAX_POLICY_NODES) {
      return [issue([], "too_large", `policy has more than ${MAX_POLICY_NODES} values`)];
    }
    if (Array.isArray(item.value)) {
      item.value.forEach((v, i) => {
        stack.push({ value: v, path: [...item.path, i] });
      });
      continue;
    }
    for (const key of Object.keys(item.value)) {
      const path = [...item.path, key];
      if (FORBIDDEN_KEYS.has(key)) issues.push(issue(path, "forbidden_key", `key "${key}" is not allowed`));
      else stack.push({ value: (item.value as Record<string, unknown>)[key], path });
    }
  }
  return issues;
}

function issue(path: (string | number)[], code: string, message: string): ValidationIssue {
  return { path, param: formatPath(path), message, code };
}
