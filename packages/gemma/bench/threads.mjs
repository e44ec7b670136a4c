// How prefill scales from one thread to two, op by op: loads the GGUF twice (a 1-thread and a 2-thread model), feeds
// each the 128-token prompt in turn (so a slow spell of the shared machine lands on both), and prints each op's time on
// one and on two threads, the ratio, and what it loses against a perfect 2× ("other" is JavaScript between the ops).
//   npm run build -w @gemma-edge/gemma && node packages/gemma/bench/threads.mjs FILE.gguf [rounds]
import { loadGgufModel, prefill } from "../dist/index.js";
import { fileSource } from "../dist/node.js";
import { PROMPT, timeOps } from "./op-times.mjs";

const [path, roundsArg = "4"] = process.argv.slice(2);
if (!path) {
  console.error("usage: node bench/threads.mjs FILE.gguf [rounds]");
  process.exit(2);
}
const runs = [];
for (const threads of [1, 2]) {
  const source = await fileSource(path);
  const model = await loadGgufModel(source, { threads, maxContext: 256 });
  await source.close();
  const times = timeOps(model.kernels);
  prefill(model, PROMPT, 0); // warm-up (see profile.mjs)
  times.clear();
  runs.push({ model, times, total: 0 });
}
for (let round = 0; round < Number(roundsArg); round++) {
  for (const run of runs) {
    const t = performance.now();
    prefill(run.model, PROMPT, 0);
    run.total += performance.now() - t;
  }
}
const [one, two] = runs;
const line = (name, a, b) =>
  console.log(
    `  ${name.padEnd(24)} ${a.toFixed(0).padStart(7)} ${b.toFixed(0).padStart(7)} ms ${(a / b).toFixed(2).padStart(6)}× ${(b - a / 2).toFixed(0).padStart(6)} ms`,
  );
console.log(
  `prefill, ${roundsArg} × 128 tokens: 1 thread ${one.total.toFixed(0)} ms, 2 threads ${two.total.toFixed(0)} ms`,
);
console.log(`  ${"op".padEnd(24)} ${"1 thr".padStart(7)} ${"2 thr".padStart(7)}    ${"ratio".padStart(6)}  loss vs 2×`);
line("all", one.total, two.total);
const sum = (m) => [...m.values()].reduce((n, ms) => n + ms, 0);
for (const [name, ms] of [...one.times].sort((a, b) => b[1] - a[1])) line(name, ms, two.times.get(name) ?? 0);
line("other", one.total - sum(one.times), two.total - sum(two.times));
for (const run of runs) run.model.kernels.close();
