import { describe, expect, it } from "vitest";
import { kernelsFor, VARIANTS } from "../test/fixture.js";
import { BufferRangeError, ShapeError, UnsupportedFormatError } from "./errors.js";
import { rowBytes } from "./formats.js";
import type { WasmKernels } from "./kernels.js";
import type { WeightTensor } from "./memory.js";
import { randomValues, randomWeights } from "./random-weights.js";
import { referenceMatmul } from "./reference/matmul.js";
import { MAX_PACKED_COLS, type PackedFormat, packRows, unpackRows } from "./reference/pack.js";

const FORMATS: PackedFormat[] = ["q4_0", "q8_0"];

/** Y = W·X on the kernels equals the scalar reference over the GGUF bytes of W, within 1e-5 of each output's magnitude. */
function expectReferenceMatmul(
  k: WasmKernels,
  w: WeightTensor,
  bytes: Uint8Array,
  xs: Float32Array,
  ntok: number,
): void {
  const x = k.alloc(ntok * w.cols);
  const y = k.alloc(ntok * w.rows);
  k.write(x, xs);
  k.matmul(w, x, y, ntok);
  const got = k.read(y);
  const want = referenceMatmul(w.format, bytes, w.rows, w.cols, xs, ntok);
  for (let i = 0; i < got.length; i++) {
    expect(
      Math.abs((got[i] ?? 0) - (want.y[i] ?? 0)),
      `${w.format} ${w.rows}×${w.cols} ntok ${ntok} out ${i}`,
    ).toBeLessThanOrEqual(1e-5 * (want.magnitude[i] ?? 0) + 1e-7);
  }
}

describe("the packed layout (reference)", () => {
  it.each(FORMATS)("%s: unpack(pack(rows)) gives the rows back, and every byte moves", (format) => {
    const bytes = randomWeights(format, 3, 256, 1);
    const packed = packRows(format, bytes, 3, 256);
    expect(unpackRows(format, packed, 3, 256)).toEqual(bytes);
    expect(packed).not.toEqual(bytes);
    expect([...packed].sort()).toEqual([...bytes].sort());
  });

  it("refuses other formats and widths", () => {
    expect(() => packRows("q4_0", new Uint8Array(18), 1, 32)).toThrow(ShapeError);
    expect(() => packRows("q6_k" as PackedFormat, new Uint8Array(210), 1, 256)).toThrow(UnsupportedFormatError);
  });
});

describe.each(VARIANTS)("pack, %s build, %i thread(s)", (build, threads) => {
  it.each(FORMATS)("%s: packs in place exactly as the reference does, and ggufBytes unpacks it", async (format) => {
    const k = await kernelsFor(build, threads);
    const rows = 37;
    const cols = 384;
    const bytes = randomWeights(format, rows, cols, 11);
    const w = k.upload(format, rows, cols, bytes);
    const p = k.pack(w);
    if (format === "q4_0" && build === "simd") {
      // the packed Q4_0 kernel needs relaxed SIMD: the plain build keeps the GGUF rows
      expect(p).toBe(w);
      expect(k.canPack(w)).toBe(false);
      return;
    }
    expect(p.packed).toBe(true);
    expect(p.ptr).toBe(w.ptr);
    expect(k.arena.bytes(p.ptr, p.byteLength)).toEqual(packRows(format, bytes, rows, cols));
    expect(k.ggufBytes(p)).toEqual(bytes);
  });

  it.each(FORMATS)("%s: matmul over packed rows matches the scalar reference for 1…9 and 32 tokens", async (format) => {
    const k = await kernelsFor(build, threads);
    for (const [rows, cols] of [
      [1, 128],
      [7, 256],
      [130, 512],
      [9, 2048],
    ] as const) {
      const bytes = randomWeights(format, rows, cols, rows + cols);
      const w = k.pack(k.upload(format, rows, cols, bytes));
      for (const ntok of [1, 2, 3, 4, 5, 8, 9, 32]) {
        expectReferenceMatmul(k, w, bytes, randomValues(ntok * cols, ntok + cols, 2), ntok);
      }
    }
  });
});

