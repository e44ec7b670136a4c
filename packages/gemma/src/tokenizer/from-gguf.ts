/**
 * A `Tokenizer` from GGUF metadata (`tokenizer.ggml.*`) of a SentencePiece vocabulary (`tokenizer.ggml.model` =
 * "llama", what llama.cpp's converter writes for Gemma 1, 2 and 3): tokens, scores and token types as stored, the
 * special ids, and the flags — with llama.cpp's defaults where a key is missing.
 */
import { metaArray, metaNumber, metaString } from "../gguf/metadata.js";
import type { GgufMetadata } from "../gguf/types.js";
import { InvalidTokenizerError } from "./errors.js";
import { Tokenizer } from "./tokenizer.js";
import { type TokenizerVocab, TokenType } from "./vocab.js";

/**
 * Builds a tokenizer from a GGUF header's metadata.
 * @example
 * const header = await readGgufHeader(await fileSource("gemma-2-2b-it-Q4_0.gguf"));
 * const tokenizer = tokenizerFromGguf(header.metadata);
 */
export function tokenizerFromGguf(metadata: GgufMetadata): Tokenizer {
  return new Tokenizer(vocabFromGguf(metadata));
}

/** The `TokenizerVocab` in GGUF metadata. */
export function vocabFromGguf(metadata: GgufMetadata): TokenizerVocab {
  const kind = metaString(metadata, "tokenizer.ggml.model");
  if (kind !== "llama") {
    throw new InvalidTokenizerError(
      `tokenizer.ggml.model is ${kind === undefined ? "missing" : `"${kind}"`}; only "llama" (SentencePiece) is read`,
    );
  }
  const tokenList = metaArray(metadata, "tokenizer.ggml.tokens");
  if (tokenList?.itemType !== "string") throw new InvalidTokenizerError("tokenizer.ggml.tokens must be strings");
  // llama.cpp renames an empty token so that every text maps back to one id.
  const tokens = tokenList.items.map((t, i) => (t.length === 0 ? `[EMPTY_${i}]` : t));
  const n = tokens.length;

  const scores = new Float32Array(n);
  const scoreList = metaArray(metadata, "tokenizer.ggml.scores");
  if (scoreList !== undefined) {
    if (scoreList.itemType !== "f32" && scoreList.itemType !== "i32") {
      throw new InvalidTokenizerError(`tokenizer.ggml.scores must be f32 or i32, not ${scoreList.itemType}`);
    }
    if (scoreList.items.length < n) throw new InvalidTokenizerError(`${scoreList.items.length} scores for ${n} tokens`);
    scores.set(scoreList.items.subarray(0, n));
  }

  const types = new Uint8Array(n).fill(TokenType.normal);
  const typeList = metaArray(metadata, "tokenizer.ggml.token_type");
  if (typeList !== undefined) {
    if (typeList.itemType !== "i32") throw new InvalidTokenizerError("tokenizer.ggml.token_type must be i32");
    if (typeList.items.length < n)
      throw new InvalidTokenizerError(`${typeList.items.length} token types for ${n} tokens`);
    for (let i = 0; i < n; i++) {
      const t = typeList.items[i] as number;
      // llama.cpp reads an unknown type as "undefined": never special, never rendered.
      types[i] = t >= TokenType.normal && t <= TokenType.byte ? t : 0;
    }
  }

  const id = (key: string, fallback: number | undefined) => {
    const v = metaNumber(metadata, `tokenizer.ggml.${key}`);
    return v !== undefined && v < n ? v : fallback !== undefined && fallback < n ? fallback : undefined;
  };
  const flag = (key: string, fallback: boolean) => {
    const v = metadata.get(`tokenizer.ggml.${key}`);
    return v?.type === "bool" ? v.value : fallback;
  };
  const bos = id("bos_token_id", 1);
  const eos = id("eos_token_id", 2);
  if (bos === undefined || eos === undefined) throw new InvalidTokenizerError("the vocabulary has no BOS or EOS token");
  return {
    tokens,
    scores,
    types,
    bos,
    eos,
    endOfTurn: id("eot_token_id", undefined),
    unk: id("unknown_token_id", 0),
    pad: id("padding_token_id", undefined),
    addBos: flag("add_bos_token", true),
    addSpacePrefix: flag("add_space_prefix", true),
  };
}
