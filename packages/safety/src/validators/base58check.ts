/**
 * Base58Check as Bitcoin uses it: a version byte, a payload, and the first four bytes of
 * SHA-256(SHA-256(version ‖ payload)) as the checksum, all in Base58.
 */
import { sha256 } from "../crypto/sha256.js";

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const VALUE = new Map<string, number>(Array.from(ALPHABET, (c, i) => [c, i]));

/** Decodes Base58 text to bytes; undefined when a character is outside the alphabet. */
export function base58Decode(text: string): Uint8Array | undefined {
  const bytes: number[] = []; // little-endian big number
  for (const char of text) {
    const value = VALUE.get(char);
    if (value === undefined) return undefined;
    let carry = value;
    for (let i = 0; i < bytes.length; i++) {
      carry += (bytes[i] as number) * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  // Every leading '1' is a leading zero byte.
  for (let i = 0; i < text.length && text[i] === "1"; i++) bytes.push(0);
  return Uint8Array.from(bytes.reverse());
}

/** The version byte and payload of valid Base58Check text, or undefined when the checksum fails. */
export function base58CheckDecode(text: string): { version: number; payload: Uint8Array } | undefined {
  const bytes = base58Decode(text);
  if (bytes === undefined || bytes.length < 5) return undefined;
  const body = bytes.subarray(0, bytes.length - 4);
  const checksum = sha256(sha256(body));
  for (let i = 0; i < 4; i++) if (checksum[i] !== bytes[body.length + i]) return undefined;
  return { version: body[0] as number, payload: body.subarray(1) };
}

/** Whether `text` is a mainnet Bitcoin P2PKH (version 0x00) or P2SH (0x05) address. */
export function isBitcoinBase58Address(text: string): boolean {
  const decoded = base58CheckDecode(text);
  return (
    decoded !== undefined && (decoded.version === 0x00 || decoded.version === 0x05) && decoded.payload.length === 20
  );
}
