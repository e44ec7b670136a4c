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

/** One Q4_K row's share of chunk c (sub-blocks 2c, 2c+1) given the activation vectors, added into acc. */
@inline
function q4kChunk(
  acc: v128,
  q: usize,
  f0: f32,
  f1: f32,
  a0: v128,
  a1: v128,
  a2: v128,
  a3: v128,
  a4: v128,
  a5: v128,
  a6: v128,
  a7: v128,
): v128 {
  const q0 = v128.load(q);
  const q1 = v128.load(q, 16);
  let lo: v128;
  let hi: v128;
  if (ASC_FEATURE_RELAXED_SIMD) {
    const m = i8x16.splat(0x0f);
    lo = i32x4.extadd_pairwise_i16x8_s(
      i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(a0, v128.and(q0, m)), i16x8.relaxed_dot_i8x16_i7x16_s(a1, v128.and(q1, m))),
    );
    hi = i32x4.extadd_pairwise_i16x8_s(
      i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(a2, i8x16.shr_u(q0, 4)), i16x8.relaxed_dot_i8x16_i7x16_s(a3, i8x16.shr_u(q1, 4))),
    );
  } else {
    const m = i16x8.splat(0x0f);
    const x0 = i16x8.extend_low_i8x16_u(q0);
    const x1 = i16x8.extend_high_i8x16_u(q0);
    const x2 = i16x8.extend_low_i8x16_u(q1);
    const x3 = i16x8.extend_high_i8x16_u(q1);
    lo = i32x4.add(
      i32x4.add(i32x4.dot_i16x8_s(v128.and(x0, m), a0), i32x4.dot_i16x8_s(v128.and(x1, m), a1)),
      i32x4.add(i32x4.dot_i16x8_s(v128.and(x2, m), a2), i32x4.dot_i16x8_s(v128.and(x3, m), a3)),
    );
    hi = i32x4.add(
      i32x4.add(i32x4.dot_i16x8_s(i16x8.shr_u(x0, 4), a4), i32x4.dot_i16x8_s(i16x8.shr_u(x1, 4), a5)),
      i32x4.add(i32x4.dot_i16x8_s(i16x8.shr_u(x2, 4), a6), i32x4.dot_i16x8_s(i16x8.shr_u(x3, 4), a7)),
    );
  }
  acc = f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(lo), f32x4.splat(f0)));
  return f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(hi), f32x4.splat(f1)));
}

/** Σ_j m_j·da_j·Σa_j over the 8 sub-blocks of one Q4_K super-block row (first activation block b). */
@inline
function q4kMins(sc: usize, dp: usize, s16: usize, b: i32): f32 {
  let s: f32 = 0;
  for (let j = 0; j < 8; j++) {
    const blk = <usize>(b + j);
    const sa = load<i32>(s16 + blk * 8) + load<i32>(s16 + blk * 8, 4);
    s += <f32>(scaleMinK4(sc, j) >> 8) * load<f32>(dp + blk * 4) * <f32>sa;
  }
  return s;
}

// Four Q4_K rows per pass: the activation vectors of each chunk are loaded once for all four. No static scratch:
// threads share the memory, so everything per-call lives in locals.

