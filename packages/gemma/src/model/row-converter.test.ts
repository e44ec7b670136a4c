import { prng, reference } from "@gemma-edge/kernels-wasm";
import { describe, expect, it } from "vitest";
import { InvalidTensorError, SourceError } from "../errors.js";
import type { SafetensorsDtype } from "../safetensors/reader.js";
import { writeSafetensors } from "../testing/safetensors-writer.js";
import { CONVERT_FORMATS, rowConverter } from "./row-converter.js";

const ROWS = 37;
const COLS = 64 * 9; // 576: a batch holds 28 rows, so the tensor ends on a partial batch

/** A tensor's bytes in `dtype` and the f32 values those bytes hold. */
function tensor(dtype: SafetensorsDtype, seed: number) {
  const rand = prng(seed);
  const raw = Float32Array.from({ length: ROWS * COLS }, () => (rand() * 2 - 1) * 3);
  raw[5] = 0;
  raw.fill(0, COLS * 2, COLS * 2 + 64); // all-zero blocks
  const file = writeSafetensors([{ name: "t", dtype, shape: [ROWS, COLS], data: raw }]);
  const bytes = file.subarray(file.length - ROWS * COLS * (dtype === "F32" ? 4 : 2));
  const values = reference.dequantize(
    dtype === "F32" ? "f32" : dtype === "F16" ? "f16" : "bf16",
    bytes,
    0,
    ROWS * COLS,
  );
  return { bytes, values: Float32Array.from(values) };
}

describe("rowConverter", () => {
  for (const dtype of ["F32", "F16", "BF16"] as const) {
    it.each(CONVERT_FORMATS)(`${dtype} → %s: the bytes reference.quantizeWeights gives, in any chunking`, (format) => {
      const { bytes, values } = tensor(dtype, dtype.length * 17);
      const want = reference.quantizeWeights(format, values, ROWS, COLS);
      for (const chunk of [1, 7, 1000, 4096, bytes.length]) {
        const out = new Uint8Array(want.length).fill(0xee);
        const write = rowConverter({ name: "t", dtype, rows: ROWS, cols: COLS, format }, () => out);
        for (let at = 0; at < bytes.length; at += chunk) write(bytes.subarray(at, at + chunk), at);
        expect(Buffer.from(out).equals(Buffer.from(want)), `chunks of ${chunk}`).toBe(true);
      }
    });
  }

  it("refuses rows that are not whole blocks, and bytes out of order", () => {
    const spec = { name: "t", dtype: "F32", rows: 2, cols: 48, format: "q8_0" } as const;
    expect(() => rowConverter(spec, () => new Uint8Array(0))).toThrow(InvalidTensorError);
    const write = rowConverter({ ...spec, cols: 32 }, () => new Uint8Array(68));
    write(new Uint8Array(8), 0);
    expect(() => write(new Uint8Array(8), 16)).toThrow(SourceError);
    expect(() => write(new Uint8Array(1000), 8)).toThrow(SourceError);
  });
});
