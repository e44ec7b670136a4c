import { describe, expect, it } from "vitest";
import { found } from "../testing/find.js";
import { entropyThreshold, secretAssignmentDetector } from "./secret-assignment.js";

describe("secretAssignmentDetector", () => {
  it("finds high-entropy values in env, YAML, JSON and code assignments", () => {
    const text = [
      "DB_PASSWORD=q7Rf9LzX2pWm4KvB",
      "api_key: 'Zx81-kLq0-PmW2-aa9T'",
      '{"client_secret": "c2VjcmV0LXZhbHVlLTEyMw=="}',
      'authToken := "Tq8#mW2$zL5!"',
      "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ].join("\n");
    expect(found(secretAssignmentDetector, text)).toEqual([
      ["q7Rf9LzX2pWm4KvB", "entropy"],
      ["Zx81-kLq0-PmW2-aa9T", "entropy"],
      ["c2VjcmV0LXZhbHVlLTEyMw==", "entropy"],
      ["Tq8#mW2$zL5!", "entropy"],
      ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "entropy"],
    ]);
  });

  it("refuses low-entropy, short, placeholder and keyword values", () => {
    const text = [
      "password=aaaaaaaaaaaa",
      "password=abcabcabcabc",
      "password=Xy7!",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} placeholder is the input
      "token: ${GITHUB_TOKEN}",
      "secret = process.env.SECRET",
      'api_key: "your_api_key_here"',
      "password: <redacted>",
      "password == q7Rf9LzX2pWm4KvB",
    ].join("\n");
    expect(found(secretAssignmentDetector, text)).toEqual([]);
  });

  it("needs the name to end in the keyword, and an assignment", () => {
    const text = "tokenizer = google/gemma-2b-it9\nsecretary: Jo4nna-Smith-99\nmy password is q7Rf9LzX2pWm4KvB";
    expect(found(secretAssignmentDetector, text)).toEqual([]);
  });

  it("scales the entropy threshold with the value length", () => {
    expect(entropyThreshold(8)).toBeCloseTo(2.55, 12);
    expect(entropyThreshold(64)).toBe(3);
  });
});
