import { describe, expect, it } from "vitest";
import { found } from "../testing/find.js";
import { macAddressDetector } from "./mac.js";

describe("macAddressDetector", () => {
  it("finds colon, dash and Cisco dotted forms", () => {
    expect(found(macAddressDetector, "eth0 00:1A:2B:3C:4D:5E, wlan 00-1a-2b-3c-4d-5f, port 001a.2b3c.4d60")).toEqual([
      ["00:1A:2B:3C:4D:5E", "mac-format"],
      ["00-1a-2b-3c-4d-5f", "mac-format"],
      ["001a.2b3c.4d60", "mac-format"],
    ]);
  });

  it("refuses mixed separators, seven octets, times, decimal dotted numbers and IPv6", () => {
    const text = "00:1A-2B:3C:4D:5E 00:1A:2B:3C:4D:5E:6F 12:30:45 1234.5678.9012 2001:db8::1";
    expect(found(macAddressDetector, text)).toEqual([]);
  });
});
