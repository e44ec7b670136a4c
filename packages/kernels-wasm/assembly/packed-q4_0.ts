// Matmul over packed Q4_0 rows (pack.ts) against packed activations, relaxed SIMD only (the plain build keeps Q4_0
// rows in the GGUF layout). Per group of four blocks and token: eight i16x8.relaxed_dot_i8x16_i7x16_s of the
// unsigned nibbles (0…15) with the i8 activations, summed in i16 (8 × 2 × 15 × 127 < 2^15), widened once, and the
// four blocks finished in one vector (block i ends in lane i): acc + d_w·(d_a·Σ nibble·q − 8·d_a·Σq), the last term
// precomputed per token by pack_acts.
// Reference: src/reference/matmul.ts over the unpacked rows.
import { hsum_f32x4 } from "./hsum";
import { ACT_GROUP_Q4, GROUP_BYTES_Q4_0, packedScales } from "./pack";
import { packedMatmul } from "./packed-matmul";

/** i16 partial sums of half a group: activation vectors x0…x3 against nibble vectors (l0, h0, l1, h1). */
@inline
function half(x0: v128, x1: v128, x2: v128, x3: v128, l0: v128, h0: v128, l1: v128, h1: v128): v128 {
  if (!ASC_FEATURE_RELAXED_SIMD) return x0; // unreachable: matmul_q4_0x4 traps first
  return i16x8.add(
    i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(x0, l0), i16x8.relaxed_dot_i8x16_i7x16_s(x1, h0)),
    i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(x2, l1), i16x8.relaxed_dot_i8x16_i7x16_s(x3, h1)),
  );
}

/** acc + sw·(da·Σ nibble·q + offset) for one token's four blocks: s its i16 sums, da and offset (−8·d_a·Σq) its acts'. */
@inline
function finish(acc: v128, s: v128, da: v128, offset: v128, sw: v128): v128 {
  if (!ASC_FEATURE_RELAXED_SIMD) return acc; // unreachable: matmul_q4_0x4 traps first
  const t = f32x4.relaxed_madd(f32x4.convert_i32x4_s(i32x4.extadd_pairwise_i16x8_s(s)), da, offset);
  return f32x4.relaxed_madd(t, sw, acc);
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
 * One row × the four token slots of a batch; sc: the row's scales as f32 (packed-matmul.ts). The stores to y between
 * tokens are fences: without them V8 hoists every activation load of the group above the arithmetic and spills them
 * (measured 33 → 51 GMAC/s with them); y's slots are this call's own and get their final values at the end. Every
 * load offset is written out as a constant: `v128.load(g + 128)` costs V8 an extra lea (binaryen does not fold added
 * constants into offsets without --low-memory-unused), `v128.load(g, 128)` does not.
 */
function tile1x4(w: usize, a: usize, groups: i32, y: usize, yTok: usize, sc: usize): void {
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  let g = a;
  let wg = w;
  let sg = sc;
  const end = w + <usize>(groups * GROUP_BYTES_Q4_0);
  while (wg < end) {
    // slot t's activations are bytes 128t…128t+127 of the group: the first half of its values at +0…63
    const q0 = v128.load(wg, 8);
    const q1 = v128.load(wg, 24);
    let l0 = lowNibbles(q0);
    let h0 = highNibbles(q0);
    let l1 = lowNibbles(q1);
    let h1 = highNibbles(q1);
    const s0 = half(v128.load(g, 0), v128.load(g, 16), v128.load(g, 32), v128.load(g, 48), l0, h0, l1, h1);
    v128.store32_lane(y, s0, 0);
    const s1 = half(v128.load(g, 128), v128.load(g, 144), v128.load(g, 160), v128.load(g, 176), l0, h0, l1, h1);
    v128.store32_lane(y + yTok, s1, 0);
    const s2 = half(v128.load(g, 256), v128.load(g, 272), v128.load(g, 288), v128.load(g, 304), l0, h0, l1, h1);
    v128.store32_lane(y + 2 * yTok, s2, 0);
    const s3 = half(v128.load(g, 384), v128.load(g, 400), v128.load(g, 416), v128.load(g, 432), l0, h0, l1, h1);
    v128.store32_lane(y + 3 * yTok, s3, 0);
    const q2 = v128.load(wg, 40);
    const q3 = v128.load(wg, 56);
    l0 = lowNibbles(q2);
    h0 = highNibbles(q2);
    l1 = lowNibbles(q3);
    h1 = highNibbles(q3);
    const sw = v128.load(sg);
    // the second half (+64…127), then each slot's d (+512) and −8·d·Σq (+576), 16 bytes a slot
    const t0 = half(v128.load(g, 64), v128.load(g, 80), v128.load(g, 96), v128.load(g, 112), l0, h0, l1, h1);
    c0 = finish(c0, i16x8.add(s0, t0), v128.load(g, 512), v128.load(g, 576), sw);
    v128.store32_lane(y, c0, 0);
    const t1 = half(v128.load(g, 192), v128.load(g, 208), v128.load(g, 224), v128.load(g, 240), l0, h0, l1, h1);
    c1 = finish(c1, i16x8.add(s1, t1), v128.load(g, 528), v128.load(g, 592), sw);
    v128.store32_lane(y + yTok, c1, 0);
    const t2 = half(v128.load(g, 320), v128.load(g, 336), v128.load(g, 352), v128.load(g, 368), l0, h0, l1, h1);
    c2 = finish(c2, i16x8.add(s2, t2), v128.load(g, 544), v128.load(g, 608), sw);
    v128.store32_lane(y + 2 * yTok, c2, 0);
    const t3 = half(v128.load(g, 448), v128.load(g, 464), v128.load(g, 480), v128.load(g, 496), l0, h0, l1, h1);
    c3 = finish(c3, i16x8.add(s3, t3), v128.load(g, 560), v128.load(g, 624), sw);
    v128.store32_lane(y + 3 * yTok, c3, 0);
    g += ACT_GROUP_Q4;
    wg += GROUP_BYTES_Q4_0;
    sg += 16;
  }
  store<f32>(y, hsum_f32x4(c0));
  store<f32>(y + yTok, hsum_f32x4(c1));
  store<f32>(y + 2 * yTok, hsum_f32x4(c2));
  store<f32>(y + 3 * yTok, hsum_f32x4(c3));
}

/** Token slot vectors p…p+63 (half of its group) against nibble vectors. */
@inline
function halfAt(p: usize, l0: v128, h0: v128, l1: v128, h1: v128): v128 {
  return half(v128.load(p), v128.load(p, 16), v128.load(p, 32), v128.load(p, 48), l0, h0, l1, h1);
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
      halfAt(g + p, lowNibbles(q0), highNibbles(q0), lowNibbles(q1), highNibbles(q1)),
      halfAt(g + p + 64, lowNibbles(q2), highNibbles(q2), lowNibbles(q3), highNibbles(q3)),
    );
    c = finish(c, s, v128.load(g + 512 + slot * 16), v128.load(g + 576 + slot * 16), packedScales(wg));
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
    const da = v128.load(g + 512 + slot * 16);
    const offset = v128.load(g + 576 + slot * 16);
    c0 = finish(c0, s0, da, offset, packedScales(wg));
    c1 = finish(c1, s1, da, offset, packedScales(wg + stride));
    c2 = finish(c2, s2, da, offset, packedScales(wg + 2 * stride));
    c3 = finish(c3, s3, da, offset, packedScales(wg + 3 * stride));
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
