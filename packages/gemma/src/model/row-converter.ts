/**
 * Converts a tensor's bytes, arriving in arbitrary chunks, row by row from a safetensors dtype (F32, F16, BF16) into a
 * kernel weight format (f32, f16, bf16, q8_0, q4_0), writing each batch of rows straight into kernel memory. At most a
 * few rows are held at a time (about 64 KiB of f32), never the tensor, so a multi-GB checkpoint is quantized with a
 * bounded heap. Rows are encoded by `reference.quantizeWeights`, so the bytes equal what it gives for the whole tensor
 * (Q8_0 / Q4_0 blocks never cross a row).
 */
import { FORMATS, reference, rowBytes, type WeightFormat } from "@gemma-edge/kernels-wasm";
import { InvalidTensorError, SourceError } from "../errors.js";
import type { SafetensorsDtype } from "../safetensors/reader.js";

/** Formats a floating-point checkpoint can be converted to at load. */
export type ConvertFormat = Extract<WeightFormat, "f32" | "f16" | "bf16" | "q8_0" | "q4_0">;
export const CONVERT_FORMATS: readonly ConvertFormat[] = ["f32", "f16", "bf16", "q8_0", "q4_0"];

const SOURCE_BYTES: Readonly<Record<SafetensorsDtype, number>> = { F32: 4, F16: 2, BF16: 2 };

/** Values converted per batch (rows × cols); a batch holds at least one row. */
const BATCH_VALUES = 16_384;

export interface RowConverterSpec {
  /** Tensor name, for errors. */
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly rows: number;
  readonly cols: number;
  readonly format: ConvertFormat;
}

/** Throws an `InvalidTensorError` unless rows of `cols` values can be stored in `format` (whole blocks per row). */
export function checkConvertible(name: string, cols: number, format: ConvertFormat): void {
  const block = FORMATS[format].blockSize;
  if (cols % block !== 0) {
    throw new InvalidTensorError(
      `tensor ${name} has rows of ${cols} values, not a multiple of ${format}'s block of ${block}; load it as f16 or f32`,
      name,
    );
  }
}

/**
 * A sink for one tensor's bytes, in order. `target()` returns a live view of the tensor's bytes in kernel memory
 * (taken anew for every batch, since a view dies when memory grows).
 * @example
 * const write = rowConverter({ name, dtype: "BF16", rows, cols, format: "q8_0" }, () => kernels.weightBytes(w));
 * await streamTensorData(source, [tensor], (_, chunk, offset) => write(chunk, offset));
 */
export function rowConverter(
  spec: RowConverterSpec,
  target: () => Uint8Array,
): (chunk: Uint8Array, offsetInTensor: number) => void {
  const { name, dtype, rows, cols, format } = spec;
  checkConvertible(name, cols, format);
  const srcRow = cols * SOURCE_BYTES[dtype];
  const dstRow = rowBytes(format, cols);
  const batchRows = Math.max(1, Math.min(rows, Math.floor(BATCH_VALUES / cols)));
  const staging = new Uint8Array(batchRows * srcRow);
  const values = new Float32Array(batchRows * cols);
  const total = rows * srcRow;
  let filled = 0; // bytes in staging
  let next = 0; // offset in the tensor expected next
  let rowsDone = 0;

  const flush = () => {
    const k = filled / srcRow;
    decodeRows(dtype, staging, values, k * cols);
    const bytes = reference.quantizeWeights(format, values.subarray(0, k * cols), k, cols);
    target().set(bytes, rowsDone * dstRow);
    rowsDone += k;
    filled = 0;
  };

  return (chunk, offsetInTensor) => {
    if (offsetInTensor !== next || next + chunk.length > total) {
      throw new SourceError(`tensor ${name}: bytes ${offsetInTensor}…${offsetInTensor + chunk.length} out of order`);
    }
    let at = 0;
    while (at < chunk.length) {
      const n = Math.min(chunk.length - at, staging.length - filled);
      staging.set(chunk.subarray(at, at + n), filled);
      filled += n;
      at += n;
      next += n;
      if (filled === staging.length || next === total) flush();
    }
  };
}

let f16Table: Float32Array | undefined;

/** Decodes the first `n` values of `bytes` (little-endian `dtype`) into `out`. */
function decodeRows(dtype: SafetensorsDtype, bytes: Uint8Array, out: Float32Array, n: number): void {
  if (dtype === "F32") {
    out.set(new Float32Array(bytes.buffer, bytes.byteOffset, n));
    return;
  }
  const halves = new Uint16Array(bytes.buffer, bytes.byteOffset, n);
  if (dtype === "BF16") {
    const bits = new Uint32Array(out.buffer, out.byteOffset, n);
    for (let i = 0; i < n; i++) bits[i] = (halves[i] as number) << 16;
    return;
  }
  f16Table ??= Float32Array.from({ length: 65_536 }, (_, h) => reference.f16ToF32(h));
  for (let i = 0; i < n; i++) out[i] = f16Table[halves[i] as number] as number;
}
