/**
 * `guardInput`: the policy's input stage over a chat request. Checks the size limit, detects and
 * applies entity actions per message text, scores each message with the stage's classifiers, and
 * decides `allow` / `modify` / `block`. In shadow mode the decision is computed and reported but the
 * messages come back unchanged. Findings are wire-shaped and never hold the matched text.
 */
import type { CategoryFinding, ChatMessage, Finding, GemmaEdgeModeration } from "@gemma-edge/protocol";
import { Vault } from "../actions/vault.js";
import { CATEGORIES, type Category } from "../classifiers/taxonomy.js";
import type { Policy } from "../policy/schema.js";
import { redactText } from "./entities.js";
import { lastUserText, messageTexts, textSlots, withTexts } from "./messages.js";
import { type GuardOptions, hashKeyOf, registryOf, resolveClassifiers } from "./options.js";
import { categoryFindings, scoreText } from "./score.js";

export interface GuardInputOptions extends GuardOptions {
  /** The request's vault for pseudonyms; pass it on to `guardOutputStream`. @default new Vault() */
  readonly vault?: Vault;
}

export type Decision = "allow" | "modify" | "block";

export interface GuardInputResult {
  readonly decision: Decision;
  readonly findings: Finding[];
  /** The messages to send to the model (unchanged in shadow mode). */
  readonly messages: ChatMessage[];
  readonly vault: Vault;
  /** The `gemma_edge` object to report. */
  readonly moderation: GemmaEdgeModeration;
  /**
   * The text of the last user message as sent to the model (`messages`), when there is one: pass it to
   * `guardOutputStream`'s `prompt` so judges see what the output answers.
   */
  readonly prompt?: string;
  /** Why the request is blocked, when it is: `max_input_chars`, `entity` or `category`. */
  readonly reason?: "max_input_chars" | "entity" | "category";
}

/** The category finding of a request over `maxInputChars` (not a taxonomy category: a policy limit). */
export const MAX_INPUT_CHARS_CATEGORY = "max_input_chars";

/**
 * Guards a chat request's messages under `policy`.
 *
 * @example
 * const { decision, messages, vault } = await guardInput(body.messages, policy);
 * if (decision === "block") return refuse(policy.blockedMessage);
 * const stream = guardOutputStream(model.stream(messages), policy, vault);
 */
export async function guardInput(
  messages: readonly ChatMessage[],
  policy: Policy,
  options: GuardInputOptions = {},
): Promise<GuardInputResult> {
  const vault = options.vault ?? new Vault();
  const stage = policy.input;
  const slots = textSlots(messages);
  const report = (decision: Decision, findings: Finding[]): GemmaEdgeModeration => ({
    policy_id: policy.id,
    mode: policy.mode,
    decision,
    findings,
  });
  const total = slots.reduce((n, s) => n + s.text.length, 0);
  if (total > stage.maxInputChars) {
    const findings: Finding[] = [
      {
        kind: "category",
        stage: "input",
        category: MAX_INPUT_CHARS_CATEGORY,
        score: 1,
        action: "block",
        classifier: "policy",
      },
    ];
    return {
      decision: "block",
      findings,
      messages: [...messages],
      vault,
      moderation: report("block", findings),
      reason: "max_input_chars",
    };
  }
  const hashKey = hashKeyOf(policy, options);
  const ctx = { registry: registryOf(options), vault, ...(hashKey === undefined ? {} : { hashKey }) };
  const classifiers = resolveClassifiers(stage.classifiers, options.classifiers, "input");

  const entityFindings: Finding[] = [];
  const texts: string[] = [];
  let entityDecision: Decision = "allow";
  for (const slot of slots) {
    const redacted = await redactText(slot.text, stage, ctx, "input", slot.messageIndex, slot.base);
    texts.push(redacted.text);
    entityFindings.push(...redacted.findings);
    if (redacted.decision === "block" || (redacted.decision === "modify" && entityDecision === "allow")) {
      entityDecision = redacted.decision;
    }
  }

  // The highest-scoring message per category decides; its span is the whole message.
  const best = new Map<Category, CategoryFinding>();
  if (classifiers.length > 0 && Object.keys(stage.categories).length > 0) {
    for (const [messageIndex, text] of messageTexts(slots)) {
      const scored = await scoreText(text, classifiers, "input");
      const span = { start: 0, end: text.length, message_index: messageIndex };
      for (const f of categoryFindings(scored, stage.categories, "input", span)) {
        const known = best.get(f.category as Category);
        if (known === undefined || f.score > known.score) best.set(f.category as Category, f);
      }
    }
  }
  const categoryList = CATEGORIES.flatMap((c) => best.get(c) ?? []);
  const categoryBlock = categoryList.some((f) => f.action === "block");
  const decision: Decision = entityDecision === "block" || categoryBlock ? "block" : entityDecision;
  const findings = [...entityFindings, ...categoryList];
  const reason = entityDecision === "block" ? "entity" : categoryBlock ? "category" : undefined;
  const sent = policy.mode === "shadow" ? [...messages] : withTexts(messages, slots, texts);
  const prompt = lastUserText(sent);
  return {
    decision,
    findings,
    messages: sent,
    vault,
    moderation: report(decision, findings),
    ...(prompt === undefined ? {} : { prompt }),
    ...(reason === undefined ? {} : { reason }),
  };
}
