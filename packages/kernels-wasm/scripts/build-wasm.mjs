// Compiles assembly/ into the four kernel builds: plain SIMD and relaxed SIMD, each with private memory or shared
// memory (for the thread pool). All import their memory as env.memory; statics must stay below STATIC_LIMIT,
// where the TypeScript allocator starts.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const asc = join(dirname(createRequire(import.meta.url).resolve("assemblyscript/package.json")), "bin", "asc.js");
const out = join(root, "dist", "wasm");
const STATIC_LIMIT = 65536; // keep in sync with src/memory.ts
mkdirSync(out, { recursive: true });

const builds = {
  simd: ["--enable", "simd"],
  relaxed: ["--enable", "simd", "--enable", "relaxed-simd"],
  "simd-threads": ["--enable", "simd", "--enable", "threads", "--sharedMemory"],
  "relaxed-threads": ["--enable", "simd", "--enable", "relaxed-simd", "--enable", "threads", "--sharedMemory"],
};

for (const [name, features] of Object.entries(builds)) {
  const wasm = join(out, `kernels-${name}.wasm`);
  const wat = join(out, `kernels-${name}.wat`);
  const common = ["--runtime", "stub", "--importMemory", "--initialMemory", "1", "--maximumMemory", "65536"];
  const opt = ["-O3", "--noAssert"];
  execFileSync(process.execPath, [asc, "assembly/index.ts", ...features, ...common, ...opt, "-o", wasm, "-t", wat], {
    cwd: root,
    stdio: "inherit",
  });
  // Statics (AS function objects for the matmul driver) must end below STATIC_LIMIT.
  const text = readFileSync(wat, "utf8");
  for (const m of text.matchAll(/\(data \$\S+ \(i32\.const (\d+)\) "((?:[^"\\]|\\.)*)"\)/g)) {
    const bytes = m[2].replace(/\\[0-9a-f]{2}|\\./g, "x").length;
    if (Number(m[1]) + bytes > STATIC_LIMIT) throw new Error(`${name}: static data reaches past ${STATIC_LIMIT}`);
  }
  rmSync(wat);
  console.log(`built dist/wasm/kernels-${name}.wasm (${readFileSync(wasm).length} bytes)`);
}
