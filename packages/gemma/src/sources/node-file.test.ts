import { mkdtemp, rm, writeFile } from "node:fs/promises";
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

  it("gives a typed error for a missing file", async () => {
    await expect(fileSource(join(dir, "missing.gguf"))).rejects.toThrow(SourceError);
  });
});
