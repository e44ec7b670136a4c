/**
 * `GemmaConfig` from a Hugging Face `config.json` (`model_type` gemma, gemma2, gemma3_text, or gemma3 with a
 * `text_config`). Gemma 3 configs leave many fields at transformers' `Gemma3TextConfig` defaults, so those defaults
 * are filled in here; the fields that size the model (hidden_size, intermediate_size, num_hidden_layers) are required.
 */
import { ConfigError, UnsupportedArchitectureError } from "../errors.js";
import { buildGemmaConfig, type GemmaArchitecture, type GemmaConfig } from "./gemma-config.js";

const MODEL_TYPES: Readonly<Record<string, GemmaArchitecture>> = {
  gemma: "gemma",
  gemma2: "gemma2",
  gemma3_text: "gemma3",
  gemma3: "gemma3",
};

/** transformers' Gemma3TextConfig defaults for fields real Gemma 3 configs omit. */
const GEMMA3_DEFAULTS: Readonly<Record<string, unknown>> = {
  vocab_size: 262_208,
  num_attention_heads: 8,
  num_key_value_heads: 4,
  head_dim: 256,
  max_position_embeddings: 131_072,
  rms_norm_eps: 1e-6,
  rope_theta: 1_000_000,
  rope_local_base_freq: 10_000,
  query_pre_attn_scalar: 256,
  sliding_window: 4096,
  sliding_window_pattern: 6,
};

/**
 * Reads a Gemma config from a parsed config.json.
 * @example
 * const config = gemmaConfigFromHf(JSON.parse(await (await fetch(`${repo}/config.json`)).text()));
 */
export function gemmaConfigFromHf(json: unknown): GemmaConfig {
  if (typeof json !== "object" || json === null) throw new ConfigError("config.json must be an object", "");
  let raw = json as Record<string, unknown>;
  if (raw.model_type === "gemma3" && typeof raw.text_config === "object" && raw.text_config !== null) {
    raw = { model_type: "gemma3_text", ...(raw.text_config as Record<string, unknown>) };
  }
  const modelType = raw.model_type;
  const arch = typeof modelType === "string" ? MODEL_TYPES[modelType] : undefined;
  if (arch === undefined)
    throw new UnsupportedArchitectureError(`model_type ${String(modelType)} is not a Gemma text model`);
  const cfg = arch === "gemma3" ? { ...GEMMA3_DEFAULTS, ...raw } : raw;
  const num = (key: string, fallback?: number): number => {
    const v = cfg[key] ?? fallback;
    if (typeof v !== "number")
      throw new ConfigError(`config.json: ${key} must be a number; it is ${JSON.stringify(v)}`, key);
    return v;
  };
  const optNum = (key: string): number | null => (cfg[key] === undefined || cfg[key] === null ? null : num(key));
  const numHeads = num("num_attention_heads");
  const hiddenSize = num("hidden_size");
  const headDim = num("head_dim", hiddenSize / numHeads);
  const slidingWindow = arch === "gemma" ? null : optNum("sliding_window");
  return buildGemmaConfig({
    architecture: arch,
    source: "hf",
    vocabSize: num("vocab_size"),
    contextLength: num("max_position_embeddings"),
    hiddenSize,
    intermediateSize: num("intermediate_size"),
    numLayers: num("num_hidden_layers"),
    numHeads,
    numKvHeads: num("num_key_value_heads", numHeads),
    headDim,
    valueHeadDim: headDim,
    rmsNormEps: num("rms_norm_eps"),
    queryScale: 1 / Math.sqrt(arch === "gemma" ? headDim : num("query_pre_attn_scalar")),
    attnLogitSoftcap: arch === "gemma" ? null : optNum("attn_logit_softcapping"),
    finalLogitSoftcap: arch === "gemma" ? null : optNum("final_logit_softcapping"),
    slidingWindow,
    ropeTheta: num("rope_theta", 10_000),
    ropeLocalTheta: num("rope_local_base_freq", 10_000),
    ropeScaling: ropeScaling(cfg.rope_scaling),
    normPlusOne: true,
    slidingLayers: layerTypes(cfg.layer_types),
    slidingPeriod:
      cfg.sliding_window_pattern === undefined || cfg.sliding_window_pattern === null
        ? undefined
        : num("sliding_window_pattern"),
  });
}

function ropeScaling(v: unknown): GemmaConfig["ropeScaling"] {
  if (v === undefined || v === null) return null;
  if (typeof v !== "object") throw new ConfigError("config.json: rope_scaling must be an object", "rope_scaling");
  const r = v as Record<string, unknown>;
  const type = r.rope_type ?? r.type;
  if (type === "default") return null;
  if (type !== "linear" || typeof r.factor !== "number") {
    throw new ConfigError(
      `config.json: rope_scaling ${JSON.stringify(v)} is not linear scaling with a factor`,
      "rope_scaling",
    );
  }
  return r.factor === 1 ? null : { type: "linear", factor: r.factor };
}

function layerTypes(v: unknown): boolean[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new ConfigError("config.json: layer_types must be an array", "layer_types");
  return v.map((t, i) => {
    if (t === "sliding_attention") return true;
    if (t === "full_attention") return false;
    throw new ConfigError(`config.json: layer_types[${i}] is ${JSON.stringify(t)}`, "layer_types");
  });
}
