/**
 * GGUF writer (version 3 by default, or 2), for the project's deterministic tiny test models and for tools: metadata
 * of every value type, tensors as raw bytes in any format the kernels read (F32/F16/BF16/Q8_0/Q4_0 encoded from values
 * by `encodeTensor`; Q4_K/Q6_K as given), each tensor aligned to `general.alignment` (default 32).
 */
import { FORMATS, reference, type WeightFormat } from "@gemma-edge/kernels-wasm";
import {
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_FIXED_BYTES,
  GGUF_MAGIC,
  GGUF_TYPE,
  type GgufArray,
  type GgufValue,
} from "./types.js";

/** Tensor bytes produced on demand (for files too large to build in memory). */
export interface LazyTensorData {
  readonly byteLength: number;
  /** The tensor's bytes, in order, in any number of chunks. */
  chunks(): Iterable<Uint8Array>;
}

export interface GgufTensorInput {
  readonly name: string;
  /** GGML order: `[cols, rows]` for a matrix. */
  readonly dims: readonly number[];
  readonly format: WeightFormat;
  /** The tensor's bytes in `format`'s layout. */
  readonly data: Uint8Array | LazyTensorData;
}

export interface GgufWriteInput {
  /** @default 3 */
  readonly version?: 2 | 3;
  /** Written in iteration order; `general.alignment` (a u32), if present, sets the alignment. */
  readonly metadata: ReadonlyMap<string, GgufValue> | Readonly<Record<string, GgufValue>>;
  readonly tensors: readonly GgufTensorInput[];
}

/** Shorthands for tagged metadata values. @example gguf.u32(2048); gguf.array("string", ["<pad>", "<eos>"]) */
export const gguf = {
  u8: (value: number) => ({ type: "u8", value }) as const,
  i8: (value: number) => ({ type: "i8", value }) as const,
  u16: (value: number) => ({ type: "u16", value }) as const,
  i16: (value: number) => ({ type: "i16", value }) as const,
  u32: (value: number) => ({ type: "u32", value }) as const,
  i32: (value: number) => ({ type: "i32", value }) as const,
  f32: (value: number) => ({ type: "f32", value }) as const,
  f64: (value: number) => ({ type: "f64", value }) as const,
  u64: (value: bigint) => ({ type: "u64", value }) as const,
  i64: (value: bigint) => ({ type: "i64", value }) as const,
  bool: (value: boolean) => ({ type: "bool", value }) as const,
  string: (value: string) => ({ type: "string", value }) as const,
  array: <A extends GgufArray>(itemType: A["itemType"], items: A["items"]): GgufArray =>
    ({ type: "array", itemType, items }) as GgufArray,
};

/**
 * Encodes values (row-major, GGML dims order) in any weight format: F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K (the
 * K-quants need rows of whole 256-value super-blocks), through kernels-wasm's reference quantizers.
 */
export function encodeTensor(format: WeightFormat, values: ArrayLike<number>, dims: readonly number[]): Uint8Array {
  const cols = dims[0] ?? 1;
  const rows = dims.slice(1).reduce((a, b) => a * b, 1);
  if (values.length !== rows * cols)
    throw new RangeError(`dims [${dims}] need ${rows * cols} values, got ${values.length}`);
  return reference.quantizeWeights(format, values, rows, cols);
}

const encoder = new TextEncoder();

class ByteWriter {
  readonly parts: Uint8Array[] = [];
  length = 0;
  push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }
  fixed(n: number, set: (v: DataView) => void): void {
    const b = new Uint8Array(n);
    set(new DataView(b.buffer));
    this.push(b);
  }
  u32(v: number): void {
    this.fixed(4, (d) => d.setUint32(0, v, true));
  }
  u64(v: number | bigint): void {
    this.fixed(8, (d) => d.setBigUint64(0, BigInt(v), true));
  }
  string(s: string): void {
    const b = encoder.encode(s);
    this.u64(b.length);
    this.push(b);
  }
  pad(alignment: number): void {
    const n = (alignment - (this.length % alignment)) % alignment;
    if (n > 0) this.push(new Uint8Array(n));
  }
}

