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

/** One token's i16 sums of a quarter group against one row: its activation vectors x (first 16 values), xh (next 16). */
@inline
function pair(x: v128, xh: v128, l: v128, h: v128): v128 {
  if (!ASC_FEATURE_RELAXED_SIMD) return x; // unreachable: matmul_q4_0x4 traps first
  return i16x8.add(i16x8.relaxed_dot_i8x16_i7x16_s(x, l), i16x8.relaxed_dot_i8x16_i7x16_s(xh, h));
}

/** s + pair(x, xh, l, h), one multiply-add result at a time (one temporary register). */
@inline
function addPair(s: v128, x: v128, xh: v128, l: v128, h: v128): v128 {
  if (!ASC_FEATURE_RELAXED_SIMD) return s; // unreachable: matmul_q4_0x4 traps first
  return i16x8.add(i16x8.add(s, i16x8.relaxed_dot_i8x16_i7x16_s(x, l)), i16x8.relaxed_dot_i8x16_i7x16_s(xh, h));
}

/** Stores the two sums' first lanes to y: ordering stores (see tile2x4). */
@inline
function fence(y: usize, a: v128, b: v128): void {
  v128.store32_lane(y, a, 0);
  v128.store32_lane(y, b, 0);
}

/**
 * Two rows (`rowBytes` apart) × the four token slots of a batch, a quarter group (16 nibble bytes of each row) at a
 * time: every activation vector is loaded once for both rows, 33 loads per 512 multiply-adds instead of the 1 × 4
 * tile's 51 (measured 1.05–1.08× on the Gemma-2B shapes). Eight i16 sums and four nibble vectors fill the registers,
 * so the f32 accumulators live in `acc` (128 bytes of this thread's scratch: row a's four slots, then row b's), and
 * sc holds both rows' scales interleaved (32 bytes a group). Each sum is stored to y once per quarter as a fence
 * (see tile1x4; with half of them V8 spills 79 times a group); y gets its final values at the end.
 */
