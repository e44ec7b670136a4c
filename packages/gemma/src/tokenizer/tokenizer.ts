/**
 * Gemma's tokenizer: SentencePiece BPE with byte fallback, special tokens parsed from text, built from a
 * `TokenizerVocab` (see `tokenizerFromHfJson` and `tokenizerFromGguf`). It reproduces llama.cpp's tokenization of the
 * same vocabulary: special tokens are cut out first (`special-split.ts`), spaces become `▁`, and each remaining piece
 * is merged by score (`spm.ts`).
 */
import { TokenIdError } from "./errors.js";
import { PieceTable } from "./pieces.js";
import { type Fragment, SpecialSplitter } from "./special-split.js";
import { SpmMerger } from "./spm.js";
import { createStreamDecoder, type StreamDecoder } from "./stream-decoder.js";
import { byteOfToken, checkVocab, type TokenizerVocab, TokenType } from "./vocab.js";

export interface EncodeOptions {
  /** Put the BOS token first. @default false */
  readonly addBos?: boolean;
  /** Turn control tokens written in the text (`<start_of_turn>`, `<bos>`…) into their ids. @default true */
  readonly parseSpecial?: boolean;
}

export interface DecodeOptions {
  /** Leave control tokens (`<bos>`, `<end_of_turn>`…) out of the text. @default false */
  readonly skipSpecial?: boolean;
}

/**
 * Tokens llama.cpp always treats as control tokens (end-of-generation markers), whatever type the file gives them
 * (`llama-vocab.cpp`, "control-looking token … its type will be overridden"); those a Gemma vocabulary can hold.
 */
const ALWAYS_CONTROL = ["<end_of_turn>", "<eos>", "</s>"];

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export class Tokenizer {
  readonly vocabSize: number;
  readonly bos: number;
  readonly eos: number;
  /** `<end_of_turn>`, where the vocabulary has it. */
  readonly endOfTurn: number | undefined;
  readonly unk: number | undefined;
  readonly pad: number | undefined;
  /** Whether the model expects prompts to start with BOS (from the file). */
  readonly addBosByDefault: boolean;
  private readonly tokens: readonly string[];
  private readonly types: Uint8Array;
  private readonly ids = new Map<string, number>();
  private readonly addSpacePrefix: boolean;
  private readonly splitter: SpecialSplitter;
  private readonly merger: SpmMerger;
  private readonly pieces: PieceTable;

  constructor(vocab: TokenizerVocab) {
    checkVocab(vocab);
    this.tokens = vocab.tokens;
    this.vocabSize = vocab.tokens.length;
    this.types = Uint8Array.from(vocab.types);
    let maxTokenLength = 0;
    const byteIds = new Int32Array(256).fill(-1);
    vocab.tokens.forEach((text, id) => {
      this.ids.set(text, id); // a duplicate text maps to its last id, as in llama.cpp
      maxTokenLength = Math.max(maxTokenLength, text.length);
      const byte = byteOfToken(text);
      if (byte !== undefined && byteIds[byte] === -1) byteIds[byte] = id;
    });
    // A byte with no <0xXX> token falls back to the one-character token of that byte, as llama.cpp does (Gemma
    // writes byte 0x09 as "\t").
    for (let b = 0; b < 0x80; b++) {
      const id = this.ids.get(String.fromCharCode(b));
      if (byteIds[b] === -1 && id !== undefined) byteIds[b] = id;
    }
    for (const text of ALWAYS_CONTROL) {
      const id = this.ids.get(text);
      if (id !== undefined) this.types[id] = TokenType.control;
    }
    this.bos = vocab.bos;
    this.eos = vocab.eos;
    this.endOfTurn = vocab.endOfTurn ?? this.ids.get("<end_of_turn>");
    this.unk = vocab.unk;
    this.pad = vocab.pad;
    this.addBosByDefault = vocab.addBos;
    this.addSpacePrefix = vocab.addSpacePrefix;
    this.splitter = new SpecialSplitter(this.tokens, this.types);
    this.merger = new SpmMerger({ ids: this.ids, scores: vocab.scores, maxTokenLength, byteIds, unk: vocab.unk });
    this.pieces = new PieceTable(this.tokens, this.types);
  }

  /**
   * Token ids of `text`.
   * @example tokenizer.encode("<start_of_turn>user\nHi<end_of_turn>\n") // [106, 1645, 108, 2151, 107, 108]
   */
  encode(text: string, { addBos = false, parseSpecial = true }: EncodeOptions = {}): number[] {
    const out: number[] = addBos ? [this.bos] : [];
    const wellFormed = text.replace(LONE_SURROGATE, "\uFFFD");
    let prevSpecial = true;
    for (const fragment of this.splitter.split(wellFormed, parseSpecial) as Fragment[]) {
      if (typeof fragment === "number") {
        out.push(fragment);
        prevSpecial = true;
        continue;
      }
      const spaced = this.addSpacePrefix && prevSpecial ? ` ${fragment}` : fragment;
      this.merger.encode(spaced.replaceAll(" ", "\u2581"), out);
      prevSpecial = false;
    }
    return out;
  }

  /** The text of `ids`. Characters split across byte tokens are joined; invalid UTF-8 becomes U+FFFD. */
  decode(ids: Iterable<number>, { skipSpecial = false }: DecodeOptions = {}): string {
    const parts: Uint8Array[] = [];
    let length = 0;
    for (const id of ids) {
      const piece = this.pieces.bytes(id, skipSpecial);
      parts.push(piece);
      length += piece.length;
    }
    const bytes = new Uint8Array(length);
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  }

  /** A decoder for generated tokens whose text deltas never split a UTF-8 character. */
  createStreamDecoder({ skipSpecial = false }: DecodeOptions = {}): StreamDecoder {
    return createStreamDecoder(this.pieces, skipSpecial);
  }

  /** The token's text as stored (`▁` for spaces, `<0x0A>` for byte tokens). */
  tokenToPiece(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) throw new TokenIdError(id);
    return this.tokens[id] as string;
  }

  /** The bytes the token decodes to. */
  tokenBytes(id: number, { skipSpecial = false }: DecodeOptions = {}): Uint8Array {
    return this.pieces.bytes(id, skipSpecial);
  }

  /** The id of a token text, if the vocabulary has it. */
  tokenId(text: string): number | undefined {
    return this.ids.get(text);
  }

  /** The token's `TokenType` (after llama.cpp's overrides). */
  tokenType(id: number): TokenType {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) throw new TokenIdError(id);
    return this.types[id] as TokenType;
  }

  /** Control or unknown tokens: `<bos>`, `<eos>`, `<start_of_turn>`, `<end_of_turn>`, `<pad>`, `<unk>`… */
  isSpecial(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && id < this.vocabSize && this.pieces.isSpecial(id);
  }
}
