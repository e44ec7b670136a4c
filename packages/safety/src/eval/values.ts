/**
 * The values the evaluation corpus embeds: one generator per labeled entity and one per hard negative,
 * each a function of a seeded faker and the locale's phone region. Every labeled value is checked
 * against the rule that makes it genuine (Luhn, mod-97, the SSA's rules, Base58Check, Bech32, EIP-55,
 * libphonenumber's validity for the region) and every negative against the rule it breaks; a value
 * that does not pass its check throws, so a generator bug cannot turn into a wrong label.
 */
import type { Faker } from "@faker-js/faker";
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { utf8Encode } from "../crypto/utf8.js";
import { isValidSsn } from "../detectors/ssn.js";
import { type Entity, PII_ENTITIES } from "../types.js";
import { isBitcoinBase58Address } from "../validators/base58check.js";
import { segwitAddressEncoding } from "../validators/bech32.js";
import { eip55Checksum, isEip55 } from "../validators/eip55.js";
import { isValidIban } from "../validators/iban.js";
import { luhn } from "../validators/luhn.js";
import { base58Check, base64, base64Url, segwitAddress } from "./encode.js";

/** The entities the corpus labels. */
export const EVAL_ENTITIES = [
  ...PII_ENTITIES,
  "AWS_ACCESS_KEY",
  "GITHUB_TOKEN",
  "JWT",
] as const satisfies readonly Entity[];
export type EvalEntity = (typeof EVAL_ENTITIES)[number];

/** Hard negatives: text that looks like an entity and is not one. */
export const NEGATIVE_KINDS = [
  "order-number",
  "version",
  "timestamp",
  "uuid",
  "invalid-phone",
  "luhn-fail",
  "mod97-fail",
  "invalid-ssn",
  "itin",
  "eth-bad-checksum",
  "btc-bad-checksum",
  "base64-blob",
] as const;
export type NegativeKind = (typeof NEGATIVE_KINDS)[number];

/** A generated value; `span` is the part that is the entity when that is not the whole text (URL userinfo). */
export interface Value {
  readonly text: string;
  readonly span?: readonly [start: number, end: number];
}

type Generator = (f: Faker, region: CountryCode) => Value;

function check(ok: boolean, what: string, text: string): void {
  if (!ok) throw new Error(`eval corpus: generated ${what} ${JSON.stringify(text)} fails its own check`);
}

function bytes(f: Faker, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => f.number.int(255));
}

function digits(f: Faker, n: number): string {
  return f.string.numeric({ length: n, allowLeadingZeros: true });
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** A phone number in faker's national or international format that libphonenumber deems valid for `region`. */
function validPhone(f: Faker, region: CountryCode): string {
  for (let i = 0; i < 200; i++) {
    const style = f.helpers.arrayElement(["national", "international"] as const);
    const text = f.phone.number({ style });
    const parsed = parsePhoneNumberFromString(text, region);
    if (parsed?.isValid() !== true || parsed.country !== region) continue;
    // Half the international numbers are written as people write them: `+49 30 1234567`, not E.164.
    return style === "international" && f.datatype.boolean() ? parsed.formatInternational() : text;
  }
  throw new Error(`eval corpus: faker gave no valid ${region} phone number in 200 tries`);
}

const CARD_ISSUERS = ["visa", "mastercard", "american_express", "discover", "jcb", "diners_club"] as const;

/** Card digits grouped as printed: 4-6-5 (15 digits), 4-6-4 (14), else fours. */
function groupCard(number: string, separator: string): string {
  const sizes = number.length === 15 ? [4, 6, 5] : number.length === 14 ? [4, 6, 4] : [4, 4, 4, 4, 4];
  const groups: string[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= number.length) break;
    groups.push(number.slice(at, at + size));
    at += size;
  }
  return groups.join(separator);
}

function cardDigits(f: Faker): { raw: string; number: string } {
  const raw = f.finance.creditCardNumber(f.helpers.arrayElement(CARD_ISSUERS));
  return { raw, number: raw.replace(/\D/g, "") };
}

function printCard(f: Faker, raw: string, number: string): string {
  const style = f.helpers.arrayElement(["faker", "spaces", "compact"] as const);
  return style === "faker" ? raw : style === "spaces" ? groupCard(number, " ") : number;
}

const IBAN_COUNTRIES = ["DE", "FR", "ES", "IT", "NL", "GB", "BE", "AT", "CH", "PT", "PL", "IE", "BR"] as const;

