/**
 * Handles of what lives on the GPU: activation buffers (f32, f16 packed two a u32 word, i32) and weight tensors in
 * their GGUF block layout, split by whole rows into parts that each fit one storage binding. Handles are frozen
 * plain objects; the GPU buffers behind them stay private to the kernels that made them.
 */
import {
  BufferRangeError,
  FORMATS,
  rowBytes,
  ShapeError,
  UnsupportedFormatError,
  type WeightFormat,
} from "@gemma-edge/kernels-wasm";
import { BUFFER, STORAGE_USAGE } from "./flags.js";

/** A run of values in a GPU buffer. f16 values are packed two a 32-bit word (no shader-f16 needed). */
export interface GpuBuffer {
  /** Number of elements. */
  readonly length: number;
  readonly dtype: "f32" | "f16" | "i32";
}

/** A weight matrix in its GGUF block layout, uploaded once. */
export interface GpuWeightTensor {
  readonly format: WeightFormat;
  readonly rows: number;
  readonly cols: number;
  readonly byteLength: number;
  /** Storage bindings the rows are split across (1 unless the tensor exceeds maxStorageBufferBindingSize). */
  readonly parts: number;
}

/** Whole rows row0 … row0 + rows − 1 of a weight tensor in one GPU buffer. */
export interface WeightPart {
  readonly buffer: GPUBuffer;
  readonly row0: number;
  readonly rows: number;
}

/** Bytes of a buffer of `length` values, padded to whole words. */
export function bufferBytes(length: number, dtype: GpuBuffer["dtype"]): number {
  return dtype === "f16" ? Math.ceil(length / 2) * 4 : length * 4;
}

export function weightByteLength(format: WeightFormat, rows: number, cols: number): number {
  const info = FORMATS[format];
  if (!info) throw new UnsupportedFormatError(`unsupported weight format ${String(format)}`);
  if (!(Number.isSafeInteger(rows) && rows > 0 && Number.isSafeInteger(cols) && cols > 0))
    throw new ShapeError(`bad weight shape ${rows}×${cols}`);
  if (cols % info.blockSize !== 0)
    throw new ShapeError(`${format} rows must hold whole blocks of ${info.blockSize}, got ${cols} columns`);
  return rows * rowBytes(format, cols);
}

export class GpuMemory {
  readonly #buffers = new WeakMap<GpuBuffer, GPUBuffer>();
  readonly #weights = new WeakMap<GpuWeightTensor, readonly WeightPart[]>();

  /** @param maxBytes the most one buffer (and one binding) may hold. */
  constructor(
    readonly device: GPUDevice,
    readonly maxBytes: number,
  ) {}

  alloc(length: number, dtype: GpuBuffer["dtype"]): GpuBuffer {
    if (!(Number.isSafeInteger(length) && length > 0))
      throw new ShapeError(`buffer length must be a positive integer, got ${length}`);
    const size = bufferBytes(length, dtype);
    if (size > this.maxBytes)
      throw new BufferRangeError(`${size} bytes exceed the device's largest storage binding (${this.maxBytes})`);
    const handle = Object.freeze({ length, dtype });
    this.#buffers.set(handle, this.device.createBuffer({ size, usage: STORAGE_USAGE }));
    return handle;
  }

  /** The GPU buffer of a handle from this memory; BufferRangeError otherwise. */
  buffer(b: GpuBuffer, what: string): GPUBuffer {
    const buffer = this.#buffers.get(b);
    if (!buffer) throw new BufferRangeError(`${what} was not allocated by these kernels`);
    return buffer;
  }

  /** Copies GGUF bytes to the GPU once, split by whole rows into parts of at most maxBytes. */
  upload(format: WeightFormat, rows: number, cols: number, data: Uint8Array): GpuWeightTensor {
    const byteLength = weightByteLength(format, rows, cols);
    if (data.byteLength !== byteLength)
      throw new ShapeError(`${format} ${rows}×${cols} needs ${byteLength} bytes, got ${data.byteLength}`);
    const rb = rowBytes(format, cols);
    const perPart = Math.floor((this.maxBytes - 4) / rb);
    if (perPart < 1) throw new BufferRangeError(`one ${format} row of ${cols} values exceeds a storage binding`);
    const parts: WeightPart[] = [];
    for (let row0 = 0; row0 < rows; row0 += perPart) {
      const n = Math.min(perPart, rows - row0);
      const bytes = data.subarray(row0 * rb, (row0 + n) * rb);
      const buffer = this.device.createBuffer({
        label: `${format} rows ${row0}…${row0 + n - 1}`,
        size: Math.ceil(bytes.byteLength / 4) * 4,
        usage: BUFFER.STORAGE,
        mappedAtCreation: true,
      });
      new Uint8Array(buffer.getMappedRange()).set(bytes);
      buffer.unmap();
      parts.push({ buffer, row0, rows: n });
    }
    const handle = Object.freeze({ format, rows, cols, byteLength, parts: parts.length });
    this.#weights.set(handle, Object.freeze(parts));
    return handle;
  }

  parts(w: GpuWeightTensor): readonly WeightPart[] {
    const parts = this.#weights.get(w);
    if (!parts) throw new BufferRangeError("weights were not uploaded by these kernels");
    return parts;
  }

  /** Frees a buffer or a weight tensor now (its handle then fails every op). */
  release(b: GpuBuffer | GpuWeightTensor): void {
    if ("dtype" in b) {
      this.#buffers.get(b)?.destroy();
      this.#buffers.delete(b);
    } else {
      for (const p of this.#weights.get(b) ?? []) p.buffer.destroy();
      this.#weights.delete(b);
    }
  }
}
