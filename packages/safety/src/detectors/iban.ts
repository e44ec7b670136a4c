/**
 * IBAN: uppercase, compact (`DE89370400440532013000`) or grouped by four with single spaces
 * (`DE89 3704 0044 0532 0130 00`), confirmed by the country's registered length and mod-97.
 * A grouped match that runs into a following uppercase word is cut back to the country's length
 * when that falls on a group boundary.
 */
import { type Detector, type Finding, finding } from "../types.js";
import { ibanLength, mod97 } from "../validators/iban.js";

const IBAN =
  /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![A-Za-z0-9])/g;

/** Finds IBANs confirmed by length and mod-97. */
export const ibanDetector: Detector = {
  name: "iban",
  entities: ["IBAN"],
  detect(text: string): Finding[] {
    const found: Finding[] = [];
    for (const m of text.matchAll(IBAN)) {
      const expected = ibanLength(m[0].slice(0, 2));
      if (expected === undefined) continue;
      // Walk the match until `expected` characters that are not spaces have been read.
      let length = 0;
      let count = 0;
      while (length < m[0].length && count < expected) {
        if (m[0][length] !== " ") count++;
        length++;
      }
      if (count < expected || (length < m[0].length && m[0][length] !== " ")) continue;
      const compact = m[0].slice(0, length).replaceAll(" ", "");
      if (!mod97(compact)) continue;
      found.push(finding(text, "IBAN", m.index, m.index + length, 0.95, "mod97"));
    }
    return found;
  },
};
