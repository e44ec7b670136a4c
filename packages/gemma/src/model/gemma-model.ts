/**
 * `loadModel` → a `GemmaModel`: one call that takes a source, the thread count and a progress callback (progress is a
 * union tagged by `status`: initiate ▸ progress ▸ done ▸ ready), optionally verifies the file's SHA-256, and returns a
 * model that generates text as an AsyncIterable (abortable, seeded), scores next tokens, and tokenizes. The source is a
 * GGUF file (bytes, file or URL) or a Hugging Face folder (`ModelFolder`), whose weights are converted at load.
 * One model has one KV cache: generations run one at a time, in call order.
 */
import type { WeightFormat } from "@gemma-edge/kernels-wasm";
import { type ByteSource, bytesSource } from "../byte-source.js";
import { verifySha256 } from "../checksum.js";
import type { GemmaConfig } from "../config/gemma-config.js";
import { SourceError } from "../errors.js";
import { isModelFolder, type ModelFolder } from "../sources/model-folder.js";
import type { StreamProgress } from "../tensor-stream.js";
import { type ChatMessage, encodeGemmaChat } from "../tokenizer/chat-template.js";
import { tokenizerFromGguf } from "../tokenizer/from-gguf.js";
import type { Tokenizer } from "../tokenizer/tokenizer.js";
import { type CacheState, Engine } from "./engine.js";
import type { Model } from "./forward.js";
import { type GenerateOptions, type GenerationPart, generateTokens, scoreNext } from "./generate.js";
import { type LoadGgufOptions, loadGgufModel, type WasmModel } from "./load.js";
import { loadHfModel } from "./load-hf.js";
import type { ConvertFormat } from "./row-converter.js";
import { type BackendChoice, openWebGpu, toWebGpu, type WebGpuOptions, wasmFallback } from "./webgpu-backend.js";

export type LoadProgress =
  | { status: "initiate"; bytes: number }
  | { status: "progress"; loaded: number; total: number }
  | { status: "done"; loaded: number; total: number }
  | { status: "ready"; info: ModelInfo };

export interface LoadModelOptions extends Omit<LoadGgufOptions, "onProgress"> {
  onProgress?: (progress: LoadProgress) => void;
  /** Refuse the file unless its SHA-256 (hex) is this (single-file sources only). */
  expectedSha256?: string;
  /**
   * Hugging Face folders: the format bf16/f16/f32 matrices are converted to at load (norms stay f32). GGUF tensors
   * keep the format they have in the file.
   * @default "q8_0"
   */
  format?: ConvertFormat;
  /**
   * Where the model runs. `"auto"` takes WebGPU only when a real GPU adapter is there (a CPU fallback adapter is
   * slower than the WASM kernels); `"webgpu"` forces it (WebGpuUnavailableError without one).
   * @default "auto"
   */
  backend?: BackendChoice;
  /** The WebGPU entry point or adapter/device to use (Node: `{ gpu: create([]) }` from the `webgpu` package). */
  webgpu?: WebGpuOptions;
  /**
   * On WebGPU, keep the WASM copy of the weights (twice the memory) and continue there, mid-generation, when the
   * device is lost or runs out of memory. Without it those are thrown as DeviceLostError / GpuOutOfMemoryError.
   * @default false
   */
  fallbackToWasm?: boolean;
}

export interface ModelInfo {
  architecture: GemmaConfig["architecture"];
  /** Weight formats of the tensors (GGUF: as in the file; HF: as in kernel memory), with their counts. */
  formats: Partial<Record<WeightFormat, number>>;
  parameters: number;
  /** Size of the GGUF file, or of a folder's safetensors files. */
  fileBytes: number;
  contextLength: number;
  /** Positions this instance's KV cache holds. */
  maxContext: number;
  vocabSize: number;
  threads: number;
  /** The backend generating now (`"wasm"` after a fallback from WebGPU). */
  backend: "wasm" | "webgpu";
  /** The kernels in use: `wasm-simd`, `wasm-relaxed`, `webgpu`, or `webgpu-fallback-adapter`. */
  kernels: string;
}

