import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tinyGemmaGguf } from "../testing/tiny-model.js";
import type { StreamDecoder } from "../tokenizer/stream-decoder.js";
import { type CacheState, type GenerationPart, generateTokens, scoreNext } from "./generate.js";
import { type LoadedModel, loadGgufModel } from "./load.js";
import { prefill } from "./prefill.js";
import { argmax } from "./sampler.js";

let m: LoadedModel;
beforeAll(async () => {
  m = await loadGgufModel(tinyGemmaGguf({ version: 2 }).bytes, { maxContext: 128, maxBatch: 8 });
});
afterAll(() => m.kernels.close());

/** Each token decodes to "<id>". */
const decoder = (): StreamDecoder => ({ push: (id) => `<${id}>`, flush: () => "" });
const PROMPT = [2, 40, 41, 42, 43, 44];

async function run(
  prompt: number[],
  options: Parameters<typeof generateTokens>[4] = {},
  cache: CacheState = { tokens: [] },
) {
  const parts: GenerationPart[] = [];
  for await (const part of generateTokens(m, cache, prompt, decoder(), options)) parts.push(part);
  const tokens = parts.flatMap((p) => (p.type === "text-delta" ? p.tokens : []));
  const text = parts.map((p) => (p.type === "text-delta" ? p.text : "")).join("");
  return { parts, tokens, text, finish: parts.at(-1) as Extract<GenerationPart, { type: "finish" }> };
}

describe("generateTokens", () => {
  it("greedy output equals an argmax loop over forward passes, and is not one repeated token", async () => {
    const { tokens, text, finish } = await run(PROMPT, { temperature: 0, maxTokens: 16 });
    const want: number[] = [];
    prefill(m, PROMPT, 0);
    for (let i = 0; i < 16; i++) {
      const next = argmax(m.kernels.view(m.state.logits));
      want.push(next);
      prefill(m, [next], PROMPT.length + i);
    }
    expect(tokens).toEqual(want);
    expect(text).toBe(want.map((t) => `<${t}>`).join(""));
    expect(finish).toMatchObject({ reason: "length", usage: { promptTokens: 6, completionTokens: 16 } });
    expect(new Set(tokens).size).toBeGreaterThan(3);
  });

  it("the same seed gives the same sampled output", async () => {
    const a = await run(PROMPT, { temperature: 1, seed: 7, maxTokens: 12 });
    const b = await run(PROMPT, { temperature: 1, seed: 7, maxTokens: 12 });
    const c = await run(PROMPT, { temperature: 1, seed: 8, maxTokens: 12 });
    expect(a.tokens).toEqual(b.tokens);
    expect(a.tokens).not.toEqual(c.tokens);
  });

  it("stops at a stop token (not emitted) and before a stop string spanning tokens", async () => {
    const full = await run(PROMPT, { temperature: 0, maxTokens: 8 });
    const greedy = full.tokens;
    const i = greedy.findIndex((t, j) => j > 0 && !greedy.slice(0, j).includes(t));
    expect(i).toBeGreaterThan(0);
    const byToken = await run(PROMPT, { temperature: 0, maxTokens: 8, stopTokens: [greedy[i] as number] });
    expect(byToken.tokens).toEqual(greedy.slice(0, i));
    expect(byToken.finish.reason).toBe("stop");
    // a stop string made of the end of one token's text and the start of the next one's
    const stop = `${greedy[i - 1]}><${greedy[i]}`;
    const byString = await run(PROMPT, { temperature: 0, maxTokens: 8, stop: [stop] });
    expect(byString.text).toBe(full.text.slice(0, full.text.indexOf(stop)));
    expect(byString.text.length).toBeGreaterThan(0);
    expect(byString.finish.reason).toBe("stop");
  });

  it("an aborted signal stops within one token", async () => {
    const controller = new AbortController();
    const parts: GenerationPart[] = [];
    for await (const part of generateTokens(m, { tokens: [] }, PROMPT, decoder(), {
      temperature: 0,
      maxTokens: 50,
      signal: controller.signal,
    })) {
      parts.push(part);
      if (parts.length === 3) controller.abort();
    }
    expect(parts.at(-1)).toMatchObject({ type: "finish", reason: "abort", usage: { completionTokens: 3 } });
    expect(parts).toHaveLength(4);
  });

  it("a prompt that extends the previous one reuses its KV cache and gets the same tokens as a fresh run", async () => {
    const cache: CacheState = { tokens: [] };
    const first = await run(PROMPT, { temperature: 0, maxTokens: 4 }, cache);
    const extended = [...PROMPT, ...first.tokens, 50, 51];
    const reused = await run(extended, { temperature: 0, maxTokens: 6 }, cache);
    expect(reused.finish.usage.cachedTokens).toBe(PROMPT.length + 3); // the last sampled token was never fed
    const fresh = await run(extended, { temperature: 0, maxTokens: 6 }, { tokens: [] });
    expect(fresh.finish.usage.cachedTokens).toBe(0);
    expect(reused.tokens).toEqual(fresh.tokens);
  });

  it("scoreNext gives log-probabilities that agree with the logits", async () => {
    const cache: CacheState = { tokens: [] };
    const all = Array.from({ length: m.config.vocabSize }, (_, i) => i);
    const lp = await scoreNext(m, cache, PROMPT, all);
    expect(lp.reduce((a, b) => a + Math.exp(b), 0)).toBeCloseTo(1, 5);
    const best = argmax(m.kernels.view(m.state.logits));
    expect(argmax(lp)).toBe(best);
    expect(await scoreNext(m, cache, PROMPT, [best, 3])).toEqual([lp[best], lp[3]]);
  });
});
