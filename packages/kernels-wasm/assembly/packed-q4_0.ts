// Matmul over packed Q4_0 rows (pack.ts) against packed activations, relaxed SIMD only (the plain build keeps Q4_0
// rows in the GGUF layout). Per group of four blocks and token: eight i16x8.relaxed_dot_i8x16_i7x16_s of the
// unsigned nibbles (0…15) with the i8 activations, summed in i16 (8 × 2 × 15 × 127 < 2^15), widened once, the
// −8·Σq offset taken once, and the four blocks scaled in one vector: block i ends in lane i.
// Reference: src/reference/matmul.ts over the unpacked rows.
import { hsum_f32x4 } from "./hsum";
import { ACT_GROUP_Q4, GROUP_BYTES_Q4_0, packedScales } from "./pack";
import { packedMatmul } from "./packed-matmul";

/** i16 partial sums of half a group: activation vectors p…p+63 against nibble vectors (l0, h0, l1, h1). */
@inline
function half(p: usize, l0: v128, h0: v128, l1: v128, h1: v128): v128 {
  if (!ASC_FEATURE_RELAXED_SIMD) return v128.load(p); // unreachable: matmul_q4_0x4 traps first
  return i16x8.add(
    i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(v128.load(p), l0), i16x8.relaxed_dot_i8x16_i7x16_s(v128.load(p, 16), h0)),
    i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(v128.load(p, 32), l1), i16x8.relaxed_dot_i8x16_i7x16_s(v128.load(p, 48), h1)),
  );
}

/** acc + d_w·d_a·(Σ nibble·q − 8·Σq) for the four blocks of slot `slot` of the activation group at g. */
@inline
function finish(acc: v128, s: v128, g: usize, slot: usize, sw: v128): v128 {
  const dots = i32x4.sub(i32x4.extadd_pairwise_i16x8_s(s), v128.load(g + 576 + slot * 16));
  const scale = f32x4.mul(sw, v128.load(g + 512 + slot * 16));
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(f32x4.convert_i32x4_s(dots), scale, acc);
  return f32x4.add(acc, f32x4.mul(f32x4.convert_i32x4_s(dots), scale));
}

@inline
function lowNibbles(q: v128): v128 {
  return v128.and(q, i8x16.splat(0x0f));
}
@inline
function highNibbles(q: v128): v128 {
  // a 16-bit shift and a mask: x64 has no 8-bit vector shift (i8x16.shr_u costs a mask built per use)
  return v128.and(i16x8.shr_u(q, 4), i8x16.splat(0x0f));
}

/**
 * One row × the four token slots of a batch. The stores to y between tokens are fences: without them V8 hoists every
 * activation load of the group above the arithmetic and spills them (measured 33 → 51 GMAC/s with them); y's slots
 * are this call's own and get their final values at the end.
 */
function tile1x4(w: usize, a: usize, groups: i32, y: usize, yTok: usize): void {
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  let g = a;
  let wg = w;
  const end = w + <usize>(groups * GROUP_BYTES_Q4_0);
  while (wg < end) {
    const q0 = v128.load(wg, 8);
    const q1 = v128.load(wg, 24);
    let l0 = lowNibbles(q0);
    let h0 = highNibbles(q0);
    let l1 = lowNibbles(q1);
    let h1 = highNibbles(q1);
    const s0 = half(g, l0, h0, l1, h1);
    v128.store32_lane(y, s0, 0);
    const s1 = half(g + 128, l0, h0, l1, h1);
    v128.store32_lane(y + yTok, s1, 0);
    const s2 = half(g + 256, l0, h0, l1, h1);
    v128.store32_lane(y + 2 * yTok, s2, 0);
    const s3 = half(g + 384, l0, h0, l1, h1);
    v128.store32_lane(y + 3 * yTok, s3, 0);
    const q2 = v128.load(wg, 40);
    const q3 = v128.load(wg, 56);
    l0 = lowNibbles(q2);
    h0 = highNibbles(q2);
    l1 = lowNibbles(q3);
    h1 = highNibbles(q3);
    const sw = packedScales(wg);
    c0 = finish(c0, i16x8.add(s0, half(g + 64, l0, h0, l1, h1)), g, 0, sw);
    v128.store32_lane(y, c0, 0);
    c1 = finish(c1, i16x8.add(s1, half(g + 192, l0, h0, l1, h1)), g, 1, sw);
    v128.store32_lane(y + yTok, c1, 0);
    c2 = finish(c2, i16x8.add(s2, half(g + 320, l0, h0, l1, h1)), g, 2, sw);
    v128.store32_lane(y + 2 * yTok, c2, 0);
    c3 = finish(c3, i16x8.add(s3, half(g + 448, l0, h0, l1, h1)), g, 3, sw);
    v128.store32_lane(y + 3 * yTok, c3, 0);
    g += ACT_GROUP_Q4;
    wg += GROUP_BYTES_Q4_0;
  }
  store<f32>(y, hsum_f32x4(c0));
  store<f32>(y + yTok, hsum_f32x4(c1));
  store<f32>(y + 2 * yTok, hsum_f32x4(c2));
  store<f32>(y + 3 * yTok, hsum_f32x4(c3));
}

