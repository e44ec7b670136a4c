#include "common/bytes.wgsl"
#include "common/half.wgsl"
// F16 rows (2 bytes a value; rows start at even bytes).
fn decode_chunk(base: u32, c: u32, cols: u32, v: ptr<function, array<f32, 32>>) {
  let first = base + c * 64u;
  let n = min(32u, cols - c * 32u);
  for (var i = 0u; i < 32u; i++) {
    (*v)[i] = select(0.0, f16_to_f32(w_u16(first + 2u * min(i, n - 1u))), i < n);
  }
}
