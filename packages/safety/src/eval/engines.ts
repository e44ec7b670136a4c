/**
 * The engines the evaluation compares, each with its native call (what the throughput measures) and
 * an adapter to spans of this package's entity names (what the scorer reads).
 * - ours: `createRegistry(defaultDetectors({ defaultCountry }))`, one registry per locale's phone
 *   region, `detect(text)` over every entity.
 * - openredaction (1.1.5, default patterns): `await new OpenRedaction().detect(text)` returns
 *   detections with `[start, end)` positions; their types map to ours by `OPENREDACTION_LABELS`.
 *   The learning store is off (`enableLearning: false`) so no whitelist is read from disk.
 * - redact-pii (3.4.0): `new SyncRedactor().redact(text)` returns only the redacted text. Its chain
 *   is twelve regex redactors (`String.replace` with a placeholder, in order, each on the output of
 *   the one before) and a name redactor last. The adapter replays the same regexes from the same
 *   chain (`composeChildRedactors`) while tracking which input span each placeholder replaced, runs
 *   the name redactor as is, and checks that its output equals `SyncRedactor.redact`; a sentence where
 *   it does not is counted in `mismatches`. Placeholders map to ours by `REDACT_PII_LABELS`.
 */
import type { CountryCode } from "libphonenumber-js/max";
import { OpenRedaction } from "openredaction";
import { type SimpleRegexpCustomRedactorConfig, SyncRedactor } from "redact-pii";
import { NameRedactor } from "redact-pii/lib/built-ins/NameRedactor.js";
import { SimpleRegexpRedactor } from "redact-pii/lib/built-ins/SimpleRegexpRedactor.js";
import { composeChildRedactors } from "redact-pii/lib/composition.js";
import { createRegistry, defaultDetectors, type Registry } from "../registry.js";
import type { Span } from "./score.js";
import { EVAL_ENTITIES, type EvalEntity } from "./values.js";

export interface Engine {
  readonly name: string;
  /** The entities it has detectors for; the others print as "—". */
  readonly supports: readonly EvalEntity[];
  /** The engine's own API on one text, as a user calls it; its result is not read. */
  run(text: string, region: CountryCode): unknown;
  /** Spans in our entity names. */
  spans(text: string, region: CountryCode): Span[] | Promise<Span[]>;
  /** Texts whose spans could not be derived faithfully (see the module header). */
  readonly mismatches: number;
}

/** This package's registry, one per phone region. */
export function oursEngine(): Engine {
  const registries = new Map<CountryCode, Registry>();
  const registry = (region: CountryCode) => {
    let r = registries.get(region);
    if (r === undefined) {
      r = createRegistry(defaultDetectors({ defaultCountry: region }));
      registries.set(region, r);
    }
    return r;
  };
  return {
    name: "ours",
    supports: EVAL_ENTITIES,
    run: (text, region) => registry(region).detect(text),
    spans: (text, region) =>
      registry(region)
        .detect(text)
        .map(({ entity, start, end }) => ({ entity, start, end })),
    mismatches: 0,
  };
}

/** openredaction's detection types that name one of our entities. */
export const OPENREDACTION_LABELS: Readonly<Record<string, EvalEntity>> = {
  EMAIL: "EMAIL",
  PHONE_US: "PHONE",
  PHONE_UK: "PHONE",
  PHONE_UK_MOBILE: "PHONE",
  PHONE_INTERNATIONAL: "PHONE",
  PHONE_LINE_NUMBER: "PHONE",
  CREDIT_CARD: "CREDIT_CARD",
  IBAN: "IBAN",
  UK_BANK_ACCOUNT_IBAN: "IBAN",
  SSN: "US_SSN",
  IPV4: "IP_ADDRESS",
  IPV6: "IP_ADDRESS",
  MAC_ADDRESS: "MAC_ADDRESS",
  URL_WITH_AUTH: "URL_CREDENTIALS",
  DATABASE_CONNECTION: "URL_CREDENTIALS",
  BITCOIN_ADDRESS: "CRYPTO_WALLET",
  ETHEREUM_ADDRESS: "CRYPTO_WALLET",
  AWS_ACCESS_KEY: "AWS_ACCESS_KEY",
  GITHUB_TOKEN: "GITHUB_TOKEN",
  JWT_TOKEN: "JWT",
};

const supported = (labels: Readonly<Record<string, EvalEntity>>) => [...new Set(Object.values(labels))];

