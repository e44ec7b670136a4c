import { describe, expect, it } from "vitest";
import { tinyVocab } from "../../test/tokenizer/tiny-vocab.js";
import { TokenIdError, TokenizerError } from "./errors.js";
import { Tokenizer } from "./tokenizer.js";
import { TokenType } from "./vocab.js";

const chars = ["a", "b", "c", "d", "x", "y", "z", "w", "h", "i", "\u2581", "é"].map((c) => [c, -100] as const);
const pieces = (t: Tokenizer, ids: number[]) => ids.map((id) => t.tokenToPiece(id));

describe("SentencePiece merging", () => {
  it("merges the highest-scoring pair first", () => {
    const bcFirst = new Tokenizer(tinyVocab([...chars, ["ab", -2], ["bc", -1]]));
    expect(pieces(bcFirst, bcFirst.encode("abc"))).toEqual(["a", "bc"]);
    const abFirst = new Tokenizer(tinyVocab([...chars, ["ab", -1], ["bc", -2]]));
    expect(pieces(abFirst, abFirst.encode("abc"))).toEqual(["ab", "c"]);
  });

  it("breaks ties leftmost and keeps merging merged symbols", () => {
    const t = new Tokenizer(tinyVocab([...chars, ["aa", -1], ["aaaa", -3]]));
    expect(pieces(t, t.encode("aaa"))).toEqual(["aa", "a"]);
    expect(pieces(t, t.encode("aaaaa"))).toEqual(["aaaa", "a"]);
    const u = new Tokenizer(tinyVocab([...chars, ["ab", -1], ["abc", -5], ["abcd", -4]]));
    expect(pieces(u, u.encode("abcd"))).toEqual(["abcd"]);
  });

  it("writes spaces as ▁ and adds the dummy prefix only when the vocabulary asks", () => {
    const tokens = [...chars, ["\u2581a", -1], ["\u2581\u2581", -2]] as const;
    const t = new Tokenizer(tinyVocab(tokens));
    expect(pieces(t, t.encode(" a  a"))).toEqual(["\u2581a", "\u2581", "\u2581a"]);
    expect(pieces(t, t.encode("a"))).toEqual(["a"]);
    const p = new Tokenizer(tinyVocab(tokens, { addSpacePrefix: true }));
    expect(pieces(p, p.encode("a<bos>a"))).toEqual(["\u2581a", "<bos>", "\u2581a"]);
  });

  it("falls back to UTF-8 byte tokens, or to <unk> when there are none", () => {
    const t = new Tokenizer(tinyVocab(chars));
    expect(pieces(t, t.encode("aßé😀"))).toEqual([
      "a",
      "<0xC3>",
      "<0x9F>",
      "é",
      "<0xF0>",
      "<0x9F>",
      "<0x98>",
      "<0x80>",
    ]);
    const u = new Tokenizer(tinyVocab(chars, { bytes: false }));
    expect(u.encode("aß")).toEqual([t.tokenId("a"), 3, 3]);
  });

  it("encodes a lone surrogate as U+FFFD, as llama.cpp receives it", () => {
    const t = new Tokenizer(tinyVocab(chars));
    expect(t.encode("a\ud800b")).toEqual(t.encode("a\ufffdb"));
    expect(t.encode("\udc00")).toEqual(t.encode("\ufffd"));
    expect(t.encode("😀")).not.toEqual(t.encode("\ufffd\ufffd"));
  });

  it("adds BOS only when asked", () => {
    const t = new Tokenizer(tinyVocab(chars));
    expect(t.encode("a", { addBos: true })).toEqual([2, t.tokenId("a")]);
    expect(t.encode("")).toEqual([]);
    expect(t.encode("", { addBos: true })).toEqual([2]);
  });
});

