/**
 * The engine a `GemmaModel` generates with: the model on its current backend and the KV cache bookkeeping. It feeds
 * tokens at the cache's next positions and returns the last token's logits; when the backend fails in a way the
 * fallback recognizes (a lost GPU device, GPU out of memory), it switches to the fallback model once and recomputes
 * the cached positions there, so the generation in flight goes on.
 */
import type { Model } from "./forward.js";
import { prefill } from "./prefill.js";

/** What is in the KV cache: the token ids at positions 0…n−1. */
export interface CacheState {
  tokens: number[];
}

export interface Fallback {
  /** Whether an error means "this backend is gone": then `to()` is used from now on. */
  when(error: unknown): boolean;
  /** The model to continue on (its KV cache is refilled from the cached tokens). */
  to(): Model;
  /** Told once, after the switch. */
  onSwitch?(error: unknown): void;
}

export class Engine {
  #fallback: Fallback | undefined;

  constructor(
    public model: Model,
    fallback?: Fallback,
  ) {
    this.#fallback = fallback;
  }

  get maxContext(): number {
    return this.model.state.maxContext;
  }

  /**
   * Runs `tokens` at positions cache.tokens.length…, appends them to the cache and returns the last one's logits (read
   * them before the next advance: on WASM they are a live view).
   */
  async advance(cache: CacheState, tokens: readonly number[]): Promise<Float32Array> {
    try {
      const logits = await run(this.model, tokens, cache.tokens.length);
      cache.tokens.push(...tokens);
      return logits;
    } catch (error) {
      const fallback = this.#fallback;
      if (!fallback?.when(error)) throw error;
      this.#fallback = undefined;
      this.model = fallback.to();
      fallback.onSwitch?.(error);
      const all = [...cache.tokens, ...tokens];
      cache.tokens = [];
      const logits = await run(this.model, all, 0);
      cache.tokens = all;
      return logits;
    }
  }
}

/** Prefills `tokens` and returns the logits: a live view on WASM (valid until the next forward), a read on the GPU. */
async function run(m: Model, tokens: readonly number[], pos0: number): Promise<Float32Array> {
  prefill(m, tokens, pos0);
  return m.kernels.view ? m.kernels.view(m.state.logits) : m.kernels.read(m.state.logits);
}
