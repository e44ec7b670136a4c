import { describe, expect, it } from "vitest";
import { luhn } from "./luhn.js";

describe("luhn", () => {
  it("accepts numbers with a correct check digit", () => {
    for (const n of ["4111111111111111", "378282246310005", "6011111111111117", "79927398713", "0"]) {
      expect(luhn(n)).toBe(true);
    }
  });

  it("refuses a changed digit, a swap, non-digits and the empty string", () => {
    expect(luhn("4111111111111112")).toBe(false);
    expect(luhn("79927398731")).toBe(false);
    expect(luhn("4111-1111")).toBe(false);
    expect(luhn("")).toBe(false);
  });
});
