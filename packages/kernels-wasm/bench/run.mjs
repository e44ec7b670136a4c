// Kernel benchmark: matmul GB/s (weight bytes per second) for Gemma 2B's shapes, every format, plain vs relaxed
// SIMD, 1 vs 2 threads, against a streaming-read ceiling measured in the same run.
//   npm run bench -w @gemma-edge/kernels-wasm [-- --json] [-- --quick] [-- --formats=q4_k,q6_k]
// Needs `npm run build` (turbo's bench task builds first). Figures are medians after warm-up.
import { readFileSync } from "node:fs";
import { loadKernels, randomValues, randomWeights, rowBytes } from "../dist/index.js";

const json = process.argv.includes("--json");
const quick = process.argv.includes("--quick");
const SHAPES = [
  [2048, 2048, "attn q/o"],
  [256, 2048, "attn k/v (MQA)"],
  [16384, 2048, "ffn gate/up"],
  [2048, 16384, "ffn down"],
  [256000, 2048, "logits (tied emb)"],
];
const formatsArg = process.argv.find((a) => a.startsWith("--formats="));
const FORMATS = formatsArg
  ? formatsArg.slice("--formats=".length).split(",")
  : quick
    ? ["q8_0", "q4_0"]
    : ["q8_0", "q4_0", "q4_k", "q6_k", "f16"];
const MAX_ROWS_FOR = { f16: 16384 }; // f16 256000×2048 is 1 GB: skipped
const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

