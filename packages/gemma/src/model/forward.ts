/**
 * One Gemma forward pass over a batch of tokens at positions pos0…pos0+n−1, reading top to bottom (llama2.c style):
 * embed ▸ per layer [norm ▸ q,k,v ▸ (q/k norm) ▸ RoPE ▸ cache ▸ attention ▸ output ▸ (post-norm) ▸ residual ▸ norm ▸
 * gated GELU MLP ▸ (post-norm) ▸ residual] ▸ final norm ▸ logits ▸ (softcap). Every op goes through the kernels.
 * The Gemma-version differences are the flags in the config (postNorms, qkNorm, softcaps, sliding layers).
 * Math follows Hugging Face's modeling_gemma / gemma2 / gemma3 and llama.cpp's gemma graphs.
 */
import type { GemmaConfig } from "../config/gemma-config.js";
import type { EngineKernels } from "./engine-kernels.js";
import type { RunState } from "./state.js";
import type { GemmaWeights } from "./weights.js";

/** A model on one backend: its kernels, config, weights and run state (all in that backend's memory). */
export interface Model {
  kernels: EngineKernels;
  config: GemmaConfig;
  weights: GemmaWeights;
  state: RunState;
}

/**
 * Runs tokens through the model, filling the KV cache at their positions, and leaves the logits of the last token
 * in `state.logits` (unless `logits` is false: `prefill` skips the output matrix, a fifth of a Gemma-2B-shaped
 * model's bytes, for every batch but the last). `tokens.length` ≤ state.maxBatch and pos0 + tokens.length ≤
 * state.maxContext (the caller, `prefill`, splits longer prompts).
 *
 * Past the last layer's cache write only the last token's hidden state is used (for the logits), so that layer runs
 * its keys and values for the whole batch and the rest for the last token alone — or not at all without logits:
 * ≈ 1/numLayers of a prompt's work. (llama.cpp's graphs drop the other rows before the last layer's MLP.)
 */
