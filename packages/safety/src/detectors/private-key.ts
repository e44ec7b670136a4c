/**
 * PRIVATE_KEY: PEM blocks `-----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP ]PRIVATE KEY[ BLOCK]-----`
 * through the matching `-----END …-----`, at most 64 KiB apart and with key material between them
 * (validator `pem`). A BEGIN line followed by at least 64 base64 characters but no END (a key cut
 * off, e.g. mid-stream) is reported from BEGIN to the end of its base64 lines, with a lower score
 * (validator `pem-unterminated`); a bare BEGIN line is not.
 *
 * Linear time: one forward-only cursor over END lines pairs them with BEGIN lines, instead of a
 * search for an END after every BEGIN.
 */
import { type Detector, type Finding, finding } from "../types.js";

const BEGIN = /-----BEGIN ((?:[A-Z0-9]{1,16} ){0,3})PRIVATE KEY( BLOCK)?-----/g;
const END = /-----END ((?:[A-Z0-9]{1,16} ){0,3})PRIVATE KEY( BLOCK)?-----/g;
const MAX_BLOCK = 65536;
const MIN_BODY = 64;

function isBase64Char(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 61;
}

/**
 * Reads whole lines of base64 after a BEGIN line (from `from`, before `limit`): stops at the first line
 * holding anything else, or an empty one. Returns the base64 characters read and where the last
 * base64 line ends.
 */
function base64Body(text: string, from: number, limit: number): { chars: number; end: number } {
  let chars = 0;
  let end = from;
  let i = from;
  if (text[i] === "\r") i++;
  if (text[i] !== "\n") return { chars, end };
  i++;
  while (i < limit) {
    let j = i;
    while (j < limit && isBase64Char(text.charCodeAt(j))) j++;
    const lineEnd = j;
    if (text[j] === "\r") j++;
    if (lineEnd === i || (j < text.length && text[j] !== "\n")) break;
    chars += lineEnd - i;
    end = lineEnd;
    i = j + 1;
  }
  return { chars, end };
}

/** Finds PEM private key blocks. */
export const privateKeyDetector: Detector = {
  name: "private-key",
  entities: ["PRIVATE_KEY"],
  detect(text: string): Finding[] {
    // END lines are read by one cursor that only moves forward, shared by every BEGIN.
    const endCursor = new RegExp(END.source, "g");
    let end = endCursor.exec(text);
    const begins = Array.from(text.matchAll(BEGIN));
    const found: Finding[] = [];
    for (let b = 0; b < begins.length; b++) {
      const begin = begins[b] as RegExpExecArray;
      const bodyStart = begin.index + begin[0].length;
      while (end !== null && end.index < bodyStart) {
        endCursor.lastIndex = Math.max(endCursor.lastIndex, bodyStart);
        end = endCursor.exec(text);
      }
      const nextBegin = begins[b + 1]?.index ?? Number.POSITIVE_INFINITY;
      if (
        end !== null &&
        end.index < nextBegin &&
        end.index + end[0].length - begin.index <= MAX_BLOCK &&
        end[1] + (end[2] ?? "") === begin[1] + (begin[2] ?? "")
      ) {
        const body = text.slice(bodyStart, end.index).replace(/[^A-Za-z0-9+/=]/g, "");
        if (body.length >= MIN_BODY) {
          found.push(finding(text, "PRIVATE_KEY", begin.index, end.index + end[0].length, 1, "pem"));
          continue;
        }
      }
      const limit = Math.min(text.length, nextBegin, begin.index + MAX_BLOCK);
      const body = base64Body(text, bodyStart, limit);
      if (body.chars >= MIN_BODY) {
        found.push(finding(text, "PRIVATE_KEY", begin.index, body.end, 0.7, "pem-unterminated"));
      }
    }
    return found;
  },
};
