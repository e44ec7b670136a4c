/**
 * Scalar dequantization of GGUF blocks, written from ggml's dequantize_row_* (ggml-quants.c): the oracle for
 * assembly/dequant.ts and the weight side of the reference matmul.
 */
import { FORMATS, type WeightFormat } from "../formats.js";
import { bf16ToF32, f16ToF32 } from "./half.js";

/** Dequantizes `n` values (a whole number of blocks) starting at byte `offset` of `bytes`. */
export function dequantize(format: WeightFormat, bytes: Uint8Array, offset: number, n: number): Float64Array {
  const v = new DataView(
    bytes.buffer,
    bytes.byteOffset + offset,
    (n / FORMATS[format].blockSize) * FORMATS[format].blockBytes,
  );
  const y = new Float64Array(n);
  const u8 = (i: number) => v.getUint8(i);
  switch (format) {
    case "f32":
      for (let i = 0; i < n; i++) y[i] = v.getFloat32(i * 4, true);
      break;
    case "f16":
      for (let i = 0; i < n; i++) y[i] = f16ToF32(v.getUint16(i * 2, true));
      break;
    case "bf16":
      for (let i = 0; i < n; i++) y[i] = bf16ToF32(v.getUint16(i * 2, true));
      break;
    case "q8_0":
      for (let b = 0; b < n / 32; b++) {
        const d = f16ToF32(v.getUint16(b * 34, true));
        for (let i = 0; i < 32; i++) y[b * 32 + i] = d * v.getInt8(b * 34 + 2 + i);
      }
      break;
    case "q4_0":
      for (let b = 0; b < n / 32; b++) {
        const d = f16ToF32(v.getUint16(b * 18, true));
        for (let i = 0; i < 16; i++) {
          const q = u8(b * 18 + 2 + i);
          y[b * 32 + i] = d * ((q & 15) - 8);
          y[b * 32 + 16 + i] = d * ((q >> 4) - 8);
        }
      }
      break;
    case "q4_k":
      for (let sb = 0; sb < n / 256; sb++) {
        const p = sb * 144;
        const d = f16ToF32(v.getUint16(p, true));
        const dmin = f16ToF32(v.getUint16(p + 2, true));
        for (let j = 0; j < 8; j++) {
          const [sc, m] = scaleMinK4(j, (i) => u8(p + 4 + i));
          for (let l = 0; l < 32; l++) {
            const q = (u8(p + 16 + (j >> 1) * 32 + l) >> ((j & 1) * 4)) & 15;
            y[sb * 256 + j * 32 + l] = d * sc * q - dmin * m;
          }
        }
      }
      break;
    case "q6_k":
      for (let sb = 0; sb < n / 256; sb++) {
        const p = sb * 210;
        const d = f16ToF32(v.getUint16(p + 208, true));
        for (let half = 0; half < 2; half++) {
          const ql = p + half * 64;
          const qh = p + 128 + half * 32;
          const sc = p + 192 + half * 8;
          for (let l = 0; l < 32; l++) {
            const is = l >> 4;
            const q1 = ((u8(ql + l) & 15) | (((u8(qh + l) >> 0) & 3) << 4)) - 32;
            const q2 = ((u8(ql + l + 32) & 15) | (((u8(qh + l) >> 2) & 3) << 4)) - 32;
            const q3 = ((u8(ql + l) >> 4) | (((u8(qh + l) >> 4) & 3) << 4)) - 32;
            const q4 = ((u8(ql + l + 32) >> 4) | (((u8(qh + l) >> 6) & 3) << 4)) - 32;
            const y0 = sb * 256 + half * 128;
            y[y0 + l] = d * v.getInt8(sc + is) * q1;
            y[y0 + l + 32] = d * v.getInt8(sc + is + 2) * q2;
            y[y0 + l + 64] = d * v.getInt8(sc + is + 4) * q3;
            y[y0 + l + 96] = d * v.getInt8(sc + is + 6) * q4;
          }
        }
      }
      break;
  }
  return y;
}

/** ggml's get_scale_min_k4: the 6-bit scale and min of sub-block j from the 12 packed bytes. */
export function scaleMinK4(j: number, q: (i: number) => number): [number, number] {
  if (j < 4) return [q(j) & 63, q(j + 4) & 63];
  return [(q(j + 4) & 0xf) | ((q(j - 4) >> 6) << 4), (q(j + 4) >> 4) | ((q(j) >> 6) << 4)];
}
