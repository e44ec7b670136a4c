import { randomValues, reference } from "@gemma-edge/kernels-wasm";
import { describe, expect, it } from "vitest";
import { concat, recording, u64 } from "../../test/bytes.js";
import { bytesSource, readRange } from "../byte-source.js";
import {
  InvalidHeaderError,
  InvalidStringError,
  InvalidTensorError,
  LimitExceededError,
  ModelFileError,
  TruncatedFileError,
  UnsupportedTensorTypeError,
} from "../errors.js";
import { streamTensorData } from "../tensor-stream.js";
import { writeSafetensors } from "../testing/safetensors-writer.js";
import { readSafetensorsHeader } from "./reader.js";

/** A safetensors file from a header object and `dataBytes` of data. */
function raw(header: unknown, dataBytes = 0): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  return concat(u64(json.length), json, new Uint8Array(dataBytes));
}

describe("readSafetensorsHeader", () => {
  it("reads what the writer wrote: names, dtypes, shapes, offsets and values", async () => {
    const values = randomValues(6, 3);
    const bytes = writeSafetensors(
      [
        { name: "model.embed_tokens.weight", dtype: "BF16", shape: [3, 2], data: values },
        { name: "model.norm.weight", dtype: "F32", shape: [6], data: values },
        { name: "model.layers.0.mlp.up_proj.weight", dtype: "F16", shape: [2, 3], data: values },
        { name: "empty", dtype: "F32", shape: [0, 4], data: new Uint8Array(0) },
      ],
      { format: "pt" },
    );
    const src = recording(bytesSource(bytes));
    const header = await readSafetensorsHeader(src);
    expect(src.reads).toEqual([
      [0, 8],
      [8, header.dataOffset - 8],
    ]);
    expect(header.dataOffset % 8).toBe(0);
    expect(header.metadata).toEqual({ format: "pt" });
    expect(header.tensors.map((t) => [t.name, t.dtype, t.format, t.shape])).toEqual([
      ["model.embed_tokens.weight", "BF16", "bf16", [3, 2]],
      ["model.norm.weight", "F32", "f32", [6]],
      ["model.layers.0.mlp.up_proj.weight", "F16", "f16", [2, 3]],
      ["empty", "F32", "f32", [0, 4]],
    ]);
    const [emb, norm] = header.tensors;
    if (emb === undefined || norm === undefined) throw new Error("missing tensors");
    expect(new Float32Array((await readRange(src, norm.fileOffset, norm.byteLength, "norm")).slice().buffer)).toEqual(
      values,
    );
    const bf = reference.dequantize("bf16", await readRange(src, emb.fileOffset, emb.byteLength, "emb"), 0, 6);
    for (let i = 0; i < 6; i++) expect(Math.abs((bf[i] ?? 0) - (values[i] ?? 0))).toBeLessThan(0.01);

    const streamed = new Map<string, number>();
    await streamTensorData(
      src,
      header.tensors,
      (t, chunk) => void streamed.set(t.name, (streamed.get(t.name) ?? 0) + chunk.length),
      { chunkBytes: 5 },
    );
    expect(Object.fromEntries(streamed)).toEqual({
      "model.embed_tokens.weight": 12,
      "model.norm.weight": 24,
      "model.layers.0.mlp.up_proj.weight": 12,
    });
  });

  it("rejects header lengths past the file or the limit, before reading them", async () => {
    await expect(readSafetensorsHeader(new Uint8Array(5))).rejects.toThrow(TruncatedFileError);
    await expect(readSafetensorsHeader(concat(u64(2n ** 63n), new Uint8Array(16)))).rejects.toThrow(LimitExceededError);
    await expect(readSafetensorsHeader(concat(u64(1000), new Uint8Array(16)))).rejects.toThrow(TruncatedFileError);
    const big = raw({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, 4);
    await expect(readSafetensorsHeader(big, { maxHeaderBytes: 10 })).rejects.toThrow(LimitExceededError);
  });

  it("rejects headers that are not UTF-8 JSON objects", async () => {
    await expect(readSafetensorsHeader(concat(u64(3), Uint8Array.of(0x7b, 0xff, 0x7d)))).rejects.toThrow(
      InvalidStringError,
    );
    await expect(readSafetensorsHeader(concat(u64(3), new TextEncoder().encode("{x}")))).rejects.toThrow(
      InvalidHeaderError,
    );
    await expect(readSafetensorsHeader(raw([1, 2]))).rejects.toThrow(InvalidHeaderError);
    await expect(readSafetensorsHeader(raw({ __metadata__: { a: 1 } }))).rejects.toThrow(InvalidHeaderError);
  });

  it("rejects bad entries with typed errors", async () => {
    const e = (entry: unknown, dataBytes = 64) => readSafetensorsHeader(raw({ w: entry }, dataBytes));
    await expect(e({ dtype: "I64", shape: [1], data_offsets: [0, 8] })).rejects.toThrow(UnsupportedTensorTypeError);
    await expect(e({ dtype: "F8_E4M3", shape: [1], data_offsets: [0, 1] })).rejects.toMatchObject({
      tensorName: "w",
      tensorType: "F8_E4M3",
    });
    await expect(e({ dtype: "F32", shape: [-1], data_offsets: [0, 4] })).rejects.toThrow(/non-negative integers/);
    await expect(e({ dtype: "F32", shape: [1.5], data_offsets: [0, 4] })).rejects.toThrow(InvalidTensorError);
    await expect(e({ dtype: "F32", shape: [2], data_offsets: [0, 4] })).rejects.toThrow(
      /8 bytes but data_offsets span 4/,
    );
    await expect(e({ dtype: "F32", shape: [2 ** 40, 2 ** 40], data_offsets: [0, 4] })).rejects.toThrow(
      InvalidTensorError,
    );
    await expect(e({ dtype: "F32", shape: [1], data_offsets: [8, 4] })).rejects.toThrow(/end before/);
    await expect(e({ dtype: "F32", shape: [1], data_offsets: [0] })).rejects.toThrow(/two non-negative/);
    await expect(e({ dtype: "F32", shape: [16], data_offsets: [8, 72] })).rejects.toThrow(TruncatedFileError);
    await expect(e("nope")).rejects.toThrow(InvalidTensorError);
    const overlap = raw(
      {
        a: { dtype: "F32", shape: [4], data_offsets: [0, 16] },
        b: { dtype: "F32", shape: [4], data_offsets: [8, 24] },
      },
      24,
    );
    await expect(readSafetensorsHeader(overlap)).rejects.toThrow(/overlaps/);
  });

  it("a file cut at any byte fails typed or still fits", async () => {
    const bytes = writeSafetensors([{ name: "a", dtype: "F16", shape: [4], data: [1, 2, 3, 4] }]);
    for (let n = 0; n < bytes.length; n++) {
      const err = await readSafetensorsHeader(bytes.subarray(0, n)).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(ModelFileError.isInstance(err), `cut at ${n}`).toBe(true);
    }
  });
});
