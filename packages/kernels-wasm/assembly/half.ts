// IEEE half and bfloat16 conversions, scalar and 4-lane. Reference: src/reference/half.ts.

/** 2^112: rescales a half's exponent field, placed in an f32, to its true value (subnormals included). */
const HALF_MAGIC: f32 = 5.192296858534828e33;

/** One f16 (low 16 bits of `h`) to f32, exact for every value including subnormals, inf and NaN. */
@inline
export function f16_to_f32(h: u32): f32 {
  const em = h & 0x7fff;
  let bits: u32;
  if (em >= 0x7c00) bits = 0x7f800000 | ((em & 0x3ff) << 13);
  else bits = reinterpret<u32>(reinterpret<f32>(em << 13) * HALF_MAGIC);
  return reinterpret<f32>(bits | ((h & 0x8000) << 16));
}

/** f32 to f16 bits, rounding to nearest even; overflow goes to inf, NaN stays NaN. */
export function f32_to_f16(f: f32): u32 {
  const x = reinterpret<u32>(f);
  const sign = (x >>> 16) & 0x8000;
  const abs = x & 0x7fffffff;
  if (abs >= 0x7f800000) return sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0);
  if (abs >= 0x477ff000) return sign | 0x7c00; // rounds to 65520 or more: inf
  if (abs < 0x38800000) {
    // subnormal half (or zero): value / 2^-24, rounded to nearest even by the FPU
    const v = reinterpret<f32>(abs) * (16777216.0 as f32);
    return sign | (<u32>nearest<f32>(v));
  }
  // normal: rebias exponent, round mantissa from 23 to 10 bits (ties to even)
  const rounded = abs + 0xfff + ((abs >>> 13) & 1);
  return sign | ((rounded - 0x38000000) >>> 13);
}

/** Four f16 values (the u32 lanes' low halves) to f32x4. */
@inline
export function f16x4_to_f32x4(h32: v128): v128 {
  const em = v128.and(h32, i32x4.splat(0x7fff));
  const sign = i32x4.shl(v128.and(h32, i32x4.splat(0x8000)), 16);
  const scaled = f32x4.mul(i32x4.shl(em, 13), f32x4.splat(HALF_MAGIC));
  const special = v128.or(i32x4.shl(em, 13), i32x4.splat(0x7f800000));
  const isSpecial = i32x4.ge_s(em, i32x4.splat(0x7c00));
  return v128.or(v128.bitselect(special, scaled, isSpecial), sign);
}

/**
 * The f16 block scales at w, w + stride, w + 2·stride, w + 3·stride (four weight rows) as f32x4, times `da`: one SIMD
 * conversion instead of four scalar ones per block (the dot4 kernels' hot loop).
 */
@inline
export function scales4(w: usize, stride: usize, da: f32): v128 {
  let h = i32x4.splat(<i32>load<u16>(w));
  h = i32x4.replace_lane(h, 1, <i32>load<u16>(w + stride));
  h = i32x4.replace_lane(h, 2, <i32>load<u16>(w + 2 * stride));
  h = i32x4.replace_lane(h, 3, <i32>load<u16>(w + 3 * stride));
  return f32x4.mul(f16x4_to_f32x4(h), f32x4.splat(da));
}
