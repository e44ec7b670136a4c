// Where prefill and decode time go: runs a 128-token prompt, then 32 single-token steps, through a GGUF (e.g. the
// bench's Gemma-2B-shaped files in ~/.cache/gemma-edge) with every kernel op timed, and prints tok/s and each op's
// share of each phase ("other" is JavaScript between the ops).
//   npm run build -w @gemma-edge/gemma && node packages/gemma/bench/profile.mjs FILE.gguf [threads] [maxBatch]
//   (matmuls are timed per weight shape; GEMMA_EDGE_PACK=0 keeps the matrices in the file layout)
import { loadGgufModel, prefill } from "../dist/index.js";
import { fileSource } from "../dist/node.js";
import { PROMPT, timeOps } from "./op-times.mjs";

const [path, threadsArg = "1", batchArg] = process.argv.slice(2);
if (!path) {
  console.error("usage: node bench/profile.mjs FILE.gguf [threads] [maxBatch]");
  process.exit(2);
}
const source = await fileSource(path);
let t = performance.now();
const pack = process.env.GEMMA_EDGE_PACK !== "0";
const model = await loadGgufModel(source, {
  threads: Number(threadsArg),
  maxContext: 256,
  maxBatch: batchArg === undefined ? undefined : Number(batchArg), // the library's default without it
  pack,
});
await source.close();
console.log(`load ${((performance.now() - t) / 1000).toFixed(1)} s`);

const k = model.kernels;
const times = timeOps(k);
const prompt = PROMPT;
// Warm-up: a whole prompt, not a few tokens. The first 128-token prefill ran 19.8 tok/s where the next ran 23.9 (Q4_0,
// 1 thread; the same matmuls alone run at the second rate): V8 tiers wasm up on a background thread, and the KV cache
// and scratch are touched for the first time. Profiling a cold pass blames the matmuls for that.
prefill(model, prompt, 0);
times.clear();
t = performance.now();
prefill(model, prompt, 0);
let total = performance.now() - t;
const report = (phase, tokens) => {
  console.log(`${phase} ${tokens} tokens: ${(tokens / (total / 1000)).toFixed(2)} tok/s (${total.toFixed(0)} ms)`);
  const rows = [...times];
  rows.push(["other", total - rows.reduce((n, [, ms]) => n + ms, 0)]);
  for (const [name, ms] of rows.sort((a, b) => b[1] - a[1]))
    console.log(
      `  ${name.padEnd(18)} ${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %`,
    );
};
report("prefill", 128);
times.clear();
t = performance.now();
for (let i = 0; i < 32; i++) prefill(model, [prompt[i]], 128 + i);
total = performance.now() - t;
report("decode", 32);
k.close();
