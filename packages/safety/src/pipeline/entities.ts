/**
 * Entity detection and actions for one text under a stage's policy, with the conversion of detector
 * findings to wire `EntityFinding`s (span, score, action, validator — never the matched text).
 */
import type { EntityFinding, Stage } from "@gemma-edge/protocol";
import { type AppliedFinding, applyActions } from "../actions/apply.js";
import type { StagePolicy } from "../policy/schema.js";
import { ENTITIES, type Entity } from "../types.js";
import type { EntityContext } from "./options.js";

/** The entities a stage acts on (every action but `allow`): the only ones worth detecting. */
export function activeEntities(stage: StagePolicy): Entity[] {
  return ENTITIES.filter((e) => Object.hasOwn(stage.entities, e) && (stage.entities[e] ?? "allow") !== "allow");
}

/** The wire finding of an applied detector finding, its span moved to `start`. */
export function toEntityFinding(
  f: AppliedFinding,
  stage: Stage,
  start: number,
  end: number,
  messageIndex?: number,
): EntityFinding {
  return {
    kind: "entity",
    stage,
    entity: f.entity,
    span: messageIndex === undefined ? { start, end } : { start, end, message_index: messageIndex },
    score: f.score,
    action: f.action,
    validator: f.validator,
  };
}

export interface RedactedText {
  readonly text: string;
  readonly findings: EntityFinding[];
  readonly decision: "allow" | "modify" | "block";
}

/**
 * Detects the stage's entities in `text` and applies their actions. Spans index the original text,
 * shifted by `base` (the text's offset inside its message).
 *
 * @example
 * await redactText("mail a@b.io", policy.input, ctx, "input", 0); // { text: "mail [EMAIL]", … }
 */
export async function redactText(
  text: string,
  stage: StagePolicy,
  ctx: EntityContext,
  where: Stage,
  messageIndex?: number,
  base = 0,
): Promise<RedactedText> {
  const entities = activeEntities(stage);
  if (entities.length === 0 || text === "") return { text, findings: [], decision: "allow" };
  const detected = ctx.registry.detect(text, { entities });
  const applied = await applyActions(text, detected, (f) => stage.entities[f.entity] ?? "allow", {
    vault: ctx.vault,
    ...(ctx.hashKey === undefined ? {} : { hashKey: ctx.hashKey }),
  });
  const findings = applied.findings.map((f) => toEntityFinding(f, where, base + f.start, base + f.end, messageIndex));
  return { text: applied.text, findings, decision: applied.decision };
}