export interface GenerateRequest extends GenerateOptions {
  /** Raw text (no chat template) … */
  prompt?: string;
  /** … chat messages (Gemma's chat template; a leading system message is folded into the first user turn) … */
  messages?: readonly ChatMessage[];
  /** … or prompt token ids as they are. */
  promptIds?: readonly number[];
}

export class GemmaModel {
  readonly #cache: CacheState = { tokens: [] };
  readonly #engine: Engine;
  readonly #dispose: () => void;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    engine: Engine | Model,
    readonly tokenizer: Tokenizer,
    readonly info: ModelInfo,
    dispose?: () => void,
  ) {
    this.#engine = engine instanceof Engine ? engine : new Engine(engine);
    this.#dispose = dispose ?? (() => {});
  }

  /** The model on the backend generating now. */
  get loaded(): Model {
    return this.#engine.model;
  }

  get config(): GemmaConfig {
    return this.#engine.model.config;
  }

  /** The prompt ids of a request: `<bos>` + text, the chat template, or the ids given. */
  promptIds(request: GenerateRequest): number[] {
    if (request.promptIds) return [...request.promptIds];
    if (request.messages) return encodeGemmaChat(this.tokenizer, request.messages);
    return this.tokenizer.encode(request.prompt ?? "", { addBos: true });
  }

  /**
   * Generates text deltas (never splitting a UTF-8 character) and a final `finish` part.
   * @example
   * for await (const part of model.generate({ messages: [{ role: "user", content: "Hi" }], maxTokens: 64 })) {
   *   if (part.type === "text-delta") process.stdout.write(part.text);
   * }
   */
  async *generate(request: GenerateRequest): AsyncGenerator<GenerationPart> {
    const ids = this.promptIds(request);
    const stopTokens = request.stopTokens ?? [
      this.tokenizer.eos,
      ...(this.tokenizer.endOfTurn === undefined ? [] : [this.tokenizer.endOfTurn]),
    ];
    const release = await this.#turn();
    try {
      yield* generateTokens(this.#engine, this.#cache, ids, this.tokenizer.createStreamDecoder(), {
        ...request,
        stopTokens,
      });
    } finally {
      release();
    }
  }

  /** ln p of each candidate next token after the prompt (text gets `<bos>`; ids are used as they are). */
  async score(prompt: string | readonly number[], candidates: readonly number[]): Promise<number[]> {
    const ids = typeof prompt === "string" ? this.tokenizer.encode(prompt, { addBos: true }) : prompt;
    const release = await this.#turn();
    try {
      return await scoreNext(this.#engine, this.#cache, ids, candidates);
    } finally {
      release();
    }
  }

  /** Stops the kernel threads and frees the GPU device; the model cannot be used afterwards. */
  dispose(): void {
    this.#dispose();
  }

  /** Waits for the previous generation to finish; resolves to the function that lets the next one start. */
  async #turn(): Promise<() => void> {
    let release: () => void = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#queue;
    this.#queue = previous.then(() => mine);
    await previous;
    return release;
  }
}

/**
 * Loads a Gemma model: a GGUF (file source, URL source or bytes) or a Hugging Face folder (`folderSource` from
 * `@gemma-edge/gemma/node`, or `memoryFolder`), whose bf16/f16/f32 weights are converted to `options.format`.
 * @example
 * const model = await loadModel(await fileSource("gemma-2-2b-it-Q4_0.gguf"), { threads: 2, onProgress: console.log });
 * const hf = await loadModel(folderSource("gemma-3-1b-it"), { format: "q8_0", threads: 2 });
 */
