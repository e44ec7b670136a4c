/**
 * US_SSN: `AAA-GG-SSSS` with dashes anywhere; `AAA GG SSSS` and bare `AAAGGSSSS` only when a
 * context word (SSN, social security, …) stands within 48 characters before, since any nine digits
 * could otherwise match. Validity rules of the SSA: area not 000, 666 or 900–999; group not 00;
 * serial not 0000; and two numbers known to be published examples (078-05-1120, 219-09-9999).
 * Scores: dashed 0.85, dashed after a context word 0.95, undashed (always after one) 0.9 — above the
 * phone detector's 0.8, since nine digits are a valid national number in many regions (`SSN 636 79
 * 7029` is a French phone number too) and the context word settles which one is meant.
 */
import { type Detector, type Finding, finding } from "../types.js";

const DASHED = /(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])/g;
const UNDASHED = /(?<![\d-])(?:\d{3} \d{2} \d{4}|\d{9})(?![\d-]| \d)/g;
const CONTEXT = /\b(?:ssn|ss#|social[ -]security|soc\.? ?sec|taxpayer id|tin)\b/i;
const CONTEXT_WINDOW = 48;
const PUBLISHED_EXAMPLES = new Set(["078051120", "219099999"]);

/** Whether nine digits obey the SSA's issuance rules. */
export function isValidSsn(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || PUBLISHED_EXAMPLES.has(digits)) return false;
  const area = Number(digits.slice(0, 3));
  return area !== 0 && area !== 666 && area < 900 && digits.slice(3, 5) !== "00" && digits.slice(5) !== "0000";
}

function hasContext(text: string, start: number): boolean {
  return CONTEXT.test(text.slice(Math.max(0, start - CONTEXT_WINDOW), start));
}

/** Finds US social security numbers. */
export const usSsnDetector: Detector = {
  name: "us-ssn",
  entities: ["US_SSN"],
  detect(text: string): Finding[] {
    const found: Finding[] = [];
    for (const m of text.matchAll(DASHED)) {
      if (!isValidSsn(m[0].replaceAll("-", ""))) continue;
      const score = hasContext(text, m.index) ? 0.95 : 0.85;
      found.push(finding(text, "US_SSN", m.index, m.index + m[0].length, score, "ssn-rules"));
    }
    for (const m of text.matchAll(UNDASHED)) {
      if (!isValidSsn(m[0].replaceAll(" ", "")) || !hasContext(text, m.index)) continue;
      found.push(finding(text, "US_SSN", m.index, m.index + m[0].length, 0.9, "ssn-rules"));
    }
    return found.sort((a, b) => a.start - b.start);
  },
};
