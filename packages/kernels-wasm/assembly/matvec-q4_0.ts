// Matvec / matmul over GGUF Q4_0 weights (block of 32: f16 d, u8 qs[16]; 18 bytes) against q8a activations.
// Element i < 16 is the low nibble of qs[i], element i + 16 its high nibble; value = d·(q − 8).
// Plain SIMD: nibbles taken from 16-bit lanes and dotted with the pre-widened i16 activations.
// Relaxed SIMD: unsigned nibbles (0..15, valid "i7" operands) in i16x8.relaxed_dot_i8x16_i7x16_s with the i8
// activations, and the −8·Σa offset subtracted per block. Reference: src/reference/matvec.ts.
import { f16_to_f32, scales4 } from "./half";
import { hsum4_i32x4, hsum_f32x4 } from "./hsum";
import { q8aD, q8aQs16, q8aS16 } from "./quantize";

export const BLOCK_BYTES_Q4_0: i32 = 18;

/** Integer dot of one block with the activations, as four i32 lanes (their sum is the block's dot). */
@inline
function blockDot(w: usize, a: usize, qs16: usize, s16: usize, b: i32): v128 {
  const qs = v128.load(w + 2);
  if (ASC_FEATURE_RELAXED_SIMD) {
    const ap = a + <usize>b * 32;
    const lo = v128.and(qs, i8x16.splat(0x0f));
    const hi = i8x16.shr_u(qs, 4);
    const d16 = i16x8.add(
      i16x8.relaxed_dot_i8x16_i7x16_s(v128.load(ap), lo),
      i16x8.relaxed_dot_i8x16_i7x16_s(v128.load(ap, 16), hi),
    );
    const sa = load<i32>(s16 + <usize>b * 8) + load<i32>(s16 + <usize>b * 8, 4);
    return i32x4.sub(i32x4.extadd_pairwise_i16x8_s(d16), i32x4.splat(sa << 1));
  } else {
    const ap = qs16 + <usize>b * 64;
    const eight = i16x8.splat(8);
    const x0 = i16x8.extend_low_i8x16_u(qs);
    const x1 = i16x8.extend_high_i8x16_u(qs);
    const m = i16x8.splat(0x0f);
    let s = i32x4.dot_i16x8_s(i16x8.sub(v128.and(x0, m), eight), v128.load(ap));
    s = i32x4.add(s, i32x4.dot_i16x8_s(i16x8.sub(v128.and(x1, m), eight), v128.load(ap, 16)));
    s = i32x4.add(s, i32x4.dot_i16x8_s(i16x8.sub(i16x8.shr_u(x0, 4), eight), v128.load(ap, 32)));
    return i32x4.add(s, i32x4.dot_i16x8_s(i16x8.sub(i16x8.shr_u(x1, 4), eight), v128.load(ap, 48)));
  }
}

@inline
function step(acc: v128, w: usize, da: f32, a: usize, qs16: usize, s16: usize, b: i32): v128 {
  const s = blockDot(w, a, qs16, s16, b);
  return f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(s), f32x4.splat(f16_to_f32(load<u16>(w)) * da)));
}

