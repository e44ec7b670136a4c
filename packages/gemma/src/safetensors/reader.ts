/**
 * safetensors reader: an 8-byte little-endian header length (bounded before it is read), a UTF-8 JSON header of
 * `name → { dtype, shape, data_offsets }` (plus an ignored-but-kept `__metadata__`), then the data. Every entry is
 * checked: dtype F32/F16/BF16 (others are an `UnsupportedTensorTypeError`), shape of non-negative integers, offsets in
 * range, byte length = elements × dtype size, no two tensors overlapping. Works over any `ByteSource`.
 */
import type { WeightFormat } from "@gemma-edge/kernels-wasm";
import { type ByteSource, bytesSource, readRange } from "../byte-source.js";
import {
  InvalidHeaderError,
  InvalidStringError,
  InvalidTensorError,
  LimitExceededError,
  TruncatedFileError,
  UnsupportedTensorTypeError,
} from "../errors.js";

/** The dtypes the kernels read, with their formats and sizes. */
export const SAFETENSORS_DTYPES = {
  F32: { format: "f32", bytes: 4 },
  F16: { format: "f16", bytes: 2 },
  BF16: { format: "bf16", bytes: 2 },
} as const satisfies Record<string, { format: WeightFormat; bytes: number }>;
export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPES;

export interface SafetensorsTensorInfo {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly format: WeightFormat;
  /** Row-major, outermost first (PyTorch order): `[rows, cols]` for a matrix. */
  readonly shape: readonly number[];
  readonly fileOffset: number;
  readonly byteLength: number;
}

export interface SafetensorsHeader {
  /** In header order. */
  readonly tensors: readonly SafetensorsTensorInfo[];
  readonly metadata: Readonly<Record<string, string>>;
  /** Start of the data section (8 + header length). */
  readonly dataOffset: number;
  readonly fileSize: number;
}

export interface SafetensorsReadOptions {
  /** Largest header accepted (the reference implementation's limit). @default 100 MB */
  maxHeaderBytes?: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }); // keep a leading U+FEFF: eight Gemma tokens start with one

/**
 * Parses a safetensors file's header (reads 8 bytes, then the header, nothing else).
 * @example
 * const { tensors } = await readSafetensorsHeader(await fileSource("model.safetensors"));
 */
export async function readSafetensorsHeader(
  source: ByteSource | Uint8Array,
  options: SafetensorsReadOptions = {},
): Promise<SafetensorsHeader> {
  const src = source instanceof Uint8Array ? bytesSource(source) : source;
  const lenBytes = await readRange(src, 0, 8, "safetensors header length");
  const n = new DataView(lenBytes.buffer, lenBytes.byteOffset, 8).getBigUint64(0, true);
  const max = options.maxHeaderBytes ?? 100_000_000;
  if (n > BigInt(max)) throw new LimitExceededError(`safetensors header is ${n} bytes; the limit is ${max}`);
  if (n > BigInt(src.size - 8))
    throw new TruncatedFileError(`safetensors header of ${n} bytes passes the end of the file (${src.size} bytes)`);
  const dataOffset = 8 + Number(n);
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(await readRange(src, 8, Number(n), "safetensors header")));
  } catch (e) {
    if (e instanceof TypeError) throw new InvalidStringError("safetensors header is not valid UTF-8");
    throw new InvalidHeaderError(`safetensors header is not JSON: ${(e as Error).message}`);
  }
  if (!isObject(json)) throw new InvalidHeaderError("safetensors header must be a JSON object");
  const tensors: SafetensorsTensorInfo[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(json)) {
    if (name === "__metadata__") {
      metadata = readMetadata(entry);
      continue;
    }
    tensors.push(readEntry(name, entry, dataOffset, src.size));
  }
  const sorted = [...tensors].sort((a, b) => a.fileOffset - b.fileOffset);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as SafetensorsTensorInfo;
    const t = sorted[i] as SafetensorsTensorInfo;
    if (t.byteLength > 0 && prev.byteLength > 0 && t.fileOffset < prev.fileOffset + prev.byteLength) {
      throw new InvalidTensorError(`tensor ${t.name} overlaps tensor ${prev.name}`, t.name);
    }
  }
  return { tensors, metadata, dataOffset, fileSize: src.size };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function readMetadata(entry: unknown): Record<string, string> {
  if (!isObject(entry) || !Object.values(entry).every((v) => typeof v === "string")) {
    throw new InvalidHeaderError("safetensors __metadata__ must map strings to strings");
  }
  return entry as Record<string, string>;
}

function readEntry(name: string, entry: unknown, dataOffset: number, fileSize: number): SafetensorsTensorInfo {
  if (!isObject(entry)) throw new InvalidTensorError(`tensor ${name}: entry must be an object`, name);
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== "string") throw new InvalidTensorError(`tensor ${name}: dtype must be a string`, name);
  if (!(dtype in SAFETENSORS_DTYPES)) {
    throw new UnsupportedTensorTypeError(
      `tensor ${name} has dtype ${dtype}; the loader reads F32, F16 and BF16`,
      name,
      dtype,
    );
  }
  const info = SAFETENSORS_DTYPES[dtype as SafetensorsDtype];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new InvalidTensorError(`tensor ${name}: shape must be an array of non-negative integers`, name);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw new InvalidTensorError(`tensor ${name}: data_offsets must be two non-negative integers`, name);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin)
    throw new InvalidTensorError(`tensor ${name}: data_offsets [${begin}, ${end}] end before they begin`, name);
  const bytes = (shape as number[]).reduce((a, d) => a * BigInt(d), 1n) * BigInt(info.bytes);
  if (bytes !== BigInt(end - begin)) {
    throw new InvalidTensorError(
      `tensor ${name}: shape [${shape}] ${dtype} is ${bytes} bytes but data_offsets span ${end - begin}`,
      name,
    );
  }
  if (dataOffset + end > fileSize) {
    throw new TruncatedFileError(
      `tensor ${name} ends at byte ${dataOffset + end}, past the end of the file (${fileSize} bytes)`,
    );
  }
  return {
    name,
    dtype: dtype as SafetensorsDtype,
    format: info.format,
    shape: shape as number[],
    fileOffset: dataOffset + begin,
    byteLength: end - begin,
  };
}
