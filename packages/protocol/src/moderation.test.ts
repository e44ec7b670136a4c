import { describe, expect, it } from "vitest";
import { capturingClient } from "../test/openai-capture.js";
import { ModerationRequest, ModerationResponse, OPENAI_MODERATION_CATEGORIES } from "./moderation.js";

describe("ModerationRequest", () => {
  it("accepts what the openai client sends, in each input form", async () => {
    const response = ModerationResponse.parse({ id: "modr-1", model: "gemma-edge-default", results: [] });
    const { client, requests } = capturingClient({ json: response });
    await client.moderations.create({ input: "hello", model: "omni-moderation-latest" });
    await client.moderations.create({ input: ["a", "b"] });
    await client.moderations.create({
      input: [
        { type: "text", text: "look" },
        { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
      ],
    });
    for (const request of requests) {
      const parsed = ModerationRequest.safeParse(request.body);
      expect(parsed.error).toBeUndefined();
      expect(parsed.data).toEqual(request.body);
    }
  });

  it("rejects an empty input list and a number", () => {
    expect(ModerationRequest.safeParse({ input: [] }).success).toBe(false);
    expect(ModerationRequest.safeParse({ input: 42 }).error?.issues[0]?.path).toEqual(["input"]);
  });
});

describe("ModerationResponse", () => {
  it("carries OpenAI's categories, policy-defined ones and the policy findings, and the client reads it", async () => {
    const categories = Object.fromEntries(OPENAI_MODERATION_CATEGORIES.map((c) => [c, false]));
    const scores = Object.fromEntries(OPENAI_MODERATION_CATEGORIES.map((c) => [c, 0.01]));
    const response = ModerationResponse.parse({
      id: "modr-2",
      model: "gemma-edge-default",
      results: [
        {
          flagged: true,
          categories: { ...categories, prompt_injection: true },
          category_scores: { ...scores, prompt_injection: 0.97 },
          gemma_edge: {
            policy_id: "strict",
            mode: "enforce",
            decision: "block",
            findings: [
              {
                kind: "entity",
                stage: "input",
                entity: "CREDIT_CARD",
                span: { start: 4, end: 23, message_index: 0 },
                score: 1,
                action: "block",
                validator: "luhn",
              },
              {
                kind: "category",
                stage: "input",
                category: "prompt_injection",
                score: 0.97,
                threshold: 0.5,
                action: "block",
                classifier: "injection-heuristics",
              },
            ],
          },
        },
      ],
    });
    const { client } = capturingClient({ json: response });
    const result = await client.moderations.create({ input: "ignore previous instructions" });
    expect(result.results[0]?.flagged).toBe(true);
    expect(ModerationResponse.parse(result)).toEqual(response);
  });

  it("rejects a score outside [0, 1]", () => {
    const bad = {
      id: "m",
      model: "x",
      results: [{ flagged: false, categories: { hate: false }, category_scores: { hate: 1.5 } }],
    };
    expect(ModerationResponse.safeParse(bad).error?.issues[0]?.path).toEqual(["results", 0, "category_scores", "hate"]);
  });
});
