import { describe, expect, it } from "vitest";
import type { Sample } from "./corpus.js";
import { prf, scoreCorpus } from "./score.js";

//            0         1         2         3         4         5
//            0123456789012345678901234567890123456789012345678901234
const text = "mail a@b.io or c@d.io, IP 10.0.0.1, build 1.2.3.4 ok";
const sample: Sample = {
  id: 0,
  locale: "en_US",
  region: "US",
  text,
  labels: [
    { entity: "EMAIL", start: 5, end: 11, value: "a@b.io" },
    { entity: "EMAIL", start: 15, end: 21, value: "c@d.io" },
    { entity: "IP_ADDRESS", start: 26, end: 34, value: "10.0.0.1" },
  ],
  negatives: [{ kind: "version", start: 42, end: 49, value: "1.2.3.4" }],
};

describe("scoreCorpus", () => {
  it("counts overlap and exact matches per entity, false positives and flagged negatives", () => {
    const s = scoreCorpus(
      [sample],
      [
        [
          { entity: "EMAIL", start: 5, end: 11 }, // exact
          { entity: "EMAIL", start: 14, end: 21 }, // overlaps, not exact
          { entity: "IP_ADDRESS", start: 42, end: 49 }, // the version: a false positive
          { entity: "PHONE", start: 26, end: 34 }, // overlaps the IP, but another entity
          { entity: "SECRET_ASSIGNMENT", start: 0, end: 4 }, // an entity the corpus does not label
        ],
      ],
    );
    expect(s.entities.EMAIL).toEqual({
      gold: 2,
      predicted: 2,
      predictedHit: 2,
      goldHit: 2,
      predictedExact: 1,
      goldExact: 1,
    });
    expect(prf(s.entities.EMAIL)).toMatchObject({
      precision: 1,
      recall: 1,
      f1: 1,
      exactPrecision: 0.5,
      exactRecall: 0.5,
    });
    expect(s.entities.IP_ADDRESS).toMatchObject({ gold: 1, predicted: 1, predictedHit: 0, goldHit: 0 });
    expect(prf(s.entities.IP_ADDRESS)).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(s.entities.PHONE).toMatchObject({ gold: 0, predicted: 1, predictedHit: 0 });
    expect(prf(s.entities.PHONE).f1).toBeUndefined();
    expect(s.negatives.version).toEqual({ count: 1, flagged: 1, by: { IP_ADDRESS: 1 } });
    expect(s.other).toEqual({ SECRET_ASSIGNMENT: 1 });
  });

  it("credits one prediction covering two gold spans once for precision and twice for recall", () => {
    const s = scoreCorpus([sample], [[{ entity: "EMAIL", start: 5, end: 21 }]]);
    expect(s.entities.EMAIL).toMatchObject({ predicted: 1, predictedHit: 1, goldHit: 2, goldExact: 0 });
  });

  it("leaves precision undefined without predictions, and F1 at 0 when there is gold", () => {
    const s = scoreCorpus([sample], [[]]);
    expect(prf(s.entities.EMAIL)).toMatchObject({ precision: undefined, recall: 0, f1: 0 });
    expect(prf(s.entities.JWT)).toMatchObject({ precision: undefined, recall: undefined, f1: undefined });
  });
});
