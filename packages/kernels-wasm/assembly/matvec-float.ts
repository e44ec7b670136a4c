// Matvec / matmul over float weights (F32, F16, BF16 as stored in GGUF / safetensors) against f32 activations.
// Reference: src/reference/matvec.ts.
import { f16_to_f32, f16x4_to_f32x4 } from "./half";
import { hsum_f32x4 } from "./hsum";

export function dot1_f32(w: usize, a: usize, cols: i32): f32 {
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= cols; i += 8) {
    const p = <usize>i * 4;
    c0 = f32x4.add(c0, f32x4.mul(v128.load(w + p), v128.load(a + p)));
    c1 = f32x4.add(c1, f32x4.mul(v128.load(w + p, 16), v128.load(a + p, 16)));
  }
  let s = hsum_f32x4(f32x4.add(c0, c1));
  for (; i < cols; i++) s += load<f32>(w + <usize>i * 4) * load<f32>(a + <usize>i * 4);
  return s;
}

export function dot1_f16(w: usize, a: usize, cols: i32): f32 {
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= cols; i += 8) {
    const h = v128.load(w + <usize>i * 2);
    const p = a + <usize>i * 4;
    c0 = f32x4.add(c0, f32x4.mul(f16x4_to_f32x4(i32x4.extend_low_i16x8_u(h)), v128.load(p)));
    c1 = f32x4.add(c1, f32x4.mul(f16x4_to_f32x4(i32x4.extend_high_i16x8_u(h)), v128.load(p, 16)));
  }
  let s = hsum_f32x4(f32x4.add(c0, c1));
  for (; i < cols; i++) s += f16_to_f32(load<u16>(w + <usize>i * 2)) * load<f32>(a + <usize>i * 4);
  return s;
}

export function dot1_bf16(w: usize, a: usize, cols: i32): f32 {
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= cols; i += 8) {
    const h = v128.load(w + <usize>i * 2);
    const p = a + <usize>i * 4;
    c0 = f32x4.add(c0, f32x4.mul(i32x4.shl(i32x4.extend_low_i16x8_u(h), 16), v128.load(p)));
    c1 = f32x4.add(c1, f32x4.mul(i32x4.shl(i32x4.extend_high_i16x8_u(h), 16), v128.load(p, 16)));
  }
  let s = hsum_f32x4(f32x4.add(c0, c1));
  for (; i < cols; i++) s += reinterpret<f32>((<u32>load<u16>(w + <usize>i * 2)) << 16) * load<f32>(a + <usize>i * 4);
  return s;
}

export function dot4_f32(w: usize, rowBytes: usize, a: usize, cols: i32, y: usize, yStride: usize): void {
  for (let k: usize = 0; k < 4; k++) store<f32>(y + k * yStride, dot1_f32(w + k * rowBytes, a, cols));
}
export function dot4_f16(w: usize, rowBytes: usize, a: usize, cols: i32, y: usize, yStride: usize): void {
  for (let k: usize = 0; k < 4; k++) store<f32>(y + k * yStride, dot1_f16(w + k * rowBytes, a, cols));
}
export function dot4_bf16(w: usize, rowBytes: usize, a: usize, cols: i32, y: usize, yStride: usize): void {
  for (let k: usize = 0; k < 4; k++) store<f32>(y + k * yStride, dot1_bf16(w + k * rowBytes, a, cols));
}
