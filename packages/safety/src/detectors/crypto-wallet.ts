/**
 * CRYPTO_WALLET: Bitcoin and Ethereum addresses, each confirmed by its own checksum.
 * - Bitcoin P2PKH/P2SH (`1…`, `3…`): Base58Check, SHA-256 twice (validator `base58check`).
 * - Bitcoin SegWit (`bc1…`): Bech32 for v0, Bech32m for v1+ (validator `bech32` / `bech32m`).
 * - Ethereum (`0x` + 40 hex): mixed case must carry a valid EIP-55 checksum (validator `eip55`);
 *   single-case addresses have no checksum and score lower (validator `hex-format`).
 */
import { type Detector, type Finding, finding } from "../types.js";
import { isBitcoinBase58Address } from "../validators/base58check.js";
import { segwitAddressEncoding } from "../validators/bech32.js";
import { isEip55 } from "../validators/eip55.js";

const BASE58 = /(?<![A-Za-z0-9])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?![A-Za-z0-9])/g;
const SEGWIT = /(?<![A-Za-z0-9])(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{8,87}(?![A-Za-z0-9])/g;
const ETHEREUM = /(?<![A-Za-z0-9])0x[0-9A-Fa-f]{40}(?![A-Za-z0-9])/g;

/** Finds Bitcoin and Ethereum addresses. */
export const cryptoWalletDetector: Detector = {
  name: "crypto-wallet",
  entities: ["CRYPTO_WALLET"],
  detect(text: string): Finding[] {
    const found: Finding[] = [];
    for (const m of text.matchAll(BASE58)) {
      if (!isBitcoinBase58Address(m[0])) continue;
      found.push(finding(text, "CRYPTO_WALLET", m.index, m.index + m[0].length, 0.95, "base58check"));
    }
    for (const m of text.matchAll(SEGWIT)) {
      const encoding = segwitAddressEncoding(m[0]);
      if (encoding === undefined) continue;
      found.push(finding(text, "CRYPTO_WALLET", m.index, m.index + m[0].length, 0.95, encoding));
    }
    for (const m of text.matchAll(ETHEREUM)) {
      const hex = m[0].slice(2);
      const mixed = hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
      if (mixed && !isEip55(hex)) continue;
      const [score, validator] = mixed ? [0.95, "eip55"] : [0.6, "hex-format"];
      found.push(finding(text, "CRYPTO_WALLET", m.index, m.index + m[0].length, score, validator));
    }
    return found.sort((a, b) => a.start - b.start);
  },
};
