/**
 * Tensor names. The runtime's internal names are GGUF's (llama.cpp's `token_embd.weight`, `blk.N.attn_q.weight`, …);
 * Hugging Face names (`model.layers.N.self_attn.q_proj.weight`, …) map onto them. One trap: in Gemma 1,
 * `post_attention_layernorm` is the norm *before* the MLP (`ffn_norm`); in Gemma 2 and 3 it norms the attention output
 * (`post_attention_norm`) and `pre_feedforward_layernorm` is `ffn_norm`.
 */
import type { GemmaConfig } from "./gemma-config.js";

const GLOBAL: Readonly<Record<string, string>> = {
  "embed_tokens.weight": "token_embd.weight",
  "norm.weight": "output_norm.weight",
};

const LAYER: Readonly<Record<string, string>> = {
  "input_layernorm.weight": "attn_norm.weight",
  "self_attn.q_proj.weight": "attn_q.weight",
  "self_attn.k_proj.weight": "attn_k.weight",
  "self_attn.v_proj.weight": "attn_v.weight",
  "self_attn.o_proj.weight": "attn_output.weight",
  "self_attn.q_norm.weight": "attn_q_norm.weight",
  "self_attn.k_norm.weight": "attn_k_norm.weight",
  "pre_feedforward_layernorm.weight": "ffn_norm.weight",
  "post_feedforward_layernorm.weight": "post_ffw_norm.weight",
  "mlp.gate_proj.weight": "ffn_gate.weight",
  "mlp.up_proj.weight": "ffn_up.weight",
  "mlp.down_proj.weight": "ffn_down.weight",
};

/** Prefixes of the text model in HF checkpoints (plain, and Gemma 3's multimodal layouts). */
const PREFIXES = ["model.language_model.", "language_model.model.", "model."];

/**
 * The internal (GGUF) name of a Hugging Face tensor, or undefined for tensors the text model does not use (vision
 * tower, projector).
 * @example hfToInternalName("model.layers.3.mlp.up_proj.weight", 2) // "blk.3.ffn_up.weight"
 */
export function hfToInternalName(name: string, version: 1 | 2 | 3): string | undefined {
  if (name === "lm_head.weight" || name === "language_model.lm_head.weight") return "output.weight";
  const prefix = PREFIXES.find((p) => name.startsWith(p));
  if (prefix === undefined) return undefined;
  const rest = name.slice(prefix.length);
  const global = GLOBAL[rest];
  if (global !== undefined) return global;
  const m = /^layers\.(\d+)\.(.+)$/.exec(rest);
  if (m === null) return undefined;
  const [, layer, part = ""] = m;
  if (part === "post_attention_layernorm.weight")
    return `blk.${layer}.${version === 1 ? "ffn_norm" : "post_attention_norm"}.weight`;
  const mapped = LAYER[part];
  return mapped === undefined ? undefined : `blk.${layer}.${mapped}`;
}

/** Every tensor a Gemma text model of this config needs, by internal name (`output.weight` is optional: tied). */
export function gemmaTensorNames(config: Pick<GemmaConfig, "numLayers" | "version">): string[] {
  const names = ["token_embd.weight", "output_norm.weight"];
  const perLayer = [
    "attn_norm",
    "attn_q",
    "attn_k",
    "attn_v",
    "attn_output",
    "ffn_norm",
    "ffn_gate",
    "ffn_up",
    "ffn_down",
  ];
  if (config.version >= 2) perLayer.push("post_attention_norm", "post_ffw_norm");
  if (config.version === 3) perLayer.push("attn_q_norm", "attn_k_norm");
  for (let i = 0; i < config.numLayers; i++) for (const p of perLayer) names.push(`blk.${i}.${p}.weight`);
  return names;
}
