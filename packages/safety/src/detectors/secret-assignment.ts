/**
 * SECRET_ASSIGNMENT: a high-entropy value assigned to a secret-like name, in the forms config files and
 * code use: `DB_PASSWORD=…`, `api_key: …`, `"client_secret": "…"`, `token := '…'`, `secret => …`.
 * The name must end in the keyword (an `s` or a `_suffix` may follow: `passwords`, `token_prod`), so
 * `tokenizer` and `secretary` are not secret names. The value is reported, not the name, when it is
 * 8–256 characters long, not a template placeholder (`${X}`, `<x>`, `{{x}}`, `process.env.X`), free of
 * the keywords themselves (`your_api_key_here`, `password123`: placeholders, or chains `a=password=…`) and its
 * Shannon entropy reaches `min(3, 0.85·log2(length))` bits per character (validator `entropy`).
 *
 * A hand-written scanner: one keyword regex (literal alternatives) finds candidates; every step after
 * it reads a bounded number of characters.
 */
import { type Detector, type Finding, finding } from "../types.js";
import { shannonEntropy } from "../validators/entropy.js";

const KEYWORD = /passw(?:or)?d|pwd|secret|api[_-]?key|access[_-]?key|auth[_-]?key|private[_-]?key|token|credentials?/gi;
const KEYWORD_IN_VALUE = new RegExp(KEYWORD.source, "i");
const NAME_SUFFIX = /^(?:s|[_.-][A-Za-z0-9_.-]{0,32})?/;
const PLACEHOLDER = /^(?:[$%<{]|\*+$)|process\.env|os\.environ|getenv\(/;
const BARE_END = /[\s"'`,;)}\]<>]/;
const MIN_LENGTH = 8;
const MAX_LENGTH = 256;

/** The entropy a value of this length must reach, in bits per character. */
export function entropyThreshold(length: number): number {
  return Math.min(3, 0.85 * Math.log2(length));
}

function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t";
}

/** Reads `[sep]` after a name at `i`: closing quote, spaces, `=`/`:`/`:=`/`=>`, spaces. Returns the next index. */
function readSeparator(text: string, from: number): number | undefined {
  let i = from;
  if (text[i] === '"' || text[i] === "'") i++;
  for (let n = 0; n < 8 && isSpace(text[i]); n++) i++;
  if (text.startsWith(":=", i) || text.startsWith("=>", i)) i += 2;
  else if ((text[i] === "=" && text[i + 1] !== "=") || text[i] === ":") i += 1;
  else return undefined;
  for (let n = 0; n < 8 && isSpace(text[i]); n++) i++;
  return i;
}

/** Reads a quoted or bare value at `from`; returns its span without quotes. */
function readValue(text: string, from: number): { start: number; end: number } | undefined {
  const quote = text[from];
  if (quote === '"' || quote === "'" || quote === "`") {
    const limit = Math.min(text.length, from + 1 + MAX_LENGTH + 1);
    for (let i = from + 1; i < limit; i++) {
      const c = text[i];
      if (c === quote && text[i - 1] !== "\\") return { start: from + 1, end: i };
      if (c === "\n" || c === "\r") return undefined;
    }
    return undefined;
  }
  // A bare value ends at a space, quote or delimiter, or at an `=` that starts another assignment
  // (`a=b=c`); `=` padding at its end (base64) stays.
  let end = from;
  while (end < text.length && end - from <= MAX_LENGTH && !BARE_END.test(text[end] as string)) {
    if (text[end] === "=") {
      let pad = end;
      while (pad < text.length && pad - end < 3 && text[pad] === "=") pad++;
      if (pad < text.length && !BARE_END.test(text[pad] as string)) break;
      end = pad;
      break;
    }
    end++;
  }
  if (end - from > MAX_LENGTH) return undefined;
  if (text[end - 1] === ".") end--;
  return { start: from, end };
}

/** Finds high-entropy values assigned to secret-like names. */
export const secretAssignmentDetector: Detector = {
  name: "secret-assignment",
  entities: ["SECRET_ASSIGNMENT"],
  detect(text: string): Finding[] {
    const found: Finding[] = [];
    let lastValueEnd = -1;
    for (const m of text.matchAll(KEYWORD)) {
      const afterKeyword = m.index + m[0].length;
      if (afterKeyword <= lastValueEnd) continue;
      const suffix = NAME_SUFFIX.exec(text.slice(afterKeyword, afterKeyword + 34)) as RegExpExecArray;
      const separatorEnd = readSeparator(text, afterKeyword + suffix[0].length);
      if (separatorEnd === undefined) continue;
      const span = readValue(text, separatorEnd);
      if (span === undefined) continue;
      const value = text.slice(span.start, span.end);
      if (value.length < MIN_LENGTH || value.length > MAX_LENGTH || PLACEHOLDER.test(value)) continue;
      if (KEYWORD_IN_VALUE.test(value)) continue;
      if (shannonEntropy(value) < entropyThreshold(value.length)) continue;
      found.push(finding(text, "SECRET_ASSIGNMENT", span.start, span.end, 0.8, "entropy"));
      lastValueEnd = span.end;
    }
    return found;
  },
};