function iban(f: Faker, region: CountryCode): { compact: string; formatted: boolean } {
  const own = (IBAN_COUNTRIES as readonly string[]).includes(region) && f.datatype.boolean();
  const countryCode = own ? region : f.helpers.arrayElement(IBAN_COUNTRIES);
  return { compact: f.finance.iban({ countryCode }), formatted: f.datatype.boolean() };
}

const groupIban = (compact: string) => compact.replace(/(.{4})(?=.)/g, "$1 ");

/** Nine digits as `AAA-GG-SSSS` (most), `AAA GG SSSS` or bare. */
function printSsn(f: Faker, nine: string): string {
  const [a, g, s] = [nine.slice(0, 3), nine.slice(3, 5), nine.slice(5)];
  const style = f.helpers.weightedArrayElement([
    { weight: 7, value: "dashed" },
    { weight: 2, value: "spaced" },
    { weight: 1, value: "bare" },
  ]);
  return style === "dashed" ? `${a}-${g}-${s}` : style === "spaced" ? `${a} ${g} ${s}` : nine;
}

/** An IPv6 address, half of them with a run of zero groups, written in full or compressed (RFC 5952). */
function ipv6(f: Faker): string {
  const groups = Array.from({ length: 8 }, () => f.number.int(0xffff));
  if (f.datatype.boolean()) {
    const length = f.number.int({ min: 2, max: 5 });
    const at = f.number.int({ min: 1, max: 8 - length });
    groups.fill(0, at, at + length);
  }
  if (f.datatype.boolean()) return groups.map((g) => g.toString(16).padStart(4, "0")).join(":");
  // Compress the longest run of two or more zero groups.
  let best = [-1, 0];
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > (best[1] as number)) best = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  const [at, run] = best as [number, number];
  if (run < 2) return hex.join(":");
  return `${hex.slice(0, at).join(":")}::${hex.slice(at + run).join(":")}`;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** One generator per labeled entity. */
