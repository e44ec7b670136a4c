/**
 * The shapes every detector shares: the entity names, a finding, and the detector interface.
 * Offsets are UTF-16 code units, half-open `[start, end)`, the same convention as the wire `Span`
 * of `@gemma-edge/protocol`. Unlike the wire finding, a detector finding carries the matched `text`:
 * the actions need it; the pipeline drops it before anything is logged or sent.
 */

/** Personal data entities. */
export const PII_ENTITIES = [
  "EMAIL",
  "PHONE",
  "CREDIT_CARD",
  "IBAN",
  "US_SSN",
  "IP_ADDRESS",
  "MAC_ADDRESS",
  "URL_CREDENTIALS",
  "CRYPTO_WALLET",
] as const;

/** Secrets: credentials, tokens, keys. */
export const SECRET_ENTITIES = [
  "AWS_ACCESS_KEY",
  "GITHUB_TOKEN",
  "GITLAB_TOKEN",
  "SLACK_TOKEN",
  "STRIPE_KEY",
  "GOOGLE_API_KEY",
  "JWT",
  "PRIVATE_KEY",
  "SECRET_ASSIGNMENT",
] as const;

export const ENTITIES = [...PII_ENTITIES, ...SECRET_ENTITIES] as const;
export type Entity = (typeof ENTITIES)[number];

/** Whether `name` is one of the entity names this package detects. */
export function isEntity(name: string): name is Entity {
  return (ENTITIES as readonly string[]).includes(name);
}

/** One detected entity. */
export interface Finding {
  readonly entity: Entity;
  /** First UTF-16 code unit of the match. */
  readonly start: number;
  /** One past the last UTF-16 code unit of the match. */
  readonly end: number;
  /** `text.slice(start, end)` of the scanned text. */
  readonly text: string;
  /** Confidence in [0, 1]. */
  readonly score: number;
  /** The check that confirmed the match: `luhn`, `mod97`, `eip55`, `base58check`, `entropy`, … */
  readonly validator: string;
}

/** Finds one or more entities in a text. `detect` must run in time linear in the text's length. */
export interface Detector {
  readonly name: string;
  readonly entities: readonly Entity[];
  detect(text: string): Finding[];
}

/** Builds a finding from a span of `text`. */
export function finding(
  text: string,
  entity: Entity,
  start: number,
  end: number,
  score: number,
  validator: string,
): Finding {
  return { entity, start, end, text: text.slice(start, end), score, validator };
}
