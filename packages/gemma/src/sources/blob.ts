/**
 * A `ByteSource` over a `Blob` (a browser `File`, a Cache API response's blob, OPFS files): reads slice the blob, so a
 * multi-GB model stays where the browser keeps it (often on disk) instead of in the JS heap.
 */
import { type ByteSource, DEFAULT_CHUNK_BYTES } from "../byte-source.js";

export function blobSource(blob: Blob): ByteSource {
  const read = async (offset: number, length: number) =>
    new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
  return {
    size: blob.size,
    read,
    async *stream(offset, length, signal) {
      for (let at = offset; at < offset + length; at += DEFAULT_CHUNK_BYTES) {
        signal?.throwIfAborted();
        yield await read(at, Math.min(DEFAULT_CHUNK_BYTES, offset + length - at));
      }
    },
  };
}
