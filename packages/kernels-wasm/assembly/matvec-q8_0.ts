// Matvec / matmul over GGUF Q8_0 weights (block of 32: f16 d, i8 qs[32]; 34 bytes) against q8a activations.
// y[t][r] = Σ_b d_w[r,b]·d_a[t,b]·Σ_i qw[r,b,i]·qa[t,b,i]. Reference: src/reference/matvec.ts.
// Four weight rows per pass share the activation loads; integer dots are exact, the f32 sum runs per lane.
import { f16_to_f32, scales4 } from "./half";
import { hsum_f32x4 } from "./hsum";
import { q8aD, q8aQs16 } from "./quantize";

export const BLOCK_BYTES_Q8_0: i32 = 34;

@inline
function dot16(w: usize, a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const wa = v128.load(w);
  const wb = v128.load(w, 16);
  let s = i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(wa), a0);
  s = i32x4.add(s, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(wa), a1));
  s = i32x4.add(s, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(wb), a2));
  return i32x4.add(s, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(wb), a3));
}

@inline
function step(acc: v128, w: usize, da: f32, a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const s = dot16(w + 2, a0, a1, a2, a3);
  return f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(s), f32x4.splat(f16_to_f32(load<u16>(w)) * da)));
}

export function dot4_q8_0(w: usize, rowBytes: usize, a: usize, cols: i32, y: usize, yStride: usize): void {
  const qs16 = q8aQs16(a, cols);
  const dp = q8aD(a, cols);
  const nb = cols >> 5;
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  for (let b = 0; b < nb; b++) {
    const ap = qs16 + <usize>b * 64;
    const a0 = v128.load(ap);
    const a1 = v128.load(ap, 16);
    const a2 = v128.load(ap, 32);
    const a3 = v128.load(ap, 48);
    const wb = w + <usize>(b * BLOCK_BYTES_Q8_0);
    const sc = scales4(wb, rowBytes, load<f32>(dp + <usize>b * 4));
    c0 = f32x4.add(c0, f32x4.mul(f32x4.convert_i32x4_s(dot16(wb + 2, a0, a1, a2, a3)), i32x4.shuffle(sc, sc, 0, 0, 0, 0)));
    c1 = f32x4.add(c1, f32x4.mul(f32x4.convert_i32x4_s(dot16(wb + rowBytes + 2, a0, a1, a2, a3)), i32x4.shuffle(sc, sc, 1, 1, 1, 1)));
    c2 = f32x4.add(c2, f32x4.mul(f32x4.convert_i32x4_s(dot16(wb + 2 * rowBytes + 2, a0, a1, a2, a3)), i32x4.shuffle(sc, sc, 2, 2, 2, 2)));
    c3 = f32x4.add(c3, f32x4.mul(f32x4.convert_i32x4_s(dot16(wb + 3 * rowBytes + 2, a0, a1, a2, a3)), i32x4.shuffle(sc, sc, 3, 3, 3, 3)));
  }
  store<f32>(y, hsum_f32x4(c0));
  store<f32>(y + yStride, hsum_f32x4(c1));
  store<f32>(y + 2 * yStride, hsum_f32x4(c2));
  store<f32>(y + 3 * yStride, hsum_f32x4(c3));
}

export function dot1_q8_0(w: usize, a: usize, cols: i32): f32 {
  const qs16 = q8aQs16(a, cols);
  const dp = q8aD(a, cols);
  const nb = cols >> 5;
  let c = f32x4.splat(0);
  for (let b = 0; b < nb; b++) {
    const ap = qs16 + <usize>b * 64;
    c = step(c, w + <usize>(b * BLOCK_BYTES_Q8_0), load<f32>(dp + <usize>b * 4), v128.load(ap), v128.load(ap, 16), v128.load(ap, 32), v128.load(ap, 48));
  }
  return hsum_f32x4(c);
}