export function forward(m: Model, tokens: readonly number[], pos0: number, logits = true): void {
  const { kernels: k, config: c, weights: w, state: s } = m;
  const n = tokens.length;
  const H = c.hiddenSize;

  // embedding × √H
  k.embed(w.embed, tokens, s.x);
  k.scale(s.x, Math.sqrt(H), s.x, n * H);

  let rows = n; // the tokens still carried: all of them, then the last one alone in the last layer
  let at = pos0; // the position of row 0
  for (let l = 0; l < c.numLayers; l++) {
    const lw = w.layers[l] as GemmaWeights["layers"][number];
    const lc = c.layers[l] as GemmaConfig["layers"][number];
    let cached = false; // this layer's keys and values of the carried rows are in the cache already
    if (l === c.numLayers - 1 && n > 1) {
      k.rmsnorm(s.x, lw.attnNorm, s.xb, n, H, c.rmsNormEps);
      keysAndValues(m, l, k.quantizeIfNeeded(lw.wq, s.xb, n), n, pos0, ropePositions(lc.ropeScale, pos0, n));
      if (!logits) return;
      // the last token's row to row 0 (through xb: a copy within one buffer is not allowed on the GPU)
      k.copy(s.x, s.xb, H, (n - 1) * H, 0);
      k.copy(s.xb, s.x, H, 0, 0);
      rows = 1;
      at = pos0 + n - 1;
      cached = true;
    }

    // attention block: x += [post-norm](Wo · attention(rope(q), rope(k), v))
    const positions = ropePositions(lc.ropeScale, at, rows);
    k.rmsnorm(s.x, lw.attnNorm, s.xb, rows, H, c.rmsNormEps);
    const xq = k.quantizeIfNeeded(lw.wq, s.xb, rows);
    k.matmul(lw.wq, xq, s.q, rows);
    if (!cached) keysAndValues(m, l, xq, rows, at, positions);
    if (lw.qNorm) k.rmsnorm(s.q, lw.qNorm, s.q, rows * c.numHeads, c.headDim, c.rmsNormEps);
    k.rope(s.q, rows, c.numHeads, c.headDim, positions, lc.ropeTheta);
    k.attention({
      q: s.q,
      k: s.keyCache[l] as RunState["keyCache"][number],
      v: s.valueCache[l] as RunState["valueCache"][number],
      out: s.att,
      nq: rows,
      nheads: c.numHeads,
      nkv: c.numKvHeads,
      hd: c.headDim,
      pos0: at,
      window: lc.sliding && c.slidingWindow !== null ? c.slidingWindow : 0,
      scale: c.queryScale,
      softcap: c.attnLogitSoftcap ?? 0,
    });
    k.matmul(lw.wo, s.att, s.out, rows);
    if (lw.postAttnNorm) k.rmsnorm(s.out, lw.postAttnNorm, s.out, rows, H, c.rmsNormEps);
    k.add(s.x, s.out, s.x, rows * H);

    // MLP block: x += [post-norm](W_down · (gelu_tanh(W_gate · x̂) ⊙ W_up · x̂)), x̂ = norm(x)
    k.rmsnorm(s.x, lw.ffnNorm, s.xb, rows, H, c.rmsNormEps);
    const xf = k.quantizeIfNeeded(lw.wGate, s.xb, rows);
    k.matmul(lw.wGate, xf, s.gate, rows);
    k.matmul(lw.wUp, xf, s.up, rows);
    k.geluGate(s.gate, s.up, s.gate, rows * c.intermediateSize);
    k.matmul(lw.wDown, s.gate, s.out, rows);
    if (lw.postFfnNorm) k.rmsnorm(s.out, lw.postFfnNorm, s.out, rows, H, c.rmsNormEps);
    k.add(s.x, s.out, s.x, rows * H);
  }
  if (!logits) return;

  // final norm of the last position, logits = W_out · x, Gemma 2's final softcap
  k.copy(s.x, s.xb, H, (rows - 1) * H, 0);
  k.rmsnorm(s.xb, w.outputNorm, s.last, 1, H, c.rmsNormEps);
  k.matvec(w.output, s.last, s.logits);
  if (c.finalLogitSoftcap !== null) k.softcap(s.logits, c.finalLogitSoftcap);
}

/**
 * Layer l's keys and values of `n` tokens at pos0…: projected from xq (the normed rows), (k-normed,) roped at
 * `positions` (ropePositions), cached.
 */
function keysAndValues(m: Model, l: number, xq: unknown, n: number, pos0: number, positions: number[]): void {
  const { kernels: k, config: c, weights: w, state: s } = m;
  const lw = w.layers[l] as GemmaWeights["layers"][number];
  const lc = c.layers[l] as GemmaConfig["layers"][number];
  const kvWidth = c.numKvHeads * c.headDim;
  k.matmul(lw.wk, xq, s.k, n);
  k.matmul(lw.wv, xq, s.v, n);
  if (lw.kNorm) k.rmsnorm(s.k, lw.kNorm, s.k, n * c.numKvHeads, c.headDim, c.rmsNormEps);
  k.rope(s.k, n, c.numKvHeads, c.headDim, positions, lc.ropeTheta);
  const kc = s.keyCache[l] as RunState["keyCache"][number];
  const vc = s.valueCache[l] as RunState["valueCache"][number];
  if (kc.dtype === "f16") {
    k.toF16(s.k, kc, n * kvWidth, pos0 * kvWidth);
    k.toF16(s.v, vc, n * kvWidth, pos0 * kvWidth);
  } else {
    k.copy(s.k, kc, n * kvWidth, 0, pos0 * kvWidth);
    k.copy(s.v, vc, n * kvWidth, 0, pos0 * kvWidth);
  }
}

/** RoPE positions of n tokens from pos0, divided by the layer's linear scale (Gemma 3's global layers). */
function ropePositions(scale: number, pos0: number, n: number): number[] {
  return Array.from({ length: n }, (_, t) => (pos0 + t) / scale);
}
