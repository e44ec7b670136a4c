/**
 * The tokenizer's data, whatever file it came from: one entry per token id with its text, its SentencePiece score and
 * its type (GGUF `tokenizer.ggml.token_type` numbering), plus the ids and flags the encoder needs. Both loaders
 * (`tokenizer.json`, GGUF metadata) produce a `TokenizerVocab`; the `Tokenizer` class only reads this.
 */
import { TokenizerError } from "./errors.js";

/** Token types as GGUF stores them (llama.cpp's `llama_token_type`). */
export const TokenType = {
  normal: 1,
  unknown: 2,
  control: 3,
  userDefined: 4,
  unused: 5,
  byte: 6,
} as const;
export type TokenType = (typeof TokenType)[keyof typeof TokenType];

export interface TokenizerVocab {
  /** Token texts by id; spaces inside normal tokens are written `▁` (U+2581). */
  readonly tokens: readonly string[];
  /** Merge priority of each token: higher merges first. */
  readonly scores: Float32Array;
  /** `TokenType` of each token. */
  readonly types: Uint8Array;
  readonly bos: number;
  readonly eos: number;
  /** `<end_of_turn>` where the vocabulary has it. */
  readonly endOfTurn: number | undefined;
  readonly unk: number | undefined;
  readonly pad: number | undefined;
  /** Whether the model expects a BOS at the start of a prompt (callers pass `addBos`). */
  readonly addBos: boolean;
  /** SentencePiece's dummy prefix: a space before the first text (Gemma: false). */
  readonly addSpacePrefix: boolean;
}

/** Throws a `TokenizerError` unless the arrays agree in length and every special id is inside the vocabulary. */
export function checkVocab(vocab: TokenizerVocab): TokenizerVocab {
  const n = vocab.tokens.length;
  if (n === 0) throw new TokenizerError("the vocabulary is empty");
  if (vocab.scores.length !== n || vocab.types.length !== n) {
    throw new TokenizerError(`${n} tokens but ${vocab.scores.length} scores and ${vocab.types.length} types`);
  }
  for (const [name, id] of [
    ["bos", vocab.bos],
    ["eos", vocab.eos],
    ["endOfTurn", vocab.endOfTurn],
    ["unk", vocab.unk],
    ["pad", vocab.pad],
  ] as const) {
    if (id !== undefined && !(Number.isInteger(id) && id >= 0 && id < n)) {
      throw new TokenizerError(`${name} token id ${id} is outside the vocabulary of ${n} tokens`);
    }
  }
  return vocab;
}

/** The byte a byte token (`<0x41>`) stands for, or undefined for any other text. */
export function byteOfToken(text: string): number | undefined {
  const m = /^<0x([0-9A-Fa-f]{2})>$/.exec(text);
  return m?.[1] === undefined ? undefined : Number.parseInt(m[1], 16);
}
