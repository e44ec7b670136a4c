// Matvec / matmul over GGUF Q4_0 weights (block of 32: f16 d, u8 qs[16]; 18 bytes) against q8a activations.
// Element i < 16 is the low nibble of qs[i], element i + 16 its high nibble; value = d·(q − 8).
// Plain SIMD: nibbles taken from 16-bit lanes and dotted with the pre-widened i16 activations.
// Relaxed SIMD: unsigned nibbles (0..15, valid "i7" operands) in i16x8.relaxed_dot_i8x16_i7x16_s with the i8
// activations, and the −8·Σa offset subtracted per block. Reference: src/reference/matvec.ts.
import { f16_to_f32, scales4 } from "./half";
import { hsum_f32x4 } from "./hsum";
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

export function dot1_q4_0(w: usize, a: usize, cols: i32): f32 {
  const qs16 = q8aQs16(a, cols);
  const dp = q8aD(a, cols);
  const s16 = q8aS16(a, cols);
  const nb = cols >> 5;
  let c = f32x4.splat(0);
  for (let b = 0; b < nb; b++) c = step(c, w + <usize>(b * BLOCK_BYTES_Q4_0), load<f32>(dp + <usize>b * 4), a, qs16, s16, b);
  return hsum_f32x4(c);
}
