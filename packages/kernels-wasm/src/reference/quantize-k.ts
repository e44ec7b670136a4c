/**
 * Scalar encoders of GGUF's K-quant super-blocks of 256 values, written from ggml's quantize_row_q4_K_ref and
 * quantize_row_q6_K_ref (ggml-quants.c) — the same searches in f64 rather than f32, so bytes can differ from
 * llama-quantize's in the odd rounding tie, never in layout. Each sub-block gets its own scale (and for Q4_K a min)
 * by a small least-squares search; the sub-block scales are then quantized against the super-block's largest, and the
 * values re-quantized with the scales as they will be decoded. `dequantize` (dequant.ts) is the inverse.
 */
import { f16ToF32, f32ToF16 } from "./half.js";

const QK_K = 256;
/** ggml's GROUP_MAX_EPS: a Q6_K super-block whose largest sub-block scale is below this is written as zeros. */
const GROUP_MAX_EPS = 1e-15;

/**
 * Q4_K: x ≈ d·sc_j·q − dmin·m_j with q in [0, 15], per sub-block j of 32 a 6-bit scale sc_j and min m_j.
 * Layout (144 bytes): f16 d, f16 dmin, scales[12] (eight 6-bit (sc, m) pairs, see `packScalesK4`), qs[128] — byte l of
 * chunk c holds value 64c + l in its low nibble and 64c + 32 + l in its high nibble. Fills `out` (a whole number of
 * super-blocks) from the first values of `x`.
 */
export function quantizeQ4K(x: ArrayLike<number>, out: Uint8Array): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const L = new Uint8Array(QK_K);
  const sub = new Float64Array(32);
  const weights = new Float64Array(32);
  const scales = new Float64Array(8);
  const mins = new Float64Array(8);
  const ls = new Uint8Array(8);
  const lm = new Uint8Array(8);
  for (let sb = 0; sb < out.length / 144; sb++) {
    const x0 = sb * QK_K;
    const p = sb * 144;
    let maxScale = 0;
    let maxMin = 0;
    for (let j = 0; j < 8; j++) {
      let sumX2 = 0;
      for (let l = 0; l < 32; l++) {
        sub[l] = x[x0 + 32 * j + l] ?? 0;
        sumX2 += (sub[l] ?? 0) ** 2;
      }
      // weights: large values and the sub-block's RMS both matter (ggml: av_x + |x|)
      const avX = Math.sqrt(sumX2 / 32);
      for (let l = 0; l < 32; l++) weights[l] = avX + Math.abs(sub[l] ?? 0);
      const fit = fitScaleMin(sub, weights, 15, L.subarray(32 * j, 32 * j + 32));
      scales[j] = fit.scale;
      mins[j] = fit.min;
      maxScale = Math.max(maxScale, fit.scale);
      maxMin = Math.max(maxMin, fit.min);
    }
    const invScale = maxScale > 0 ? 63 / maxScale : 0;
    const invMin = maxMin > 0 ? 63 / maxMin : 0;
    for (let j = 0; j < 8; j++) {
      ls[j] = clamp(nearest(invScale * (scales[j] ?? 0)), 0, 63);
      lm[j] = clamp(nearest(invMin * (mins[j] ?? 0)), 0, 63);
    }
    packScalesK4(ls, lm, out.subarray(p + 4, p + 16));
    view.setUint16(p, f32ToF16(maxScale / 63), true);
    view.setUint16(p + 2, f32ToF16(maxMin / 63), true);
    // re-quantize with the scales and mins as decoded
    const d = f16ToF32(view.getUint16(p, true));
    const dmin = f16ToF32(view.getUint16(p + 2, true));
    for (let j = 0; j < 8; j++) {
      const dj = d * (ls[j] ?? 0);
      if (dj === 0) continue; // the sub-block decodes to −dmin·m whatever its nibbles
      const mj = dmin * (lm[j] ?? 0);
      for (let l = 0; l < 32; l++) L[32 * j + l] = clamp(nearest(((x[x0 + 32 * j + l] ?? 0) + mj) / dj), 0, 15);
    }
    for (let c = 0; c < 4; c++) {
      for (let l = 0; l < 32; l++) out[p + 16 + 32 * c + l] = (L[64 * c + l] ?? 0) | ((L[64 * c + 32 + l] ?? 0) << 4);
    }
  }
}