describe("special tokens in text", () => {
  const t = new Tokenizer(
    tinyVocab([
      ...chars,
      ["<", -100],
      [">", -100],
      ["<table>", 0, TokenType.userDefined],
      ["xy", 0, TokenType.userDefined],
      ["yzw", 0, TokenType.userDefined],
    ]),
  );

  it("parses control tokens only when parseSpecial is on", () => {
    expect(t.encode("<start_of_turn>a<end_of_turn>")).toEqual([4, t.tokenId("a"), 5]);
    const plain = t.encode("<start_of_turn>a", { parseSpecial: false });
    expect(plain).not.toContain(4);
    expect(t.decode(plain)).toBe("<start_of_turn>a");
  });

  it("always cuts out user-defined tokens", () => {
    const table = t.tokenId("<table>");
    expect(t.encode("a<table>b", { parseSpecial: false })).toEqual([t.tokenId("a"), table, t.tokenId("b")]);
  });

  it("takes the longest special token first, as llama.cpp does, not the leftmost", () => {
    expect(pieces(t, t.encode("xyzw"))).toEqual(["x", "yzw"]);
    expect(pieces(t, t.encode("xyxyzw"))).toEqual(["xy", "x", "yzw"]);
  });

  it("finds adjacent and repeated special tokens", () => {
    expect(t.encode("<bos><bos>a<eos>")).toEqual([2, 2, t.tokenId("a"), 1]);
  });
});

describe("decoding", () => {
  const t = new Tokenizer(
    tinyVocab([...chars, ["\u2581a", -1], ["<table>", 0, TokenType.userDefined], ["<gone>", 0, TokenType.unused]]),
  );

  it("renders ▁ as a space, bytes as bytes, and skips control tokens on request", () => {
    const ids = t.encode("<bos> a<table>é😀<end_of_turn>");
    expect(t.decode(ids)).toBe("<bos> a<table>é😀<end_of_turn>");
    expect(t.decode(ids, { skipSpecial: true })).toBe(" a<table>é😀");
    expect(t.decode([t.tokenId("<gone>") as number])).toBe("");
  });

  it("keeps a leading byte-order mark and turns stray bytes into U+FFFD", () => {
    expect(t.decode(t.encode("\ufeffa"))).toBe("\ufeffa");
    expect(t.decode([t.tokenId("<0xF0>") as number, t.tokenId("a") as number])).toBe("\ufffda");
  });

  it("refuses ids outside the vocabulary", () => {
    expect(() => t.decode([t.vocabSize])).toThrow(TokenIdError);
    expect(() => t.tokenToPiece(-1)).toThrow(TokenIdError);
    expect(() => t.tokenType(1.5)).toThrow(TokenIdError);
    expect(t.isSpecial(t.vocabSize)).toBe(false);
  });

  it("says which tokens are special", () => {
    expect([0, 1, 2, 3, 4, 5].map((id) => t.isSpecial(id))).toEqual([true, true, true, true, true, true]);
    expect(t.isSpecial(t.tokenId("<table>") as number)).toBe(false);
    expect(t.isSpecial(t.tokenId("a") as number)).toBe(false);
  });

  it("streams text without splitting a character across deltas", () => {
    const ids = t.encode("a😀é");
    const stream = t.createStreamDecoder();
    const deltas = ids.map((id) => stream.push(id));
    expect(deltas).toEqual(["a", "", "", "", "😀", "é"]);
    expect(stream.flush()).toBe("");
    expect(stream.push(t.tokenId("<0xF0>") as number)).toBe("");
    expect(stream.flush()).toBe("\ufffd");
    expect(stream.push(t.tokenId("a") as number)).toBe("a");
    const quiet = t.createStreamDecoder({ skipSpecial: true });
    expect([2, ...t.encode("a")].map((id) => quiet.push(id)).join("")).toBe("a");
  });
});

describe("vocabulary checks", () => {
  it("refuses inconsistent vocabularies", () => {
    const v = tinyVocab(chars);
    expect(() => new Tokenizer({ ...v, scores: new Float32Array(1) })).toThrow(TokenizerError);
    expect(() => new Tokenizer({ ...v, bos: v.tokens.length })).toThrow(/bos/);
    expect(() => new Tokenizer({ ...v, tokens: [], scores: new Float32Array(), types: new Uint8Array() })).toThrow(
      /empty/,
    );
  });

  it("treats end-of-generation tokens as control tokens whatever the file says, like llama.cpp", () => {
    const v = tinyVocab([...chars, ["</s>", 0, TokenType.userDefined]]);
    const t = new Tokenizer({ ...v, types: Uint8Array.from(v.types, (ty, i) => (i === 5 ? TokenType.normal : ty)) });
    expect(t.tokenType(5)).toBe(TokenType.control);
    expect(t.tokenType(t.tokenId("</s>") as number)).toBe(TokenType.control);
    expect(t.endOfTurn).toBe(5);
  });
});
