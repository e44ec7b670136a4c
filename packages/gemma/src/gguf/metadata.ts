/**
 * GGUF metadata: reading one typed value (nested arrays included) from a `Cursor`, with every count checked against
 * the bytes the file has left before anything is allocated; and typed accessors for parsed metadata.
 */
import { ConfigError, InvalidMetadataError, LimitExceededError } from "../errors.js";
import type { Cursor } from "./cursor.js";
import {
  GGUF_FIXED_BYTES,
  type GgufArray,
  type GgufMetadata,
  type GgufValue,
  type GgufValueType,
  ggufTypeOfId,
  minValueBytes,
} from "./types.js";

/** Arrays nested deeper than this are refused (GGUF writers nest at most once in practice). */
export const MAX_ARRAY_DEPTH = 8;

export interface MetadataLimits {
  /** Longest string value. @default 64 MiB */
  maxStringBytes?: number;
}

async function readTypeId(cursor: Cursor, what: string): Promise<GgufValueType> {
  const id = await cursor.u32(`type of ${what}`);
  const type = ggufTypeOfId(id);
  if (type === undefined) throw new InvalidMetadataError(`${what} has unknown value type ${id}`);
  return type;
}

/** Reads a value type id and then the value. */
export async function readTypedValue(cursor: Cursor, what: string, limits: MetadataLimits = {}): Promise<GgufValue> {
  return readValue(cursor, await readTypeId(cursor, what), what, limits, 0);
}

async function readValue(
  cursor: Cursor,
  type: GgufValueType,
  what: string,
  limits: MetadataLimits,
  depth: number,
): Promise<GgufValue> {
  if (type === "array") return readArray(cursor, what, limits, depth + 1);
  if (type === "string") return { type, value: await cursor.string(what, limits.maxStringBytes ?? 64 << 20) };
  const b = await cursor.bytes(GGUF_FIXED_BYTES[type], what);
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  switch (type) {
    case "u8":
      return { type, value: v.getUint8(0) };
    case "i8":
      return { type, value: v.getInt8(0) };
    case "u16":
      return { type, value: v.getUint16(0, true) };
    case "i16":
      return { type, value: v.getInt16(0, true) };
    case "u32":
      return { type, value: v.getUint32(0, true) };
    case "i32":
      return { type, value: v.getInt32(0, true) };
    case "f32":
      return { type, value: v.getFloat32(0, true) };
    case "f64":
      return { type, value: v.getFloat64(0, true) };
    case "u64":
      return { type, value: v.getBigUint64(0, true) };
    case "i64":
      return { type, value: v.getBigInt64(0, true) };
    case "bool":
      return { type, value: readBool(v.getUint8(0), what) };
  }
}

function readBool(byte: number, what: string): boolean {
  if (byte > 1) throw new InvalidMetadataError(`${what} is a bool holding ${byte} (must be 0 or 1)`);
  return byte === 1;
}

async function readArray(cursor: Cursor, what: string, limits: MetadataLimits, depth: number): Promise<GgufArray> {
  if (depth > MAX_ARRAY_DEPTH) throw new InvalidMetadataError(`${what} nests arrays deeper than ${MAX_ARRAY_DEPTH}`);
  const itemType = await readTypeId(cursor, `items of ${what}`);
  const per = minValueBytes(itemType);
  const count = await cursor.u64Bounded(`length of ${what}`, Math.floor((cursor.remaining - 8) / per));
  if (itemType === "string") {
    const items = await cursor.strings(count, limits.maxStringBytes ?? 64 << 20, (i) => `${what}[${i}]`);
    return { type: "array", itemType, items };
  }
  if (itemType === "array" || itemType === "bool") {
    const items: GgufValue[] = [];
    for (let i = 0; i < count; i++) items.push(await readValue(cursor, itemType, `${what}[${i}]`, limits, depth));
    return packArray(itemType, items);
  }
  // Fixed-size items: one read, then a copy into an aligned typed array of the right kind.
  const raw = await cursor.bytes(count * per, what);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const Ctor = TYPED[itemType];
  const items = new Ctor(count);
  for (let i = 0; i < count; i++) items[i] = GET[itemType](view, i * per);
  return { type: "array", itemType, items } as GgufArray;
}

function packArray(itemType: "array" | "bool", values: GgufValue[]): GgufArray {
  const items = values.map((v) => (v.type === "array" ? v : v.value));
  return { type: "array", itemType, items } as GgufArray;
}

type FixedType = Exclude<GgufValueType, "string" | "array" | "bool">;
type TypedCtor = new (n: number) => { [i: number]: number | bigint; length: number };

const TYPED: Record<FixedType, TypedCtor> = {
  u8: Uint8Array,
  i8: Int8Array,
  u16: Uint16Array,
  i16: Int16Array,
  u32: Uint32Array,
  i32: Int32Array,
  f32: Float32Array,
  u64: BigUint64Array,
  i64: BigInt64Array,
  f64: Float64Array,
};

const GET: Record<FixedType, (v: DataView, at: number) => number | bigint> = {
  u8: (v, at) => v.getUint8(at),
  i8: (v, at) => v.getInt8(at),
  u16: (v, at) => v.getUint16(at, true),
  i16: (v, at) => v.getInt16(at, true),
  u32: (v, at) => v.getUint32(at, true),
  i32: (v, at) => v.getInt32(at, true),
  f32: (v, at) => v.getFloat32(at, true),
  u64: (v, at) => v.getBigUint64(at, true),
  i64: (v, at) => v.getBigInt64(at, true),
  f64: (v, at) => v.getFloat64(at, true),
};

/** The value of `key` as a number (any numeric type; a 64-bit integer must be a safe integer), or undefined. */
export function metaNumber(meta: GgufMetadata, key: string): number | undefined {
  const v = meta.get(key);
  if (v === undefined) return undefined;
  if (v.type === "u64" || v.type === "i64") {
    if (v.value > BigInt(Number.MAX_SAFE_INTEGER) || v.value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new ConfigError(`${key} is ${v.value}, out of the exact range of a JS number`, key);
    }
    return Number(v.value);
  }
  if (v.type !== "array" && typeof v.value === "number") return v.value;
  throw new ConfigError(`${key} must be a number; it is a ${v.type}`, key);
}

/** The value of `key` as a string, or undefined. */
export function metaString(meta: GgufMetadata, key: string): string | undefined {
  const v = meta.get(key);
  if (v === undefined) return undefined;
  if (v.type !== "string") throw new ConfigError(`${key} must be a string; it is a ${v.type}`, key);
  return v.value;
}

/** The value of `key` as an array, or undefined. */
export function metaArray(meta: GgufMetadata, key: string): GgufArray | undefined {
  const v = meta.get(key);
  if (v === undefined) return undefined;
  if (v.type !== "array") throw new ConfigError(`${key} must be an array; it is a ${v.type}`, key);
  return v;
}

/** Throws a `LimitExceededError` when `count` items of at least `per` bytes cannot fit in `remaining` bytes. */
export function checkCountFits(count: bigint, per: number, remaining: number, what: string): number {
  if (count * BigInt(per) > BigInt(Math.max(0, remaining))) {
    throw new LimitExceededError(`${what} is ${count}; at ${per}+ bytes each they cannot fit in ${remaining} bytes`);
  }
  return Number(count);
}
