import { describe, expect, it } from "vitest";
import { argmax, Sampler } from "./sampler.js";

const logits = Float32Array.from([0.1, 2.5, -1, 2.4, 0, 1.9, -3, 0.5]);
const draws = (s: Sampler, n = 200, history: number[] = []) =>
  Array.from({ length: n }, () => s.sample(logits, history));

describe("Sampler", () => {
  it("temperature 0 and top-k 1 are greedy", () => {
    expect(new Sampler({ temperature: 0 }).sample(logits, [])).toBe(1);
    expect(new Set(draws(new Sampler({ topK: 1, seed: 3 })))).toEqual(new Set([1]));
    expect(argmax([1, 5, 5, 2])).toBe(1);
  });

  it("the same seed gives the same draws; another seed other draws", () => {
    expect(draws(new Sampler({ seed: 42 }))).toEqual(draws(new Sampler({ seed: 42 })));
    expect(draws(new Sampler({ seed: 42 }))).not.toEqual(draws(new Sampler({ seed: 43 })));
  });

  it("top-k, top-p and min-p restrict the candidates", () => {
    expect(new Set(draws(new Sampler({ topK: 2, seed: 1 }), 400))).toEqual(new Set([1, 3]));
    expect(new Set(draws(new Sampler({ topP: 0.3, seed: 1 }), 400))).toEqual(new Set([1]));
    const minP = new Set(draws(new Sampler({ minP: 0.5, seed: 1 }), 400));
    expect(minP).toEqual(new Set([1, 3, 5])); // e^(1.9−2.5) ≈ 0.55 ≥ 0.5; e^(0.5−2.5) < 0.5
  });

  it("temperature spreads the draws, all tokens reachable at high temperature", () => {
    expect(new Set(draws(new Sampler({ temperature: 50, seed: 5 }), 2000)).size).toBe(8);
  });

  it("logit bias forces or bans a token", () => {
    expect(new Sampler({ temperature: 0, logitBias: { 6: 100 } }).sample(logits, [])).toBe(6);
    expect(new Sampler({ temperature: 0, logitBias: { 1: -100 } }).sample(logits, [])).toBe(3);
  });

  it("penalties push down tokens already seen", () => {
    expect(new Sampler({ temperature: 0, repetitionPenalty: 1.1 }).sample(logits, [1])).toBe(3); // 2.5/1.1 < 2.4
    expect(new Sampler({ temperature: 0, presencePenalty: 0.2 }).sample(logits, [1])).toBe(3);
    expect(new Sampler({ temperature: 0, frequencyPenalty: 0.05 }).sample(logits, [1, 1, 1])).toBe(3);
    expect(new Sampler({ temperature: 0, frequencyPenalty: 0.05 }).sample(logits, [1])).toBe(1);
  });
});
