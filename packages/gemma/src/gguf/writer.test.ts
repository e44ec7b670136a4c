import { randomValues, randomWeights, reference, type WeightFormat } from "@gemma-edge/kernels-wasm";
import { describe, expect, it } from "vitest";
import { bytesSource } from "../byte-source.js";
import { readGgufHeader } from "./reader.js";
import { readGgufTensor } from "./tensors.js";
import type { GgufValue } from "./types.js";
import { encodeTensor, type GgufTensorInput, gguf, ggufParts, writeGguf } from "./writer.js";

/** One value of every type, nested arrays and edge values included. */
const everyType: Record<string, GgufValue> = {
  "t.u8": gguf.u8(255),
  "t.i8": gguf.i8(-128),
  "t.u16": gguf.u16(65535),
  "t.i16": gguf.i16(-32768),
  "t.u32": gguf.u32(4294967295),
  "t.i32": gguf.i32(-2147483648),
  "t.f32": gguf.f32(Math.fround(0.1)),
  "t.bool.true": gguf.bool(true),
  "t.bool.false": gguf.bool(false),
  "t.string": gguf.string("Gemma ✓ — 日本語 🚀"),
  "t.string.empty": gguf.string(""),
  "t.u64": gguf.u64(2n ** 64n - 1n),
  "t.i64": gguf.i64(-(2n ** 63n)),
  "t.f64": gguf.f64(Math.PI),
  "a.u8": gguf.array("u8", Uint8Array.of(0, 1, 255)),
  "a.i8": gguf.array("i8", Int8Array.of(-1, 127)),
  "a.u16": gguf.array("u16", Uint16Array.of(1, 65535)),
  "a.i16": gguf.array("i16", Int16Array.of(-2, 3)),
  "a.u32": gguf.array("u32", Uint32Array.of(7, 4294967295)),
  "a.i32": gguf.array("i32", Int32Array.of(-7, 8)),
  "a.f32": gguf.array("f32", Float32Array.of(-0, 1.5, Number.POSITIVE_INFINITY)),
  "a.bool": gguf.array("bool", [true, false, true]),
  "a.string": gguf.array("string", ["<pad>", "<eos>", "", "▁hello"]),
  "a.u64": gguf.array("u64", BigUint64Array.of(0n, 2n ** 64n - 1n)),
  "a.i64": gguf.array("i64", BigInt64Array.of(-5n, 5n)),
  "a.f64": gguf.array("f64", Float64Array.of(Math.E, -1e300)),
  "a.empty": gguf.array("u32", new Uint32Array(0)),
  "a.nested": gguf.array("array", [
    gguf.array("string", ["a", "b"]),
    gguf.array("array", [gguf.array("i32", Int32Array.of(1, 2, 3))]),
    gguf.array("f32", new Float32Array(0)),
  ]),
};

function tensorsOfEveryFormat(): GgufTensorInput[] {
  const formats: WeightFormat[] = ["f32", "f16", "bf16", "q8_0", "q4_0"];
  const out: GgufTensorInput[] = formats.map((format, i) => {
    const dims = [64, 3];
    return { name: `blk.${i}.ffn_up.weight`, dims, format, data: encodeTensor(format, randomValues(192, i), dims) };
  });
  out.push({ name: "k4", dims: [256, 2], format: "q4_k", data: randomWeights("q4_k", 2, 256, 1) });
  out.push({ name: "k6", dims: [256, 1], format: "q6_k", data: randomWeights("q6_k", 1, 256, 2) });
  out.push({ name: "output_norm.weight", dims: [5], format: "f32", data: encodeTensor("f32", [1, 2, 3, 4, 5], [5]) });
  return out;
}

