/**
 * How much trailing output the stream guard holds back: the longest text an entity can have before a
 * detector is able to recognise it (an email needs its TLD, a card number its last digit for Luhn).
 * Entities whose detectors already report a growing prefix (tokens, JWTs, PEM blocks) are held whole
 * by the guard while they touch the end of the text, whatever this says; their entries only need to
 * cover the prefix a detector needs to see.
 */
import type { Entity } from "../types.js";

/** Upper bound in UTF-16 code units of the text each entity's detector must see before it matches. */
export const ENTITY_HOLD_BACK: Readonly<Record<Entity, number>> = {
  EMAIL: 256,
  PHONE: 32,
  CREDIT_CARD: 32,
  IBAN: 48,
  US_SSN: 16,
  IP_ADDRESS: 48,
  MAC_ADDRESS: 20,
  URL_CREDENTIALS: 256,
  CRYPTO_WALLET: 96,
  AWS_ACCESS_KEY: 24,
  GITHUB_TOKEN: 96,
  GITLAB_TOKEN: 72,
  SLACK_TOKEN: 96,
  STRIPE_KEY: 64,
  GOOGLE_API_KEY: 40,
  JWT: 96,
  PRIVATE_KEY: 128,
  SECRET_ASSIGNMENT: 96,
};

/** Characters of already released text kept as left context for lookbehinds (SSN context words: 48). */
export const LEFT_CONTEXT = 64;

/** The longest placeholder a vault issues: `[` + 40 + `_` + 9 digits + `]`. */
export const MAX_PLACEHOLDER = 52;

/** The default cap of the hold-back when the policy sets none. */
export const DEFAULT_HOLD_BACK_CAP = 256;

/**
 * The hold-back for `entities` under an optional cap.
 *
 * @example
 * holdBackFor(["CREDIT_CARD", "US_SSN"]); // 32
 */
export function holdBackFor(entities: readonly Entity[], cap = DEFAULT_HOLD_BACK_CAP): number {
  let need = 0;
  for (const e of entities) need = Math.max(need, ENTITY_HOLD_BACK[e]);
  return Math.min(need, cap);
}