export function dot4_q4_k(w: usize, wStride: usize, a: usize, cols: i32, y: usize, yStride: usize): void {
  const qs16 = q8aQs16(a, cols);
  const dp = q8aD(a, cols);
  const s16 = q8aS16(a, cols);
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  let m0: f32 = 0;
  let m1: f32 = 0;
  let m2: f32 = 0;
  let m3: f32 = 0;
  for (let sb = 0; sb < cols >> 8; sb++) {
    const p0 = w + <usize>(sb * BLOCK_BYTES_Q4_K);
    const p1 = p0 + wStride;
    const p2 = p1 + wStride;
    const p3 = p2 + wStride;
    const d0 = f16_to_f32(load<u16>(p0));
    const d1 = f16_to_f32(load<u16>(p1));
    const d2 = f16_to_f32(load<u16>(p2));
    const d3 = f16_to_f32(load<u16>(p3));
    m0 += f16_to_f32(load<u16>(p0, 2)) * q4kMins(p0 + 4, dp, s16, sb * 8);
    m1 += f16_to_f32(load<u16>(p1, 2)) * q4kMins(p1 + 4, dp, s16, sb * 8);
    m2 += f16_to_f32(load<u16>(p2, 2)) * q4kMins(p2 + 4, dp, s16, sb * 8);
    m3 += f16_to_f32(load<u16>(p3, 2)) * q4kMins(p3 + 4, dp, s16, sb * 8);
    for (let c = 0; c < 4; c++) {
      const b0 = sb * 8 + 2 * c;
      const e = <usize>b0 * 32;
      // relaxed: the i8 activations of both sub-blocks (4 vectors); plain: their i16 copies (8 vectors)
      const ap = ASC_FEATURE_RELAXED_SIMD ? a + e : qs16 + e * 2;
      const a0 = v128.load(ap);
      const a1 = v128.load(ap, 16);
      const a2 = v128.load(ap, 32);
      const a3 = v128.load(ap, 48);
      const a4 = ASC_FEATURE_RELAXED_SIMD ? a0 : v128.load(ap, 64);
      const a5 = ASC_FEATURE_RELAXED_SIMD ? a0 : v128.load(ap, 80);
      const a6 = ASC_FEATURE_RELAXED_SIMD ? a0 : v128.load(ap, 96);
      const a7 = ASC_FEATURE_RELAXED_SIMD ? a0 : v128.load(ap, 112);
      const da0 = load<f32>(dp + <usize>b0 * 4);
      const da1 = load<f32>(dp + <usize>b0 * 4, 4);
      const qo = <usize>(16 + c * 32);
      const s0 = scaleMinK4(p0 + 4, 2 * c);
      const t0 = scaleMinK4(p0 + 4, 2 * c + 1);
      c0 = q4kChunk(c0, p0 + qo, d0 * <f32>(s0 & 0xff) * da0, d0 * <f32>(t0 & 0xff) * da1, a0, a1, a2, a3, a4, a5, a6, a7);
      const s1 = scaleMinK4(p1 + 4, 2 * c);
      const t1 = scaleMinK4(p1 + 4, 2 * c + 1);
      c1 = q4kChunk(c1, p1 + qo, d1 * <f32>(s1 & 0xff) * da0, d1 * <f32>(t1 & 0xff) * da1, a0, a1, a2, a3, a4, a5, a6, a7);
      const s2 = scaleMinK4(p2 + 4, 2 * c);
      const t2 = scaleMinK4(p2 + 4, 2 * c + 1);
      c2 = q4kChunk(c2, p2 + qo, d2 * <f32>(s2 & 0xff) * da0, d2 * <f32>(t2 & 0xff) * da1, a0, a1, a2, a3, a4, a5, a6, a7);
      const s3 = scaleMinK4(p3 + 4, 2 * c);
      const t3 = scaleMinK4(p3 + 4, 2 * c + 1);
      c3 = q4kChunk(c3, p3 + qo, d3 * <f32>(s3 & 0xff) * da0, d3 * <f32>(t3 & 0xff) * da1, a0, a1, a2, a3, a4, a5, a6, a7);
    }
  }
  store<f32>(y, hsum_f32x4(c0) - m0);
  store<f32>(y + yStride, hsum_f32x4(c1) - m1);
  store<f32>(y + 2 * yStride, hsum_f32x4(c2) - m2);
  store<f32>(y + 3 * yStride, hsum_f32x4(c3) - m3);
}

/** Unsigned 6-bit quants of group g (0..3), 16 values from l = 16k, of one Q6_K half (ql, qh at its base). */
@inline
function q6kValues(ql: usize, qh: usize, g: i32, l: usize): v128 {
  const low = v128.load(ql + l + (g & 1 ? 32 : 0));
  const nib = g < 2 ? v128.and(low, i8x16.splat(0x0f)) : i8x16.shr_u(low, 4);
  const high = v128.and(i8x16.shr_u(v128.load(qh + l), 2 * g), i8x16.splat(0x03));
  return v128.or(nib, i8x16.shl(high, 4));
}

