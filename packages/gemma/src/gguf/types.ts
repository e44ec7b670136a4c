/**
 * GGUF's data model: metadata value types (the ids GGUF writes), the shape of a parsed value, tensor infos and the
 * parsed header. Layout (versions 2 and 3, little-endian): magic "GGUF", u32 version, u64 tensor count, u64 kv count,
 * kv pairs (string key, u32 type, value), tensor infos (string name, u32 n_dims, u64 dims[n_dims], u32 ggml type,
 * u64 offset), padding to `general.alignment`, then tensor data (each offset relative to it and aligned).
 */
import type { WeightFormat } from "@gemma-edge/kernels-wasm";

/** "GGUF" read as a little-endian u32. */
export const GGUF_MAGIC = 0x46554747;
export const GGUF_VERSIONS = [2, 3] as const;
export const GGUF_DEFAULT_ALIGNMENT = 32;
export const GGUF_MAX_DIMS = 4;

/** Metadata value type ids, as GGUF writes them. */
export const GGUF_TYPE = {
  u8: 0,
  i8: 1,
  u16: 2,
  i16: 3,
  u32: 4,
  i32: 5,
  f32: 6,
  bool: 7,
  string: 8,
  array: 9,
  u64: 10,
  i64: 11,
  f64: 12,
} as const;
export type GgufValueType = keyof typeof GGUF_TYPE;
export type GgufScalarType = Exclude<GgufValueType, "array">;

export const GGUF_TYPE_NAMES = Object.keys(GGUF_TYPE) as GgufValueType[];

/** The value type of a type id, or undefined for ids GGUF does not define. */
export function ggufTypeOfId(id: number): GgufValueType | undefined {
  return GGUF_TYPE_NAMES.find((t) => GGUF_TYPE[t] === id);
}

/** Bytes of one value of a fixed-size type; strings and arrays have a length prefix instead. */
export const GGUF_FIXED_BYTES: Readonly<Record<Exclude<GgufValueType, "string" | "array">, number>> = {
  u8: 1,
  i8: 1,
  u16: 2,
  i16: 2,
  u32: 4,
  i32: 4,
  f32: 4,
  bool: 1,
  u64: 8,
  i64: 8,
  f64: 8,
};

/** The least bytes one value of a type can take in a file (string: its u64 length; array: type + count). */
export function minValueBytes(type: GgufValueType): number {
  if (type === "string") return 8;
  if (type === "array") return 12;
  return GGUF_FIXED_BYTES[type];
}

/** An array's items, in the JS type that holds them exactly. */
export type GgufArrayItems =
  | { readonly itemType: "u8"; readonly items: Uint8Array }
  | { readonly itemType: "i8"; readonly items: Int8Array }
  | { readonly itemType: "u16"; readonly items: Uint16Array }
  | { readonly itemType: "i16"; readonly items: Int16Array }
  | { readonly itemType: "u32"; readonly items: Uint32Array }
  | { readonly itemType: "i32"; readonly items: Int32Array }
  | { readonly itemType: "f32"; readonly items: Float32Array }
  | { readonly itemType: "bool"; readonly items: boolean[] }
  | { readonly itemType: "string"; readonly items: string[] }
  | { readonly itemType: "u64"; readonly items: BigUint64Array }
  | { readonly itemType: "i64"; readonly items: BigInt64Array }
  | { readonly itemType: "f64"; readonly items: Float64Array }
  | { readonly itemType: "array"; readonly items: GgufArray[] };

export type GgufArray = { readonly type: "array" } & GgufArrayItems;

/** One metadata value, tagged with its GGUF type so it can be written back exactly. */
export type GgufValue =
  | { readonly type: "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "f32" | "f64"; readonly value: number }
  | { readonly type: "u64" | "i64"; readonly value: bigint }
  | { readonly type: "bool"; readonly value: boolean }
  | { readonly type: "string"; readonly value: string }
  | GgufArray;

export type GgufMetadata = ReadonlyMap<string, GgufValue>;

export interface GgufTensorInfo {
  readonly name: string;
  /** GGML order: `dims[0]` is the innermost (contiguous) dimension, e.g. `[cols, rows]` for a matrix. */
  readonly dims: readonly number[];
  readonly ggmlType: number;
  readonly format: WeightFormat;
  /** Offset from the start of the data section, as written in the file. */
  readonly offset: number;
  /** Offset from the start of the file. */
  readonly fileOffset: number;
  readonly byteLength: number;
}

export interface GgufHeader {
  readonly version: 2 | 3;
  readonly metadata: GgufMetadata;
  /** In file order. */
  readonly tensors: readonly GgufTensorInfo[];
  readonly alignment: number;
  /** Start of the data section in the file (aligned). */
  readonly dataOffset: number;
  /** File size in bytes. */
  readonly fileSize: number;
}
