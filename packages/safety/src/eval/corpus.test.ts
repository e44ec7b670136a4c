import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { isValidSsn } from "../detectors/ssn.js";
import { isValidIban } from "../validators/iban.js";
import { luhn } from "../validators/luhn.js";
import { generateCorpus } from "./corpus.js";
import { LOCALES } from "./locales.js";

const corpus = generateCorpus({ samplesPerLocale: 25 });

describe("generateCorpus", () => {
  it("labels exact spans: text.slice(start, end) is the value, for entities and negatives", () => {
    for (const s of corpus) {
      for (const span of [...s.labels, ...s.negatives]) {
        expect(s.text.slice(span.start, span.end)).toBe(span.value);
        expect(span.value.length).toBeGreaterThan(0);
      }
    }
  });

  it("covers every locale, every labeled entity and every hard negative", () => {
    expect(new Set(corpus.map((s) => s.locale))).toEqual(new Set(LOCALES.map((l) => l.id)));
    expect(LOCALES.length).toBeGreaterThanOrEqual(5);
    expect(new Set(corpus.flatMap((s) => s.labels.map((l) => l.entity))).size).toBe(12);
    expect(new Set(corpus.flatMap((s) => s.negatives.map((n) => n.kind))).size).toBe(12);
  });

  it("is deterministic per seed", () => {
    const again = generateCorpus({ samplesPerLocale: 25 });
    expect(again.map((s) => s.text)).toEqual(corpus.map((s) => s.text));
    const other = generateCorpus({ samplesPerLocale: 25, seed: 7 });
    expect(other.map((s) => s.text)).not.toEqual(corpus.map((s) => s.text));
  });

  it("labels only genuine values and keeps only broken look-alikes as negatives", () => {
    for (const s of corpus) {
      for (const l of s.labels) {
        const digits = l.value.replace(/\D/g, "");
        if (l.entity === "PHONE") expect(parsePhoneNumberFromString(l.value, s.region)?.isValid()).toBe(true);
        if (l.entity === "CREDIT_CARD") expect(luhn(digits)).toBe(true);
        if (l.entity === "IBAN") expect(isValidIban(l.value.replaceAll(" ", ""))).toBe(true);
        if (l.entity === "US_SSN") expect(isValidSsn(digits)).toBe(true);
      }
      for (const n of s.negatives) {
        const digits = n.value.replace(/\D/g, "");
        if (n.kind === "luhn-fail") expect(luhn(digits)).toBe(false);
        if (n.kind === "mod97-fail") expect(isValidIban(n.value.replaceAll(" ", ""))).toBe(false);
        if (n.kind === "invalid-ssn" || n.kind === "itin") expect(isValidSsn(digits)).toBe(false);
        if (n.kind === "invalid-phone") expect(parsePhoneNumberFromString(n.value, s.region)?.isValid()).not.toBe(true);
      }
    }
  });
});