/** Σ quants × activations of 16 values (activations as i8 for relaxed, as two i16 vectors for plain). */
@inline
function q6kDot(v: v128, x0: v128, x1: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return i32x4.extadd_pairwise_i16x8_s(i16x8.relaxed_dot_i8x16_i7x16_s(x0, v));
  return i32x4.add(i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_u(v), x0), i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_u(v), x1));
}

/** One Q6_K row's 32 values of group g in half h (one q8a block), added into acc. */
@inline
function q6kRow(acc: v128, p: usize, h: i32, g: i32, da: f32, x0: v128, x1: v128, y0: v128, y1: v128, c0: v128, c1: v128): v128 {
  const ql = p + <usize>h * 64;
  const qh = p + 128 + <usize>h * 32;
  const sc = p + 192 + <usize>(h * 8 + 2 * g);
  const lo = i32x4.mul(i32x4.sub(q6kDot(q6kValues(ql, qh, g, 0), x0, x1), c0), i32x4.splat(<i32>load<i8>(sc)));
  const hi = i32x4.mul(i32x4.sub(q6kDot(q6kValues(ql, qh, g, 16), y0, y1), c1), i32x4.splat(<i32>load<i8>(sc, 1)));
  const d = f16_to_f32(load<u16>(p, 208));
  return f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(i32x4.add(lo, hi)), f32x4.splat(d * da)));
}

// Four Q6_K rows per pass: each q8a block's activation vectors and offsets are loaded once for all four.
export function dot4_q6_k(w: usize, wStride: usize, a: usize, cols: i32, y: usize, yStride: usize): void {
  const qs16 = q8aQs16(a, cols);
  const dp = q8aD(a, cols);
  const s16 = q8aS16(a, cols);
  let r0 = f32x4.splat(0);
  let r1 = f32x4.splat(0);
  let r2 = f32x4.splat(0);
  let r3 = f32x4.splat(0);
  for (let sb = 0; sb < cols >> 8; sb++) {
    const p0 = w + <usize>(sb * BLOCK_BYTES_Q6_K);
    const p1 = p0 + wStride;
    const p2 = p1 + wStride;
    const p3 = p2 + wStride;
    for (let h = 0; h < 2; h++) {
      for (let g = 0; g < 4; g++) {
        const blk = sb * 8 + h * 4 + g;
        const e = <usize>blk * 32;
        const ap = ASC_FEATURE_RELAXED_SIMD ? a + e : qs16 + e * 2;
        // 16 values at e (x) and at e + 16 (y): i8 in one vector, or i16 in two
        const x0 = v128.load(ap);
        const x1 = ASC_FEATURE_RELAXED_SIMD ? x0 : v128.load(ap, 16);
        const y0 = ASC_FEATURE_RELAXED_SIMD ? v128.load(ap, 16) : v128.load(ap, 32);
        const y1 = ASC_FEATURE_RELAXED_SIMD ? x0 : v128.load(ap, 48);
        const c0 = i32x4.splat(load<i32>(s16 + (e >> 4) * 4) << 3); // 32·Σa over 4 lanes
        const c1 = i32x4.splat(load<i32>(s16 + (e >> 4) * 4, 4) << 3);
        const da = load<f32>(dp + <usize>blk * 4);
        r0 = q6kRow(r0, p0, h, g, da, x0, x1, y0, y1, c0, c1);
        r1 = q6kRow(r1, p1, h, g, da, x0, x1, y0, y1, c0, c1);
        r2 = q6kRow(r2, p2, h, g, da, x0, x1, y0, y1, c0, c1);
        r3 = q6kRow(r3, p3, h, g, da, x0, x1, y0, y1, c0, c1);
      }
    }
  }
  store<f32>(y, hsum_f32x4(r0));
  store<f32>(y + yStride, hsum_f32x4(r1));
  store<f32>(y + 2 * yStride, hsum_f32x4(r2));
  store<f32>(y + 3 * yStride, hsum_f32x4(r3));
}