/** openredaction with its default patterns. */
export function openRedactionEngine(): Engine {
  const engine = new OpenRedaction({ enableLearning: false });
  let mismatches = 0;
  return {
    name: "openredaction",
    supports: supported(OPENREDACTION_LABELS),
    run: (text) => engine.detect(text),
    async spans(text) {
      const { detections } = await engine.detect(text);
      const spans: Span[] = [];
      for (const d of detections) {
        const entity = OPENREDACTION_LABELS[d.type];
        if (entity === undefined) continue;
        let [start, end] = d.position;
        if (text.slice(start, end) !== d.value) {
          mismatches++;
          start = text.indexOf(d.value);
          end = start + d.value.length;
          if (start < 0) continue;
        }
        spans.push({ entity, start, end });
      }
      return spans;
    },
    get mismatches() {
      return mismatches;
    },
  };
}

/** redact-pii's placeholders that name one of our entities. */
export const REDACT_PII_LABELS: Readonly<Record<string, EvalEntity>> = {
  EMAIL_ADDRESS: "EMAIL",
  PHONE_NUMBER: "PHONE",
  CREDIT_CARD_NUMBER: "CREDIT_CARD",
  US_SOCIAL_SECURITY_NUMBER: "US_SSN",
  IP_ADDRESS: "IP_ADDRESS",
};

/** A run of the text being redacted: input text (no label) or a placeholder, with the input span it stands for. */
interface Piece {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly label?: string;
}

function slicePiece(p: Piece, from: number, to: number): Piece {
  if (p.label !== undefined) return { ...p, text: p.text.slice(from, to) };
  return { text: p.text.slice(from, to), start: p.start + from, end: p.start + from + (to - from) };
}

/** `pieces` cut at every offset of `cuts` (ascending) of their joined text. */
function splitAt(pieces: readonly Piece[], cuts: readonly number[]): Piece[] {
  const out: Piece[] = [];
  let pos = 0;
  let ci = 0;
  for (const p of pieces) {
    const end = pos + p.text.length;
    let from = pos;
    while (ci < cuts.length && (cuts[ci] as number) <= from) ci++;
    while (ci < cuts.length && (cuts[ci] as number) < end) {
      const cut = cuts[ci++] as number;
      out.push(slicePiece(p, from - pos, cut - pos));
      from = cut;
    }
    out.push(slicePiece(p, from - pos, end - pos));
    pos = end;
  }
  return out.filter((p) => p.text.length > 0);
}

/** What `text.replace(regex, replaceWith)` does to the joined pieces, keeping track of input spans. */
function replaceTracked(pieces: readonly Piece[], regex: RegExp, replaceWith: string): Piece[] {
  const current = pieces.map((p) => p.text).join("");
  const matches = [...current.matchAll(new RegExp(regex.source, regex.flags))].map((m) => [
    m.index,
    m.index + m[0].length,
  ]);
  if (matches.length === 0) return [...pieces];
  const out: Piece[] = [];
  let pos = 0;
  let mi = 0;
  let group: Piece[] = [];
  for (const p of splitAt(pieces, matches.flat())) {
    const [from, to] = matches[mi] ?? [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
    if (pos >= (from as number) && pos < (to as number)) group.push(p);
    else out.push(p);
    pos += p.text.length;
    if (group.length > 0 && pos >= (to as number)) {
      const start = Math.min(...group.map((g) => g.start));
      const end = Math.max(...group.map((g) => g.end));
      out.push({ text: replaceWith, start, end, label: replaceWith });
      group = [];
      mi++;
    }
  }
  return out;
}

/** redact-pii's default `SyncRedactor`, spans derived by replaying its chain. */
export function redactPiiEngine(): Engine {
  const redactor = new SyncRedactor();
  const chain = composeChildRedactors<SimpleRegexpCustomRedactorConfig>({});
  const regexes = chain.filter((c): c is SimpleRegexpRedactor => c instanceof SimpleRegexpRedactor);
  const last = chain.at(-1);
  if (!(last instanceof NameRedactor) || regexes.length !== chain.length - 1) {
    throw new Error("redact-pii's chain is no longer regex redactors then a name redactor; update the replay");
  }
  let mismatches = 0;
  return {
    name: "redact-pii",
    supports: supported(REDACT_PII_LABELS),
    run: (text) => redactor.redact(text),
    spans(text) {
      let pieces: Piece[] = [{ text, start: 0, end: text.length }];
      for (const r of regexes) pieces = replaceTracked(pieces, r.regexpMatcher, r.replaceWith);
      if (last.redact(pieces.map((p) => p.text).join("")) !== redactor.redact(text)) mismatches++;
      const spans = new Map<string, Span>();
      for (const p of pieces) {
        const entity = p.label === undefined ? undefined : REDACT_PII_LABELS[p.label];
        if (entity !== undefined) spans.set(`${entity}:${p.start}:${p.end}`, { entity, start: p.start, end: p.end });
      }
      return [...spans.values()];
    },
    get mismatches() {
      return mismatches;
    },
  };
}
