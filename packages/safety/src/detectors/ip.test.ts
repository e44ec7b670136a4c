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

  it("reads the nearest context word on either side: a version word makes a version, an address word an address", () => {
    for (const text of [
      "Here is the build you asked for: 5.14.124.78",
      "I updated the version to 16.17.152.172 in the CRM yesterday.",
      "FileVersion: 13.20.239.99",
      "Can you check 5.14.124.78? It's the build from case 12.",
      "Kun je 15.2.58.162 controleren? Volgens Louise is dat de versie van ticket 2.",
      "サーバーです。12.17.94.191のビルドです。", // the address word sits in the previous sentence
    ])
      expect(found(ipAddressDetector, text), text).toEqual([]);
    for (const [text, ip] of [
      ["the build server is at 10.2.3.4", "10.2.3.4"],
      ['"client_ip": "144.95.147.150"\nla versione resta 5.10.10.', "144.95.147.150"],
      ["Could you check 1.2.3.4? It is the IP address from ticket #5.", "1.2.3.4"],
      ["Failed password for root from 8.8.4.4 port 22 ssh2\nFileVersion: 5.6.7.8", "8.8.4.4"],
      ["Could you check 5.4.212.58?", "5.4.212.58"], // no context word at all: an address
      ["IP 10.0.0.1 changed; build 5.6.7.8", "10.0.0.1"], // `IP` is about its own number
    ] as const)
      expect(found(ipAddressDetector, text), text).toEqual([[ip, "ipv4"]]);
  });
});
