/**
 * IP_ADDRESS, v4 and v6, parsed strictly (see `validators/ip.ts`). Decisions on ambiguous text:
 * - A dotted quad glued to a letter or a dot is not an address: `v1.2.3.4` and `1.2.3.4.5` do not
 *   match, while `version 1.2.3.4` does (it is a valid address; text alone cannot tell).
 * - Octets with leading zeros (`010.0.0.1`) are refused: octal or decimal, nobody can tell.
 * - IPv6 needs two written groups at least (`fe80::1` matches, `::1` and `::` do not) and no zone
 *   (`fe80::1%eth0` matches `fe80::1`). An IPv6 address with an IPv4 tail is one finding.
 */
import { type Detector, type Finding, finding } from "../types.js";
import { isIPv4, parseIPv6 } from "../validators/ip.js";

const V4 = /(?<![0-9A-Za-z.])\d{1,3}(?:\.\d{1,3}){3}(?![0-9A-Za-z]|\.\d)/g;
const V6 = /(?<![0-9A-Za-z:.])[0-9A-Fa-f:.]{2,45}(?![0-9A-Za-z:.])/g;

/** Finds IPv4 and IPv6 addresses. */
export const ipAddressDetector: Detector = {
  name: "ip-address",
  entities: ["IP_ADDRESS"],
  detect(text: string): Finding[] {
    const found: Finding[] = [];
    for (const m of text.matchAll(V4)) {
      if (isIPv4(m[0])) found.push(finding(text, "IP_ADDRESS", m.index, m.index + m[0].length, 0.85, "ipv4"));
    }
    for (const m of text.matchAll(V6)) {
      // A sentence's full stop or a label's colon may follow the address: `at fe80::1.`, `::ffff:10.0.0.1:`.
      const trailing = m[0].endsWith(".") || (m[0].endsWith(":") && !m[0].endsWith("::"));
      const candidate = trailing ? m[0].slice(0, -1) : m[0];
      if (!candidate.includes(":")) continue;
      const groups = parseIPv6(candidate);
      if (groups === undefined || groups < 2) continue;
      found.push(finding(text, "IP_ADDRESS", m.index, m.index + candidate.length, 0.85, "ipv6"));
    }
    return found.sort((a, b) => a.start - b.start);
  },
};
