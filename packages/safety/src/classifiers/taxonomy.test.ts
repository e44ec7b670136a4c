import { OPENAI_MODERATION_CATEGORIES } from "@gemma-edge/protocol";
import { describe, expect, it } from "vitest";
import { CATEGORIES, isCategory, LLAMA_GUARD_3, SHIELDGEMMA_HARMS, TAXONOMY, toOpenAiScores } from "./taxonomy.js";

describe("taxonomy", () => {
  it("maps every OpenAI moderation category and every ShieldGemma harm to some category", () => {
    const openai = new Set(CATEGORIES.flatMap((c) => TAXONOMY[c].openai));
    expect([...openai].sort()).toEqual([...OPENAI_MODERATION_CATEGORIES].sort());
    const shield = new Set(CATEGORIES.flatMap((c) => TAXONOMY[c].shieldGemma));
    expect([...shield].sort()).toEqual([...SHIELDGEMMA_HARMS].sort());
  });

  it("uses only real Llama Guard 3 codes and leaves the documented ones out", () => {
    const used = new Set(CATEGORIES.flatMap((c) => TAXONOMY[c].llamaGuard));
    for (const code of used) expect(Object.keys(LLAMA_GUARD_3)).toContain(code);
    expect(Object.keys(LLAMA_GUARD_3).filter((c) => !used.has(c as keyof typeof LLAMA_GUARD_3))).toEqual([
      "S5",
      "S6",
      "S7",
      "S8",
      "S13",
    ]);
  });

  it("derives OpenAI scores as the highest mapped score", () => {
    expect(toOpenAiScores({ violence: 0.4, dangerous: 0.9 })).toEqual({
      violence: 0.4,
      "violence/graphic": 0.4,
      "illicit/violent": 0.9,
    });
    expect(isCategory("hate")).toBe(true);
    expect(isCategory("__proto__")).toBe(false);
  });
});
