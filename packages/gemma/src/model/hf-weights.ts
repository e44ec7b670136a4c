/**
 * Hugging Face safetensors weights into kernel memory: tensor names mapped to internal names (vision-tower tensors
 * skipped), every needed tensor checked for shape (weight-shapes.ts, shared with GGUF), then each shard streamed once
 * in file order through row converters that quantize matrices to the chosen format and keep norms as f32.
 */
import { type Buffer, rowBytes, type WasmKernels, type WeightTensor } from "@gemma-edge/kernels-wasm";
import type { ByteSource } from "../byte-source.js";
import type { GemmaConfig } from "../config/gemma-config.js";
import { hfToInternalName } from "../config/tensor-names.js";
import { LimitExceededError, SourceError } from "../errors.js";
import type { ShardedTensorInfo } from "../safetensors/sharded.js";
import { streamTensorData } from "../tensor-stream.js";
import { type ConvertFormat, checkConvertible, rowConverter } from "./row-converter.js";
import { planWeights } from "./weight-shapes.js";
import { assembleWeights, type GemmaWeights, type LoadWeightsOptions } from "./weights.js";

/** wasm32 memory tops out at 4 GiB. */
const MAX_KERNEL_BYTES = 2 ** 32;

export interface HfWeightsOptions extends LoadWeightsOptions {
  /** Format of the matrices in kernel memory (norms are always f32). @default "q8_0" */
  format?: ConvertFormat;
}

export interface LoadedHfWeights {
  weights: GemmaWeights<Buffer, WeightTensor>;
  /** The tensors loaded, by internal name, as they lie in kernel memory (packed where the weights are). */
  placed: ReadonlyMap<string, WeightTensor>;
}

/**
 * Loads the weights of a safetensors checkpoint (one file or shards). `tensors` name their shard; `shards` are the
 * open shard sources by file name.
 * @example
 * const { weights } = await loadHfWeights(kernels, config, shards, tensors, { format: "q4_0" });
 */
export async function loadHfWeights(
  kernels: WasmKernels,
  config: GemmaConfig,
  shards: ReadonlyMap<string, ByteSource>,
  tensors: readonly ShardedTensorInfo[],
  options: HfWeightsOptions = {},
): Promise<LoadedHfWeights> {
  const format = options.format ?? "q8_0";
  const named = tensors.flatMap((info) => {
    const name = hfToInternalName(info.name, config.version);
    return name === undefined ? [] : [{ name, shape: info.shape, info }];
  });
  const plan = planWeights(config, named);

  // Check every tensor, and the memory all of them need, before reserving any.
  let bytes = 0;
  for (const [name, p] of plan) {
    const target = p.isNorm ? "f32" : format;
    checkConvertible(name, p.cols, target);
    bytes += p.rows * rowBytes(target, p.cols);
  }
  if (bytes > MAX_KERNEL_BYTES - kernels.arena.used) {
    throw new LimitExceededError(
      `the weights need ${(bytes / 2 ** 30).toFixed(2)} GiB as ${format}; wasm memory holds 4 GiB — choose a smaller format`,
    );
  }

  const placed = new Map<string, WeightTensor>();
  const jobs = new Map<string, Array<{ name: string; fileOffset: number; byteLength: number; write: Sink }>>();
  for (const [name, p] of plan) {
    const target = p.isNorm ? "f32" : format;
    const w = kernels.reserve(target, p.rows, p.cols);
    placed.set(name, w);
    const { info } = p.tensor;
    const spec = { name: info.name, dtype: info.dtype, rows: p.rows, cols: p.cols, format: target };
    const write = rowConverter(spec, () => kernels.weightBytes(w));
    const list = jobs.get(info.shard) ?? [];
    list.push({ name: info.name, fileOffset: info.fileOffset, byteLength: info.byteLength, write });
    jobs.set(info.shard, list);
  }

  const total = [...jobs.values()].flat().reduce((n, j) => n + j.byteLength, 0);
  let base = 0;
  for (const [shard, list] of jobs) {
    const source = shards.get(shard);
    if (source === undefined) throw new SourceError(`shard ${shard} is not open`);
    await streamTensorData(source, list, (job, chunk, offset) => job.write(chunk, offset), {
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (p) => {
        if (p.status === "progress") options.onProgress?.({ status: "progress", loaded: base + p.loaded, total });
      },
    });
    base += list.reduce((n, j) => n + j.byteLength, 0);
  }
  options.onProgress?.({ status: "done", loaded: base, total });
  return { weights: assembleWeights(kernels, config, placed, options), placed };
}

type Sink = (chunk: Uint8Array, offsetInTensor: number) => void;
