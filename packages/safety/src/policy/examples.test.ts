import { describe, expect, it } from "vitest";
import {
  DEFAULT_POLICY,
  DEFAULT_POLICY_INPUT,
  EXAMPLE_POLICIES,
  INTERNAL_PSEUDONYMIZE_POLICY_INPUT,
  SHADOW_ROLLOUT_POLICY,
  SHADOW_ROLLOUT_POLICY_INPUT,
  STRICT_CONSUMER_POLICY_INPUT,
} from "./examples.js";
import { PolicySchema, parsePolicy } from "./schema.js";

describe("shipped policies", () => {
  it("every example validates as JSON, as an operator would store it", () => {
    for (const input of [
      DEFAULT_POLICY_INPUT,
      STRICT_CONSUMER_POLICY_INPUT,
      INTERNAL_PSEUDONYMIZE_POLICY_INPUT,
      SHADOW_ROLLOUT_POLICY_INPUT,
    ]) {
      expect(PolicySchema.safeParse(JSON.parse(JSON.stringify(input))).success).toBe(true);
      expect(parsePolicy(JSON.stringify(input)).id).toBe(input.id);
    }
    expect(Object.keys(EXAMPLE_POLICIES)).toHaveLength(4);
  });

  it("the default redacts secrets in prompts and blocks injection", () => {
    expect(DEFAULT_POLICY.input.entities.AWS_ACCESS_KEY).toBe("redact");
    expect(DEFAULT_POLICY.input.categories.prompt_injection?.action).toBe("block");
    expect(DEFAULT_POLICY.mode).toBe("enforce");
  });

  it("the shadow rollout is the strict policy in shadow mode", () => {
    expect(SHADOW_ROLLOUT_POLICY.mode).toBe("shadow");
    expect(SHADOW_ROLLOUT_POLICY.input.categories).toEqual(EXAMPLE_POLICIES["consumer-strict"]?.input.categories);
  });
});
