/**
 * Loading a GGUF model into the kernels: header ▸ config ▸ weights streamed into kernel memory ▸ run state.
 */
import { type Buffer, loadKernels, type WasmKernels, type WeightTensor } from "@gemma-edge/kernels-wasm";
import { type ByteSource, bytesSource } from "../byte-source.js";
import { gemmaConfigFromGguf } from "../config/from-gguf.js";
import { readGgufHeader } from "../gguf/reader.js";
import type { GgufHeader } from "../gguf/types.js";
import type { StreamProgress } from "../tensor-stream.js";
import type { Model } from "./forward.js";
import { createRunState, type RunState, type RunStateOptions } from "./state.js";
import { type GemmaWeights, loadWeights } from "./weights.js";

export interface LoadGgufOptions extends RunStateOptions {
  /** Kernels to load into (default: new kernels with `threads`). */
  kernels?: WasmKernels;
  /** @default 1 */
  threads?: number;
  /** Pack the layers' Q4_0/Q8_0 matrices for faster prefill (see `LoadWeightsOptions.pack`). @default true */
  pack?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: StreamProgress) => void;
}

/** A model on the WASM kernels, with the file's header. */
export interface LoadedModel extends WasmModel {
  header: GgufHeader;
}

/** A model whose kernels, weights and run state live in WASM memory. */
export interface WasmModel extends Model {
  kernels: WasmKernels;
  weights: GemmaWeights<Buffer, WeightTensor>;
  state: RunState<Buffer>;
}

export async function loadGgufModel(
  file: ByteSource | Uint8Array,
  options: LoadGgufOptions = {},
): Promise<LoadedModel> {
  const source = file instanceof Uint8Array ? bytesSource(file) : file;
  const header = await readGgufHeader(source);
  const config = gemmaConfigFromGguf(header.metadata, header.tensors);
  const kernels = options.kernels ?? (await loadKernels({ threads: options.threads ?? 1 }));
  const loadOptions = {
    ...(options.pack === false ? { pack: false } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  const weights = await loadWeights(kernels, config, source, header.tensors, loadOptions);
  const state = createRunState(kernels, config, options);
  return { kernels, config, weights, state, header };
}
