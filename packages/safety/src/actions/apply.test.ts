import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createRegistry } from "../registry.js";
import type { Finding } from "../types.js";
import { applyActions, mask } from "./apply.js";
import { Vault } from "./vault.js";

const registry = createRegistry();
const TEXT = "Mail jane@example.com or bob@example.org, card 4111 1111 1111 1111, again jane@example.com.";
const findings = registry.detect(TEXT);

describe("mask", () => {
  it("keeps the last four code points", () => {
    expect(mask("4111111111111234")).toBe("************1234");
    expect(mask("abcd")).toBe("****");
    expect(mask("a😀😀😀😀")).toBe("*😀😀😀😀");
  });
});

describe("applyActions", () => {
  it("redacts, masks and allows by entity table", async () => {
    const result = await applyActions(TEXT, findings, { EMAIL: "redact", CREDIT_CARD: "mask" });
    expect(result.text).toBe("Mail [EMAIL] or [EMAIL], card ***************1111, again [EMAIL].");
    expect(result.decision).toBe("modify");
    expect(result.findings.map((f) => [f.entity, f.action, f.replacement])).toEqual([
      ["EMAIL", "redact", "[EMAIL]"],
      ["EMAIL", "redact", "[EMAIL]"],
      ["CREDIT_CARD", "mask", "***************1111"],
      ["EMAIL", "redact", "[EMAIL]"],
    ]);
    const allowed = await applyActions(TEXT, findings, { EMAIL: "allow", CREDIT_CARD: "allow" });
    expect([allowed.text, allowed.decision]).toEqual([TEXT, "allow"]);
  });

  it("redacts entities the table does not name, unless another default is given", async () => {
    expect((await applyActions(TEXT, findings, { EMAIL: "allow" })).text).toContain("card [CREDIT_CARD],");
    expect((await applyActions(TEXT, findings, { EMAIL: "allow" }, { defaultAction: "allow" })).text).toBe(TEXT);
  });

  it("pseudonymizes consistently within one vault and restores the originals", async () => {
    const vault = new Vault();
    const result = await applyActions(TEXT, findings, () => "pseudonymize", { vault });
    expect(result.text).toBe("Mail [EMAIL_1] or [EMAIL_2], card [CREDIT_CARD_1], again [EMAIL_1].");
    expect(vault.restore(result.text)).toBe(TEXT);
  });

  it("hashes with the keyed HMAC", async () => {
    const result = await applyActions("jane@example.com", registry.detect("jane@example.com"), () => "hash", {
      hashKey: "k3y",
    });
    const mac = createHmac("sha256", "k3y").update("jane@example.com").digest("hex").slice(0, 8);
    expect(result.text).toBe(`[EMAIL:${mac}]`);
  });

  it("block leaves its span unchanged and decides block", async () => {
    const result = await applyActions(TEXT, findings, (f) => (f.entity === "CREDIT_CARD" ? "block" : "redact"));
    expect(result.decision).toBe("block");
    expect(result.text).toBe("Mail [EMAIL] or [EMAIL], card 4111 1111 1111 1111, again [EMAIL].");
    expect(result.findings.find((f) => f.entity === "CREDIT_CARD")?.action).toBe("block");
  });

  it("needs a vault to pseudonymize and a key to hash", async () => {
    await expect(applyActions(TEXT, findings, () => "pseudonymize")).rejects.toThrow(/vault/);
    await expect(applyActions(TEXT, findings, () => "hash")).rejects.toThrow(/hashKey/);
  });

  it("refuses findings that do not match the text", async () => {
    const stale: Finding = { ...(findings[0] as Finding), start: 0 };
    await expect(applyActions(TEXT, [stale], () => "redact")).rejects.toThrow(RangeError);
  });

  it("resolves overlapping findings before replacing", async () => {
    const text = "postgres://admin:s3cr3tPa55@db.example.com";
    const all = registry.detect(text, { keepOverlaps: true });
    expect(all).toHaveLength(2);
    expect((await applyActions(text, all, () => "redact")).text).toBe("postgres://[URL_CREDENTIALS]@db.example.com");
  });
});
