/** Base64url decoding (RFC 4648 §5, padding optional) to bytes, for JWT segments. */

const VALUES = new Map<string, number>(
  Array.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", (c, i) => [c, i]),
);

/** The bytes of base64url text, or undefined when it has foreign characters or an impossible length. */
export function base64UrlDecode(text: string): Uint8Array | undefined {
  const body = text.replace(/={1,2}$/, "");
  if (body.length % 4 === 1) return undefined;
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const char of body) {
    const value = VALUES.get(char);
    if (value === undefined) return undefined;
    acc = ((acc << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** Decodes UTF-8 bytes to a string, or undefined when they are not valid UTF-8. */
export function utf8Decode(bytes: Uint8Array): string | undefined {
  let out = "";
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0 || i + need >= bytes.length) return undefined;
    let cp = need === 0 ? b : b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const next = bytes[i + k] as number;
      if ((next & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (next & 0x3f);
    }
    if (
      (need === 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
      (need === 3 && (cp < 0x10000 || cp > 0x10ffff))
    ) {
      return undefined;
    }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}
