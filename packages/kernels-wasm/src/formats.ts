/**
 * Weight formats the kernels read, in GGUF's block layouts exactly as stored in the file (so a GGUF tensor is
 * used without repacking). Block sizes are asserted here, where they are defined.
 */

export type WeightFormat = "f32" | "f16" | "bf16" | "q8_0" | "q4_0" | "q4_k" | "q6_k";

export interface FormatInfo {
  /** GGML type id, as written in GGUF tensor infos. */
  readonly ggmlType: number;
  /** Values per block. */
  readonly blockSize: number;
  /** Bytes per block. */
  readonly blockBytes: number;
  /** Whether matmul reads q8a-quantized activations (integer dot products) rather than f32 activations. */
  readonly quantized: boolean;
}

export const FORMATS: Readonly<Record<WeightFormat, FormatInfo>> = {
  f32: { ggmlType: 0, blockSize: 1, blockBytes: 4, quantized: false },
  f16: { ggmlType: 1, blockSize: 1, blockBytes: 2, quantized: false },
  bf16: { ggmlType: 30, blockSize: 1, blockBytes: 2, quantized: false },
  // block_q8_0: ggml_half d; int8_t qs[32]
  q8_0: { ggmlType: 8, blockSize: 32, blockBytes: 2 + 32, quantized: true },
  // block_q4_0: ggml_half d; uint8_t qs[16]
  q4_0: { ggmlType: 2, blockSize: 32, blockBytes: 2 + 16, quantized: true },
  // block_q4_K: ggml_half d, dmin; uint8_t scales[12]; uint8_t qs[128]
  q4_k: { ggmlType: 12, blockSize: 256, blockBytes: 2 + 2 + 12 + 128, quantized: true },
  // block_q6_K: uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; ggml_half d
  q6_k: { ggmlType: 14, blockSize: 256, blockBytes: 128 + 64 + 16 + 2, quantized: true },
};

const EXPECTED_BLOCK_BYTES: Readonly<Record<WeightFormat, number>> = {
  f32: 4,
  f16: 2,
  bf16: 2,
  q8_0: 34,
  q4_0: 18,
  q4_k: 144,
  q6_k: 210,
};
for (const [name, info] of Object.entries(FORMATS) as Array<[WeightFormat, FormatInfo]>) {
  if (info.blockBytes !== EXPECTED_BLOCK_BYTES[name]) throw new Error(`block size of ${name} is wrong`);
}

export const WEIGHT_FORMATS = Object.keys(FORMATS) as WeightFormat[];

/** The format of a GGML type id, or undefined for types the kernels do not read. */
export function formatOfGgmlType(type: number): WeightFormat | undefined {
  return WEIGHT_FORMATS.find((f) => FORMATS[f].ggmlType === type);
}

/** Bytes of one row of `cols` values; `cols` must be a whole number of blocks. */
export function rowBytes(format: WeightFormat, cols: number): number {
  const { blockSize, blockBytes } = FORMATS[format];
  return (cols / blockSize) * blockBytes;
}

/** Bytes of one q8a activation row of n values (see assembly/quantize.ts). */
export function q8aRowBytes(n: number): number {
  return (3 * n + (n >> 3) + (n >> 2) + 63) & ~63;
}
