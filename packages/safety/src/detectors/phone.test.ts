import { describe, expect, it } from "vitest";
import { HOSTILE } from "../testing/corpus.js";
import { phoneDetector } from "./phone.js";

const us = phoneDetector();

describe("phoneDetector", () => {
  it("finds international numbers of many countries and US national numbers", () => {
    const text =
      "US (415) 555-2671, UK +44 20 7946 0958, DE +49 30 901820, FR +33 1 42 68 53 00, JP +81 3-1234-5678, IN +91 98765 43210, BR +55 11 91234-5678.";
    expect(us.detect(text).map((f) => f.text)).toEqual([
      "(415) 555-2671",
      "+44 20 7946 0958",
      "+49 30 901820",
      "+33 1 42 68 53 00",
      "+81 3-1234-5678",
      "+91 98765 43210",
      "+55 11 91234-5678",
    ]);
    expect(us.detect(text).every((f) => f.validator === "libphonenumber" && f.entity === "PHONE")).toBe(true);
  });

  it("reads national numbers in the default country's format", () => {
    expect(
      phoneDetector({ defaultCountry: "GB" })
        .detect("ring 020 7946 0958")
        .map((f) => f.text),
    ).toEqual(["020 7946 0958"]);
    expect(us.detect("ring 020 7946 0958")).toEqual([]);
  });

  it("refuses a national number without the trunk 0 where people always write it", () => {
    const de = phoneDetector({ defaultCountry: "DE" });
    expect(de.detect("Bestellung 2019-522069, Zeit 1759324961, Tel. 030 901820").map((f) => f.text)).toEqual([
      "030 901820",
    ]);
    expect(de.detect("Tel. +49 30 901820 oder (+4930901820) oder 0049 30 901820").map((f) => f.text)).toEqual([
      "+49 30 901820",
      "+4930901820",
      "0049 30 901820",
    ]);
    // no trunk prefix in the US and Italy: their numbers start with any digit
    expect(
      phoneDetector({ defaultCountry: "IT" })
        .detect("chiama 312 345 6789")
        .map((f) => f.text),
    ).toEqual(["312 345 6789"]);
  });

  it("leaves AAA-GG-SSSS to the SSN detector in every region", () => {
    for (const region of ["US", "DE", "FR", "JP"] as const) {
      expect(phoneDetector({ defaultCountry: region }).detect("ITIN 983-97-7564, case 666-14-1035"), region).toEqual(
        [],
      );
    }
  });

  it("refuses dates, times, IPs, versions, order numbers, cards and numbers glued to letters", () => {
    const text =
      "on 2024-01-15 at 12:30:45 from 192.168.1.1 with v1.2.3.4, order 1234567890123, card 4111 1111 1111 1111, ref ABC4155552671, logged 2024-12-06 14:44:58";
    expect(us.detect(text)).toEqual([]);
  });

  it("finds a number inside a long run cut into windows", () => {
    const text = `${"9 ".repeat(40)}, call 415-555-2671 ${"1 ".repeat(40)}`;
    expect(us.detect(text).map((f) => f.text)).toEqual(["415-555-2671"]);
  });

  it("finishes on dense digit soup without findings", () => {
    for (const name of ["spaced-ones", "dotted-ones", "digit-groups", "plus-parens"]) {
      expect(us.detect((HOSTILE[name] as (n: number) => string)(50_000))).toEqual([]);
    }
  });
});
