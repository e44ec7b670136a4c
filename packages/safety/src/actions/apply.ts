/**
 * Applies a policy's actions to findings, as pure functions of the text (plus the request's vault):
 * - `allow`: the span is kept.
 * - `redact`: `[EMAIL]`.
 * - `mask`: every character but the last four becomes `*` (`************1234`); spans of four
 *   characters or fewer are masked whole. Counted in code points, so a surrogate pair is never split.
 * - `hash`: `[EMAIL:3f2a9c1b]`, keyed HMAC-SHA256 (needs `hashKey`).
 * - `pseudonymize`: `[EMAIL_1]` from the request's `vault` (needed), restorable with `vault.restore`.
 * - `block`: the span is kept and the decision becomes `block`; the caller refuses the request or stops
 *   the stream. Other findings' actions are still applied to the returned text.
 * Overlapping findings are resolved first (`resolveOverlaps`). Spans stay those of the input text.
 */
import { resolveOverlaps } from "../overlap.js";
import type { Entity, Finding } from "../types.js";
import { createHasher } from "./hmac.js";
import type { Vault } from "./vault.js";

/** What a policy does with a detected entity; the same names as `EntityAction` of the wire protocol. */
export type EntityAction = "allow" | "redact" | "mask" | "hash" | "pseudonymize" | "block";

/** The action per finding: a function, or a table by entity (entities missing from it get `defaultAction`). */
export type ActionFor = ((finding: Finding) => EntityAction) | Readonly<Partial<Record<Entity, EntityAction>>>;

export interface ApplyOptions {
  /** The request's vault; needed when any finding is pseudonymized. */
  readonly vault?: Vault;
  /** The operator's HMAC key; needed when any finding is hashed. */
  readonly hashKey?: Uint8Array | string;
  /** Hex digits kept of the HMAC. @default 8 */
  readonly hashLength?: number;
  /** The action for entities a table does not name. @default "redact" */
  readonly defaultAction?: EntityAction;
}

export interface AppliedFinding extends Finding {
  readonly action: EntityAction;
  /** What replaced the span in the output text; absent for `allow` and `block`. */
  readonly replacement?: string;
}

export interface ApplyResult {
  readonly text: string;
  readonly findings: AppliedFinding[];
  /** `block` if any finding blocks, else `modify` if the text changed, else `allow`. */
  readonly decision: "allow" | "modify" | "block";
}

/** `value` with all but its last four code points replaced by `*`. */
export function mask(value: string): string {
  const points = Array.from(value);
  const keep = points.length > 4 ? 4 : 0;
  return "*".repeat(points.length - keep) + points.slice(points.length - keep).join("");
}

/** `[ENTITY]`. */
export function redact(entity: Entity): string {
  return `[${entity}]`;
}

/**
 * Applies `actionFor` to every finding of `text`.
 *
 * @example
 * const findings = createRegistry().detect("card 4111 1111 1111 1111");
 * const { text } = await applyActions("card 4111 1111 1111 1111", findings, { CREDIT_CARD: "mask" });
 * // "card ***************1111"
 */
export async function applyActions(
  text: string,
  findings: readonly Finding[],
  actionFor: ActionFor,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const choose =
    typeof actionFor === "function"
      ? actionFor
      : (f: Finding): EntityAction => actionFor[f.entity] ?? options.defaultAction ?? "redact";
  const hasher = options.hashKey === undefined ? undefined : createHasher(options.hashKey, options.hashLength);
  const applied: AppliedFinding[] = [];
  const parts: string[] = [];
  let at = 0;
  let changed = false;
  let blocked = false;
  for (const f of resolveOverlaps(findings)) {
    if (f.end > text.length || text.slice(f.start, f.end) !== f.text) {
      throw new RangeError(`finding ${f.entity} [${f.start}, ${f.end}) does not match the text`);
    }
    const action = choose(f);
    let replacement: string | undefined;
    switch (action) {
      case "allow":
        break;
      case "block":
        blocked = true;
        break;
      case "redact":
        replacement = redact(f.entity);
        break;
      case "mask":
        replacement = mask(f.text);
        break;
      case "hash":
        if (hasher === undefined) throw new TypeError("the hash action needs options.hashKey");
        replacement = `[${f.entity}:${await hasher.hash(f.text)}]`;
        break;
      case "pseudonymize":
        if (options.vault === undefined) throw new TypeError("the pseudonymize action needs options.vault");
        replacement = options.vault.pseudonym(f.entity, f.text);
        break;
    }
    if (replacement === undefined) {
      applied.push({ ...f, action });
      continue;
    }
    parts.push(text.slice(at, f.start), replacement);
    at = f.end;
    changed = true;
    applied.push({ ...f, action, replacement });
  }
  parts.push(text.slice(at));
  return { text: parts.join(""), findings: applied, decision: blocked ? "block" : changed ? "modify" : "allow" };
}
