import { describe, expect, it } from "vitest";
import { found } from "../testing/find.js";
import { creditCardDetector } from "./card.js";

describe("creditCardDetector", () => {
  it("finds cards of several brands, compact, spaced and dashed", () => {
    const text =
      "visa 4111111111111111, mc 5555 5555 5555 4444, amex 3782-822463-10005, discover 6011 0009 9013 9424, jcb 3530111333300000, diners 3056 930902 5904.";
    expect(found(creditCardDetector, text)).toEqual([
      ["4111111111111111", "luhn"],
      ["5555 5555 5555 4444", "luhn"],
      ["3782-822463-10005", "luhn"],
      ["6011 0009 9013 9424", "luhn"],
      ["3530111333300000", "luhn"],
      ["3056 930902 5904", "luhn"],
    ]);
  });

  it("refuses numbers failing Luhn, unknown prefixes, order numbers and timestamps", () => {
    const text = "card 4111 1111 1111 1112, id 1234567890123456, order 9876543210987, ts 1700000000000";
    expect(found(creditCardDetector, text)).toEqual([]);
  });

  it("refuses mixed separators, odd grouping and numbers glued to more digits", () => {
    for (const text of ["4111 1111-1111 1111", "41 1111 1111 1111 11", "4111111111111111 1234", "14111111111111111"]) {
      expect(found(creditCardDetector, text)).toEqual([]);
    }
  });

  it("refuses numbers after a plus sign (E.164 phone numbers that pass Luhn)", () => {
    for (const text of ["call +4921470319826", "+4111111111111111", "+ 4111 1111 1111 1111"]) {
      expect(found(creditCardDetector, text)).toEqual([]);
    }
  });
});
