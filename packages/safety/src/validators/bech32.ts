/**
 * Bech32 (BIP 173) and Bech32m (BIP 350) checksums, and SegWit address rules: witness version 0 uses
 * Bech32 with a 20- or 32-byte program, versions 1–16 use Bech32m with a 2–40-byte program.
 */

const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const BECH32_CONST = 1;
const BECH32M_CONST = 0x2bc830a3;

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATOR[i] as number;
  }
  return chk >>> 0;
}

/** Which checksum a Bech32 string carries, with its human-readable part and 5-bit data (checksum removed). */
export function bech32Decode(
  text: string,
): { encoding: "bech32" | "bech32m"; hrp: string; data: number[] } | undefined {
  if (text.length > 90 || (text !== text.toLowerCase() && text !== text.toUpperCase())) return undefined;
  const lower = text.toLowerCase();
  const sep = lower.lastIndexOf("1");
  if (sep < 1 || sep + 7 > lower.length) return undefined;
  const hrp = lower.slice(0, sep);
  const data: number[] = [];
  for (const char of lower.slice(sep + 1)) {
    const value = CHARSET.indexOf(char);
    if (value < 0) return undefined;
    data.push(value);
  }
  const expanded: number[] = [];
  for (let i = 0; i < hrp.length; i++) expanded.push(hrp.charCodeAt(i) >> 5);
  expanded.push(0);
  for (let i = 0; i < hrp.length; i++) expanded.push(hrp.charCodeAt(i) & 31);
  const check = polymod([...expanded, ...data]);
  const encoding = check === BECH32_CONST ? "bech32" : check === BECH32M_CONST ? "bech32m" : undefined;
  if (encoding === undefined) return undefined;
  return { encoding, hrp, data: data.slice(0, -6) };
}

/** Regroups 5-bit values into bytes; undefined when the padding is longer than 4 bits or not zero. */
function fiveToEight(data: readonly number[]): number[] | undefined {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  for (const value of data) {
    acc = (acc << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >>> bits) & 0xff);
    }
  }
  if (bits >= 5 || (acc & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

/** The checksum name (`bech32` or `bech32m`) of a valid mainnet SegWit address (`bc1…`), else undefined. */
export function segwitAddressEncoding(text: string): "bech32" | "bech32m" | undefined {
  const decoded = bech32Decode(text);
  if (decoded === undefined || decoded.hrp !== "bc" || decoded.data.length < 1) return undefined;
  const version = decoded.data[0] as number;
  const program = fiveToEight(decoded.data.slice(1));
  if (version > 16 || program === undefined || program.length < 2 || program.length > 40) return undefined;
  if (version === 0 && (decoded.encoding !== "bech32" || (program.length !== 20 && program.length !== 32))) {
    return undefined;
  }
  if (version !== 0 && decoded.encoding !== "bech32m") return undefined;
  return decoded.encoding;
}
