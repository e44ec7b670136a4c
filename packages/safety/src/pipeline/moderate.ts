/**
 * `moderate`: the `/v1/moderations` results for a list of texts under a policy's input stage, in the
 * OpenAI shape. `category_scores` holds every taxonomy category and, for clients that expect them,
 * the OpenAI category names (each the highest score of the taxonomy categories that map to it);
 * `categories[c]` is whether the score reached the policy's threshold for `c`. `flagged` is whether
 * any category with a `flag` or `block` rule reached its threshold or any entity is `block`ed.
 * Entity findings and category findings are in `gemma_edge`, with `message_index` = the text's index.
 */
import type { Finding, ModerationResult } from "@gemma-edge/protocol";
import { Vault } from "../actions/vault.js";
import { type CATEGORIES, TAXONOMY, toOpenAiScores } from "../classifiers/taxonomy.js";
import type { Policy } from "../policy/schema.js";
import { redactText } from "./entities.js";
import { type GuardOptions, hashKeyOf, registryOf, resolveClassifiers } from "./options.js";
import { categoryFindings, scoreText } from "./score.js";

/**
 * Moderates each text.
 *
 * @example
 * const [result] = await moderate(["I will kill you"], policy);
 * result.flagged; // true when the policy flags or blocks violence at that score
 */
export async function moderate(
  texts: readonly string[],
  policy: Policy,
  options: GuardOptions = {},
): Promise<ModerationResult[]> {
  const stage = policy.input;
  const hashKey = hashKeyOf(policy, options);
  const ctx = { registry: registryOf(options), vault: new Vault(), ...(hashKey === undefined ? {} : { hashKey }) };
  const classifiers = resolveClassifiers(stage.classifiers, options.classifiers, "input");
  const results: ModerationResult[] = [];
  for (const [index, text] of texts.entries()) {
    const entities = await redactText(text, stage, ctx, "input", index);
    const scored = await scoreText(text, classifiers, "input");
    const cats = categoryFindings(scored, stage.categories, "input", {
      start: 0,
      end: text.length,
      message_index: index,
    });
    const category_scores: Record<string, number> = { ...toOpenAiScores(scored.scores), ...scored.scores };
    const categories: Record<string, boolean> = {};
    for (const name of Object.keys(category_scores)) categories[name] = false;
    for (const f of cats) {
      categories[f.category] = true;
      for (const alias of TAXONOMY[f.category as (typeof CATEGORIES)[number]].openai) categories[alias] = true;
    }
    const blocked = entities.decision === "block" || cats.some((f) => f.action === "block");
    const flagged = blocked || cats.some((f) => f.action === "flag");
    const decision = blocked ? "block" : entities.decision;
    const findings: Finding[] = [...entities.findings, ...cats];
    results.push({
      flagged,
      categories,
      category_scores,
      gemma_edge: { policy_id: policy.id, mode: policy.mode, decision, findings },
    });
  }
  return results;
}
