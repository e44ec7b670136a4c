import { describe, expect, it } from "vitest";
import { found } from "../testing/find.js";
import {
  awsAccessKeyDetector,
  githubTokenDetector,
  gitlabTokenDetector,
  googleApiKeyDetector,
  slackTokenDetector,
  stripeKeyDetector,
} from "./tokens.js";

// Fake credentials are assembled at run time so that no secret-shaped literal sits in the source.
const alnum = (n: number, seed = 7) =>
  Array.from({ length: n }, (_, i) => "aB3dE5gH7jK9mN1pQ2rS4tU6vW8xY0z"[(i * seed + 3) % 31]).join("");

describe("token detectors", () => {
  it("AWS access key ids: AKIA and ASIA, 20 characters of base32", () => {
    const key = `AKIA${"IOSFODNN7EXAMPLE"}`;
    const sts = `ASIA${"Y34FZKBOKMUTVV7A"}`;
    expect(found(awsAccessKeyDetector, `id=${key} sts ${sts}`)).toEqual([
      [key, "prefix"],
      [sts, "prefix"],
    ]);
    expect(
      found(awsAccessKeyDetector, `AKIA${"IOSFODNN7EXAMPL"} AKIA${"IOSFODNN7EXAMPLE1"} AKIA${"iosfodnn7example"}`),
    ).toEqual([]);
  });

  it("GitHub classic and fine-grained tokens", () => {
    const classic = `ghp_${alnum(36)}`;
    const app = `ghs_${alnum(36, 11)}`;
    const fine = `github_pat_${alnum(22)}_${alnum(59, 13)}`;
    expect(found(githubTokenDetector, `${classic} ${app} ${fine}`).map(([t]) => t)).toEqual([classic, app, fine]);
    expect(found(githubTokenDetector, `ghp_${alnum(35)} ghx_${alnum(36)} ghp_${alnum(37)}`)).toEqual([]);
  });

  it("GitLab, Slack, Stripe and Google keys", () => {
    const gitlab = `glpat-${alnum(20)}`;
    const slack = `xoxb-${"123456789012"}-${"1234567890123"}-${alnum(24)}`;
    const stripe = `sk_${"live"}_${alnum(24)}`;
    const stripeTest = `rk_${"test"}_${alnum(30)}`;
    const google = `AIza${alnum(35)}`;
    expect(found(gitlabTokenDetector, `token ${gitlab}.`).map(([t]) => t)).toEqual([gitlab]);
    expect(found(slackTokenDetector, slack).map(([t]) => t)).toEqual([slack]);
    expect(found(stripeKeyDetector, `${stripe} ${stripeTest}`).map(([t]) => t)).toEqual([stripe, stripeTest]);
    expect(found(googleApiKeyDetector, `key=${google}&q=1`).map(([t]) => t)).toEqual([google]);
  });

  it("refuses publishable keys, short bodies and prefixes inside longer words", () => {
    expect(found(stripeKeyDetector, `pk_${"live"}_${alnum(24)} sk_${"live"}_short`)).toEqual([]);
    expect(found(gitlabTokenDetector, `glpat-${alnum(19)} xglpat-${alnum(20)}`)).toEqual([]);
    expect(found(slackTokenDetector, "xoxb- xoxq-1234-5678")).toEqual([]);
    expect(found(googleApiKeyDetector, `AIza${alnum(34)} AIza${alnum(36)}`)).toEqual([]);
  });
});
