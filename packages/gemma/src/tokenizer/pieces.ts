/**
 * The bytes each token stands for when decoding, as llama.cpp's `token_to_piece` renders them for a SentencePiece
 * vocabulary: normal tokens with `▁` turned back into spaces, byte tokens as their one byte, user-defined tokens as
 * written, control and unknown tokens as written unless special tokens are skipped, unused tokens as nothing.
 * Pieces are bytes, not strings: a character may be split across byte tokens.
 */
import { TokenIdError } from "./errors.js";
import { byteOfToken, TokenType } from "./vocab.js";

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

export class PieceTable {
  private readonly cache: Array<Uint8Array | undefined>;

  constructor(
    private readonly tokens: readonly string[],
    private readonly types: Uint8Array,
  ) {
    this.cache = new Array(tokens.length);
  }

  /** Control or unknown: text that is not text (`<bos>`, `<end_of_turn>`, `<unk>`). */
  isSpecial(id: number): boolean {
    const type = this.types[id];
    return type === TokenType.control || type === TokenType.unknown;
  }

  /** The bytes of token `id`; empty for a special token when `skipSpecial`. */
  bytes(id: number, skipSpecial: boolean): Uint8Array {
    if (!Number.isInteger(id) || id < 0 || id >= this.tokens.length) throw new TokenIdError(id);
    if (skipSpecial && this.isSpecial(id)) return EMPTY;
    let piece = this.cache[id];
    if (piece === undefined) {
      piece = this.render(id);
      this.cache[id] = piece;
    }
    return piece;
  }

  private render(id: number): Uint8Array {
    const text = this.tokens[id] as string;
    switch (this.types[id]) {
      case TokenType.normal:
        return encoder.encode(text.replaceAll("\u2581", " "));
      case TokenType.byte: {
        const byte = byteOfToken(text);
        return byte === undefined ? encoder.encode(text) : Uint8Array.of(byte);
      }
      case TokenType.control:
      case TokenType.unknown:
      case TokenType.userDefined:
        return encoder.encode(text);
      default:
        return EMPTY;
    }
  }
}
