import { describe, expect, it } from "vitest";
import { tinyVocab } from "../../test/tokenizer/tiny-vocab.js";
import { bytesSource } from "../byte-source.js";
import { readGgufHeader } from "../gguf/reader.js";
import type { GgufValue } from "../gguf/types.js";
import { gguf, writeGguf } from "../gguf/writer.js";
import { InvalidTokenizerError } from "./errors.js";
import { tokenizerFromGguf, vocabFromGguf } from "./from-gguf.js";
import { vocabToGguf } from "./to-gguf.js";
import { TokenType } from "./vocab.js";

const vocab = tinyVocab([
  ["a", -10],
  ["b", -10],
  ["ab", -1],
  ["<table>", 0, TokenType.userDefined],
]);
const meta = (over: Record<string, GgufValue | undefined> = {}) => {
  const m = new Map(Object.entries({ ...vocabToGguf(vocab), ...over }));
  for (const [k, v] of m) if (v === undefined) m.delete(k);
  return m as Map<string, GgufValue>;
};

describe("tokenizer from GGUF metadata", () => {
  it("round-trips a vocabulary through a GGUF file", async () => {
    const bytes = writeGguf({
      metadata: { "general.architecture": gguf.string("gemma"), ...vocabToGguf(vocab) },
      tensors: [],
    });
    const back = vocabFromGguf((await readGgufHeader(bytesSource(bytes))).metadata);
    expect(back).toEqual({ ...vocab, tokens: [...vocab.tokens] });
    const t = tokenizerFromGguf((await readGgufHeader(bytesSource(bytes))).metadata);
    expect(t.encode("<bos>ab<table>")).toEqual([2, t.tokenId("ab"), t.tokenId("<table>")]);
  });

  it("uses llama.cpp's defaults for missing keys", () => {
    const v = vocabFromGguf(
      meta({
        "tokenizer.ggml.scores": undefined,
        "tokenizer.ggml.token_type": undefined,
        "tokenizer.ggml.bos_token_id": undefined,
        "tokenizer.ggml.add_bos_token": undefined,
        "tokenizer.ggml.add_space_prefix": undefined,
        "tokenizer.ggml.eot_token_id": undefined,
      }),
    );
    expect([v.bos, v.addBos, v.addSpacePrefix, v.endOfTurn]).toEqual([1, true, true, undefined]);
    expect(v.scores.every((s) => s === 0)).toBe(true);
    expect(v.types.every((t) => t === TokenType.normal)).toBe(true);
  });

  it("accepts integer scores, renames empty tokens and neutralizes unknown types", () => {
    const n = vocab.tokens.length;
    const v = vocabFromGguf(
      meta({
        "tokenizer.ggml.scores": gguf.array("i32", new Int32Array(n).fill(-3)),
        "tokenizer.ggml.tokens": gguf.array(
          "string",
          vocab.tokens.map((t, i) => (i === 7 ? "" : t)),
        ),
        "tokenizer.ggml.token_type": gguf.array(
          "i32",
          Int32Array.from(vocab.types, (t, i) => (i === 6 ? 9 : t)),
        ),
      }),
    );
    expect(v.scores[0]).toBe(-3);
    expect(v.tokens[7]).toBe("[EMPTY_7]");
    expect(v.types[6]).toBe(0);
  });

  it.each([
    [{ "tokenizer.ggml.model": gguf.string("gpt2") }, /"gpt2"/],
    [{ "tokenizer.ggml.model": undefined }, /missing/],
    [{ "tokenizer.ggml.tokens": gguf.array("i32", new Int32Array(3)) }, /must be strings/],
    [{ "tokenizer.ggml.scores": gguf.array("f32", new Float32Array(2)) }, /2 scores/],
    [{ "tokenizer.ggml.scores": gguf.array("u8", new Uint8Array(400)) }, /f32 or i32/],
    [{ "tokenizer.ggml.token_type": gguf.array("u32", new Uint32Array(400)) }, /must be i32/],
    [{ "tokenizer.ggml.token_type": gguf.array("i32", new Int32Array(1)) }, /1 token types/],
  ])("refuses bad metadata %#", (over, message) => {
    expect(() => vocabFromGguf(meta(over))).toThrow(InvalidTokenizerError);
    expect(() => vocabFromGguf(meta(over))).toThrow(message);
  });
});
