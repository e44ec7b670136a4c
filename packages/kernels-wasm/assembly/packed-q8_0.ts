// Matmul over packed Q8_0 rows (pack.ts) against packed i16 activations (plain SIMD, both builds). Per group of four
// blocks and token: sixteen i32x4.dot_i16x8_s, each pairing two values of every block, so block i's sum ends in
// lane i and the four blocks are scaled in one vector. Weights widen on load (v128.load8x8_s).
// Reference: src/reference/matmul.ts over the unpacked rows.
import { hsum_f32x4 } from "./hsum";
import { madd } from "./math";
import { ACT_GROUP_Q8, GROUP_BYTES_Q8_0, packedScales } from "./pack";
import { packedMatmul } from "./packed-matmul";

/** i32 partial sums of a quarter group: activation vectors x0…x3 against widened weights e0…e3. */
@inline
function quarter4(x0: v128, x1: v128, x2: v128, x3: v128, e0: v128, e1: v128, e2: v128, e3: v128): v128 {
  return i32x4.add(
    i32x4.add(i32x4.dot_i16x8_s(x0, e0), i32x4.dot_i16x8_s(x1, e1)),
    i32x4.add(i32x4.dot_i16x8_s(x2, e2), i32x4.dot_i16x8_s(x3, e3)),
  );
}

/** quarter4 of the activation vectors p…p+63. */
@inline
function quarter(p: usize, e0: v128, e1: v128, e2: v128, e3: v128): v128 {
  return quarter4(v128.load(p), v128.load(p, 16), v128.load(p, 32), v128.load(p, 48), e0, e1, e2, e3);
}

@inline
function finish(acc: v128, s: v128, scale: v128): v128 {
  return madd(f32x4.convert_i32x4_s(s), scale, acc);
}

/**
 * One row × the four token slots of a batch, a quarter group (eight weight bytes of each block) at a time; sc: the
 * row's scales as f32 (packed-matmul.ts). The stores to y are fences that keep V8 from hoisting all activation loads
 * and spilling them, and the load offsets are written out as constants (both: see packed-q4_0.ts).
 */
