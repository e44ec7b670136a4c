// Matvec / matmul over GGUF K-quants against q8a activations. Super-blocks of 256 values.
// Q4_K (144 bytes): f16 d, f16 dmin, u8 scales[12] (eight 6-bit scale/min pairs), u8 qs[128];
//   chunk c of 32 bytes holds sub-block 2c in its low nibbles and 2c+1 in its high ones; value = d·sc·q − dmin·m.
// Q6_K (210 bytes): u8 ql[128], u8 qh[64], i8 scales[16], f16 d; value = d·sc·(q − 32), q six bits
//   (low four in ql, high two in qh), sixteen scales of 16 values each.
// Unsigned quants dot the activations; offsets (the −32, the mins) come from the q8a block sums.
// Reference: src/reference/matvec.ts (which follows ggml's dequantize_row_q4_K / _q6_K).
import { f16_to_f32 } from "./half";
import { hsum_f32x4 } from "./hsum";
import { q8aD, q8aQs16, q8aS16 } from "./quantize";

export const BLOCK_BYTES_Q4_K: i32 = 144;
export const BLOCK_BYTES_Q6_K: i32 = 210;

/** Σ over 16 unsigned quants v (i8x16, 0..63) × the 16 activations at element e, as i32 lanes. */
@inline
function udot16(v: v128, a: usize, qs16: usize, e: usize): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return i32x4.extadd_pairwise_i16x8_s(i16x8.relaxed_dot_i8x16_i7x16_s(v128.load(a + e), v));
  } else {
    const ap = qs16 + e * 2;
    const s = i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_u(v), v128.load(ap));
    return i32x4.add(s, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_u(v), v128.load(ap, 16)));
  }
}

/** The 6-bit scale and min of sub-block j of a Q4_K super-block (ggml's get_scale_min_k4), as (m << 8) | sc. */
@inline
function scaleMinK4(sc: usize, j: i32): u32 {
  if (j < 4) return (<u32>load<u8>(sc + j) & 63) | ((<u32>load<u8>(sc + j + 4) & 63) << 8);
  const s = (<u32>load<u8>(sc + j + 4) & 0xf) | ((<u32>load<u8>(sc + j - 4) >> 6) << 4);
  const m = (<u32>load<u8>(sc + j + 4) >> 4) | ((<u32>load<u8>(sc + j) >> 6) << 4);
  return s | (m << 8);
}

export function dot1_q4_k(w: usize, a: usize, cols: i32): f32 {
  const qs16 = q8aQs16(a, cols);
  const dp = q8aD(a, cols);
  const s16 = q8aS16(a, cols);
  const mask = i8x16.splat(0x0f);
  let acc = f32x4.splat(0);
  let mins: f32 = 0;
  for (let sb = 0; sb < cols >> 8; sb++) {
    const p = w + <usize>(sb * BLOCK_BYTES_Q4_K);
    const d = f16_to_f32(load<u16>(p));
    const dmin = f16_to_f32(load<u16>(p, 2));
    for (let c = 0; c < 4; c++) {
      const q = p + 16 + <usize>c * 32;
      const q0 = v128.load(q);
      const q1 = v128.load(q, 16);
      for (let h = 0; h < 2; h++) {
        const j = 2 * c + h;
        const blk = sb * 8 + j;
        const e = <usize>blk * 32;
        const v0 = h == 0 ? v128.and(q0, mask) : i8x16.shr_u(q0, 4);
        const v1 = h == 0 ? v128.and(q1, mask) : i8x16.shr_u(q1, 4);
        const isum = i32x4.add(udot16(v0, a, qs16, e), udot16(v1, a, qs16, e + 16));
        const sm = scaleMinK4(p + 4, j);
        const da = load<f32>(dp + <usize>blk * 4);
        acc = f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(isum), f32x4.splat(d * <f32>(sm & 0xff) * da)));
        const sa = load<i32>(s16 + <usize>blk * 8) + load<i32>(s16 + <usize>blk * 8, 4);
        mins += dmin * <f32>(sm >> 8) * da * <f32>sa;
      }
    }
  }
  return hsum_f32x4(acc) - mins;
}

export function dot1_q6_k(w: usize, a: usize, cols: i32): f32 {
  const qs16 = q8aQs16(a, cols);
  const dp = q8aD(a, cols);
  const s16 = q8aS16(a, cols);
  const m4 = i8x16.splat(0x0f);
  const m2 = i8x16.splat(0x03);
  let acc = f32x4.splat(0);
  for (let sb = 0; sb < cols >> 8; sb++) {
    const p = w + <usize>(sb * BLOCK_BYTES_Q6_K);
    const d = f16_to_f32(load<u16>(p, 208));
    for (let h = 0; h < 2; h++) {
      const ql = p + <usize>h * 64;
      const qh = p + 128 + <usize>h * 32;
      const sc = p + 192 + <usize>h * 8;
      for (let g = 0; g < 4; g++) {
        // elements 128h + 32g + [0, 32): one q8a block, two scales of 16
        const blk = sb * 8 + h * 4 + g;
        let isum = i32x4.splat(0);
        for (let k = 0; k < 2; k++) {
          const l = <usize>k * 16;
          const low = v128.load(ql + l + (g & 1 ? 32 : 0));
          const nib = g < 2 ? v128.and(low, m4) : i8x16.shr_u(low, 4);
          const high = v128.and(i8x16.shr_u(v128.load(qh + l), <i32>(2 * g)), m2);
          const v = v128.or(nib, i8x16.shl(high, 4));
          const e = <usize>blk * 32 + l;
          const sa = load<i32>(s16 + (e >> 4) * 4);
          const dot = i32x4.sub(udot16(v, a, qs16, e), i32x4.splat(sa << 3));
          isum = i32x4.add(isum, i32x4.mul(dot, i32x4.splat(<i32>load<i8>(sc + 2 * g + k))));
        }
        const da = load<f32>(dp + <usize>blk * 4);
        acc = f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(isum), f32x4.splat(d * da)));
      }
    }
  }
  return hsum_f32x4(acc);
}

export function dot4_q4_k(w: usize, rowBytes: usize, a: usize, cols: i32, y: usize, yStride: usize): void {
  for (let k: usize = 0; k < 4; k++) store<f32>(y + k * yStride, dot1_q4_k(w + k * rowBytes, a, cols));
}

export function dot4_q6_k(w: usize, rowBytes: usize, a: usize, cols: i32, y: usize, yStride: usize): void {
  for (let k: usize = 0; k < 4; k++) store<f32>(y + k * yStride, dot1_q6_k(w + k * rowBytes, a, cols));
}
