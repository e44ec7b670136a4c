/**
 * Test helpers: hand-built little-endian bytes for corrupt files the writers would never produce, and a byte source
 * that records what was read.
 */
import type { ByteSource } from "../src/byte-source.js";

const enc = new TextEncoder();

export const u8 = (v: number) => Uint8Array.of(v);
export function u32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
}
export function u64(v: number | bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
  return b;
}
export const str = (s: string | Uint8Array) => {
  const b = typeof s === "string" ? enc.encode(s) : s;
  return concat(u64(b.length), b);
};
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export interface RawTensor {
  name: string | Uint8Array;
  dims: Array<number | bigint>;
  type: number;
  offset: number | bigint;
}

/** A GGUF file from parts: raw kv bytes (key + type + value each), tensor infos, then `dataBytes` of data. */
export function rawGguf(opts: {
  magic?: number;
  version?: number;
  tensorCount?: number | bigint;
  kvCount?: number | bigint;
  kvs?: Uint8Array[];
  tensors?: RawTensor[];
  dataBytes?: number;
  alignment?: number;
}): Uint8Array {
  const kvs = opts.kvs ?? [];
  const tensors = opts.tensors ?? [];
  const head = concat(
    u32(opts.magic ?? 0x46554747),
    u32(opts.version ?? 3),
    u64(opts.tensorCount ?? tensors.length),
    u64(opts.kvCount ?? kvs.length),
    ...kvs,
    ...tensors.map((t) => concat(str(t.name), u32(t.dims.length), ...t.dims.map(u64), u32(t.type), u64(t.offset))),
  );
  const a = opts.alignment ?? 32;
  const pad = (a - (head.length % a)) % a;
  return concat(head, new Uint8Array(pad + (opts.dataBytes ?? 0)));
}

/** A kv pair: key, type id, value bytes. */
export const kv = (key: string | Uint8Array, type: number, value: Uint8Array) => concat(str(key), u32(type), value);

/** Wraps a source and records every read as [offset, length]. */
export function recording(source: ByteSource): ByteSource & { reads: Array<[number, number]> } {
  const reads: Array<[number, number]> = [];
  return {
    size: source.size,
    reads,
    read(offset, length) {
      reads.push([offset, length]);
      return source.read(offset, length);
    },
  };
}
