/**
 * Detector throughput and linearity. Run with `npm run bench -w @gemma-edge/safety` (builds dist first).
 * For every detector, and for the whole registry: MB/s (10^6 UTF-16 code units per second) on 10 KB,
 * 100 KB and 1 MB of realistic text, and of the hostile input that is slowest for that detector
 * (picked by a 100 KB probe over every input of `HOSTILE`). `×1MB/10KB` is the time on 1 MB over the
 * time on 10 KB: 100 means linear, a quadratic detector would show 10,000; `×1MB/100KB` likewise 10.
 * Detectors running at GB/s finish 10 KB in microseconds from cache, so their first ratio reads high.
 */
import { createRegistry, defaultDetectors } from "../dist/index.js";
import { HOSTILE, realisticText } from "../dist/testing/index.js";

const SIZES = [10_000, 100_000, 1_000_000];

/** Best seconds per run of `fn`, repeating until 200 ms have passed (at least once after a warm-up). */
function time(fn) {
  fn();
  let best = Number.POSITIVE_INFINITY;
  const started = performance.now();
  let runs = 0;
  while (runs < 1 || (performance.now() - started < 200 && runs < 200)) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
    runs++;
  }
  return best / 1000;
}

const registry = createRegistry();
const subjects = [
  ...defaultDetectors().map((d) => ({ name: d.name, detect: (t) => d.detect(t) })),
  { name: "registry (all)", detect: (t) => registry.detect(t) },
];

const realistic = new Map(SIZES.map((n) => [n, realisticText(n, 42)]));
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

const rows = [];
for (const subject of subjects) {
  const real = SIZES.map((n) => time(() => subject.detect(realistic.get(n))));
  let worst = { name: "", seconds: -1 };
  for (const [name, make] of Object.entries(HOSTILE)) {
    const text = make(100_000);
    const seconds = time(() => subject.detect(text));
    if (seconds > worst.seconds) worst = { name, seconds };
  }
  const make = HOSTILE[worst.name];
  const hostile = SIZES.map((n) => {
    const text = make(n);
    return time(() => subject.detect(text));
  });
  const mbps = (times) => times.map((t, i) => fmt(SIZES[i] / 1e6 / t));
  rows.push([
    subject.name,
    ...mbps(real),
    (real[2] / real[0]).toFixed(0),
    (real[2] / real[1]).toFixed(1),
    worst.name,
    ...mbps(hostile),
    (hostile[2] / hostile[0]).toFixed(0),
    (hostile[2] / hostile[1]).toFixed(1),
  ]);
  process.stderr.write(".");
}
process.stderr.write("\n");

const header = [
  "detector",
  "real 10KB",
  "real 100KB",
  "real 1MB",
  "×1MB/10KB",
  "×1MB/100KB",
  "worst hostile",
  "host 10KB",
  "host 100KB",
  "host 1MB",
  "×1MB/10KB",
  "×1MB/100KB",
];
console.log(`MB/s on Node ${process.versions.node}; linear time shows ×1MB/10KB ≈ 100 and ×1MB/100KB ≈ 10\n`);
console.log(`| ${header.join(" | ")} |`);
console.log(`|${header.map(() => "---").join("|")}|`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
