/**
 * Equality with llama.cpp (node-llama-cpp's prebuilt CPU binary, vocab-only load): on a GGUF that carries Gemma's real
 * vocabulary, llama.cpp's `tokenize` (no BOS, special parsing on) and both of our loaders give the same ids for every
 * corpus line, for runs of lines joined with newlines, and for the whole corpus at once.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  corpusLines,
  gemmaTokenizerJson,
  gemmaVocabGguf,
  type LlamaTokenizer,
  loadLlamaTokenizer,
} from "../../test/tokenizer/fixtures.js";
import { bytesSource } from "../byte-source.js";
import { readGgufHeader } from "../gguf/reader.js";
import { tokenizerFromGguf } from "./from-gguf.js";
import { tokenizerFromHfJson, vocabFromHfJson } from "./from-hf.js";
import { vocabToGguf } from "./to-gguf.js";
import type { Tokenizer } from "./tokenizer.js";

const lines = corpusLines();
const cases = [
  ...lines,
  ...Array.from({ length: Math.ceil(lines.length / 8) }, (_, i) => lines.slice(i * 8, i * 8 + 8).join("\n")),
  lines.join("\n"),
];
let llama: LlamaTokenizer;
let fromJson: Tokenizer;
let fromGgufFile: Tokenizer;
let fromGgufMeta: Tokenizer;

beforeAll(async () => {
  const path = gemmaVocabGguf();
  const loaded = await loadLlamaTokenizer(path);
  if ("unavailable" in loaded) throw new Error(`node-llama-cpp cannot run here: ${loaded.unavailable}`);
  llama = loaded;
  fromJson = tokenizerFromHfJson(gemmaTokenizerJson());
  fromGgufFile = tokenizerFromGguf((await readGgufHeader(bytesSource(readFileSync(path)))).metadata);
  fromGgufMeta = tokenizerFromGguf(new Map(Object.entries(vocabToGguf(vocabFromHfJson(gemmaTokenizerJson())))));
}, 120_000);
afterAll(() => llama?.dispose());

describe("llama.cpp equality", () => {
  it("has a corpus of at least 2000 lines", () => expect(lines.length).toBeGreaterThanOrEqual(2000));

  it("tokenizer.json loader == llama.cpp, and decode(encode(x)) == x", () => {
    for (const text of cases) {
      const ids = fromJson.encode(text);
      expect(ids, text).toEqual(llama.tokenize(text));
      expect(fromJson.decode(ids)).toBe(text);
    }
  });

  it("GGUF metadata loader == llama.cpp", () => {
    for (const text of cases) expect(fromGgufMeta.encode(text), text).toEqual(llama.tokenize(text));
  });

  it("GGUF file (through readGgufHeader) == llama.cpp, the U+FEFF-prefixed tokens included", () => {
    for (const text of cases) expect(fromGgufFile.encode(text), text).toEqual(llama.tokenize(text));
    expect(fromGgufFile.encode("\ufeffx // y")).toEqual(llama.tokenize("\ufeffx // y"));
  });

  it("llama.cpp detokenizes our ids to the same text we do", () => {
    for (const text of lines.slice(0, 400)) {
      const ids = fromJson.encode(text);
      expect(llama.detokenize(ids), text).toBe(fromJson.decode(ids));
    }
  });
});