export const ENTITY_VALUES: Readonly<Record<EvalEntity, Generator>> = {
  EMAIL: (f) => ({ text: f.internet.email() }),
  PHONE: (f, region) => ({ text: validPhone(f, region) }),
  CREDIT_CARD: (f) => {
    const { raw, number } = cardDigits(f);
    check(luhn(number), "card", raw);
    return { text: printCard(f, raw, number) };
  },
  IBAN: (f, region) => {
    const { compact, formatted } = iban(f, region);
    check(isValidIban(compact), "IBAN", compact);
    return { text: formatted ? groupIban(compact) : compact };
  },
  US_SSN: (f) => {
    let nine: string;
    do {
      nine = `${pad(f.number.int({ min: 1, max: 899 }), 3)}${pad(f.number.int({ min: 1, max: 99 }), 2)}${pad(f.number.int({ min: 1, max: 9999 }), 4)}`;
    } while (!isValidSsn(nine));
    return { text: printSsn(f, nine) };
  },
  IP_ADDRESS: (f) => ({ text: f.number.int(9) < 6 ? f.internet.ipv4() : ipv6(f) }),
  MAC_ADDRESS: (f) => {
    if (f.number.int(19) === 0) {
      const hex = f.string.hexadecimal({ length: 12, casing: "lower", prefix: "" });
      return { text: `${hex.slice(0, 4)}.${hex.slice(4, 8)}.${hex.slice(8)}` };
    }
    const mac = f.internet.mac({ separator: f.helpers.arrayElement([":", "-"]) });
    return { text: f.number.int(9) < 3 ? mac.toUpperCase() : mac };
  },
  URL_CREDENTIALS: (f) => {
    const scheme = f.helpers.arrayElement([
      "https",
      "postgres",
      "postgresql",
      "mysql",
      "redis",
      "amqp",
      "mongodb",
      "ftp",
    ]);
    let user: string;
    do user = f.internet.username();
    while (!/^[\w.-]+$/.test(user));
    const password = f.internet.password({ length: f.number.int({ min: 10, max: 20 }) });
    const port =
      scheme === "https" || scheme === "ftp" ? "" : `:${f.helpers.arrayElement([5432, 3306, 6379, 5672, 27017])}`;
    const path = f.helpers.arrayElement(["", "/", "/app", "/prod?sslmode=require", "/v1/export"]);
    const prefix = `${scheme}://`;
    const userinfo = `${user}:${password}`;
    return {
      text: `${prefix}${userinfo}@${f.internet.domainName()}${port}${path}`,
      span: [prefix.length, prefix.length + userinfo.length],
    };
  },
  CRYPTO_WALLET: (f) => {
    const kind = f.helpers.weightedArrayElement([
      { weight: 35, value: "eth-checksummed" },
      { weight: 15, value: "eth-lowercase" },
      { weight: 20, value: "p2pkh" },
      { weight: 10, value: "p2sh" },
      { weight: 15, value: "segwit-v0" },
      { weight: 5, value: "taproot" },
    ]);
    if (kind === "eth-checksummed" || kind === "eth-lowercase") {
      const hex = Array.from(bytes(f, 20), (b) => b.toString(16).padStart(2, "0")).join("");
      return { text: `0x${kind === "eth-lowercase" ? hex : eip55Checksum(hex)}` };
    }
    if (kind === "p2pkh" || kind === "p2sh") {
      const text = base58Check(kind === "p2pkh" ? 0x00 : 0x05, bytes(f, 20));
      check(isBitcoinBase58Address(text), "Base58Check address", text);
      return { text };
    }
    const text = kind === "segwit-v0" ? segwitAddress(0, bytes(f, 20)) : segwitAddress(1, bytes(f, 32));
    check(segwitAddressEncoding(text) !== undefined, "SegWit address", text);
    return { text };
  },
  AWS_ACCESS_KEY: (f) => ({
    text: `${f.helpers.arrayElement(["AKIA", "AKIA", "AKIA", "ASIA"])}${Array.from({ length: 16 }, () => f.helpers.arrayElement([...BASE32])).join("")}`,
  }),
  GITHUB_TOKEN: (f) => {
    if (f.number.int(4) === 0) {
      return { text: `github_pat_${f.string.alphanumeric(22)}_${f.string.alphanumeric(59)}` };
    }
    return { text: `gh${f.helpers.arrayElement(["p", "p", "o", "u", "s", "r"])}_${f.string.alphanumeric(36)}` };
  },
  JWT: (f) => {
    const rs = f.datatype.boolean();
    const header = rs
      ? { alg: "RS256", typ: "JWT", kid: f.string.hexadecimal({ length: 16, prefix: "" }) }
      : { alg: "HS256", typ: "JWT" };
    const iat = f.number.int({ min: 1_600_000_000, max: 1_800_000_000 });
    const payload = { sub: f.string.uuid(), name: f.person.fullName(), iat, exp: iat + 3600 };
    const part = (value: object) => base64Url(utf8Encode(JSON.stringify(value)));
    return { text: `${part(header)}.${part(payload)}.${base64Url(bytes(f, rs ? 256 : 32))}` };
  },
};

/** A valid number of `region` with one digit (not among the first three) dropped, so that it is invalid. */
function invalidPhone(f: Faker, region: CountryCode): string {
  for (let i = 0; i < 200; i++) {
    const valid = validPhone(f, region);
    // Keep the first three digits, so a country code or trunk prefix stays as written.
    const positions = [...valid].flatMap((c, at) => (/\d/.test(c) ? [at] : [])).slice(3);
    const drop = f.helpers.arrayElement(positions);
    const text = valid.slice(0, drop) + valid.slice(drop + 1);
    if (parsePhoneNumberFromString(text, region)?.isValid() !== true) return text;
  }
  throw new Error(`eval corpus: no invalid ${region} phone number in 200 tries`);
}

function timestamp(f: Faker): string {
  const d = f.date.between({ from: "2020-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" });
  const [y, mo, da, h, mi, s] = [
    d.getUTCFullYear(),
    pad(d.getUTCMonth() + 1, 2),
    pad(d.getUTCDate(), 2),
    pad(d.getUTCHours(), 2),
    pad(d.getUTCMinutes(), 2),
    pad(d.getUTCSeconds(), 2),
  ];
  return f.helpers.arrayElement([
    d.toISOString(),
    `${y}-${mo}-${da} ${h}:${mi}:${s}`,
    `${da}.${mo}.${y} ${h}:${mi}`,
    `${y}/${mo}/${da} ${h}:${mi}:${s}`,
    String(Math.floor(d.getTime() / 1000)),
    String(d.getTime()),
  ]);
}

