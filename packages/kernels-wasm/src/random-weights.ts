/**
 * Deterministic test data: weights in any format (every bit pattern of the quant fields exercised, scales kept
 * finite and sane) and activation rows. Used by the self-test, the tests and the benchmark.
 */
import { FORMATS, rowBytes, type WeightFormat } from "./formats.js";
import { f32ToF16 } from "./reference/half.js";
import { quantizeWeights } from "./reference/quantize.js";

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n values uniform in [−scale, scale). */
export function randomValues(n: number, seed: number, scale = 1): Float32Array {
  const rand = prng(seed);
  return Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
}

/** A rows × cols weight matrix in `format`'s GGUF layout. */
export function randomWeights(format: WeightFormat, rows: number, cols: number, seed: number): Uint8Array {
  if (!FORMATS[format].quantized) return quantizeWeights(format, randomValues(rows * cols, seed, 0.5), rows, cols);
  const rand = prng(seed);
  const out = new Uint8Array(rows * rowBytes(format, cols));
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(rand() * 256);
  const view = new DataView(out.buffer);
  const scale = () => f32ToF16((rand() * 2 - 1) * 0.02 + 0.001);
  const { blockBytes } = FORMATS[format];
  for (let b = 0; b < out.length / blockBytes; b++) {
    const p = b * blockBytes;
    if (format === "q6_k") view.setUint16(p + 208, scale(), true);
    else view.setUint16(p, scale(), true);
    if (format === "q4_k") view.setUint16(p + 2, f32ToF16(rand() * 0.01), true);
  }
  return out;
}
