/** A hand-built vocabulary for unit tests: the tokens given, then the 256 byte tokens `<0x00>`..`<0xFF>`. */
import { type TokenizerVocab, TokenType } from "../../src/tokenizer/vocab.js";

export type TinyToken = readonly [text: string, score?: number, type?: TokenType];

export const TINY_SPECIALS: readonly TinyToken[] = [
  ["<pad>", 0, TokenType.control],
  ["<eos>", 0, TokenType.control],
  ["<bos>", 0, TokenType.control],
  ["<unk>", 0, TokenType.unknown],
  ["<start_of_turn>", 0, TokenType.control],
  ["<end_of_turn>", 0, TokenType.control],
];

export function tinyVocab(
  tokens: readonly TinyToken[],
  { bytes = true, addSpacePrefix = false }: { bytes?: boolean; addSpacePrefix?: boolean } = {},
): TokenizerVocab {
  const all: TinyToken[] = [...TINY_SPECIALS, ...tokens];
  if (bytes) {
    for (let b = 0; b < 256; b++) all.push([`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`, 0, TokenType.byte]);
  }
  return {
    tokens: all.map((t) => t[0]),
    scores: Float32Array.from(all.map((t) => t[1] ?? 0)),
    types: Uint8Array.from(all.map((t) => t[2] ?? TokenType.normal)),
    bos: 2,
    eos: 1,
    endOfTurn: 5,
    unk: 3,
    pad: 0,
    addBos: true,
    addSpacePrefix,
  };
}
