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

/**
 * The characters each entity can be made of (a superset of what its detector matches). Only a trailing run of such
 * characters can still grow into that entity, so the guard holds back that run — up to `ENTITY_HOLD_BACK` — instead of
 * the whole bound: "…write to me at " holds nothing for EMAIL, "…at jane.d" holds 6 characters. Entities without an
 * entry (PEM blocks, secret assignments: spaces, quotes, newlines) keep the fixed bound.
 */
export const ENTITY_CHARS: Readonly<Partial<Record<Entity, RegExp>>> = {
  EMAIL: /\S/,
  PHONE: /[\d \u00a0().\-/+:]/, // `:` too: a `:mm` after the digits makes them a time, not a number
  CREDIT_CARD: /[\d -]/,
  IBAN: /[A-Za-z\d ]/,
  US_SSN: /[\d -]/,
  IP_ADDRESS: /\S/,
  MAC_ADDRESS: /\S/,
  URL_CREDENTIALS: /\S/,
  CRYPTO_WALLET: /\S/,
  AWS_ACCESS_KEY: /\S/,
  GITHUB_TOKEN: /\S/,
  GITLAB_TOKEN: /\S/,
  SLACK_TOKEN: /\S/,
  STRIPE_KEY: /\S/,
  GOOGLE_API_KEY: /\S/,
  JWT: /\S/,
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

/**
 * How much of the end of `text` could still grow into one of `entities`: per entity the trailing run of its
 * characters (`ENTITY_CHARS`) up to its bound, the whole bound for entities without a character class; the most over
 * the entities, under `cap`. Reads at most `cap` characters from the end.
 *
 * @example
 * tailHoldBack("write to me at jane.d", ["EMAIL"]); // 6
 * tailHoldBack("write to me at ", ["EMAIL", "CREDIT_CARD"]); // 1 (a space may separate card digit groups)
 */
export function tailHoldBack(text: string, entities: readonly Entity[], cap = DEFAULT_HOLD_BACK_CAP): number {
  let need = 0;
  for (const e of entities) {
    const bound = Math.min(ENTITY_HOLD_BACK[e], cap);
    if (bound <= need) continue;
    const chars = ENTITY_CHARS[e];
    if (chars === undefined) {
      need = bound;
      continue;
    }
    let run = 0;
    while (run < bound && run < text.length && chars.test(text[text.length - 1 - run] as string)) run++;
    need = Math.max(need, run);
  }
  return need;
}
