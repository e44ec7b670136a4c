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

/** Two rows' widened weights of one block (e0x: row 0, e1x: row 1) against one token: [r0, r0, r1, r1] partial sums. */
@inline
function pair(ap: usize, e00: v128, e01: v128, e02: v128, e03: v128, e10: v128, e11: v128, e12: v128, e13: v128): v128 {
  const x0 = v128.load(ap);
  const x1 = v128.load(ap, 16);
  const x2 = v128.load(ap, 32);
  const x3 = v128.load(ap, 48);
  let v0 = i32x4.dot_i16x8_s(e00, x0);
  v0 = i32x4.add(v0, i32x4.dot_i16x8_s(e01, x1));
  v0 = i32x4.add(v0, i32x4.dot_i16x8_s(e02, x2));
  v0 = i32x4.add(v0, i32x4.dot_i16x8_s(e03, x3));
  let v1 = i32x4.dot_i16x8_s(e10, x0);
  v1 = i32x4.add(v1, i32x4.dot_i16x8_s(e11, x1));
  v1 = i32x4.add(v1, i32x4.dot_i16x8_s(e12, x2));
  v1 = i32x4.add(v1, i32x4.dot_i16x8_s(e13, x3));
  return i32x4.add(i32x4.shuffle(v0, v1, 0, 1, 4, 5), i32x4.shuffle(v0, v1, 2, 3, 6, 7));
}

/** Rows w0 and w1 × four tokens: each block's weights widened once for the four tokens, two rows' float work packed. */
function rows2x4(w0: usize, w1: usize, a: usize, aBytes: usize, cols: i32, y0: usize, y1: usize, yTok: usize): void {
  const qOff = <usize>cols;
  const dOff = <usize>(3 * cols);
  const a1 = a + aBytes;
  const a2 = a1 + aBytes;
  const a3 = a2 + aBytes;
  const nb = cols >> 5;
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  for (let b = 0; b < nb; b++) {
    const p0 = w0 + <usize>(b * BLOCK_BYTES_Q8_0);
    const p1 = w1 + <usize>(b * BLOCK_BYTES_Q8_0);
    const wa0 = v128.load(p0 + 2);
    const wb0 = v128.load(p0 + 18);
    const wa1 = v128.load(p1 + 2);
    const wb1 = v128.load(p1 + 18);
    const e00 = i16x8.extend_low_i8x16_s(wa0);
    const e01 = i16x8.extend_high_i8x16_s(wa0);
    const e02 = i16x8.extend_low_i8x16_s(wb0);
    const e03 = i16x8.extend_high_i8x16_s(wb0);
    const e10 = i16x8.extend_low_i8x16_s(wa1);
    const e11 = i16x8.extend_high_i8x16_s(wa1);
    const e12 = i16x8.extend_low_i8x16_s(wb1);
    const e13 = i16x8.extend_high_i8x16_s(wb1);
    const d0 = f16_to_f32(load<u16>(p0));
    const sw = f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(d0), 2, f16_to_f32(load<u16>(p1))), 3, f16_to_f32(load<u16>(p1)));
    const ob = <usize>b * 64;
    const od = <usize>b * 4;
    c0 = f32x4.add(c0, f32x4.mul(f32x4.convert_i32x4_s(pair(a + qOff + ob, e00, e01, e02, e03, e10, e11, e12, e13)), f32x4.mul(sw, f32x4.splat(load<f32>(a + dOff + od)))));
    c1 = f32x4.add(c1, f32x4.mul(f32x4.convert_i32x4_s(pair(a1 + qOff + ob, e00, e01, e02, e03, e10, e11, e12, e13)), f32x4.mul(sw, f32x4.splat(load<f32>(a1 + dOff + od)))));
    c2 = f32x4.add(c2, f32x4.mul(f32x4.convert_i32x4_s(pair(a2 + qOff + ob, e00, e01, e02, e03, e10, e11, e12, e13)), f32x4.mul(sw, f32x4.splat(load<f32>(a2 + dOff + od)))));
    c3 = f32x4.add(c3, f32x4.mul(f32x4.convert_i32x4_s(pair(a3 + qOff + ob, e00, e01, e02, e03, e10, e11, e12, e13)), f32x4.mul(sw, f32x4.splat(load<f32>(a3 + dOff + od)))));
  }
  storePair(y0, y1, c0);
  storePair(y0 + yTok, y1 + yTok, c1);
  storePair(y0 + 2 * yTok, y1 + 2 * yTok, c2);
  storePair(y0 + 3 * yTok, y1 + 3 * yTok, c3);
}

@inline
function storePair(y0: usize, y1: usize, v: v128): void {
  store<f32>(y0, f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1));
  store<f32>(y1, f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Four weight rows (`wStride` apart) × four activation rows (`aBytes` apart): the batched-prefill kernel, two rows a pass. */
export function dot4x4_q8_0(w: usize, wStride: usize, a: usize, aBytes: usize, cols: i32, y: usize, yStride: usize, yTok: usize): void {
  rows2x4(w, w + wStride, a, aBytes, cols, y, y + yStride, yTok);
  rows2x4(w + 2 * wStride, w + 3 * wStride, a, aBytes, cols, y + 2 * yStride, y + 3 * yStride, yTok);
}
