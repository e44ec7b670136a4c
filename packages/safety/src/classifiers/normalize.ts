/**
 * Evasion folding for the lexical classifiers: the text a person reads, as plain lowercase ASCII words.
 * Strips zero-width and Unicode tag characters, applies NFKC (fullwidth and compatibility forms), maps
 * common Cyrillic/Greek homoglyphs to Latin, lowercases, joins letters spelled out one by one
 * ("k i l l", "k.i.l.l"), and collapses every run of non-word characters to one space. `leet` is the
 * same text with digits and symbols read as letters ("k1ll" → "kill"). Linear in the text's length.
 */

/** Zero-width and invisible formatting characters, stripped before matching. */
export const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]|\udb40[\udc00-\udc7f]/g;

const HOMOGLYPHS: Readonly<Record<string, string>> = {
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  к: "k",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  т: "t",
  у: "y",
  х: "x",
  і: "i",
  ї: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  ɡ: "g",
  ı: "i",
  α: "a",
  β: "b",
  ε: "e",
  η: "n",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ω: "w",
};

const LEET: Readonly<Record<string, string>> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "8": "b",
  "9": "g",
  "@": "a",
  $: "s",
  "!": "i",
  "|": "l",
  "+": "t",
  "€": "e",
};

const LEET_L: Readonly<Record<string, string>> = { ...LEET, "1": "l" };

export interface Normalized {
  /** Zero-width characters stripped, NFKC, lowercase, homoglyphs mapped; punctuation kept. */
  readonly visible: string;
  /** Folded words separated by single spaces, with a space at each end. */
  readonly plain: string;
  /** `plain` with leetspeak read as letters (`1` as `i`). */
  readonly leet: string;
  /** `plain` with leetspeak read as letters (`1` as `l`). */
  readonly leetL: string;
}

function fold(text: string, leet: Readonly<Record<string, string>> | undefined): string {
  const out: string[] = [" "];
  let space = true;
  for (const c0 of text) {
    const c = leet?.[c0] ?? c0;
    if (/^[a-z0-9]$/.test(c) || (c.length === 1 && c > "\u007f" && /\p{L}/u.test(c))) {
      out.push(c);
      space = false;
    } else if (!space) {
      out.push(" ");
      space = true;
    }
  }
  if (!space) out.push(" ");
  return joinSpelledOut(out.join(""));
}

/**
 * Joins runs of three or more single letters separated by single spaces: " k i l l " → " kill ".
 * Expects `text` with single spaces between words and at both ends.
 */
export function joinSpelledOut(text: string): string {
  const words = text.split(" ");
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length >= 3) out.push(run.join(""));
    else out.push(...run);
    run = [];
  };
  for (const word of words) {
    if (Array.from(word).length === 1) run.push(word);
    else {
      flush();
      out.push(word);
    }
  }
  flush();
  return out.join(" ");
}

/**
 * Both folded views of `text`.
 *
 * @example
 * normalize("Ｋ\u200bi l l  Y0U").leet; // " kill you "
 */
export function normalize(text: string): Normalized {
  let visible = "";
  for (const ch of text.replace(INVISIBLE, "").normalize("NFKC").toLowerCase()) visible += HOMOGLYPHS[ch] ?? ch;
  return { visible, plain: fold(visible, undefined), leet: fold(visible, LEET), leetL: fold(visible, LEET_L) };
}

/** The views of `normalized` the word patterns run over. */
export function views(normalized: Normalized): string[] {
  return [normalized.plain, normalized.leet, normalized.leetL];
}

/**
 * Noisy-OR of independent pieces of evidence: 1 − Π(1 − wᵢ), in [0, 1].
 *
 * @example
 * noisyOr([0.5, 0.5]); // 0.75
 */
export function noisyOr(weights: Iterable<number>): number {
  let miss = 1;
  for (const w of weights) miss *= 1 - Math.min(1, Math.max(0, w));
  return 1 - miss;
}
