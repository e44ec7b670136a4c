import { describe, expect, it } from "vitest";
import { Vault } from "./vault.js";

describe("Vault", () => {
  it("numbers distinct values per entity and repeats the placeholder of a known value", () => {
    const vault = new Vault();
    expect(vault.pseudonym("EMAIL", "a@x.io")).toBe("[EMAIL_1]");
    expect(vault.pseudonym("EMAIL", "b@x.io")).toBe("[EMAIL_2]");
    expect(vault.pseudonym("PHONE", "+14155552671")).toBe("[PHONE_1]");
    expect(vault.pseudonym("EMAIL", "a@x.io")).toBe("[EMAIL_1]");
    expect(vault.size).toBe(3);
  });

  it("restores issued placeholders and leaves unknown ones and look-alikes alone", () => {
    const vault = new Vault();
    vault.pseudonym("EMAIL", "a@x.io");
    vault.pseudonym("IBAN", "DE89370400440532013000");
    expect(vault.restore("Mail [EMAIL_1] about [IBAN_1]; not [EMAIL_2], [email_1] or [EMAIL_1")).toBe(
      "Mail a@x.io about DE89370400440532013000; not [EMAIL_2], [email_1] or [EMAIL_1",
    );
    expect(vault.lookup("[IBAN_1]")).toBe("DE89370400440532013000");
  });

  it("keeps vaults apart: a placeholder of one request means nothing in another", () => {
    const one = new Vault();
    const two = new Vault();
    one.pseudonym("EMAIL", "a@x.io");
    expect(two.restore("[EMAIL_1]")).toBe("[EMAIL_1]");
  });
});