/**
 * Q6_K: x ≈ d·sc_j·(q − 32) with q in [0, 63], per sub-block j of 16 an int8 scale sc_j.
 * Layout (210 bytes): ql[128] (low nibbles), qh[64] (high 2 bits), scales[16] (int8), f16 d. Each half h of 128 values
 * uses ql[64h…64h+63] and qh[32h…32h+31]: value 128h + 32k + l sits in the low (k = 0, 1) or high (k = 2, 3) nibble of
 * ql[64h + 32(k & 1) + l] and in bits 2k…2k+1 of qh[32h + l]. Fills `out` (a whole number of super-blocks) from the
 * first values of `x`.
 */
export function quantizeQ6K(x: ArrayLike<number>, out: Uint8Array): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const L = new Uint8Array(QK_K);
  const sub = new Float64Array(16);
  const scales = new Float64Array(16);
  for (let sb = 0; sb < out.length / 210; sb++) {
    const x0 = sb * QK_K;
    const p = sb * 210;
    let maxScale = 0;
    for (let j = 0; j < 16; j++) {
      for (let l = 0; l < 16; l++) sub[l] = x[x0 + 16 * j + l] ?? 0;
      const s = fitScale(sub, 32, L.subarray(16 * j, 16 * j + 16));
      scales[j] = s;
      if (Math.abs(s) > Math.abs(maxScale)) maxScale = s;
    }
    if (Math.abs(maxScale) < GROUP_MAX_EPS) {
      out.fill(0, p, p + 210);
      continue;
    }
    // the largest scale (signed) becomes −128; the others round into [−128, 127]
    const iscale = -128 / maxScale;
    view.setUint16(p + 208, f32ToF16(1 / iscale), true);
    const d = f16ToF32(view.getUint16(p + 208, true));
    for (let j = 0; j < 16; j++) {
      const sc = Math.min(127, nearest(iscale * (scales[j] ?? 0)));
      view.setInt8(p + 192 + j, sc);
      const dj = d * sc;
      if (dj === 0) continue;
      for (let l = 0; l < 16; l++) L[16 * j + l] = clamp(nearest((x[x0 + 16 * j + l] ?? 0) / dj), -32, 31) + 32;
    }
    for (let h = 0; h < 2; h++) {
      const q = (k: number, l: number) => L[128 * h + 32 * k + l] ?? 0;
      for (let l = 0; l < 32; l++) {
        out[p + 64 * h + l] = (q(0, l) & 15) | ((q(2, l) & 15) << 4);
        out[p + 64 * h + 32 + l] = (q(1, l) & 15) | ((q(3, l) & 15) << 4);
        out[p + 128 + 32 * h + l] =
          (q(0, l) >> 4) | ((q(1, l) >> 4) << 2) | ((q(2, l) >> 4) << 4) | ((q(3, l) >> 4) << 6);
      }
    }
  }
}

/**
 * Packs eight 6-bit scales and mins into Q4_K's 12 bytes, the inverse of `scaleMinK4`: sub-blocks 0–3 take the low 6
 * bits of bytes 0–3 (scale) and 4–7 (min); sub-blocks 4–7 take a nibble each of bytes 8–11 and their top two bits in
 * the spare high bits of bytes 0–7.
 */
export function packScalesK4(ls: ArrayLike<number>, lm: ArrayLike<number>, out: Uint8Array): void {
  for (let j = 0; j < 4; j++) {
    const [s, m, s4, m4] = [ls[j] ?? 0, lm[j] ?? 0, ls[j + 4] ?? 0, lm[j + 4] ?? 0];
    out[j] = s | ((s4 >> 4) << 6);
    out[j + 4] = m | ((m4 >> 4) << 6);
    out[j + 8] = (s4 & 15) | ((m4 & 15) << 4);
  }
}

/**
 * ggml's make_qkx2_quants (rmin −1, rdelta 0.1, 20 steps, squared error): x ≈ scale·L − min with L in [0, nmax] and
 * min ≥ 0. Starts from the min/max grid, then tries 21 slightly different grids, each followed by the weighted
 * least-squares scale and min for its levels, and keeps the best (as in ggml, a better fit moves the grid's origin for
 * the grids after it). Writes the levels into L.
 */
