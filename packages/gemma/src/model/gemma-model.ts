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
import type { Model } from "./forward.js";
import { type CacheState, type GenerateOptions, type GenerationPart, generateTokens, scoreNext } from "./generate.js";
import { type LoadGgufOptions, loadGgufModel } from "./load.js";
import { loadHfModel } from "./load-hf.js";
import type { ConvertFormat } from "./row-converter.js";

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
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly loaded: Model,
    readonly tokenizer: Tokenizer,
    readonly info: ModelInfo,
  ) {}

  get config(): GemmaConfig {
    return this.loaded.config;
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
      yield* generateTokens(this.loaded, this.#cache, ids, this.tokenizer.createStreamDecoder(), {
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
      return scoreNext(this.loaded, this.#cache, ids, candidates);
    } finally {
      release();
    }
  }

  /** Stops the kernel threads; the model cannot be used afterwards. */
  dispose(): void {
    this.loaded.kernels.close();
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
  if (isModelFolder(source)) return loadFolder(source, options);
  const file = source instanceof Uint8Array ? bytesSource(source) : source;
  const { onProgress, expectedSha256, format: _format, ...rest } = options;
  onProgress?.({ status: "initiate", bytes: file.size });
  if (expectedSha256) await verifySha256(file, expectedSha256, options.signal);
  const loaded = await loadGgufModel(file, {
    ...rest,
    ...(onProgress ? { onProgress: (p: StreamProgress) => onProgress(p) } : {}),
  });
  const tokenizer = tokenizerFromGguf(loaded.header.metadata);
  const info = modelInfo(
    loaded,
    loaded.header.tensors.map((t) => ({ format: t.format, values: t.dims.reduce((a, b) => a * b, 1) })),
    file.size,
  );
  onProgress?.({ status: "ready", info });
  return new GemmaModel(loaded, tokenizer, info);
}

async function loadFolder(folder: ModelFolder, options: LoadModelOptions): Promise<GemmaModel> {
  const { onProgress, expectedSha256, ...rest } = options;
  if (expectedSha256 !== undefined) {
    throw new SourceError("expectedSha256 checks a single model file; a Hugging Face folder has several");
  }
  const loaded = await loadHfModel(folder, { ...rest, ...(onProgress ? { onProgress } : {}) });
  const info = modelInfo(
    loaded,
    [...loaded.placed.values()].map((w) => ({ format: w.format, values: w.rows * w.cols })),
    loaded.fileBytes,
  );
  onProgress?.({ status: "ready", info });
  return new GemmaModel(loaded, loaded.tokenizer, info);
}

function modelInfo(
  m: Model,
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
    kernels: `wasm-${m.kernels.build}`,
  };
}
