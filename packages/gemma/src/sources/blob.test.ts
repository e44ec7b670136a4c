import { describe, expect, it } from "vitest";
import { readGgufHeader } from "../gguf/reader.js";
import { loadModel } from "../model/gemma-model.js";
import { tinyGemmaGguf } from "../testing/tiny-model.js";
import { blobSource } from "./blob.js";

describe("blobSource", () => {
  const bytes = tinyGemmaGguf({ version: 2, format: "q8_0" }).bytes as Uint8Array<ArrayBuffer>;

  it("reads ranges and streams chunks of a Blob", async () => {
    const source = blobSource(new Blob([bytes]));
    expect(source.size).toBe(bytes.length);
    expect(await source.read(10, 20)).toEqual(bytes.subarray(10, 30));
    const chunks: Uint8Array[] = [];
    for await (const c of source.stream?.(3, bytes.length - 3) ?? []) chunks.push(c);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(bytes.subarray(3)));
    await expect(async () => {
      for await (const _ of source.stream?.(0, bytes.length, AbortSignal.abort()) ?? []);
    }).rejects.toThrow();
  });

  it("loads a model the way bytes do", async () => {
    const header = await readGgufHeader(blobSource(new Blob([bytes])));
    expect(header.metadata.get("general.architecture")).toBeDefined();
    const fromBlob = await loadModel(blobSource(new Blob([bytes])), { maxContext: 16 });
    const fromBytes = await loadModel(bytes, { maxContext: 16 });
    expect(await fromBlob.score([2, 40, 41], [5, 6])).toEqual(await fromBytes.score([2, 40, 41], [5, 6]));
    fromBlob.dispose();
    fromBytes.dispose();
  });
});
