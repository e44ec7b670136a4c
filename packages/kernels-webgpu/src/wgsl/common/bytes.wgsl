// Little-endian reads of GGUF bytes at any byte offset of the weight binding `w: array<u32>` (declared by the
// including shader). GGUF blocks are not 4-byte aligned (Q8_0 is 34 bytes, Q4_0 18, Q6_K 210).

fn w_u8(o: u32) -> u32 {
  return (w[o >> 2u] >> ((o & 3u) * 8u)) & 0xffu;
}

// o must be even (every 16-bit field of a GGUF block is).
fn w_u16(o: u32) -> u32 {
  return (w[o >> 2u] >> ((o & 2u) * 8u)) & 0xffffu;
}

// Four bytes from any offset; the upload pads the buffer so the second word exists when it is needed.
fn w_u32(o: u32) -> u32 {
  let s = (o & 3u) * 8u;
  let lo = w[o >> 2u];
  if (s == 0u) {
    return lo;
  }
  return (lo >> s) | (w[(o >> 2u) + 1u] << (32u - s));
}

// Byte b (0..3) of a word as a signed value.
fn i8_of(word: u32, b: u32) -> f32 {
  return f32(extractBits(i32(word), b * 8u, 8u));
}
