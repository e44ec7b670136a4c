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

describe("Sampler on a large vocabulary", () => {
  const big = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i * 12.9898) * 6);
  /** The tokens top-p keeps, by a full sort (the definition). */
  function nucleus(topP: number, temperature = 1): Set<number> {
    const order = Array.from(big.keys()).sort((a, b) => (big[b] ?? 0) - (big[a] ?? 0) || a - b);
    const top = big[order[0] ?? 0] ?? 0;
    const p = order.map((i) => Math.exp(((big[i] ?? 0) - top) / temperature));
    const total = p.reduce((a, b) => a + b, 0);
    let mass = 0;
    const keep = new Set<number>();
    for (const [k, i] of order.entries()) {
      keep.add(i);
      mass += (p[k] ?? 0) / total;
      if (mass >= topP) break;
    }
    return keep;
  }

  it("top-p keeps exactly the nucleus a full sort defines", () => {
    for (const topP of [0.5, 0.9, 0.99]) {
      const want = nucleus(topP);
      const got = new Set(draws(new Sampler({ topP, seed: 9 }), 0));
      const s = new Sampler({ topP, seed: 9 });
      for (let i = 0; i < 400; i++) got.add(s.sample(big, []));
      for (const id of got) expect(want.has(id), `token ${id} outside the top-${topP} nucleus`).toBe(true);
    }
  });

  it("plain sampling follows the softmax (frequencies within 3 σ)", () => {
    const s = new Sampler({ seed: 11 });
    const counts = new Map<number, number>();
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const id = s.sample(big, []);
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const top = Math.max(...big);
    const total = big.reduce((a, v) => a + Math.exp(v - top), 0);
    const best = argmax(big);
    const p = Math.exp((big[best] ?? 0) - top) / total;
    expect(Math.abs((counts.get(best) ?? 0) - n * p)).toBeLessThan(3 * Math.sqrt(n * p * (1 - p)) + 1);
  });
});
