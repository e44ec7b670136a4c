/**
 * US_SSN: `AAA-GG-SSSS` with dashes anywhere; `AAA GG SSSS` and bare `AAAGGSSSS` only when an SSN word
 * (SSN, social security, …) is the nearest context word, before or after the digits (see `context.ts`):
 * `SSN 536221849`, `536221849 (SSN)`, `Can you check 536 22 1849? It's the SSN from case 12.` — but not
 * `order 536221849`, nor `SSN 123-45-6789, order 536221849`. Any nine digits could otherwise match.
 * Validity rules of the SSA: area not 000, 666 or 900–999; group not 00; serial not 0000; and two
 * numbers known to be published examples (078-05-1120, 219-09-9999).
 * A dashed number right after the name of another identifier (`ticket number 123-45-6789`) is not reported. Scores: dashed 0.85, dashed with an SSN word nearest 0.95, undashed (always with one) 0.9 — above the
 * phone detector's 0.8, since nine digits are a valid national number in many regions (`SSN 636 79
 * 7029` is a French phone number too) and the context word settles which one is meant.
 */
import { type Detector, type Finding, finding } from "../types.js";
import { contextDistance, nearerContext } from "./context.js";

const DASHED = /(?<![\dA-Za-z-])\d{3}-\d{2}-\d{4}(?![\dA-Za-z-])/g;
const UNDASHED = /(?<![\dA-Za-z-])(?:\d{3} \d{2} \d{4}|\d{9})(?![\dA-Za-z-]| \d)/g;
/** Words that say a number is a social security number (the eval corpus's languages name it `SSN`, too). */
const SSN_WORDS =
  /\b(?:ssns?|social[ -]security|soc\.? ?sec|taxpayer id|tin)\b|\bss#|amerikaanse sofinummer|seguro social|s[ée]curit[ée] sociale|previdenza sociale|seguridad social|sozialversicherung|社会保障番号/gi;
/** Words that make nine digits some other identifier. */
const OTHER_ID_WORDS =
  /\b(?:orders?|invoice|ticket|case|ref|reference|tracking|account|acct|customer|phone|tel|mobile|fax|itin|ein|zip|routing|bestell\w*|auftrag\w*|rechnung\w*|kunden\w*|commande|facture|pedido|factura|ordine|fattura|bestelling|factuur|chamado|processo)\b|注文|請求|チケット|電話|参照|受付|管理|会員/gi;
const PUBLISHED_EXAMPLES = new Set(["078051120", "219099999"]);

/** Whether nine digits obey the SSA's issuance rules. */
export function isValidSsn(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || PUBLISHED_EXAMPLES.has(digits)) return false;
  const area = Number(digits.slice(0, 3));
  return area !== 0 && area !== 666 && area < 900 && digits.slice(3, 5) !== "00" && digits.slice(5) !== "0000";
}

/** How near another identifier's name must stand to a dashed number to say what it is: `参照番号は`, `ticket no. `. */
const NAMED_WITHIN = 12;

/** Finds US social security numbers. */
export const usSsnDetector: Detector = {
  name: "us-ssn",
  entities: ["US_SSN"],
  detect(text: string): Finding[] {
    const found: Finding[] = [];
    for (const m of text.matchAll(DASHED)) {
      if (!isValidSsn(m[0].replaceAll("-", ""))) continue;
      const end = m.index + m[0].length;
      const ssn = contextDistance(text, m.index, end, SSN_WORDS);
      const other = contextDistance(text, m.index, end, OTHER_ID_WORDS);
      if (other < ssn && other <= NAMED_WITHIN) continue; // `ticket number 123-45-6789`: the word says what it is
      const score = ssn < other ? 0.95 : 0.85;
      found.push(finding(text, "US_SSN", m.index, end, score, "ssn-rules"));
    }
    for (const m of text.matchAll(UNDASHED)) {
      const end = m.index + m[0].length;
      if (!isValidSsn(m[0].replaceAll(" ", ""))) continue;
      if (nearerContext(text, m.index, end, SSN_WORDS, OTHER_ID_WORDS) !== "first") continue;
      found.push(finding(text, "US_SSN", m.index, end, 0.9, "ssn-rules"));
    }
    return found.sort((a, b) => a.start - b.start);
  },
};
