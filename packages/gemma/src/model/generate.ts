/**
 * Token generation over a loaded model: prefix reuse of the KV cache, sampling, stop tokens and stop strings (text
 * held back only while it could still become a stop string), abort within one token, and text deltas that never
 * split a UTF-8 character (the decoder decides what text a token completes).
 */

import type { StreamDecoder } from "../tokenizer/stream-decoder.js";
import { type CacheState, Engine } from "./engine.js";
import type { Model } from "./forward.js";
import { Sampler, type SamplingOptions } from "./sampler.js";

export interface GenerateOptions extends SamplingOptions {
  /** @default 256 */
  maxTokens?: number;
  /** Token ids that end the generation (EOS, `<end_of_turn>`); not part of the output. */
  stopTokens?: readonly number[];
  /** Strings that end the generation; the output stops before them. */
  stop?: readonly string[];
  signal?: AbortSignal;
}

export interface GenerationUsage {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens whose KV came from the cache (prefix reuse). */
  cachedTokens: number;
}

export type GenerationPart =
  | { type: "text-delta"; text: string; tokens: number[] }
  | { type: "finish"; reason: "stop" | "length" | "abort"; usage: GenerationUsage };

export type { CacheState } from "./engine.js";

/** How many leading tokens of `prompt` the cache already holds (at least one prompt token is always recomputed). */
export function reusablePrefix(cache: CacheState, prompt: readonly number[]): number {
  let n = 0;
  const limit = Math.min(cache.tokens.length, prompt.length - 1);
  while (n < limit && cache.tokens[n] === prompt[n]) n++;
  return n;
}

/**
 * Lets the event loop run (an abort, a stream's reader) between tokens without a timer's clamp: `setTimeout(0)` waits
 * ≥ 1 ms in Node and ≥ 4 ms in a browser once nested — 1–5 % of a 10–20 tok/s decode. `setImmediate` (Node) or a
 * `MessageChannel` message (browsers, workers, workerd) runs the continuation as soon as pending events are handled.
 */
const yieldToEventLoop: () => Promise<void> = (() => {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown; MessageChannel?: typeof MessageChannel };
  if (typeof g.setImmediate === "function") {
    const immediate = g.setImmediate;
    return () => new Promise<void>((resolve) => immediate(resolve));
  }
  if (typeof g.MessageChannel === "function") {
    return () =>
      new Promise<void>((resolve) => {
        const channel = new (g.MessageChannel as typeof MessageChannel)();
        channel.port1.onmessage = () => {
          channel.port1.close();
          resolve();
        };
        channel.port2.postMessage(0);
      });
  }
  return () => new Promise<void>((resolve) => setTimeout(resolve, 0));
})();

/** Generates from `prompt` on a model (or an engine, which may switch backends mid-generation). */
export async function* generateTokens(
  m: Model | Engine,
  cache: CacheState,
  prompt: readonly number[],
  decoder: StreamDecoder,
  options: GenerateOptions = {},
): AsyncGenerator<GenerationPart> {
  const engine = m instanceof Engine ? m : new Engine(m);
  const maxTokens = options.maxTokens ?? 256;
  const stopTokens = new Set(options.stopTokens ?? []);
  const stops = (options.stop ?? []).filter((s) => s !== "");
  const sampler = new Sampler(options);
  const reused = reusablePrefix(cache, prompt);
  const usage = (completion: number): GenerationUsage => ({
    promptTokens: prompt.length,
    completionTokens: completion,
    cachedTokens: reused,
  });

  if (options.signal?.aborted) {
    yield { type: "finish", reason: "abort", usage: usage(0) };
    return;
  }
  cache.tokens = cache.tokens.slice(0, reused);
  let logits = await engine.advance(cache, prompt.slice(reused));

  const history = [...prompt];
  let pending = ""; // decoded text not yet sent (it may still turn into a stop string)
  let pendingTokens: number[] = [];
  let generated = 0;
  while (true) {
    const next = sampler.sample(logits, history);
    if (stopTokens.has(next)) {
      const text = pending + decoder.flush();
      if (text !== "" || pendingTokens.length) yield { type: "text-delta", text, tokens: pendingTokens };
      yield { type: "finish", reason: "stop", usage: usage(generated) };
      return;
    }
    generated++;
    history.push(next);
    pending += decoder.push(next);
    pendingTokens.push(next);

    const hit = firstStop(pending, stops);
    if (hit >= 0) {
      if (hit > 0) yield { type: "text-delta", text: pending.slice(0, hit), tokens: pendingTokens };
      yield { type: "finish", reason: "stop", usage: usage(generated) };
      return;
    }
    const keep = partialStopSuffix(pending, stops);
    if (pending.length > keep) {
      yield { type: "text-delta", text: pending.slice(0, pending.length - keep), tokens: pendingTokens };
      pending = pending.slice(pending.length - keep);
      pendingTokens = [];
    }
    if (generated >= maxTokens || cache.tokens.length >= engine.maxContext) {
      const rest = pending + decoder.flush();
      if (rest !== "" || pendingTokens.length) yield { type: "text-delta", text: rest, tokens: pendingTokens };
      yield { type: "finish", reason: "length", usage: usage(generated) };
      return;
    }
    await yieldToEventLoop();
    if (options.signal?.aborted) {
      yield { type: "finish", reason: "abort", usage: usage(generated) };
      return;
    }
    logits = await engine.advance(cache, [next]);
  }
}

function firstStop(text: string, stops: readonly string[]): number {
  let best = -1;
  for (const s of stops) {
    const i = text.indexOf(s);
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best;
}

/** Length of the longest suffix of `text` that is a proper prefix of some stop string. */
function partialStopSuffix(text: string, stops: readonly string[]): number {
  let keep = 0;
  for (const s of stops) {
    for (let n = Math.min(s.length - 1, text.length); n > keep; n--) {
      if (text.endsWith(s.slice(0, n))) {
        keep = n;
        break;
      }
    }
  }
  return keep;
}

/** ln p of each candidate token after `prompt` (the safety judge's Yes/No), reusing the cached prefix. */
export async function scoreNext(
  m: Model | Engine,
  cache: CacheState,
  prompt: readonly number[],
  candidates: readonly number[],
): Promise<number[]> {
  const engine = m instanceof Engine ? m : new Engine(m);
  const reused = reusablePrefix(cache, prompt);
  cache.tokens = cache.tokens.slice(0, reused);
  const logits = await engine.advance(cache, prompt.slice(reused));
  let max = Number.NEGATIVE_INFINITY;
  for (const v of logits) max = Math.max(max, v);
  let sum = 0;
  for (const v of logits) sum += Math.exp(v - max);
  const logZ = max + Math.log(sum);
  return candidates.map((id) => (logits[id] ?? Number.NEGATIVE_INFINITY) - logZ);
}