function tile2x4(w: usize, rowBytes: usize, a: usize, groups: i32, y: usize, yTok: usize, sc: usize, acc: usize): void {
  for (let o: usize = 0; o < 128; o += 16) v128.store(acc + o, f32x4.splat(0));
  let g = a;
  let wa = w;
  let wb = w + rowBytes;
  let sg = sc;
  const end = w + <usize>(groups * GROUP_BYTES_Q4_0);
  while (wa < end) {
    // quarter j: nibble bytes 8 + 16j…; slot t's activations at 128t + 32j (16 values) and 128t + 32j + 16 (each
    // pair of identical loads is one load: binaryen merges them, no store lies between)
    let qa = v128.load(wa, 8);
    let qb = v128.load(wb, 8);
    let la = lowNibbles(qa);
    let ha = highNibbles(qa);
    let lb = lowNibbles(qb);
    let hb = highNibbles(qb);
    let a0 = pair(v128.load(g, 0), v128.load(g, 16), la, ha);
    let b0 = pair(v128.load(g, 0), v128.load(g, 16), lb, hb);
    fence(y, a0, b0);
    let a1 = pair(v128.load(g, 128), v128.load(g, 144), la, ha);
    let b1 = pair(v128.load(g, 128), v128.load(g, 144), lb, hb);
    fence(y, a1, b1);
    let a2 = pair(v128.load(g, 256), v128.load(g, 272), la, ha);
    let b2 = pair(v128.load(g, 256), v128.load(g, 272), lb, hb);
    fence(y, a2, b2);
    let a3 = pair(v128.load(g, 384), v128.load(g, 400), la, ha);
    let b3 = pair(v128.load(g, 384), v128.load(g, 400), lb, hb);
    fence(y, a3, b3);
    qa = v128.load(wa, 24);
    qb = v128.load(wb, 24);
    la = lowNibbles(qa);
    ha = highNibbles(qa);
    lb = lowNibbles(qb);
    hb = highNibbles(qb);
    a0 = addPair(a0, v128.load(g, 32), v128.load(g, 48), la, ha);
    b0 = addPair(b0, v128.load(g, 32), v128.load(g, 48), lb, hb);
    fence(y, a0, b0);
    a1 = addPair(a1, v128.load(g, 160), v128.load(g, 176), la, ha);
    b1 = addPair(b1, v128.load(g, 160), v128.load(g, 176), lb, hb);
    fence(y, a1, b1);
    a2 = addPair(a2, v128.load(g, 288), v128.load(g, 304), la, ha);
    b2 = addPair(b2, v128.load(g, 288), v128.load(g, 304), lb, hb);
    fence(y, a2, b2);
    a3 = addPair(a3, v128.load(g, 416), v128.load(g, 432), la, ha);
    b3 = addPair(b3, v128.load(g, 416), v128.load(g, 432), lb, hb);
    fence(y, a3, b3);
    qa = v128.load(wa, 40);
    qb = v128.load(wb, 40);
    la = lowNibbles(qa);
    ha = highNibbles(qa);
    lb = lowNibbles(qb);
    hb = highNibbles(qb);
    a0 = addPair(a0, v128.load(g, 64), v128.load(g, 80), la, ha);
    b0 = addPair(b0, v128.load(g, 64), v128.load(g, 80), lb, hb);
    fence(y, a0, b0);
    a1 = addPair(a1, v128.load(g, 192), v128.load(g, 208), la, ha);
    b1 = addPair(b1, v128.load(g, 192), v128.load(g, 208), lb, hb);
    fence(y, a1, b1);
    a2 = addPair(a2, v128.load(g, 320), v128.load(g, 336), la, ha);
    b2 = addPair(b2, v128.load(g, 320), v128.load(g, 336), lb, hb);
    fence(y, a2, b2);
    a3 = addPair(a3, v128.load(g, 448), v128.load(g, 464), la, ha);
    b3 = addPair(b3, v128.load(g, 448), v128.load(g, 464), lb, hb);
    fence(y, a3, b3);
    qa = v128.load(wa, 56);
    qb = v128.load(wb, 56);
    la = lowNibbles(qa);
    ha = highNibbles(qa);
    lb = lowNibbles(qb);
    hb = highNibbles(qb);
    a0 = addPair(a0, v128.load(g, 96), v128.load(g, 112), la, ha);
    b0 = addPair(b0, v128.load(g, 96), v128.load(g, 112), lb, hb);
    fence(y, a0, b0);
    a1 = addPair(a1, v128.load(g, 224), v128.load(g, 240), la, ha);
    b1 = addPair(b1, v128.load(g, 224), v128.load(g, 240), lb, hb);
    fence(y, a1, b1);
    a2 = addPair(a2, v128.load(g, 352), v128.load(g, 368), la, ha);
    b2 = addPair(b2, v128.load(g, 352), v128.load(g, 368), lb, hb);
    fence(y, a2, b2);
    a3 = addPair(a3, v128.load(g, 480), v128.load(g, 496), la, ha);
    b3 = addPair(b3, v128.load(g, 480), v128.load(g, 496), lb, hb);
    fence(y, a3, b3);
    // slot t's d at 512 + 16t and −8·d·Σq at 576 + 16t; the accumulators: row a's slot t at 16t, row b's at 64 + 16t
    const swa = v128.load(sg);
    const swb = v128.load(sg, 16);
    let da = v128.load(g, 512);
    let off = v128.load(g, 576);
    v128.store(acc, finish(v128.load(acc, 0), a0, da, off, swa), 0);
    v128.store(acc, finish(v128.load(acc, 64), b0, da, off, swb), 64);
    da = v128.load(g, 528);
    off = v128.load(g, 592);
    v128.store(acc, finish(v128.load(acc, 16), a1, da, off, swa), 16);
    v128.store(acc, finish(v128.load(acc, 80), b1, da, off, swb), 80);
    da = v128.load(g, 544);
    off = v128.load(g, 608);
    v128.store(acc, finish(v128.load(acc, 32), a2, da, off, swa), 32);
    v128.store(acc, finish(v128.load(acc, 96), b2, da, off, swb), 96);
    da = v128.load(g, 560);
    off = v128.load(g, 624);
    v128.store(acc, finish(v128.load(acc, 48), a3, da, off, swa), 48);
    v128.store(acc, finish(v128.load(acc, 112), b3, da, off, swb), 112);
    g += ACT_GROUP_Q4;
    wa += GROUP_BYTES_Q4_0;
    wb += GROUP_BYTES_Q4_0;
    sg += 32;
  }
  for (let t: usize = 0; t < 4; t++) {
    store<f32>(y + t * yTok, hsum_f32x4(v128.load(acc + t * 16)));
    store<f32>(y + 4 + t * yTok, hsum_f32x4(v128.load(acc + 64 + t * 16)));
  }
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
  packedMatmul(tile2x4, tile1x4, tile4x1, tile1x1, GROUP_BYTES_Q4_0, ACT_GROUP_Q4, w, a, y, cols, rows, ntok, r0, r1);
}
