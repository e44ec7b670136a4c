/**
 * The tiny Gemma models of tiny-model.ts as Hugging Face folders: config.json with the same hyperparameters,
 * tokenizer.json (the synthetic vocabulary, or one given), and the same seeded values in safetensors under Hugging
 * Face names — norms stored as `w` (the GGUF value − 1) — in one `model.safetensors` or in shards with
 * `model.safetensors.index.json`. Load either through the same loaders a real checkpoint goes through.
 */
import type { SafetensorsDtype } from "../safetensors/reader.js";
import { type ModelFolder, memoryFolder } from "../sources/model-folder.js";
import { type SafetensorsTensorInput, writeSafetensors } from "./safetensors-writer.js";
import { type TinyModelOptions, type TinyWeights, tinyGemmaWeights } from "./tiny-model.js";

export interface TinyHfOptions extends Omit<TinyModelOptions, "format" | "tokenizer" | "valuesAs"> {
  /** dtype of every tensor (values are rounded to it as `tinyGemmaGguf({ valuesAs })` rounds them). @default "F32" */
  dtype?: SafetensorsDtype;
  /** Number of safetensors shards (more than 1 writes an index). @default 1 */
  shards?: number;
  /** A parsed tokenizer.json to write instead of the synthetic vocabulary (its size sets the vocabulary). */
  tokenizerJson?: unknown;
  /** Gemma 3 only: the multimodal layout (`model.language_model.` names, a vision tensor, `text_config`). */
  multimodal?: boolean;
}

export interface TinyHfModel {
  /** File name → bytes. */
  files: Map<string, Uint8Array>;
  folder: ModelFolder;
  weights: TinyWeights;
}

/** The Hugging Face name of an internal tensor name (the inverse of `hfToInternalName`). */
export function tinyHfName(name: string, version: 1 | 2 | 3, prefix = "model."): string {
  if (name === "token_embd.weight") return `${prefix}embed_tokens.weight`;
  if (name === "output_norm.weight") return `${prefix}norm.weight`;
  const m = /^blk\.(\d+)\.(.+)\.weight$/.exec(name);
  const part = m?.[2];
  const hf: Record<string, string> = {
    attn_norm: "input_layernorm",
    attn_q: "self_attn.q_proj",
    attn_k: "self_attn.k_proj",
    attn_v: "self_attn.v_proj",
    attn_output: "self_attn.o_proj",
    attn_q_norm: "self_attn.q_norm",
    attn_k_norm: "self_attn.k_norm",
    // Gemma 1's post_attention_layernorm is the pre-MLP norm; Gemma 2/3 have a separate pre_feedforward_layernorm.
    ffn_norm: version === 1 ? "post_attention_layernorm" : "pre_feedforward_layernorm",
    post_attention_norm: "post_attention_layernorm",
    post_ffw_norm: "post_feedforward_layernorm",
    ffn_gate: "mlp.gate_proj",
    ffn_up: "mlp.up_proj",
    ffn_down: "mlp.down_proj",
  };
  const mapped = part === undefined ? undefined : hf[part];
  if (m === null || mapped === undefined) throw new RangeError(`no Hugging Face name for ${name}`);
  return `${prefix}layers.${m[1]}.${mapped}.weight`;
}

/**
 * A tiny Gemma model as a Hugging Face folder, from the same values as `tinyGemmaGguf` with the same options.
 * @example
 * const { folder } = tinyGemmaHf({ version: 2, dtype: "BF16", shards: 2 });
 * const model = await loadModel(folder, { format: "f32" });
 */
