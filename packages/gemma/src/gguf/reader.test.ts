import { randomValues } from "@gemma-edge/kernels-wasm";
import { describe, expect, it } from "vitest";
import { concat, kv, type RawTensor, rawGguf, recording, str, u8, u32, u64 } from "../../test/bytes.js";
import { type ByteSource, bytesSource } from "../byte-source.js";
import {
  BadMagicError,
  InvalidMetadataError,
  InvalidStringError,
  InvalidTensorError,
  LimitExceededError,
  ModelFileError,
  TruncatedFileError,
  UnsupportedTensorTypeError,
  UnsupportedVersionError,
} from "../errors.js";
import { readGgufHeader } from "./reader.js";
import { encodeTensor, gguf, writeGguf } from "./writer.js";

const F32 = 0;
const validFile = () =>
  writeGguf({
    metadata: { "general.architecture": gguf.string("gemma"), "a.tokens": gguf.array("string", ["x", "yy", "zzz"]) },
    tensors: [
      { name: "a", dims: [8, 2], format: "f32", data: encodeTensor("f32", randomValues(16, 1), [8, 2]) },
      { name: "b", dims: [32], format: "q8_0", data: encodeTensor("q8_0", randomValues(32, 2), [32]) },
    ],
  });

async function errorOf(bytes: Uint8Array | ByteSource, options = {}): Promise<unknown> {
  try {
    await readGgufHeader(bytes, options);
  } catch (e) {
    return e;
  }
  throw new Error("expected the read to fail");
}

