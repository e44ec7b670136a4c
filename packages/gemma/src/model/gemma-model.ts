/**
 * `loadModel` → a `GemmaModel`: one call that takes a source, the thread count and a progress callback (progress is a
 * union tagged by `status`: initiate ▸ progress ▸ done ▸ ready), optionally verifies the file's SHA-256, and returns a
 * model that generates text as an AsyncIterable (abortable, seeded), scores next tokens, and tokenizes.
 * One model has one KV cache: generations run one at a time, in call order.
 */
import type { WeightFormat } from "@gemma-edge/kernels-wasm";
import { type ByteSource, bytesSource } from "../byte-source.js";
import { verifySha256 } from "../checksum.js";
import type { GemmaConfig } from "../config/gemma-config.js";
import type { StreamProgress } from "../tensor-stream.js";
import { type ChatMessage, encodeGemmaChat } from "../tokenizer/chat-template.js";
import { tokenizerFromGguf } from "../tokenizer/from-gguf.js";
import type { Tokenizer } from "../tokenizer/tokenizer.js";
import { type CacheState, type GenerateOptions, type GenerationPart, generateTokens, scoreNext } from "./generate.js";
import { type LoadedModel, type LoadGgufOptions, loadGgufModel } from "./load.js";

export type LoadProgress =
  | { status: "initiate"; bytes: number }
  | { status: "progress"; loaded: number; total: number }
  | { status: "done"; loaded: number; total: number }
  | { status: "ready"; info: ModelInfo };

export interface LoadModelOptions extends Omit<LoadGgufOptions, "onProgress"> {
  onProgress?: (progress: LoadProgress) => void;
  /** Refuse the file unless its SHA-256 (hex) is this. */
  expectedSha256?: string;
}

export interface ModelInfo {
  architecture: GemmaConfig["architecture"];
  /** Weight formats of the matrices, with their tensor counts. */
  formats: Partial<Record<WeightFormat, number>>;
  parameters: number;
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
    readonly loaded: LoadedModel,
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
 * Loads a Gemma GGUF (file source, URL source or bytes).
 * @example
 * const model = await loadModel(await fileSource("gemma-2-2b-it-Q4_0.gguf"), { threads: 2, onProgress: console.log });
 */
export async function loadModel(file: ByteSource | Uint8Array, options: LoadModelOptions = {}): Promise<GemmaModel> {
  const source = file instanceof Uint8Array ? bytesSource(file) : file;
  const { onProgress, expectedSha256, ...rest } = options;
  onProgress?.({ status: "initiate", bytes: source.size });
  if (expectedSha256) await verifySha256(source, expectedSha256, options.signal);
  const loaded = await loadGgufModel(source, {
    ...rest,
    ...(onProgress ? { onProgress: (p: StreamProgress) => onProgress(p) } : {}),
  });
  const tokenizer = tokenizerFromGguf(loaded.header.metadata);
  const formats: Partial<Record<WeightFormat, number>> = {};
  let parameters = 0;
  for (const t of loaded.header.tensors) {
    formats[t.format] = (formats[t.format] ?? 0) + 1;
    parameters += t.dims.reduce((a, b) => a * b, 1);
  }
  const info: ModelInfo = {
    architecture: loaded.config.architecture,
    formats,
    parameters,
    fileBytes: source.size,
    contextLength: loaded.config.contextLength,
    maxContext: loaded.state.maxContext,
    vocabSize: loaded.config.vocabSize,
    threads: loaded.kernels.threads,
    kernels: `wasm-${loaded.kernels.build}`,
  };
  onProgress?.({ status: "ready", info });
  return new GemmaModel(loaded, tokenizer, info);
}