function writeScalar(
  w: ByteWriter,
  type: Exclude<GgufValue["type"], "string" | "array">,
  value: number | bigint | boolean,
) {
  w.fixed(GGUF_FIXED_BYTES[type], (d) => {
    switch (type) {
      case "u8":
        return d.setUint8(0, Number(value));
      case "i8":
        return d.setInt8(0, Number(value));
      case "u16":
        return d.setUint16(0, Number(value), true);
      case "i16":
        return d.setInt16(0, Number(value), true);
      case "u32":
        return d.setUint32(0, Number(value), true);
      case "i32":
        return d.setInt32(0, Number(value), true);
      case "f32":
        return d.setFloat32(0, Number(value), true);
      case "f64":
        return d.setFloat64(0, Number(value), true);
      case "u64":
        return d.setBigUint64(0, BigInt(value), true);
      case "i64":
        return d.setBigInt64(0, BigInt(value), true);
      case "bool":
        return d.setUint8(0, value ? 1 : 0);
    }
  });
}

function writeValue(w: ByteWriter, v: GgufValue): void {
  if (v.type === "string") w.string(v.value);
  else if (v.type === "array") writeArray(w, v);
  else writeScalar(w, v.type, v.value);
}

function writeArray(w: ByteWriter, a: GgufArray): void {
  w.u32(GGUF_TYPE[a.itemType]);
  w.u64(a.items.length);
  for (const item of a.items as Iterable<unknown>) {
    if (a.itemType === "string") w.string(item as string);
    else if (a.itemType === "array") writeArray(w, item as GgufArray);
    else writeScalar(w, a.itemType, item as number | bigint | boolean);
  }
}

/**
 * Writes a GGUF file.
 * @example
 * const bytes = writeGguf({
 *   metadata: { "general.architecture": gguf.string("gemma") },
 *   tensors: [{ name: "output_norm.weight", dims: [64], format: "f32", data: encodeTensor("f32", norm, [64]) }],
 * });
 */
export function writeGguf(input: GgufWriteInput): Uint8Array {
  const parts: Uint8Array[] = [];
  let length = 0;
  for (const part of ggufParts(input)) {
    parts.push(part);
    length += part.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The bytes of a GGUF file in order, header first, tensor data as the tensors produce it: write a multi-GB file
 * chunk by chunk without holding it in memory.
 */
export function* ggufParts(input: GgufWriteInput): Generator<Uint8Array> {
  const entries: Array<[string, GgufValue]> =
    input.metadata instanceof Map ? [...input.metadata] : Object.entries(input.metadata);
  const alignValue = entries.find(([k]) => k === "general.alignment")?.[1];
  const alignment = alignValue?.type === "u32" ? alignValue.value : GGUF_DEFAULT_ALIGNMENT;
  const w = new ByteWriter();
  w.u32(GGUF_MAGIC);
  w.u32(input.version ?? 3);
  w.u64(input.tensors.length);
  w.u64(entries.length);
  for (const [key, value] of entries) {
    w.string(key);
    w.u32(GGUF_TYPE[value.type]);
    writeValue(w, value);
  }
  let offset = 0;
  for (const t of input.tensors) {
    const { blockSize, blockBytes } = FORMATS[t.format];
    const elements = t.dims.reduce((a, b) => a * b, 1);
    const bytes = (elements / blockSize) * blockBytes;
    const given = t.data instanceof Uint8Array ? t.data.length : t.data.byteLength;
    if (given !== bytes)
      throw new RangeError(`tensor ${t.name}: [${t.dims}] ${t.format} is ${bytes} bytes, data has ${given}`);
    w.string(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(FORMATS[t.format].ggmlType);
    w.u64(offset);
    offset += Math.ceil(bytes / alignment) * alignment;
  }
  w.pad(alignment);
  yield* w.parts;
  for (const [i, t] of input.tensors.entries()) {
    let written = 0;
    for (const chunk of t.data instanceof Uint8Array ? [t.data] : t.data.chunks()) {
      written += chunk.length;
      yield chunk;
    }
    if (written !== (t.data instanceof Uint8Array ? t.data.length : t.data.byteLength)) {
      throw new RangeError(`tensor ${t.name} produced ${written} bytes`);
    }
    const pad = (alignment - (written % alignment)) % alignment;
    if (pad > 0 && i < input.tensors.length - 1) yield new Uint8Array(pad);
  }
}
