import { describe, expect, it } from "vitest";
import { ConfigError, UnsupportedArchitectureError } from "../errors.js";
import { gemmaConfigFromHf } from "./from-hf.js";

const gemma2 = {
  model_type: "gemma2",
  vocab_size: 256000,
  max_position_embeddings: 8192,
  hidden_size: 2304,
  intermediate_size: 9216,
  num_hidden_layers: 26,
  num_attention_heads: 8,
  num_key_value_heads: 4,
  head_dim: 256,
  rms_norm_eps: 1e-6,
  rope_theta: 10000,
  query_pre_attn_scalar: 256,
  sliding_window: 4096,
  attn_logit_softcapping: 50,
  final_logit_softcapping: 30,
};

describe("gemmaConfigFromHf", () => {
  it("reads Gemma 1 (w held as is, so normPlusOne)", () => {
    const c = gemmaConfigFromHf({
      ...gemma2,
      model_type: "gemma",
      num_hidden_layers: 18,
      num_key_value_heads: 1,
      hidden_size: 2048,
      intermediate_size: 16384,
    });
    expect(c).toMatchObject({
      version: 1,
      normPlusOne: true,
      slidingWindow: null,
      attnLogitSoftcap: null,
      numKvHeads: 1,
      source: "hf",
    });
    expect(c.layers.every((l) => !l.sliding)).toBe(true);
  });

  it("reads Gemma 2 with its scalar and softcaps", () => {
    const c = gemmaConfigFromHf({ ...gemma2, query_pre_attn_scalar: 144 });
    expect(c).toMatchObject({ version: 2, attnLogitSoftcap: 50, finalLogitSoftcap: 30, slidingWindow: 4096 });
    expect(c.queryScale).toBeCloseTo(1 / 12, 12);
    expect(c.layers.slice(0, 3).map((l) => l.sliding)).toEqual([true, false, true]);
  });

  it("reads a Gemma 3 multimodal config's text_config with transformers' defaults", () => {
    const c = gemmaConfigFromHf({
      model_type: "gemma3",
      text_config: {
        hidden_size: 2560,
        intermediate_size: 10240,
        model_type: "gemma3_text",
        num_hidden_layers: 34,
        rope_scaling: { factor: 8.0, rope_type: "linear" },
        sliding_window: 1024,
      },
      vision_config: { model_type: "siglip_vision_model" },
    });
    expect(c).toMatchObject({
      version: 3,
      numHeads: 8,
      numKvHeads: 4,
      headDim: 256,
      vocabSize: 262208,
      slidingWindow: 1024,
    });
    expect(c.ropeScaling).toEqual({ type: "linear", factor: 8 });
    expect(c.layers[5]).toEqual({ sliding: false, ropeTheta: 1_000_000, ropeScale: 8 });
    expect(c.layers[4]).toEqual({ sliding: true, ropeTheta: 10_000, ropeScale: 1 });
  });

  it("follows layer_types over the pattern", () => {
    const types = ["full_attention", "sliding_attention", "full_attention"];
    const c = gemmaConfigFromHf({ ...gemma2, model_type: "gemma3_text", num_hidden_layers: 3, layer_types: types });
    expect(c.layers.map((l) => l.sliding)).toEqual([false, true, false]);
    expect(() => gemmaConfigFromHf({ ...gemma2, num_hidden_layers: 3, layer_types: ["x", "y", "z"] })).toThrow(
      /layer_types\[0\]/,
    );
    expect(() => gemmaConfigFromHf({ ...gemma2, layer_types: types })).toThrow(/3 layer types for 26 layers/);
  });

  it("rejects other models and bad fields", () => {
    expect(() => gemmaConfigFromHf({ ...gemma2, model_type: "llama" })).toThrow(UnsupportedArchitectureError);
    expect(() => gemmaConfigFromHf(null)).toThrow(ConfigError);
    expect(() => gemmaConfigFromHf({ ...gemma2, hidden_size: "2304" })).toThrow(/hidden_size must be a number/);
    expect(() => gemmaConfigFromHf({ ...gemma2, num_hidden_layers: 2.5 })).toThrow(/numLayers/);
    expect(() => gemmaConfigFromHf({ ...gemma2, rope_scaling: { rope_type: "yarn", factor: 4 } })).toThrow(/linear/);
  });
});
