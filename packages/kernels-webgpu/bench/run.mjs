// WebGPU matvec benchmark on Gemma 2B's shapes, next to the WASM kernels in the same run: weight GB/s (weight bytes
// read per second) and ms per matvec, medians after warm-up.
//   npm run bench -w @gemma-edge/kernels-webgpu [-- --json] [-- --quick] [-- --formats=q4_k,q6_k]
// Needs `npm run build` of both kernel packages (turbo's bench task builds first).
// On a CPU fallback adapter (SwiftShader here) the WebGPU figures measure a software rasterizer's compute path on
// this machine's cores: they are not performance claims about WebGPU or about these shaders on a GPU.
import { existsSync } from "node:fs";

const SWIFTSHADER = "/usr/lib/chromium/vk_swiftshader_icd.json";
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES = SWIFTSHADER;

const { create, globals } = await import("webgpu");
const { loadKernels, randomValues, randomWeights, rowBytes } = await import("@gemma-edge/kernels-wasm");
const { WebGpuKernels } = await import("../dist/index.js");
Object.assign(globalThis, globals);

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

// keep the object `create` returns referenced for the whole run: Dawn's instance dies with it (a crash, not an error)
const navigatorGpu = create([]);
const adapter = await navigatorGpu.requestAdapter();
if (!adapter) throw new Error("no WebGPU adapter (set VK_ICD_FILENAMES to a Vulkan driver)");
const gpu = await WebGpuKernels.create({ adapter });
const fallback = gpu.fallback || adapter.info?.isFallbackAdapter || adapter.isFallbackAdapter;
const wasm = await loadKernels({ threads: 2 });
const adapterName = [adapter.info?.vendor, adapter.info?.architecture, adapter.info?.description]
  .filter(Boolean)
  .join(" ");
console.error(
  `WebGPU adapter: ${adapterName || "unknown"}${fallback ? " (CPU fallback: figures are not performance claims)" : ""}`,
);
console.error(`WASM: ${wasm.build} build, ${wasm.threads} thread(s)`);
// a fallback adapter is slow: skip the logits shape there unless asked for every shape
const maxRows = fallback && !process.argv.includes("--all-shapes") ? 16384 : 256000;

async function time(run, minMs) {
  await run(); // warm-up: pipeline compilation, first-touch of memory
  const samples = [];
  const start = performance.now();
  while (samples.length < 3 || performance.now() - start < minMs) {
    const t = performance.now();
    await run();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

/** A big weight matrix by tiling 64 random rows (content does not change speed; scales stay finite). */
function tiled(format, rows, cols) {
  const tile = randomWeights(format, 64, cols, 1);
  const bytes = new Uint8Array(rows * rowBytes(format, cols));
  for (let o = 0; o < bytes.length; o += tile.length)
    bytes.set(tile.subarray(0, Math.min(tile.length, bytes.length - o)), o);
  return bytes;
}

const results = [];
for (const format of FORMATS) {
  for (const [rows, cols, what] of SHAPES) {
    if (rows > maxRows || (format === "f16" && rows > 16384)) continue;
    const bytes = tiled(format, rows, cols);
    const xs = randomValues(cols, 3, 1);
    // WebGPU: `reps` matvecs recorded into one command buffer, then a wait for the GPU
    const gw = gpu.upload(format, rows, cols, bytes);
    const gx = gpu.alloc(cols);
    const gy = gpu.alloc(rows);
    gpu.write(gx, xs);
    const reps = fallback ? 1 : 20;
    const gpuMs =
      (await time(async () => {
        for (let i = 0; i < reps; i++) gpu.matvec(gw, gx, gy);
        await gpu.flush();
      }, 300)) / reps;
    gpu.release(gw);
    // WASM on the same shape
    const ww = wasm.upload(format, rows, cols, bytes);
    const wx = wasm.alloc(cols);
    const wy = wasm.alloc(rows);
    wasm.write(wx, xs);
    const wasmMs = await time(async () => wasm.matvec(ww, wx, wy), 300);
    const r = {
      format,
      rows,
      cols,
      what,
      webgpu_ms: gpuMs,
      webgpu_gb_s: bytes.length / gpuMs / 1e6,
      wasm_ms: wasmMs,
      wasm_gb_s: bytes.length / wasmMs / 1e6,
    };
    results.push(r);
    if (json) console.log(JSON.stringify({ ...r, fallback }));
  }
}
if (!json) {
  console.table(
    results.map((r) => ({
      format: r.format,
      shape: `${r.rows}×${r.cols} ${r.what}`,
      "WebGPU ms": r.webgpu_ms.toFixed(3),
      "WebGPU GB/s": r.webgpu_gb_s.toFixed(2),
      "WASM ms": r.wasm_ms.toFixed(3),
      "WASM GB/s": r.wasm_gb_s.toFixed(2),
    })),
  );
}
wasm.close();
gpu.destroy();
console.error(`(instance ${navigatorGpu ? "released" : ""})`);
