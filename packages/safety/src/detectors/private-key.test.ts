import { describe, expect, it } from "vitest";
import { found } from "../testing/find.js";
import { privateKeyDetector } from "./private-key.js";

// Key-shaped filler, not a key: deterministic base64 lines.
const body = (lines: number) =>
  Array.from({ length: lines }, (_, i) =>
    Buffer.from(`not a key, line ${i} `.repeat(3)).toString("base64").slice(0, 64),
  ).join("\n");
const pem = (label: string, lines = 6) => `-----BEGIN ${label}-----\n${body(lines)}\n-----END ${label}-----`;

describe("privateKeyDetector", () => {
  it("finds complete PKCS#8, RSA, EC, OpenSSH and PGP blocks", () => {
    const labels = ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "PGP PRIVATE KEY BLOCK"];
    const blocks = labels.map((l) => pem(l));
    expect(found(privateKeyDetector, `a\n${blocks.join("\ntext between\n")}\nz`)).toEqual(
      blocks.map((b) => [b, "pem"]),
    );
  });

  it("reports a block cut before its END line from BEGIN to the end of its base64", () => {
    const cut = `-----BEGIN RSA PRIVATE KEY-----\n${body(3)}`;
    const [f] = privateKeyDetector.detect(`${cut}\n\nand then prose.`);
    expect([f?.text, f?.validator, f?.score]).toEqual([cut, "pem-unterminated", 0.7]);
  });

  it("refuses public keys, bare BEGIN lines, mismatched END labels and empty blocks", () => {
    const text = [
      pem("PUBLIC KEY"),
      "-----BEGIN PRIVATE KEY----- is how a PEM key starts",
      `-----BEGIN RSA PRIVATE KEY-----\nshort\n-----END EC PRIVATE KEY-----`,
      "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
    ].join("\n");
    expect(found(privateKeyDetector, text)).toEqual([]);
  });

  it("pairs each BEGIN with the END that follows it, not one further on", () => {
    const first = `-----BEGIN PRIVATE KEY-----\n${body(1)}`;
    const second = pem("PRIVATE KEY");
    expect(found(privateKeyDetector, `${first}\n${second}`)).toEqual([
      [first, "pem-unterminated"],
      [second, "pem"],
    ]);
  });
});
