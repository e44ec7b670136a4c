/**
 * Tokenizer fixtures for the ONNX classifier's tests (no tokenizer file of a text-classification model is installed
 * here): `TINY_BERT_TOKENIZER`, a WordPiece `tokenizer.json` in exactly the layout `bert-base-uncased`'s has
 * (BertNormalizer, BertPreTokenizer, TemplateProcessing [CLS] A [SEP], WordPiece with `##`) over a 200-entry
 * vocabulary, and `TINY_ROBERTA_TOKENIZER`, a byte-level BPE one in `roberta-base`'s layout.
 */

const SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
const WORDS = [
  "the",
  "i",
  "you",
  "he",
  "she",
  "it",
  "we",
  "they",
  "is",
  "are",
  "was",
  "will",
  "and",
  "to",
  "of",
  "in",
  "for",
  "on",
  "with",
  "this",
  "that",
  "hello",
  "world",
  "cafe",
  "naive",
  "hate",
  "kill",
  "love",
  "cats",
  "dogs",
  "play",
  "un",
  "##believ",
  "##able",
  "##ing",
  "##ed",
  "##s",
  "##ly",
  "##er",
  "stupid",
  "idiot",
  "bomb",
  "make",
  "how",
  "do",
  "what",
  "time",
  "nice",
  "day",
  "have",
  "good",
  "people",
  "them",
  "all",
  "damn",
  "hell",
  "weather",
  "today",
  "tomorrow",
  "going",
  "park",
  "book",
  "read",
  "run",
  "##ning",
  "you're",
  "sigma",
  "σ",
  "ς",
  "über",
  "##über",
];
const CJK = ["你", "好", "世", "界"];
const PUNCTUATION = Array.from("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");
const DIGITS = Array.from("0123456789");
const LETTERS = Array.from("abcdefghijklmnopqrstuvwxyz");

/** The fixture's vocabulary, in id order. */
export const TINY_BERT_VOCAB: readonly string[] = [
  ...SPECIAL,
  ...PUNCTUATION,
  ...DIGITS,
  ...LETTERS,
  ...LETTERS.map((l) => `##${l}`),
  ...WORDS,
  ...CJK,
];

/** A token's id in `TINY_BERT_VOCAB`. */
export const bertId = (token: string) => TINY_BERT_VOCAB.indexOf(token);
const added = (token: string) => ({
  id: bertId(token),
  content: token,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});
const special = (token: string) => ({ id: token, ids: [bertId(token)], tokens: [token] });

/** A BERT-uncased `tokenizer.json` (same fields, same pipeline as `bert-base-uncased`'s) over `TINY_BERT_VOCAB`. */
export const TINY_BERT_TOKENIZER = {
  version: "1.0",
  truncation: null,
  padding: null,
  added_tokens: SPECIAL.map(added),
  normalizer: {
    type: "BertNormalizer",
    clean_text: true,
    handle_chinese_chars: true,
    strip_accents: null,
    lowercase: true,
  },
  pre_tokenizer: { type: "BertPreTokenizer" },
  post_processor: {
    type: "TemplateProcessing",
    single: [
      { SpecialToken: { id: "[CLS]", type_id: 0 } },
      { Sequence: { id: "A", type_id: 0 } },
      { SpecialToken: { id: "[SEP]", type_id: 0 } },
    ],
    pair: [
      { SpecialToken: { id: "[CLS]", type_id: 0 } },
      { Sequence: { id: "A", type_id: 0 } },
      { SpecialToken: { id: "[SEP]", type_id: 0 } },
      { Sequence: { id: "B", type_id: 1 } },
      { SpecialToken: { id: "[SEP]", type_id: 1 } },
    ],
    special_tokens: { "[CLS]": special("[CLS]"), "[SEP]": special("[SEP]") },
  },
  decoder: { type: "WordPiece", prefix: "##", cleanup: true },
  model: {
    type: "WordPiece",
    unk_token: "[UNK]",
    continuing_subword_prefix: "##",
    max_input_chars_per_word: 100,
    vocab: Object.fromEntries(TINY_BERT_VOCAB.map((token, i) => [token, i])),
  },
} as const;

/** GPT-2's byte characters (`bytes_to_unicode`), byte order. */
const BYTE_CHARS = (() => {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let next = 256;
  return Array.from({ length: 256 }, (_, b) => String.fromCodePoint(printable(b) ? b : next++));
})();

/** The fixture's merges, by rank: enough to make whole tokens of a few words (`Ġ` is the byte character of a space). */
const ROBERTA_MERGES = [
  "h e",
  "Ġ t",
  "Ġt he",
  "i n",
  "Ġ k",
  "l l",
  "Ġk i",
  "Ġki ll",
  "Ġ h",
  "a t",
  "Ġh at",
  "Ġhat e",
  "Ġ y",
  "o u",
  "Ġy ou",
  "Ġ i",
  "Ġi d",
  "i o",
  "Ġid io",
  "Ġidio t",
  "in g",
  "Ġ w",
  "i ll",
  "Ġw ill",
  "Ġ I",
  "k ill",
  "t he",
  "h at",
  "hat e",
  "Ġ n",
  "i c",
  "Ġn ic",
  "Ġnic e",
  "Ġ d",
  "a y",
  "Ġd ay",
];

/** The fixture's vocabulary, in id order: RoBERTa's four specials, the 256 byte characters, the merges, `<mask>`. */
export const TINY_ROBERTA_VOCAB: readonly string[] = [
  "<s>",
  "<pad>",
  "</s>",
  "<unk>",
  ...BYTE_CHARS,
  ...ROBERTA_MERGES.map((m) => m.replace(" ", "")),
  "<mask>",
];

const robertaId = (token: string) => TINY_ROBERTA_VOCAB.indexOf(token);

/**
 * A byte-level BPE `tokenizer.json` in the layout of `roberta-base`'s (ByteLevel pre-tokenizer and decoder, BPE with
 * string merges, RobertaProcessing `<s> … </s>`, `<mask>` with `lstrip`) over `TINY_ROBERTA_VOCAB`.
 */
export const TINY_ROBERTA_TOKENIZER = {
  version: "1.0",
  truncation: null,
  padding: null,
  added_tokens: ["<s>", "<pad>", "</s>", "<unk>", "<mask>"].map((token) => ({
    id: robertaId(token),
    content: token,
    single_word: false,
    lstrip: token === "<mask>",
    rstrip: false,
    normalized: false,
    special: true,
  })),
  normalizer: null,
  pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
  post_processor: {
    type: "RobertaProcessing",
    sep: ["</s>", robertaId("</s>")],
    cls: ["<s>", robertaId("<s>")],
    trim_offsets: true,
    add_prefix_space: false,
  },
  decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
  model: {
    type: "BPE",
    dropout: null,
    unk_token: null,
    continuing_subword_prefix: "",
    end_of_word_suffix: "",
    fuse_unk: false,
    byte_fallback: false,
    vocab: Object.fromEntries(TINY_ROBERTA_VOCAB.map((token, i) => [token, i])),
    merges: ROBERTA_MERGES,
  },
} as const;
