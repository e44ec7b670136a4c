/**
 * IP_ADDRESS, v4 and v6, parsed strictly (see `validators/ip.ts`). Decisions on ambiguous text:
 * - A dotted quad glued to a letter or a dot is not an address: `v1.2.3.4` and `1.2.3.4.5` do not
 *   match. One right after a version word (`version 1.2.3.4`, `build is 2.4.1.12`, `<Version>1.0.12.7`,
 *   `firmware: 10.1.0.3`) is read as a version number, not an address; so is one whose nearest context
 *   word, before or after, is a version word rather than an address word (`I updated the build to
 *   5.14.124.78`, `Can you check 5.14.124.78? It's the version from case 12`, but `the build server is
 *   at 10.2.3.4` is an address; see `context.ts`). A dotted quad with no context word is an address.
 * - Octets with leading zeros (`010.0.0.1`) are refused: octal or decimal, nobody can tell.
 * - IPv6 needs two written groups at least (`fe80::1` matches, `::1` and `::` do not) and no zone
 *   (`fe80::1%eth0` matches `fe80::1`). An IPv6 address with an IPv4 tail is one finding.
 */
import { type Detector, type Finding, finding } from "../types.js";
import { isIPv4, parseIPv6 } from "../validators/ip.js";
import { nearerContext } from "./context.js";

const V4 = /(?<![0-9A-Za-z.])\d{1,3}(?:\.\d{1,3}){3}(?![0-9A-Za-z]|\.\d)/g;
/** A version word just before a dotted quad: then it is a version number. */
const VERSION_BEFORE =
  /(?:\b(?:versions?|versi[oó]n|versione|vers[aã]o|versie|ver|build|release|firmware|fw|revision|rev|patch|sdk|bios|kernel)\b|<version>|バージョン|ビルド|\bv)[^\p{L}\p{N}]{0,3}(?:(?:is|was|ist|est|es|è|é|=|:)[^\p{L}\p{N}]{0,2})?$/iu;
/** Version words anywhere near the value (no bare `v`/`ver`/`rev`: too common as fragments). */
const VERSION_WORDS =
  /(?<![A-Za-z])(?:versions?|versi[oó]n|versione|vers[aã]o|versie|build|release|firmware|revision)(?![A-Za-z])|(?:file|product|assembly)version|バージョン|ビルド/gi;
/** Words that make a dotted quad an address (`_` counts as a boundary: `client_ip`). */
const ADDRESS_WORDS =
  /(?<![A-Za-z])(?:ips?|ipv4|address(?:es)?|addr|adresse|direcci[oó]n|indirizzo|endere[cç]o|adres|host(?:name)?s?|servers?|servidor|serveur|ping|gateway|dns|proxy|router|subnet|client|remote|peer|port|from|via|vpn|firewall)(?![A-Za-z])|サーバー|アドレス/gi;
const V6 = /(?<![0-9A-Za-z:.])[0-9A-Fa-f:.]{2,45}(?![0-9A-Za-z:.])/g;

/** Finds IPv4 and IPv6 addresses. */
export const ipAddressDetector: Detector = {
  name: "ip-address",
  entities: ["IP_ADDRESS"],
  detect(text: string): Finding[] {
    const found: Finding[] = [];
    for (const m of text.matchAll(V4)) {
      if (!isIPv4(m[0]) || VERSION_BEFORE.test(text.slice(Math.max(0, m.index - 24), m.index))) continue;
      const end = m.index + m[0].length;
      if (nearerContext(text, m.index, end, VERSION_WORDS, ADDRESS_WORDS) === "first") continue;
      found.push(finding(text, "IP_ADDRESS", m.index, end, 0.85, "ipv4"));
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
