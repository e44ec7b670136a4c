/**
 * The labeled evaluation corpus: short chat messages in nine locales, each one to three sentences.
 * A sentence embeds a labeled entity (55 %), a hard negative (30 %) or nothing (15 %); a quarter of the
 * values that have a technical line (env var, header, JSON, log) use it instead of a prose frame.
 * Every label records its exact span, so `text.slice(start, end) === value`. Deterministic per seed.
 */
import type { Faker } from "@faker-js/faker";
import type { CountryCode } from "libphonenumber-js/max";
import { type Kind, LOCALES, type Locale, TECHNICAL } from "./locales.js";
import {
  ENTITY_VALUES,
  EVAL_ENTITIES,
  type EvalEntity,
  NEGATIVE_KINDS,
  NEGATIVE_VALUES,
  type NegativeKind,
  type Value,
} from "./values.js";

/** A labeled entity: `text.slice(start, end) === value`. */
export interface Label {
  readonly entity: EvalEntity;
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

/** A hard negative: a span that looks like an entity and is none. */
export interface NegativeSpan {
  readonly kind: NegativeKind;
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

export interface Sample {
  readonly id: number;
  readonly locale: string;
  readonly region: CountryCode;
  readonly text: string;
  readonly labels: readonly Label[];
  readonly negatives: readonly NegativeSpan[];
}

export interface CorpusOptions {
  /** @default 42 */
  readonly seed?: number;
  /** Messages per locale. @default 380 */
  readonly samplesPerLocale?: number;
  /** Locale ids to include (`en_US`, `de`, …). @default every locale of `LOCALES` */
  readonly locales?: readonly string[];
}

interface Clause {
  readonly text: string;
  readonly technical: boolean;
  /** Offsets relative to the clause. */
  readonly label?: Label;
  readonly negative?: NegativeSpan;
}

function fillSlots(template: string, f: Faker, noun: string): string {
  return template
    .replaceAll("{noun}", noun)
    .replaceAll("{name}", () => f.person.fullName())
    .replaceAll("{city}", () => f.location.city())
    .replaceAll("{n}", () => String(f.number.int({ min: 100, max: 99_999 })));
}

/** One sentence around `value`; offsets in the result are relative to the sentence. */
function sentence(locale: Locale, kind: Kind, value: Value): { text: string; technical: boolean; start: number } {
  const f = locale.faker;
  const technical = TECHNICAL[kind];
  const useTechnical = technical !== undefined && f.number.int(3) === 0;
  const template = f.helpers.arrayElement(useTechnical ? technical : locale.frames);
  const noun = f.helpers.arrayElement(locale.nouns[kind]);
  const at = template.indexOf("{value}");
  const before = fillSlots(template.slice(0, at), f, noun);
  const after = fillSlots(template.slice(at + "{value}".length), f, noun);
  return { text: before + value.text + after, technical: useTechnical, start: before.length };
}

function clause(locale: Locale): Clause {
  const f = locale.faker;
  const roll = f.number.int(99);
  if (roll < 55) {
    const entity = f.helpers.arrayElement(EVAL_ENTITIES);
    const value = ENTITY_VALUES[entity](f, locale.region);
    const s = sentence(locale, entity, value);
    const [from, to] = value.span ?? [0, value.text.length];
    const label = { entity, start: s.start + from, end: s.start + to, value: value.text.slice(from, to) };
    return { text: s.text, technical: s.technical, label };
  }
  if (roll < 85) {
    const kind = f.helpers.arrayElement(NEGATIVE_KINDS);
    const value = NEGATIVE_VALUES[kind](f, locale.region);
    const s = sentence(locale, kind, value);
    const negative = { kind, start: s.start, end: s.start + value.text.length, value: value.text };
    return { text: s.text, technical: s.technical, negative };
  }
  return { text: fillSlots(f.helpers.arrayElement(locale.fillers), f, ""), technical: false };
}

/**
 * Generates the corpus: `samplesPerLocale` messages for each locale, the same for the same options.
 *
 * @example
 * const [sample] = generateCorpus({ samplesPerLocale: 1, locales: ["de"] });
 * for (const l of sample.labels) console.assert(sample.text.slice(l.start, l.end) === l.value);
 */
export function generateCorpus(options: CorpusOptions = {}): Sample[] {
  const seed = options.seed ?? 42;
  const perLocale = options.samplesPerLocale ?? 380;
  const samples: Sample[] = [];
  LOCALES.forEach((locale, index) => {
    if (options.locales !== undefined && !options.locales.includes(locale.id)) return;
    locale.faker.seed(seed * 1000 + index);
    const separator = locale.id === "ja" ? "" : " ";
    for (let i = 0; i < perLocale; i++) {
      const clauses = Array.from({ length: locale.faker.number.int({ min: 1, max: 3 }) }, () => clause(locale));
      let text = "";
      const labels: Label[] = [];
      const negatives: NegativeSpan[] = [];
      clauses.forEach((c, k) => {
        if (k > 0) text += c.technical || (clauses[k - 1] as Clause).technical ? "\n" : separator;
        const base = text.length;
        if (c.label !== undefined) labels.push({ ...c.label, start: base + c.label.start, end: base + c.label.end });
        if (c.negative !== undefined) {
          negatives.push({ ...c.negative, start: base + c.negative.start, end: base + c.negative.end });
        }
        text += c.text;
      });
      samples.push({ id: samples.length, locale: locale.id, region: locale.region, text, labels, negatives });
    }
  });
  return samples;
}
