/**
 * MAC_ADDRESS: six hex octets separated by `:` or `-` (one separator kind per address), or Cisco's
 * dotted `xxxx.xxxx.xxxx`. The dotted form must hold a hex letter, so decimal `1234.5678.9012` does
 * not match.
 */
import { type Detector, type Finding, finding } from "../types.js";

const SEPARATED = /(?<![0-9A-Fa-f:-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![0-9A-Fa-f:-])/g;
const DOTTED = /(?<![0-9A-Za-z.])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![0-9A-Za-z]|\.[0-9A-Za-z])/g;

/** Finds MAC addresses. */
export const macAddressDetector: Detector = {
  name: "mac-address",
  entities: ["MAC_ADDRESS"],
  detect(text: string): Finding[] {
    const found: Finding[] = [];
    for (const m of text.matchAll(SEPARATED)) {
      found.push(finding(text, "MAC_ADDRESS", m.index, m.index + m[0].length, 0.8, "mac-format"));
    }
    for (const m of text.matchAll(DOTTED)) {
      if (!/[A-Fa-f]/.test(m[0])) continue;
      found.push(finding(text, "MAC_ADDRESS", m.index, m.index + m[0].length, 0.8, "mac-format"));
    }
    return found.sort((a, b) => a.start - b.start);
  },
};
