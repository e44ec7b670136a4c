/**
 * EMAIL: `local@domain.tld` with an ASCII local part of up to 64 characters, up to eight domain labels
 * of up to 63 characters and an alphabetic TLD. Every repetition is bounded and each label is closed by
 * a mandatory dot its class excludes, so matching is linear. Internationalized (non-ASCII) addresses
 * are not matched.
 */
import { type Detector, type Finding, finding } from "../types.js";

const EMAIL =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-]|\.[A-Za-z0-9])/g;

/** Finds e-mail addresses. */
export const emailDetector: Detector = {
  name: "email",
  entities: ["EMAIL"],
  detect(text: string): Finding[] {
    const found: Finding[] = [];
    for (const m of text.matchAll(EMAIL)) {
      const local = m[0].slice(0, m[0].indexOf("@"));
      if (local.includes("..") || local.endsWith(".")) continue;
      found.push(finding(text, "EMAIL", m.index, m.index + m[0].length, 0.9, "email-syntax"));
    }
    return found;
  },
};
