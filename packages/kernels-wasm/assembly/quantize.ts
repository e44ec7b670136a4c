// Activation rows quantized for the integer dot products ("q8a"), the layout every quantized matvec reads.
// Per row of n values (n a multiple of 32), at a 64-byte aligned row:
//   qs   i8[n]        round-to-nearest-even(x / d), d = max|x| / 127 per block of 32
//   qs16 i16[n]       the same values widened once, for the plain-SIMD kernels
//   d    f32[n/32]    block scales
//   s16  i32[n/16]    sum of qs over each 16 values (for the unsigned-nibble kernels' offsets)
// Reference: src/reference/quantize.ts.

export const Q8A_BLOCK: i32 = 32;

@inline
export function q8aRowBytes(n: i32): i32 {
  return (3 * n + (n >> 3) + (n >> 2) + 63) & ~63;
}
@inline
export function q8aQs16(row: usize, n: i32): usize {
  return row + <usize>n;
}
@inline
export function q8aD(row: usize, n: i32): usize {
  return row + <usize>(3 * n);
}
@inline
export function q8aS16(row: usize, n: i32): usize {
  return row + <usize>(3 * n + (n >> 3));
}

/** Quantizes rows [r0, r1) of x (f32, rows × n) into q8a rows at out. */
export function quantize_q8a(x: usize, out: usize, n: i32, r0: i32, r1: i32): void {
  const rowBytes = q8aRowBytes(n);
  for (let r = r0; r < r1; r++) {
    const src = x + <usize>r * <usize>n * 4;
    const row = out + <usize>r * <usize>rowBytes;
    const qs16 = q8aQs16(row, n);
    const dp = q8aD(row, n);
    const sp = q8aS16(row, n);
    for (let b = 0; b < n; b += 32) {
      const p = src + <usize>b * 4;
      let amax = f32x4.splat(0);
      for (let i = 0; i < 32; i += 4) amax = f32x4.max(amax, f32x4.abs(v128.load(p + <usize>i * 4)));
      const m = max(
        max(f32x4.extract_lane(amax, 0), f32x4.extract_lane(amax, 1)),
        max(f32x4.extract_lane(amax, 2), f32x4.extract_lane(amax, 3)),
      );
      const d: f32 = m / 127;
      const id: f32 = d != 0 ? (1 as f32) / d : 0;
      store<f32>(dp + <usize>(b >> 5) * 4, d);
      const vid = f32x4.splat(id);
      for (let i = 0; i < 32; i += 16) {
        const q = p + <usize>i * 4;
        const a = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(q), vid)));
        const bq = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(q, 16), vid)));
        const c = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(q, 32), vid)));
        const e = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(q, 48), vid)));
        const lo = i16x8.narrow_i32x4_s(a, bq);
        const hi = i16x8.narrow_i32x4_s(c, e);
        v128.store(row + <usize>(b + i), i8x16.narrow_i16x8_s(lo, hi));
        v128.store(qs16 + <usize>(b + i) * 2, lo);
        v128.store(qs16 + <usize>(b + i) * 2, hi, 16);
        const s = i32x4.add(i32x4.add(a, bq), i32x4.add(c, e));
        store<i32>(
          sp + <usize>((b + i) >> 4) * 4,
          i32x4.extract_lane(s, 0) + i32x4.extract_lane(s, 1) + i32x4.extract_lane(s, 2) + i32x4.extract_lane(s, 3),
        );
      }
    }
  }
}
