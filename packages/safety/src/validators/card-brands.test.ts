import { describe, expect, it } from "vitest";
import { cardBrand } from "./card-brands.js";

describe("cardBrand", () => {
  it.each([
    ["4111111111111111", "visa"],
    ["4222222222222", "visa"],
    ["5555555555554444", "mastercard"],
    ["2223003122003222", "mastercard"],
    ["378282246310005", "amex"],
    ["6011111111111117", "discover"],
    ["6445644564456445", "discover"],
    ["3530111333300000", "jcb"],
    ["30569309025904", "diners"],
    ["6200000000000005", "unionpay"],
    ["6759649826438453", "maestro"],
    ["2200000000000004", "mir"],
  ])("%s is %s", (digits, brand) => {
    expect(cardBrand(digits)).toBe(brand);
  });

  it("refuses unknown prefixes and lengths a brand does not issue", () => {
    expect(cardBrand("1234567890123456")).toBeUndefined(); // no brand starts with 1
    expect(cardBrand("411111111111111")).toBeUndefined(); // Visa has no 15-digit numbers
    expect(cardBrand("37828224631000")).toBeUndefined(); // Amex is 15 digits
    expect(cardBrand("2721000000000000")).toBeUndefined(); // past the Mastercard 2-series
  });
});