describe("readGgufHeader rejects corrupt files with typed errors", () => {
  it("bad magic and unsupported versions", async () => {
    await expect(readGgufHeader(rawGguf({ magic: 0x46554746 }))).rejects.toThrow(BadMagicError);
    await expect(readGgufHeader(new TextEncoder().encode("PK\x03\x04 not a model file at all"))).rejects.toThrow(
      BadMagicError,
    );
    await expect(readGgufHeader(rawGguf({ version: 1 }))).rejects.toThrow(UnsupportedVersionError);
    await expect(readGgufHeader(rawGguf({ version: 4 }))).rejects.toThrow(UnsupportedVersionError);
  });

  it("a file cut at any byte", async () => {
    const bytes = validFile();
    const header = await readGgufHeader(bytes);
    for (let n = 0; n < bytes.length; n++) {
      const e = await errorOf(bytes.subarray(0, n));
      expect(ModelFileError.isInstance(e), `cut at ${n}`).toBe(true);
      expect(["TruncatedFileError", "LimitExceededError"], `cut at ${n}: ${e}`).toContain((e as Error).name);
    }
    // the last tensor's end is the end of the file: one byte less is truncation, not a valid file
    expect(header.tensors.at(-1)?.fileOffset).toBe(bytes.length - 34);
  });

  it("counts and lengths that cannot fit in the file", async () => {
    const big = 2n ** 62n;
    await expect(readGgufHeader(rawGguf({ tensorCount: big }))).rejects.toThrow(LimitExceededError);
    await expect(readGgufHeader(rawGguf({ tensorCount: 2n ** 64n - 1n }))).rejects.toThrow(LimitExceededError);
    await expect(readGgufHeader(rawGguf({ kvCount: big }))).rejects.toThrow(LimitExceededError);
    await expect(readGgufHeader(rawGguf({ kvCount: 3 }))).rejects.toThrow(LimitExceededError);
    const longString = kv("k", 8, concat(u64(big), new Uint8Array(8)));
    await expect(readGgufHeader(rawGguf({ kvs: [longString] }))).rejects.toThrow(LimitExceededError);
    const longArray = kv("k", 9, concat(u32(4), u64(1n << 40n), new Uint8Array(64)));
    await expect(readGgufHeader(rawGguf({ kvs: [longArray] }))).rejects.toThrow(LimitExceededError);
    const longStrings = kv("k", 9, concat(u32(8), u64(1000), str("a")));
    await expect(readGgufHeader(rawGguf({ kvs: [longStrings] }))).rejects.toThrow(LimitExceededError);
    const longName = concat(rawGguf({ tensorCount: 1, alignment: 1 }), u64(big), new Uint8Array(40));
    await expect(readGgufHeader(longName)).rejects.toThrow(LimitExceededError);
  });

  it("a header reaching past the configured limit", async () => {
    const e = await errorOf(validFile(), { maxHeaderBytes: 40 });
    expect(e).toBeInstanceOf(LimitExceededError);
  });

  it("malformed metadata values", async () => {
    const cases: Array<[Uint8Array, RegExp]> = [
      [kv("k", 13, u32(0)), /unknown value type 13/],
      [kv("k", 7, u8(2)), /bool holding 2/],
      [kv("k", 9, concat(u32(99), u64(0))), /unknown value type 99/],
      [kv("general.alignment", 4, u32(0)), /not a power of two/],
      [kv("general.alignment", 4, u32(48)), /not a power of two/],
      [kv("general.alignment", 10, u64(32)), /must be a u32/],
    ];
    for (const [bytes, message] of cases) {
      const e = await errorOf(rawGguf({ kvs: [bytes] }));
      expect(e).toBeInstanceOf(InvalidMetadataError);
      expect(String(e)).toMatch(message);
    }
    let deep = concat(u32(4), u64(0));
    for (let i = 0; i < 9; i++) deep = concat(u32(9), u64(1), deep);
    await expect(readGgufHeader(rawGguf({ kvs: [kv("k", 9, deep)] }))).rejects.toThrow(/deeper than 8/);
    await expect(readGgufHeader(rawGguf({ kvs: [kv("k", 4, u32(1)), kv("k", 4, u32(2))] }))).rejects.toThrow(/twice/);
  });

  it("string arrays read whole across buffer refills, and every item checked", async () => {
    // a vocabulary-like array: short items, multi-byte ones and one longer than a refill
    const items = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? `▁tok${i}` : i % 11 === 0 ? "🙂字" : `t${i}`));
    items[1234] = "x".repeat(5000);
    items[5] = "";
    const bytes = writeGguf({ metadata: { "a.tokens": gguf.array("string", items) }, tensors: [] });
    for (const chunkBytes of [64, 1000, 1 << 20]) {
      const header = await readGgufHeader(bytes, { chunkBytes });
      const value = header.metadata.get("a.tokens");
      expect(value?.type === "array" && value.items, `chunkBytes ${chunkBytes}`).toEqual(items);
    }
    const badItem = kv("k", 9, concat(u32(8), u64(3), str("ok"), str(Uint8Array.of(0x61, 0xc3)), str("z")));
    const e = await errorOf(rawGguf({ kvs: [badItem] }));
    expect(e).toBeInstanceOf(InvalidStringError);
    expect(String(e)).toMatch(/k\[1\] at byte \d+ is not valid UTF-8/);
    const longItem = kv("k", 9, concat(u32(8), u64(2), str("ok"), str("x".repeat(100))));
    expect(await errorOf(rawGguf({ kvs: [longItem] }), { maxStringBytes: 99 })).toBeInstanceOf(LimitExceededError);
    const fits = (await readGgufHeader(rawGguf({ kvs: [longItem] }), { maxStringBytes: 100 })).metadata.get("k");
    expect(fits?.type === "array" && fits.items).toEqual(["ok", "x".repeat(100)]);
  });

  it("strings that are not UTF-8", async () => {
    const bad = Uint8Array.of(0x61, 0xff, 0x62);
    await expect(readGgufHeader(rawGguf({ kvs: [kv(bad, 4, u32(1))] }))).rejects.toThrow(InvalidStringError);
    await expect(readGgufHeader(rawGguf({ kvs: [kv("k", 8, str(Uint8Array.of(0xc3)))] }))).rejects.toThrow(
      InvalidStringError,
    );
    const tensor = { name: Uint8Array.of(0xed, 0xa0, 0x80), dims: [4], type: F32, offset: 0 };
    await expect(readGgufHeader(rawGguf({ tensors: [tensor], dataBytes: 16 }))).rejects.toThrow(InvalidStringError);
  });

  it("tensors with bad rank, dims, type, placement or names", async () => {
    const t = (over: Partial<RawTensor> = {}): RawTensor => ({
      name: "w",
      dims: [4],
      type: F32,
      offset: 0,
      ...over,
    });
    const cases: Array<[Parameters<typeof rawGguf>[0], new (...a: never[]) => Error, RegExp]> = [
      [{ tensors: [t({ dims: [1, 1, 1, 1, 1] })], dataBytes: 4 }, InvalidTensorError, /5 dims/],
      [
        { tensors: [t({ dims: [2n ** 40n, 2n ** 40n, 2n ** 40n] })], dataBytes: 4 },
        InvalidTensorError,
        /more than the whole file/,
      ],
      [
        { tensors: [t({ dims: [2n ** 64n - 1n, 2n ** 64n - 1n] })], dataBytes: 4 },
        InvalidTensorError,
        /more than the whole file/,
      ],
      [{ tensors: [t({ dims: [64] })], dataBytes: 240 }, TruncatedFileError, /past the end/],
      [{ tensors: [t({ offset: 2n ** 63n })], dataBytes: 16 }, TruncatedFileError, /past the end/],
      [{ tensors: [t({ offset: 8 })], dataBytes: 64 }, InvalidTensorError, /not a multiple of 32/],
      [
        { tensors: [t({ dims: [16] }), t({ name: "v", offset: 32, dims: [16] })], dataBytes: 96 },
        InvalidTensorError,
        /twice|overlaps/,
      ],
      [
        { tensors: [t({ dims: [16] }), t({ name: "v", dims: [8] })], dataBytes: 96 },
        InvalidTensorError,
        /v overlaps tensor w|w overlaps/,
      ],
      [
        { tensors: [t({ dims: [16] }), t({ name: "v", offset: 32, dims: [16] }), t({ offset: 64 })], dataBytes: 128 },
        InvalidTensorError,
        /w appears twice/,
      ],
      [{ tensors: [t({ type: 8, dims: [33] })], dataBytes: 64 }, InvalidTensorError, /multiple of q8_0's block of 32/],
    ];
    for (const [opts, type, message] of cases) {
      const e = await errorOf(rawGguf(opts));
      expect(e, String(message)).toBeInstanceOf(type);
      expect(String(e)).toMatch(message);
    }
  });

  it("an unsupported tensor type, naming the tensor and the type", async () => {
    const e = await errorOf(
      rawGguf({ tensors: [{ name: "blk.0.attn_q.weight", dims: [32], type: 3, offset: 0 }], dataBytes: 32 }),
    );
    expect(e).toBeInstanceOf(UnsupportedTensorTypeError);
    expect(e).toMatchObject({ tensorName: "blk.0.attn_q.weight", tensorType: 3 });
    expect(String(e)).toMatch(/blk\.0\.attn_q\.weight.*type 3/);
  });
});