export function dot4_q4_0(w: usize, rowBytes: usize, a: usize, cols: i32, y: usize, yStride: usize): void {
  if (ASC_FEATURE_RELAXED_SIMD) {
    dot4x1Relaxed(w, rowBytes, a, cols, y, yStride);
    return;
  }
  const qs16 = q8aQs16(a, cols);
  const dp = q8aD(a, cols);
  const s16 = q8aS16(a, cols);
  const nb = cols >> 5;
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  for (let b = 0; b < nb; b++) {
    const wb = w + <usize>(b * BLOCK_BYTES_Q4_0);
    const sc = scales4(wb, rowBytes, load<f32>(dp + <usize>b * 4));
    c0 = f32x4.add(c0, f32x4.mul(f32x4.convert_i32x4_s(blockDot(wb, a, qs16, s16, b)), i32x4.shuffle(sc, sc, 0, 0, 0, 0)));
    c1 = f32x4.add(c1, f32x4.mul(f32x4.convert_i32x4_s(blockDot(wb + rowBytes, a, qs16, s16, b)), i32x4.shuffle(sc, sc, 1, 1, 1, 1)));
    c2 = f32x4.add(c2, f32x4.mul(f32x4.convert_i32x4_s(blockDot(wb + 2 * rowBytes, a, qs16, s16, b)), i32x4.shuffle(sc, sc, 2, 2, 2, 2)));
    c3 = f32x4.add(c3, f32x4.mul(f32x4.convert_i32x4_s(blockDot(wb + 3 * rowBytes, a, qs16, s16, b)), i32x4.shuffle(sc, sc, 3, 3, 3, 3)));
  }
  store<f32>(y, hsum_f32x4(c0));
  store<f32>(y + yStride, hsum_f32x4(c1));
  store<f32>(y + 2 * yStride, hsum_f32x4(c2));
  store<f32>(y + 3 * yStride, hsum_f32x4(c3));
}

/**
 * The relaxed decode kernel (one token, four rows): the tile kernel's block step for a single token — the rows' integer
 * dots packed into one vector, so the offset, the conversion and the scaling run once per block, not once per row.
 */
function dot4x1Relaxed(w: usize, rowBytes: usize, a: usize, cols: i32, y: usize, yStride: usize): void {
  const dOff = <usize>(3 * cols);
  const sOff = <usize>(3 * cols + (cols >> 3));
  const nb = cols >> 5;
  const m = i8x16.splat(0x0f);
  let c = f32x4.splat(0);
  for (let b = 0; b < nb; b++) {
    const wb = w + <usize>(b * BLOCK_BYTES_Q4_0);
    const q0 = v128.load(wb + 2);
    const q1 = v128.load(wb + rowBytes + 2);
    const q2 = v128.load(wb + 2 * rowBytes + 2);
    const q3 = v128.load(wb + 3 * rowBytes + 2);
    c = tokenBlock(
      c,
      a,
      b, dOff, sOff, v128.and(q0, m), i8x16.shr_u(q0, 4), v128.and(q1, m), i8x16.shr_u(q1, 4), v128.and(q2, m), i8x16.shr_u(q2, 4), v128.and(q3, m), i8x16.shr_u(q3, 4), scales4(wb, rowBytes, 1),
    );
  }
  storeRows(y, yStride, c);
}

export function dot1_q4_0(w: usize, a: usize, cols: i32): f32 {
  const qs16 = q8aQs16(a, cols);
  const dp = q8aD(a, cols);
  const s16 = q8aS16(a, cols);
  const nb = cols >> 5;
  let c = f32x4.splat(0);
  for (let b = 0; b < nb; b++) c = step(c, w + <usize>(b * BLOCK_BYTES_Q4_0), load<f32>(dp + <usize>b * 4), a, qs16, s16, b);
  return hsum_f32x4(c);
}

/**
 * One token's block against four rows' decoded nibbles (relaxed SIMD): the four integer dots packed one lane a row,
 * the −8·Σa offset taken once, scaled by the rows' d_w (`sw`) times the token's d_a.
 */
