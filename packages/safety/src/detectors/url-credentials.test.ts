import { describe, expect, it } from "vitest";
import { found } from "../testing/find.js";
import { urlCredentialsDetector } from "./url-credentials.js";

describe("urlCredentialsDetector", () => {
  it("finds the userinfo of URLs of any scheme, passwords with colons included", () => {
    const text = "DB postgres://admin:s3cr3t@db.internal:5432/app, ftp://bob:pa:ss@10.0.0.2/ and https://u:p@[::1]/";
    expect(found(urlCredentialsDetector, text)).toEqual([
      ["admin:s3cr3t", "url-userinfo"],
      ["bob:pa:ss", "url-userinfo"],
      ["u:p", "url-userinfo"],
    ]);
  });

  it("refuses URLs without a password, masked or templated passwords, and e-mail addresses", () => {
    const text =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} placeholder is the input
      "https://user@example.com https://example.com/a:b@c redis://:@h https://u:****@h https://u:${PASS}@h https://u:<password>@h jane@example.com";
    expect(found(urlCredentialsDetector, text)).toEqual([]);
  });
});
