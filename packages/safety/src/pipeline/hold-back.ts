/**
 * How much trailing output the stream guard holds back: the longest text an entity can have before a
 * detector is able to recognise it (an email needs its TLD, a card number its last digit for Luhn).
 * Entities whose detectors already report a growing prefix (tokens, JWTs, PEM blocks) are held whole
 * by the guard while they touch the end of the text, whatever this says; their entries only need to
 * cover the prefix a detector needs to see.
 */
import { RIGHT_CONTEXT } from "../detectors/context.js";
import type { Entity } from "../types.js";

/** How far past a value its decision can look: the right context plus the few characters `context.ts` reads past a word. */
const RIGHT_REACH = RIGHT_CONTEXT + 8;

/** Upper bound in UTF-16 code units of the text each entity's detector must see before it matches. */
export const ENTITY_HOLD_BACK: Readonly<Record<Entity, number>> = {
  EMAIL: 256,
  PHONE: 32,
  CREDIT_CARD: 32,
  IBAN: 48,
  US_SSN: 16 + RIGHT_REACH, // nine digits may turn out to be an SSN by a word after them
  IP_ADDRESS: 48 + RIGHT_REACH, // a dotted quad may turn out to be a version by a word after it
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
 * What of the end of the text could still grow into each entity: a character class (a superset of what the detector
 * matches: only a trailing run of such characters can), or a function for entities that span lines. The guard holds
 * back that — up to `ENTITY_HOLD_BACK` — instead of the whole bound: "…write to me at " holds nothing for EMAIL,
 * "…at jane.d" holds 6 characters. A secret assignment's value is the finding and its name and separator sit in the
 * left context the detector re-reads, so only the value's run is held; a PEM block is held from its `-----BEGIN`.
 */
export const ENTITY_TAIL: Readonly<Partial<Record<Entity, RegExp | ((text: string, bound: number) => number)>>> = {
  EMAIL: /\S/,
  PHONE: /[\d \u00a0().\-/+:]/, // `:` too: a `:mm` after the digits makes them a time, not a number
  CREDIT_CARD: /[\d -]/,
  IBAN: /[A-Za-z\d ]/,
  US_SSN: untilRightContext(/[\d -]/, /\d{3}[- ]?\d{2}[- ]?\d{4}/g),
  IP_ADDRESS: untilRightContext(/\S/, /\d{1,3}(?:\.\d{1,3}){3}/g),
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
  SECRET_ASSIGNMENT: /\S/,
  PRIVATE_KEY: pemTail,
};

/**
 * The trailing run of `run` characters, or, when longer, everything from the start of the last `candidate` that has not
 * yet been followed by the `RIGHT_REACH` its detector reads (so the entity's bound must cover a candidate plus that):
 * the decision on `Can you check 536221849? It's the SSN` waits for the words after the number.
 */
function untilRightContext(run: RegExp, candidate: RegExp): (text: string, bound: number) => number {
  return (text, bound) => {
    let need = 0;
    while (need < bound && need < text.length && run.test(text[text.length - 1 - need] as string)) need++;
    const from = Math.max(0, text.length - RIGHT_REACH - 16);
    for (const m of text.slice(from).matchAll(candidate)) {
      if (from + m.index + m[0].length > text.length - RIGHT_REACH) need = Math.max(need, text.length - from - m.index);
    }
    return need;
  };
}

/** A PEM block that may be starting: from the last `-----BEGIN` in reach, or a `-----BEGIN` still being written. */
function pemTail(text: string, bound: number): number {
  const from = Math.max(0, text.length - bound);
  const begin = text.lastIndexOf("-----BEGIN", text.length - 1);
  if (begin >= from) return text.length - begin;
  let run = 0;
  while (run < bound && run < text.length && /[-A-Z ]/.test(text[text.length - 1 - run] as string)) run++;
  return run;
}

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
 * How much of the end of `text` could still grow into one of `entities`: per entity its `ENTITY_TAIL` (the trailing run
 * of its characters, or its function) up to its bound, the whole bound for an entity without one; the most over the
 * entities, under `cap`.
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
    const tail = ENTITY_TAIL[e];
    if (tail === undefined) {
      need = bound;
      continue;
    }
    let run = 0;
    if (typeof tail === "function") run = Math.min(bound, tail(text, bound));
    else while (run < bound && run < text.length && tail.test(text[text.length - 1 - run] as string)) run++;
    need = Math.max(need, run);
  }
  return need;
}
