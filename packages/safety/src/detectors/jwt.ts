/**
 * JWT (JWS compact serialization): three base64url segments; the header must decode to a JSON object
 * with a string `alg` and the payload must decode as base64url. A header is JSON starting `{"`, which
 * base64url-encodes to `eyJ`; segment lengths are bounded (4 KiB header, 16 KiB payload, 1 KiB
 * signature). The unsigned form (`alg: none`, empty signature) is reported too.
 */
import { type Detector, type Finding, finding } from "../types.js";
import { base64UrlDecode, utf8Decode } from "../validators/base64url.js";

const JWT =
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,4096}\.[A-Za-z0-9_-]{2,16384}\.[A-Za-z0-9_-]{0,1024}(?![A-Za-z0-9_-]|\.[A-Za-z0-9_-])/g;

/** Whether a base64url segment decodes to a JSON object whose `alg` is a string. */
export function isJwtHeader(segment: string): boolean {
  const bytes = base64UrlDecode(segment);
  const json = bytes === undefined ? undefined : utf8Decode(bytes);
  if (json === undefined) return false;
  try {
    const header: unknown = JSON.parse(json);
    return typeof header === "object" && header !== null && typeof (header as { alg?: unknown }).alg === "string";
  } catch {
    return false;
  }
}

/** Finds JSON Web Tokens. */
export const jwtDetector: Detector = {
  name: "jwt",
  entities: ["JWT"],
  detect(text: string): Finding[] {
    const found: Finding[] = [];
    for (const m of text.matchAll(JWT)) {
      const [header = "", payload = ""] = m[0].split(".");
      if (!isJwtHeader(header) || base64UrlDecode(payload) === undefined) continue;
      found.push(finding(text, "JWT", m.index, m.index + m[0].length, 0.95, "jwt-header"));
    }
    return found;
  },
};
