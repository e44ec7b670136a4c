/**
 * The default policy and documented example policies. Each is written as the JSON an operator would
 * store (`PolicyInput`) and parsed through the schema, so the examples can never drift from it.
 */
import { type Policy, type PolicyInput, parsePolicy } from "./schema.js";

/**
 * The default: secrets and financial identifiers are redacted from prompts and output; prompt
 * injection and jailbreaks in prompts, and sexual content involving minors anywhere, are blocked;
 * the other harm categories are flagged (reported, not acted on).
 */
export const DEFAULT_POLICY_INPUT = {
  id: "default",
  version: 1,
  mode: "enforce",
  input: {
    entities: {
      CREDIT_CARD: "redact",
      IBAN: "redact",
      US_SSN: "redact",
      AWS_ACCESS_KEY: "redact",
      GITHUB_TOKEN: "redact",
      GITLAB_TOKEN: "redact",
      SLACK_TOKEN: "redact",
      STRIPE_KEY: "redact",
      GOOGLE_API_KEY: "redact",
      JWT: "redact",
      PRIVATE_KEY: "redact",
      SECRET_ASSIGNMENT: "redact",
    },
    categories: {
      sexual_minors: { threshold: 0.5, action: "block" },
      prompt_injection: { threshold: 0.8, action: "block" },
      jailbreak: { threshold: 0.8, action: "block" },
      hate: { threshold: 0.7, action: "flag" },
      harassment: { threshold: 0.7, action: "flag" },
      violence: { threshold: 0.7, action: "flag" },
      self_harm: { threshold: 0.6, action: "flag" },
      dangerous: { threshold: 0.7, action: "flag" },
    },
    classifiers: { lexical: 1, injection: 1 },
    maxInputChars: 32_000,
  },
  output: {
    entities: { CREDIT_CARD: "redact", US_SSN: "redact", PRIVATE_KEY: "redact", AWS_ACCESS_KEY: "redact" },
    categories: {
      sexual_minors: { threshold: 0.5, action: "block" },
      hate: { threshold: 0.7, action: "flag" },
      violence: { threshold: 0.7, action: "flag" },
      self_harm: { threshold: 0.6, action: "flag" },
    },
    classifiers: { lexical: 1 },
  },
  streaming: { windowTokens: 16 },
} satisfies PolicyInput;

export const DEFAULT_POLICY: Policy = parsePolicy(DEFAULT_POLICY_INPUT);

/**
 * A consumer chat app for a general audience: every PII entity is redacted from prompts and output,
 * secrets block the request (a user pasting a key is told so rather than silently redacted), and every
 * harm category blocks at a moderate threshold. Profanity is blocked in output only.
 */
export const STRICT_CONSUMER_POLICY_INPUT = {
  id: "consumer-strict",
  version: 3,
  input: {
    entities: {
      EMAIL: "redact",
      PHONE: "redact",
      CREDIT_CARD: "block",
      IBAN: "block",
      US_SSN: "block",
      IP_ADDRESS: "redact",
      URL_CREDENTIALS: "block",
      AWS_ACCESS_KEY: "block",
      GITHUB_TOKEN: "block",
      STRIPE_KEY: "block",
      PRIVATE_KEY: "block",
      SECRET_ASSIGNMENT: "block",
    },
    categories: {
      hate: { threshold: 0.5, action: "block" },
      harassment: { threshold: 0.5, action: "block" },
      sexual: { threshold: 0.5, action: "block" },
      sexual_minors: { threshold: 0.3, action: "block" },
      violence: { threshold: 0.5, action: "block" },
      self_harm: { threshold: 0.5, action: "block" },
      dangerous: { threshold: 0.5, action: "block" },
      illicit: { threshold: 0.6, action: "block" },
      prompt_injection: { threshold: 0.6, action: "block" },
      jailbreak: { threshold: 0.6, action: "block" },
      profanity: { threshold: 0.5, action: "flag" },
    },
    maxInputChars: 8_000,
  },
  output: {
    entities: { EMAIL: "redact", PHONE: "redact", CREDIT_CARD: "redact", US_SSN: "redact", IBAN: "redact" },
    categories: {
      hate: { threshold: 0.5, action: "block" },
      harassment: { threshold: 0.5, action: "block" },
      sexual: { threshold: 0.5, action: "block" },
      sexual_minors: { threshold: 0.3, action: "block" },
      violence: { threshold: 0.5, action: "block" },
      self_harm: { threshold: 0.5, action: "block" },
      dangerous: { threshold: 0.5, action: "block" },
      profanity: { threshold: 0.5, action: "block" },
    },
    classifiers: { lexical: 1 },
  },
  blockedMessage: "Sorry, I can't help with that.",
  streaming: { windowTokens: 8, holdBackChars: 128 },
} satisfies PolicyInput;

export const STRICT_CONSUMER_POLICY: Policy = parsePolicy(STRICT_CONSUMER_POLICY_INPUT);

/**
 * An internal tool (support agents summarizing tickets): personal data is pseudonymized before the
 * model sees it and restored in the answer, so agents read real names and numbers while the model
 * (and its logs) never do; secrets are hashed so repeated keys can be correlated without being
 * stored. Only injection is blocked; harm categories are flagged for audit.
 */
export const INTERNAL_PSEUDONYMIZE_POLICY_INPUT = {
  id: "internal-support",
  version: 1,
  input: {
    entities: {
      EMAIL: "pseudonymize",
      PHONE: "pseudonymize",
      CREDIT_CARD: "pseudonymize",
      IBAN: "pseudonymize",
      US_SSN: "pseudonymize",
      IP_ADDRESS: "pseudonymize",
      AWS_ACCESS_KEY: "hash",
      GITHUB_TOKEN: "hash",
      SECRET_ASSIGNMENT: "hash",
      PRIVATE_KEY: "redact",
    },
    categories: {
      prompt_injection: { threshold: 0.8, action: "block" },
      hate: { threshold: 0.7, action: "flag" },
      harassment: { threshold: 0.7, action: "flag" },
    },
    maxInputChars: 100_000,
  },
  output: { entities: { PRIVATE_KEY: "redact" }, classifiers: {} },
  hashKey: "SAFETY_HASH_KEY",
  streaming: { windowTokens: 32 },
} satisfies PolicyInput;

export const INTERNAL_PSEUDONYMIZE_POLICY: Policy = parsePolicy(INTERNAL_PSEUDONYMIZE_POLICY_INPUT);

/**
 * Rolling out the strict policy in shadow mode: every decision is computed and reported in
 * `gemma_edge` (and can be logged), but requests and output pass unchanged, so the operator can
 * measure false positives before switching `mode` to `enforce`.
 */
export const SHADOW_ROLLOUT_POLICY_INPUT = {
  ...STRICT_CONSUMER_POLICY_INPUT,
  id: "consumer-strict-shadow",
  mode: "shadow",
} satisfies PolicyInput;

export const SHADOW_ROLLOUT_POLICY: Policy = parsePolicy(SHADOW_ROLLOUT_POLICY_INPUT);

/** Every shipped policy by id. */
export const EXAMPLE_POLICIES: Readonly<Record<string, Policy>> = {
  [DEFAULT_POLICY.id]: DEFAULT_POLICY,
  [STRICT_CONSUMER_POLICY.id]: STRICT_CONSUMER_POLICY,
  [INTERNAL_PSEUDONYMIZE_POLICY.id]: INTERNAL_PSEUDONYMIZE_POLICY,
  [SHADOW_ROLLOUT_POLICY.id]: SHADOW_ROLLOUT_POLICY,
};
