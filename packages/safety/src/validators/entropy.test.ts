import { describe, expect, it } from "vitest";
import { shannonEntropy } from "./entropy.js";

describe("shannonEntropy", () => {
  it("is 0 for one repeated character and for the empty string", () => {
    expect(shannonEntropy("aaaaaaaa")).toBe(0);
    expect(shannonEntropy("")).toBe(0);
  });

  it("is log2 of the alphabet for evenly spread characters", () => {
    expect(shannonEntropy("abab")).toBeCloseTo(1, 12);
    expect(shannonEntropy("abcdefgh")).toBeCloseTo(3, 12);
    expect(shannonEntropy("0123456789abcdef")).toBeCloseTo(4, 12);
  });

  it("ranks a random token above a word", () => {
    expect(shannonEntropy("q7Rf9LzX2pWm4KvB")).toBeGreaterThan(3.5);
    expect(shannonEntropy("changeme")).toBeLessThan(3);
  });
});
