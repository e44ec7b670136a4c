/**
 * GGUF header reader (versions 2 and 3): magic, version, counts, metadata, tensor infos and the data section's start,
 * parsed incrementally from a `ByteSource` (only the header's bytes are read) and validated before anything is
 * allocated from its counts: every count must fit in the bytes left, every tensor must have ≤ 4 dims, a type the
 * kernels read, whole blocks, an aligned offset, bytes inside the file and no overlap with another tensor.
 */
import { FORMATS, formatOfGgmlType } from "@gemma-edge/kernels-wasm";
import { type ByteSource, bytesSource } from "../byte-source.js";
import {
  BadMagicError,
  InvalidMetadataError,
  InvalidTensorError,
  TruncatedFileError,
  UnsupportedTensorTypeError,
  UnsupportedVersionError,
} from "../errors.js";
import { Cursor, type CursorOptions } from "./cursor.js";
import { checkCountFits, type MetadataLimits, readTypedValue } from "./metadata.js";
import {
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GGUF_MAX_DIMS,
  type GgufHeader,
  type GgufTensorInfo,
  type GgufValue,
} from "./types.js";

export interface GgufReadOptions extends CursorOptions, MetadataLimits {}

/** Least bytes of one kv pair (empty key, type, a one-byte value) and one tensor info (empty name, 0 dims). */
const MIN_KV_BYTES = 8 + 4 + 1;
const MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8;

/**
 * Parses a GGUF file's header.
 * @example
 * const header = await readGgufHeader(bytesSource(fileBytes));
 * header.tensors.map((t) => `${t.name} ${t.format} [${t.dims}]`);
 */
export async function readGgufHeader(
  source: ByteSource | Uint8Array,
  options: GgufReadOptions = {},
): Promise<GgufHeader> {
  const src = source instanceof Uint8Array ? bytesSource(source) : source;
  const cursor = new Cursor(src, options);
  if (src.size < 4) throw new TruncatedFileError(`${src.size} bytes is too short for a GGUF file`);
  const magic = await cursor.u32("magic");
  if (magic !== GGUF_MAGIC)
    throw new BadMagicError(`not a GGUF file: magic is 0x${magic.toString(16).padStart(8, "0")}`);
  const version = await cursor.u32("version");
  if (version !== 2 && version !== 3)
    throw new UnsupportedVersionError(`GGUF version ${version}; this reader reads 2 and 3`);
  const tensorCount = checkCountFits(
    await cursor.u64("tensor count"),
    MIN_TENSOR_INFO_BYTES,
    cursor.remaining - 8,
    "tensor count",
  );
  const kvCount = checkCountFits(await cursor.u64("kv count"), MIN_KV_BYTES, cursor.remaining, "kv count");

  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = await cursor.string(`key of kv ${i}`, 1 << 16);
    if (metadata.has(key)) throw new InvalidMetadataError(`metadata key ${key} appears twice`);
    metadata.set(key, await readTypedValue(cursor, key, options));
  }
  const alignment = alignmentOf(metadata.get("general.alignment"));

  const infos: Array<Omit<GgufTensorInfo, "fileOffset">> = [];
  const names = new Set<string>();
  checkCountFits(BigInt(tensorCount), MIN_TENSOR_INFO_BYTES, cursor.remaining, "tensor count");
  for (let i = 0; i < tensorCount; i++) {
    const info = await readTensorInfo(cursor, i, src.size);
    if (names.has(info.name)) throw new InvalidTensorError(`tensor ${info.name} appears twice`, info.name);
    names.add(info.name);
    if (info.offset % alignment !== 0) {
      throw new InvalidTensorError(
        `tensor ${info.name} offset ${info.offset} is not a multiple of ${alignment}`,
        info.name,
      );
    }
    infos.push(info);
  }
  cursor.align(alignment);
  const dataOffset = cursor.position;
  if (dataOffset > src.size && tensorCount > 0) {
    throw new TruncatedFileError(`data section starts at ${dataOffset}, past the end of the file (${src.size} bytes)`);
  }
  const tensors = infos.map((t) => ({ ...t, fileOffset: dataOffset + t.offset }));
  checkPlacement(tensors, src.size);
  return { version: version as 2 | 3, metadata, tensors, alignment, dataOffset, fileSize: src.size };
}

function alignmentOf(value: GgufValue | undefined): number {
  if (value === undefined) return GGUF_DEFAULT_ALIGNMENT;
  if (value.type !== "u32") throw new InvalidMetadataError(`general.alignment must be a u32; it is a ${value.type}`);
  const a = value.value;
  if (a === 0 || (a & (a - 1)) !== 0) throw new InvalidMetadataError(`general.alignment ${a} is not a power of two`);
  return a;
}

async function readTensorInfo(
  cursor: Cursor,
  index: number,
  fileSize: number,
): Promise<Omit<GgufTensorInfo, "fileOffset">> {
  const name = await cursor.string(`name of tensor ${index}`, 1 << 16);
  const nDims = await cursor.u32(`rank of ${name}`);
  if (nDims > GGUF_MAX_DIMS) throw new InvalidTensorError(`tensor ${name} has ${nDims} dims; at most 4`, name);
  const dims: bigint[] = [];
  for (let d = 0; d < nDims; d++) dims.push(await cursor.u64(`dim ${d} of ${name}`));
  const ggmlType = await cursor.u32(`type of ${name}`);
  const offset = await cursor.u64(`offset of ${name}`);
  const format = formatOfGgmlType(ggmlType);
  if (format === undefined) {
    throw new UnsupportedTensorTypeError(
      `tensor ${name} has GGML type ${ggmlType}, which the kernels do not read`,
      name,
      ggmlType,
    );
  }
  const { blockSize, blockBytes } = FORMATS[format];
  // Products in bigint: a u64 dim cannot overflow them, and we compare against the file before any Number.
  const elements = dims.reduce((a, b) => a * b, 1n);
  if (nDims > 0 && (dims[0] ?? 0n) % BigInt(blockSize) !== 0n) {
    throw new InvalidTensorError(
      `tensor ${name}: dim 0 (${dims[0]}) is not a multiple of ${format}'s block of ${blockSize}`,
      name,
    );
  }
  const bytes = (elements / BigInt(blockSize)) * BigInt(blockBytes);
  if (bytes > BigInt(fileSize)) {
    throw new InvalidTensorError(
      `tensor ${name} [${dims.join(", ")}] ${format} is ${bytes} bytes, more than the whole file (${fileSize})`,
      name,
    );
  }
  if (offset > BigInt(fileSize)) {
    throw new TruncatedFileError(
      `tensor ${name} starts at data offset ${offset}, past the end of the file (${fileSize} bytes)`,
    );
  }
  return { name, dims: dims.map(Number), ggmlType, format, offset: Number(offset), byteLength: Number(bytes) };
}

function checkPlacement(tensors: readonly GgufTensorInfo[], fileSize: number): void {
  const sorted = [...tensors].sort((a, b) => a.fileOffset - b.fileOffset);
  let end = 0;
  let last = "";
  for (const t of sorted) {
    if (t.fileOffset + t.byteLength > fileSize) {
      throw new TruncatedFileError(
        `tensor ${t.name} ends at byte ${t.fileOffset + t.byteLength}, past the end of the file (${fileSize} bytes)`,
      );
    }
    if (t.byteLength > 0 && t.fileOffset < end) {
      throw new InvalidTensorError(`tensor ${t.name} overlaps tensor ${last}`, t.name);
    }
    if (t.byteLength > 0) {
      end = t.fileOffset + t.byteLength;
      last = t.name;
    }
  }
}
