/**
 * Provider credentials recognized by their documented prefixes and fixed shapes. No checksum is
 * public for these (GitHub's CRC32 suffix is not checked here), so the validator is `prefix` and the
 * exact length and alphabet carry the weight. Each pattern is one literal prefix and one bounded
 * class, with boundaries on both sides.
 */
import { type Detector, type Entity, type Finding, finding } from "../types.js";

function prefixDetector(name: string, entity: Entity, pattern: RegExp, score: number): Detector {
  return {
    name,
    entities: [entity],
    detect(text: string): Finding[] {
      const found: Finding[] = [];
      for (const m of text.matchAll(pattern)) {
        found.push(finding(text, entity, m.index, m.index + m[0].length, score, "prefix"));
      }
      return found;
    },
  };
}

/** AWS access key IDs: `AKIA` (long-term), `ASIA` (STS), `ABIA`, `ACCA` + 16 base32 characters. */
export const awsAccessKeyDetector = prefixDetector(
  "aws-access-key",
  "AWS_ACCESS_KEY",
  /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/g,
  0.9,
);

/** GitHub tokens: `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36, fine-grained `github_pat_` + 82. */
export const githubTokenDetector = prefixDetector(
  "github-token",
  "GITHUB_TOKEN",
  /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])/g,
  0.95,
);

/** GitLab personal access tokens: `glpat-` + 20 or more URL-safe characters. */
export const gitlabTokenDetector = prefixDetector(
  "gitlab-token",
  "GITLAB_TOKEN",
  /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,64}(?![A-Za-z0-9_-])/g,
  0.95,
);

/** Slack tokens: `xoxb-`, `xoxa-`, `xoxp-`, `xoxr-`, `xoxs-` + dash-separated alphanumeric parts. */
export const slackTokenDetector = prefixDetector(
  "slack-token",
  "SLACK_TOKEN",
  /(?<![A-Za-z0-9-])xox[abprs]-[0-9A-Za-z]{1,48}(?:-[0-9A-Za-z]{1,48}){1,5}(?![A-Za-z0-9-])/g,
  0.95,
);

/** Stripe secret and restricted keys, live and test: `sk_live_`, `rk_live_`, `sk_test_`, `rk_test_`. */
export const stripeKeyDetector = prefixDetector(
  "stripe-key",
  "STRIPE_KEY",
  /(?<![A-Za-z0-9_])[rs]k_(?:live|test)_[0-9A-Za-z]{16,247}(?![A-Za-z0-9_])/g,
  0.95,
);

/** Google API keys: `AIza` + 35 URL-safe characters. */
export const googleApiKeyDetector = prefixDetector(
  "google-api-key",
  "GOOGLE_API_KEY",
  /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
  0.95,
);
