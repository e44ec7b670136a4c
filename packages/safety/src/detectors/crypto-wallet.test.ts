import { describe, expect, it } from "vitest";
import { found } from "../testing/find.js";
import { cryptoWalletDetector } from "./crypto-wallet.js";

describe("cryptoWalletDetector", () => {
  it("finds Bitcoin P2PKH, P2SH, SegWit v0 and Taproot, and checksummed Ethereum addresses", () => {
    const text = [
      "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
      "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
      "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
      "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
      "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    ].join(", ");
    expect(found(cryptoWalletDetector, text)).toEqual([
      ["1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "base58check"],
      ["3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "base58check"],
      ["bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "bech32"],
      ["bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "bech32m"],
      ["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "eip55"],
    ]);
  });

  it("reports single-case Ethereum addresses with a lower score", () => {
    const [f] = cryptoWalletDetector.detect("to 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
    expect([f?.validator, f?.score]).toEqual(["hex-format", 0.6]);
  });

  it("refuses a wrong EIP-55 checksum, broken Base58Check and Bech32, and longer hex", () => {
    const text = [
      "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
      "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb",
      "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
      `0x${"ab".repeat(32)}`,
    ].join(" ");
    expect(found(cryptoWalletDetector, text)).toEqual([]);
  });
});
