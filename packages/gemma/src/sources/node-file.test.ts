import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomValues } from "@gemma-edge/kernels-wasm";
import { afterAll, describe, expect, it } from "vitest";
import { SourceError } from "../errors.js";
import { readGgufHeader } from "../gguf/reader.js";
import { readGgufTensor } from "../gguf/tensors.js";
import { encodeTensor, gguf, writeGguf } from "../gguf/writer.js";
import { fileSource } from "./node-file.js";

const dir = await mkdtemp(join(tmpdir(), "gemma-file-source-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("fileSource", () => {
  it("reads a GGUF file from disk in ranges", async () => {
    const data = encodeTensor("f16", randomValues(64, 1), [64]);
    const bytes = writeGguf({
      metadata: { "general.name": gguf.string("t") },
      tensors: [{ name: "w", dims: [64], format: "f16", data }],
    });
    const path = join(dir, "t.gguf");
    await writeFile(path, bytes);
    const src = await fileSource(path);
    expect(src.size).toBe(bytes.length);
    expect(await src.read(3, 9)).toEqual(bytes.subarray(3, 12));
    const header = await readGgufHeader(src, { chunkBytes: 8 });
    const [w] = header.tensors;
    if (w === undefined) throw new Error("no tensor");
    expect(await readGgufTensor(src, w)).toEqual(data);
    await src.close();
    await expect(src.read(0, 4)).rejects.toThrow(SourceError);
  });

  it("streams a range through one reused buffer, exactly, and fails typed on a shrunk file, an abort or a close", async () => {
    const bytes = new Uint8Array(9 << 20);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 27;
    const path = join(dir, "big.bin");
    await writeFile(path, bytes);
    const src = await fileSource(path);
    const stream = src.stream;
    if (!stream) throw new Error("fileSource has no stream");
    const from = 12345;
    const length = bytes.length - from - 7;
    const copies: Uint8Array[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const chunk of stream(from, length)) {
      copies.push(chunk.slice());
      buffers.add(chunk.buffer);
    }
    expect(copies.map((c) => c.length)).toEqual([4 << 20, 4 << 20, length - (8 << 20)]);
    expect(buffers.size).toBe(1); // valid until the next chunk is asked for, as ByteSource.stream says
    // (Buffer.compare: toEqual walks 9 MB for a minute)
    expect(Buffer.compare(Buffer.concat(copies), bytes.subarray(from, from + length))).toBe(0);

    const chunks = (...args: Parameters<typeof stream>) => stream(...args)[Symbol.asyncIterator]();
    await expect(chunks(0, 16, AbortSignal.abort()).next()).rejects.toThrow(/abort/i);
    await truncate(path, 5 << 20);
    const shrunk = chunks(0, length);
    await shrunk.next();
    await expect(shrunk.next()).rejects.toThrow(/shrank/);
    await src.close();
    await expect(chunks(0, 16).next()).rejects.toThrow(SourceError);
  });

  it("gives a typed error for a missing file", async () => {
    await expect(fileSource(join(dir, "missing.gguf"))).rejects.toThrow(SourceError);
  });
});