function tile1x4(w: usize, a: usize, groups: i32, y: usize, yTok: usize, sc: usize): void {
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  let g = a;
  let wg = w;
  let sg = sc;
  const end = w + <usize>(groups * GROUP_BYTES_Q8_0);
  while (wg < end) {
    let s0 = i32x4.splat(0);
    let s1 = i32x4.splat(0);
    let s2 = i32x4.splat(0);
    let s3 = i32x4.splat(0);
    // four quarters, written out (binaryen keeps a constant-count loop, and its back edge costs a stack check)
    {
      const e0 = v128.load8x8_s(wg, 8);
      const e1 = v128.load8x8_s(wg, 16);
      const e2 = v128.load8x8_s(wg, 24);
      const e3 = v128.load8x8_s(wg, 32);
      s0 = i32x4.add(s0, quarter4(v128.load(g, 0), v128.load(g, 16), v128.load(g, 32), v128.load(g, 48), e0, e1, e2, e3));
      v128.store32_lane(y, s0, 0);
      s1 = i32x4.add(s1, quarter4(v128.load(g, 256), v128.load(g, 272), v128.load(g, 288), v128.load(g, 304), e0, e1, e2, e3));
      v128.store32_lane(y + yTok, s1, 0);
      s2 = i32x4.add(s2, quarter4(v128.load(g, 512), v128.load(g, 528), v128.load(g, 544), v128.load(g, 560), e0, e1, e2, e3));
      v128.store32_lane(y + 2 * yTok, s2, 0);
      s3 = i32x4.add(s3, quarter4(v128.load(g, 768), v128.load(g, 784), v128.load(g, 800), v128.load(g, 816), e0, e1, e2, e3));
      v128.store32_lane(y + 3 * yTok, s3, 0);
    }
    {
      const e0 = v128.load8x8_s(wg, 40);
      const e1 = v128.load8x8_s(wg, 48);
      const e2 = v128.load8x8_s(wg, 56);
      const e3 = v128.load8x8_s(wg, 64);
      s0 = i32x4.add(s0, quarter4(v128.load(g, 64), v128.load(g, 80), v128.load(g, 96), v128.load(g, 112), e0, e1, e2, e3));
      v128.store32_lane(y, s0, 0);
      s1 = i32x4.add(s1, quarter4(v128.load(g, 320), v128.load(g, 336), v128.load(g, 352), v128.load(g, 368), e0, e1, e2, e3));
      v128.store32_lane(y + yTok, s1, 0);
      s2 = i32x4.add(s2, quarter4(v128.load(g, 576), v128.load(g, 592), v128.load(g, 608), v128.load(g, 624), e0, e1, e2, e3));
      v128.store32_lane(y + 2 * yTok, s2, 0);
      s3 = i32x4.add(s3, quarter4(v128.load(g, 832), v128.load(g, 848), v128.load(g, 864), v128.load(g, 880), e0, e1, e2, e3));
      v128.store32_lane(y + 3 * yTok, s3, 0);
    }
    {
      const e0 = v128.load8x8_s(wg, 72);
      const e1 = v128.load8x8_s(wg, 80);
      const e2 = v128.load8x8_s(wg, 88);
      const e3 = v128.load8x8_s(wg, 96);
      s0 = i32x4.add(s0, quarter4(v128.load(g, 128), v128.load(g, 144), v128.load(g, 160), v128.load(g, 176), e0, e1, e2, e3));
      v128.store32_lane(y, s0, 0);
      s1 = i32x4.add(s1, quarter4(v128.load(g, 384), v128.load(g, 400), v128.load(g, 416), v128.load(g, 432), e0, e1, e2, e3));
      v128.store32_lane(y + yTok, s1, 0);
      s2 = i32x4.add(s2, quarter4(v128.load(g, 640), v128.load(g, 656), v128.load(g, 672), v128.load(g, 688), e0, e1, e2, e3));
      v128.store32_lane(y + 2 * yTok, s2, 0);
      s3 = i32x4.add(s3, quarter4(v128.load(g, 896), v128.load(g, 912), v128.load(g, 928), v128.load(g, 944), e0, e1, e2, e3));
      v128.store32_lane(y + 3 * yTok, s3, 0);
    }
    {
      const e0 = v128.load8x8_s(wg, 104);
      const e1 = v128.load8x8_s(wg, 112);
      const e2 = v128.load8x8_s(wg, 120);
      const e3 = v128.load8x8_s(wg, 128);
      s0 = i32x4.add(s0, quarter4(v128.load(g, 192), v128.load(g, 208), v128.load(g, 224), v128.load(g, 240), e0, e1, e2, e3));
      v128.store32_lane(y, s0, 0);
      s1 = i32x4.add(s1, quarter4(v128.load(g, 448), v128.load(g, 464), v128.load(g, 480), v128.load(g, 496), e0, e1, e2, e3));
      v128.store32_lane(y + yTok, s1, 0);
      s2 = i32x4.add(s2, quarter4(v128.load(g, 704), v128.load(g, 720), v128.load(g, 736), v128.load(g, 752), e0, e1, e2, e3));
      v128.store32_lane(y + 2 * yTok, s2, 0);
      s3 = i32x4.add(s3, quarter4(v128.load(g, 960), v128.load(g, 976), v128.load(g, 992), v128.load(g, 1008), e0, e1, e2, e3));
      v128.store32_lane(y + 3 * yTok, s3, 0);
    }
    const sw = v128.load(sg);
    c0 = finish(c0, s0, f32x4.mul(sw, v128.load(g, 1024)));
    c1 = finish(c1, s1, f32x4.mul(sw, v128.load(g, 1040)));
    c2 = finish(c2, s2, f32x4.mul(sw, v128.load(g, 1056)));
    c3 = finish(c3, s3, f32x4.mul(sw, v128.load(g, 1072)));
    g += ACT_GROUP_Q8;
    wg += GROUP_BYTES_Q8_0;
    sg += 16;
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
  let wg = w;
  const end = w + <usize>(groups * GROUP_BYTES_Q8_0);
  while (wg < end) {
    const p = g + slot * 256;
    let s = quarter(p, v128.load8x8_s(wg, 8), v128.load8x8_s(wg, 16), v128.load8x8_s(wg, 24), v128.load8x8_s(wg, 32));
    s = i32x4.add(s, quarter(p + 64, v128.load8x8_s(wg, 40), v128.load8x8_s(wg, 48), v128.load8x8_s(wg, 56), v128.load8x8_s(wg, 64)));
    s = i32x4.add(s, quarter(p + 128, v128.load8x8_s(wg, 72), v128.load8x8_s(wg, 80), v128.load8x8_s(wg, 88), v128.load8x8_s(wg, 96)));
    s = i32x4.add(s, quarter(p + 192, v128.load8x8_s(wg, 104), v128.load8x8_s(wg, 112), v128.load8x8_s(wg, 120), v128.load8x8_s(wg, 128)));
    c = finish(c, s, f32x4.mul(packedScales(wg), v128.load(g + 1024 + slot * 16)));
    g += ACT_GROUP_Q8;
    wg += GROUP_BYTES_Q8_0;
  }
  return hsum_f32x4(c);
}

/**
 * Four rows `stride` bytes apart × one token slot (decode): each quarter's activations are loaded once for the four rows.
 * The rows are a quarter of the range apart so that each is a long sequential stream (see matmul.ts).
 */
function tile4x1(w: usize, stride: usize, a: usize, slot: usize, groups: i32, y: usize, yStride: usize): void {
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let c2 = f32x4.splat(0);
  let c3 = f32x4.splat(0);
  let g = a + slot * 256;
  let wg = w;
  const end = w + <usize>(groups * GROUP_BYTES_Q8_0);
  while (wg < end) {
    let s0 = i32x4.splat(0);
    let s1 = i32x4.splat(0);
    let s2 = i32x4.splat(0);
    let s3 = i32x4.splat(0);
    for (let q: usize = 0; q < 4; q++) {
      const x0 = v128.load(g + q * 64);
      const x1 = v128.load(g + q * 64, 16);
      const x2 = v128.load(g + q * 64, 32);
      const x3 = v128.load(g + q * 64, 48);
      const p = wg + 8 + q * 32;
      s0 = i32x4.add(s0, rowQuarter(p, x0, x1, x2, x3));
      s1 = i32x4.add(s1, rowQuarter(p + stride, x0, x1, x2, x3));
      s2 = i32x4.add(s2, rowQuarter(p + 2 * stride, x0, x1, x2, x3));
      s3 = i32x4.add(s3, rowQuarter(p + 3 * stride, x0, x1, x2, x3));
    }
    const da = v128.load(g - slot * 256 + 1024 + slot * 16);
    c0 = finish(c0, s0, f32x4.mul(packedScales(wg), da));
    c1 = finish(c1, s1, f32x4.mul(packedScales(wg + stride), da));
    c2 = finish(c2, s2, f32x4.mul(packedScales(wg + 2 * stride), da));
    c3 = finish(c3, s3, f32x4.mul(packedScales(wg + 3 * stride), da));
    g += ACT_GROUP_Q8;
    wg += GROUP_BYTES_Q8_0;
  }
  store<f32>(y, hsum_f32x4(c0));
  store<f32>(y + yStride, hsum_f32x4(c1));
  store<f32>(y + 2 * yStride, hsum_f32x4(c2));
  store<f32>(y + 3 * yStride, hsum_f32x4(c3));
}

/** One row's quarter group (32 weight bytes at p, widened on load) against activations x0…x3. */
@inline
function rowQuarter(p: usize, x0: v128, x1: v128, x2: v128, x3: v128): v128 {
  return i32x4.add(
    i32x4.add(i32x4.dot_i16x8_s(x0, v128.load8x8_s(p)), i32x4.dot_i16x8_s(x1, v128.load8x8_s(p, 8))),
    i32x4.add(i32x4.dot_i16x8_s(x2, v128.load8x8_s(p, 16)), i32x4.dot_i16x8_s(x3, v128.load8x8_s(p, 24))),
  );
}

/** Y (ntok × rows) = W · A for rows [r0, r1): W packed Q8_0 rows, A packed activations (pack_acts format 8). */
export function matmul_q8_0x4(w: usize, a: usize, y: usize, cols: i32, rows: i32, ntok: i32, r0: i32, r1: i32): void {
  packedMatmul(null, tile1x4, tile4x1, tile1x1, GROUP_BYTES_Q8_0, ACT_GROUP_Q8, w, a, y, cols, rows, ntok, r0, r1);
}