describe("writeGguf → readGgufHeader round trip", () => {
  it.each([2, 3] as const)("keeps every metadata type exactly (v%i)", async (version) => {
    const header = await readGgufHeader(writeGguf({ version, metadata: everyType, tensors: [] }));
    expect(header.version).toBe(version);
    expect(Object.fromEntries(header.metadata)).toEqual(everyType);
    expect([...header.metadata.keys()]).toEqual(Object.keys(everyType));
  });

  it.each([32, 64, 1])("keeps every tensor's dims, format and bytes, aligned to %i", async (alignment) => {
    const tensors = tensorsOfEveryFormat();
    const metadata = alignment === 32 ? {} : { "general.alignment": gguf.u32(alignment) };
    const bytes = writeGguf({ metadata, tensors });
    const header = await readGgufHeader(bytes);
    expect(header.alignment).toBe(alignment);
    expect(header.dataOffset % alignment).toBe(0);
    const src = bytesSource(bytes);
    expect(header.tensors.map((t) => [t.name, t.dims, t.format])).toEqual(
      tensors.map((t) => [t.name, t.dims, t.format]),
    );
    for (const [i, t] of header.tensors.entries()) {
      expect(t.offset % alignment).toBe(0);
      expect(t.fileOffset).toBe(header.dataOffset + t.offset);
      expect(await readGgufTensor(src, t)).toEqual(tensors[i]?.data);
    }
  });

  it("encodes values the kernels' reference decodes back", () => {
    const values = randomValues(64, 9);
    expect(Array.from(reference.dequantize("f32", encodeTensor("f32", values, [64]), 0, 64))).toEqual(
      Array.from(values),
    );
    const q8 = reference.dequantize("q8_0", encodeTensor("q8_0", values, [32, 2]), 0, 64);
    for (let i = 0; i < 64; i++) expect(Math.abs((q8[i] ?? 0) - (values[i] ?? 0))).toBeLessThan(0.01);
  });

  it("encodes K-quants through the reference quantizer, and refuses data whose length does not match dims and format", () => {
    const values = Float32Array.from({ length: 512 }, (_, i) => Math.sin(i));
    for (const format of ["q4_k", "q6_k"] as const) {
      const bytes = encodeTensor(format, values, [256, 2]);
      const back = reference.dequantize(format, bytes, 0, 512);
      let err = 0;
      for (let i = 0; i < 512; i++) err = Math.max(err, Math.abs((back[i] ?? 0) - (values[i] ?? 0)));
      expect(err, format).toBeLessThan(0.1);
    }
    expect(() => encodeTensor("q4_k", new Float32Array(32), [32])).toThrow();
    expect(() =>
      writeGguf({ metadata: {}, tensors: [{ name: "x", dims: [32], format: "q8_0", data: new Uint8Array(33) }] }),
    ).toThrow(/34 bytes/);
    expect(() => encodeTensor("f32", new Float32Array(3), [2, 2])).toThrow(/need 4 values/);
  });
});

describe("ggufParts (streaming writer)", () => {
  it("writes lazy tensors chunk by chunk, byte-identical to an in-memory write", async () => {
    const data = Uint8Array.from({ length: 4 * 96 }, (_, i) => (i * 7) % 256);
    const eager = writeGguf({
      metadata: { "general.architecture": gguf.string("gemma") },
      tensors: [{ name: "t", dims: [96], format: "f32", data }],
    });
    const lazy = {
      byteLength: data.length,
      *chunks() {
        for (let i = 0; i < data.length; i += 100) yield data.subarray(i, i + 100);
      },
    };
    const parts = [
      ...ggufParts({
        metadata: { "general.architecture": gguf.string("gemma") },
        tensors: [{ name: "t", dims: [96], format: "f32", data: lazy }],
      }),
    ];
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    expect(joined).toEqual(eager);
    const short = {
      byteLength: data.length,
      *chunks() {
        yield data.subarray(0, 10);
      },
    };
    expect(() => [
      ...ggufParts({ metadata: {}, tensors: [{ name: "t", dims: [96], format: "f32", data: short }] }),
    ]).toThrow(/produced 10 bytes/);
  });
});
