/**
 * Reference matmul: Y (ntok × rows) = W (rows × cols, any format) · X (ntok × cols), in f64.
 * For quantized formats the activations go through the same q8a quantization as the kernels, so the only
 * difference left is f32 summation order; `bound` is the matching error bound for each output.
 */
import { FORMATS, rowBytes, type WeightFormat } from "../formats.js";
import { dequantize } from "./dequant.js";
import { quantizeQ8a } from "./quantize.js";

export interface ReferenceMatmul {
  y: Float64Array;
  /** Σ|w·x| per output: errors are judged relative to it. */
  magnitude: Float64Array;
}

export function referenceMatmul(
  format: WeightFormat,
  w: Uint8Array,
  rows: number,
  cols: number,
  x: Float32Array,
  ntok: number,
): ReferenceMatmul {
  const y = new Float64Array(ntok * rows);
  const magnitude = new Float64Array(ntok * rows);
  const acts: Float64Array[] = [];
  for (let t = 0; t < ntok; t++) {
    const row = x.subarray(t * cols, (t + 1) * cols);
    if (FORMATS[format].quantized) {
      const q = quantizeQ8a(row);
      acts.push(Float64Array.from(q.qs, (v, i) => v * (q.d[i >> 5] ?? 0)));
    } else acts.push(Float64Array.from(row));
  }
  const rb = rowBytes(format, cols);
  for (let r = 0; r < rows; r++) {
    const wr = dequantize(format, w, r * rb, cols);
    for (let t = 0; t < ntok; t++) {
      const a = acts[t] as Float64Array;
      let s = 0;
      let m = 0;
      for (let i = 0; i < cols; i++) {
        const p = (wr[i] ?? 0) * (a[i] ?? 0);
        s += p;
        m += Math.abs(p);
      }
      y[t * rows + r] = s;
      magnitude[t * rows + r] = m;
    }
  }
  return { y, magnitude };
}
