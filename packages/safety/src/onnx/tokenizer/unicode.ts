/**
 * The character classes of Hugging Face `tokenizers` (Rust `char` methods and the BERT helpers), as JavaScript
 * regexes over code points. Rust's `char::is_whitespace` is Unicode White_Space, which differs from JavaScript's `\s`
 * (`\s` adds U+FEFF and leaves out U+0085), so it is spelled out.
 */

/** Unicode White_Space (Rust `char::is_whitespace`). */
export const WHITESPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;
export const WHITESPACE_RUN = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/gu;

/** BERT's control characters: Unicode "Other" (Cc, Cf, Cn, Co, Cs) except tab, newline and carriage return. */
export function isBertControl(ch: string): boolean {
  return ch !== "\t" && ch !== "\n" && ch !== "\r" && /^\p{C}$/u.test(ch);
}

/** BERT's whitespace: tab, newline, carriage return and Unicode White_Space. */
export function isBertWhitespace(ch: string): boolean {
  return WHITESPACE.test(ch);
}

/** CJK Unified Ideographs blocks as `tokenizers`' `is_chinese_char` lists them (not Hangul, kana). */
export function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** BERT punctuation: ASCII punctuation (which includes `$+<=>^\`|~`) or Unicode P*. */
export const BERT_PUNCTUATION = /[!-/:-@[-`{-~\p{P}]/u;

/**
 * Lowercase one code point at a time, as `NormalizedString::lowercase` does: JavaScript's `toLowerCase` of a whole
 * string maps a word-final Σ to ς, the per-character mapping gives σ.
 */
export function lowercase(text: string): string {
  if (!text.includes("Σ")) return text.toLowerCase();
  return text.replaceAll("Σ", "σ").toLowerCase();
}

/**
 * GPT-2's reversible map of the 256 byte values to printable characters (`bytes_to_unicode`): printable Latin-1
 * bytes map to themselves, the others to U+0100 onward in byte order.
 */
export const BYTE_TO_CHAR: readonly string[] = (() => {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const out: string[] = [];
  let next = 256;
  for (let b = 0; b < 256; b++) out.push(String.fromCodePoint(printable(b) ? b : next++));
  return out;
})();