export function tinyGemmaHf(options: TinyHfOptions): TinyHfModel {
  const dtype = options.dtype ?? "F32";
  const valuesAs = ({ F32: "f32", BF16: "bf16", F16: "f16" } as const)[dtype];
  const tokenizerJson = options.tokenizerJson ?? syntheticTokenizerJson(options.vocabSize ?? 512);
  const w = tinyGemmaWeights({ ...options, valuesAs }, vocabSizeOf(tokenizerJson));
  const multimodal = options.multimodal === true && w.version === 3;
  const prefix = multimodal ? "model.language_model." : "model.";
  const tensors: SafetensorsTensorInput[] = w.tensors.map((t) => ({
    name: tinyHfName(t.name, w.version, prefix),
    dtype,
    shape: t.shape,
    data: t.isNorm ? Float64Array.from(t.values, (v) => v - 1) : t.values,
  }));
  if (multimodal) {
    tensors.unshift({ name: "model.vision_tower.vision_model.post_layernorm.weight", dtype, shape: [8], data: [] });
  }
  const files = new Map<string, Uint8Array>();
  const json = (value: unknown, indent = 2) => new TextEncoder().encode(JSON.stringify(value, null, indent));
  const text = hfConfig(w);
  files.set(
    "config.json",
    json(
      multimodal
        ? { model_type: "gemma3", architectures: ["Gemma3ForConditionalGeneration"], text_config: text }
        : text,
    ),
  );
  files.set("tokenizer.json", json(tokenizerJson, 0));
  const shards = Math.max(1, options.shards ?? 1);
  if (shards === 1) {
    files.set("model.safetensors", writeSafetensors(tensors, { format: "pt" }));
  } else {
    const weightMap: Record<string, string> = {};
    const per = Math.ceil(tensors.length / shards);
    for (let s = 0; s < shards; s++) {
      const name = `model-${String(s + 1).padStart(5, "0")}-of-${String(shards).padStart(5, "0")}.safetensors`;
      const part = tensors.slice(s * per, (s + 1) * per);
      for (const t of part) weightMap[t.name] = name;
      files.set(name, writeSafetensors(part, { format: "pt" }));
    }
    files.set("model.safetensors.index.json", json({ metadata: { total_size: 0 }, weight_map: weightMap }));
  }
  return { files, folder: memoryFolder(files), weights: w };
}

/** config.json of a tiny model, as transformers writes it for each Gemma version. */
function hfConfig(w: TinyWeights): Record<string, unknown> {
  const common = {
    vocab_size: w.vocabSize,
    hidden_size: w.hiddenSize,
    intermediate_size: w.intermediateSize,
    num_hidden_layers: w.numLayers,
    num_attention_heads: w.numHeads,
    num_key_value_heads: w.numKvHeads,
    head_dim: w.headDim,
    max_position_embeddings: w.contextLength,
    rms_norm_eps: Math.fround(1e-6), // the GGUF twin stores it as f32
    hidden_activation: "gelu_pytorch_tanh",
    bos_token_id: 2,
    eos_token_id: 1,
    pad_token_id: 0,
    torch_dtype: "bfloat16",
  };
  if (w.version === 1)
    return { architectures: ["GemmaForCausalLM"], model_type: "gemma", ...common, rope_theta: 10_000 };
  const sliding = { query_pre_attn_scalar: w.headDim, sliding_window: w.slidingWindow };
  if (w.version === 2) {
    return {
      architectures: ["Gemma2ForCausalLM"],
      model_type: "gemma2",
      ...common,
      ...sliding,
      rope_theta: 10_000,
      attn_logit_softcapping: 50,
      final_logit_softcapping: 30,
    };
  }
  return {
    architectures: ["Gemma3ForCausalLM"],
    model_type: "gemma3_text",
    ...common,
    ...sliding,
    rope_theta: 1_000_000,
    rope_local_base_freq: 10_000,
    rope_scaling: null,
  };
}

/** A tokenizer.json of the synthetic vocabulary tiny-model.ts embeds in GGUFs: specials, then `t<i>` pieces. */
function syntheticTokenizerJson(vocabSize: number): unknown {
  const specials = ["<pad>", "<eos>", "<bos>", "<unk>"];
  const vocab = Object.fromEntries(Array.from({ length: vocabSize }, (_, i) => [specials[i] ?? `t${i}`, i]));
  return {
    version: "1.0",
    added_tokens: specials.map((content, id) => ({ id, content, special: true })),
    normalizer: { type: "Replace", pattern: { String: " " }, content: "\u2581" },
    model: { type: "BPE", vocab, merges: [], unk_token: "<unk>", byte_fallback: true },
  };
}

function vocabSizeOf(tokenizerJson: unknown): number {
  const model = (tokenizerJson as { model?: { vocab?: Record<string, number> } }).model;
  const added = (tokenizerJson as { added_tokens?: Array<{ id: number }> }).added_tokens ?? [];
  let size = 0;
  for (const id of Object.values(model?.vocab ?? {})) size = Math.max(size, id + 1);
  for (const t of added) size = Math.max(size, t.id + 1);
  return size;
}
