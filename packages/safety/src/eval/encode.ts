/**
 * Encoders the corpus generator needs and the package does not ship (its validators only decode):
 * Base64 and Base64url, Base58Check and Bech32/Bech32m. Straight from the specs (RFC 4648, Bitcoin's
 * Base58Check, BIP 173/350); the generator checks every address it builds with the package's own
 * decoders, so a bug here shows up as a thrown error, not as a wrong label.
 */
import { sha256 } from "../crypto/sha256.js";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard Base64 with `=` padding. */
export function base64(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = [18, 12, 6, 0].map((shift) => B64[(n >> shift) & 63] as string);
    const kept = Math.min(4, bytes.length - i + 1);
    out += chars.slice(0, kept).join("") + "=".repeat(4 - kept);
  }
  return out;
}

/** Base64url without padding (RFC 7515, as JWTs use it). */
export function base64Url(bytes: Uint8Array): string {
  return base64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Base58Check: `version ‖ payload ‖ first 4 bytes of SHA-256(SHA-256(version ‖ payload))` in Base58. */
export function base58Check(version: number, payload: Uint8Array): string {
  const body = Uint8Array.from([version, ...payload]);
  const bytes = [...body, ...sha256(sha256(body)).subarray(0, 4)];
  const digits: number[] = []; // little-endian base 58
  for (const byte of bytes) {
    let carry = byte;
    for (let i = 0; i < digits.length; i++) {
      carry += (digits[i] as number) * 256;
      digits[i] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  let zeros = "";
  for (let i = 0; i < bytes.length && bytes[i] === 0; i++) zeros += "1";
  return (
    zeros +
    digits
      .reverse()
      .map((d) => B58[d] as string)
      .join("")
  );
}

const BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATOR[i] as number;
  }
  return chk >>> 0;
}

/** A mainnet SegWit address: witness `version` 0 in Bech32, 1–16 in Bech32m (BIP 350). */
export function segwitAddress(version: number, program: Uint8Array): string {
  const data = [version];
  let acc = 0;
  let bits = 0;
  for (const byte of program) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      data.push((acc >> bits) & 31);
    }
  }
  if (bits > 0) data.push((acc << (5 - bits)) & 31);
  const hrp = [3, 3, 0, 2, 3]; // "bc" expanded: high bits, 0, low bits
  const constant = version === 0 ? 1 : 0x2bc830a3;
  const check = polymod([...hrp, ...data, 0, 0, 0, 0, 0, 0]) ^ constant;
  for (let i = 0; i < 6; i++) data.push((check >>> (5 * (5 - i))) & 31);
  return `bc1${data.map((d) => BECH32[d] as string).join("")}`;
}