describe("readGgufHeader reads incrementally", () => {
  it("reads only the header, in chunks of the size asked for", async () => {
    const bytes = validFile();
    const src = recording(bytesSource(bytes));
    const header = await readGgufHeader(src, { chunkBytes: 16 });
    expect(header.tensors.map((t) => t.name)).toEqual(["a", "b"]);
    for (const [, length] of src.reads) expect(length).toBeLessThanOrEqual(16 + 8);
    expect(Math.max(...src.reads.map(([o, l]) => o + l))).toBeLessThanOrEqual(header.dataOffset);
  });

  it("parses the header of a 40 GB file without reading or allocating its data", async () => {
    const dims = [262144, 40000];
    const info = concat(str("token_embd.weight"), u32(2), u64(dims[0] ?? 0), u64(dims[1] ?? 0), u32(F32), u64(0));
    const bytes = concat(u32(0x46554747), u32(3), u64(1), u64(1), kv("general.architecture", 8, str("gemma")), info);
    const src = recording({
      size: 45e9,
      read: async (o, l) => {
        const out = new Uint8Array(l);
        out.set(bytes.subarray(o, o + l));
        return out;
      },
    });
    const header = await readGgufHeader(src);
    expect(header.tensors[0]).toMatchObject({ name: "token_embd.weight", byteLength: 262144 * 40000 * 4, dims });
    expect(Math.max(...src.reads.map(([o, l]) => o + l))).toBeLessThanOrEqual(1 << 20);
  });
});