@inline
function tokenBlock(acc: v128, a: usize, b: i32, dOff: usize, sOff: usize, l0: v128, h0: v128, l1: v128, h1: v128, l2: v128, h2: v128, l3: v128, h3: v128, sw: v128): v128 {
  const ap = a + <usize>b * 32;
  const x0 = v128.load(ap);
  const x1 = v128.load(ap, 16);
  const v0 = i32x4.extadd_pairwise_i16x8_s(i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(x0, l0), i16x8.relaxed_dot_i8x16_i7x16_s(x1, h0)));
  const v1 = i32x4.extadd_pairwise_i16x8_s(i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(x0, l1), i16x8.relaxed_dot_i8x16_i7x16_s(x1, h1)));
  const v2 = i32x4.extadd_pairwise_i16x8_s(i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(x0, l2), i16x8.relaxed_dot_i8x16_i7x16_s(x1, h2)));
  const v3 = i32x4.extadd_pairwise_i16x8_s(i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(x0, l3), i16x8.relaxed_dot_i8x16_i7x16_s(x1, h3)));
  const sp = a + sOff + <usize>b * 8;
  const sa = load<i32>(sp) + load<i32>(sp, 4);
  const dots = i32x4.sub(hsum4_i32x4(v0, v1, v2, v3), i32x4.splat(sa << 3));
  const scale = f32x4.mul(sw, f32x4.splat(load<f32>(a + dOff + <usize>b * 4)));
  return f32x4.relaxed_madd(f32x4.convert_i32x4_s(dots), scale, acc);
}

/**
 * Four weight rows (`wStride` apart) × four activation rows (`aBytes` apart) per pass: each block's nibbles are
 * decoded once for the four tokens, and the float work runs once per token for the four rows (packed lanes) instead
 * of once per row and token — the batched-prefill kernel. Relaxed SIMD only; the plain build runs dot4 per token.
 */
export function dot4x4_q4_0(w: usize, wStride: usize, a: usize, aBytes: usize, cols: i32, y: usize, yStride: usize, yTok: usize): void {
  if (!ASC_FEATURE_RELAXED_SIMD) {
    for (let t = 0; t < 4; t++) dot4_q4_0(w, wStride, a + <usize>t * aBytes, cols, y + <usize>t * yTok, yStride);
    return;
  }
  const dOff = <usize>(3 * cols);
  const sOff = <usize>(3 * cols + (cols >> 3));
  const a1 = a + aBytes;
  const a2 = a1 + aBytes;
  const a3 = a2 + aBytes;
  const nb = cols >> 5;
  const m = i8x16.splat(0x0f);
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  for (let b = 0; b < nb; b++) {
    const wb = w + <usize>(b * BLOCK_BYTES_Q4_0);
    const sw = scales4(wb, wStride, 1);
    const q0 = v128.load(wb + 2);
    const q1 = v128.load(wb + wStride + 2);
    const q2 = v128.load(wb + 2 * wStride + 2);
    const q3 = v128.load(wb + 3 * wStride + 2);
    const l0 = v128.and(q0, m);
    const h0 = i8x16.shr_u(q0, 4);
    const l1 = v128.and(q1, m);
    const h1 = i8x16.shr_u(q1, 4);
    const l2 = v128.and(q2, m);
    const h2 = i8x16.shr_u(q2, 4);
    const l3 = v128.and(q3, m);
    const h3 = i8x16.shr_u(q3, 4);
    c0 = tokenBlock(c0, a, b, dOff, sOff, l0, h0, l1, h1, l2, h2, l3, h3, sw);
    c1 = tokenBlock(c1, a1, b, dOff, sOff, l0, h0, l1, h1, l2, h2, l3, h3, sw);
    c2 = tokenBlock(c2, a2, b, dOff, sOff, l0, h0, l1, h1, l2, h2, l3, h3, sw);
    c3 = tokenBlock(c3, a3, b, dOff, sOff, l0, h0, l1, h1, l2, h2, l3, h3, sw);
  }
  storeRows(y, yStride, c0);
  storeRows(y + yTok, yStride, c1);
  storeRows(y + 2 * yTok, yStride, c2);
  storeRows(y + 3 * yTok, yStride, c3);
}

/** Lane r of v to y + r·yStride. */
@inline
function storeRows(y: usize, yStride: usize, v: v128): void {
  store<f32>(y, f32x4.extract_lane(v, 0));
  store<f32>(y + yStride, f32x4.extract_lane(v, 1));
  store<f32>(y + 2 * yStride, f32x4.extract_lane(v, 2));
  store<f32>(y + 3 * yStride, f32x4.extract_lane(v, 3));
}
