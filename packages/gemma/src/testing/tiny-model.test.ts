import { reference } from "@gemma-edge/kernels-wasm";
import { describe, expect, it } from "vitest";
import { bytesSource } from "../byte-source.js";
import { readGgufHeader } from "../gguf/reader.js";
import { readGgufTensor } from "../gguf/tensors.js";
import { K_QUANT_SHAPES, tinyGemmaGguf, tinyGemmaWeights } from "./tiny-model.js";

describe.each(["q4_k", "q6_k"] as const)("tiny models in %s", (format) => {
  it("need K-compatible shapes, and say which", () => {
    expect(() => tinyGemmaGguf({ version: 2, format })).toThrow(/multiple of .* block of 256 \(K_QUANT_SHAPES/);
  });

  it.each([2, 3] as const)(
    "Gemma %i: matrices in the format, norms in F32, values within its resolution",
    async (version) => {
      const options = { version, format, ...K_QUANT_SHAPES } as const;
      const { bytes } = tinyGemmaGguf(options);
      const source = bytesSource(bytes);
      const header = await readGgufHeader(source);
      const weights = tinyGemmaWeights(options);
      expect(header.tensors.map((t) => t.name)).toEqual(weights.tensors.map((t) => t.name));
      for (const t of weights.tensors) {
        const info = header.tensors.find((h) => h.name === t.name);
        expect(info?.format, t.name).toBe(t.isNorm ? "f32" : format);
        if (!info) continue;
        const got = reference.dequantize(info.format, await readGgufTensor(source, info), 0, t.values.length);
        let err = 0;
        let sum = 0;
        t.values.forEach((v, i) => {
          err += (v - (got[i] ?? 0)) ** 2;
          sum += v * v;
        });
        // uniform weights, relative RMS error measured 0.054–0.055 in Q4_K, 0.0132–0.0134 in Q6_K; norms exact
        expect(Math.sqrt(err / sum), t.name).toBeLessThanOrEqual(t.isNorm ? 0 : format === "q4_k" ? 0.06 : 0.015);
      }
    },
  );
});
