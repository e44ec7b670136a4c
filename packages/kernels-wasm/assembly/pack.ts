// The packed ("x4") layouts of Q4_0 and Q8_0 rows that the prefill tile kernels read (packed-q4_0.ts,
// packed-q8_0.ts), and the matching activation layouts. Reference and full description: src/reference/pack.ts.
//
// A row is cut into groups of four blocks (128 values). A packed group has the same size as the four GGUF blocks
// it replaces, so packing runs in place:
//   [d0 d1 d2 d3: the four f16 scales][vectors of 16 bytes: 4 bytes of each block, block i at bytes 4i…4i+3]
// so that a dot product of 4-byte runs leaves block i's partial sum in i32 lane i, and one vector of four scales
// converts and scales the four blocks at once (no horizontal sums, no per-block scalar work).
//   Q4_0 (72 bytes): vector j (0…3) holds qs[4j…4j+3] of each block (low nibbles: values 4j…, high: 16+4j…).
//   Q8_0 (136 bytes): vector j (0…7) holds values 4j, 4j+1 of each block in its low 8 bytes and 4j+2, 4j+3 in its
//   high 8 bytes (2 bytes a block), so that each half widens to the i16 lanes i32x4.dot_i16x8_s pairs by block.

import { q8aD, q8aQs16, q8aRowBytes, q8aS16 } from "./quantize";

export const GROUP_BYTES_Q4_0: i32 = 72;
export const GROUP_BYTES_Q8_0: i32 = 136;
/** Packed activations for Q4_0, per batch of four token slots and group: 4 × 128 bytes of i8, d f32[4][4], −8·d·Σq f32[4][4]. */
export const ACT_GROUP_Q4: i32 = 640;
/** Packed activations for Q8_0, per batch of four token slots and group: 4 × 256 bytes of i16, d f32[4][4]. */
export const ACT_GROUP_Q8: i32 = 1088;

/** Words j of r0…r3 gathered: [r0[j], r1[j], r2[j], r3[j]] for j = 0…3 (a 4×4 transpose of 32-bit lanes). */
@inline
function t0(r0: v128, r1: v128, r2: v128, r3: v128): v128 {
  return i32x4.shuffle(i32x4.shuffle(r0, r1, 0, 4, 1, 5), i32x4.shuffle(r2, r3, 0, 4, 1, 5), 0, 1, 4, 5);
}
@inline
function t1(r0: v128, r1: v128, r2: v128, r3: v128): v128 {
  return i32x4.shuffle(i32x4.shuffle(r0, r1, 0, 4, 1, 5), i32x4.shuffle(r2, r3, 0, 4, 1, 5), 2, 3, 6, 7);
}
@inline
function t2(r0: v128, r1: v128, r2: v128, r3: v128): v128 {
  return i32x4.shuffle(i32x4.shuffle(r0, r1, 2, 6, 3, 7), i32x4.shuffle(r2, r3, 2, 6, 3, 7), 0, 1, 4, 5);
}
@inline
function t3(r0: v128, r1: v128, r2: v128, r3: v128): v128 {
  return i32x4.shuffle(i32x4.shuffle(r0, r1, 2, 6, 3, 7), i32x4.shuffle(r2, r3, 2, 6, 3, 7), 2, 3, 6, 7);
}

/** [b0 b0 b1 b1 b2 b2 b3 b3 | b0 b0 b1 b1 …]: the two bytes pairs of each 4-byte run split across the halves. */
@inline
function splitPairs(v: v128): v128 {
  return i8x16.shuffle(v, v, 0, 1, 4, 5, 8, 9, 12, 13, 2, 3, 6, 7, 10, 11, 14, 15);
}
@inline
function joinPairs(v: v128): v128 {
  return i8x16.shuffle(v, v, 0, 1, 8, 9, 2, 3, 10, 11, 4, 5, 12, 13, 6, 7, 14, 15);
}

/** A non-finite f16 scale among the four at p (the packed kernels' fast conversion assumes finite scales). */
@inline
function nonFinite4(p: usize, stride: usize): bool {
  const e = (<u32>load<u16>(p) & 0x7c00) == 0x7c00;
  const f = (<u32>load<u16>(p + stride) & 0x7c00) == 0x7c00;
  const g = (<u32>load<u16>(p + 2 * stride) & 0x7c00) == 0x7c00;
  const h = (<u32>load<u16>(p + 3 * stride) & 0x7c00) == 0x7c00;
  return e || f || g || h;
}

/**
 * Packs rows [r0, r1) of a GGUF matrix in place (format: 2 Q4_0, 8 Q8_0; cols a multiple of 128). Stores 1 at `flag`
 * when a scale is inf or NaN (the caller then unpacks and keeps the GGUF layout).
 */
