/**
 * Moderation findings as the page shows them: one line per finding — stage, what was found, what the policy did —
 * e.g. "input · EMAIL · pseudonymized" or "input · prompt_injection 0.97 · blocked". Findings carry spans, never the
 * matched text, so showing them never shows the data they hide.
 */
import type { Finding, GemmaEdgeModeration } from "@gemma-edge/sdk";

const DONE: Record<Finding["action"], string> = {
  allow: "allowed",
  redact: "redacted",
  mask: "masked",
  hash: "hashed",
  pseudonymize: "pseudonymized",
  block: "blocked",
  flag: "flagged",
};

/**
 * @example
 * describeFinding({ kind: "entity", stage: "input", entity: "EMAIL", action: "redact", span: { start: 5, end: 21 }, score: 1 })
 * // "input · EMAIL · redacted"
 */
export function describeFinding(finding: Finding): string {
  const what = finding.kind === "entity" ? finding.entity : `${finding.category} ${finding.score.toFixed(2)}`;
  return `${finding.stage} · ${what} · ${DONE[finding.action]}`;
}

/** One line on what the policy did to a turn, or undefined when it did nothing worth saying. */
export function describeDecision(moderation: GemmaEdgeModeration | undefined, finishReason: string | null): string {
  if (finishReason === "content_filter") return "stopped by the policy";
  if (!moderation || moderation.findings.length === 0) return "";
  const n = moderation.findings.length;
  const verb = { allow: "noted", modify: "changed", block: "blocked" }[moderation.decision];
  return `policy ${moderation.policy_id} ${verb} this turn (${n} finding${n === 1 ? "" : "s"})`;
}
