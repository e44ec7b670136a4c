// Vectorized exp and tanh for f32x4 (relative error ≲ 2e-7 for exp over its range).
// exp: x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial, 2^n put into the exponent bits.

const LOG2E: f32 = 1.4426950408889634;
const LN2_HI: f32 = 0.693145751953125;
const LN2_LO: f32 = 1.428606765330187e-6;

// The constants as vectors in static memory: V8 rebuilds a v128 constant from immediates (three instructions) at
// every use inside a loop, a load is one. With that, one-instruction pmin/pmax clamps and n rounded by the 1.5·2^23
// trick instead of nearest + trunc_sat (several instructions each in V8): gelu_gate 3.6 → 1.9 ns a value.
const K = memory.data<f32>([
  88.37626, 88.37626, 88.37626, 88.37626, // 0: upper clamp
  -87.33654, -87.33654, -87.33654, -87.33654, // 16: lower clamp (below: flushed to 0)
  LOG2E, LOG2E, LOG2E, LOG2E, // 32
  12582912, 12582912, 12582912, 12582912, // 48: 1.5·2^23, rounds x·log2e to an integer in the low mantissa bits
  LN2_HI, LN2_HI, LN2_HI, LN2_HI, // 64
  LN2_LO, LN2_LO, LN2_LO, LN2_LO, // 80
  1.0 / 720, 1.0 / 720, 1.0 / 720, 1.0 / 720, // 96
  1.0 / 120, 1.0 / 120, 1.0 / 120, 1.0 / 120, // 112
  1.0 / 24, 1.0 / 24, 1.0 / 24, 1.0 / 24, // 128
  1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6, // 144
  0.5, 0.5, 0.5, 0.5, // 160
  1, 1, 1, 1, // 176
]);

/** a·b + c: fused on the relaxed build, multiply then add on the plain one. */
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

@inline
export function exp_f32x4(x0: v128): v128 {
  // pmin/pmax are one instruction each and keep a NaN x0 (which the final mask turns into 0, as before)
  const x = f32x4.pmax(f32x4.pmin(x0, v128.load(K)), v128.load(K, 16));
  // n = round-to-nearest-even(x·log2e), as an integer (bits of t) and as a float, without a conversion
  const t = madd(x, v128.load(K, 32), v128.load(K, 48));
  const ni = i32x4.sub(t, v128.load(K, 48));
  const n = f32x4.sub(t, v128.load(K, 48));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, v128.load(K, 64))), f32x4.mul(n, v128.load(K, 80)));
  let p = madd(v128.load(K, 96), r, v128.load(K, 112));
  p = madd(p, r, v128.load(K, 128));
  p = madd(p, r, v128.load(K, 144));
  p = madd(p, r, v128.load(K, 160));
  p = madd(p, r, v128.load(K, 176));
  p = madd(p, r, v128.load(K, 176));
  // 2^n split in two factors so n = 128 (x near 88.7) does not overflow the exponent field
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  // below the clamp the true value is under f32's normal range: flush it to an exact 0 (so e^-inf = 0)
  return v128.and(f32x4.mul(f32x4.mul(p, s1), s2), f32x4.ge(x0, v128.load(K, 16)));
}

/** tanh(x) = sign(x)·(1 − e^{−2|x|}) / (1 + e^{−2|x|}); exact 0 at 0, ±1 in the limits. */
@inline
export function tanh_f32x4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const e = exp_f32x4(f32x4.mul(ax, f32x4.splat(-2)));
  const t = f32x4.div(f32x4.sub(f32x4.splat(1), e), f32x4.add(f32x4.splat(1), e));
  return v128.or(t, v128.and(x, i32x4.splat(0x80000000)));
}

@inline
export function exp_f32(x: f32): f32 {
  return f32x4.extract_lane(exp_f32x4(f32x4.splat(x)), 0);
}

@inline
export function tanh_f32(x: f32): f32 {
  return f32x4.extract_lane(tanh_f32x4(f32x4.splat(x)), 0);
}
