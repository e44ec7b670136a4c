import { describe, expect, it } from "vitest";
import { isIPv4, parseIPv6 } from "./ip.js";

describe("isIPv4", () => {
  it("accepts dotted quads 0–255", () => {
    for (const ip of ["0.0.0.0", "8.8.8.8", "192.168.1.254", "255.255.255.255", "10.0.0.1"])
      expect(isIPv4(ip)).toBe(true);
  });

  it("refuses octets over 255, leading zeros, wrong part counts and empty parts", () => {
    for (const ip of ["256.1.1.1", "1.1.1.1000", "01.2.3.4", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.a"]) {
      expect(isIPv4(ip)).toBe(false);
    }
  });
});

describe("parseIPv6", () => {
  it.each([
    ["2001:0db8:85a3:0000:0000:8a2e:0370:7334", 8],
    ["2001:db8:85a3::8a2e:370:7334", 6],
    ["fe80::1", 2],
    ["::1", 1],
    ["::", 0],
    ["2001:db8::", 2],
    ["::ffff:192.0.2.128", 3],
    ["64:ff9b::192.0.2.33", 4],
    ["1:2:3:4:5:6:1.2.3.4", 8],
  ])("%s has %i written groups", (text, groups) => {
    expect(parseIPv6(text)).toBe(groups);
  });

  it.each([
    "1:2:3:4:5:6:7",
    "1:2:3:4:5:6:7:8:9",
    "1::2::3",
    ":::",
    "12345::1",
    "g::1",
    "1:2:3:4:5:6:7::8",
    "::ffff:256.0.0.1",
    "1.2.3.4::",
    ":1:2:3:4:5:6:7",
    "00:1A:2B:3C:4D:5E",
  ])("refuses %s", (text) => {
    expect(parseIPv6(text)).toBeUndefined();
  });
});
