// F32 rows: values 32c.. of the row at byte `base` (zero past `cols`). Every format file defines decode_chunk.
fn decode_chunk(base: u32, c: u32, cols: u32, v: ptr<function, array<f32, 32>>) {
  let first = base / 4u + c * 32u;
  let n = min(32u, cols - c * 32u);
  for (var i = 0u; i < 32u; i++) {
    (*v)[i] = select(0.0, bitcast<f32>(w[first + min(i, n - 1u)]), i < n);
  }
}