/** One row × one token slot (decode, and a batch's leftover tokens). */
function tile1x1(w: usize, a: usize, slot: usize, groups: i32): f32 {
  let c = f32x4.splat(0);
  let g = a;
  const p = slot * 128;
  let wg = w;
  const end = w + <usize>(groups * GROUP_BYTES_Q4_0);
  while (wg < end) {
    const q0 = v128.load(wg, 8);
    const q1 = v128.load(wg, 24);
    const q2 = v128.load(wg, 40);
    const q3 = v128.load(wg, 56);
    const s = i16x8.add(
      half(g + p, lowNibbles(q0), highNibbles(q0), lowNibbles(q1), highNibbles(q1)),
      half(g + p + 64, lowNibbles(q2), highNibbles(q2), lowNibbles(q3), highNibbles(q3)),
    );
    c = finish(c, s, g, slot, packedScales(wg));
    g += ACT_GROUP_Q4;
    wg += GROUP_BYTES_Q4_0;
  }
  return hsum_f32x4(c);
}

/** One row's nibble vector at p against a token's two activation vectors: i16 partial sums. */
@inline
function rowRun(p: usize, lo: v128, hi: v128): v128 {
  if (!ASC_FEATURE_RELAXED_SIMD) return lo; // unreachable: matmul_q4_0x4 traps first
  const q = v128.load(p);
  return i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(lo, lowNibbles(q)), i16x8.relaxed_dot_i8x16_i7x16_s(hi, highNibbles(q)));
}

/**
 * Four rows `stride` bytes apart × one token slot (decode): each run's activations are loaded once for the four rows.
 * The rows are a quarter of the range apart so that each is a long sequential stream (see matmul.ts).
 */
function tile4x1(w: usize, stride: usize, a: usize, slot: usize, groups: i32, y: usize, yStride: usize): void {
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  let g = a;
  const x = slot * 128;
  let wg = w;
  const end = w + <usize>(groups * GROUP_BYTES_Q4_0);
  while (wg < end) {
    let s0 = i16x8.splat(0);
    let s1 = i16x8.splat(0);
    let s2 = i16x8.splat(0);
    let s3 = i16x8.splat(0);
    for (let j: usize = 0; j < 4; j++) {
      const lo = v128.load(g + x + j * 32);
      const hi = v128.load(g + x + j * 32, 16);
      const p = wg + 8 + j * 16;
      s0 = i16x8.add(s0, rowRun(p, lo, hi));
      s1 = i16x8.add(s1, rowRun(p + stride, lo, hi));
      s2 = i16x8.add(s2, rowRun(p + 2 * stride, lo, hi));
      s3 = i16x8.add(s3, rowRun(p + 3 * stride, lo, hi));
    }
    c0 = finish(c0, s0, g, slot, packedScales(wg));
    c1 = finish(c1, s1, g, slot, packedScales(wg + stride));
    c2 = finish(c2, s2, g, slot, packedScales(wg + 2 * stride));
    c3 = finish(c3, s3, g, slot, packedScales(wg + 3 * stride));
    g += ACT_GROUP_Q4;
    wg += GROUP_BYTES_Q4_0;
  }
  store<f32>(y, hsum_f32x4(c0));
  store<f32>(y + yStride, hsum_f32x4(c1));
  store<f32>(y + 2 * yStride, hsum_f32x4(c2));
  store<f32>(y + 3 * yStride, hsum_f32x4(c3));
}

/** Y (ntok × rows) = W · A for rows [r0, r1): W packed Q4_0 rows, A packed activations (pack_acts format 2). */
export function matmul_q4_0x4(w: usize, a: usize, y: usize, cols: i32, rows: i32, ntok: i32, r0: i32, r1: i32): void {
  if (!ASC_FEATURE_RELAXED_SIMD) unreachable();
  packedMatmul(tile1x4, tile4x1, tile1x1, GROUP_BYTES_Q4_0, ACT_GROUP_Q4, w, a, y, cols, rows, ntok, r0, r1);
}