export async function loadModel(
  source: ByteSource | Uint8Array | ModelFolder,
  options: LoadModelOptions = {},
): Promise<GemmaModel> {
  // what the loaders take; backend choices are loadOnBackend's
  const { onProgress, expectedSha256, format, backend: _b, webgpu: _w, fallbackToWasm: _f, ...load } = options;
  if (isModelFolder(source)) {
    if (expectedSha256 !== undefined) {
      throw new SourceError("expectedSha256 checks a single model file; a Hugging Face folder has several");
    }
    return loadOnBackend(options, async () => {
      const loaded = await loadHfModel(source, {
        ...load,
        ...(format ? { format } : {}),
        ...(onProgress ? { onProgress } : {}),
      });
      const tensors = [...loaded.placed.values()].map((w) => ({ format: w.format, values: w.rows * w.cols }));
      return { wasm: loaded, tokenizer: loaded.tokenizer, info: modelInfo(loaded, tensors, loaded.fileBytes) };
    });
  }
  const file = source instanceof Uint8Array ? bytesSource(source) : source;
  onProgress?.({ status: "initiate", bytes: file.size });
  if (expectedSha256) await verifySha256(file, expectedSha256, options.signal);
  return loadOnBackend(options, async () => {
    const loaded = await loadGgufModel(file, {
      ...load,
      ...(onProgress ? { onProgress: (p: StreamProgress) => onProgress(p) } : {}),
    });
    const tensors = loaded.header.tensors.map((t) => ({ format: t.format, values: t.dims.reduce((a, b) => a * b, 1) }));
    return {
      wasm: loaded,
      tokenizer: tokenizerFromGguf(loaded.header.metadata),
      info: modelInfo(loaded, tensors, file.size),
    };
  });
}

/**
 * Opens the backend the options choose (before the load, so a forced WebGPU without an adapter fails fast), runs the
 * load into WASM memory, moves the model onto the backend and reports `ready`.
 */
async function loadOnBackend(
  options: LoadModelOptions,
  load: () => Promise<{ wasm: WasmModel; tokenizer: Tokenizer; info: ModelInfo }>,
): Promise<GemmaModel> {
  const gpu = await openWebGpu(options.backend ?? "auto", options.webgpu);
  const { wasm, tokenizer, info } = await load().catch((e: unknown) => {
    gpu?.destroy();
    throw e;
  });
  const model = await onBackend(wasm, gpu, tokenizer, info, options.fallbackToWasm ?? false);
  options.onProgress?.({ status: "ready", info });
  return model;
}

/**
 * The GemmaModel over the chosen backend. On WebGPU the WASM-loaded weights are uploaded, then freed — or kept as the
 * fallback (`fallbackToWasm`), which also takes over when the upload itself runs out of GPU memory.
 */
async function onBackend(
  wasm: WasmModel,
  gpu: Awaited<ReturnType<typeof openWebGpu>>,
  tokenizer: Tokenizer,
  info: ModelInfo,
  fallbackToWasm: boolean,
): Promise<GemmaModel> {
  const onWasm = () => new GemmaModel(wasm, tokenizer, info, () => wasm.kernels.close());
  if (!gpu) return onWasm();
  let onGpu: Model;
  try {
    onGpu = toWebGpu(wasm, gpu);
    await gpu.flush();
  } catch (error) {
    gpu.destroy();
    if (fallbackToWasm && (await wasmFallback(wasm)).when(error)) return onWasm();
    wasm.kernels.close();
    throw error;
  }
  info.backend = "webgpu";
  info.kernels = gpu.fallback ? "webgpu-fallback-adapter" : "webgpu";
  if (!fallbackToWasm) {
    wasm.kernels.close(); // the weights live on the GPU now; the WASM memory goes with its last reference
    return new GemmaModel(onGpu, tokenizer, info, () => gpu.destroy());
  }
  const fallback = await wasmFallback(wasm, () => {
    info.backend = "wasm";
    info.kernels = `wasm-${wasm.kernels.build}`;
  });
  return new GemmaModel(new Engine(onGpu, fallback), tokenizer, info, () => {
    gpu.destroy();
    wasm.kernels.close();
  });
}

function modelInfo(
  m: WasmModel,
  tensors: ReadonlyArray<{ format: WeightFormat; values: number }>,
  fileBytes: number,
): ModelInfo {
  const formats: Partial<Record<WeightFormat, number>> = {};
  let parameters = 0;
  for (const t of tensors) {
    formats[t.format] = (formats[t.format] ?? 0) + 1;
    parameters += t.values;
  }
  return {
    architecture: m.config.architecture,
    formats,
    parameters,
    fileBytes,
    contextLength: m.config.contextLength,
    maxContext: m.state.maxContext,
    vocabSize: m.config.vocabSize,
    threads: m.kernels.threads,
    backend: "wasm",
    kernels: `wasm-${m.kernels.build}`,
  };
}
