import { describe, expect, it } from "vitest";
import { type ByteSource, bytesSource, readRange, streamRange } from "./byte-source.js";
import { SourceError, TruncatedFileError } from "./errors.js";

const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);

async function all(it: AsyncIterable<Uint8Array>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const c of it) out.push([...c]);
  return out;
}

describe("byte sources", () => {
  it("bytesSource reads views of its bytes", async () => {
    const src = bytesSource(bytes);
    const r = await src.read(10, 3);
    expect([...r]).toEqual([10, 11, 12]);
    expect(r.buffer).toBe(bytes.buffer);
  });

  it("readRange checks the range before reading and the length after", async () => {
    const src = bytesSource(bytes);
    await expect(readRange(src, 98, 3, "field")).rejects.toThrow(/field ends at byte 101/);
    await expect(readRange(src, -1, 3, "field")).rejects.toThrow(TruncatedFileError);
    await expect(readRange(src, 2 ** 60, 1, "field")).rejects.toThrow(TruncatedFileError);
    const liar: ByteSource = { size: 100, read: async () => new Uint8Array(1) };
    await expect(readRange(liar, 0, 4, "field")).rejects.toThrow(SourceError);
  });

  it("streamRange cuts a range in chunks, or checks a source's own stream", async () => {
    expect(await all(streamRange(bytesSource(bytes), 95, 5, { chunkBytes: 2 }))).toEqual([[95, 96], [97, 98], [99]]);
    const tooMuch: ByteSource = {
      size: 100,
      read: async () => new Uint8Array(0),
      async *stream() {
        yield new Uint8Array(10);
      },
    };
    await expect(all(streamRange(tooMuch, 0, 5))).rejects.toThrow(/more than 5 bytes/);
    await expect(all(streamRange(bytesSource(bytes), 90, 20))).rejects.toThrow(TruncatedFileError);
  });
});