describe("packed tensors in use", () => {
  it.each(FORMATS)(
    "%s: the old handle is retired; writing GGUF bytes into a packed tensor is refused",
    async (format) => {
      const k = await kernelsFor("relaxed", 1);
      const w = k.upload(format, 4, 128, randomWeights(format, 4, 128, 3));
      const p = k.pack(w);
      const x = k.alloc(128);
      const y = k.alloc(4);
      expect(() => k.matvec(w, x, y)).toThrow(BufferRangeError);
      expect(() => k.weightBytes(w)).toThrow(/repacked in place/);
      expect(() => k.weightBytes(p)).toThrow(UnsupportedFormatError);
      expect(k.pack(p)).toBe(p); // packing twice is a no-op
    },
  );

  it("a matrix whose width is not a multiple of 128, or another format, is left as it is", async () => {
    const k = await kernelsFor("relaxed", 1);
    const narrow = k.upload("q8_0", 2, 96, randomWeights("q8_0", 2, 96, 4));
    expect(k.pack(narrow)).toBe(narrow);
    const kq = k.upload("q4_k", 2, 256, randomWeights("q4_k", 2, 256, 4));
    expect(k.pack(kq)).toBe(kq);
    expect(k.weightBytes(kq).length).toBe(2 * rowBytes("q4_k", 256)); // still usable
  });

  it("rows wider than the threads' scratch holds scales for stay in the GGUF layout and still multiply", async () => {
    const k = await kernelsFor("relaxed", 2);
    for (const [cols, packs] of [
      [MAX_PACKED_COLS, true],
      [MAX_PACKED_COLS + 128, false],
    ] as const) {
      const rows = 2;
      const bytes = randomWeights("q8_0", rows, cols, 9);
      const w = k.pack(k.upload("q8_0", rows, cols, bytes));
      expect(Boolean(w.packed)).toBe(packs);
      const ntok = 5; // one batch of four through the tile (the scales in scratch), one token left over
      expectReferenceMatmul(k, w, bytes, randomValues(ntok * cols, 10, 1), ntok);
    }
  });

  it.each(FORMATS)("%s: an inf or NaN scale keeps the GGUF layout, bytes untouched", async (format) => {
    const k = await kernelsFor("relaxed", 2);
    const rows = 64; // split across both threads
    const cols = 1024;
    const bytes = randomWeights(format, rows, cols, 5);
    const blockBytes = format === "q4_0" ? 18 : 34;
    const bad = 63 * rowBytes(format, cols) + 31 * blockBytes; // last row, last block
    bytes[bad] = 0x00;
    bytes[bad + 1] = 0x7c; // +inf
    const w = k.upload(format, rows, cols, bytes);
    const p = k.pack(w);
    expect(p).toBe(w);
    expect(k.weightBytes(w)).toEqual(bytes);
  });

  it.each(FORMATS)("%s: embedding rows of a packed matrix equals those of the GGUF one", async (format) => {
    const k = await kernelsFor("relaxed", 1);
    const bytes = randomWeights(format, 20, 256, 6);
    const plain = k.upload(format, 20, 256, bytes);
    const packed = k.pack(k.upload(format, 20, 256, bytes));
    const ids = [19, 0, 7, 7];
    const a = k.alloc(ids.length * 256);
    const b = k.alloc(ids.length * 256);
    k.embed(plain, ids, a);
    k.embed(packed, ids, b);
    expect(k.read(b)).toEqual(k.read(a));
  });

  it.each(FORMATS)(
    "%s: one quantization shared by several packed matmuls (q, k, v) and token counts",
    async (format) => {
      const k = await kernelsFor("relaxed", 2);
      const cols = 256;
      const xs = randomValues(6 * cols, 8, 1);
      const x = k.alloc(6 * cols);
      k.write(x, xs);
      const q = k.quantize(x, 6, cols);
      for (const [rows, ntok] of [
        [16, 2],
        [8, 6],
        [16, 5],
      ] as const) {
        const bytes = randomWeights(format, rows, cols, rows * ntok);
        const w = k.pack(k.upload(format, rows, cols, bytes));
        const y = k.alloc(ntok * rows);
        k.matmul(w, q, y, ntok);
        const want = referenceMatmul(format, bytes, rows, cols, xs.subarray(0, ntok * cols), ntok);
        const got = k.read(y);
        for (let i = 0; i < got.length; i++) {
          expect(Math.abs((got[i] ?? 0) - (want.y[i] ?? 0))).toBeLessThanOrEqual(
            1e-5 * (want.magnitude[i] ?? 0) + 1e-7,
          );
        }
      }
    },
  );

  it.each(FORMATS)(
    "%s: the first rows of a packed matrix, reinterpreted, stay packed; other widths are refused",
    async (format) => {
      const k = await kernelsFor("relaxed", 1);
      const bytes = randomWeights(format, 8, 256, 9);
      const p = k.pack(k.upload(format, 8, 256, bytes));
      const top = k.reinterpret(p, 3, 256);
      expect(top.packed).toBe(true);
      expect(k.ggufBytes(top)).toEqual(bytes.subarray(0, 3 * rowBytes(format, 256)));
      expect(() => k.reinterpret(p, 16, 128)).toThrow(ShapeError);
    },
  );
});
