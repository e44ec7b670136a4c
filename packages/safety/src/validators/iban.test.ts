import { describe, expect, it } from "vitest";
import { ibanLength, isValidIban, mod97 } from "./iban.js";

const compact = (s: string) => s.replaceAll(" ", "");

describe("isValidIban", () => {
  it.each([
    "DE89 3704 0044 0532 0130 00",
    "GB82 WEST 1234 5698 7654 32",
    "FR14 2004 1010 0505 0001 3M02 606",
    "NL91 ABNA 0417 1643 00",
    "BE68 5390 0754 7034",
    "CH93 0076 2011 6238 5295 7",
    "ES91 2100 0418 4502 0005 1332",
    "IT60 X054 2811 1010 0000 0123 456",
    "NO93 8601 1117 947",
    "PL61 1090 1014 0000 0712 1981 2874",
    "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
  ])("accepts %s", (iban) => {
    expect(isValidIban(compact(iban))).toBe(true);
  });

  it("refuses a changed check digit, a changed BBAN digit, a wrong length and an unknown country", () => {
    expect(isValidIban("DE88370400440532013000")).toBe(false);
    expect(isValidIban("DE89370400440532013001")).toBe(false);
    expect(isValidIban("DE8937040044053201300")).toBe(false);
    expect(isValidIban("XX89370400440532013000")).toBe(false);
  });

  it("mod97 and lengths answer on their own", () => {
    expect(mod97("GB82WEST12345698765432")).toBe(true);
    expect(mod97("GB82WEST12345698765433")).toBe(false);
    expect(mod97("GB82-WEST")).toBe(false);
    expect(ibanLength("NO")).toBe(15);
    expect(ibanLength("toString")).toBeUndefined();
  });
});
