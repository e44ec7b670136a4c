import { describe, expect, it } from "vitest";
import { Finding, GemmaEdgeModeration } from "./findings.js";

describe("Finding", () => {
  it("tells entity and category findings apart by kind", () => {
    const entity = Finding.parse({
      kind: "entity",
      stage: "input",
      entity: "EMAIL",
      span: { start: 0, end: 5 },
      score: 0.9,
      action: "pseudonymize",
    });
    const category = Finding.parse({
      kind: "category",
      stage: "output",
      category: "hate",
      score: 0.2,
      action: "allow",
      classifier: "onnx",
    });
    expect(entity.kind === "entity" && entity.action).toBe("pseudonymize");
    expect(category.kind === "category" && category.classifier).toBe("onnx");
  });

  it.each([
    ["an unknown kind", { kind: "vibe", stage: "input" }, ["kind"]],
    [
      "an unknown stage",
      { kind: "entity", stage: "prefill", entity: "EMAIL", span: { start: 0, end: 1 }, score: 1, action: "redact" },
      ["stage"],
    ],
    [
      "a category action on an entity",
      { kind: "entity", stage: "input", entity: "EMAIL", span: { start: 0, end: 1 }, score: 1, action: "flag" },
      ["action"],
    ],
    [
      "a negative span start",
      { kind: "entity", stage: "input", entity: "EMAIL", span: { start: -1, end: 1 }, score: 1, action: "redact" },
      ["span", "start"],
    ],
    [
      "a score above 1",
      { kind: "category", stage: "input", category: "hate", score: 2, action: "block", classifier: "x" },
      ["score"],
    ],
  ])("rejects %s", (_name, value, path) => {
    expect(Finding.safeParse(value).error?.issues[0]?.path).toEqual(path);
  });

  it("a shadow-mode summary reports a block it did not apply", () => {
    const summary = GemmaEdgeModeration.parse({
      policy_id: "rollout",
      mode: "shadow",
      decision: "block",
      findings: [],
    });
    expect(summary).toEqual({ policy_id: "rollout", mode: "shadow", decision: "block", findings: [] });
  });
});
