/**
 * `tokenizer.json` normalizers: string → string (offsets are not needed for classification). Each follows the
 * `tokenizers` crate's `normalizers/*.rs` of the same name.
 */
import { OnnxConfigError, UnsupportedTokenizerError } from "../errors.js";
import { isBertControl, isBertWhitespace, isCjk, lowercase } from "./unicode.js";

export type Normalize = (text: string) => string;

interface NormalizerJson {
  readonly type?: unknown;
  readonly [key: string]: unknown;
}

/** NFD, then drop non-spacing marks (Mn): `é` → `e`. */
export function stripAccents(text: string): string {
  return text.normalize("NFD").replace(/\p{Mn}/gu, "");
}

/**
 * `BertNormalizer`: drop NUL, U+FFFD and control characters and turn whitespace into spaces (`clean_text`), put
 * spaces around CJK ideographs, strip accents (by default when lowercasing), lowercase.
 *
 * @example
 * bertNormalizer({ lowercase: true })("Héllo\tWORLD 你好"); // "hello world  你  好 "
 */
export function bertNormalizer(json: NormalizerJson): Normalize {
  const clean = json.clean_text !== false;
  const chinese = json.handle_chinese_chars !== false;
  const lower = json.lowercase !== false;
  const strip = typeof json.strip_accents === "boolean" ? json.strip_accents : lower;
  return (text) => {
    let out = "";
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      if (clean) {
        if (cp === 0 || cp === 0xfffd || isBertControl(ch)) continue;
        if (isBertWhitespace(ch)) {
          out += " ";
          continue;
        }
      }
      out += chinese && isCjk(cp) ? ` ${ch} ` : ch;
    }
    if (strip) out = stripAccents(out);
    return lower ? lowercase(out) : out;
  };
}

function pattern(json: NormalizerJson, where: string): string | RegExp {
  const p = json.pattern as { String?: unknown; Regex?: unknown } | undefined;
  if (typeof p?.String === "string") return p.String;
  if (typeof p?.Regex === "string") {
    try {
      return new RegExp(p.Regex, "gu");
    } catch {
      throw new OnnxConfigError(`tokenizer.json ${where} has a regex JavaScript cannot compile: ${p.Regex}`);
    }
  }
  throw new OnnxConfigError(`tokenizer.json ${where} has no String or Regex pattern`);
}

/** The normalizer of a `tokenizer.json` `normalizer` entry (null: identity). */
export function createNormalizer(json: unknown): Normalize {
  if (json === null || json === undefined) return (text) => text;
  const n = json as NormalizerJson;
  switch (n.type) {
    case "BertNormalizer":
      return bertNormalizer(n);
    case "Lowercase":
      return lowercase;
    case "StripAccents":
      return stripAccents;
    case "NFC":
    case "NFD":
    case "NFKC":
    case "NFKD": {
      const form = n.type;
      return (text) => text.normalize(form);
    }
    case "Strip": {
      const left = n.strip_left !== false;
      const right = n.strip_right !== false;
      return (text) => (left && right ? text.trim() : left ? text.trimStart() : right ? text.trimEnd() : text);
    }
    case "Replace": {
      const from = pattern(n, "Replace normalizer");
      const to = typeof n.content === "string" ? n.content : "";
      return (text) => text.replaceAll(from, () => to);
    }
    case "Prepend": {
      const prefix = typeof n.prepend === "string" ? n.prepend : "";
      return (text) => (text === "" ? text : prefix + text);
    }
    case "Sequence": {
      const steps = (Array.isArray(n.normalizers) ? n.normalizers : []).map(createNormalizer);
      return (text) => steps.reduce((t, step) => step(t), text);
    }
    default:
      throw new UnsupportedTokenizerError("normalizer", String(n.type));
  }
}
