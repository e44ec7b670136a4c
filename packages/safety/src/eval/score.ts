/**
 * Scoring predicted spans against the corpus labels, per entity. A prediction is a true positive when
 * it overlaps a gold span of the same entity (peers redact whole URLs or include a context word, so
 * exact spans would measure span conventions, not detection); exact-span matches are counted too.
 * Precision counts predictions that hit some gold span, recall counts gold spans hit by some
 * prediction, so one prediction covering two gold spans is one true positive for precision and two
 * for recall. Predictions of entities the corpus does not label are counted apart, as `other`.
 */
import type { Entity } from "../types.js";
import type { NegativeSpan, Sample } from "./corpus.js";
import { EVAL_ENTITIES, type EvalEntity, NEGATIVE_KINDS, type NegativeKind } from "./values.js";

/** A predicted span of one entity. */
export interface Span {
  readonly entity: Entity;
  readonly start: number;
  readonly end: number;
}

export interface EntityCounts {
  gold: number;
  predicted: number;
  /** Predictions overlapping a gold span of the same entity. */
  predictedHit: number;
  /** Gold spans overlapped by a prediction of the same entity. */
  goldHit: number;
  /** Predictions equal to a gold span of the same entity. */
  predictedExact: number;
  /** Gold spans equal to a prediction of the same entity. */
  goldExact: number;
}

export interface NegativeCounts {
  count: number;
  /** Negatives overlapped by at least one prediction. */
  flagged: number;
  /** Overlapping predictions by entity. */
  by: Partial<Record<Entity, number>>;
}

export interface Scores {
  readonly entities: Record<EvalEntity, EntityCounts>;
  readonly negatives: Record<NegativeKind, NegativeCounts>;
  /** Predictions of entities the corpus does not label (all false positives), by entity. */
  readonly other: Partial<Record<Entity, number>>;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;
const isEvalEntity = (e: Entity): e is EvalEntity => (EVAL_ENTITIES as readonly Entity[]).includes(e);

/**
 * Scores `predictions[i]` against `samples[i]`.
 *
 * @example
 * const s = scoreCorpus([sample], [[{ entity: "EMAIL", start: 5, end: 21 }]]);
 * prf(s.entities.EMAIL); // { precision: 1, recall: 1, f1: 1, … }
 */
export function scoreCorpus(samples: readonly Sample[], predictions: readonly (readonly Span[])[]): Scores {
  const entities = Object.fromEntries(
    EVAL_ENTITIES.map((e) => [
      e,
      { gold: 0, predicted: 0, predictedHit: 0, goldHit: 0, predictedExact: 0, goldExact: 0 },
    ]),
  ) as Record<EvalEntity, EntityCounts>;
  const negatives = Object.fromEntries(NEGATIVE_KINDS.map((k) => [k, { count: 0, flagged: 0, by: {} }])) as Record<
    NegativeKind,
    NegativeCounts
  >;
  const other: Partial<Record<Entity, number>> = {};
  samples.forEach((sample, i) => {
    const predicted = predictions[i] ?? [];
    for (const gold of sample.labels) {
      const c = entities[gold.entity];
      c.gold++;
      const same = predicted.filter((p) => p.entity === gold.entity);
      if (same.some((p) => overlaps(p, gold))) c.goldHit++;
      if (same.some((p) => p.start === gold.start && p.end === gold.end)) c.goldExact++;
    }
    for (const p of predicted) {
      if (!isEvalEntity(p.entity)) {
        other[p.entity] = (other[p.entity] ?? 0) + 1;
        continue;
      }
      const c = entities[p.entity];
      c.predicted++;
      const same = sample.labels.filter((g) => g.entity === p.entity);
      if (same.some((g) => overlaps(p, g))) c.predictedHit++;
      if (same.some((g) => p.start === g.start && p.end === g.end)) c.predictedExact++;
    }
    for (const negative of sample.negatives) countNegative(negatives[negative.kind], negative, predicted);
  });
  return { entities, negatives, other };
}

function countNegative(c: NegativeCounts, negative: NegativeSpan, predicted: readonly Span[]): void {
  c.count++;
  const hits = predicted.filter((p) => overlaps(p, negative));
  if (hits.length > 0) c.flagged++;
  for (const p of hits) c.by[p.entity] = (c.by[p.entity] ?? 0) + 1;
}

export interface Prf {
  /** Undefined when nothing was predicted. */
  readonly precision: number | undefined;
  /** Undefined when there is no gold span. */
  readonly recall: number | undefined;
  /** Undefined when there is no gold span; 0 when nothing was predicted. */
  readonly f1: number | undefined;
  readonly exactPrecision: number | undefined;
  readonly exactRecall: number | undefined;
}

/** Precision, recall and F1 (overlap), and exact-span precision and recall, of one entity's counts. */
export function prf(c: EntityCounts): Prf {
  const ratio = (n: number, d: number) => (d === 0 ? undefined : n / d);
  const precision = ratio(c.predictedHit, c.predicted);
  const recall = ratio(c.goldHit, c.gold);
  let f1: number | undefined;
  if (recall !== undefined) {
    const p = precision ?? 0;
    f1 = p + recall === 0 ? 0 : (2 * p * recall) / (p + recall);
  }
  return {
    precision,
    recall,
    f1,
    exactPrecision: ratio(c.predictedExact, c.predicted),
    exactRecall: ratio(c.goldExact, c.gold),
  };
}
