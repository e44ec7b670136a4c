/**
 * `tokenizer.json` pre-tokenizers: a normalized string → the words the model tokenizes one by one. Each follows the
 * `tokenizers` crate's `pre_tokenizers/*.rs` of the same name.
 */
import { utf8Encode } from "../../crypto/utf8.js";
import { UnsupportedTokenizerError } from "../errors.js";
import { BERT_PUNCTUATION, BYTE_TO_CHAR, WHITESPACE_RUN } from "./unicode.js";

/** Splits `text` into words; `atStart` says whether `text` begins the input (it may follow an added token). */
export type PreTokenize = (text: string, atStart: boolean) => string[];

interface PreTokenizerJson {
  readonly type?: unknown;
  readonly [key: string]: unknown;
}

/** Whitespace splits, then every punctuation character on its own: `Hi, you!` → `Hi` `,` `you` `!`. */
export function bertPreTokenize(text: string): string[] {
  const words: string[] = [];
  for (const chunk of text.split(WHITESPACE_RUN)) {
    let start = 0;
    let i = 0;
    for (const ch of chunk) {
      if (BERT_PUNCTUATION.test(ch)) {
        if (i > start) words.push(chunk.slice(start, i));
        words.push(ch);
        start = i + ch.length;
      }
      i += ch.length;
    }
    if (chunk.length > start) words.push(chunk.slice(start));
  }
  return words;
}

/** `Whitespace`: `\w+|[^\w\s]+` with Rust's Unicode `\w`. */
const WORD_OR_SYMBOLS =
  /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]+|[^\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/gu;

/** GPT-2's split: contractions, letter runs, digit runs, other runs (each after an optional space), whitespace. */
const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** The UTF-8 bytes of `text` as GPT-2's byte characters (lone surrogates encode as U+FFFD). */
export function byteLevelChars(text: string): string {
  let out = "";
  for (const b of utf8Encode(text)) out += BYTE_TO_CHAR[b];
  return out;
}

/** `ByteLevel`: an optional leading space, GPT-2's split, each word's UTF-8 bytes as byte characters. */
function byteLevel(json: PreTokenizerJson): PreTokenize {
  const prefix = json.add_prefix_space === true;
  const split = json.use_regex !== false;
  return (text) => {
    const spaced = prefix && !text.startsWith(" ") ? ` ${text}` : text;
    const words = split ? (spaced.match(GPT2_SPLIT) ?? []) : spaced === "" ? [] : [spaced];
    return words.map(byteLevelChars);
  };
}

/** `Metaspace`: spaces become `▁` (one is prepended: always, or at the input's start only), then a split before each `▁`. */
function metaspace(json: PreTokenizerJson): PreTokenize {
  const mark = typeof json.replacement === "string" ? json.replacement : "▁";
  const scheme =
    typeof json.prepend_scheme === "string"
      ? json.prepend_scheme
      : json.add_prefix_space === false
        ? "never"
        : "always";
  const split = json.split !== false;
  return (text, atStart) => {
    let s = text.replaceAll(" ", mark);
    if ((scheme === "always" || (scheme === "first" && atStart)) && !s.startsWith(mark)) s = mark + s;
    if (!split) return s === "" ? [] : [s];
    const words: string[] = [];
    let start = 0;
    for (let i = s.indexOf(mark, 1); i !== -1; i = s.indexOf(mark, i + mark.length)) {
      if (i > start) words.push(s.slice(start, i));
      start = i;
    }
    if (s.length > start) words.push(s.slice(start));
    return words;
  };
}

/** The pre-tokenizer of a `tokenizer.json` `pre_tokenizer` entry (null: the whole text is one word). */
export function createPreTokenizer(json: unknown): PreTokenize {
  if (json === null || json === undefined) return (text) => (text === "" ? [] : [text]);
  const p = json as PreTokenizerJson;
  switch (p.type) {
    case "BertPreTokenizer":
      return bertPreTokenize;
    case "Whitespace":
      return (text) => text.match(WORD_OR_SYMBOLS) ?? [];
    case "WhitespaceSplit":
      return (text) => text.split(WHITESPACE_RUN).filter((w) => w !== "");
    case "ByteLevel":
      return byteLevel(p);
    case "Metaspace":
      return metaspace(p);
    case "Sequence": {
      const steps = (Array.isArray(p.pretokenizers) ? p.pretokenizers : []).map(createPreTokenizer);
      return (text, atStart) =>
        steps.reduce<string[]>(
          (words, step) => words.flatMap((word, i) => step(word, atStart && i === 0)),
          text === "" ? [] : [text],
        );
    }
    default:
      throw new UnsupportedTokenizerError("pre_tokenizer", String(p.type));
  }
}
