// Dequantizes rows of a weight matrix to f32 (embedding lookup, and any op that needs a float row).
// Reference: src/reference/dequant.ts.
import { f16_to_f32 } from "./half";

function q8_0(src: usize, dst: usize, n: i32): void {
  for (let b = 0; b < n >> 5; b++) {
    const p = src + <usize>b * 34;
    const d = f16_to_f32(load<u16>(p));
    for (let i = 0; i < 32; i++) store<f32>(dst + <usize>(b * 32 + i) * 4, d * <f32>load<i8>(p + 2 + i));
  }
}

function q4_0(src: usize, dst: usize, n: i32): void {
  for (let b = 0; b < n >> 5; b++) {
    const p = src + <usize>b * 18;
    const d = f16_to_f32(load<u16>(p));
    for (let i = 0; i < 16; i++) {
      const q = <i32>load<u8>(p + 2 + i);
      store<f32>(dst + <usize>(b * 32 + i) * 4, d * <f32>((q & 15) - 8));
      store<f32>(dst + <usize>(b * 32 + i + 16) * 4, d * <f32>((q >> 4) - 8));
    }
  }
}

function q4_k(src: usize, dst: usize, n: i32): void {
  for (let sb = 0; sb < n >> 8; sb++) {
    const p = src + <usize>sb * 144;
    const d = f16_to_f32(load<u16>(p));
    const dmin = f16_to_f32(load<u16>(p, 2));
    const sc = p + 4;
    for (let j = 0; j < 8; j++) {
      let s: u32;
      let m: u32;
      if (j < 4) {
        s = load<u8>(sc + j) & 63;
        m = load<u8>(sc + j + 4) & 63;
      } else {
        s = (load<u8>(sc + j + 4) & 0xf) | ((<u32>load<u8>(sc + j - 4) >> 6) << 4);
        m = (<u32>load<u8>(sc + j + 4) >> 4) | ((<u32>load<u8>(sc + j) >> 6) << 4);
      }
      const q = p + 16 + <usize>(j >> 1) * 32;
      const shift = (j & 1) * 4;
      for (let i = 0; i < 32; i++) {
        const v = (<u32>load<u8>(q + i) >> shift) & 15;
        store<f32>(dst + <usize>(sb * 256 + j * 32 + i) * 4, d * <f32>s * <f32>v - dmin * <f32>m);
      }
    }
  }
}

function q6_k(src: usize, dst: usize, n: i32): void {
  for (let sb = 0; sb < n >> 8; sb++) {
    const p = src + <usize>sb * 210;
    const d = f16_to_f32(load<u16>(p, 208));
    for (let e = 0; e < 256; e++) {
      const h = e >> 7; // which 128-half
      const g = (e >> 5) & 3; // which quarter of the half
      const l = e & 31;
      const low = <i32>load<u8>(p + <usize>(h * 64 + (g & 1) * 32 + l));
      const nib = g < 2 ? low & 15 : low >> 4;
      const high = (<i32>load<u8>(p + 128 + <usize>(h * 32 + l)) >> (2 * g)) & 3;
      const sc = <i32>load<i8>(p + 192 + <usize>(h * 8 + 2 * g + (l >> 4)));
      store<f32>(dst + <usize>(sb * 256 + e) * 4, d * <f32>sc * <f32>((nib | (high << 4)) - 32));
    }
  }
}

/**
 * Rows [r0, r1) of W (format as a GGML type id: 0 F32, 1 F16, 2 Q4_0, 8 Q8_0, 12 Q4_K, 14 Q6_K, 30 BF16)
 * to f32 rows at dst (row-major, n values each). `ids` (i32[]) picks the rows of W; out row k = W[ids[k]].
 */
export function dequant_rows(
  format: i32,
  w: usize,
  rowBytes: usize,
  ids: usize,
  dst: usize,
  n: i32,
  r0: i32,
  r1: i32,
): void {
  for (let k = r0; k < r1; k++) {
    const src = w + <usize>load<i32>(ids + <usize>k * 4) * rowBytes;
    const out = dst + <usize>k * <usize>n * 4;
    if (format == 0) memory.copy(out, src, <usize>n * 4);
    else if (format == 1)
      for (let i = 0; i < n; i++) store<f32>(out + <usize>i * 4, f16_to_f32(load<u16>(src + <usize>i * 2)));
    else if (format == 30)
      for (let i = 0; i < n; i++) store<u32>(out + <usize>i * 4, (<u32>load<u16>(src + <usize>i * 2)) << 16);
    else if (format == 8) q8_0(src, out, n);
    else if (format == 2) q4_0(src, out, n);
    else if (format == 12) q4_k(src, out, n);
    else if (format == 14) q6_k(src, out, n);
    else unreachable();
  }
}
