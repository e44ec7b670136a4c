/**
 * PHONE: numbers that libphonenumber-js (full metadata) finds and validates: international format
 * (`+44 20 7946 0958`) for every country, national format for the default country.
 *
 * libphonenumber's matcher is linear but slow on dense digit text (about 0.1 MB/s on `1 1 1 1 …`), so
 * it only sees short windows: a bounded regex finds runs of phone characters (digits, spaces,
 * `+-.()/`, at most 44 characters, so a longer run is read as consecutive pieces) holding at least 7
 * digits; a run of more than 24 digits is cut at spaces into windows of at most 24 digits. Windows do
 * not overlap, so a number straddling a cut in a long space-separated run of numbers can be missed.
 */
import { type CountryCode, findPhoneNumbersInText } from "libphonenumber-js/max";
import { type Detector, type Finding, finding } from "../types.js";

const RUN = /[+(]?\d[\d \u00a0().\-/]{5,40}\d\)?/g;
const MIN_DIGITS = 7;
const TIME_AFTER = /^:\d\d/;
/** `AAA-GG-SSSS`: how US SSNs and ITINs are written; no numbering plan prints phone numbers 3-2-4 with dashes. */
const SSN_SHAPE = /^\d{3}-\d{2}-\d{4}$/;
const MAX_WINDOW_DIGITS = 24;

export interface PhoneDetectorOptions {
  /** The country whose national format (no `+` prefix) is recognized. @default "US" */
  readonly defaultCountry?: CountryCode;
}

function countDigits(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** Cuts a run into consecutive windows at spaces, each with at most MAX_WINDOW_DIGITS digits. */
function windows(run: string): [start: number, end: number][] {
  const out: [number, number][] = [];
  let start = 0;
  let digits = 0;
  let lastSpace = -1;
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (c === 32 || c === 0xa0) lastSpace = i;
    else if (c >= 48 && c <= 57 && ++digits > MAX_WINDOW_DIGITS) {
      const cut = lastSpace > start ? lastSpace : i;
      out.push([start, cut]);
      start = cut;
      digits = countDigits(run.slice(start, i + 1));
      lastSpace = -1;
    }
  }
  out.push([start, run.length]);
  return out;
}

/**
 * Countries whose people always write the trunk prefix `0` in a national number: `030 901820`, never
 * `30 901820`. (Not the US, Italy or Spain, which have none, nor India or Brazil, where the `0` is often
 * left out.)
 */
const WRITES_TRUNK_ZERO: ReadonlySet<string> = new Set([
  "AT",
  "AU",
  "BE",
  "CH",
  "DE",
  "FI",
  "FR",
  "GB",
  "IE",
  "JP",
  "KR",
  "NL",
  "NZ",
  "SE",
  "TR",
  "ZA",
]);

/**
 * Whether a number in national format leaves out the `0` its country always writes: then `2019-522069`
 * or `1759324961` (an order number, epoch seconds) is not a German phone number although its digits
 * would dial one. Numbers in international format (`+44…`, `(+44…)`, `0044…`) are not affected.
 */
function missingTrunkZero(written: string, country: CountryCode | undefined): boolean {
  if (country === undefined || !WRITES_TRUNK_ZERO.has(country) || written.includes("+")) return false;
  const firstDigit = /\d/.exec(written);
  return firstDigit !== null && firstDigit[0] !== "0";
}

/** Finds phone numbers with libphonenumber-js. */
export function phoneDetector(options: PhoneDetectorOptions = {}): Detector {
  const defaultCountry = options.defaultCountry ?? "US";
  return {
    name: "phone",
    entities: ["PHONE"],
    detect(text: string): Finding[] {
      const found: Finding[] = [];
      for (const m of text.matchAll(RUN)) {
        if (countDigits(m[0]) < MIN_DIGITS) continue;
        for (const [wStart, wEnd] of windows(m[0])) {
          // One character of context on each side lets the matcher refuse numbers glued to letters.
          const from = Math.max(0, m.index + wStart - 1);
          const to = Math.min(text.length, m.index + wEnd + 1);
          for (const hit of findPhoneNumbersInText(text.slice(from, to), { defaultCountry })) {
            const end = from + hit.endsAt;
            // a `:mm` right after the digits makes them the hour of a date-time (`2024-12-06 14:44:58`)
            if (TIME_AFTER.test(text.slice(end, end + 3))) continue;
            // an unclosed `(` is the text's, not the number's: `(+44800616975)`
            const hitStart = from + hit.startsAt;
            const unclosed = text[hitStart] === "(" && !text.slice(hitStart, end).includes(")");
            const start = unclosed ? hitStart + 1 : hitStart;
            const written = text.slice(start, end);
            if (SSN_SHAPE.test(written) || missingTrunkZero(written, hit.number.country)) continue;
            found.push(finding(text, "PHONE", start, end, 0.8, "libphonenumber"));
          }
        }
      }
      return found;
    },
  };
}
