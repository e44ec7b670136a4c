#include "common/bytes.wgsl"
#include "common/half.wgsl"
// Q6_K super-block (210 bytes, 256 values): ql[128] low nibbles, qh[64] high 2-bit pairs, 16 × i8 scales, f16 d.
// Chunk c is quarter k = c % 4 of half h = (c / 4) % 2 of super-block c / 8: for l < 32,
// q = (ql[64h + 32(k&1) + l] >> 4(k>>1) & 15) | ((qh[32h + l] >> 2k) & 3) << 4, value = d · scales[8h + 2k + l/16] · (q − 32).
// Reference: dequantize_row_q6_K.
fn decode_chunk(base: u32, c: u32, cols: u32, v: ptr<function, array<f32, 32>>) {
  let p = base + (c / 8u) * 210u;
  let h = (c / 4u) % 2u;
  let k = c % 4u;
  let d = f16_to_f32(w_u16(p + 208u));
  let ql = p + 64u * h + 32u * (k & 1u);
  let qh = p + 128u + 32u * h;
  let sc = p + 192u + 8u * h + 2u * k;
  let s0 = d * f32(extractBits(i32(w_u8(sc)), 0u, 8u));
  let s1 = d * f32(extractBits(i32(w_u8(sc + 1u)), 0u, 8u));
  let lshift = (k >> 1u) * 4u;
  let hshift = 2u * k;
  for (var i = 0u; i < 8u; i++) {
    let lo = w_u32(ql + 4u * i);
    let hi = w_u32(qh + 4u * i);
    for (var b = 0u; b < 4u; b++) {
      let q = ((lo >> (8u * b + lshift)) & 15u) | (((hi >> (8u * b + hshift)) & 3u) << 4u);
      (*v)[4u * i + b] = select(s1, s0, i < 4u) * (f32(q) - 32.0);
    }
  }
}