export function pack_rows(format: i32, w: usize, cols: i32, flag: usize, r0: i32, r1: i32): void {
  const q4 = format == 2;
  const blockBytes: usize = q4 ? 18 : 34;
  const groupBytes: usize = 4 * blockBytes;
  const rowBytes = <usize>(cols >> 5) * blockBytes;
  const groups = cols >> 7;
  for (let r = r0; r < r1; r++) {
    for (let k = 0; k < groups; k++) {
      const g = w + <usize>r * rowBytes + <usize>k * groupBytes;
      if (nonFinite4(g, blockBytes)) store<i32>(flag, 1);
      const d = i16x8.replace_lane(
        i16x8.replace_lane(i16x8.replace_lane(i16x8.splat(load<i16>(g)), 1, load<i16>(g + blockBytes)), 2, load<i16>(g + 2 * blockBytes)),
        3,
        load<i16>(g + 3 * blockBytes),
      );
      if (q4) {
        const b0 = v128.load(g, 2);
        const b1 = v128.load(g + 18, 2);
        const b2 = v128.load(g + 36, 2);
        const b3 = v128.load(g + 54, 2);
        v128.store64_lane(g, d, 0);
        v128.store(g, t0(b0, b1, b2, b3), 8);
        v128.store(g, t1(b0, b1, b2, b3), 24);
        v128.store(g, t2(b0, b1, b2, b3), 40);
        v128.store(g, t3(b0, b1, b2, b3), 56);
      } else {
        const a0 = v128.load(g, 2);
        const a1 = v128.load(g + 34, 2);
        const a2 = v128.load(g + 68, 2);
        const a3 = v128.load(g + 102, 2);
        const c0 = v128.load(g, 18);
        const c1 = v128.load(g + 34, 18);
        const c2 = v128.load(g + 68, 18);
        const c3 = v128.load(g + 102, 18);
        v128.store64_lane(g, d, 0);
        v128.store(g, splitPairs(t0(a0, a1, a2, a3)), 8);
        v128.store(g, splitPairs(t1(a0, a1, a2, a3)), 24);
        v128.store(g, splitPairs(t2(a0, a1, a2, a3)), 40);
        v128.store(g, splitPairs(t3(a0, a1, a2, a3)), 56);
        v128.store(g, splitPairs(t0(c0, c1, c2, c3)), 72);
        v128.store(g, splitPairs(t1(c0, c1, c2, c3)), 88);
        v128.store(g, splitPairs(t2(c0, c1, c2, c3)), 104);
        v128.store(g, splitPairs(t3(c0, c1, c2, c3)), 120);
      }
    }
  }
}

/** Rows [r0, r1) of packed src back to GGUF blocks at dst (dst may be src: in place). */
export function unpack_rows(format: i32, src: usize, dst: usize, cols: i32, r0: i32, r1: i32): void {
  const q4 = format == 2;
  const blockBytes: usize = q4 ? 18 : 34;
  const groupBytes: usize = 4 * blockBytes;
  const rowBytes = <usize>(cols >> 5) * blockBytes;
  const groups = cols >> 7;
  for (let r = r0; r < r1; r++) {
    for (let k = 0; k < groups; k++) {
      const s = src + <usize>r * rowBytes + <usize>k * groupBytes;
      const o = dst + <usize>r * rowBytes + <usize>k * groupBytes;
      const d0 = load<u16>(s);
      const d1 = load<u16>(s, 2);
      const d2 = load<u16>(s, 4);
      const d3 = load<u16>(s, 6);
      if (q4) {
        const v0 = v128.load(s, 8);
        const v1 = v128.load(s, 24);
        const v2 = v128.load(s, 40);
        const v3 = v128.load(s, 56);
        // a transpose is its own inverse: block i's words are lane i of v0…v3
        v128.store(o, t0(v0, v1, v2, v3), 2);
        v128.store(o + 18, t1(v0, v1, v2, v3), 2);
        v128.store(o + 36, t2(v0, v1, v2, v3), 2);
        v128.store(o + 54, t3(v0, v1, v2, v3), 2);
      } else {
        const v0 = joinPairs(v128.load(s, 8));
        const v1 = joinPairs(v128.load(s, 24));
        const v2 = joinPairs(v128.load(s, 40));
        const v3 = joinPairs(v128.load(s, 56));
        const v4 = joinPairs(v128.load(s, 72));
        const v5 = joinPairs(v128.load(s, 88));
        const v6 = joinPairs(v128.load(s, 104));
        const v7 = joinPairs(v128.load(s, 120));
        // block 3's first half ends where block 3 ends in a packed group: store front to back, halves before d
        v128.store(o, t0(v0, v1, v2, v3), 2);
        v128.store(o, t0(v4, v5, v6, v7), 18);
        v128.store(o + 34, t1(v0, v1, v2, v3), 2);
        v128.store(o + 34, t1(v4, v5, v6, v7), 18);
        v128.store(o + 68, t2(v0, v1, v2, v3), 2);
        v128.store(o + 68, t2(v4, v5, v6, v7), 18);
        v128.store(o + 102, t3(v0, v1, v2, v3), 2);
        v128.store(o + 102, t3(v4, v5, v6, v7), 18);
      }
      store<u16>(o, d0);
      store<u16>(o + blockBytes, d1);
      store<u16>(o + 2 * blockBytes, d2);
      store<u16>(o + 3 * blockBytes, d3);
    }
  }
}

