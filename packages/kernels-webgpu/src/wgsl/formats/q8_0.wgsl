#include "common/bytes.wgsl"
#include "common/half.wgsl"
// Q8_0 block c of the row (34 bytes): f16 d, then 32 × i8 q; value = d · q.
fn decode_chunk(base: u32, c: u32, cols: u32, v: ptr<function, array<f32, 32>>) {
  let o = base + c * 34u;
  let d = f16_to_f32(w_u16(o));
  for (var i = 0u; i < 8u; i++) {
    let q = w_u32(o + 2u + 4u * i);
    for (var b = 0u; b < 4u; b++) {
      (*v)[4u * i + b] = d * i8_of(q, b);
    }
  }
}
