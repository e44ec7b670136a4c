import { ModerationResult, OPENAI_MODERATION_CATEGORIES } from "@gemma-edge/protocol";
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, STRICT_CONSUMER_POLICY } from "../policy/examples.js";
import { PII, PII_TEXT } from "../testing/pipeline.js";
import { moderate } from "./moderate.js";

describe("moderate", () => {
  it("returns one OpenAI-shaped result per text", async () => {
    const results = await moderate(
      ["hello there", "I want to kill myself", `card ${PII.card}`],
      STRICT_CONSUMER_POLICY,
    );
    expect(results).toHaveLength(3);
    for (const r of results) expect(ModerationResult.safeParse(r).success).toBe(true);
    const [hello, selfHarm, card] = results as [ModerationResult, ModerationResult, ModerationResult];
    expect(hello.flagged).toBe(false);
    expect(selfHarm.flagged).toBe(true);
    expect(selfHarm.categories.self_harm).toBe(true);
    expect(selfHarm.categories["self-harm/intent"]).toBe(true);
    expect(selfHarm.category_scores["self-harm"]).toBeGreaterThan(0.8);
    expect(card.flagged).toBe(true);
    expect(card.gemma_edge?.decision).toBe("block");
    expect(card.gemma_edge?.findings[0]).toMatchObject({
      kind: "entity",
      entity: "CREDIT_CARD",
      span: { message_index: 2 },
    });
  });

  it("reports every taxonomy and OpenAI category", async () => {
    const [result] = await moderate(["nothing"], DEFAULT_POLICY);
    for (const name of OPENAI_MODERATION_CATEGORIES) expect(result?.category_scores).toHaveProperty([name]);
    expect(result?.category_scores).toHaveProperty(["prompt_injection"]);
  });

  it("never carries raw PII", async () => {
    const logged = JSON.stringify(await moderate([PII_TEXT], STRICT_CONSUMER_POLICY));
    for (const value of Object.values(PII)) expect(logged).not.toContain(value);
  });
});
