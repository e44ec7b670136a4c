import { describe, expect, it } from "vitest";
import { PolicyError } from "./errors.js";
import { MAX_POLICY_CHARS, parsePolicy, policyJsonSchema } from "./schema.js";

function issuesOf(input: unknown): { param: string; code: string }[] {
  try {
    parsePolicy(input);
  } catch (error) {
    expect(PolicyError.isInstance(error)).toBe(true);
    return (error as PolicyError).issues.map(({ param, code }) => ({ param, code }));
  }
  throw new Error("expected a PolicyError");
}

describe("parsePolicy", () => {
  it("fills every default from an empty document", () => {
    const policy = parsePolicy("{}");
    expect(policy).toMatchObject({
      id: "default",
      version: 1,
      mode: "enforce",
      input: { entities: {}, categories: {}, classifiers: { lexical: 1, injection: 1 }, maxInputChars: 32_000 },
      output: { entities: {}, categories: {} },
      streaming: { windowTokens: 16 },
    });
    expect(policy.hashKey).toBeUndefined();
  });

  it("reads a full policy", () => {
    const policy = parsePolicy({
      id: "p1",
      mode: "shadow",
      input: { entities: { EMAIL: "pseudonymize" }, categories: { hate: { threshold: 0.3, action: "block" } } },
      streaming: { windowTokens: 8, holdBackChars: 64 },
      hashKey: "K",
    });
    expect(policy.input.entities.EMAIL).toBe("pseudonymize");
    expect(policy.input.categories.hate).toEqual({ threshold: 0.3, action: "block" });
    expect(policy.streaming.holdBackChars).toBe(64);
  });

  it("lists every issue with its path", () => {
    const issues = issuesOf({
      mode: "loud",
      input: {
        entities: { EMAIL: "shred", NOT_AN_ENTITY: "redact" },
        categories: { hate: { threshold: -0.1 }, violence: { threshold: 1.5 } },
      },
      output: { categories: { not_a_category: {} } },
      extra: 1,
    });
    const params = issues.map((i) => i.param);
    expect(params).toEqual(
      expect.arrayContaining([
        "mode",
        "input.entities.EMAIL",
        "input.entities",
        "input.categories.hate.threshold",
        "input.categories.violence.threshold",
        "output.categories",
        "",
      ]),
    );
    expect(issues.length).toBeGreaterThanOrEqual(7);
  });

  it("refuses hostile documents with typed errors", () => {
    expect(issuesOf(`{"id":"${"a".repeat(MAX_POLICY_CHARS)}"}`)).toEqual([{ param: "", code: "too_large" }]);
    expect(issuesOf(`${"[".repeat(100_000)}${"]".repeat(100_000)}`)[0]?.code).toBe("too_deep");
    expect(issuesOf({ input: { entities: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } } } })[0]?.code).toBe(
      "too_deep",
    );
    expect(issuesOf("{not json")).toEqual([{ param: "", code: "invalid_json" }]);
    expect(issuesOf(Array.from({ length: 20_000 }, () => 0))[0]?.code).toBe("too_large");
    expect(issuesOf('{"__proto__":{"polluted":true}}')).toEqual([{ param: "__proto__", code: "forbidden_key" }]);
    expect(issuesOf('{"input":{"entities":{"constructor":"redact"}}}')).toEqual([
      { param: "input.entities.constructor", code: "forbidden_key" },
    ]);
    expect(issuesOf({ input: { classifiers: { toString: 1 } } })[0]?.param).toBe("input.classifiers.toString");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(issuesOf({ input: { maxInputChars: 0 } })[0]?.param).toBe("input.maxInputChars");
    expect(issuesOf({ input: { classifiers: { lexical: 2 } } })[0]?.param).toBe("input.classifiers.lexical");
    expect(issuesOf({ streaming: { windowTokens: 1.5 } })[0]?.param).toBe("streaming.windowTokens");
    expect(issuesOf(null)[0]?.code).toBe("invalid_type");
  });

  it("exports a JSON Schema for editors: strict objects, documented bounds, optional defaults", () => {
    const schema = policyJsonSchema() as {
      $schema: string;
      additionalProperties: boolean;
      required?: string[];
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    expect(schema.$schema).toContain("json-schema.org");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required ?? []).toEqual([]);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["id", "version", "mode", "input", "output", "blockedMessage", "streaming", "hashKey"]),
    );
    const text = JSON.stringify(schema);
    expect(text).toContain('"maximum":1');
    expect(text).toContain('"CREDIT_CARD"');
    expect(text).toContain('"prompt_injection"');
    expect(JSON.parse(text)).toEqual(schema);
  });
});
