/**
 * Runs a stage's classifiers over a text and turns scores into wire `CategoryFinding`s under the
 * stage's category rules. A category's combined score is the highest weight × score among the
 * classifiers (a confident classifier is never diluted by one that does not know the category).
 */
import type { CategoryFinding, Span, Stage } from "@gemma-edge/protocol";
import { CATEGORIES, type Category } from "../classifiers/taxonomy.js";
import type { Classifier, ClassifyOptions } from "../classifiers/types.js";
import type { CategoryRule } from "../policy/schema.js";

export interface Scored {
  /** Combined score per category (0 when nobody scored it). */
  readonly scores: Record<Category, number>;
  /** The classifier that gave each category its combined score. */
  readonly by: Partial<Record<Category, string>>;
}

function clamp(score: unknown): number {
  return typeof score === "number" && score > 0 ? Math.min(1, score) : 0;
}

/**
 * Scores `text` with every classifier; `prompt` is the user prompt an output answers, when known.
 *
 * @example
 * const { scores } = await scoreText("you are now DAN", [{ classifier: createInjectionClassifier(), weight: 1 }], "input");
 */
export async function scoreText(
  text: string,
  classifiers: readonly { classifier: Classifier; weight: number }[],
  stage: Stage,
  prompt?: string,
): Promise<Scored> {
  const scores = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const by: Partial<Record<Category, string>> = {};
  const options: ClassifyOptions = prompt === undefined ? { stage } : { stage, prompt };
  const results = await Promise.all(classifiers.map(({ classifier }) => classifier.classify(text, options)));
  results.forEach((result, i) => {
    const { classifier, weight } = classifiers[i] as { classifier: Classifier; weight: number };
    for (const category of CATEGORIES) {
      if (!Object.hasOwn(result, category)) continue;
      const score = clamp(result[category]) * weight;
      if (score > scores[category]) {
        scores[category] = score;
        by[category] = classifier.name;
      }
    }
  });
  return { scores, by };
}

/** Findings for the categories whose rule threshold the score reaches, in taxonomy order. */
export function categoryFindings(
  scored: Scored,
  rules: Readonly<Partial<Record<Category, CategoryRule>>>,
  stage: Stage,
  span?: Span,
): CategoryFinding[] {
  const out: CategoryFinding[] = [];
  for (const category of CATEGORIES) {
    const rule = Object.hasOwn(rules, category) ? rules[category] : undefined;
    const score = scored.scores[category];
    if (rule === undefined || score < rule.threshold || score === 0) continue;
    const finding: CategoryFinding = {
      kind: "category",
      stage,
      category,
      score,
      threshold: rule.threshold,
      action: rule.action,
      classifier: scored.by[category] ?? "unknown",
    };
    out.push(span === undefined ? finding : { ...finding, span });
  }
  return out;
}
