/**
 * CREDIT_CARD: 13–19 digits, compact or grouped by single spaces or dashes (one separator kind per
 * number), whose IIN prefix and length fit a brand and whose last digit passes Luhn. A number glued to
 * more digits (or more digit groups) is not a card number, so digit runs and long tables do not match;
 * nor is one after a `+`: `+4921470319826` is a German phone number that happens to pass Luhn.
 */
import { type Detector, type Finding, finding } from "../types.js";
import { cardBrand } from "../validators/card-brands.js";
import { luhn } from "../validators/luhn.js";

const CARD = /(?<![\d+][ -]?)\d(?:[ -]?\d){12,18}(?![ -]?\d)/g;

/** Whether separated groups look like a printed card number: 4, then 4s or 6s, then 1–5 digits. */
function groupsFit(match: string): boolean {
  const separators = match.replace(/\d/g, "");
  if (separators.length === 0) return true;
  if (separators !== (separators[0] as string).repeat(separators.length)) return false;
  const groups = match.split(separators[0] as string).map((g) => g.length);
  const last = groups.length - 1;
  return groups.every((n, i) => (i === 0 ? n === 4 : i === last ? n >= 1 && n <= 5 : n === 4 || n === 6));
}

/** Finds payment card numbers confirmed by brand and Luhn. */
export const creditCardDetector: Detector = {
  name: "credit-card",
  entities: ["CREDIT_CARD"],
  detect(text: string): Finding[] {
    const found: Finding[] = [];
    for (const m of text.matchAll(CARD)) {
      if (!groupsFit(m[0])) continue;
      const digits = m[0].replace(/[ -]/g, "");
      if (cardBrand(digits) === undefined || !luhn(digits)) continue;
      found.push(finding(text, "CREDIT_CARD", m.index, m.index + m[0].length, 0.95, "luhn"));
    }
    return found;
  },
};