function time(fn, minMs = quick ? 150 : 400) {
  for (let i = 0; i < 3; i++) fn(); // warm-up: the first calls run unoptimized code
  const samples = [];
  const start = performance.now();
  while (samples.length < 5 || performance.now() - start < minMs) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

/** Fills a big weight tensor by tiling 64 random rows (content does not change speed; scales stay finite). */
function fill(k, w) {
  const tile = randomWeights(w.format, 64, w.cols, 1);
  const bytes = k.weightBytes(w);
  for (let o = 0; o < bytes.length; o += tile.length)
    bytes.set(tile.subarray(0, Math.min(tile.length, bytes.length - o)), o);
}

const rows = [];
const emit = (r) => {
  rows.push(r);
  if (json) console.log(JSON.stringify(r));
};

console.error(`load average before: ${loadavg()} (2 threads scale only when the second core is free)`);
for (const build of ["simd", "relaxed"]) {
  const k = await loadKernels({ build, threads: 2 });
  // streaming ceiling: read 512 MiB
  const big = k.alloc(128 * 2 ** 20);
  for (const threads of [1, 2]) {
    k.useThreads(threads);
    const ms = time(() => k.exports.stream_read(big.ptr, 0, big.length * 4));
    emit({
      op: "stream_read",
      format: "-",
      rows: 0,
      cols: 0,
      threads: 1,
      build,
      ms_median: ms,
      gb_s: (big.length * 4) / ms / 1e6,
    });
    break; // stream_read is a raw single-thread export
  }
  for (const format of FORMATS) {
    const maxRows = Math.min(MAX_ROWS_FOR[format] ?? 256000, 256000);
    const store = k.reserve(format, maxRows, 2048);
    fill(k, store);
    for (const [r, c, what] of SHAPES) {
      if (r > maxRows) continue;
      const w = k.reinterpret(store, r, c);
      const x = k.alloc(c);
      const y = k.alloc(r);
      k.write(x, randomValues(c, 3));
      for (const threads of [1, 2]) {
        k.useThreads(threads);
        const ms = time(() => k.matvec(w, x, y));
        const bytes = r * rowBytes(format, c);
        emit({ op: "matvec", what, format, rows: r, cols: c, threads, build, ms_median: ms, gb_s: bytes / ms / 1e6 });
      }
    }
    // prefill: one matmul over 16 tokens vs 16 matvecs (GB/s counts the weights once per token)
    const [r, c] = [2048, 2048];
    const w = k.reinterpret(store, r, c);
    const xs = k.alloc(16 * c);
    const ys = k.alloc(16 * r);
    k.write(xs, randomValues(16 * c, 4));
    for (const threads of [1, 2]) {
      k.useThreads(threads);
      const ms = time(() => k.matmul(w, xs, ys, 16));
      const bytes = 16 * r * rowBytes(format, c);
      emit({
        op: "matmul16",
        what: "prefill, 16 tokens",
        format,
        rows: r,
        cols: c,
        threads,
        build,
        ms_median: ms,
        gb_s: bytes / ms / 1e6,
      });
    }
    // the same 2048×2048 matrix packed (WasmKernels.pack): decode and prefill
    const p = k.pack(k.upload(format, r, c, k.weightBytes(w).slice()));
    if (p.packed) {
      const x = k.alloc(c);
      const y = k.alloc(r);
      k.write(x, randomValues(c, 3));
      const bytes = r * rowBytes(format, c);
      for (const threads of [1, 2]) {
        k.useThreads(threads);
        const one = { what: "packed", format: `${format}p`, rows: r, cols: c, threads, build };
        const mv = time(() => k.matvec(p, x, y));
        emit({ op: "matvec", ...one, what: "packed, decode", ms_median: mv, gb_s: bytes / mv / 1e6 });
        const mm = time(() => k.matmul(p, xs, ys, 16));
        emit({ op: "matmul16", ...one, what: "packed, 16 tokens", ms_median: mm, gb_s: (16 * bytes) / mm / 1e6 });
      }
    }
  }
  k.close();
}
console.error(`load average after: ${loadavg()}`);

if (!json) {
  const ceiling = Object.fromEntries(rows.filter((r) => r.op === "stream_read").map((r) => [r.build, r.gb_s]));
  const best = {};
  for (const r of rows)
    if (r.op === "matvec" && r.threads === 1)
      best[`${r.build}/${r.format}`] = Math.max(best[`${r.build}/${r.format}`] ?? 0, r.gb_s);
  const f = (v, d = 2) => v.toFixed(d).padStart(7);
  console.log("build    format shape          what               thr   ms      GB/s  %ceiling %best-shape  2thr/1thr");
  for (const r of rows) {
    if (r.op === "stream_read") {
      console.log(`${r.build.padEnd(8)} stream read 512 MiB (ceiling)          1 ${f(r.ms_median)} ${f(r.gb_s)}`);
      continue;
    }
    const one = rows.find(
      (o) =>
        o.op === r.op &&
        o.build === r.build &&
        o.format === r.format &&
        o.rows === r.rows &&
        o.cols === r.cols &&
        o.threads === 1,
    );
    const scale = r.threads === 2 ? `${(one.ms_median / r.ms_median).toFixed(2)}×` : "";
    const label = r.op === "matmul16" ? "x16" : "";
    console.log(
      `${r.build.padEnd(8)} ${(r.format + label).padEnd(6)} ${`${r.rows}×${r.cols}`.padEnd(14)} ${r.what.padEnd(18)} ${r.threads} ${f(r.ms_median, 3)} ${f(r.gb_s)} ${f((100 * r.gb_s) / ceiling[r.build], 0)}% ${r.threads === 1 && r.op === "matvec" ? `${f((100 * r.gb_s) / best[`${r.build}/${r.format}`], 0)}%` : "        "}   ${scale}`,
    );
  }
  console.log("\npacked / GGUF rows, 2048×2048 (same build and threads):");
  for (const r of rows.filter((x) => x.format.endsWith("p"))) {
    const g = rows.find(
      (o) =>
        o.op === r.op &&
        o.build === r.build &&
        o.threads === r.threads &&
        o.format === r.format.slice(0, -1) &&
        o.rows === r.rows &&
        o.cols === r.cols,
    );
    console.log(
      `  ${r.build.padEnd(8)} ${r.format.slice(0, -1)} ${r.what.padEnd(18)} ${r.threads} thr ${(g.ms_median / r.ms_median).toFixed(2)}×`,
    );
  }
  console.log("\nrelaxed / plain SIMD, single thread, per format and shape:");
  for (const r of rows.filter(
    (x) => x.op === "matvec" && x.build === "relaxed" && x.threads === 1 && !x.format.endsWith("p"),
  )) {
    const p = rows.find(
      (o) =>
        o.op === "matvec" &&
        o.build === "simd" &&
        o.threads === 1 &&
        o.format === r.format &&
        o.rows === r.rows &&
        o.cols === r.cols,
    );
    console.log(`  ${r.format.padEnd(6)} ${`${r.rows}×${r.cols}`.padEnd(14)} ${(r.gb_s / p.gb_s).toFixed(2)}×`);
  }
}
