/**
 * URL_CREDENTIALS: the `user:password` of a URL's userinfo (`scheme://user:password@host`). The span
 * covers the userinfo only, so redaction keeps scheme and host: `https://[URL_CREDENTIALS]@db.example`.
 * Passwords already masked (`***`, `xxx`) or left as template variables (`${PASS}`, `<password>`)
 * are not reported.
 */
import { type Detector, type Finding, finding } from "../types.js";

const URL_USERINFO =
  /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,19}:\/\/[^\s/:@?#]{1,128}:[^\s/@?#]{1,256}@(?=[\w[])/g;
const PLACEHOLDER = /^(?:\*+|x+|X+|\$\{.*\}|\$[A-Z_]+|<.*>|\{\{.*\}\})$/;

/** Finds user:password pairs inside URLs. */
export const urlCredentialsDetector: Detector = {
  name: "url-credentials",
  entities: ["URL_CREDENTIALS"],
  detect(text: string): Finding[] {
    const found: Finding[] = [];
    for (const m of text.matchAll(URL_USERINFO)) {
      const userinfoStart = m[0].indexOf("://") + 3;
      const userinfo = m[0].slice(userinfoStart, -1);
      const password = userinfo.slice(userinfo.indexOf(":") + 1);
      if (PLACEHOLDER.test(password)) continue;
      const start = m.index + userinfoStart;
      found.push(finding(text, "URL_CREDENTIALS", start, start + userinfo.length, 0.95, "url-userinfo"));
    }
    return found;
  },
};
