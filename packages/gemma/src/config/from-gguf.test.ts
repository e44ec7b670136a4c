import { describe, expect, it } from "vitest";
import { ConfigError, UnsupportedArchitectureError } from "../errors.js";
import { readGgufHeader } from "../gguf/reader.js";
import type { GgufValue } from "../gguf/types.js";
import { gguf, writeGguf } from "../gguf/writer.js";
import { gemmaConfigFromGguf } from "./from-gguf.js";

/** Metadata as llama.cpp's converter writes it for a model of `arch` (numbers of the 2B-class models). */
function meta(arch: string, extra: Record<string, GgufValue> = {}): Map<string, GgufValue> {
  return new Map<string, GgufValue>(
    Object.entries({
      "general.architecture": gguf.string(arch),
      [`${arch}.context_length`]: gguf.u32(8192),
      [`${arch}.embedding_length`]: gguf.u32(2304),
      [`${arch}.block_count`]: gguf.u32(26),
      [`${arch}.feed_forward_length`]: gguf.u32(9216),
      [`${arch}.attention.head_count`]: gguf.u32(8),
      [`${arch}.attention.head_count_kv`]: gguf.u32(4),
      [`${arch}.attention.key_length`]: gguf.u32(256),
      [`${arch}.attention.value_length`]: gguf.u32(256),
      [`${arch}.attention.layer_norm_rms_epsilon`]: gguf.f32(1e-6),
      "tokenizer.ggml.tokens": gguf.array("string", ["<pad>", "<eos>", "<bos>"]),
      ...extra,
    }),
  );
}

describe("gemmaConfigFromGguf", () => {
  it("reads Gemma 1: every layer global, no softcaps, norms already 1 + w", () => {
    const c = gemmaConfigFromGguf(meta("gemma", { "gemma.rope.freq_base": gguf.f32(10000) }));
    expect(c).toMatchObject({ version: 1, hiddenSize: 2304, numLayers: 26, numHeads: 8, numKvHeads: 4, headDim: 256 });
    expect(c).toMatchObject({
      vocabSize: 3,
      slidingWindow: null,
      attnLogitSoftcap: null,
      postNorms: false,
      qkNorm: false,
    });
    expect(c.normPlusOne).toBe(false);
    expect(c.rmsNormEps).toBeCloseTo(1e-6, 12);
    expect(c.queryScale).toBe(1 / 16);
    expect(c.layers.every((l) => !l.sliding && l.ropeTheta === 10000 && l.ropeScale === 1)).toBe(true);
  });

  it("reads Gemma 2: softcaps, window, even layers sliding", () => {
    const c = gemmaConfigFromGguf(
      meta("gemma2", {
        "gemma2.attention.sliding_window": gguf.u32(4096),
        "gemma2.attn_logit_softcapping": gguf.f32(50),
        "gemma2.final_logit_softcapping": gguf.f32(30),
      }),
    );
    expect(c).toMatchObject({
      version: 2,
      slidingWindow: 4096,
      attnLogitSoftcap: 50,
      finalLogitSoftcap: 30,
      postNorms: true,
    });
    expect(c.layers.slice(0, 4).map((l) => l.sliding)).toEqual([true, false, true, false]);
    expect(gemmaConfigFromGguf(meta("gemma2"))).toMatchObject({
      slidingWindow: 4096,
      attnLogitSoftcap: 50,
      finalLogitSoftcap: 30,
    });
  });

  it("reads Gemma 3: 5 sliding then 1 global, local θ 10k, global θ 1M with linear scaling", () => {
    const c = gemmaConfigFromGguf(
      meta("gemma3", {
        "gemma3.attention.sliding_window": gguf.u32(1024),
        "gemma3.rope.freq_base": gguf.f32(1_000_000),
        "gemma3.rope.scaling.type": gguf.string("linear"),
        "gemma3.rope.scaling.factor": gguf.f32(8),
      }),
    );
    expect(c).toMatchObject({
      version: 3,
      qkNorm: true,
      postNorms: true,
      slidingWindow: 1024,
      finalLogitSoftcap: null,
    });
    expect(
      c.layers
        .slice(0, 12)
        .map((l) => (l.sliding ? "s" : "G"))
        .join(""),
    ).toBe("sssssGsssssG");
    expect(c.layers[0]).toEqual({ sliding: true, ropeTheta: 10000, ropeScale: 1 });
    expect(c.layers[5]).toEqual({ sliding: false, ropeTheta: 1_000_000, ropeScale: 8 });
  });

  it("follows an explicit per-layer sliding pattern, and the 27B query scale", () => {
    const pattern = Array.from({ length: 26 }, (_, i) => i % 3 !== 2);
    const c = gemmaConfigFromGguf(
      meta("gemma3", {
        "gemma3.attention.sliding_window": gguf.u32(512),
        "gemma3.attention.sliding_window_pattern": gguf.array("bool", pattern),
      }),
    );
    expect(c.layers.map((l) => l.sliding)).toEqual(pattern);
    const big = gemmaConfigFromGguf(
      meta("gemma2", {
        "gemma2.block_count": gguf.u32(46),
        "gemma2.embedding_length": gguf.u32(4608),
        "gemma2.attention.head_count": gguf.u32(32),
        "gemma2.attention.key_length": gguf.u32(128),
      }),
    );
    expect(big.queryScale).toBeCloseTo(1 / Math.sqrt(144), 12);
  });

  it("takes the vocabulary size from token_embd when no key gives it", async () => {
    const m = meta("gemma");
    m.delete("tokenizer.ggml.tokens");
    const header = await readGgufHeader(
      writeGguf({
        metadata: m,
        tensors: [{ name: "token_embd.weight", dims: [1, 7], format: "f32", data: new Uint8Array(28) }],
      }),
    );
    expect(gemmaConfigFromGguf(header.metadata, header.tensors).vocabSize).toBe(7);
    expect(() => gemmaConfigFromGguf(m)).toThrow(/vocabSize/);
  });

  it("rejects other architectures and missing or mistyped keys", () => {
    expect(() => gemmaConfigFromGguf(meta("llama"))).toThrow(UnsupportedArchitectureError);
    expect(() => gemmaConfigFromGguf(new Map())).toThrow(UnsupportedArchitectureError);
    const m = meta("gemma");
    m.delete("gemma.block_count");
    expect(() => gemmaConfigFromGguf(m)).toThrow(/missing gemma.block_count/);
    expect(() => gemmaConfigFromGguf(meta("gemma", { "gemma.block_count": gguf.string("26") }))).toThrow(ConfigError);
    expect(() => gemmaConfigFromGguf(meta("gemma", { "gemma.attention.head_count_kv": gguf.u32(3) }))).toThrow(
      /multiple of numKvHeads/,
    );
    expect(() => gemmaConfigFromGguf(meta("gemma", { "gemma.block_count": gguf.u64(2n ** 60n) }))).toThrow(
      /numLayers must be a positive integer|exact range/,
    );
  });
});
