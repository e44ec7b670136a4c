// Vectorized exp and tanh for f32x4 (relative error ≲ 2e-7 for exp over its range).
// exp: x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial, 2^n put into the exponent bits.

const LOG2E: f32 = 1.4426950408889634;
const LN2_HI: f32 = 0.693145751953125;
const LN2_LO: f32 = 1.428606765330187e-6;

@inline
export function exp_f32x4(x0: v128): v128 {
  const x = f32x4.max(f32x4.min(x0, f32x4.splat(88.37626)), f32x4.splat(-87.33654));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.0 / 720);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  // 2^n split in two factors so n = 128 (x near 88.7) does not overflow the exponent field
  const n1 = i32x4.trunc_sat_f32x4_s(f32x4.mul(n, f32x4.splat(0.5)));
  const n2 = i32x4.sub(i32x4.trunc_sat_f32x4_s(n), n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  // below the clamp the true value is under f32's normal range: flush it to an exact 0 (so e^-inf = 0)
  return v128.and(f32x4.mul(f32x4.mul(p, s1), s2), f32x4.ge(x0, f32x4.splat(-87.33654)));
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