/**
 * Token rows [t0, t1) of q8a activations (quantize.ts) into the packed activation layout of `format` (2: Q4_0,
 * 8: Q8_0). Token t goes to slot t & 3 of batch t >> 2; each batch holds n / 128 groups.
 */
export function pack_acts(format: i32, q8a: usize, out: usize, n: i32, t0_: i32, t1_: i32): void {
  const rowBytes = <usize>q8aRowBytes(n);
  const groups = n >> 7;
  const q4 = format == 2;
  const groupBytes = <usize>(q4 ? ACT_GROUP_Q4 : ACT_GROUP_Q8);
  for (let t = t0_; t < t1_; t++) {
    const row = q8a + <usize>t * rowBytes;
    const slot = <usize>(t & 3);
    const batch = out + <usize>(t >> 2) * <usize>groups * groupBytes;
    const dp = q8aD(row, n);
    const sp = q8aS16(row, n);
    for (let k = 0; k < groups; k++) {
      const g = batch + <usize>k * groupBytes;
      const b = <usize>(k * 128);
      if (q4) {
        const x = row + b;
        const lo0 = v128.load(x);
        const lo1 = v128.load(x, 32);
        const lo2 = v128.load(x, 64);
        const lo3 = v128.load(x, 96);
        const hi0 = v128.load(x, 16);
        const hi1 = v128.load(x, 48);
        const hi2 = v128.load(x, 80);
        const hi3 = v128.load(x, 112);
        const o = g + slot * 128;
        v128.store(o, t0(lo0, lo1, lo2, lo3));
        v128.store(o, t0(hi0, hi1, hi2, hi3), 16);
        v128.store(o, t1(lo0, lo1, lo2, lo3), 32);
        v128.store(o, t1(hi0, hi1, hi2, hi3), 48);
        v128.store(o, t2(lo0, lo1, lo2, lo3), 64);
        v128.store(o, t2(hi0, hi1, hi2, hi3), 80);
        v128.store(o, t3(lo0, lo1, lo2, lo3), 96);
        v128.store(o, t3(hi0, hi1, hi2, hi3), 112);
        const d = v128.load(dp + <usize>(k * 16));
        v128.store(g + 512 + slot * 16, d);
        // −8·d·Σq per block (the nibbles' +8 offset, applied by one multiply-add per token) from the per-16 sums
        const s = v128.load(sp + <usize>(k * 32));
        const s2 = v128.load(sp + <usize>(k * 32), 16);
        const sums = i32x4.add(i32x4.shuffle(s, s2, 0, 2, 4, 6), i32x4.shuffle(s, s2, 1, 3, 5, 7));
        v128.store(g + 576 + slot * 16, f32x4.neg(f32x4.mul(d, f32x4.convert_i32x4_s(i32x4.shl(sums, 3)))));
      } else {
        // i16 values: block i's 64 bytes are 16 words; vector m of the slot gathers word m of each block
        const x = q8aQs16(row, n) + b * 2;
        const o = g + slot * 256;
        for (let h: usize = 0; h < 4; h++) {
          const r0 = v128.load(x + h * 16);
          const r1 = v128.load(x + 64 + h * 16);
          const r2 = v128.load(x + 128 + h * 16);
          const r3 = v128.load(x + 192 + h * 16);
          v128.store(o + h * 64, t0(r0, r1, r2, r3));
          v128.store(o + h * 64, t1(r0, r1, r2, r3), 16);
          v128.store(o + h * 64, t2(r0, r1, r2, r3), 32);
          v128.store(o + h * 64, t3(r0, r1, r2, r3), 48);
        }
        v128.store(g + 1024 + slot * 16, v128.load(dp + <usize>(k * 16)));
      }
    }
  }
}

/**
 * The four f16 scales at p (finite: the pack refuses others) as f32x4: the half's bits, sign-extended and shifted into
 * an f32 exponent field, times 2^112 (exact for normal and subnormal halves).
 */
@inline
export function packedScales(p: usize): v128 {
  const bits = i32x4.shl(v128.load16x4_s(p), 13);
  return f32x4.mul(v128.and(bits, i32x4.splat(0x8fffe000)), f32x4.splat(5.192296858534828e33));
}
