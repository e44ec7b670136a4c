/**
 * Text for tests and the benchmark: realistic prose with sprinkled entities and look-alikes, and
 * hostile inputs — long runs of near-matches built to make a careless regex backtrack. Deterministic.
 * Exported as `@gemma-edge/safety/testing`.
 */

/** Repeats `unit` until the text is `size` UTF-16 code units long (the last repeat is cut). */
export function repeatTo(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** Hostile inputs by name: each is a function of the wanted size in code units. None holds an entity. */
export const HOSTILE: Readonly<Record<string, (size: number) => string>> = {
  digits: (n) => repeatTo("1", n),
  "digit-groups": (n) => repeatTo("1234 ", n),
  "dashed-digits": (n) => repeatTo("123-", n),
  "spaced-ones": (n) => repeatTo("1 ", n),
  "plus-parens": (n) => repeatTo("+1 (", n),
  "at-signs": (n) => repeatTo("a@", n),
  "dotted-local": (n) => `${repeatTo("a.", n - 1)}@`,
  "email-no-tld": (n) => repeatTo("a@b.", n),
  "dotted-ones": (n) => repeatTo("1.", n),
  // valid values whose context words say they are something else: every one costs a look at its windows
  "version-quads": (n) => repeatTo("build 1.2.3.4 ", n),
  "order-nines": (n) => repeatTo("order 536221849 ", n),
  "colon-ones": (n) => repeatTo("1:", n),
  "double-colons": (n) => repeatTo("a::", n),
  "hex-pairs": (n) => repeatTo("ff:", n),
  "0x-hex": (n) => `0x${repeatTo("deadBEEF", n - 2)}`,
  "begin-no-end": (n) => repeatTo("-----BEGIN ", n),
  "begin-key-no-end": (n) => repeatTo("-----BEGIN RSA PRIVATE KEY-----\n", n),
  "end-lines": (n) => repeatTo("-----END PRIVATE KEY-----\n", n),
  base64: (n) => repeatTo("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo+/", n),
  "eyJ-run": (n) => `eyJ${repeatTo("hbGciOiJIUzI1NiJ9", n - 3)}`,
  "eyJ-dots": (n) => repeatTo("eyJhbGciOi.", n),
  "password-eq": (n) => repeatTo("password=", n),
  "url-userinfo": (n) => repeatTo("a://b:", n),
  "akia-run": (n) => `AKIA${repeatTo("ABCDEFGHIJKLMNOP", n - 4)}`,
  "sk-live-run": (n) => `sk_live_${repeatTo("a1B2c3", n - 8)}`,
  "xoxb-dashes": (n) => `xoxb${repeatTo("-1", n - 4)}`,
  "iban-groups": (n) => `DE89${repeatTo(" 3704", n - 4)}`,
  "bc1-run": (n) => `bc1${repeatTo("qpzry9x8gf2tvdw0s3jn54khce6mua7l", n - 3)}`,
  base58: (n) => `1${repeatTo("23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", n - 1)}`,
};

const WORDS =
  "the a of to and in is for on with as by at from we our your this that order version build release team meeting report update ticket server deploy customer invoice shipment".split(
    " ",
  );

/** Entities and look-alikes mixed into realistic text; about a tenth of the sentences carry one. */
const SPRINKLES = [
  "Contact jane.doe@example.com for details.",
  "Call +44 20 7946 0958 tomorrow.",
  "Card 4111 1111 1111 1111 expires soon.",
  "Wire to DE89 3704 0044 0532 0130 00 today.",
  "Server 192.168.10.24 restarted at 12:30:45.",
  "Order #1234567890123 shipped on 2024-01-15.",
  "Upgrade to v1.2.3.4 and build 20240115.1.",
  "Trace id 123e4567-e89b-12d3-a456-426614174000 logged.",
  "Timestamp 1700000000000 recorded.",
  "Use AKIAIOSFODNN7EXAMPLE only in docs.",
  "Pay 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed now.",
  "Price is 1,299.00 EUR or 42 % off.",
];

/** A deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Realistic prose of `size` code units: sentences of common words, numbers, and sprinkled entities. */
export function realisticText(size: number, seed = 1): string {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const parts: string[] = [];
  let length = 0;
  while (length < size) {
    let sentence: string;
    if (next() < 0.1) sentence = pick(SPRINKLES);
    else {
      const words = Array.from({ length: 6 + Math.floor(next() * 12) }, () =>
        next() < 0.08 ? String(Math.floor(next() * 100000)) : pick(WORDS),
      );
      sentence = `${words.join(" ")}.`;
    }
    parts.push(sentence);
    length += sentence.length + 1;
  }
  return parts.join(" ").slice(0, size);
}
