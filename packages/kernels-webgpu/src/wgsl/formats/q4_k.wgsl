#include "common/bytes.wgsl"
#include "common/half.wgsl"
// Q4_K super-block (144 bytes, 256 values): f16 d, f16 dmin, 12 bytes of packed 6-bit scales and mins, 128 bytes
// of nibbles. Chunk c is sub-block j = c % 8 of super-block c / 8: value = d · scale_j · q − dmin · min_j, q the low
// (j even) or high (j odd) nibble of bytes 32·(j/2) … +31. Reference: dequantize_row_q4_K and get_scale_min_k4.

fn k4_scale_min(p: u32, j: u32) -> vec2f {
  if (j < 4u) {
    return vec2f(f32(w_u8(p + 4u + j) & 63u), f32(w_u8(p + 8u + j) & 63u));
  }
  let b = w_u8(p + 8u + j);
  let sc = (b & 15u) | ((w_u8(p + j) >> 6u) << 4u);
  let m = (b >> 4u) | ((w_u8(p + 4u + j) >> 6u) << 4u);
  return vec2f(f32(sc), f32(m));
}

fn decode_chunk(base: u32, c: u32, cols: u32, v: ptr<function, array<f32, 32>>) {
  let p = base + (c / 8u) * 144u;
  let j = c % 8u;
  let d = f16_to_f32(w_u16(p));
  let dmin = f16_to_f32(w_u16(p + 2u));
  let sm = k4_scale_min(p, j);
  let scale = d * sm.x;
  let offset = dmin * sm.y;
  let shift = (j & 1u) * 4u;
  let qs = p + 16u + (j >> 1u) * 32u;
  for (var i = 0u; i < 8u; i++) {
    let q = w_u32(qs + 4u * i);
    for (var b = 0u; b < 4u; b++) {
      (*v)[4u * i + b] = scale * f32((q >> (8u * b + shift)) & 15u) - offset;
    }
  }
}
