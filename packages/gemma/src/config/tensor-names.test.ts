import { randomValues } from "@gemma-edge/kernels-wasm";
import { describe, expect, it } from "vitest";
import { readGgufHeader } from "../gguf/reader.js";
import { encodeTensor, gguf, writeGguf } from "../gguf/writer.js";
import { gemmaConfigFromGguf } from "./from-gguf.js";
import { gemmaTensorNames, hfToInternalName } from "./tensor-names.js";

describe("hfToInternalName", () => {
  it("maps every Hugging Face Gemma tensor onto its GGUF name", () => {
    const cases: Array<[string, string]> = [
      ["model.embed_tokens.weight", "token_embd.weight"],
      ["model.norm.weight", "output_norm.weight"],
      ["lm_head.weight", "output.weight"],
      ["model.layers.0.input_layernorm.weight", "blk.0.attn_norm.weight"],
      ["model.layers.12.self_attn.q_proj.weight", "blk.12.attn_q.weight"],
      ["model.layers.1.self_attn.k_proj.weight", "blk.1.attn_k.weight"],
      ["model.layers.1.self_attn.v_proj.weight", "blk.1.attn_v.weight"],
      ["model.layers.1.self_attn.o_proj.weight", "blk.1.attn_output.weight"],
      ["model.layers.2.self_attn.q_norm.weight", "blk.2.attn_q_norm.weight"],
      ["model.layers.2.self_attn.k_norm.weight", "blk.2.attn_k_norm.weight"],
      ["model.layers.3.pre_feedforward_layernorm.weight", "blk.3.ffn_norm.weight"],
      ["model.layers.3.post_feedforward_layernorm.weight", "blk.3.post_ffw_norm.weight"],
      ["model.layers.3.mlp.gate_proj.weight", "blk.3.ffn_gate.weight"],
      ["model.layers.3.mlp.up_proj.weight", "blk.3.ffn_up.weight"],
      ["model.layers.3.mlp.down_proj.weight", "blk.3.ffn_down.weight"],
      ["language_model.model.layers.4.mlp.up_proj.weight", "blk.4.ffn_up.weight"],
      ["model.language_model.embed_tokens.weight", "token_embd.weight"],
    ];
    for (const [hf, internal] of cases) expect(hfToInternalName(hf, 3), hf).toBe(internal);
  });

  it("maps post_attention_layernorm by version (Gemma 1: the pre-MLP norm)", () => {
    expect(hfToInternalName("model.layers.5.post_attention_layernorm.weight", 1)).toBe("blk.5.ffn_norm.weight");
    expect(hfToInternalName("model.layers.5.post_attention_layernorm.weight", 2)).toBe(
      "blk.5.post_attention_norm.weight",
    );
  });

  it("skips tensors outside the text model", () => {
    expect(hfToInternalName("vision_tower.vision_model.embeddings.patch_embedding.weight", 3)).toBeUndefined();
    expect(hfToInternalName("model.layers.0.self_attn.rotary_emb.inv_freq", 1)).toBeUndefined();
  });
});

describe("gemmaTensorNames", () => {
  it("lists what each version needs", () => {
    expect(gemmaTensorNames({ numLayers: 2, version: 1 })).toHaveLength(2 + 2 * 9);
    expect(gemmaTensorNames({ numLayers: 2, version: 2 })).toContain("blk.1.post_ffw_norm.weight");
    expect(gemmaTensorNames({ numLayers: 2, version: 2 })).not.toContain("blk.1.attn_q_norm.weight");
    expect(gemmaTensorNames({ numLayers: 1, version: 3 })).toContain("blk.0.attn_k_norm.weight");
  });
});

describe("a tiny Gemma 3 model through the GGUF writer and reader", () => {
  it("has the config and every tensor name the runtime expects", async () => {
    const arch = "gemma3";
    const metadata = {
      "general.architecture": gguf.string(arch),
      [`${arch}.context_length`]: gguf.u32(128),
      [`${arch}.embedding_length`]: gguf.u32(64),
      [`${arch}.block_count`]: gguf.u32(2),
      [`${arch}.feed_forward_length`]: gguf.u32(128),
      [`${arch}.attention.head_count`]: gguf.u32(4),
      [`${arch}.attention.head_count_kv`]: gguf.u32(2),
      [`${arch}.attention.key_length`]: gguf.u32(16),
      [`${arch}.attention.layer_norm_rms_epsilon`]: gguf.f32(1e-6),
      [`${arch}.attention.sliding_window`]: gguf.u32(16),
      [`${arch}.vocab_size`]: gguf.u32(32),
    };
    const names = gemmaTensorNames({ numLayers: 2, version: 3 });
    const tensors = names.map((name, i) => ({
      name,
      dims: [32],
      format: "q8_0" as const,
      data: encodeTensor("q8_0", randomValues(32, i), [32]),
    }));
    const header = await readGgufHeader(writeGguf({ metadata, tensors }));
    const config = gemmaConfigFromGguf(header.metadata, header.tensors);
    expect(config).toMatchObject({ version: 3, numLayers: 2, headDim: 16, vocabSize: 32, normPlusOne: false });
    expect(header.tensors.map((t) => t.name).sort()).toEqual(gemmaTensorNames(config).sort());
  });
});
