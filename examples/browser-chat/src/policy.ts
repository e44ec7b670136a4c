/**
 * The moderation policy of local mode (a remote server applies its own, per API key): personal data in prompts is
 * pseudonymized before the model sees it and restored in the answer, secrets and card numbers are redacted, the
 * same entities are redacted from the output, and prompt injection is refused. The schema is `@gemma-edge/safety`'s.
 */
export const LOCAL_POLICY = {
  id: "browser-chat",
  input: {
    entities: {
      EMAIL: "pseudonymize",
      PHONE: "pseudonymize",
      IBAN: "pseudonymize",
      CREDIT_CARD: "redact",
      US_SSN: "redact",
      AWS_ACCESS_KEY: "redact",
      GITHUB_TOKEN: "redact",
      PRIVATE_KEY: "redact",
      SECRET_ASSIGNMENT: "redact",
    },
    categories: {
      prompt_injection: { threshold: 0.8, action: "block" },
      jailbreak: { threshold: 0.8, action: "block" },
    },
  },
  output: {
    entities: { EMAIL: "redact", PHONE: "redact", CREDIT_CARD: "redact", AWS_ACCESS_KEY: "redact" },
    classifiers: {},
  },
  // Output is released in steps, holding back the trailing characters an entity may still be growing in: the default
  // for EMAIL is 256, so the first words would wait that long; 48 covers the emails people write.
  streaming: { holdBackChars: 48 },
};