function fitScaleMin(x: Float64Array, w: Float64Array, nmax: number, L: Uint8Array): { scale: number; min: number } {
  const n = x.length;
  let min = x[0] ?? 0;
  let max = min;
  let sumW = 0;
  let sumX = 0;
  let sumX2 = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i] ?? 0;
    const wi = w[i] ?? 0;
    if (xi < min) min = xi;
    if (xi > max) max = xi;
    sumW += wi;
    sumX += wi * xi;
    sumX2 += wi * xi * xi;
  }
  if (min > 0) min = 0;
  if (max === min) {
    L.fill(0);
    return { scale: 0, min: -min };
  }
  const aux = new Uint8Array(n);
  let scale = 0;
  let best = Number.POSITIVE_INFINITY;
  for (let step = -1; step <= 20; step++) {
    // step −1: the plain min/max grid, kept as is; then grids of nmax − 1 + 0.1·step steps, each least-squares fitted
    const iscale = (step < 0 ? nmax : -1 + 0.1 * step + nmax) / (max - min);
    let sumL = 0;
    let sumL2 = 0;
    let sumXL = 0;
    for (let i = 0; i < n; i++) {
      const l = clamp(nearest(iscale * ((x[i] ?? 0) - min)), 0, nmax);
      aux[i] = l;
      const wl = (w[i] ?? 0) * l;
      sumL += wl;
      sumL2 += wl * l;
      sumXL += wl * (x[i] ?? 0);
    }
    let s = 1 / iscale;
    let o = min;
    if (step >= 0) {
      // weighted least squares of x ≈ s·l + o over this grid's levels; o is the negated min and may not be positive
      const D = sumW * sumL2 - sumL * sumL;
      if (D <= 0) continue;
      s = (sumW * sumXL - sumX * sumL) / D;
      o = (sumL2 * sumX - sumL * sumXL) / D;
      if (o > 0) {
        o = 0;
        s = sumXL / sumL2;
      }
    }
    // Σ w·(s·l + o − x)², expanded over the sums above
    const e = s * s * sumL2 + 2 * s * o * sumL - 2 * s * sumXL + o * o * sumW - 2 * o * sumX + sumX2;
    if (e < best) {
      L.set(aux);
      best = e;
      scale = s;
      min = o;
    }
  }
  return { scale, min: -min };
}

/**
 * ggml's make_qx_quants with x² weights (rmse_type 1): x ≈ scale·(L − nmax) with L in [0, 2·nmax − 1]. The value of
 * largest magnitude maps to −nmax; 18 nearby grids are tried and the one with the best weighted least-squares fit kept.
 * Writes the levels into L and returns the scale (negative when that value is positive).
 */
function fitScale(x: Float64Array, nmax: number, L: Uint8Array): number {
  const n = x.length;
  let max = 0;
  for (let i = 0; i < n; i++) if (Math.abs(x[i] ?? 0) > Math.abs(max)) max = x[i] ?? 0;
  if (Math.abs(max) < GROUP_MAX_EPS) {
    L.fill(0);
    return 0;
  }
  let bestIscale = 0;
  let scale = 0;
  let best = 0;
  for (let is = 0; is <= 18; is++) {
    // the grid of −nmax/max first, then −(nmax ± 0.1k)/max for k = 1…9
    const iscale = -(nmax + (is === 0 ? 0 : 0.1 * (is <= 9 ? is - 10 : is - 9))) / max;
    let sumLX = 0;
    let sumL2 = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i] ?? 0;
      const l = clamp(nearest(iscale * xi), -nmax, nmax - 1);
      const wl = xi * xi * l;
      sumLX += wl * xi;
      sumL2 += wl * l;
    }
    if (is === 0) {
      bestIscale = iscale;
      scale = sumL2 !== 0 ? sumLX / sumL2 : 0;
      best = scale * sumLX;
    } else if (sumL2 > 0 && sumLX * sumLX > best * sumL2) {
      bestIscale = iscale;
      scale = sumLX / sumL2;
      best = scale * sumLX;
    }
  }
  for (let i = 0; i < n; i++) L[i] = clamp(nearest(bestIscale * (x[i] ?? 0)), -nmax, nmax - 1) + nmax;
  return scale;
}

/** Round to nearest, ties to even (ggml's nearest_int), by adding and removing 1.5·2^52; |v| < 2^51. */
function nearest(v: number): number {
  return v + 6755399441055744 - 6755399441055744;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}
