import { describe, expect, it } from "vitest";
import { found } from "../testing/find.js";
import { ibanDetector } from "./iban.js";

describe("ibanDetector", () => {
  it("finds compact and grouped IBANs of several countries", () => {
    const text =
      "DE89370400440532013000; GB82 WEST 1234 5698 7654 32; FR14 2004 1010 0505 0001 3M02 606 and NO9386011117947.";
    expect(found(ibanDetector, text)).toEqual([
      ["DE89370400440532013000", "mod97"],
      ["GB82 WEST 1234 5698 7654 32", "mod97"],
      ["FR14 2004 1010 0505 0001 3M02 606", "mod97"],
      ["NO9386011117947", "mod97"],
    ]);
  });

  it("cuts a grouped IBAN that runs into a following uppercase word", () => {
    expect(found(ibanDetector, "NL91 ABNA 0417 1643 00 PAID")).toEqual([["NL91 ABNA 0417 1643 00", "mod97"]]);
  });

  it("refuses IBAN-like strings failing mod-97, wrong lengths and unknown countries", () => {
    const text = "DE89370400440532013001 GB82 WEST 1234 5698 7654 3 XX89370400440532013000 DE893704004405320130001";
    expect(found(ibanDetector, text)).toEqual([]);
  });
});
