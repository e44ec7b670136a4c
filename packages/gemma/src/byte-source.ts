/**
 * `ByteSource`: random access to a model file's bytes without holding the file in memory — its size, and a read of a
 * byte range. Implementations: bytes in memory (`bytesSource`, here), a URL (`urlSource`, sources/url.ts) and a Node
 * file (`fileSource`, `@gemma-edge/gemma/node`). Readers only ever ask for what they parse next, and stream tensor data
 * in bounded chunks, so a multi-GB file is never held twice in the JS heap.
 */
import { SourceError, TruncatedFileError } from "./errors.js";

export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /**
   * The `length` bytes at `offset`. The range is inside `[0, size)`; the result has exactly `length` bytes and may be a
   * view into memory the source keeps (do not write to it).
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional: the range `[offset, offset + length)` as a sequence of chunks, for sources where one sequential transfer
   * beats many reads (one HTTP request for all tensor data; a file read into one reused buffer). Chunks come in order
   * and cover the range exactly; a chunk is only valid until the next is asked for (copy what you keep).
   */
  stream?(offset: number, length: number, signal?: AbortSignal): AsyncIterable<Uint8Array>;
  /** Releases what the source holds open (a file handle). */
  close?(): Promise<void>;
}

/** Default chunk size of streamed reads: large enough to amortize a read, small enough to stay out of the way. */
export const DEFAULT_CHUNK_BYTES = 4 << 20;

/**
 * A source over bytes already in memory. Reads are views, not copies.
 * @example
 * const src = bytesSource(new Uint8Array([1, 2, 3]));
 * await src.read(1, 2); // Uint8Array [2, 3]
 */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
  };
}

/**
 * Reads `[offset, offset + length)` of `source`, checking the range first (a `TruncatedFileError` naming `what` if it
 * passes the end) and the source's answer after (a `SourceError` if it returned the wrong length).
 */
export async function readRange(source: ByteSource, offset: number, length: number, what: string): Promise<Uint8Array> {
  checkRange(source.size, offset, length, what);
  if (length === 0) return new Uint8Array(0);
  const bytes = await source.read(offset, length);
  if (bytes.length !== length) {
    throw new SourceError(`source returned ${bytes.length} bytes for ${what}; asked for ${length} at ${offset}`);
  }
  return bytes;
}

/** Throws a `TruncatedFileError` unless `[offset, offset + length)` lies inside a file of `size` bytes. */
export function checkRange(size: number, offset: number, length: number, what: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new TruncatedFileError(`${what}: invalid range ${offset} + ${length}`);
  }
  if (offset + length > size) {
    throw new TruncatedFileError(`${what} ends at byte ${offset + length}, past the end of the file (${size} bytes)`);
  }
}

/**
 * The range `[offset, offset + length)` as chunks of at most `chunkBytes` (or the source's own stream, if it has one),
 * checked to cover the range exactly. A chunk is only valid until the next is asked for.
 */
export async function* streamRange(
  source: ByteSource,
  offset: number,
  length: number,
  options: { chunkBytes?: number; signal?: AbortSignal; what?: string } = {},
): AsyncGenerator<Uint8Array> {
  const what = options.what ?? "stream";
  checkRange(source.size, offset, length, what);
  const chunkBytes = Math.max(1, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  if (source.stream) {
    let got = 0;
    for await (const chunk of source.stream(offset, length, options.signal)) {
      options.signal?.throwIfAborted();
      if (got + chunk.length > length) throw new SourceError(`${what}: source streamed more than ${length} bytes`);
      got += chunk.length;
      if (chunk.length > 0) yield chunk;
    }
    if (got !== length) throw new TruncatedFileError(`${what}: source ended after ${got} of ${length} bytes`);
    return;
  }
  for (let at = 0; at < length; at += chunkBytes) {
    options.signal?.throwIfAborted();
    yield await readRange(source, offset + at, Math.min(chunkBytes, length - at), what);
  }
}