/** One generator per hard negative. */
export const NEGATIVE_VALUES: Readonly<Record<NegativeKind, Generator>> = {
  "order-number": (f) => ({
    text: f.helpers.arrayElement([
      `#${digits(f, f.number.int({ min: 6, max: 10 }))}`,
      digits(f, 10),
      `ORD-${f.number.int({ min: 2019, max: 2026 })}-${digits(f, 6)}`,
      `${digits(f, 3)}-${digits(f, 7)}-${digits(f, 7)}`,
    ]),
  }),
  version: (f) => {
    const octet = () => f.number.int(255);
    const text = f.helpers.weightedArrayElement([
      { weight: 6, value: () => `${f.number.int({ min: 1, max: 20 })}.${f.number.int(20)}.${octet()}.${octet()}` },
      { weight: 2, value: () => f.system.semver() },
      {
        weight: 2,
        value: () =>
          `${f.number.int(12)}.${f.number.int(9)}.${f.number.int({ min: 1000, max: 30000 })}.${f.number.int(3000)}`,
      },
    ])();
    return { text: f.number.int(4) === 0 ? `v${text}` : text };
  },
  timestamp: (f) => ({ text: timestamp(f) }),
  uuid: (f) => ({ text: f.string.uuid() }),
  "invalid-phone": (f, region) => ({ text: invalidPhone(f, region) }),
  "luhn-fail": (f) => {
    const { number } = cardDigits(f);
    const last = Number(number.at(-1));
    const broken = number.slice(0, -1) + String((last + f.number.int({ min: 1, max: 9 })) % 10);
    check(!luhn(broken), "Luhn-failing number", broken);
    return { text: printCard(f, groupCard(broken, "-"), broken) };
  },
  "mod97-fail": (f, region) => {
    const { compact, formatted } = iban(f, region);
    const check2 = (Number(compact.slice(2, 4)) + f.number.int({ min: 1, max: 96 })) % 100;
    const broken = `${compact.slice(0, 2)}${pad(check2, 2)}${compact.slice(4)}`;
    check(!isValidIban(broken), "mod-97-failing IBAN", broken);
    return { text: formatted ? groupIban(broken) : broken };
  },
  "invalid-ssn": (f) => {
    const [a, g, s] = [
      f.number.int({ min: 1, max: 899 }),
      f.number.int({ min: 1, max: 99 }),
      f.number.int({ min: 1, max: 9999 }),
    ];
    const text = f.helpers.arrayElement([
      `000-${pad(g, 2)}-${pad(s, 4)}`,
      `666-${pad(g, 2)}-${pad(s, 4)}`,
      `${pad(a, 3)}-00-${pad(s, 4)}`,
      `${pad(a, 3)}-${pad(g, 2)}-0000`,
    ]);
    check(!isValidSsn(text.replaceAll("-", "")), "invalid SSN", text);
    return { text };
  },
  itin: (f) => {
    const group = f.helpers.arrayElement([
      ...Array.from({ length: 16 }, (_, i) => 50 + i),
      ...Array.from({ length: 19 }, (_, i) => 70 + i),
      90,
      91,
      92,
      94,
      95,
      96,
      97,
      98,
      99,
    ]);
    return { text: `9${digits(f, 2)}-${group}-${pad(f.number.int({ min: 1, max: 9999 }), 4)}` };
  },
  "eth-bad-checksum": (f) => {
    const good = eip55Checksum(Array.from(bytes(f, 20), (b) => b.toString(16).padStart(2, "0")).join(""));
    const letters = [...good].flatMap((c, at) => (/[a-fA-F]/.test(c) ? [at] : []));
    const at = f.helpers.arrayElement(letters);
    const c = good[at] as string;
    const bad = good.slice(0, at) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + good.slice(at + 1);
    const mixed = bad !== bad.toLowerCase() && bad !== bad.toUpperCase();
    check(mixed && !isEip55(bad), "bad-checksum Ethereum address", bad);
    return { text: `0x${bad}` };
  },
  "btc-bad-checksum": (f) => {
    // faker's Bitcoin addresses are random characters in the right shapes: they fail their checksums.
    let text: string;
    do text = f.finance.bitcoinAddress();
    while (isBitcoinBase58Address(text) || segwitAddressEncoding(text) !== undefined);
    return { text };
  },
  "base64-blob": (f) => ({ text: base64(bytes(f, f.number.int({ min: 18, max: 60 }))) }),
};
