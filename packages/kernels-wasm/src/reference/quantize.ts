/**
 * Scalar quantizers. `quantizeQ8a` is the oracle for assembly/quantize.ts and matches it bit for bit.
 * `quantizeWeights` writes GGUF Q8_0 / Q4_0 blocks (llama.cpp's reference math: Q8_0 d = max|x|/127,
 * Q4_0 d = x_at_max|x| / −8), Q4_K / Q6_K super-blocks (quantize-k.ts, after ggml's quantize_row_q{4,6}_K_ref) and
 * F32/F16/BF16 rows, for loaders that quantize safetensors and for tests.
 */
import { FORMATS, type WeightFormat } from "../formats.js";
import { f16ToF32, f32ToBf16, f32ToF16, roundHalfEven } from "./half.js";
import { quantizeQ4K, quantizeQ6K } from "./quantize-k.js";

export interface Q8aRow {
  /** round-to-nearest-even(x / d), in [−127, 127]. */
  qs: Int8Array;
  /** Scale of each block of 32. */
  d: Float32Array;
  /** Sum of qs over each 16 values. */
  s16: Int32Array;
}

/** Quantizes one activation row (length a multiple of 32) the way the wasm kernels do. */
export function quantizeQ8a(x: ArrayLike<number>): Q8aRow {
  const n = x.length;
  const qs = new Int8Array(n);
  const d = new Float32Array(n / 32);
  const s16 = new Int32Array(n / 16);
  for (let b = 0; b < n / 32; b++) {
    let amax = 0;
    for (let i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(Math.fround(x[b * 32 + i] ?? 0)));
    const db = Math.fround(amax / 127);
    const id = db !== 0 ? Math.fround(1 / db) : 0;
    d[b] = db;
    for (let i = 0; i < 32; i++) {
      const q = Math.max(-127, Math.min(127, roundHalfEven(Math.fround(Math.fround(x[b * 32 + i] ?? 0) * id))));
      qs[b * 32 + i] = q;
      s16[(b * 32 + i) >> 4] = (s16[(b * 32 + i) >> 4] ?? 0) + q;
    }
  }
  return { qs, d, s16 };
}

/**
 * Encodes rows × cols values (row-major) in a weight format; `cols` must be a whole number of blocks (256 for Q4_K and
 * Q6_K). `reference.dequantize` reads the bytes back.
 * @example
 * const bytes = quantizeWeights("q4_k", values, 2, 256); // 2 × 144 bytes
 */
export function quantizeWeights(
  format: WeightFormat,
  values: ArrayLike<number>,
  rows: number,
  cols: number,
): Uint8Array {
  const info = FORMATS[format];
  if (cols % info.blockSize !== 0) throw new RangeError(`${format} needs cols to be a multiple of ${info.blockSize}`);
  const out = new Uint8Array((rows * cols * info.blockBytes) / info.blockSize);
  const view = new DataView(out.buffer);
  const n = rows * cols;
  switch (format) {
    case "f32":
      for (let i = 0; i < n; i++) view.setFloat32(i * 4, values[i] ?? 0, true);
      return out;
    case "f16":
      for (let i = 0; i < n; i++) view.setUint16(i * 2, f32ToF16(values[i] ?? 0), true);
      return out;
    case "bf16":
      for (let i = 0; i < n; i++) view.setUint16(i * 2, f32ToBf16(values[i] ?? 0), true);
      return out;
    case "q8_0":
      for (let b = 0; b < n / 32; b++) {
        let amax = 0;
        for (let i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(values[b * 32 + i] ?? 0));
        const dh = f32ToF16(amax / 127);
        const id = amax === 0 ? 0 : 1 / (amax / 127);
        view.setUint16(b * 34, dh, true);
        for (let i = 0; i < 32; i++) view.setInt8(b * 34 + 2 + i, roundHalfEven((values[b * 32 + i] ?? 0) * id));
      }
      return out;
    case "q4_0":
      for (let b = 0; b < n / 32; b++) {
        let amax = 0;
        let max = 0;
        for (let i = 0; i < 32; i++) {
          const v = values[b * 32 + i] ?? 0;
          if (Math.abs(v) > amax) {
            amax = Math.abs(v);
            max = v;
          }
        }
        const d = max / -8;
        const id = d === 0 ? 0 : 1 / d;
        view.setUint16(b * 18, f32ToF16(d), true);
        for (let i = 0; i < 16; i++) {
          const lo = Math.min(15, Math.trunc((values[b * 32 + i] ?? 0) * id + 8.5));
          const hi = Math.min(15, Math.trunc((values[b * 32 + 16 + i] ?? 0) * id + 8.5));
          out[b * 18 + 2 + i] = lo | (hi << 4);
        }
      }
      return out;
    case "q4_k":
      quantizeQ4K(values, out);
      return out;
    case "q6_k":
      quantizeQ6K(values, out);
      return out;
  }
}

export { f16ToF32 };
