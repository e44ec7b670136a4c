import { describe, expect, it } from "vitest";
import { found } from "../testing/find.js";
import { ipAddressDetector } from "./ip.js";

describe("ipAddressDetector", () => {
  it("finds IPv4 with ports and at sentence ends, and IPv6 in full, compressed and bracketed forms", () => {
    const text =
      "hosts 8.8.8.8, 10.0.0.1:8080 and 192.168.1.254. v6 2001:0db8:85a3:0000:0000:8a2e:0370:7334, [2001:db8::1]:443, fe80::1%eth0 and 2001:db8::7.";
    expect(found(ipAddressDetector, text)).toEqual([
      ["8.8.8.8", "ipv4"],
      ["10.0.0.1", "ipv4"],
      ["192.168.1.254", "ipv4"],
      ["2001:0db8:85a3:0000:0000:8a2e:0370:7334", "ipv6"],
      ["2001:db8::1", "ipv6"],
      ["fe80::1", "ipv6"],
      ["2001:db8::7", "ipv6"],
    ]);
  });

  it("refuses out-of-range octets, leading zeros, v-prefixed versions, longer dotted numbers and times", () => {
    const text = "256.1.1.1 1.1.1.1000 010.0.0.1 v1.2.3.4 1.2.3.4.5 version-2.1.0 12:30:45 std::vector ::1 ::";
    expect(found(ipAddressDetector, text)).toEqual([]);
  });

  it("reads a dotted quad right after a version word as a version, after any other word as an address", () => {
    for (const text of [
      "release 1.2.3.4",
      "My build is 2.4.1.12.",
      "<Version>1.0.12.7</Version>",
      "firmware: 10.1.0.3",
      "Version = 3.2.0.1",
      "v. 1.2.3.4",
    ])
      expect(found(ipAddressDetector, text), text).toEqual([]);
    expect(found(ipAddressDetector, "server 1.2.3.4, host is 10.0.0.1, from 8.8.8.8")).toEqual([
      ["1.2.3.4", "ipv4"],
      ["10.0.0.1", "ipv4"],
      ["8.8.8.8", "ipv4"],
    ]);
  });
});
