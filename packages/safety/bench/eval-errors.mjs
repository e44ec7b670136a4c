/**
 * Ours' errors on the evaluation corpus, one line each with the text around them: every false positive (with the hard
 * negative or other label it overlapped) and every miss. For tuning detectors against `npm run eval`'s figures:
 * `npm run build -w @gemma-edge/safety && node packages/safety/bench/eval-errors.mjs --entities PHONE --seed 7`.
 */
import { parseArgs } from "node:util";
import { generateCorpus, oursEngine } from "../dist/eval/index.js";

const { values: args } = parseArgs({
  options: {
    entities: { type: "string", default: "IP_ADDRESS,US_SSN" },
    seed: { type: "string", default: "42" },
    samples: { type: "string", default: "380" },
  },
});
const entities = args.entities.split(",");
const samples = generateCorpus({ seed: Number(args.seed), samplesPerLocale: Number(args.samples) });
const engine = oursEngine();
const overlaps = (a) => (b) => a.start < b.end && b.start < a.end;
const around = (text, start, end) => JSON.stringify(text.slice(Math.max(0, start - 60), end + 70));

let errors = 0;
for (const s of samples) {
  const spans = await engine.spans(s.text, s.region);
  for (const entity of entities) {
    const gold = s.labels.filter((g) => g.entity === entity);
    for (const p of spans.filter((p) => p.entity === entity && !gold.some(overlaps(p)))) {
      const was = [
        ...s.negatives.filter(overlaps(p)).map((n) => n.kind),
        ...s.labels.filter(overlaps(p)).map((l) => l.entity),
      ];
      console.log(`FP   ${entity} ${s.locale} [${was.join(",") || "unlabeled"}] ${around(s.text, p.start, p.end)}`);
      errors++;
    }
    for (const g of gold.filter((g) => !spans.some((p) => p.entity === entity && overlaps(g)(p)))) {
      console.log(`MISS ${entity} ${s.locale} ${around(s.text, g.start, g.end)}`);
      errors++;
    }
  }
}
console.error(`${errors} errors on ${entities.join(", ")} (seed ${args.seed})`);
