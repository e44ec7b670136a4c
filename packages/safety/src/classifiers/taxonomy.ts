/**
 * The one harm-category taxonomy of gemma-edge, with its mapping to the taxonomies of OpenAI's
 * moderation endpoint, Llama Guard 3 (the MLCommons hazards S1–S13 plus S14) and ShieldGemma's four
 * harm types. Policies, classifiers and findings all use these names.
 *
 * Not covered here: Llama Guard's S5 Defamation, S6 Specialized Advice, S8 Intellectual Property and
 * S13 Elections (no category); S7 Privacy is the PII detectors' job, not a classifier's.
 */

export const CATEGORIES = [
  "hate",
  "harassment",
  "sexual",
  "sexual_minors",
  "violence",
  "self_harm",
  "dangerous",
  "illicit",
  "profanity",
  "prompt_injection",
  "jailbreak",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Whether `name` is a category of the taxonomy. */
export function isCategory(name: string): name is Category {
  return (CATEGORIES as readonly string[]).includes(name);
}

/** Llama Guard 3 hazard codes and their published names. */
export const LLAMA_GUARD_3 = {
  S1: "Violent Crimes",
  S2: "Non-Violent Crimes",
  S3: "Sex-Related Crimes",
  S4: "Child Sexual Exploitation",
  S5: "Defamation",
  S6: "Specialized Advice",
  S7: "Privacy",
  S8: "Intellectual Property",
  S9: "Indiscriminate Weapons",
  S10: "Hate",
  S11: "Suicide & Self-Harm",
  S12: "Sexual Content",
  S13: "Elections",
  S14: "Code Interpreter Abuse",
} as const;
export type LlamaGuardCode = keyof typeof LLAMA_GUARD_3;

/** ShieldGemma's harm types, by the policy names its prompts use. */
export const SHIELDGEMMA_HARMS = [
  "Sexually Explicit Information",
  "Dangerous Content",
  "Hate Speech",
  "Harassment",
] as const;
export type ShieldGemmaHarm = (typeof SHIELDGEMMA_HARMS)[number];

export interface CategoryInfo {
  readonly description: string;
  /** OpenAI moderation categories this category reports as (`OPENAI_MODERATION_CATEGORIES`). */
  readonly openai: readonly string[];
  readonly llamaGuard: readonly LlamaGuardCode[];
  readonly shieldGemma: readonly ShieldGemmaHarm[];
}

/** What each category means and where it maps. */
export const TAXONOMY: Readonly<Record<Category, CategoryInfo>> = {
  hate: {
    description: "demeans or incites against people for a protected attribute; slurs",
    openai: ["hate", "hate/threatening"],
    llamaGuard: ["S10"],
    shieldGemma: ["Hate Speech"],
  },
  harassment: {
    description: "insults, threats or intimidation aimed at a person",
    openai: ["harassment", "harassment/threatening"],
    llamaGuard: [],
    shieldGemma: ["Harassment"],
  },
  sexual: {
    description: "sexually explicit content about adults",
    openai: ["sexual"],
    llamaGuard: ["S12"],
    shieldGemma: ["Sexually Explicit Information"],
  },
  sexual_minors: {
    description: "any sexual content involving minors",
    openai: ["sexual/minors"],
    llamaGuard: ["S4"],
    shieldGemma: ["Sexually Explicit Information"],
  },
  violence: {
    description: "threats, glorification or graphic depiction of violence against people or animals",
    openai: ["violence", "violence/graphic"],
    llamaGuard: ["S1"],
    shieldGemma: ["Dangerous Content"],
  },
  self_harm: {
    description: "suicide and self-injury: intent, encouragement or instructions",
    openai: ["self-harm", "self-harm/intent", "self-harm/instructions"],
    llamaGuard: ["S11"],
    shieldGemma: ["Dangerous Content"],
  },
  dangerous: {
    description: "weapons capable of mass harm, explosives, poisons: making or using them",
    openai: ["illicit/violent"],
    llamaGuard: ["S9"],
    shieldGemma: ["Dangerous Content"],
  },
  illicit: {
    description: "non-violent crime: fraud, theft, hacking, drugs trafficking",
    openai: ["illicit"],
    llamaGuard: ["S2", "S3"],
    shieldGemma: [],
  },
  profanity: {
    description: "obscene or vulgar language, not aimed at anyone in particular",
    openai: [],
    llamaGuard: [],
    shieldGemma: [],
  },
  prompt_injection: {
    description: "text that tries to override the operator's instructions (direct or hidden/encoded)",
    openai: [],
    llamaGuard: ["S14"],
    shieldGemma: [],
  },
  jailbreak: {
    description: "role-play or persona tricks to make the model drop its safety rules",
    openai: [],
    llamaGuard: [],
    shieldGemma: [],
  },
};

/**
 * The score of each OpenAI moderation category from taxonomy scores: the highest score among the
 * categories that map to it. Categories nobody maps to are left out.
 *
 * @example
 * toOpenAiScores({ self_harm: 0.9 }); // { "self-harm": 0.9, "self-harm/intent": 0.9, "self-harm/instructions": 0.9 }
 */
export function toOpenAiScores(scores: Partial<Record<Category, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const category of CATEGORIES) {
    const score = scores[category];
    if (score === undefined) continue;
    for (const name of TAXONOMY[category].openai) out[name] = Math.max(out[name] ?? 0, score);
  }
  return out;
}
