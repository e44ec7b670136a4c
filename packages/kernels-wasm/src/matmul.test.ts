import { describe, expect, it } from "vitest";
import { kernelsFor } from "../test/fixture.js";
import { FORMATS, q8aRowBytes, WEIGHT_FORMATS, type WeightFormat } from "./formats.js";
import { randomValues, randomWeights } from "./random-weights.js";
import { referenceMatmul } from "./reference/matmul.js";
import { quantizeQ8a } from "./reference/quantize.js";

const builds = ["simd", "relaxed"] as const;

/**
 * Shapes that stress the kernels' edges: one row, row counts that are not a multiple of 4, many blocks, and batches of
 * 4+ tokens (the 4×4 prefill tiles, with leftover tokens and rows).
 */
function shapesFor(format: WeightFormat): Array<[number, number, number]> {
  const b = FORMATS[format].blockSize;
  const col = (n: number) => Math.max(b, Math.ceil(n / b) * b);
  return [
    [1, col(32), 1],
    [7, col(256), 1],
    [13, col(512), 3],
    [130, col(1024), 2],
    [67, col(512), 9],
    [8, col(2048), 4],
    ...(b === 1 ? ([[5, 37, 2]] as Array<[number, number, number]>) : []),
  ];
}

describe.each(builds)("matmul, %s build", (build) => {
  describe.each([1, 2])("%i thread(s)", (threads) => {
    it.each(WEIGHT_FORMATS)("%s matches the scalar reference within 1e-5 of Σ|w·x|", async (format) => {
      const k = await kernelsFor(build, threads);
      for (const [rows, cols, ntok] of shapesFor(format)) {
        const bytes = randomWeights(format, rows, cols, rows * 31 + cols);
        const xs = randomValues(ntok * cols, cols + ntok, 2);
        const w = k.upload(format, rows, cols, bytes);
        const x = k.alloc(ntok * cols);
        const y = k.alloc(ntok * rows);
        k.write(x, xs);
        k.matmul(w, x, y, ntok);
        const got = k.read(y);
        const want = referenceMatmul(format, bytes, rows, cols, xs, ntok);
        for (let i = 0; i < got.length; i++) {
          const bound = 1e-5 * (want.magnitude[i] ?? 0) + 1e-7;
          expect(
            Math.abs((got[i] ?? 0) - (want.y[i] ?? 0)),
            `${format} ${rows}×${cols} ntok ${ntok} out ${i}`,
          ).toBeLessThanOrEqual(bound);
        }
      }
    });
  });
});

describe("quantize", () => {
  it.each(["simd", "relaxed"] as const)("q8a activations are bit-identical to the reference (%s)", async (build) => {
    const k = await kernelsFor(build, 1);
    const cols = 96;
    const values = randomValues(2 * cols, 5, 3);
    values[0] = 0; // a zero, an exact tie and an all-zero block
    values[1] = 127 / 254;
    values.fill(0, cols + 32, cols + 64);
    const x = k.alloc(2 * cols);
    k.write(x, values);
    const bytes = k.quantizedBytes(k.quantize(x, 2, cols));
    const rowBytes = q8aRowBytes(cols);
    for (let t = 0; t < 2; t++) {
      const want = quantizeQ8a(values.subarray(t * cols, (t + 1) * cols));
      const row = bytes.subarray(t * rowBytes);
      expect(new Int8Array(row.buffer, row.byteOffset, cols)).toEqual(want.qs);
      expect(new Int16Array(row.buffer.slice(row.byteOffset + cols, row.byteOffset + 3 * cols))).toEqual(
        Int16Array.from(want.qs),
      );
      expect(
        new Float32Array(row.buffer.slice(row.byteOffset + 3 * cols, row.byteOffset + 3 * cols + cols / 8)),
      ).toEqual(want.d);
      const s16 = row.byteOffset + 3 * cols + cols / 8;
      expect(new Int32Array(row.buffer.slice(s16, s16 + cols / 4))).toEqual(want.s16);
    }
  });

  it("a matmul over quantized activations equals one over the f32 rows", async () => {
    const k = await kernelsFor("relaxed", 1);
    const bytes = randomWeights("q4_0", 8, 64, 1);
    const w = k.upload("q4_0", 8, 64, bytes);
    const x = k.alloc(64);
    k.write(x, randomValues(64, 2));
    const y1 = k.alloc(8);
    const y2 = k.alloc(8);
    k.matvec(w, x, y1);
    k.matvec(w, k.quantize(x, 1, 64), y2);
    expect(k.read(y2)).toEqual(k.read(y1));
  });
});

describe("splitting across threads", () => {
  it.each(WEIGHT_FORMATS)(
    "%s: a matmul big enough to split gives the single-thread result bit for bit",
    async (format) => {
      const k = await kernelsFor("relaxed", 2);
      const cols = 1024;
      const rows = Math.ceil((1.2 * 2 ** 20) / (FORMATS[format].blockBytes * (cols / FORMATS[format].blockSize))) + 3;
      const bytes = randomWeights(format, rows, cols, 5);
      const w = k.upload(format, rows, cols, bytes);
      const x = k.alloc(2 * cols);
      k.write(x, randomValues(2 * cols, 6));
      const split = k.alloc(2 * rows);
      const single = k.alloc(2 * rows);
      k.matmul(w, x, split, 2);
      k.useThreads(1);
      k.matmul(w, x, single, 2);
      k.useThreads(2);
      expect(k.read(split)).toEqual(k.read(single));
      const want = referenceMatmul(format, bytes, rows, cols, k.read(x), 2);
      const got = k.read(split);
      for (let i = 0; i < got.length; i += 97) {
        expect(Math.abs((got[i] ?? 0) - (want.y[i] ?? 0))).toBeLessThanOrEqual(1e-5 * (want.magnitude[i] ?? 0) + 1e-7);
      }
    },
  );
});

describe("Gemma's 256000-row vocabulary", () => {
  it.each(WEIGHT_FORMATS)("%s: 256000 rows of one block each, split across threads", async (format) => {
    const k = await kernelsFor("relaxed", 2);
    const rows = 256_000;
    const cols = Math.max(FORMATS[format].blockSize, 8);
    const bytes = randomWeights(format, rows, cols, 8);
    const w = k.upload(format, rows, cols, bytes);
    const x = k.alloc(cols);
    k.write(x, randomValues(cols, 9));
    const y = k.alloc(rows);
    k.matvec(w, x, y);
    const want = referenceMatmul(format, bytes, rows, cols, k.read(x), 1);
    const got = k.read(y);
    let worst = 0;
    for (let i = 0; i < rows; i++)
      worst = Math.max(worst, Math.abs((got[i] ?? 0) - (want.y[i] ?? 0)) / ((want.magnitude[i] ?? 0) + 1e-2));
    expect(worst).toBeLessThanOrEqual(1e-5);
  });
});
