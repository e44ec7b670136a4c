#include "common/bytes.wgsl"
#include "common/half.wgsl"
// Q4_0 block c of the row (18 bytes): f16 d, then 16 bytes; byte i holds value i (low nibble) and i + 16 (high);
// value = d · (nibble − 8).
fn decode_chunk(base: u32, c: u32, cols: u32, v: ptr<function, array<f32, 32>>) {
  let o = base + c * 18u;
  let d = f16_to_f32(w_u16(o));
  for (var i = 0u; i < 4u; i++) {
    let q = w_u32(o + 2u + 4u * i);
    for (var b = 0u; b < 4u; b++) {
      let byte = (q >> (8u * b)) & 0xffu;
      (*v)[4u * i + b] = d * (f32(byte & 15u) - 8.0);
      (*v)[16u + 4u * i + b] = d * (f32(byte >> 4u) - 8.0);
    }
  }
}
