/**
 * Loading a Hugging Face Gemma folder into the kernels: config.json ▸ tokenizer.json (and tokenizer_config.json if
 * present) ▸ safetensors headers (`model.safetensors`, or the shards of `model.safetensors.index.json`) ▸ weights
 * converted at load to the chosen format, straight into kernel memory ▸ run state. Every file is checked before
 * anything large is allocated; files opened here are closed here.
 */
import { loadKernels, type WasmKernels, type WeightTensor } from "@gemma-edge/kernels-wasm";
import type { ByteSource } from "../byte-source.js";
import { gemmaConfigFromHf } from "../config/from-hf.js";
import { ConfigError, SourceError } from "../errors.js";
import { readSafetensorsHeader } from "../safetensors/reader.js";
import { openShardedSafetensors, readSafetensorsIndex, type ShardedTensorInfo } from "../safetensors/sharded.js";
import { type ModelFolder, readFolderJson } from "../sources/model-folder.js";
import type { StreamProgress } from "../tensor-stream.js";
import { type HfTokenizerConfig, tokenizerFromHfJson } from "../tokenizer/from-hf.js";
import type { Tokenizer } from "../tokenizer/tokenizer.js";
import { type HfWeightsOptions, loadHfWeights } from "./hf-weights.js";
import type { WasmModel } from "./load.js";
import { createRunState, type RunStateOptions } from "./state.js";

/** Largest JSON files accepted (Gemma 3's tokenizer.json is about 33 MB). */
const MAX_JSON_BYTES = { config: 1 << 20, tokenizer: 256 << 20, tokenizerConfig: 64 << 20, index: 64 << 20 };

export type HfLoadProgress = { readonly status: "initiate"; readonly bytes: number } | StreamProgress;

export interface LoadHfOptions extends RunStateOptions, Omit<HfWeightsOptions, "onProgress"> {
  /** Kernels to load into (default: new kernels with `threads`). */
  kernels?: WasmKernels;
  /** @default 1 */
  threads?: number;
  /** `initiate` (with the safetensors files' total size) once the headers are read, then the weights' progress. */
  onProgress?: (progress: HfLoadProgress) => void;
}

export interface LoadedHfModel extends WasmModel {
  tokenizer: Tokenizer;
  /** The checkpoint's tensors (Hugging Face names) with their shards. */
  tensors: readonly ShardedTensorInfo[];
  /** The tensors the model uses, by internal name, as they lie in kernel memory. */
  placed: ReadonlyMap<string, WeightTensor>;
  /** Total size of the safetensors files. */
  fileBytes: number;
}

/**
 * Loads a Gemma 1, 2 or 3 Hugging Face folder; bf16/f16/f32 matrices are converted to `format` (default q8_0).
 * @example
 * const model = await loadHfModel(await folderSource("gemma-2-2b-it"), { format: "q4_0", threads: 2 });
 */
export async function loadHfModel(folder: ModelFolder, options: LoadHfOptions = {}): Promise<LoadedHfModel> {
  const config = gemmaConfigFromHf(await requiredJson(folder, "config.json", MAX_JSON_BYTES.config));
  const tokenizer = tokenizerFromHfJson(
    await requiredJson(folder, "tokenizer.json", MAX_JSON_BYTES.tokenizer),
    tokenizerConfig(await readFolderJson(folder, "tokenizer_config.json", MAX_JSON_BYTES.tokenizerConfig)),
  );
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new ConfigError(
      `tokenizer.json has ${tokenizer.vocabSize} tokens; config.json's vocab_size is ${config.vocabSize}`,
      "vocab_size",
    );
  }
  const opened: ByteSource[] = [];
  try {
    const { shards, tensors } = await openCheckpoint(folder, opened);
    const fileBytes = [...shards.values()].reduce((n, s) => n + s.size, 0);
    options.onProgress?.({ status: "initiate", bytes: fileBytes });
    const kernels = options.kernels ?? (await loadKernels({ threads: options.threads ?? 1 }));
    try {
      const { weights, placed } = await loadHfWeights(kernels, config, shards, tensors, {
        ...(options.format ? { format: options.format } : {}),
        ...(options.pack === false ? { pack: false } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      const state = createRunState(kernels, config, options);
      return { kernels, config, weights, state, tokenizer, tensors, placed, fileBytes };
    } catch (e) {
      if (options.kernels === undefined) kernels.close();
      throw e;
    }
  } finally {
    for (const source of opened) await source.close?.();
  }
}

async function requiredJson(folder: ModelFolder, name: string, maxBytes: number): Promise<unknown> {
  const json = await readFolderJson(folder, name, maxBytes);
  if (json === undefined) throw new SourceError(`the model folder has no ${name}`);
  return json;
}

function tokenizerConfig(json: unknown): HfTokenizerConfig {
  return typeof json === "object" && json !== null && !Array.isArray(json) ? (json as HfTokenizerConfig) : {};
}

/** The safetensors tensors of a folder and its open files: one `model.safetensors`, or the shards of an index. */
async function openCheckpoint(
  folder: ModelFolder,
  opened: ByteSource[],
): Promise<{ shards: ReadonlyMap<string, ByteSource>; tensors: readonly ShardedTensorInfo[] }> {
  const open = async (name: string, what: string) => {
    const source = await folder.open(name);
    if (source === undefined) throw new SourceError(`the model folder has no ${what} ${name}`);
    opened.push(source);
    return source;
  };
  const indexJson = await readFolderJson(folder, "model.safetensors.index.json", MAX_JSON_BYTES.index);
  if (indexJson !== undefined) {
    return openShardedSafetensors(readSafetensorsIndex(indexJson), (shard) => open(shard, "shard"));
  }
  const source = await folder.open("model.safetensors");
  if (source === undefined) {
    throw new SourceError("the model folder has neither model.safetensors nor model.safetensors.index.json");
  }
  opened.push(source);
  const header = await readSafetensorsHeader(source);
  const shard = "model.safetensors";
  return { shards: new Map([[shard, source]]), tensors: header.tensors.map((t) => ({ ...t, shard })) };
}
