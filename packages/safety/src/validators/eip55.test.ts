import { describe, expect, it } from "vitest";
import { eip55Checksum, isEip55 } from "./eip55.js";

// The examples of the EIP-55 specification.
const EXAMPLES = [
  "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
  "fB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
  "dbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
  "D1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
];

describe("eip55", () => {
  it("spells the specification's examples", () => {
    for (const address of EXAMPLES) {
      expect(eip55Checksum(address.toLowerCase())).toBe(address);
      expect(isEip55(address)).toBe(true);
    }
  });

  it("refuses one letter in the wrong case", () => {
    expect(isEip55("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")).toBe(false);
    expect(isEip55("5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")).toBe(false);
  });
});
