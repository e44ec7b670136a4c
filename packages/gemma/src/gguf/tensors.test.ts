import { randomValues } from "@gemma-edge/kernels-wasm";
import { describe, expect, it } from "vitest";
import { recording } from "../../test/bytes.js";
import { type ByteSource, bytesSource } from "../byte-source.js";
import { InvalidTensorError, TruncatedFileError } from "../errors.js";
import type { StreamProgress } from "../tensor-stream.js";
import { readGgufHeader } from "./reader.js";
import { ggufTensor, readGgufTensor, streamGgufTensors } from "./tensors.js";
import { encodeTensor, type GgufTensorInput, writeGguf } from "./writer.js";

const tensors: GgufTensorInput[] = [
  { name: "a", dims: [5], format: "f32", data: encodeTensor("f32", randomValues(5, 1), [5]) },
  { name: "b", dims: [64, 3], format: "q4_0", data: encodeTensor("q4_0", randomValues(192, 2), [64, 3]) },
  { name: "c", dims: [7, 3], format: "bf16", data: encodeTensor("bf16", randomValues(21, 3), [7, 3]) },
  { name: "d", dims: [32], format: "q8_0", data: encodeTensor("q8_0", randomValues(32, 4), [32]) },
];
const file = writeGguf({ metadata: {}, tensors });

async function collect(source: ByteSource, options: Parameters<typeof streamGgufTensors>[3] = {}) {
  const header = await readGgufHeader(source);
  const got = new Map<string, Uint8Array>();
  const calls: Array<[string, number, number]> = [];
  await streamGgufTensors(
    source,
    header,
    (t, chunk, at) => {
      calls.push([t.name, at, chunk.length]);
      const buf = got.get(t.name) ?? new Uint8Array(t.byteLength);
      buf.set(chunk, at); // the chunk is a view: copy it
      got.set(t.name, buf);
    },
    options,
  );
  return { got, calls };
}

describe("streamGgufTensors", () => {
  it.each([1, 7, 64, 1 << 20])("delivers every tensor's exact bytes in chunks of %i", async (chunkBytes) => {
    const { got, calls } = await collect(bytesSource(file), { chunkBytes });
    for (const t of tensors) expect(got.get(t.name), t.name).toEqual(t.data);
    for (const [, , length] of calls) expect(length).toBeLessThanOrEqual(chunkBytes);
    expect(calls.map(([n]) => n).filter((n, i, all) => all[i - 1] !== n)).toEqual(["a", "b", "c", "d"]);
  });

  it("reads only the selected tensors, in runs, and reports progress", async () => {
    const src = recording(bytesSource(file));
    const header = await readGgufHeader(file);
    const progress: StreamProgress[] = [];
    const { got } = await collect(src, { filter: (t) => t.name !== "b", onProgress: (p) => progress.push(p) });
    expect([...got.keys()]).toEqual(["a", "c", "d"]);
    const b = ggufTensor(header, "b");
    for (const [o, l] of src.reads.filter(([o]) => o >= header.dataOffset)) {
      expect(o + l <= b.fileOffset || o >= b.fileOffset + b.byteLength).toBe(true);
    }
    const total = 20 + 42 + 34;
    expect(progress.at(-1)).toEqual({ status: "done", loaded: total, total });
    expect(progress.filter((p) => p.status === "progress").every((p) => p.loaded <= total)).toBe(true);
  });

  it("uses a source's own stream, and fails typed when it ends early", async () => {
    const base = bytesSource(file);
    let streams = 0;
    const streaming: ByteSource = {
      ...base,
      async *stream(offset, length) {
        streams++;
        for (let at = 0; at < length; at += 10) yield file.slice(offset + at, offset + Math.min(length, at + 10));
      },
    };
    const { got } = await collect(streaming);
    expect(streams).toBe(1);
    for (const t of tensors) expect(got.get(t.name)).toEqual(t.data);
    const short: ByteSource = {
      ...base,
      async *stream(offset) {
        yield file.slice(offset, offset + 10);
      },
    };
    await expect(collect(short)).rejects.toThrow(TruncatedFileError);
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    const header = await readGgufHeader(file);
    const run = streamGgufTensors(bytesSource(file), header, () => controller.abort(), {
      chunkBytes: 8,
      signal: controller.signal,
    });
    await expect(run).rejects.toThrow(/abort/i);
  });
});

describe("readGgufTensor", () => {
  it("reads a tensor or a range of it, and refuses ranges outside it", async () => {
    const header = await readGgufHeader(file);
    const src = bytesSource(file);
    const c = ggufTensor(header, "c");
    expect(await readGgufTensor(src, c)).toEqual(tensors[2]?.data);
    expect(await readGgufTensor(src, c, 4, 6)).toEqual((tensors[2]?.data as Uint8Array | undefined)?.subarray(4, 10));
    await expect(readGgufTensor(src, c, 40, 10)).rejects.toThrow(InvalidTensorError);
    expect(() => ggufTensor(header, "nope")).toThrow(/no tensor nope/);
  });
});
