// IEEE half and bfloat16 from/to bits in u32 (no shader-f16 needed). Exact for every value: subnormal halves are
// built from an integer (no f32 subnormal input that a GPU could flush). Reference: kernels-wasm reference/half.ts.

fn f16_to_f32(h: u32) -> f32 {
  let em = h & 0x7fffu;
  let sign = (h & 0x8000u) << 16u;
  if (em >= 0x7c00u) {
    return bitcast<f32>(sign | 0x7f800000u | ((em & 0x3ffu) << 13u));
  }
  if (em < 0x400u) {
    return bitcast<f32>(sign | bitcast<u32>(f32(em) * 5.9604644775390625e-8));
  }
  return bitcast<f32>(sign | ((em << 13u) + 0x38000000u));
}

fn bf16_to_f32(h: u32) -> f32 {
  return bitcast<f32>((h & 0xffffu) << 16u);
}

// f32 → f16 bits, round to nearest even; overflow → inf, NaN stays NaN.
fn f32_to_f16(f: f32) -> u32 {
  let x = bitcast<u32>(f);
  let sign = (x >> 16u) & 0x8000u;
  let abs = x & 0x7fffffffu;
  if (abs >= 0x7f800000u) {
    return sign | 0x7c00u | select(0u, 0x200u, abs > 0x7f800000u);
  }
  if (abs >= 0x477ff000u) {
    return sign | 0x7c00u;
  }
  if (abs < 0x38800000u) {
    // a subnormal half: the value in units of 2^-24, rounded to nearest even (WGSL round() ties to even)
    return sign | u32(round(bitcast<f32>(abs) * 16777216.0));
  }
  let rounded = abs + 0xfffu + ((abs >> 13u) & 1u);
  return sign | ((rounded - 0x38000000u) >> 13u);
}

// Element i of a packed f16 array (two halves per u32, low half first).
fn f16_at(words_value: u32, i: u32) -> f32 {
  return f16_to_f32((words_value >> ((i & 1u) * 16u)) & 0xffffu);
}
